//! The one module that touches the database. Everything persistent goes
//! through here, so the engine can be swapped and the database exported as
//! plain JSON. Two engines: sled in a data directory (`sled_engine`, the
//! default) and PostgreSQL (`postgres`); [`Store`] dispatches every primitive
//! to the one it was opened with, and does what both share itself: JSON,
//! sealing (`keyring`), the write barrier and the write counter.
//!
//! Records are stored as JSON values in named tables. Counted sets (the
//! supports of an initiative, the votes of a poll) keep their members and a
//! count per group, changed together, so a count always equals its set, also
//! after a crash.

mod audit;
mod changes;
mod communities;
#[cfg(test)]
mod disc_layout_tests;
mod discussions;
mod export_v1;
mod export_v2;
mod flusher;
mod initiatives;
mod joins;
mod keyring;
mod mail;
mod meetings;
mod migrate;
mod names;
mod photos;
mod polls;
mod postgres;
mod reports;
mod scope;
mod secrets;
mod sessions;
mod sled_engine;
mod supports;
mod webhooks;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use changes::Change;
pub use export_v1::{v1_member_record, v1_set_name, v1_table_name, v1_table_record};
pub use export_v2::{decode_line, member_line, table_line, v2_kinds, V2Line, V2Record};
pub use flusher::FlushError;
// Reachable in `store` only: outside it a table or set is a value to hand
// back (snapshots, export lines), never a name to build keys with.
pub use migrate::{MoveError, Moved};
use names::{CountedSet, Table};
pub use scope::{belongs_to_community, is_exported};

#[derive(Debug)]
pub enum StoreError {
    /// Another process (usually a running server) holds the data directory.
    Locked(String),
    /// The engine failed (I/O, the database connection, a refused statement).
    Engine(String),
    /// A stored value that does not decode: a bug or a damaged file.
    Corrupt(String),
    Flush(FlushError),
    /// The database's schema is newer than this binary knows.
    Schema(String),
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
            StoreError::Schema(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

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

/// What an engine did to a counted set: the answer, and whether it wrote.
struct SetChanged {
    changed: bool,
    count: u64,
    wrote: bool,
}

impl SetChanged {
    fn wrote(changed: bool, count: u64) -> Self {
        SetChanged {
            changed,
            count,
            wrote: true,
        }
    }

    fn unchanged(changed: bool, count: u64) -> Self {
        SetChanged {
            changed,
            count,
            wrote: false,
        }
    }
}

/// A record or member as an engine stores it (sealed values still sealed).
enum RawItem<'a> {
    Table {
        table: Table,
        key: &'a [u8],
        value: &'a [u8],
    },
    Member {
        set: CountedSet,
        group: &'a [u8],
        member: &'a [u8],
        value: &'a [u8],
    },
}

/// Where a store keeps its data.
#[derive(Debug, Clone)]
pub enum StoreConfig {
    /// sled in this data directory (the default).
    Sled(std::path::PathBuf),
    /// A PostgreSQL database (`postgres://user@host:port/db`).
    Postgres(String),
}

enum Engine {
    Sled(sled_engine::SledEngine),
    Postgres(Arc<postgres::PgEngine>),
}

/// Runs `$body` with `$e` bound to the engine, whichever it is (both have
/// the same byte-level primitives).
macro_rules! engine {
    ($self:ident, $e:ident => $body:expr) => {
        match &$self.engine {
            Engine::Sled($e) => $body,
            Engine::Postgres($e) => $body,
        }
    };
}

pub struct Store {
    engine: Engine,
    /// The keys of sealed records (outside sled's log, so they can really go).
    keyring: keyring::Keyring,
    /// Counts writes, so readers can tell cheaply whether anything changed.
    generation: AtomicU64,
    /// The write barrier: every write holds it shared for the whole of its
    /// store operation (a counted-set change: member and count), a snapshot
    /// holds it exclusively while it copies. So a snapshot sees the store
    /// between two operations, never inside one.
    barrier: RwLock<()>,
}

/// What [`Store::set_add_counted`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountedAdd {
    /// The member was added and the counter counts it.
    Added,
    /// The member was there already; nothing changed.
    Already,
    /// The counter was at its cap (this many); nothing changed.
    Full(u32),
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
    pub tables: Vec<(Table, Vec<RawRecord>)>,
    /// Per counted set (in [`CountedSet::ALL`] order): the members, in key
    /// order. Counts are not copied: they follow from the members.
    pub sets: Vec<(CountedSet, Vec<SetMember>)>,
}

