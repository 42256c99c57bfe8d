//! Record keys, so that erasing is real on disk.
//!
//! sled is log-structured: a record that is overwritten or removed stays
//! readable in older log segments until sled happens to reuse them, so an
//! erased e-mail address or a deleted webhook's secret would still be in the
//! data directory. Records that may hold personal data or secrets are
//! therefore stored sealed (ChaCha20-Poly1305) with a key of their own, made
//! afresh for every write. The keys live here, in one small file beside
//! sled's, outside its log. [`Keyring::keep_only`] rewrites that file with
//! only the keys live records use: every older version of every sealed
//! record, wherever sled still has it, is then ciphertext whose key exists
//! nowhere. Erasure (and deleting a webhook) ends with that rewrite.
//!
//! The file is a sequence of 48-byte entries (a 16-byte key id, a 32-byte
//! key), appended and made durable before the record that uses the key is
//! written; a torn last entry (a crash mid-append) is ignored. A rewrite goes
//! to a new file that replaces the old one by rename, so the old file's
//! contents end up in no file of the directory.
//!
//! With PostgreSQL the keys are rows of its `record_keys` table, inserted
//! (committed) before the record that uses the key; a rewrite deletes the
//! others and runs `VACUUM FULL` on that table, which writes it anew and
//! removes the old file. Its WAL and any base backup hold the keys until
//! they age out (the same holds for sled's data on a backup disk).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use super::postgres::PgEngine;
use super::{StoreError, StoreResult};

/// What a sealed value starts with. JSON never starts with a 0 byte.
pub(super) const MAGIC: &[u8; 8] = b"\0mkseal1";
const ID_LEN: usize = 16;
/// The magic and the key id: what [`key_id`] reads.
pub(super) const SEALED_PREFIX_LEN: usize = MAGIC.len() + ID_LEN;
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 12;
const ENTRY_LEN: usize = ID_LEN + KEY_LEN;

pub type KeyId = [u8; ID_LEN];

pub struct Keyring {
    backend: Backend,
    state: Mutex<State>,
}

enum Backend {
    /// `dir/keyring`.
    File(PathBuf),
    Postgres(std::sync::Arc<PgEngine>),
}

struct State {
    /// Appends go here; replaced by a rewrite (none for PostgreSQL).
    file: Option<File>,
    keys: HashMap<KeyId, [u8; KEY_LEN]>,
    /// Keys made since the last rewrite (to tell when one is worth it).
    made: u64,
}

fn io(err: std::io::Error) -> StoreError {
    StoreError::Engine(err.to_string())
}

impl Keyring {
    /// Opens (or makes) `dir/keyring`, and removes a rewrite left half done.
    pub fn open(dir: &Path) -> StoreResult<Keyring> {
        let path = dir.join("keyring");
        let _ = std::fs::remove_file(dir.join("keyring.new"));
        let mut bytes = Vec::new();
        if let Ok(mut file) = File::open(&path) {
            file.read_to_end(&mut bytes).map_err(io)?;
        }
        let mut keys = HashMap::new();
        for entry in bytes.chunks_exact(ENTRY_LEN) {
            let mut id = [0u8; ID_LEN];
            let mut key = [0u8; KEY_LEN];
            id.copy_from_slice(&entry[..ID_LEN]);
            key.copy_from_slice(&entry[ID_LEN..]);
            keys.insert(id, key);
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io)?;
        if bytes.len() % ENTRY_LEN != 0 {
            // A torn entry: its record was never written (the key is made
            // durable first). Cut it off so later appends stay aligned.
            file.set_len((bytes.len() - bytes.len() % ENTRY_LEN) as u64)
                .map_err(io)?;
        }
        Ok(Keyring {
            backend: Backend::File(path),
            state: Mutex::new(State {
                file: Some(file),
                keys,
                made: 0,
            }),
        })
    }

