//! How polls are stored.
//!
//! Keys are built with `store::key` (parts joined by a 0 byte; slugs and ids
//! never hold one), so "every record of a poll" and "every record of one
//! round" are key prefixes.
//!
//! - `polls`: the poll, keyed by community + id.
//! - `poll_ids`: a poll id (unique per server) → its community and id.
//! - `poll_join_codes`: a join code (unique per server) → its community and id.
//! - `vote_codes`: community + id + 0 + the 16-byte hash of a printed vote
//!   code → when it was made. Only hashes: a copy of the store shows no code.
//! - `votes` (counted set): one group per poll *round*, community + id +
//!   round in decimal, so a reset starts an empty group and the old votes
//!   stop counting without being touched. Members are hashed voter keys or
//!   vote code hashes; the value is the chosen option indexes, one byte each.
//! - `poll_networks`: per round, how many voter keys came from one network:
//!   community + id + round + 0 + a 16-byte keyed hash of the network → a
//!   count. The hash's secret is the round's own (`server_secrets`, named
//!   `poll-network-secret/{community}/{id}/{round}`), kept so a restart or
//!   a new day keeps the cap, and deleted with the round's counters: after
//!   that no counter can be tied to a network, not even by trying every
//!   IPv4 network against an old copy of the counters.

use mekaar_api::polls::{JoinTarget, Poll};

use super::{key, CountedAdd, CountedSet, Store, StoreResult, Table};

fn poll_key(community: &str, id: &str) -> Vec<u8> {
    key(&[community, id])
}

/// The start of every key of one poll in `vote_codes` and `poll_networks`.
fn poll_prefix(community: &str, id: &str) -> Vec<u8> {
    key(&[community, id, ""])
}

fn vote_group(community: &str, id: &str, round: u32) -> Vec<u8> {
    key(&[community, id, &round.to_string()])
}

fn vote_code_key(community: &str, id: &str, hash: &[u8; 16]) -> Vec<u8> {
    let mut k = poll_prefix(community, id);
    k.extend_from_slice(hash);
    k
}

/// The start of every network counter of one round.
fn round_networks_prefix(community: &str, id: &str, round: u32) -> Vec<u8> {
    key(&[community, id, &round.to_string(), ""])
}

fn network_key(community: &str, id: &str, round: u32, network: &[u8; 16]) -> Vec<u8> {
    let mut k = round_networks_prefix(community, id, round);
    k.extend_from_slice(network);
    k
}

fn round_secrets_prefix(community: &str, id: &str) -> String {
    format!("poll-network-secret/{community}/{id}/")
}

fn round_secret_name(community: &str, id: &str, round: u32) -> String {
    format!("{}{round}", round_secrets_prefix(community, id))
}

/// The end (exclusive) of the range of keys starting with `prefix`, which
/// ends in a separator (a 0 byte or a `/`), so its last byte can grow.
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    end
}

/// Removes every key of `table` that starts with `prefix`; returns how many.
fn remove_prefix(store: &Store, table: Table, prefix: &[u8]) -> StoreResult<usize> {
    let end = prefix_end(prefix);
    let mut removed = 0;
    loop {
        let batch: Vec<(Vec<u8>, serde_json::Value)> = store.range(table, prefix, &end, 1_000)?;
        if batch.is_empty() {
            return Ok(removed);
        }
        for (k, _) in batch {
            store.remove(table, &k)?;
            removed += 1;
        }
    }
}

/// Polls and their join codes and ids.
impl Store {
    pub fn poll_get(&self, community: &str, id: &str) -> StoreResult<Option<Poll>> {
        self.get(Table::Polls, &poll_key(community, id))
    }

    /// The community's polls, drafts too, in id order.
    pub fn polls_of_community(&self, community: &str) -> StoreResult<Vec<Poll>> {
        self.scan_prefix(Table::Polls, &key(&[community, ""]))
    }

    /// Every poll of every community.
    pub fn polls_all(&self) -> StoreResult<Vec<Poll>> {
        self.scan_prefix(Table::Polls, b"")
    }

    /// Stores a changed poll, only if the stored poll is still `before` (a change
    /// made from an older copy must not undo another node's, e.g. a reset);
    /// false, and nothing stored, if it is not.
    pub fn poll_replace(&self, before: &Poll, poll: &Poll) -> StoreResult<bool> {
        let key = poll_key(&poll.community, &poll.id);
        let replaced = self.update(Table::Polls, &key, |stored: Poll| match stored == *before {
            true => Ok(poll.clone()),
            false => Err(()),
        })?;
        Ok(matches!(replaced, Some(Ok(_))))
    }

    /// Stores a new poll and makes its id lead to it (reserve its join code
    /// first: [`Store::poll_join_code_reserve`]).
    pub fn poll_insert(&self, poll: &Poll) -> StoreResult<()> {
        let target = JoinTarget {
            community: poll.community.clone(),
            poll: poll.id.clone(),
        };
        self.put(Table::Polls, &poll_key(&poll.community, &poll.id), poll)?;
        self.put(Table::PollIds, poll.id.as_bytes(), &target)
    }