/// One member of a counted set, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetMember {
    pub group: Vec<u8>,
    pub member: Vec<u8>,
    pub value: Vec<u8>,
}

impl Store {
    /// sled in `dir` (made if missing).
    pub fn open(dir: &Path) -> StoreResult<Store> {
        let engine = sled_engine::SledEngine::open(dir)?;
        let store = Store {
            keyring: keyring::Keyring::open(dir)?,
            engine: Engine::Sled(engine),
            generation: AtomicU64::new(0),
            barrier: RwLock::new(()),
        };
        if let Engine::Sled(engine) = &store.engine {
            engine.recount_sets()?;
        }
        Ok(store)
    }

    /// The PostgreSQL database at `url`, its schema brought up to date first.
    pub fn open_postgres(url: &str) -> StoreResult<Store> {
        let engine = Arc::new(postgres::PgEngine::open(url)?);
        Ok(Store {
            keyring: keyring::Keyring::open_postgres(engine.clone())?,
            engine: Engine::Postgres(engine),
            generation: AtomicU64::new(0),
            barrier: RwLock::new(()),
        })
    }

    pub fn open_with(config: &StoreConfig) -> StoreResult<Store> {
        match config {
            StoreConfig::Sled(dir) => Store::open(dir),
            StoreConfig::Postgres(url) => Store::open_postgres(url),
        }
    }

