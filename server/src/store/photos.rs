//! Photo renditions, keyed by the SHA-256 of their bytes (hex), with the
//! initiatives that show them.

use std::sync::Mutex;

use super::{Store, StoreResult, Table};
use crate::photos::PhotoFile;

/// Every change of the owners of a file, so a file is never deleted while
/// another use of it is being added.
static OWNERS: Mutex<()> = Mutex::new(());

fn owners_lock() -> std::sync::MutexGuard<'static, ()> {
    OWNERS.lock().unwrap_or_else(|e| e.into_inner())
}

impl Store {
    /// Adds one use by `owner` to the file `hash`, storing `new_file()` (which
    /// names `owner` once) when there is no such file yet.
    pub fn photo_retain(
        &self,
        hash: &str,
        owner: &str,
        new_file: impl FnOnce() -> PhotoFile,
    ) -> StoreResult<()> {
        let _lock = owners_lock();
        let added = self.update(Table::Photos, hash.as_bytes(), |mut file: PhotoFile| {
            file.owners.push(owner.to_string());
            Ok::<_, std::convert::Infallible>(file)
        })?;
        if added.is_none() {
            self.put(Table::Photos, hash.as_bytes(), &new_file())?;
        }
        Ok(())
    }

    /// Ends one use of the file `hash` by `owner`; deletes the file when it
    /// was the last. Returns whether a file was deleted.
    pub fn photo_release(&self, hash: &str, owner: &str) -> StoreResult<bool> {
        let _lock = owners_lock();
        let updated = self.update(Table::Photos, hash.as_bytes(), |mut file: PhotoFile| {
            if let Some(at) = file.owners.iter().position(|o| o == owner) {
                file.owners.remove(at);
            }
            Ok::<_, std::convert::Infallible>(file)
        })?;
        match updated {
            Some(Ok(file)) if file.owners.is_empty() => {
                self.remove(Table::Photos, hash.as_bytes())?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    pub fn photo_get(&self, hash: &str) -> StoreResult<Option<PhotoFile>> {
        self.get(Table::Photos, hash.as_bytes())
    }
}