    /// Whether a poll of any community has this id.
    pub fn poll_id_taken(&self, id: &str) -> StoreResult<bool> {
        self.contains(Table::PollIds, id.as_bytes())
    }

    /// The community and id of the poll with this id, if any.
    pub fn poll_by_id(&self, id: &str) -> StoreResult<Option<JoinTarget>> {
        self.get(Table::PollIds, id.as_bytes())
    }

    /// Where a join code (normalised) leads, if anywhere.
    pub fn poll_by_join_code(&self, code: &str) -> StoreResult<Option<JoinTarget>> {
        self.get(Table::PollJoinCodes, code.as_bytes())
    }

    /// Reserves a join code for `target`; false when the code is taken.
    pub fn poll_join_code_reserve(&self, code: &str, target: &JoinTarget) -> StoreResult<bool> {
        self.insert_new(Table::PollJoinCodes, code.as_bytes(), target)
    }
}

/// Printed vote codes (by their hash) and votes.
impl Store {
    /// Stores the hash of a new vote code of the poll, made at `created`;
    /// false when the poll has this code already.
    pub fn vote_code_add(
        &self,
        community: &str,
        id: &str,
        hash: &[u8; 16],
        created: u64,
    ) -> StoreResult<bool> {
        self.insert_new(
            Table::VoteCodes,
            &vote_code_key(community, id, hash),
            &created,
        )
    }

    /// Whether `hash` is the hash of a vote code of the poll.
    pub fn vote_code_exists(
        &self,
        community: &str,
        id: &str,
        hash: &[u8; 16],
    ) -> StoreResult<bool> {
        self.contains(Table::VoteCodes, &vote_code_key(community, id, hash))
    }

    /// Records the vote of `voter` (a hashed voter key or vote code) in the
    /// round: `choices` are option indexes. False (and nothing changed) when
    /// they voted in this round already.
    pub fn vote_cast(
        &self,
        community: &str,
        id: &str,
        round: u32,
        voter: &[u8],
        choices: &[u8],
    ) -> StoreResult<bool> {
        let (added, _) = self.set_add(
            CountedSet::Votes,
            &vote_group(community, id, round),
            voter,
            choices,
        )?;
        Ok(added)
    }

    /// Whether `voter` voted in the round.
    pub fn has_voted(
        &self,
        community: &str,
        id: &str,
        round: u32,
        voter: &[u8],
    ) -> StoreResult<bool> {
        self.set_contains(CountedSet::Votes, &vote_group(community, id, round), voter)
    }

    /// The choices (option indexes) of every vote of the round, in voter order.
    pub fn votes_of_round(
        &self,
        community: &str,
        id: &str,
        round: u32,
    ) -> StoreResult<Vec<Vec<u8>>> {
        Ok(self
            .set_values(CountedSet::Votes, &vote_group(community, id, round))?
            .into_iter()
            .map(|choices| choices.to_vec())
            .collect())
    }

    /// How many voted in the round (the stored count).
    /// The round's votes counted per choice list (each vote's sorted
    /// choices), without reading every vote on PostgreSQL.
    pub fn votes_by_choices(
        &self,
        community: &str,
        id: &str,
        round: u32,
    ) -> StoreResult<Vec<(Vec<u8>, u64)>> {
        self.set_value_counts(CountedSet::Votes, &vote_group(community, id, round))
    }

    pub fn vote_count(&self, community: &str, id: &str, round: u32) -> StoreResult<u64> {
        self.set_count(CountedSet::Votes, &vote_group(community, id, round))
    }
}

/// Voter keys per network and round (the network cap of open polls).
impl Store {
    /// The secret of the round's network hashes (made on first use).
    pub fn poll_round_secret(
        &self,
        community: &str,
        id: &str,
        round: u32,
    ) -> StoreResult<[u8; 32]> {
        crate::secrets::persistent_secret(self, &round_secret_name(community, id, round))
    }

    /// Whether the round's network secret is still stored.
    pub fn poll_round_secret_exists(
        &self,
        community: &str,
        id: &str,
        round: u32,
    ) -> StoreResult<bool> {
        self.contains(
            Table::ServerSecrets,
            round_secret_name(community, id, round).as_bytes(),
        )
    }

    /// Records the vote of `voter` in the round (as [`Store::vote_cast`])
    /// and counts one more voter key of its network (the keyed hash with
    /// [`Store::poll_round_secret`]) unless `cap` are counted already: both
    /// or neither, checked and counted in one step (one commit on
    /// PostgreSQL), so the cap holds however many vote at once, also on
    /// several nodes.
    pub fn vote_cast_counted(
        &self,
        (community, id, round): (&str, &str, u32),
        voter: &[u8],
        choices: &[u8],
        (network, cap): (&[u8; 16], u32),
    ) -> StoreResult<CountedAdd> {
        self.set_add_counted(
            CountedSet::Votes,
            (&vote_group(community, id, round), voter, choices),
            (
                Table::PollNetworks,
                &network_key(community, id, round, network),
                cap,
            ),
        )
    }

