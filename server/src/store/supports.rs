//! How supports are stored: the counted set `supports`, one group per
//! initiative (the initiative's key, see `store::initiatives`), one member
//! per supporter (the hashed voter key), whose value is when they supported,
//! in seconds, as 8 big-endian bytes. The count of a group is the
//! initiative's support count.

use super::{CountedSet, Store, StoreResult};

impl Store {
    /// How many support the initiative.
    pub fn support_count(&self, community: &str, initiative: &str) -> StoreResult<u64> {
        self.set_count(
            CountedSet::Supports,
            &Store::initiative_key(community, initiative),
        )
    }

    /// Whether `voter` (a hashed voter key) supports the initiative.
    pub fn is_supporter(
        &self,
        community: &str,
        initiative: &str,
        voter: &[u8],
    ) -> StoreResult<bool> {
        self.set_contains(
            CountedSet::Supports,
            &Store::initiative_key(community, initiative),
            voter,
        )
    }

    /// Adds `voter`'s support, given at `at` (a supporter already there keeps
    /// their first moment). Returns whether it was new, and the count.
    pub fn support_add(
        &self,
        community: &str,
        initiative: &str,
        voter: &[u8],
        at: u64,
    ) -> StoreResult<(bool, u64)> {
        self.set_add(
            CountedSet::Supports,
            &Store::initiative_key(community, initiative),
            voter,
            &at.to_be_bytes(),
        )
    }

    /// Withdraws `voter`'s support. Returns whether it was there, and the count.
    pub fn support_remove(
        &self,
        community: &str,
        initiative: &str,
        voter: &[u8],
    ) -> StoreResult<(bool, u64)> {
        self.set_remove(
            CountedSet::Supports,
            &Store::initiative_key(community, initiative),
            voter,
        )
    }
}
