//! The sled engine: one tree per table and per counted set in a data
//! directory, group commit by the flusher thread, striped locks per counted
//! set group, and a recount of every group at open (a crash between a
//! member's write and its count's write leaves the count behind).
//!
//! A counted set's tree holds its members under [`member_key`] and a count per
//! group under [`count_key`] (8 bytes, big-endian). These bytes are the data
//! directory's format: they must never change.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;

use super::flusher::{self, FlushError, Flusher};
use super::keyring::{self, KeyId};
use super::{CountedSet, RawItem, RawRecord, SealedChange, SetAdd, SetChanged, StoreError};
use super::{StoreResult, Table};

impl From<sled::Error> for StoreError {
    fn from(err: sled::Error) -> Self {
        StoreError::Engine(err.to_string())
    }
}

/// Stripes of locks that serialise changes to one counted-set group, so the
/// read-check-write of a count never interleaves with another.
const LOCK_STRIPES: usize = 256;

pub struct SledEngine {
    db: sled::Db,
    /// sled's log, to fdatasync it (see [`flusher::write_to_disk`]).
    log_file: std::fs::File,
    tables: Vec<sled::Tree>,
    sets: Vec<sled::Tree>,
    flusher: Flusher,
    group_locks: Vec<Mutex<()>>,
}

fn io(err: std::io::Error) -> StoreError {
    StoreError::Engine(err.to_string())
}

impl SledEngine {
    pub fn open(dir: &Path) -> StoreResult<SledEngine> {
        std::fs::create_dir_all(dir).map_err(io)?;
        let db = open_sled(dir)?;
        // sled's flush makes its log stable with sync_file_range, which does
        // not empty the disk's write cache; the flusher also fdatasyncs it.
        let log_file = std::fs::File::open(dir.join("db")).map_err(io)?;
        let flusher = Flusher::start(db.clone(), log_file.try_clone().map_err(io)?);
        Ok(SledEngine {
            tables: Table::ALL
                .iter()
                .map(|t| db.open_tree(t.tree_name()))
                .collect::<Result<_, _>>()?,
            sets: CountedSet::ALL
                .iter()
                .map(|s| db.open_tree(s.tree_name()))
                .collect::<Result<_, _>>()?,
            db,
            log_file,
            flusher,
            group_locks: (0..LOCK_STRIPES).map(|_| Mutex::new(())).collect(),
        })
    }

    pub async fn durable(&self) -> StoreResult<()> {
        self.flusher.durable().await.map_err(StoreError::Flush)
    }

    pub fn flush_blocking(&self) -> StoreResult<()> {
        Ok(flusher::write_to_disk(&self.db, &self.log_file)?)
    }

    pub fn close(&self) {
        self.flusher.stop();
    }

    fn table(&self, table: Table) -> &sled::Tree {
        // `tables` is in the order of Table::ALL, which is the declaration order.
        &self.tables[table as usize]
    }

    fn set_tree(&self, set: CountedSet) -> &sled::Tree {
        &self.sets[set as usize]
    }

    pub fn get(&self, table: Table, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        Ok(self.table(table).get(key)?.map(|v| v.to_vec()))
    }

    pub fn contains(&self, table: Table, key: &[u8]) -> StoreResult<bool> {
        Ok(self.table(table).contains_key(key)?)
    }

    pub fn put(&self, table: Table, key: &[u8], value: Vec<u8>) -> StoreResult<()> {
        self.table(table).insert(key, value)?;
        Ok(())
    }

    pub fn remove(&self, table: Table, key: &[u8]) -> StoreResult<()> {
        self.table(table).remove(key)?;
        Ok(())
    }

    pub fn rekey(
        &self,
        table: Table,
        old_key: &[u8],
        new_key: &[u8],
        value: Vec<u8>,
    ) -> StoreResult<()> {
        let mut batch = sled::Batch::default();
        batch.remove(old_key);
        batch.insert(new_key, value);
        self.table(table).apply_batch(batch)?;
        Ok(())
    }

    pub fn insert_new(&self, table: Table, key: &[u8], value: Vec<u8>) -> StoreResult<bool> {
        let swapped =
            self.table(table)
                .compare_and_swap(key, None as Option<&[u8]>, Some(value))?;
        Ok(swapped.is_ok())
    }

