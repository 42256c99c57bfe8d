//! What the demo community's seeding writes beside the concepts' own functions.

use super::{key, CountedSet, Store, StoreResult};

impl Store {
    /// Adds an attendee (a hashed voter key) to a meeting, as attending at `at`
    /// (seconds), whatever the meeting's capacity.
    pub fn demo_meeting_attendee_add(
        &self,
        community: &str,
        meeting: &str,
        voter: &[u8],
        at: u64,
    ) -> StoreResult<()> {
        self.set_add(
            CountedSet::Attendees,
            &key(&[community, meeting]),
            voter,
            &at.to_be_bytes(),
        )?;
        Ok(())
    }
}