    /// The keys in PostgreSQL's `record_keys` table.
    pub fn open_postgres(pg: std::sync::Arc<PgEngine>) -> StoreResult<Keyring> {
        let keys = pg
            .record_keys()?
            .into_iter()
            .filter_map(|(id, key)| Some((id.try_into().ok()?, key.try_into().ok()?)))
            .collect();
        Ok(Keyring {
            backend: Backend::Postgres(pg),
            state: Mutex::new(State {
                file: None,
                keys,
                made: 0,
            }),
        })
    }

    /// Forgets the keys held in memory (PostgreSQL: another node rewrote
    /// the keyring; a key still in use is read again when needed, so an
    /// erased record's key does not live on in this node's memory).
    pub fn forget_cached(&self) {
        if let Backend::Postgres(_) = &self.backend {
            self.state().keys.clear();
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `plain` sealed with a new key, which is on disk before this returns.
    pub fn seal(&self, plain: &[u8]) -> StoreResult<Vec<u8>> {
        self.seal_with(plain, true)
    }

    /// As [`Keyring::seal`], without waiting for the disk: for an import,
    /// which is valid only once complete and ends with [`Keyring::sync`].
    pub fn seal_for_import(&self, plain: &[u8]) -> StoreResult<Vec<u8>> {
        self.seal_with(plain, false)
    }

    /// Puts every key made so far on disk.
    pub fn sync(&self) -> StoreResult<()> {
        match &self.state().file {
            Some(file) => file.sync_data().map_err(io),
            None => Ok(()),
        }
    }

    fn seal_with(&self, plain: &[u8], durable: bool) -> StoreResult<Vec<u8>> {
        let id: KeyId = rand::random();
        let key: [u8; KEY_LEN] = rand::random();
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = ChaCha20Poly1305::new(Key::from_slice(&key))
            .encrypt(Nonce::from_slice(&nonce), plain)
            .map_err(|_| StoreError::Corrupt("a record could not be sealed".into()))?;
        if let Backend::Postgres(pg) = &self.backend {
            // Committed before the record is written (`synchronous_commit`).
            pg.insert_record_key(&id, &key)?;
            let mut state = self.state();
            state.keys.insert(id, key);
            state.made += 1;
        } else {
            let mut state = self.state();
            let mut entry = [0u8; ENTRY_LEN];
            entry[..ID_LEN].copy_from_slice(&id);
            entry[ID_LEN..].copy_from_slice(&key);
            let file = state.file.as_mut().expect("a file keyring has its file");
            file.write_all(&entry).map_err(io)?;
            if durable {
                file.sync_data().map_err(io)?;
            }
            state.keys.insert(id, key);
            state.made += 1;
        }
        let mut out = Vec::with_capacity(MAGIC.len() + ID_LEN + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plain bytes of a stored value: opened when sealed, as they are
    /// otherwise (records from before sealing, unsealed tables).
    pub fn open_value(&self, stored: &[u8]) -> StoreResult<Vec<u8>> {
        let Some(id) = key_id(stored) else {
            return Ok(stored.to_vec());
        };
        let rest = &stored[MAGIC.len() + ID_LEN..];
        if rest.len() < NONCE_LEN {
            return Err(StoreError::Corrupt("a sealed record is cut short".into()));
        }
        let known = self.state().keys.get(&id).copied();
        let key = match (known, &self.backend) {
            (Some(key), _) => key,
            // Made by another node since this one loaded the keys.
            (None, Backend::Postgres(pg)) => {
                let key: [u8; KEY_LEN] = pg
                    .record_key(&id)?
                    .and_then(|key| key.try_into().ok())
                    .ok_or_else(|| {
                        StoreError::Corrupt("a sealed record's key is missing".into())
                    })?;
                self.state().keys.insert(id, key);
                key
            }
            (None, Backend::File(_)) => {
                return Err(StoreError::Corrupt(
                    "a sealed record's key is missing".into(),
                ))
            }
        };
        ChaCha20Poly1305::new(Key::from_slice(&key))
            .decrypt(Nonce::from_slice(&rest[..NONCE_LEN]), &rest[NONCE_LEN..])
            .map_err(|_| StoreError::Corrupt("a sealed record does not open".into()))
    }

    /// How many keys were made since the last rewrite.
    pub fn made_since_rewrite(&self) -> u64 {
        self.state().made
    }

    /// Rewrites the file with only the keys in `live` and forgets the others,
    /// on disk too. Returns how many keys were dropped. The caller makes sure
    /// no key is made between its scan for `live` and this call (the store
    /// seals only under its write barrier, which the caller holds).
    pub fn keep_only(&self, live: &std::collections::HashSet<KeyId>) -> StoreResult<usize> {
        let mut state = self.state();
        state.made = 0;
        let before = state.keys.len();
        state.keys.retain(|id, _| live.contains(id));
        let dropped = before - state.keys.len();
        let path = match &self.backend {
            Backend::File(path) => path,
            Backend::Postgres(pg) => {
                let live: Vec<&[u8]> = live.iter().map(|id| &id[..]).collect();
                return pg.keep_only_record_keys(&live);
            }
        };
        let new_path = path.with_file_name("keyring.new");
        {
            let mut file = File::create(&new_path).map_err(io)?;
            let mut bytes = Vec::with_capacity(state.keys.len() * ENTRY_LEN);
            for (id, key) in &state.keys {
                bytes.extend_from_slice(id);
                bytes.extend_from_slice(key);
            }
            file.write_all(&bytes).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        std::fs::rename(&new_path, path).map_err(io)?;
        if let Some(dir) = path.parent() {
            File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        }
        state.file = Some(OpenOptions::new().append(true).open(path).map_err(io)?);
        Ok(dropped)
    }
}

/// The key id of a sealed value; `None` for a plain one.
pub fn key_id(stored: &[u8]) -> Option<KeyId> {
    if !stored.starts_with(MAGIC) || stored.len() < MAGIC.len() + ID_LEN {
        return None;
    }
    let mut id = [0u8; ID_LEN];
    id.copy_from_slice(&stored[MAGIC.len()..MAGIC.len() + ID_LEN]);
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_until_their_key_is_dropped_also_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::open(dir.path()).unwrap();
        let kept = ring.seal(b"{\"name\":\"Anja\"}").unwrap();
        let dropped = ring.seal(b"{\"name\":\"Piet\"}").unwrap();
        assert!(!kept.windows(4).any(|w| w == b"Anja"), "sealed, not plain");
        assert_eq!(ring.open_value(&kept).unwrap(), b"{\"name\":\"Anja\"}");
        assert_eq!(ring.open_value(b"{\"plain\":1}").unwrap(), b"{\"plain\":1}");
        drop(ring);
        let ring = Keyring::open(dir.path()).unwrap();
        assert_eq!(ring.open_value(&dropped).unwrap(), b"{\"name\":\"Piet\"}");
        let live = [key_id(&kept).unwrap()].into_iter().collect();
        assert_eq!(ring.keep_only(&live).unwrap(), 1);
        assert!(ring.open_value(&dropped).is_err());
        drop(ring);
        let ring = Keyring::open(dir.path()).unwrap();
        assert!(ring.open_value(&dropped).is_err(), "gone from the file too");
        assert_eq!(ring.open_value(&kept).unwrap(), b"{\"name\":\"Anja\"}");
        assert_eq!(
            std::fs::metadata(dir.path().join("keyring")).unwrap().len(),
            48
        );
    }

    #[test]
    fn a_torn_last_entry_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::open(dir.path()).unwrap();
        let sealed = ring.seal(b"{}").unwrap();
        drop(ring);
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join("keyring"))
            .unwrap();
        file.write_all(&[7u8; 20]).unwrap();
        drop(file);
        let ring = Keyring::open(dir.path()).unwrap();
        assert_eq!(ring.open_value(&sealed).unwrap(), b"{}");
        let again = ring.seal(b"[]").unwrap();
        drop(ring);
        let ring = Keyring::open(dir.path()).unwrap();
        assert_eq!(ring.open_value(&again).unwrap(), b"[]");
    }
}