    /// Writes `new` only if the stored value is still `old`.
    pub fn compare_and_swap(
        &self,
        table: Table,
        key: &[u8],
        old: &[u8],
        new: Vec<u8>,
    ) -> StoreResult<bool> {
        Ok(self
            .table(table)
            .compare_and_swap(key, Some(old), Some(new))?
            .is_ok())
    }

    pub fn range(
        &self,
        table: Table,
        start: &[u8],
        end: &[u8],
        limit: usize,
    ) -> StoreResult<Vec<RawRecord>> {
        self.table(table)
            .range(start..end)
            .take(limit)
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), v.to_vec()))
            })
            .collect()
    }

    pub fn scan_prefix(&self, table: Table, prefix: &[u8]) -> StoreResult<Vec<RawRecord>> {
        self.table(table)
            .scan_prefix(prefix)
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), v.to_vec()))
            })
            .collect()
    }

    pub fn scan_prefix_rev(
        &self,
        table: Table,
        prefix: &[u8],
        limit: usize,
    ) -> StoreResult<Vec<RawRecord>> {
        self.table(table)
            .scan_prefix(prefix)
            .rev()
            .take(limit)
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), v.to_vec()))
            })
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

    pub fn set_change(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        change: SealedChange,
    ) -> StoreResult<SetChanged> {
        let tree = self.set_tree(set);
        let member_key = member_key(group, member);
        let count_key = count_key(group);
        let _guard = self.group_lock(group);
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
                return Ok(SetChanged::wrote(false, count));
            }
            (SealedChange::Replace(value), true) => {
                tree.insert(member_key, value)?;
                return Ok(SetChanged::wrote(true, count));
            }
            (SealedChange::Replace(_), false) => return Ok(SetChanged::unchanged(false, count)),
            (SealedChange::Remove, true) => {
                tree.remove(member_key)?;
                count.saturating_sub(1)
            }
            (SealedChange::Add(_), true) | (SealedChange::Remove, false) => {
                return Ok(SetChanged::unchanged(false, count))
            }
        };
        tree.insert(count_key, &new_count.to_be_bytes())?;
        Ok(SetChanged::wrote(true, new_count))
    }

    pub fn set_add_within(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &dyn Fn() -> StoreResult<Vec<u8>>,
        max: u64,
    ) -> StoreResult<SetAdd> {
        let tree = self.set_tree(set);
        let member_key = member_key(group, member);
        let count_key = count_key(group);
        let _guard = self.group_lock(group);
        let count = read_count(tree.get(&count_key)?)?;
        if tree.contains_key(&member_key)? {
            return Ok(SetAdd::Already(count));
        }
        if count >= max {
            return Ok(SetAdd::Full(count));
        }
        tree.insert(member_key, value()?)?;
        tree.insert(count_key, &(count + 1).to_be_bytes())?;
        Ok(SetAdd::Added(count + 1))
    }

    /// Makes every stored count equal to the number of members of its group.
    /// Returns how many counts had to be repaired.
    pub fn recount_sets(&self) -> StoreResult<u64> {
        let mut repaired = 0;
        for set in CountedSet::ALL {
            let tree = self.set_tree(set);
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
        Ok(self.set_tree(set).contains_key(member_key(group, member))?)
    }

    pub fn set_count(&self, set: CountedSet, group: &[u8]) -> StoreResult<u64> {
        read_count(self.set_tree(set).get(count_key(group))?)
    }

    /// The members of `group` and their stored values, in member order.
    pub fn set_members(&self, set: CountedSet, group: &[u8]) -> StoreResult<Vec<RawRecord>> {
        let prefix = member_key(group, b"");
        self.set_tree(set)
            .scan_prefix(&prefix)
            .map(|item| {
                let (key, value) = item?;
                Ok((key[prefix.len()..].to_vec(), value.to_vec()))
            })
            .collect()
    }

    /// How many members of `group` have each value, in value order (one
    /// scan: sled keeps no per-value counts; the poll totals it feeds stay
    /// in memory on the one node there is).
    pub fn set_value_counts(
        &self,
        set: CountedSet,
        group: &[u8],
    ) -> StoreResult<Vec<(Vec<u8>, u64)>> {
        let mut counts = std::collections::BTreeMap::<Vec<u8>, u64>::new();
        for (_, value) in self.set_members(set, group)? {
            *counts.entry(value).or_default() += 1;
        }
        Ok(counts.into_iter().collect())
    }

    #[cfg(test)]
    pub fn set_members_len(&self, set: CountedSet, group: &[u8]) -> StoreResult<u64> {
        let prefix = member_key(group, b"");
        let mut n = 0;
        for item in self.set_tree(set).scan_prefix(prefix) {
            item?;
            n += 1;
        }
        Ok(n)
    }

    /// Every record and every member, as stored, in key order.
    pub fn scan_all(
        &self,
        visit: &mut dyn FnMut(RawItem<'_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        for table in Table::ALL {
            for item in self.table(table).iter() {
                let (key, value) = item?;
                visit(RawItem::Table {
                    table,
                    key: &key,
                    value: &value,
                })?;
            }
        }
        for set in CountedSet::ALL {
            for item in self.set_tree(set).scan_prefix(b"m") {
                let (key, value) = item?;
                let (group, member) = split_member_key(&key)
                    .ok_or_else(|| StoreError::Corrupt("a member key is malformed".into()))?;
                visit(RawItem::Member {
                    set,
                    group,
                    member,
                    value: &value,
                })?;
            }
        }
        Ok(())
    }

    /// The key ids that sealed records and members use now.
    pub fn live_key_ids(&self) -> StoreResult<HashSet<KeyId>> {
        let mut live = HashSet::new();
        for table in Table::ALL.into_iter().filter(|t| t.is_sealed()) {
            for item in self.table(table).iter() {
                if let Some(id) = keyring::key_id(&item?.1) {
                    live.insert(id);
                }
            }
        }
        for set in CountedSet::ALL.into_iter().filter(|s| s.is_sealed()) {
            for item in self.set_tree(set).scan_prefix(b"m") {
                if let Some(id) = keyring::key_id(&item?.1) {
                    live.insert(id);
                }
            }
        }
        Ok(live)
    }

    pub fn is_empty(&self) -> StoreResult<bool> {
        Ok(self.tables.iter().chain(&self.sets).all(|t| t.is_empty()))
    }

    pub fn put_member_raw(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: Vec<u8>,
    ) -> StoreResult<()> {
        self.set_tree(set)
            .insert(member_key(group, member), value)?;
        Ok(())
    }

    /// Every key and value of a table's or set's tree, as stored.
    pub fn raw_tree(&self, which: Result<Table, CountedSet>) -> StoreResult<Vec<RawRecord>> {
        let tree = match which {
            Ok(table) => self.table(table),
            Err(set) => self.set_tree(set),
        };
        tree.iter()
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), v.to_vec()))
            })
            .collect()
    }

    /// For tests: writes a count as a crash could have left it.
    #[cfg(test)]
    pub fn put_count_for_test(&self, set: CountedSet, group: &[u8], count: u64) {
        self.set_tree(set)
            .insert(count_key(group), &count.to_be_bytes())
            .unwrap();
    }

    #[cfg(test)]
    pub fn put_member_for_test(&self, set: CountedSet, group: &[u8], member: &[u8]) {
        self.set_tree(set)
            .insert(member_key(group, member), b"")
            .unwrap();
    }
}

impl Drop for SledEngine {
    fn drop(&mut self) {
        self.flusher.stop();
    }
}

impl From<FlushError> for StoreError {
    fn from(err: FlushError) -> Self {
        StoreError::Flush(err)
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
            Err(other) => return Err(other.into()),
        }
    }
}

/// `m` + group length + group + member: unambiguous for any bytes.
pub(super) fn member_key(group: &[u8], member: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(3 + group.len() + member.len());
    key.push(b'm');
    key.extend_from_slice(&(group.len() as u16).to_be_bytes());
    key.extend_from_slice(group);
    key.extend_from_slice(member);
    key
}

/// `c` + group.
pub(super) fn count_key(group: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + group.len());
    key.push(b'c');
    key.extend_from_slice(group);
    key
}

/// The group and the member of a member key (see [`member_key`]).
fn split_member_key(key: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u16::from_be_bytes([*key.get(1)?, *key.get(2)?]) as usize;
    Some((key.get(3..3 + len)?, key.get(3 + len..)?))
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
