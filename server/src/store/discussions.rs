//! Dialogue: threads' settings and topics (`community` NUL `kind` NUL `id`),
//! reactions (the thread's key NUL the reaction id, so a thread's reactions
//! are one scan in creation order), each reaction's thread (`community` NUL
//! `reaction id`), authors a moderator let through (`community` NUL hex
//! voter hash), and the counted sets of agrees and reports (grouped by
//! `community` NUL `reaction id`) and of published reactions (grouped by the
//! thread's key, members the reaction ids).

use mekaar_api::discussions::{ReactionState, ThreadKind};

use super::{key, CountedSet, Store, StoreResult, Table};
use crate::discussions::{StoredReaction, ThreadRecord};

fn thread_key(community: &str, kind: ThreadKind, id: &str) -> Vec<u8> {
    key(&[community, kind.as_str(), id])
}

fn reaction_key(community: &str, kind: ThreadKind, thread: &str, id: &str) -> Vec<u8> {
    key(&[community, kind.as_str(), thread, id])
}

/// The group of a reaction's agrees and reports, and the key of its thread.
fn reaction_group(community: &str, id: &str) -> Vec<u8> {
    key(&[community, id])
}

fn with_nul(mut prefix: Vec<u8>) -> Vec<u8> {
    prefix.push(0);
    prefix
}

impl Store {
    /// A thread's settings (a topic's text too); an initiative's or poll's
    /// thread has them only once changed.
    pub fn thread_get(
        &self,
        community: &str,
        kind: ThreadKind,
        id: &str,
    ) -> StoreResult<Option<ThreadRecord>> {
        self.get(Table::Threads, &thread_key(community, kind, id))
    }

    pub fn thread_put(
        &self,
        community: &str,
        kind: ThreadKind,
        id: &str,
        record: &ThreadRecord,
    ) -> StoreResult<()> {
        self.put(Table::Threads, &thread_key(community, kind, id), record)
    }

    /// The community's topics, in id order.
    pub fn topics_of_community(&self, community: &str) -> StoreResult<Vec<ThreadRecord>> {
        self.scan_prefix(
            Table::Threads,
            &with_nul(key(&[community, ThreadKind::Topic.as_str()])),
        )
    }

    /// A thread's reactions (every state), in id order.
    pub fn reactions_of_thread(
        &self,
        community: &str,
        kind: ThreadKind,
        thread: &str,
    ) -> StoreResult<Vec<StoredReaction>> {
        self.scan_prefix(
            Table::Reactions,
            &with_nul(thread_key(community, kind, thread)),
        )
    }

    /// Every reaction of the community (every state), by thread.
    pub fn reactions_of_community(&self, community: &str) -> StoreResult<Vec<StoredReaction>> {
        self.scan_prefix(Table::Reactions, &with_nul(community.as_bytes().to_vec()))
    }

    /// Stores a new reaction in thread `kind`/`thread`, and which thread it is in.
    pub fn reaction_insert(
        &self,
        community: &str,
        (kind, thread): (ThreadKind, &str),
        reaction: &StoredReaction,
    ) -> StoreResult<()> {
        self.reaction_put(community, (kind, thread), reaction)?;
        self.put(
            Table::ReactionThreads,
            &reaction_group(community, &reaction.id),
            &(kind, thread.to_string()),
        )
    }

    /// Stores a reaction of thread `kind`/`thread` over its earlier version,
    /// unless that version was removed: removal erases for good, and a late
    /// write from an older copy (another node's memory) must not bring the
    /// text and name back.
    pub fn reaction_put(
        &self,
        community: &str,
        (kind, thread): (ThreadKind, &str),
        reaction: &StoredReaction,
    ) -> StoreResult<()> {
        let key = reaction_key(community, kind, thread, &reaction.id);
        let replaced = self.update(
            Table::Reactions,
            &key,
            |stored: StoredReaction| match stored.state {
                ReactionState::Removed => Err(()),
                _ => Ok(reaction.clone()),
            },
        )?;
        match replaced {
            None => self.put(Table::Reactions, &key, reaction),
            Some(_) => Ok(()),
        }
    }

