//! What a write changed, in the words other nodes' memories need.
//!
//! A node keeps some state in memory for speed: the list cache and ETags
//! (keyed by [`Store::generation`]), each poll's totals, each thread's
//! reactions, the live channels. With several nodes on one PostgreSQL
//! database another node's write must reach them. Every write primitive
//! names what it changed as a [`Change`] (from its table and key, so no
//! domain function can forget to); the PostgreSQL engine sends them to the
//! other nodes (`NOTIFY`, coalesced, see `postgres_cluster`), which hand
//! them to [`Store::other_nodes_changes`]. With sled there is one node and
//! nothing to send.

use super::names::{CountedSet, Table};

/// A change another node made, as coarse as its consumers need.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// A poll or its votes: its totals and live channel are stale.
    Poll { community: String, poll: String },
    /// A thread, reaction, agree or report of the community: its threads
    /// are stale.
    Discussions { community: String },
    /// Any other record (only [`Store::generation`] cares).
    Other,
    /// Changes may have been missed (the connection that hears them was
    /// lost for a while): every cache is stale.
    Everything,
}

/// The first `n` NUL-separated parts of a key, when they are text that
/// fits a notification line.
fn parts(key: &[u8], n: usize) -> Option<Vec<String>> {
    let found: Vec<String> = key
        .split(|b| *b == 0)
        .take(n)
        .map(|part| String::from_utf8(part.to_vec()).ok())
        .collect::<Option<_>>()?;
    let fits = found.len() == n
        && found
            .iter()
            .all(|p| !p.is_empty() && !p.chars().any(char::is_control));
    fits.then_some(found)
}

impl Change {
    /// What writing `key` of `table` changed.
    pub(in crate::store) fn of_record(table: Table, key: &[u8]) -> Change {
        match table {
            Table::Polls => Change::poll(key),
            Table::Threads | Table::Reactions | Table::ReactionThreads => Change::discussions(key),
            _ => Change::Other,
        }
    }

    /// What changing a member of `group` of `set` changed.
    pub(in crate::store) fn of_member(set: CountedSet, group: &[u8]) -> Change {
        match set {
            CountedSet::Votes => Change::poll(group),
            CountedSet::Agrees | CountedSet::ReactionReports | CountedSet::PublishedReactions => {
                Change::discussions(group)
            }
            _ => Change::Other,
        }
    }

    /// Keys `community` NUL `poll` …
    fn poll(key: &[u8]) -> Change {
        match parts(key, 2) {
            Some(mut p) => Change::Poll {
                poll: p.pop().unwrap_or_default(),
                community: p.pop().unwrap_or_default(),
            },
            None => Change::Everything,
        }
    }

    /// Keys `community` NUL …
    fn discussions(key: &[u8]) -> Change {
        match parts(key, 1) {
            Some(mut p) => Change::Discussions {
                community: p.pop().unwrap_or_default(),
            },
            None => Change::Everything,
        }
    }

    /// One line of a notification (tab-separated; the parts hold no
    /// control characters).
    pub(in crate::store) fn to_line(&self) -> String {
        match self {
            Change::Poll { community, poll } => format!("p\t{community}\t{poll}"),
            Change::Discussions { community } => format!("d\t{community}"),
            Change::Other => "o".into(),
            Change::Everything => "e".into(),
        }
    }

    /// The change a line names; a line this version does not know is
    /// taken as [`Change::Everything`] (a newer node's news is not lost).
    pub(in crate::store) fn from_line(line: &str) -> Change {
        let mut fields = line.split('\t');
        match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (Some("p"), Some(community), Some(poll), None) => Change::Poll {
                community: community.into(),
                poll: poll.into(),
            },
            (Some("d"), Some(community), None, None) => Change::Discussions {
                community: community.into(),
            },
            (Some("o"), None, None, None) => Change::Other,
            _ => Change::Everything,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_name_the_poll_or_community_they_changed() {
        assert_eq!(
            Change::of_member(CountedSet::Votes, b"dorp\0rotonde\x003"),
            Change::Poll {
                community: "dorp".into(),
                poll: "rotonde".into()
            }
        );
        assert_eq!(
            Change::of_record(Table::Polls, b"dorp\0rotonde"),
            Change::Poll {
                community: "dorp".into(),
                poll: "rotonde".into()
            }
        );
        assert_eq!(
            Change::of_record(Table::Reactions, b"dorp\0initiative\0speeltuin\0r1"),
            Change::Discussions {
                community: "dorp".into()
            }
        );
        assert_eq!(
            Change::of_member(CountedSet::Agrees, b"dorp\0r1"),
            Change::Discussions {
                community: "dorp".into()
            }
        );
        assert_eq!(
            Change::of_member(CountedSet::Supports, b"dorp\0speeltuin"),
            Change::Other
        );
        // A key that does not fit a line: assume the worst.
        assert_eq!(
            Change::of_record(Table::Polls, b"dorp\trotonde"),
            Change::Everything
        );
    }

    #[test]
    fn lines_round_trip_and_unknown_lines_mean_everything() {
        for change in [
            Change::Poll {
                community: "dorp".into(),
                poll: "rotonde".into(),
            },
            Change::Discussions {
                community: "dorp".into(),
            },
            Change::Other,
            Change::Everything,
        ] {
            assert_eq!(Change::from_line(&change.to_line()), change);
        }
        assert_eq!(Change::from_line("x\tnew"), Change::Everything);
        assert_eq!(Change::from_line("p\tdorp"), Change::Everything);
    }
}
