//! The audit log of moderation and admin actions: per community, in the
//! order they were written (`community` NUL, the micro-second they were
//! written big-endian, a random id for uniqueness).

use super::{key, Store, StoreResult, Table};
use crate::moderation::AuditEntry;
use crate::secrets;

/// `community` + NUL: the start of every key of the community's log.
fn audit_prefix(community: &str) -> Vec<u8> {
    key(&[community, ""])
}

impl Store {
    /// Appends `entry` to the community's log, after every entry written before.
    pub fn audit_append(&self, community: &str, entry: &AuditEntry) -> StoreResult<()> {
        // Time first so the log reads in order; a random tail keeps keys unique.
        let mut entry_key = audit_prefix(community);
        entry_key.extend_from_slice(&secrets::now_micros().to_be_bytes());
        entry_key.extend_from_slice(secrets::new_id().as_bytes());
        self.put(Table::Audit, &entry_key, entry)
    }

    /// The newest `limit` entries of the community's log, newest first.
    pub fn audit_page(&self, community: &str, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        self.scan_prefix_rev(Table::Audit, &audit_prefix(community), limit)
    }

    /// Offers every entry of the community's log to `change`, in order, and
    /// stores again (in its place) each it changed (returned true for).
    /// Returns how many changed.
    pub fn audit_rewrite(
        &self,
        community: &str,
        mut change: impl FnMut(&mut AuditEntry) -> bool,
    ) -> StoreResult<u64> {
        let mut changed = 0;
        for (key, mut entry) in
            self.scan_prefix_keyed::<AuditEntry>(Table::Audit, &audit_prefix(community))?
        {
            if change(&mut entry) {
                self.put(Table::Audit, &key, &entry)?;
                changed += 1;
            }
        }
        Ok(changed)
    }
}
