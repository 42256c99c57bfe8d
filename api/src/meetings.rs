//! Meetings ("bijeenkomsten") of an initiative: the step from a click to
//! people in one room (or one call).
//!
//! Times are instants on the wire (seconds since the Unix epoch); the widgets,
//! the console, the calendar files and the printed flyers show them in
//! Europe/Amsterdam.
//!
//! Routes (public; `{c}` a community slug, `{id}` an initiative, `{m}` a meeting):
//! - `GET  /api/v1/communities/{c}/meetings?area=&past=true` → [`MeetingList`]: the
//!   community's meetings of published initiatives (the agenda). `upcoming` is
//!   ascending by start (still going on counts as upcoming); `past` (only with
//!   `past=true`, else empty) is the newest 20 that ended, descending.
//! - `GET  /api/v1/communities/{c}/initiatives/{id}/meetings` → [`MeetingList`] (all of the
//!   initiative's meetings, past ones in `past`).
//! - `POST /api/v1/communities/{c}/initiatives/{id}/meetings` with `Mekaar-Manage` and a
//!   [`MeetingInput`] → 201 [`Meeting`].
//! - `GET  /api/v1/communities/{c}/meetings/{m}` → [`Meeting`].
//! - `PATCH /api/v1/communities/{c}/meetings/{m}` with `Mekaar-Manage` (of the meeting's
//!   initiative) and a [`MeetingEdit`] → [`Meeting`]; `{"cancelled": true}` cancels
//!   (a cancelled meeting stays listed as cancelled; `false` reinstates it).
//! - `GET|PUT|DELETE /api/v1/communities/{c}/meetings/{m}/attend` with `Mekaar-Voter` →
//!   [`AttendState`] ("ik kom": idempotent, withdrawable; PUT on a full meeting is
//!   409 `meeting_full`, on a cancelled or ended one 409 `meeting_closed`; DELETE works
//!   also after a cancellation or the end).
//! - Calendar files (`text/calendar; charset=utf-8`, RFC 5545, times with
//!   `TZID=Europe/Amsterdam` and its VTIMEZONE, stable UIDs `{m}@{host}`):
//!   `/api/v1/communities/{c}/meetings.ics` (the community: a `webcal://` subscription),
//!   `/api/v1/communities/{c}/initiatives/{id}/meetings.ics`,
//!   `/api/v1/communities/{c}/meetings/{m}.ics`.
//!
//! Admin (roles admin and moderator):
//! - `GET|POST /api/v1/admin/communities/{c}/initiatives/{id}/meetings`
//! - `PATCH /api/v1/admin/communities/{c}/meetings/{m}`

use serde::{Deserialize, Serialize};

/// Longest texts of a meeting, in characters.
pub mod limits {
    pub const TITLE: usize = 120;
    pub const PLACE: usize = 200;
    pub const URL: usize = 500;
    pub const DESCRIPTION: usize = 2_000;
    /// Largest capacity a meeting may have.
    pub const CAPACITY_MAX: u32 = 100_000;
    /// Longest a meeting may last (two days), in seconds.
    pub const DURATION_MAX: u64 = 2 * 24 * 3600;
}

/// A meeting as anyone sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Meeting {
    pub id: String,
    pub community: String,
    /// The initiative's id.
    pub initiative: String,
    /// The initiative's title, for the agenda.
    pub initiative_title: String,
    /// The initiative's area (the agenda filters by it).
    #[serde(default)]
    pub area: Option<String>,
    pub title: String,
    /// Seconds since the Unix epoch.
    pub starts_at: u64,
    pub ends_at: u64,
    /// An address, e.g. "Dorpshuis De Schakel, Kerkstraat 4, Baarlo".
    #[serde(default)]
    pub place: Option<String>,
    /// An `http(s)` link to an online meeting.
    #[serde(default)]
    pub online_url: Option<String>,
    /// Most people who can come; `None` is unlimited.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Plain text, paragraphs separated by blank lines. Never HTML.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub cancelled: bool,
    /// Residents who said "ik kom".
    pub attendee_count: u64,
    pub created_at: u64,
    #[serde(default)]
    pub updated_at: u64,
}

impl Meeting {
    /// True when the capacity is reached.
    pub fn is_full(&self) -> bool {
        self.capacity
            .is_some_and(|c| self.attendee_count >= u64::from(c))
    }
}

/// A list of meetings (the agenda, or one initiative's).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct MeetingList {
    /// Not yet ended, soonest first.
    pub upcoming: Vec<Meeting>,
    /// Ended, newest first.
    #[serde(default)]
    pub past: Vec<Meeting>,
}

/// Body of adding a meeting. At least one of `place` and `online_url`.
/// Refusals: `meeting_in_past` (start before now), `meeting_end_before_start`
/// (end not after start, or longer than [`limits::DURATION_MAX`]), `invalid_field`
/// (also a start more than five years ahead, or an initiative that has 100 meetings).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    pub title: String,
    pub starts_at: u64,
    pub ends_at: u64,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub online_url: Option<String>,
    #[serde(default)]
    pub capacity: Option<u32>,
    #[serde(default)]
    pub description: String,
}

/// Body of changing a meeting; every field optional. `place`, `online_url` and
/// `capacity`: absent unchanged, `null` removed (so `None` is left out when written).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MeetingEdit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<u64>,
    #[serde(
        default,
        deserialize_with = "crate::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub place: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub online_url: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "crate::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub capacity: Option<Option<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled: Option<bool>,
}

/// One resident's "ik kom" for one meeting, and the current count.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct AttendState {
    pub attending: bool,
    pub attendee_count: u64,
    /// The capacity is reached (a resident already attending still is).
    pub full: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_writes_only_what_it_changes_and_null_for_a_removal() {
        let cancel = MeetingEdit {
            cancelled: Some(true),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&cancel).unwrap(),
            r#"{"cancelled":true}"#
        );
        let back: MeetingEdit = serde_json::from_str(r#"{"cancelled":true}"#).unwrap();
        assert_eq!(back.place, None, "absent: unchanged");
        let remove = MeetingEdit {
            capacity: Some(None),
            ..Default::default()
        };
        let text = serde_json::to_string(&remove).unwrap();
        assert_eq!(text, r#"{"capacity":null}"#);
        let back: MeetingEdit = serde_json::from_str(&text).unwrap();
        assert_eq!(back.capacity, Some(None), "null: removed");
    }
}
