//! How joins ("ik doe mee") are stored: the counted set `joins` (its values
//! sealed: they hold names and contacts), one group per initiative (the
//! initiative's key, see `store::initiatives`), one member per joiner (the
//! hashed voter key), whose value is the `JoinDetail` as JSON. An erased
//! joiner keeps their member, so the join keeps counting, with an empty
//! detail.

use mekaar_api::JoinDetail;
use sha2::{Digest, Sha256};

use super::{CountedSet, Store, StoreError, StoreResult};

fn encode_detail(detail: &JoinDetail) -> StoreResult<Vec<u8>> {
    serde_json::to_vec(detail).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// The id of one joiner (see `joins::id_of_joiner`): a hash of the
    /// initiative's key and the stored voter hash, the bytes the ids given out
    /// so far were made of.
    pub fn joiner_id(community: &str, initiative: &str, voter: &[u8]) -> String {
        let group = Store::initiative_key(community, initiative);
        let mut hasher = Sha256::new();
        hasher.update(b"mekaar-joiner\0");
        hasher.update((group.len() as u32).to_be_bytes());
        hasher.update(&group);
        hasher.update(voter);
        crate::secrets::hex(&hasher.finalize()[..8])
    }

    /// How many joined the initiative.
    pub fn join_count(&self, community: &str, initiative: &str) -> StoreResult<u64> {
        self.set_count(
            CountedSet::Joins,
            &Store::initiative_key(community, initiative),
        )
    }

    /// Whether `voter` (a hashed voter key) joined the initiative.
    pub fn has_joined(&self, community: &str, initiative: &str, voter: &[u8]) -> StoreResult<bool> {
        self.set_contains(
            CountedSet::Joins,
            &Store::initiative_key(community, initiative),
            voter,
        )
    }

    /// Adds `voter` as a joiner, or replaces their details. Returns the count.
    pub fn join_put(
        &self,
        community: &str,
        initiative: &str,
        voter: &[u8],
        detail: &JoinDetail,
    ) -> StoreResult<u64> {
        let (_, count) = self.set_put(
            CountedSet::Joins,
            &Store::initiative_key(community, initiative),
            voter,
            &encode_detail(detail)?,
        )?;
        Ok(count)
    }

    /// Replaces the details of `voter` only if they are still a joiner
    /// (never adds them). Returns whether they were.
    pub fn join_replace(
        &self,
        community: &str,
        initiative: &str,
        voter: &[u8],
        detail: &JoinDetail,
    ) -> StoreResult<bool> {
        let (was_there, _) = self.set_replace(
            CountedSet::Joins,
            &Store::initiative_key(community, initiative),
            voter,
            &encode_detail(detail)?,
        )?;
        Ok(was_there)
    }

    /// Withdraws `voter`'s join and deletes their details. Returns the count.
    pub fn join_remove(&self, community: &str, initiative: &str, voter: &[u8]) -> StoreResult<u64> {
        let (_, count) = self.set_remove(
            CountedSet::Joins,
            &Store::initiative_key(community, initiative),
            voter,
        )?;
        Ok(count)
    }

    /// Every joiner of the initiative (their hashed voter key) with their
    /// details, in voter order; `None` for details that do not decode.
    pub fn joiners_of(
        &self,
        community: &str,
        initiative: &str,
    ) -> StoreResult<Vec<(Vec<u8>, Option<JoinDetail>)>> {
        Ok(self
            .set_members(
                CountedSet::Joins,
                &Store::initiative_key(community, initiative),
            )?
            .into_iter()
            .map(|(voter, value)| {
                let value: &[u8] = value.as_ref();
                (voter, serde_json::from_slice(value).ok())
            })
            .collect())
    }
}
