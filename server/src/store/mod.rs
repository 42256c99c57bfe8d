//! The one module that touches sled. Everything persistent goes through here,
//! so the engine could be swapped and the database exported as plain JSON.
//!
//! Records are stored as JSON values in named tables. Counted sets (the
//! supports of an initiative, later the votes of a poll) keep their members
//! and a durable count in one tree, changed together in one atomic batch, so
//! a count always equals its set, also after a crash.

mod audit;
mod demo;
#[cfg(test)]
mod disc_layout_tests;
mod discussions;
mod communities;
mod flusher;
mod initiatives;
mod joins;
mod keyring;
mod mail;
mod meetings;
mod photos;
mod reports;
mod secrets;
mod sessions;
mod webhooks;
mod polls;
mod supports;

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard};

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use flusher::FlushError;
use flusher::Flusher;

/// Plain record tables, each a sled tree of JSON values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Communities,
    Initiatives,
    /// Hashes of server-wide admin tokens (made by the CLI only).
    ServerTokens,
    /// Moderation and admin actions, per community in time order.
    Audit,
    /// Webhook deliveries still to make, keyed by when they are due.
    WebhookOutbox,
    /// Every delivery attempt, per community in time order.
    WebhookLog,
    /// Polls, keyed by community + poll id.
    Polls,
    /// A poll's short join code (unique per server) → its community and id.
    PollJoinCodes,
    /// Voter keys used per poll, round and keyed network hash (never an IP);
    /// forgotten after the poll closes.
    PollNetworks,
    /// Hashes of a poll's printed single-use vote codes.
    VoteCodes,
    /// A poll id → its community and id (for `/control/{poll}`, `/overlay/{poll}`).
    PollIds,
    /// Secrets of this server that must outlive a restart (by name).
    ServerSecrets,
    /// Console sessions, keyed by the SHA-256 of the session id (the id
    /// itself lives only in the browser's cookie). Never exported.
    Sessions,
    /// Photo renditions (JPEG bytes made by the server), keyed by the
    /// SHA-256 of the bytes, with the initiatives that show them.
    Photos,
    /// Threads' settings (open, closing time) and topics, by community,
    /// kind and id; an initiative's or poll's thread has one only once changed.
    Threads,
    /// Residents' reactions, by community, thread and time-ordered id.
    Reactions,
    /// A reaction id → its thread (reactions are addressed by id alone).
    ReactionThreads,
    /// Hashed voter keys with a reaction a moderator let through, per
    /// community (for "a key's first reaction waits").
    ReactionAuthors,
    /// Meetings of initiatives, by community and meeting id.
    Meetings,
    /// E-mails waiting to be sent, keyed by when they are due (sealed: an
    /// address and a text; removed once sent, bounced or given up).
    MailOutbox,
    /// "Houd me op de hoogte": by community, initiative and hashed voter key
    /// (sealed: the address and the unsubscribe link).
    MailSubscriptions,
    /// SHA-256 of a confirm or unsubscribe token → its subscription.
    MailTokens,
    /// Per initiative: news waiting for the next digest, and when the last went.
    MailDigests,
    /// Per initiative with an initiator's address: that address and the
    /// manage token, to mail the link again ("link kwijt?"; sealed).
    MailManage,
    /// Per community: mails sent, failed and bounced; per address hash: bounces.
    MailStats,
    /// An initiative's short link code (`/i/{code}`, unique per server) →
    /// its community and id.
    InitiativeCodes,
}

