//! Meetings of initiatives: records by `community` NUL `meeting id`; their
//! attendees the counted set `attendees`, grouped by the same key, one
//! member per hashed voter key, its value when they said "ik kom"
//! (seconds, big-endian).

use super::{key, CountedSet, SetAdd, Store, StoreResult, Table};
use crate::meetings::StoredMeeting;

fn meeting_key(community: &str, id: &str) -> Vec<u8> {
    key(&[community, id])
}

impl Store {
    pub fn meeting_get(&self, community: &str, id: &str) -> StoreResult<Option<StoredMeeting>> {
        self.get(Table::Meetings, &meeting_key(community, id))
    }

    /// Every meeting of the community, in id order.
    pub fn meetings_of_community(&self, community: &str) -> StoreResult<Vec<StoredMeeting>> {
        self.scan_prefix(Table::Meetings, &key(&[community, ""]))
    }

    /// Stores a new meeting; false when its id was taken (nothing written).
    pub fn meeting_insert(&self, meeting: &StoredMeeting) -> StoreResult<bool> {
        self.insert_new(
            Table::Meetings,
            &meeting_key(&meeting.community, &meeting.id),
            meeting,
        )
    }

    /// Stores a meeting over whatever had its id.
    pub fn meeting_put(&self, meeting: &StoredMeeting) -> StoreResult<()> {
        self.put(
            Table::Meetings,
            &meeting_key(&meeting.community, &meeting.id),
            meeting,
        )
    }

    /// Read-modify-write of a meeting without lost updates (`change` may
    /// run more than once). `None` when there is no such meeting.
    pub fn meeting_update<E>(
        &self,
        community: &str,
        id: &str,
        change: impl FnMut(StoredMeeting) -> Result<StoredMeeting, E>,
    ) -> StoreResult<Option<Result<StoredMeeting, E>>> {
        self.update(Table::Meetings, &meeting_key(community, id), change)
    }

    /// How many said "ik kom".
    pub fn attendee_count(&self, community: &str, meeting: &str) -> StoreResult<u64> {
        self.set_count(CountedSet::Attendees, &meeting_key(community, meeting))
    }

    /// Whether `voter` said "ik kom".
    pub fn attendee_is(
        &self,
        community: &str,
        meeting: &str,
        voter: &[u8; 16],
    ) -> StoreResult<bool> {
        self.set_contains(
            CountedSet::Attendees,
            &meeting_key(community, meeting),
            voter,
        )
    }

    /// `voter` comes (said so at `at`, in seconds), unless the meeting
    /// already has `max` attendees (one already coming stays): checked and
    /// written at once, so the capacity is never exceeded.
    pub fn attendee_add_within(
        &self,
        community: &str,
        meeting: &str,
        voter: &[u8; 16],
        at: u64,
        max: u64,
    ) -> StoreResult<SetAdd> {
        self.set_add_within(
            CountedSet::Attendees,
            &meeting_key(community, meeting),
            voter,
            &at.to_be_bytes(),
            max,
        )
    }

    /// `voter` comes (said so at `at`, in seconds), whatever the capacity
    /// (the demo's seeds). Returns whether it was new, and the count.
    pub fn attendee_add(
        &self,
        community: &str,
        meeting: &str,
        voter: &[u8; 16],
        at: u64,
    ) -> StoreResult<(bool, u64)> {
        self.set_add(
            CountedSet::Attendees,
            &meeting_key(community, meeting),
            voter,
            &at.to_be_bytes(),
        )
    }

    /// `voter` no longer comes. Returns the count after.
    pub fn attendee_remove(
        &self,
        community: &str,
        meeting: &str,
        voter: &[u8; 16],
    ) -> StoreResult<u64> {
        Ok(self
            .set_remove(
                CountedSet::Attendees,
                &meeting_key(community, meeting),
                voter,
            )?
            .1)
    }
}