    /// Whether this store is in PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.engine, Engine::Postgres(_))
    }

    /// Waits until every write made before this call is on disk. Call it
    /// before answering a write with 2xx. Concurrent callers share a flush.
    /// (PostgreSQL: every write committed before it returned.)
    pub async fn durable(&self) -> StoreResult<()> {
        match &self.engine {
            Engine::Sled(e) => e.durable().await,
            Engine::Postgres(_) => Ok(()),
        }
    }

    /// Puts everything written so far on disk now, blocking, as durably as
    /// the flusher does. For the CLI and shutdown, not for requests.
    /// (PostgreSQL: everything is committed; the other nodes hear of it now.)
    pub fn flush_blocking(&self) -> StoreResult<()> {
        match &self.engine {
            Engine::Sled(e) => e.flush_blocking(),
            Engine::Postgres(e) => e.send_changes_now(),
        }
    }

    /// Ends the flusher thread after a last flush.
    pub fn close(&self) {
        if let Engine::Sled(e) = &self.engine {
            e.close();
        }
    }

    /// Changes with every write, also another node's (not persisted:
    /// combine with a per-process id).
    pub fn generation(&self) -> u64 {
        let heard = match &self.engine {
            Engine::Sled(_) => 0,
            Engine::Postgres(e) => e.heard_count(),
        };
        self.generation.load(Ordering::SeqCst) + heard
    }

    /// Counts a committed write, and tells the other nodes what it changed.
    fn wrote(&self, change: impl FnOnce() -> Change) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Engine::Postgres(e) = &self.engine {
            e.announce(change());
        }
    }

    /// What other nodes on this database change from now on (PostgreSQL;
    /// `None` with sled, where this node is the only one). A receiver that
    /// lags behind must take it as [`Change::Everything`].
    pub fn other_nodes_changes(&self) -> Option<tokio::sync::broadcast::Receiver<Change>> {
        match &self.engine {
            Engine::Sled(_) => None,
            Engine::Postgres(e) => Some(e.other_nodes_changes()),
        }
    }

    /// Whether this node should run a round of `task`, a background task
    /// that must run on one node at a time (sled: always; PostgreSQL: while
    /// this node holds the task's lease, an advisory lock that goes with
    /// its session, so another node takes over when this one dies).
    pub fn lease(&self, task: &'static str) -> StoreResult<bool> {
        match &self.engine {
            Engine::Sled(_) => Ok(true),
            Engine::Postgres(e) => e.lease(task),
        }
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
    fn open_stored(&self, stored: Vec<u8>) -> StoreResult<Vec<u8>> {
        if keyring::key_id(&stored).is_none() {
            return Ok(stored);
        }
        self.keyring.open_value(&stored)
    }

    /// Rewrites the keyring with only the keys of live sealed records: every
    /// older version of a sealed record, wherever sled's log (or a dead
    /// PostgreSQL row) still holds it, can no longer be read by anyone.
    /// Writes wait meanwhile (reads go on). Returns how many keys went. Call
    /// after erasing personal data.
    pub fn forget_old_record_keys(&self) -> StoreResult<usize> {
        let _exclusive = self
            .barrier
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // The new versions on disk first: an old version whose key went
        // must never be the one a crash leaves behind.
        self.flush_blocking()?;
        let live = engine!(self, e => e.live_key_ids())?;
        let dropped = self.keyring.keep_only(&live)?;
        // The other nodes drop the keys they hold in memory.
        self.wrote(|| Change::Keyring);
        Ok(dropped)
    }

    /// Forgets the record keys held in memory (another node rewrote the
    /// keyring; see [`Change::Keyring`]).
    pub fn forget_cached_record_keys(&self) {
        self.keyring.forget_cached();
    }

    /// Keys made since the keyring was last rewritten (most belong to
    /// records overwritten since).
    pub fn record_keys_made(&self) -> u64 {
        self.keyring.made_since_rewrite()
    }

    pub(in crate::store) fn remove(&self, table: Table, key: &[u8]) -> StoreResult<()> {
        let _permit = self.write_permit();
        engine!(self, e => e.remove(table, key))?;
        self.wrote(|| Change::of_record(table, key));
        Ok(())
    }

    /// Moves a record to a new key in one atomic step (e.g. rescheduling a
    /// delivery keyed by its due time).
    pub(in crate::store) fn rekey<T: Serialize>(
        &self,
        table: Table,
        old_key: &[u8],
        new_key: &[u8],
        value: &T,
    ) -> StoreResult<()> {
        let _permit = self.write_permit();
        let value = self.encode_for(table, value)?;
        engine!(self, e => e.rekey(table, old_key, new_key, value))?;
        self.wrote(|| Change::of_record(table, new_key));
        Ok(())
    }

    /// Keys and values with keys in `[start, end)`, in key order, at most `limit`.
    pub(in crate::store) fn range<T: DeserializeOwned>(
        &self,
        table: Table,
        start: &[u8],
        end: &[u8],
        limit: usize,
    ) -> StoreResult<Vec<(Vec<u8>, T)>> {
        engine!(self, e => e.range(table, start, end, limit))?
            .into_iter()
            .map(|(key, value)| Ok((key, self.decode_stored(&value)?)))
            .collect()
    }

    /// The last `limit` values whose key starts with `prefix`, newest key first.
    pub(in crate::store) fn scan_prefix_rev<T: DeserializeOwned>(
        &self,
        table: Table,
        prefix: &[u8],
        limit: usize,
    ) -> StoreResult<Vec<T>> {
        engine!(self, e => e.scan_prefix_rev(table, prefix, limit))?
            .into_iter()
            .map(|(_, value)| self.decode_stored(&value))
            .collect()
    }

    pub(in crate::store) fn get<T: DeserializeOwned>(
        &self,
        table: Table,
        key: &[u8],
    ) -> StoreResult<Option<T>> {
        match engine!(self, e => e.get(table, key))? {
            Some(bytes) => self.decode_stored(&bytes).map(Some),
            None => Ok(None),
        }
    }

    pub(in crate::store) fn contains(&self, table: Table, key: &[u8]) -> StoreResult<bool> {
        engine!(self, e => e.contains(table, key))
    }

    pub(in crate::store) fn put<T: Serialize>(
        &self,
        table: Table,
        key: &[u8],
        value: &T,
    ) -> StoreResult<()> {
        let _permit = self.write_permit();
        let value = self.encode_for(table, value)?;
        engine!(self, e => e.put(table, key, value))?;
        self.wrote(|| Change::of_record(table, key));
        Ok(())
    }

    /// Inserts only if the key is absent; false when it already existed.
    pub(in crate::store) fn insert_new<T: Serialize>(
        &self,
        table: Table,
        key: &[u8],
        value: &T,
    ) -> StoreResult<bool> {
        let _permit = self.write_permit();
        let value = self.encode_for(table, value)?;
        let inserted = engine!(self, e => e.insert_new(table, key, value))?;
        if inserted {
            self.wrote(|| Change::of_record(table, key));
        }
        Ok(inserted)
    }

    /// Read-modify-write without lost updates: `change` may run more than once.
    /// Returns the stored result, or `None` when the key does not exist.
    pub(in crate::store) fn update<T, E, F>(
        &self,
        table: Table,
        key: &[u8],
        mut change: F,
    ) -> StoreResult<Option<Result<T, E>>>
    where
        T: Serialize + DeserializeOwned,
        F: FnMut(T) -> Result<T, E>,
    {
        match &self.engine {
            Engine::Sled(engine) => loop {
                let Some(old_bytes) = engine.get(table, key)? else {
                    return Ok(None);
                };
                let new_value = match change(self.decode_stored(&old_bytes)?) {
                    Ok(value) => value,
                    Err(err) => return Ok(Some(Err(err))),
                };
                let _permit = self.write_permit();
                let new_bytes = self.encode_for(table, &new_value)?;
                if engine.compare_and_swap(table, key, &old_bytes, new_bytes)? {
                    self.wrote(|| Change::of_record(table, key));
                    return Ok(Some(Ok(new_value)));
                }
            },
            Engine::Postgres(engine) => {
                // The row stays locked (SELECT … FOR UPDATE) while `change`
                // runs here: it runs once.
                let mut locked = engine.update_begin(table, key)?;
                let Some(old_bytes) = locked.old.take() else {
                    return Ok(None);
                };
                let new_value = match change(self.decode_stored(&old_bytes)?) {
                    Ok(value) => value,
                    Err(err) => return Ok(Some(Err(err))),
                };
                let _permit = self.write_permit();
                let new_bytes = self.encode_for(table, &new_value)?;
                locked.commit(new_bytes)?;
                self.wrote(|| Change::of_record(table, key));
                Ok(Some(Ok(new_value)))
            }
        }
    }

    /// All keys and values whose key starts with `prefix`, in key order.
    pub(in crate::store) fn scan_prefix_keyed<T: DeserializeOwned>(
        &self,
        table: Table,
        prefix: &[u8],
    ) -> StoreResult<Vec<(Vec<u8>, T)>> {
        engine!(self, e => e.scan_prefix(table, prefix))?
            .into_iter()
            .map(|(key, value)| Ok((key, self.decode_stored(&value)?)))
            .collect()
    }

    /// All values whose key starts with `prefix`, in key order.
    pub(in crate::store) fn scan_prefix<T: DeserializeOwned>(
        &self,
        table: Table,
        prefix: &[u8],
    ) -> StoreResult<Vec<T>> {
        engine!(self, e => e.scan_prefix(table, prefix))?
            .into_iter()
            .map(|(_, value)| self.decode_stored(&value))
            .collect()
    }

    /// Adds `member` to `group` (an existing member keeps its value).
    /// Returns whether it was new, and the count.
    pub(in crate::store) fn set_add(
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
    pub(in crate::store) fn set_put(
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
    pub(in crate::store) fn set_replace(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &[u8],
    ) -> StoreResult<(bool, u64)> {
        self.set_change(set, group, member, SetChange::Replace(value))
    }

    /// Removes `member` from `group`. Returns whether it was there, and the count.
    pub(in crate::store) fn set_remove(
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
        if group.len() > u16::MAX as usize {
            return Err(StoreError::Corrupt("a set group is too long".into()));
        }
        // Barrier first, then the group: a snapshot takes only the barrier.
        let _permit = self.write_permit();
        let change = match change {
            SetChange::Add(value) => SealedChange::Add(self.seal_member_value(set, value)?),
            SetChange::Put(value) => SealedChange::Put(self.seal_member_value(set, value)?),
            SetChange::Replace(value) => SealedChange::Replace(self.seal_member_value(set, value)?),
            SetChange::Remove => SealedChange::Remove,
        };
        let done = engine!(self, e => e.set_change(set, group, member, change))?;
        if done.wrote {
            self.wrote(|| Change::of_member(set, group));
        }
        Ok((done.changed, done.count))
    }

    /// Adds `member` to `group` unless the group already has `max` members
    /// (a member already there stays, whatever the count), checked and
    /// written under the group's lock (PostgreSQL: its count row's lock), so
    /// a capacity is never exceeded however many add at once.
    pub(in crate::store) fn set_add_within(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &[u8],
        max: u64,
    ) -> StoreResult<SetAdd> {
        if group.len() > u16::MAX as usize {
            return Err(StoreError::Corrupt("a set group is too long".into()));
        }
        let _permit = self.write_permit();
        let seal = || self.seal_member_value(set, value);
        let added = engine!(self, e => e.set_add_within(set, group, member, &seal, max))?;
        if matches!(added, SetAdd::Added(_)) {
            self.wrote(|| Change::of_member(set, group));
        }
        Ok(added)
    }

    /// Adds `member` to `group` and counts one more on the counter record
    /// `key` of `table` (a JSON number), unless the member is there or the
    /// counter is at `cap`: both or neither. PostgreSQL: one transaction (one
    /// commit), so a vote and its network's count hold across nodes. sled:
    /// the counter first (in one step), then the member, the count given
    /// back when the member was there (the poll's lock orders them).
    pub(in crate::store) fn set_add_counted(
        &self,
        set: CountedSet,
        (group, member, value): (&[u8], &[u8], &[u8]),
        (table, key, cap): (Table, &[u8], u32),
    ) -> StoreResult<CountedAdd> {
        if let Engine::Postgres(e) = &self.engine {
            debug_assert!(!set.is_sealed() && !table.is_sealed());
            let _permit = self.write_permit();
            let done = e.set_add_counted(set, (group, member, value), (table, key, cap))?;
            if done == CountedAdd::Added {
                self.wrote(|| Change::of_member(set, group));
                self.wrote(|| Change::of_record(table, key));
            }
            return Ok(done);
        }
        if let Err(used) = self.counter_take(table, key, cap)? {
            return Ok(CountedAdd::Full(used));
        }
        let added = self.set_add(set, group, member, value);
        if !matches!(added, Ok((true, _))) {
            self.update(table, key, |used: u32| {
                Ok::<u32, ()>(used.saturating_sub(1))
            })?;
        }
        Ok(match added? {
            (true, _) => CountedAdd::Added,
            (false, _) => CountedAdd::Already,
        })
    }

    /// Counts one more on the counter record `key` of `table` unless it is
    /// at `cap`: `Ok(count after)`, or `Err(count)` when full; in one step.
    pub(in crate::store) fn counter_take(
        &self,
        table: Table,
        key: &[u8],
        cap: u32,
    ) -> StoreResult<Result<u32, u32>> {
        loop {
            let taken = self.update(table, key, |used: u32| match used < cap {
                true => Ok(used + 1),
                false => Err(used),
            })?;
            match taken {
                Some(result) => return Ok(result),
                None if cap == 0 => return Ok(Err(0)),
                // The first count (or another writer's first, then the loop
                // counts on top of it).
                None => {
                    if self.insert_new(table, key, &1u32)? {
                        return Ok(Ok(1));
                    }
                }
            }
        }
    }

    pub(in crate::store) fn set_contains(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
    ) -> StoreResult<bool> {
        engine!(self, e => e.set_contains(set, group, member))
    }

    pub(in crate::store) fn set_count(&self, set: CountedSet, group: &[u8]) -> StoreResult<u64> {
        engine!(self, e => e.set_count(set, group))
    }

    /// The members' stored values of `group`, in member order.
    pub(in crate::store) fn set_values(
        &self,
        set: CountedSet,
        group: &[u8],
    ) -> StoreResult<Vec<Vec<u8>>> {
        engine!(self, e => e.set_members(set, group))?
            .into_iter()
            .map(|(_, value)| self.open_stored(value))
            .collect()
    }

    /// How many members of `group` have each value, in value order (a set
    /// that `counts_by_value`, so its values are not sealed).
    pub(in crate::store) fn set_value_counts(
        &self,
        set: CountedSet,
        group: &[u8],
    ) -> StoreResult<Vec<(Vec<u8>, u64)>> {
        debug_assert!(set.counts_by_value() && !set.is_sealed());
        engine!(self, e => e.set_value_counts(set, group))
    }

    /// The members of `group` and their stored values, in member order.
    pub(in crate::store) fn set_members(
        &self,
        set: CountedSet,
        group: &[u8],
    ) -> StoreResult<Vec<(Vec<u8>, Vec<u8>)>> {
        engine!(self, e => e.set_members(set, group))?
            .into_iter()
            .map(|(member, value)| Ok((member, self.open_stored(value)?)))
            .collect()
    }

    /// Counts the members of `group` one by one (for checks and tests; the
    /// stored count is what requests use).
    #[cfg(test)]
    pub(in crate::store) fn set_members_len(
        &self,
        set: CountedSet,
        group: &[u8],
    ) -> StoreResult<u64> {
        engine!(self, e => e.set_members_len(set, group))
    }
}

/// Export, import and backup: raw records, bypassing the JSON decoding.
impl Store {
    /// A consistent copy of every record `keep` accepts: writes wait while it
    /// copies (the store stays readable), so the copy shows the store as it
    /// was at one moment between two write operations, as after a crash at
    /// that moment, but with every write finished before the call.
    /// (PostgreSQL: one REPEATABLE READ transaction, also across nodes.)
    pub fn snapshot(&self, keep: &dyn Fn(Record<'_>) -> bool) -> StoreResult<Snapshot> {
        let _exclusive = self
            .barrier
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut snapshot = Snapshot {
            tables: Table::ALL.iter().map(|t| (*t, Vec::new())).collect(),
            sets: CountedSet::ALL.iter().map(|s| (*s, Vec::new())).collect(),
        };
        engine!(self, e => e.scan_all(&mut |item| {
            match item {
                RawItem::Table { table, key, value } => {
                    let value = if table.is_sealed() {
                        self.open_stored(value.to_vec())?
                    } else {
                        value.to_vec()
                    };
                    if keep(Record::Table {
                        table,
                        key,
                        value: &value,
                    }) {
                        snapshot.tables[table as usize].1.push((key.to_vec(), value));
                    }
                }
                RawItem::Member {
                    set,
                    group,
                    member,
                    value,
                } => {
                    if keep(Record::Member { set, group, member }) {
                        snapshot.sets[set as usize].1.push(SetMember {
                            group: group.to_vec(),
                            member: member.to_vec(),
                            value: self.open_stored(value.to_vec())?,
                        });
                    }
                }
            }
            Ok(())
        }))?;
        Ok(snapshot)
    }

    /// Whether no table and no set holds anything.
    pub fn is_empty(&self) -> StoreResult<bool> {
        engine!(self, e => e.is_empty())
    }

    /// Stores `value` (JSON, checked) under `key` as it is (sealed, for a
    /// sealed table, with a key not yet on disk: an import, which ends with
    /// [`Store::finish_import`]).
    pub(in crate::store) fn put_raw(
        &self,
        table: Table,
        key: &[u8],
        value: &[u8],
    ) -> StoreResult<()> {
        serde_json::from_slice::<serde::de::IgnoredAny>(value)
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", table.tree_name())))?;
        let _permit = self.write_permit();
        let value = if table.is_sealed() {
            self.keyring.seal_for_import(value)?
        } else {
            value.to_vec()
        };
        engine!(self, e => e.put(table, key, value))?;
        self.wrote(|| Change::of_record(table, key));
        Ok(())
    }

    /// Adds a member as it is (sealed as [`Store::put_raw`] seals), without
    /// touching the group's count: call [`Store::finish_import`] after the last one.
    pub(in crate::store) fn put_member_raw(
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
        engine!(self, e => e.put_member_raw(set, group, member, value))?;
        self.wrote(|| Change::of_member(set, group));
        Ok(())
    }

    /// Stores one record of an export as it is (see [`Store::put_raw`] and
    /// [`Store::put_member_raw`]): call [`Store::finish_import`] after the last one.
    pub fn import_record(&self, record: &V2Record<'_>) -> StoreResult<()> {
        match record {
            V2Record::Table { table, key, value } => self.put_raw(*table, key, value),
            V2Record::Member {
                set,
                group,
                member,
                value,
            } => self.put_member_raw(*set, group, member, value),
        }
    }

    /// Sets every count from its members and puts it all on disk: ends an import.
    pub fn finish_import(&self) -> StoreResult<()> {
        // The keys before the records that use them.
        self.keyring.sync()?;
        engine!(self, e => e.recount_sets())?;
        self.flush_blocking()
    }

    /// The names of every tree [`Store::raw_tree`] reads (tables and counted
    /// sets), for checks and tests.
    pub fn tree_names() -> impl Iterator<Item = &'static str> {
        Table::ALL
            .into_iter()
            .map(Table::tree_name)
            .chain(CountedSet::ALL.into_iter().map(CountedSet::tree_name))
    }

    /// Every key and value of the tree named `name` (counts of counted sets
    /// included, in sled's layout also for PostgreSQL; sealed values opened),
    /// for checks and tests; `None` for an unknown name.
    pub fn raw_tree(&self, name: &str) -> StoreResult<Option<Vec<RawRecord>>> {
        let which = if let Some(table) = Table::ALL.iter().find(|t| t.tree_name() == name) {
            Ok(*table)
        } else if let Some(set) = CountedSet::ALL.iter().find(|s| s.tree_name() == name) {
            Err(*set)
        } else {
            return Ok(None);
        };
        engine!(self, e => e.raw_tree(which))?
            .into_iter()
            .map(|(key, value)| Ok((key, self.open_stored(value)?)))
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

fn encode<T: Serialize>(value: &T) -> StoreResult<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> StoreResult<T> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A key and its value as stored.
pub type RawRecord = (Vec<u8>, Vec<u8>);

/// Joins key parts with a 0 byte; parts are slugs and ids, which never hold one.
pub(in crate::store) fn key(parts: &[&str]) -> Vec<u8> {
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
            let Engine::Sled(engine) = &store.engine else {
                unreachable!()
            };
            engine.put_count_for_test(CountedSet::Joins, &group, 7);
            engine.put_member_for_test(CountedSet::Joins, b"other", b"x");
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