    /// The thread reaction `id` is in.
    pub fn reaction_thread(
        &self,
        community: &str,
        id: &str,
    ) -> StoreResult<Option<(ThreadKind, String)>> {
        self.get(Table::ReactionThreads, &reaction_group(community, id))
    }

    /// "Eens" of `voter` on reaction `id` given (`agree`) or taken back.
    /// Returns whether that changed anything, and the count.
    pub fn reaction_agree(
        &self,
        community: &str,
        id: &str,
        voter: &[u8; 16],
        agree: bool,
    ) -> StoreResult<(bool, u64)> {
        let group = reaction_group(community, id);
        if agree {
            self.set_add(CountedSet::Agrees, &group, voter, b"")
        } else {
            self.set_remove(CountedSet::Agrees, &group, voter)
        }
    }

    /// Whether `voter` agrees with reaction `id`.
    pub fn reaction_agreed(
        &self,
        community: &str,
        id: &str,
        voter: &[u8; 16],
    ) -> StoreResult<bool> {
        self.set_contains(CountedSet::Agrees, &reaction_group(community, id), voter)
    }

    pub fn reaction_agree_count(&self, community: &str, id: &str) -> StoreResult<u64> {
        self.set_count(CountedSet::Agrees, &reaction_group(community, id))
    }

    /// `voter` reports reaction `id` (once: a second report keeps the
    /// first reason). Returns whether it was new, and the count.
    pub fn reaction_report_add(
        &self,
        community: &str,
        id: &str,
        voter: &[u8; 16],
        reason: &str,
    ) -> StoreResult<(bool, u64)> {
        self.set_add(
            CountedSet::ReactionReports,
            &reaction_group(community, id),
            voter,
            reason.as_bytes(),
        )
    }

    pub fn reaction_report_count(&self, community: &str, id: &str) -> StoreResult<u64> {
        self.set_count(CountedSet::ReactionReports, &reaction_group(community, id))
    }

    /// The reasons given in the reports of reaction `id`, in voter-key order.
    pub fn reaction_report_reasons(&self, community: &str, id: &str) -> StoreResult<Vec<String>> {
        Ok(self
            .set_values(CountedSet::ReactionReports, &reaction_group(community, id))?
            .iter()
            .filter_map(|v| std::str::from_utf8(v).ok())
            .map(str::to_string)
            .collect())
    }

    /// Forgets every report of reaction `id`, reasons and count.
    pub fn reaction_reports_clear(&self, community: &str, id: &str) -> StoreResult<()> {
        let group = reaction_group(community, id);
        for (member, _) in self.set_members(CountedSet::ReactionReports, &group)? {
            self.set_remove(CountedSet::ReactionReports, &group, &member)?;
        }
        Ok(())
    }

    /// Counts the reaction among its thread's published ones, or no longer.
    pub fn reaction_published(
        &self,
        community: &str,
        reaction: &StoredReaction,
        published: bool,
    ) -> StoreResult<()> {
        let group = thread_key(community, reaction.kind, &reaction.thread);
        if published {
            self.set_add(
                CountedSet::PublishedReactions,
                &group,
                reaction.id.as_bytes(),
                b"",
            )?;
        } else {
            self.set_remove(
                CountedSet::PublishedReactions,
                &group,
                reaction.id.as_bytes(),
            )?;
        }
        Ok(())
    }

    /// The thread's number of published reactions.
    pub fn thread_published_count(
        &self,
        community: &str,
        kind: ThreadKind,
        id: &str,
    ) -> StoreResult<u64> {
        self.set_count(
            CountedSet::PublishedReactions,
            &thread_key(community, kind, id),
        )
    }

    /// Whether a moderator let a reaction of `author` (hex voter hash) through.
    pub fn reaction_author_known(&self, community: &str, author: &str) -> StoreResult<bool> {
        self.contains(Table::ReactionAuthors, &key(&[community, author]))
    }

    /// A moderator let a reaction of `author` (hex voter hash) through.
    pub fn reaction_author_add(&self, community: &str, author: &str) -> StoreResult<()> {
        self.put(Table::ReactionAuthors, &key(&[community, author]), &true)
    }
}