impl Table {
    /// The name of the table's sled tree (also its name in exports).
    pub fn tree_name(self) -> &'static str {
        match self {
            Table::Communities => "communities",
            Table::Initiatives => "initiatives",
            Table::ServerTokens => "server_tokens",
            Table::Audit => "audit",
            Table::WebhookOutbox => "webhook_outbox",
            Table::WebhookLog => "webhook_log",
            Table::Polls => "polls",
            Table::PollJoinCodes => "poll_join_codes",
            Table::PollNetworks => "poll_networks",
            Table::VoteCodes => "vote_codes",
            Table::PollIds => "poll_ids",
            Table::ServerSecrets => "server_secrets",
            Table::Sessions => "sessions",
            Table::Photos => "photos",
            Table::Threads => "threads",
            Table::Reactions => "reactions",
            Table::ReactionThreads => "reaction_threads",
            Table::ReactionAuthors => "reaction_authors",
            Table::Meetings => "meetings",
            Table::MailOutbox => "mail_outbox",
            Table::MailSubscriptions => "mail_subscriptions",
            Table::MailTokens => "mail_tokens",
            Table::MailDigests => "mail_digests",
            Table::MailManage => "mail_manage",
            Table::MailStats => "mail_stats",
            Table::InitiativeCodes => "initiative_codes",
        }
    }

    /// Whether its records are sealed with a key of their own (see
    /// `keyring`): those that may hold personal data or secrets.
    pub fn is_sealed(self) -> bool {
        matches!(
            self,
            Table::Communities
                | Table::Initiatives
                | Table::Audit
                | Table::WebhookOutbox
                // A poll round's network secret: with it and the round's
                // counters from an old log segment, IPv4 networks could be
                // tried one by one after the counters were deleted.
                | Table::ServerSecrets
                // A removed photo is erased for real, as personal data are:
                // a photo may show people, and a removal is often a request.
                | Table::Photos
                // Display names and texts: erased for real on removal.
                | Table::Reactions
                // Addresses, mail texts, manage tokens.
                | Table::MailOutbox
                | Table::MailSubscriptions
                | Table::MailManage
        )
    }

    /// Whether exports hold this table. Sessions are ephemeral credentials:
    /// a backup that signed people in again after a restore, or a copy
    /// that let its reader act as a signed-in moderator, would be a leak.
    pub fn is_exported(self) -> bool {
        self != Table::Sessions
    }

    /// Every table, in declaration order.
    pub const ALL: [Table; 26] = [
        Table::Communities,
        Table::Initiatives,
        Table::ServerTokens,
        Table::Audit,
        Table::WebhookOutbox,
        Table::WebhookLog,
        Table::Polls,
        Table::PollJoinCodes,
        Table::PollNetworks,
        Table::VoteCodes,
        Table::PollIds,
        Table::ServerSecrets,
        Table::Sessions,
        Table::Photos,
        Table::Threads,
        Table::Reactions,
        Table::ReactionThreads,
        Table::ReactionAuthors,
        Table::Meetings,
        Table::MailOutbox,
        Table::MailSubscriptions,
        Table::MailTokens,
        Table::MailDigests,
        Table::MailManage,
        Table::MailStats,
        Table::InitiativeCodes,
    ];
}

/// Counted sets: members grouped by a key, with a count per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountedSet {
    /// group: an initiative; member: a hashed voter key.
    Supports,
    /// group: an initiative; member: a hashed voter key; value: the join details.
    Joins,
    /// group: an initiative; member: a hashed voter key; value: the report.
    Reports,
    /// group: a poll's round; member: a hashed voter key or vote code;
    /// value: the chosen option indexes, one byte each.
    Votes,
    /// group: a reaction; member: a hashed voter key ("eens").
    Agrees,
    /// group: a reaction; member: a hashed voter key; value: the reason.
    ReactionReports,
    /// group: a thread; member: the id of a published reaction (so the
    /// count is the thread's number of published reactions).
    PublishedReactions,
    /// group: a meeting; member: a hashed voter key ("ik kom").
    Attendees,
}

impl CountedSet {
    /// The name of the set's sled tree (also its name in exports).
    pub fn tree_name(self) -> &'static str {
        match self {
            CountedSet::Supports => "supports",
            CountedSet::Joins => "joins",
            CountedSet::Reports => "reports",
            CountedSet::Votes => "votes",
            CountedSet::Agrees => "agrees",
            CountedSet::ReactionReports => "reaction_reports",
            CountedSet::PublishedReactions => "published_reactions",
            CountedSet::Attendees => "attendees",
        }
    }

    /// Whether the members' values are sealed (see `keyring`): a joiner's
    /// name, contact and message.
    pub fn is_sealed(self) -> bool {
        matches!(self, CountedSet::Joins | CountedSet::ReactionReports)
    }

    /// Every counted set, in declaration order.
    pub const ALL: [CountedSet; 8] = [
        CountedSet::Supports,
        CountedSet::Joins,
        CountedSet::Reports,
        CountedSet::Votes,
        CountedSet::Agrees,
        CountedSet::ReactionReports,
        CountedSet::PublishedReactions,
        CountedSet::Attendees,
    ];
}

