//! How communities are stored: one record per community in the table
//! `communities`, keyed by its slug as it is. Slugs are a-z, 0-9 and inner
//! hyphens (`mekaar_api::is_valid_slug`), so the key is plain text and the
//! table's key order is the slugs' order.

use super::{Store, StoreResult, Table};
use crate::communities::Community;

fn community_key(slug: &str) -> &[u8] {
    slug.as_bytes()
}

impl Store {
    /// The community's record as stored (a record from before roles still
    /// has its old form: see `Community::migrated`).
    pub fn community_get(&self, slug: &str) -> StoreResult<Option<Community>> {
        self.get(Table::Communities, community_key(slug))
    }

    /// Every community's record as stored, in slug order.
    pub fn communities_all(&self) -> StoreResult<Vec<Community>> {
        self.scan_prefix(Table::Communities, b"")
    }

    /// Stores a new community; false (and nothing written) when its slug is taken.
    pub fn community_insert_new(&self, community: &Community) -> StoreResult<bool> {
        self.insert_new(
            Table::Communities,
            community_key(&community.slug),
            community,
        )
    }

    /// Read-modify-write of the community's record without lost updates:
    /// `change` may run more than once. `None` when there is no such community.
    pub fn community_update<E>(
        &self,
        slug: &str,
        change: impl FnMut(Community) -> Result<Community, E>,
    ) -> StoreResult<Option<Result<Community, E>>> {
        self.update(Table::Communities, community_key(slug), change)
    }

    /// Stores `record` as the community's record as it is, whatever its form
    /// (tests write records as older versions wrote them).
    #[cfg(test)]
    pub(crate) fn community_put_as_written(
        &self,
        slug: &str,
        record: &serde_json::Value,
    ) -> StoreResult<()> {
        self.put(Table::Communities, community_key(slug), record)
    }
}
