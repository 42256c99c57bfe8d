//! Residents' reports of initiatives: the counted set `reports`, grouped by
//! initiative (`community` NUL `initiative`, as its supports and joins),
//! one member per hashed voter key, its value the report as JSON.

use mekaar_api::ReportDetail;

use super::{key, CountedSet, Store, StoreError, StoreResult};

fn group(community: &str, initiative: &str) -> Vec<u8> {
    key(&[community, initiative])
}

impl Store {
    /// Records `voter`'s report of the initiative (a voter reports once: a
    /// second report keeps the first). Returns whether it was new, and the count.
    pub fn initiative_report_add(
        &self,
        community: &str,
        initiative: &str,
        voter: &[u8; 16],
        report: &ReportDetail,
    ) -> StoreResult<(bool, u64)> {
        let value = serde_json::to_vec(report).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.set_add(
            CountedSet::Reports,
            &group(community, initiative),
            voter,
            &value,
        )
    }

    /// How many residents reported the initiative.
    pub fn initiative_report_count(&self, community: &str, initiative: &str) -> StoreResult<u64> {
        self.set_count(CountedSet::Reports, &group(community, initiative))
    }

    /// The initiative's reports, in voter-key order (any that do not
    /// decode left out).
    pub fn initiative_reports(
        &self,
        community: &str,
        initiative: &str,
    ) -> StoreResult<Vec<ReportDetail>> {
        Ok(self
            .set_values(CountedSet::Reports, &group(community, initiative))?
            .iter()
            .filter_map(|bytes| serde_json::from_slice(bytes).ok())
            .collect())
    }
}