#[derive(Debug)]
pub enum StoreError {
    /// Another process (usually a running server) holds the data directory.
    Locked(String),
    Engine(sled::Error),
    /// A stored value that does not decode: a bug or a damaged file.
    Corrupt(String),
    Flush(FlushError),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Locked(dir) => write!(
                f,
                "the data directory {dir} is in use by another process (is a server running? use the admin HTTP API then)"
            ),
            StoreError::Engine(err) => write!(f, "database error: {err}"),
            StoreError::Corrupt(what) => write!(f, "stored data does not decode: {what}"),
            StoreError::Flush(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sled::Error> for StoreError {
    fn from(err: sled::Error) -> Self {
        StoreError::Engine(err)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The group part of a member key (`m` + u16 length + group + member).
/// The group and the member of a member key (see [`member_key`]).
fn split_member_key(key: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u16::from_be_bytes([*key.get(1)?, *key.get(2)?]) as usize;
    Some((key.get(3..3 + len)?, key.get(3 + len..)?))
}

#[derive(Clone, Copy)]
enum SetChange<'a> {
    Add(&'a [u8]),
    Put(&'a [u8]),
    /// Put, but only for a member that is there.
    Replace(&'a [u8]),
    Remove,
}

/// A [`SetChange`] with its value as it will be stored.
enum SealedChange {
    Add(Vec<u8>),
    Put(Vec<u8>),
    Replace(Vec<u8>),
    Remove,
}

/// Stripes of locks that serialise changes to one counted-set group, so the
/// read-check-write of a count never interleaves with another.
const LOCK_STRIPES: usize = 256;

pub struct Store {
    db: sled::Db,
    /// sled's log, to fdatasync it (see [`flusher::write_to_disk`]).
    log_file: std::fs::File,
    tables: Vec<sled::Tree>,
    sets: Vec<sled::Tree>,
    flusher: Flusher,
    /// The keys of sealed records (outside sled's log, so they can really go).
    keyring: keyring::Keyring,
    group_locks: Vec<Mutex<()>>,
    /// Counts writes, so readers can tell cheaply whether anything changed.
    generation: AtomicU64,
    /// The write barrier: every write holds it shared for the whole of its
    /// store operation (a counted-set change: member and count), a snapshot
    /// holds it exclusively while it copies. So a snapshot sees the store
    /// between two operations, never inside one.
    barrier: RwLock<()>,
}

/// What [`Store::set_add_within`] did, with the group's count after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetAdd {
    Added(u64),
    Already(u64),
    /// The group has its most members; nothing was added.
    Full(u64),
}

/// A consistent copy of the store's records (see [`Store::snapshot`]).
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Per table (in [`Table::ALL`] order): key → stored JSON, in key order.
    pub tables: Vec<(Table, Vec<(sled::IVec, sled::IVec)>)>,
    /// Per counted set (in [`CountedSet::ALL`] order): the members, in key
    /// order. Counts are not copied: they follow from the members.
    pub sets: Vec<(CountedSet, Vec<SetMember>)>,
}

/// One member of a counted set, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetMember {
    pub group: Vec<u8>,
    pub member: Vec<u8>,
    pub value: sled::IVec,
}

impl Store {
    pub fn open(dir: &Path) -> StoreResult<Store> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Engine(e.into()))?;
        let db = open_sled(dir)?;
        // sled's flush makes its log stable with sync_file_range, which does
        // not empty the disk's write cache; the flusher also fdatasyncs it.
        let log_file =
            std::fs::File::open(dir.join("db")).map_err(|e| StoreError::Engine(e.into()))?;
        let flusher = Flusher::start(
            db.clone(),
            log_file
                .try_clone()
                .map_err(|e| StoreError::Engine(e.into()))?,
        );
        let store = Store {
            tables: Table::ALL
                .iter()
                .map(|t| db.open_tree(t.tree_name()))
                .collect::<Result<_, _>>()?,
            sets: CountedSet::ALL
                .iter()
                .map(|s| db.open_tree(s.tree_name()))
                .collect::<Result<_, _>>()?,
            keyring: keyring::Keyring::open(dir)?,
            db,
            log_file,
            flusher,
            group_locks: (0..LOCK_STRIPES).map(|_| Mutex::new(())).collect(),
            generation: AtomicU64::new(0),
            barrier: RwLock::new(()),
        };
        store.recount_sets()?;
        Ok(store)
    }

    /// Waits until every write made before this call is on disk. Call it
    /// before answering a write with 2xx. Concurrent callers share a flush.
    pub async fn durable(&self) -> StoreResult<()> {
        self.flusher.durable().await.map_err(StoreError::Flush)
    }

    /// Puts everything written so far on disk now, blocking, as durably as
    /// the flusher does. For the CLI and shutdown, not for requests.
    pub fn flush_blocking(&self) -> StoreResult<()> {
        Ok(flusher::write_to_disk(&self.db, &self.log_file)?)
    }

    /// Ends the flusher thread after a last flush.
    pub fn close(&self) {
        self.flusher.stop();
    }

    /// Changes with every write (not persisted: combine with a per-process id).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn wrote(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Held (shared) by every write for the whole operation. Never taken
    /// twice by one thread: a waiting snapshot would deadlock it.
    fn write_permit(&self) -> RwLockReadGuard<'_, ()> {
        self.barrier
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A record as stored: JSON, sealed for sealed tables. Call it under the
    /// write permit: a keyring rewrite (under the exclusive barrier) must not
    /// drop the key of a record that is about to be written.
    fn encode_for<T: Serialize>(&self, table: Table, value: &T) -> StoreResult<Vec<u8>> {
        let json = encode(value)?;
        if table.is_sealed() {
            self.keyring.seal(&json)
        } else {
            Ok(json)
        }
    }

    /// A stored value, opened when sealed, decoded.
    fn decode_stored<T: DeserializeOwned>(&self, stored: &[u8]) -> StoreResult<T> {
        if keyring::key_id(stored).is_none() {
            return decode(stored);
        }
        decode(&self.keyring.open_value(stored)?)
    }

    /// A counted set's member value as stored (sealed for sealed sets);
    /// under the write permit, as [`Store::encode_for`].
    fn seal_member_value(&self, set: CountedSet, value: &[u8]) -> StoreResult<Vec<u8>> {
        if set.is_sealed() {
            self.keyring.seal(value)
        } else {
            Ok(value.to_vec())
        }
    }

    /// A stored value's plain bytes (a table's record or a member's value).
    fn open_stored(&self, stored: sled::IVec) -> StoreResult<sled::IVec> {
        if keyring::key_id(&stored).is_none() {
            return Ok(stored);
        }
        Ok(self.keyring.open_value(&stored)?.into())
    }

    /// Rewrites the keyring with only the keys of live sealed records: every
    /// older version of a sealed record, wherever sled's log still holds it,
    /// can no longer be read by anyone. Writes wait meanwhile (reads go on).
    /// Returns how many keys went. Call after erasing personal data.
    pub fn forget_old_record_keys(&self) -> StoreResult<usize> {
        let _exclusive = self
            .barrier
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // The new versions on disk first: an old version whose key went
        // must never be the one a crash leaves behind.
        self.flush_blocking()?;
        let mut live = std::collections::HashSet::new();
        for table in Table::ALL.into_iter().filter(|t| t.is_sealed()) {
            for item in self.table(table)?.iter() {
                if let Some(id) = keyring::key_id(&item?.1) {
                    live.insert(id);
                }
            }
        }
        for set in CountedSet::ALL.into_iter().filter(|s| s.is_sealed()) {
            for item in self.set_tree(set)?.scan_prefix(b"m") {
                if let Some(id) = keyring::key_id(&item?.1) {
                    live.insert(id);
                }
            }
        }
        let dropped = self.keyring.keep_only(&live)?;
        Ok(dropped)
    }

    /// Keys made since the keyring was last rewritten (most belong to
    /// records overwritten since).
    pub fn record_keys_made(&self) -> u64 {
        self.keyring.made_since_rewrite()
    }

    fn table(&self, table: Table) -> StoreResult<&sled::Tree> {
        // `tables` is in the order of Table::ALL, which is the declaration order.
        Ok(&self.tables[table as usize])
    }

    fn set_tree(&self, set: CountedSet) -> StoreResult<&sled::Tree> {
        Ok(&self.sets[set as usize])
    }

    pub fn remove(&self, table: Table, key: &[u8]) -> StoreResult<()> {
        let _permit = self.write_permit();
        self.table(table)?.remove(key)?;
        self.wrote();
        Ok(())
    }

    /// Moves a record to a new key in one atomic step (e.g. rescheduling a
    /// delivery keyed by its due time).
    pub fn rekey<T: Serialize>(
        &self,
        table: Table,
        old_key: &[u8],
        new_key: &[u8],
        value: &T,
    ) -> StoreResult<()> {
        let _permit = self.write_permit();
        let mut batch = sled::Batch::default();
        batch.remove(old_key);
        batch.insert(new_key, self.encode_for(table, value)?);
        self.table(table)?.apply_batch(batch)?;
        self.wrote();
        Ok(())
    }

    /// Keys and values with keys in `[start, end)`, in key order, at most `limit`.
    pub fn range<T: DeserializeOwned>(
        &self,
        table: Table,
        start: &[u8],
        end: &[u8],
        limit: usize,
    ) -> StoreResult<Vec<(Vec<u8>, T)>> {
        self.table(table)?
            .range(start..end)
            .take(limit)
            .map(|item| {
                let (key, value) = item?;
                Ok((key.to_vec(), self.decode_stored(&value)?))
            })
            .collect()
    }

    /// The last `limit` values whose key starts with `prefix`, newest key first.
    pub fn scan_prefix_rev<T: DeserializeOwned>(
        &self,
        table: Table,
        prefix: &[u8],
        limit: usize,
    ) -> StoreResult<Vec<T>> {
        self.table(table)?
            .scan_prefix(prefix)
            .rev()
            .take(limit)
            .map(|item| self.decode_stored(&item?.1))
            .collect()
    }

    pub fn get<T: DeserializeOwned>(&self, table: Table, key: &[u8]) -> StoreResult<Option<T>> {
        match self.table(table)?.get(key)? {
            Some(bytes) => self.decode_stored(&bytes).map(Some),
            None => Ok(None),
        }
    }

    pub fn contains(&self, table: Table, key: &[u8]) -> StoreResult<bool> {
        Ok(self.table(table)?.contains_key(key)?)
    }

    pub fn put<T: Serialize>(&self, table: Table, key: &[u8], value: &T) -> StoreResult<()> {
        let _permit = self.write_permit();
        let value = self.encode_for(table, value)?;
        self.table(table)?.insert(key, value)?;
        self.wrote();
        Ok(())
    }

    /// Inserts only if the key is absent; false when it already existed.
    pub fn insert_new<T: Serialize>(
        &self,
        table: Table,
        key: &[u8],
        value: &T,
    ) -> StoreResult<bool> {
        let _permit = self.write_permit();
        let value = self.encode_for(table, value)?;
        let swapped =
            self.table(table)?
                .compare_and_swap(key, None as Option<&[u8]>, Some(value))?;
        self.wrote();
        Ok(swapped.is_ok())
    }

    /// Read-modify-write without lost updates: `change` may run more than once.
    /// Returns the stored result, or `None` when the key does not exist.
    pub fn update<T, E, F>(
        &self,
        table: Table,
        key: &[u8],
        mut change: F,
    ) -> StoreResult<Option<Result<T, E>>>
    where
        T: Serialize + DeserializeOwned,
        F: FnMut(T) -> Result<T, E>,
    {
        let tree = self.table(table)?;
        loop {
            let Some(old_bytes) = tree.get(key)? else {
                return Ok(None);
            };
            let new_value = match change(self.decode_stored(&old_bytes)?) {
                Ok(value) => value,
                Err(err) => return Ok(Some(Err(err))),
            };
            let _permit = self.write_permit();
            let new_bytes = self.encode_for(table, &new_value)?;
            if tree
                .compare_and_swap(key, Some(&old_bytes), Some(new_bytes))?
                .is_ok()
            {
                self.wrote();
                return Ok(Some(Ok(new_value)));
            }
        }
    }

    /// All keys and values whose key starts with `prefix`, in key order.
    pub fn scan_prefix_keyed<T: DeserializeOwned>(
        &self,
        table: Table,
        prefix: &[u8],
    ) -> StoreResult<Vec<(Vec<u8>, T)>> {
        self.table(table)?
            .scan_prefix(prefix)
            .map(|item| {
                let (key, value) = item?;
                Ok((key.to_vec(), self.decode_stored(&value)?))
            })
            .collect()
    }

    /// All values whose key starts with `prefix`, in key order.
    pub fn scan_prefix<T: DeserializeOwned>(
        &self,
        table: Table,
        prefix: &[u8],
    ) -> StoreResult<Vec<T>> {
        self.table(table)?
            .scan_prefix(prefix)
            .map(|item| self.decode_stored(&item?.1))
            .collect()
    }

    fn group_lock(&self, group: &[u8]) -> std::sync::MutexGuard<'_, ()> {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        group.hash(&mut hasher);
        let stripe = (hasher.finish() as usize) % LOCK_STRIPES;
        self.group_locks[stripe]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds `member` to `group` (an existing member keeps its value).
    /// Returns whether it was new, and the count.
    pub fn set_add(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &[u8],
    ) -> StoreResult<(bool, u64)> {
        self.set_change(set, group, member, SetChange::Add(value))
    }

    /// Adds `member` to `group`, or replaces its value. Returns whether it
    /// was new, and the count.
    pub fn set_put(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &[u8],
    ) -> StoreResult<(bool, u64)> {
        self.set_change(set, group, member, SetChange::Put(value))
    }

    /// Replaces the value of `member` of `group` if it is there (never adds
    /// it). Returns whether it was there, and the count.
    pub fn set_replace(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &[u8],
    ) -> StoreResult<(bool, u64)> {
        self.set_change(set, group, member, SetChange::Replace(value))
    }

    /// Removes `member` from `group`. Returns whether it was there, and the count.
    pub fn set_remove(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
    ) -> StoreResult<(bool, u64)> {
        self.set_change(set, group, member, SetChange::Remove)
    }

    fn set_change(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        change: SetChange<'_>,
    ) -> StoreResult<(bool, u64)> {
        let tree = self.set_tree(set)?;
        let member_key = member_key(group, member);
        let count_key = count_key(group);
        // Barrier first, then the group: a snapshot takes only the barrier.
        let _permit = self.write_permit();
        let _guard = self.group_lock(group);
        let change = match change {
            SetChange::Add(value) => SealedChange::Add(self.seal_member_value(set, value)?),
            SetChange::Put(value) => SealedChange::Put(self.seal_member_value(set, value)?),
            SetChange::Replace(value) => SealedChange::Replace(self.seal_member_value(set, value)?),
            SetChange::Remove => SealedChange::Remove,
        };
        let present = tree.contains_key(&member_key)?;
        let count = read_count(tree.get(&count_key)?)?;
        // Plain single-key writes, member first. Not `apply_batch`: in sled
        // 0.34 every batch takes a process-wide lock and seals the log buffer
        // twice, which capped durable supports near 6k/s (BENCHMARKS.md). The
        // members are the truth; `Store::open` recounts every group, which
        // repairs a count left behind by a crash between the two writes.
        let new_count = match (change, present) {
            (SealedChange::Add(value) | SealedChange::Put(value), false) => {
                tree.insert(member_key, value)?;
                count + 1
            }
            (SealedChange::Put(value), true) => {
                tree.insert(member_key, value)?;
                self.wrote();
                return Ok((false, count));
            }
            (SealedChange::Replace(value), true) => {
                tree.insert(member_key, value)?;
                self.wrote();
                return Ok((true, count));
            }
            (SealedChange::Replace(_), false) => return Ok((false, count)),
            (SealedChange::Remove, true) => {
                tree.remove(member_key)?;
                count.saturating_sub(1)
            }
            (SealedChange::Add(_), true) | (SealedChange::Remove, false) => {
                return Ok((false, count))
            }
        };
        tree.insert(count_key, &new_count.to_be_bytes())?;
        self.wrote();
        Ok((true, new_count))
    }

    /// Adds `member` to `group` unless the group already has `max` members
    /// (a member already there stays, whatever the count), checked and
    /// written under the group's lock, so a capacity is never exceeded
    /// however many add at once.
    pub fn set_add_within(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &[u8],
        max: u64,
    ) -> StoreResult<SetAdd> {
        let tree = self.set_tree(set)?;
        let member_key = member_key(group, member);
        let count_key = count_key(group);
        let _permit = self.write_permit();
        let _guard = self.group_lock(group);
        let count = read_count(tree.get(&count_key)?)?;
        if tree.contains_key(&member_key)? {
            return Ok(SetAdd::Already(count));
        }
        if count >= max {
            return Ok(SetAdd::Full(count));
        }
        tree.insert(member_key, self.seal_member_value(set, value)?)?;
        tree.insert(count_key, &(count + 1).to_be_bytes())?;
        self.wrote();
        Ok(SetAdd::Added(count + 1))
    }

    /// Makes every stored count equal to the number of members of its group.
    /// Returns how many counts had to be repaired.
    fn recount_sets(&self) -> StoreResult<u64> {
        let mut repaired = 0;
        for set in CountedSet::ALL {
            let tree = self.set_tree(set)?;
            let mut members: std::collections::HashMap<Vec<u8>, u64> = Default::default();
            for item in tree.scan_prefix(b"m") {
                let (key, _) = item?;
                let (group, _) = split_member_key(&key)
                    .ok_or_else(|| StoreError::Corrupt("a member key is malformed".into()))?;
                *members.entry(group.to_vec()).or_default() += 1;
            }
            for item in tree.scan_prefix(b"c") {
                let (key, value) = item?;
                let group = &key[1..];
                let stored = read_count(Some(value))?;
                let actual = members.remove(group).unwrap_or(0);
                if stored != actual {
                    tree.insert(&key, &actual.to_be_bytes())?;
                    repaired += 1;
                }
            }
            // Groups with members but no count at all.
            for (group, actual) in members {
                tree.insert(count_key(&group), &actual.to_be_bytes())?;
                repaired += 1;
            }
        }
        if repaired > 0 {
            tracing::warn!("repaired {repaired} counts after an unclean stop");
            self.flush_blocking()?;
        }
        Ok(repaired)
    }

    pub fn set_contains(&self, set: CountedSet, group: &[u8], member: &[u8]) -> StoreResult<bool> {
        Ok(self
            .set_tree(set)?
            .contains_key(member_key(group, member))?)
    }

    pub fn set_count(&self, set: CountedSet, group: &[u8]) -> StoreResult<u64> {
        read_count(self.set_tree(set)?.get(count_key(group))?)
    }

    /// The members' stored values of `group`, in member order.
    pub fn set_values(&self, set: CountedSet, group: &[u8]) -> StoreResult<Vec<sled::IVec>> {
        self.set_tree(set)?
            .scan_prefix(member_key(group, b""))
            .map(|item| self.open_stored(item?.1))
            .collect()
    }

    /// The members of `group` and their stored values, in member order.
    pub fn set_members(
        &self,
        set: CountedSet,
        group: &[u8],
    ) -> StoreResult<Vec<(Vec<u8>, sled::IVec)>> {
        let prefix = member_key(group, b"");
        self.set_tree(set)?
            .scan_prefix(&prefix)
            .map(|item| {
                let (key, value) = item?;
                Ok((key[prefix.len()..].to_vec(), self.open_stored(value)?))
            })
            .collect()
    }

    /// Counts the members of `group` one by one (for checks and tests; the
    /// stored count is what requests use).
    pub fn set_members_len(&self, set: CountedSet, group: &[u8]) -> StoreResult<u64> {
        let prefix = member_key(group, b"");
        let mut n = 0;
        for item in self.set_tree(set)?.scan_prefix(prefix) {
            item?;
            n += 1;
        }
        Ok(n)
    }
}

/// Export, import and backup: raw records, bypassing the JSON decoding.
impl Store {
    /// A consistent copy of every record `keep` accepts: writes wait while it
    /// copies (the store stays readable), so the copy shows the store as it
    /// was at one moment between two write operations, as after a crash at
    /// that moment, but with every write finished before the call.
    pub fn snapshot(&self, keep: &dyn Fn(Record<'_>) -> bool) -> StoreResult<Snapshot> {
        let _exclusive = self
            .barrier
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut snapshot = Snapshot::default();
        for table in Table::ALL {
            let mut records = Vec::new();
            for item in self.table(table)?.iter() {
                let (key, value) = item?;
                let value = if table.is_sealed() {
                    self.open_stored(value)?
                } else {
                    value
                };
                if keep(Record::Table {
                    table,
                    key: &key,
                    value: &value,
                }) {
                    records.push((key, value));
                }
            }
            snapshot.tables.push((table, records));
        }
        for set in CountedSet::ALL {
            let mut members = Vec::new();
            for item in self.set_tree(set)?.scan_prefix(b"m") {
                let (key, value) = item?;
                let (group, member) = split_member_key(&key)
                    .ok_or_else(|| StoreError::Corrupt("a member key is malformed".into()))?;
                if keep(Record::Member { set, group, member }) {
                    members.push(SetMember {
                        group: group.to_vec(),
                        member: member.to_vec(),
                        value: self.open_stored(value)?,
                    });
                }
            }
            snapshot.sets.push((set, members));
        }
        Ok(snapshot)
    }

    /// Whether no table and no set holds anything.
    pub fn is_empty(&self) -> StoreResult<bool> {
        for tree in self.tables.iter().chain(&self.sets) {
            if !tree.is_empty() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Stores `value` (JSON, checked) under `key` as it is (sealed, for a
    /// sealed table, with a key not yet on disk: an import, which ends with
    /// [`Store::finish_import`]).
    pub fn put_raw(&self, table: Table, key: &[u8], value: &[u8]) -> StoreResult<()> {
        serde_json::from_slice::<serde::de::IgnoredAny>(value)
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", table.tree_name())))?;
        let _permit = self.write_permit();
        let value = if table.is_sealed() {
            self.keyring.seal_for_import(value)?
        } else {
            value.to_vec()
        };
        self.table(table)?.insert(key, value)?;
        self.wrote();
        Ok(())
    }

    /// Adds a member as it is (sealed as [`Store::put_raw`] seals), without
    /// touching the group's count: call [`Store::finish_import`] after the last one.
    pub fn put_member_raw(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &[u8],
    ) -> StoreResult<()> {
        if group.len() > u16::MAX as usize {
            return Err(StoreError::Corrupt("a set group is too long".into()));
        }
        let _permit = self.write_permit();
        let value = if set.is_sealed() {
            self.keyring.seal_for_import(value)?
        } else {
            value.to_vec()
        };
        self.set_tree(set)?
            .insert(member_key(group, member), value)?;
        self.wrote();
        Ok(())
    }

    /// Sets every count from its members and puts it all on disk: ends an import.
    pub fn finish_import(&self) -> StoreResult<()> {
        // The keys before the records that use them.
        self.keyring.sync()?;
        self.recount_sets()?;
        self.flush_blocking()
    }

    /// Every key and value of the tree named `name` (counts of counted sets
    /// included; sealed values opened), for checks and tests; `None` for an
    /// unknown name.
    pub fn raw_tree(&self, name: &str) -> StoreResult<Option<Vec<RawRecord>>> {
        let tree = if let Some(table) = Table::ALL.iter().find(|t| t.tree_name() == name) {
            self.table(*table)?
        } else if let Some(set) = CountedSet::ALL.iter().find(|s| s.tree_name() == name) {
            self.set_tree(*set)?
        } else {
            return Ok(None);
        };
        tree.iter()
            .map(|item| {
                let (key, value) = item?;
                Ok((key.to_vec(), self.open_stored(value)?.to_vec()))
            })
            .collect::<StoreResult<_>>()
            .map(Some)
    }
}

/// What a snapshot's filter is asked about.
#[derive(Debug, Clone, Copy)]
pub enum Record<'a> {
    Table {
        table: Table,
        key: &'a [u8],
        value: &'a [u8],
    },
    Member {
        set: CountedSet,
        group: &'a [u8],
        member: &'a [u8],
    },
}

impl Drop for Store {
    fn drop(&mut self) {
        self.flusher.stop();
    }
}

/// Opens sled in `dir`. A store of this process that was just dropped may
/// hold sled's file lock a little longer (sled's own flush thread lets go at
/// its next tick, every 500 ms), so a lock is waited for up to 3 s before it
/// counts as another process's.
fn open_sled(dir: &Path) -> StoreResult<sled::Db> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        match sled::Config::new().path(dir).open() {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(ref io)) if io.to_string().contains("lock") => {
                if std::time::Instant::now() >= deadline {
                    return Err(StoreError::Locked(dir.display().to_string()));
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(other) => return Err(StoreError::Engine(other)),
        }
    }
}

/// `m` + group length + group + member: unambiguous for any bytes.
fn member_key(group: &[u8], member: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(3 + group.len() + member.len());
    key.push(b'm');
    key.extend_from_slice(&(group.len() as u16).to_be_bytes());
    key.extend_from_slice(group);
    key.extend_from_slice(member);
    key
}

fn count_key(group: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + group.len());
    key.push(b'c');
    key.extend_from_slice(group);
    key
}

fn read_count(value: Option<sled::IVec>) -> StoreResult<u64> {
    match value {
        None => Ok(0),
        Some(bytes) => {
            let array: [u8; 8] = bytes
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("a count is not 8 bytes".into()))?;
            Ok(u64::from_be_bytes(array))
        }
    }
}

fn encode<T: Serialize>(value: &T) -> StoreResult<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> StoreResult<T> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A key and its value as stored.
pub type RawRecord = (Vec<u8>, Vec<u8>);

/// Joins key parts with a 0 byte; parts are slugs and ids, which never hold one.
pub fn key(parts: &[&str]) -> Vec<u8> {
    parts.join("\0").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    #[test]
    fn counted_set_counts_each_member_once() {
        let (_dir, store) = temp_store();
        let group = key(&["c", "i"]);
        assert_eq!(
            store
                .set_add(CountedSet::Supports, &group, b"a", b"1")
                .unwrap(),
            (true, 1)
        );
        assert_eq!(
            store
                .set_add(CountedSet::Supports, &group, b"a", b"1")
                .unwrap(),
            (false, 1)
        );
        assert_eq!(
            store
                .set_add(CountedSet::Supports, &group, b"b", b"1")
                .unwrap(),
            (true, 2)
        );
        assert_eq!(
            store
                .set_remove(CountedSet::Supports, &group, b"a")
                .unwrap(),
            (true, 1)
        );
        assert_eq!(
            store
                .set_remove(CountedSet::Supports, &group, b"a")
                .unwrap(),
            (false, 1)
        );
        assert_eq!(
            store.set_members_len(CountedSet::Supports, &group).unwrap(),
            1
        );
        // Another group with a prefix-sharing name is separate.
        let other = key(&["c", "i2"]);
        assert_eq!(store.set_count(CountedSet::Supports, &other).unwrap(), 0);
    }

    #[test]
    fn concurrent_adds_never_lose_a_count() {
        let (_dir, store) = temp_store();
        let store = std::sync::Arc::new(store);
        let group = key(&["c", "i"]);
        let threads: Vec<_> = (0..8u8)
            .map(|t| {
                let store = store.clone();
                let group = group.clone();
                std::thread::spawn(move || {
                    for i in 0..100u8 {
                        store
                            .set_add(CountedSet::Supports, &group, &[t, i], b"")
                            .unwrap();
                        // Every member added twice: the second must not count.
                        store
                            .set_add(CountedSet::Supports, &group, &[t, i], b"")
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(store.set_count(CountedSet::Supports, &group).unwrap(), 800);
        assert_eq!(
            store.set_members_len(CountedSet::Supports, &group).unwrap(),
            800
        );
    }

    #[test]
    fn open_repairs_counts_that_disagree_with_their_sets() {
        let dir = tempfile::tempdir().unwrap();
        let group = key(&["c", "i"]);
        {
            let store = Store::open(dir.path()).unwrap();
            for member in [b"a", b"b", b"c"] {
                store
                    .set_add(CountedSet::Joins, &group, member, b"")
                    .unwrap();
            }
            // As if a crash came between a member write and its count write.
            let tree = store.set_tree(CountedSet::Joins).unwrap();
            tree.insert(count_key(&group), &7u64.to_be_bytes()).unwrap();
            tree.insert(member_key(b"other", b"x"), b"").unwrap();
            store.flush_blocking().unwrap();
            store.close();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.set_count(CountedSet::Joins, &group).unwrap(), 3);
        assert_eq!(store.set_count(CountedSet::Joins, b"other").unwrap(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn many_concurrent_waiters_all_become_durable() {
        let (_dir, store) = temp_store();
        let store = std::sync::Arc::new(store);
        let tasks: Vec<_> = (0..64u32)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    store.put(Table::Communities, &i.to_be_bytes(), &i).unwrap();
                    store.durable().await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
    }

    #[tokio::test]
    async fn waiting_after_close_fails_instead_of_hanging() {
        let (_dir, store) = temp_store();
        store.close();
        assert!(matches!(
            store.durable().await,
            Err(StoreError::Flush(FlushError::Stopped))
        ));
    }
}