    /// How many network counters the poll has (all rounds).
    pub fn poll_network_counters(&self, community: &str, id: &str) -> StoreResult<usize> {
        let prefix = poll_prefix(community, id);
        let counters: Vec<(Vec<u8>, serde_json::Value)> = self.range(
            Table::PollNetworks,
            &prefix,
            &prefix_end(&prefix),
            usize::MAX,
        )?;
        Ok(counters.len())
    }

    /// Deletes the round's network counters and then its secret; returns how
    /// many counters went. Follow with `forget_old_record_keys`.
    pub fn poll_round_networks_forget(
        &self,
        community: &str,
        id: &str,
        round: u32,
    ) -> StoreResult<usize> {
        let removed = remove_prefix(
            self,
            Table::PollNetworks,
            &round_networks_prefix(community, id, round),
        )?;
        self.remove(
            Table::ServerSecrets,
            round_secret_name(community, id, round).as_bytes(),
        )?;
        Ok(removed)
    }

    /// Deletes the network counters of every round of the poll and then the
    /// rounds' secrets; returns how many counters went. Follow with
    /// `forget_old_record_keys`.
    pub fn poll_networks_forget(&self, community: &str, id: &str) -> StoreResult<usize> {
        let removed = remove_prefix(self, Table::PollNetworks, &poll_prefix(community, id))?;
        remove_prefix(
            self,
            Table::ServerSecrets,
            round_secrets_prefix(community, id).as_bytes(),
        )?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mekaar_api::polls::{Audience, PollCreate, ResultsVisibility};

    /// The bytes existing data directories and v1 exports hold: polls,
    /// their ids and codes, votes and network counters keep their layout.
    #[test]
    fn the_stored_layout_stays_as_it_was() {
        let (_dir, store, community, _) = crate::communities::temp_community();
        let input = PollCreate {
            question: "Wat vinden we van de rotonde?".into(),
            options: vec!["ja".into(), "nee".into()],
            max_choices: 1,
            opens_at: None,
            closes_at: None,
            results: ResultsVisibility::Always,
            audience: Audience::default(),
        };
        let poll = crate::polls::create_with_id(&store, &community, "rotonde", input, "a").unwrap();
        let raw = |tree: &str| store.raw_tree(tree).unwrap().unwrap();
        let keys = |tree: &str| -> Vec<Vec<u8>> { raw(tree).into_iter().map(|(k, _)| k).collect() };
        assert_eq!(keys("polls"), [b"dorp\0rotonde".to_vec()]);
        assert_eq!(keys("poll_ids"), [b"rotonde".to_vec()]);
        assert_eq!(
            keys("poll_join_codes"),
            [poll.join_code.as_bytes().to_vec()]
        );

        let hash = [7u8; 16];
        assert!(store.vote_code_add("dorp", "rotonde", &hash, 42).unwrap());
        assert_eq!(
            raw("vote_codes"),
            [(
                [b"dorp\0rotonde\0".as_slice(), &hash].concat(),
                b"42".to_vec()
            )]
        );

        assert!(store
            .vote_cast("dorp", "rotonde", 3, b"voter", &[1, 0])
            .unwrap());
        let values = store
            .set_values(CountedSet::Votes, b"dorp\0rotonde\x003")
            .unwrap();
        let choices: Vec<&[u8]> = values.iter().map(|v| v.as_ref()).collect();
        assert_eq!(choices, [[1u8, 0].as_slice()]);

        store.poll_round_secret("dorp", "rotonde", 3).unwrap();
        assert!(keys("server_secrets").contains(&b"poll-network-secret/dorp/rotonde/3".to_vec()));
        let network = [9u8; 16];
        let at = ("dorp", "rotonde", 3);
        for (voter, expected) in [
            (b"a", CountedAdd::Added),
            (b"a", CountedAdd::Already),
            (b"b", CountedAdd::Added),
            (b"c", CountedAdd::Full(2)),
        ] {
            let cast = store.vote_cast_counted(at, voter, &[0], (&network, 2));
            assert_eq!(cast.unwrap(), expected);
        }
        assert_eq!(
            raw("poll_networks"),
            [(
                [b"dorp\0rotonde\x003\0".as_slice(), &network].concat(),
                b"2".to_vec()
            )]
        );
        assert_eq!(
            store
                .poll_round_networks_forget("dorp", "rotonde", 3)
                .unwrap(),
            1
        );
        assert!(!store
            .poll_round_secret_exists("dorp", "rotonde", 3)
            .unwrap());
    }
}
