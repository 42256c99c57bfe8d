//! Console sessions, keyed by the SHA-256 of the session id (the id itself
//! lives only in the browser's cookie).

use super::{Store, StoreResult, Table};
use crate::secrets;
use crate::sessions::Session;

fn session_key(session_id: &str) -> Vec<u8> {
    secrets::hash_secret(session_id).into_bytes()
}

impl Store {
    pub fn session_put(&self, session_id: &str, session: &Session) -> StoreResult<()> {
        self.put(Table::Sessions, &session_key(session_id), session)
    }

    pub fn session_get(&self, session_id: &str) -> StoreResult<Option<Session>> {
        self.get(Table::Sessions, &session_key(session_id))
    }

    pub fn session_remove(&self, session_id: &str) -> StoreResult<()> {
        self.remove(Table::Sessions, &session_key(session_id))
    }

    /// Removes every session `doomed` accepts; returns how many.
    pub fn sessions_remove_where(&self, doomed: impl Fn(&Session) -> bool) -> StoreResult<u64> {
        let mut removed = 0;
        for (key, session) in self.scan_prefix_keyed::<Session>(Table::Sessions, b"")? {
            if doomed(&session) {
                self.remove(Table::Sessions, &key)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}
