//! Meetings ("bijeenkomsten") of initiatives: added by the initiator (with
//! the manage token) or by a moderator, edited, cancelled (and still listed,
//! as cancelled), listed per initiative and as the community's agenda, "ik
//! kom" per voter key (a counted set, never over the capacity), and calendar
//! files (`ics`). The wire contract is `mekaar_api::meetings`.

pub mod ics;

use std::collections::HashMap;

use mekaar_api::meetings::{limits, AttendState, Meeting, MeetingEdit, MeetingInput, MeetingList};
use mekaar_api::{ErrorCode, WebhookEvent};
use serde::{Deserialize, Serialize};

use crate::communities::{check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives::{self, optional_paragraphs, Initiative};
use crate::mail;
use crate::moderation;
use crate::secrets;
use crate::store::{SetAdd, Store};
use crate::supports::voter;
use crate::webhooks;

/// Most meetings one initiative may have (past ones included).
pub const PER_INITIATIVE_MAX: usize = 100;
/// Ended meetings the agenda shows with `past=true`.
pub const AGENDA_PAST: usize = 20;
/// How far ahead a meeting may be planned (five years).
pub const AHEAD_MAX_SECS: u64 = 5 * 365 * 24 * 3600;

/// A meeting as stored. Its attendees are the counted set `attendees`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredMeeting {
    pub id: String,
    pub community: String,
    pub initiative: String,
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
    #[serde(default)]
    pub cancelled: bool,
    pub created_at: u64,
    #[serde(default)]
    pub updated_at: u64,
    /// How often it was changed: the calendar files' SEQUENCE.
    #[serde(default)]
    pub sequence: u32,
}

/// Who adds or changes a meeting.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    /// The initiator, with the `Mekaar-Manage` header's token (if any).
    Initiator(Option<&'a str>),
    /// A moderator or admin, as the audit log names them.
    Staff(&'a str),
}

impl Who<'_> {
    fn actor(&self) -> &str {
        match self {
            Who::Initiator(_) => moderation::ACTOR_INITIATOR,
            Who::Staff(actor) => actor,
        }
    }

    /// Passes for staff, and for the initiator with the initiative's token.
    fn check(&self, initiative: &Initiative) -> ApiResult<()> {
        match self {
            Who::Initiator(token) => initiatives::check_manage_token(initiative, *token),
            Who::Staff(_) => Ok(()),
        }
    }
}

pub fn not_found(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::MeetingNotFound,
        format!("There is no meeting `{id}` in this community."),
    )
}

/// A meeting as stored, whatever its initiative's state.
pub fn stored(store: &Store, community: &Community, id: &str) -> ApiResult<StoredMeeting> {
    if !secrets::is_plausible_id(id) {
        return Err(not_found(id));
    }
    store
        .meeting_get(&community.slug, id)?
        .ok_or_else(|| not_found(id))
}

/// Every meeting of the community, in id order.
fn all(store: &Store, community: &Community) -> ApiResult<Vec<StoredMeeting>> {
    Ok(store.meetings_of_community(&community.slug)?)
}

/// The wire form: with the initiative's title and area and the count.
pub fn view(
    store: &Store,
    community: &Community,
    meeting: &StoredMeeting,
    initiative: &Initiative,
) -> ApiResult<Meeting> {
    Ok(Meeting {
        id: meeting.id.clone(),
        community: meeting.community.clone(),
        initiative: meeting.initiative.clone(),
        initiative_title: initiative.title.clone(),
        area: initiative.area.clone(),
        title: meeting.title.clone(),
        starts_at: meeting.starts_at,
        ends_at: meeting.ends_at,
        place: meeting.place.clone(),
        online_url: meeting.online_url.clone(),
        capacity: meeting.capacity,
        description: meeting.description.clone(),
        cancelled: meeting.cancelled,
        attendee_count: store.attendee_count(&community.slug, &meeting.id)?,
        created_at: meeting.created_at,
        updated_at: meeting.updated_at,
    })
}

/// A meeting and its initiative, as the public may see them: 404
/// `meeting_not_found` also when the initiative is not published.
fn public_pair(
    store: &Store,
    community: &Community,
    id: &str,
) -> ApiResult<(StoredMeeting, Initiative)> {
    let meeting = stored(store, community, id)?;
    match initiatives::get(store, community, &meeting.initiative) {
        Ok(initiative) if initiative.is_public() => Ok((meeting, initiative)),
        _ => Err(not_found(id)),
    }
}

/// A meeting the public may see (its initiative is published); for the
/// share pages, posters and mails too.
pub fn get_public(store: &Store, community: &Community, id: &str) -> ApiResult<Meeting> {
    let (meeting, initiative) = public_pair(store, community, id)?;
    view(store, community, &meeting, &initiative)
}

/// A meeting with its SEQUENCE, for one meeting's calendar file.
pub fn get_public_with_sequence(
    store: &Store,
    community: &Community,
    id: &str,
) -> ApiResult<(Meeting, u32)> {
    let (meeting, initiative) = public_pair(store, community, id)?;
    Ok((
        view(store, community, &meeting, &initiative)?,
        meeting.sequence,
    ))
}

/// The meetings of a published initiative (404 `initiative_not_found`
/// otherwise): coming ones soonest first, ended ones newest first.
pub fn of_initiative(
    store: &Store,
    community: &Community,
    initiative_id: &str,
    now: u64,
) -> ApiResult<MeetingList> {
    let initiative = initiatives::get_public(store, community, initiative_id)?;
    Ok(split(of(store, community, &initiative)?, now, usize::MAX))
}

/// The meetings of any initiative (for its initiator and moderators).
pub fn of_initiative_any(
    store: &Store,
    community: &Community,
    initiative_id: &str,
    now: u64,
) -> ApiResult<MeetingList> {
    let initiative = initiatives::get(store, community, initiative_id)?;
    Ok(split(of(store, community, &initiative)?, now, usize::MAX))
}

/// An initiative's meetings with their sequences, unsorted.
pub fn of(
    store: &Store,
    community: &Community,
    initiative: &Initiative,
) -> ApiResult<Vec<(Meeting, u32)>> {
    all(store, community)?
        .into_iter()
        .filter(|m| m.initiative == initiative.id)
        .map(|m| Ok((view(store, community, &m, initiative)?, m.sequence)))
        .collect()
}

/// The agenda's filters (from the query string).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgendaQuery {
    pub area: Option<String>,
    #[serde(default)]
    pub past: Option<bool>,
}

/// Every meeting of the community's published initiatives (in `area`, if
/// given), with their sequences, unsorted.
pub fn published(
    store: &Store,
    community: &Community,
    area: Option<&str>,
) -> ApiResult<Vec<(Meeting, u32)>> {
    let area = area.map(str::trim).filter(|a| !a.is_empty());
    let public: HashMap<String, Initiative> = initiatives::all(store, community)?
        .into_iter()
        .filter(|i| i.is_public() && area.is_none_or(|a| i.area.as_deref() == Some(a)))
        .map(|i| (i.id.clone(), i))
        .collect();
    all(store, community)?
        .into_iter()
        .filter_map(|m| public.get(&m.initiative).map(|i| (m, i)))
        .map(|(m, i)| Ok((view(store, community, &m, i)?, m.sequence)))
        .collect()
}

/// The community's agenda: coming meetings of published initiatives; with
/// `past`, also the newest [`AGENDA_PAST`] that ended.
pub fn agenda(
    store: &Store,
    community: &Community,
    query: &AgendaQuery,
    now: u64,
) -> ApiResult<MeetingList> {
    let meetings = published(store, community, query.area.as_deref())?;
    let past = if query.past == Some(true) {
        AGENDA_PAST
    } else {
        0
    };
    Ok(split(meetings, now, past))
}

/// Coming (not yet ended) soonest first; ended newest first, at most `past_max`.
pub fn split(meetings: Vec<(Meeting, u32)>, now: u64, past_max: usize) -> MeetingList {
    let (mut upcoming, mut past): (Vec<Meeting>, Vec<Meeting>) = meetings
        .into_iter()
        .map(|(m, _)| m)
        .partition(|m| m.ends_at > now);
    upcoming.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id)));
    past.sort_by(|a, b| b.starts_at.cmp(&a.starts_at).then_with(|| a.id.cmp(&b.id)));
    past.truncate(past_max);
    MeetingList { upcoming, past }
}

/// Orders a calendar file's meetings: by start, then id.
pub fn by_start(mut meetings: Vec<(Meeting, u32)>) -> Vec<(Meeting, u32)> {
    meetings.sort_by(|(a, _), (b, _)| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id)));
    meetings
}

// ------------------------------------------------------------ validation

/// The fields of a meeting, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub title: String,
    pub starts_at: u64,
    pub ends_at: u64,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub capacity: Option<u32>,
    pub description: String,
}

/// Checks a new meeting at `now`.
pub fn check_input(input: &MeetingInput, now: u64) -> ApiResult<Checked> {
    let checked = Checked {
        title: check_text("title", &input.title, limits::TITLE)?,
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        place: check_place(input.place.as_deref())?,
        online_url: check_online_url(input.online_url.as_deref())?,
        capacity: check_capacity(input.capacity)?,
        description: optional_paragraphs("description", &input.description, limits::DESCRIPTION)?,
    };
    check_start(checked.starts_at, now)?;
    check_times(checked.starts_at, checked.ends_at)?;
    check_where(&checked.place, &checked.online_url)?;
    Ok(checked)
}

/// A start not before `now`, and not more than [`AHEAD_MAX_SECS`] after it.
fn check_start(starts_at: u64, now: u64) -> ApiResult<()> {
    if starts_at < now {
        return Err(ApiError::new(
            ErrorCode::MeetingInPast,
            "A meeting cannot start before now.",
        ));
    }
    if starts_at > now.saturating_add(AHEAD_MAX_SECS) {
        return Err(ApiError::invalid_field(
            "starts_at",
            "is more than five years from now",
        ));
    }
    Ok(())
}

/// An end after the start, at most [`limits::DURATION_MAX`] later.
fn check_times(starts_at: u64, ends_at: u64) -> ApiResult<()> {
    if ends_at <= starts_at || ends_at - starts_at > limits::DURATION_MAX {
        return Err(ApiError::new(
            ErrorCode::MeetingEndBeforeStart,
            "A meeting must end after it starts, and last at most two days.",
        ));
    }
    Ok(())
}

fn check_where(place: &Option<String>, online_url: &Option<String>) -> ApiResult<()> {
    if place.is_none() && online_url.is_none() {
        return Err(ApiError::invalid_field(
            "place",
            "give a place or an online link (online_url)",
        ));
    }
    Ok(())
}

/// Empty or absent is none; otherwise one line of at most [`limits::PLACE`].
fn check_place(place: Option<&str>) -> ApiResult<Option<String>> {
    match place.map(str::trim) {
        None | Some("") => Ok(None),
        Some(place) => Ok(Some(check_text("place", place, limits::PLACE)?)),
    }
}

/// Empty or absent is none; otherwise an absolute `http(s)` URL.
pub fn check_online_url(url: Option<&str>) -> ApiResult<Option<String>> {
    let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let url = check_text("online_url", url, limits::URL)?;
    let bad = || ApiError::invalid_field("online_url", "must be an http:// or https:// link");
    let parsed = url::Url::parse(&url).map_err(|_| bad())?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.host_str().is_none_or(str::is_empty)
        || url.contains(char::is_whitespace)
    {
        return Err(bad());
    }
    Ok(Some(url))
}

fn check_capacity(capacity: Option<u32>) -> ApiResult<Option<u32>> {
    match capacity {
        Some(c) if !(1..=limits::CAPACITY_MAX).contains(&c) => Err(ApiError::invalid_field(
            "capacity",
            format!("must be between 1 and {}", limits::CAPACITY_MAX),
        )),
        other => Ok(other),
    }
}

/// Applies `edit` to `meeting` at `now` (nothing stored).
pub fn apply_edit(meeting: &mut StoredMeeting, edit: &MeetingEdit, now: u64) -> ApiResult<()> {
    if let Some(title) = &edit.title {
        meeting.title = check_text("title", title, limits::TITLE)?;
    }
    let starts_at = edit.starts_at.unwrap_or(meeting.starts_at);
    let ends_at = edit.ends_at.unwrap_or(meeting.ends_at);
    if starts_at != meeting.starts_at {
        check_start(starts_at, now)?;
    }
    if starts_at != meeting.starts_at || ends_at != meeting.ends_at {
        check_times(starts_at, ends_at)?;
    }
    meeting.starts_at = starts_at;
    meeting.ends_at = ends_at;
    if let Some(place) = &edit.place {
        meeting.place = check_place(place.as_deref())?;
    }
    if let Some(url) = &edit.online_url {
        meeting.online_url = check_online_url(url.as_deref())?;
    }
    check_where(&meeting.place, &meeting.online_url)?;
    if let Some(capacity) = edit.capacity {
        meeting.capacity = check_capacity(capacity)?;
    }
    if let Some(description) = &edit.description {
        meeting.description = optional_paragraphs("description", description, limits::DESCRIPTION)?;
    }
    if let Some(cancelled) = edit.cancelled {
        meeting.cancelled = cancelled;
    }
    Ok(())
}

// ---------------------------------------------------------------- changes

/// Adds a meeting to an initiative (any moderation state: an initiator
/// may plan one while waiting for approval; the public sees it once the
/// initiative is published). Audited, announced.
pub fn add(
    store: &Store,
    community: &Community,
    initiative_id: &str,
    input: MeetingInput,
    who: Who<'_>,
) -> ApiResult<Meeting> {
    let initiative = initiatives::get(store, community, initiative_id)?;
    who.check(&initiative)?;
    let now = secrets::now_secs();
    let checked = check_input(&input, now)?;
    let existing = all(store, community)?
        .iter()
        .filter(|m| m.initiative == initiative.id)
        .count();
    if existing >= PER_INITIATIVE_MAX {
        return Err(ApiError::invalid_field(
            "initiative",
            format!("already has {PER_INITIATIVE_MAX} meetings, the most one initiative may have"),
        ));
    }
    let meeting = StoredMeeting {
        id: secrets::new_id(),
        community: community.slug.clone(),
        initiative: initiative.id.clone(),
        title: checked.title,
        starts_at: checked.starts_at,
        ends_at: checked.ends_at,
        place: checked.place,
        online_url: checked.online_url,
        capacity: checked.capacity,
        description: checked.description,
        cancelled: false,
        created_at: now,
        updated_at: now,
        sequence: 0,
    };
    insert(store, &meeting)?;
    audit(store, community, &who, "meeting_add", None, &meeting, "")?;
    let view = view(store, community, &meeting, &initiative)?;
    announce_added(store, community, &view, &initiative)?;
    Ok(view)
}

/// Stores a new meeting (also the demo's).
pub fn insert(store: &Store, meeting: &StoredMeeting) -> ApiResult<()> {
    if !store.meeting_insert(meeting)? {
        return Err(ApiError::internal("a new meeting id was taken"));
    }
    Ok(())
}

/// Stores a meeting over whatever had its id (the demo's seeds).
pub fn save(store: &Store, meeting: &StoredMeeting) -> ApiResult<()> {
    Ok(store.meeting_put(meeting)?)
}

/// Changes, cancels or reinstates a meeting. Audited (`meeting_edit`,
/// `meeting_cancel`).
pub fn edit(
    store: &Store,
    community: &Community,
    id: &str,
    edit: MeetingEdit,
    who: Who<'_>,
) -> ApiResult<Meeting> {
    let before = stored(store, community, id)?;
    let initiative = initiatives::get(store, community, &before.initiative)?;
    who.check(&initiative)?;
    let now = secrets::now_secs();
    let mut before_write = None;
    let after = store.meeting_update(&community.slug, id, |mut meeting| {
        let old = meeting.clone();
        apply_edit(&mut meeting, &edit, now)?;
        if meeting != old {
            meeting.sequence = old.sequence.saturating_add(1);
            meeting.updated_at = now.max(old.updated_at);
        }
        before_write = Some(old);
        Ok::<_, ApiError>(meeting)
    })?;
    let after = match after {
        Some(result) => result?,
        None => return Err(not_found(id)),
    };
    let before = before_write.unwrap_or(before);
    if after != before {
        let (action, note) = match (before.cancelled, after.cancelled) {
            (false, true) => ("meeting_cancel", ""),
            (true, false) => ("meeting_edit", "reinstated"),
            _ => ("meeting_edit", ""),
        };
        audit(store, community, &who, action, Some(&before), &after, note)?;
    }
    view(store, community, &after, &initiative)
}

fn audit(
    store: &Store,
    community: &Community,
    who: &Who<'_>,
    action: &str,
    before: Option<&StoredMeeting>,
    after: &StoredMeeting,
    note: &str,
) -> ApiResult<()> {
    let value = |m: &StoredMeeting| serde_json::to_value(m).unwrap_or_default();
    let note = if note.is_empty() {
        format!("meeting {}: {}", after.id, after.title)
    } else {
        format!("meeting {}: {} ({note})", after.id, after.title)
    };
    moderation::append_audit(
        store,
        community,
        (who.actor(), action, Some(&after.initiative)),
        note,
        (before.map(value), Some(value(after))),
    )
}

/// A new meeting was added: the community's webhooks hear of it
/// (`meeting_added`, with the meeting and the initiative's card). This is
/// the one place a new meeting is announced: an e-mail announcement to the
/// initiative's followers belongs here too.
pub fn announce_added(
    store: &Store,
    community: &Community,
    meeting: &Meeting,
    initiative: &Initiative,
) -> ApiResult<()> {
    let card = initiatives::card(store, community, initiative)?;
    webhooks::announce_about(
        store,
        community,
        WebhookEvent::MeetingAdded,
        (
            "meeting",
            serde_json::to_value(meeting).map_err(ApiError::internal)?,
        ),
        serde_json::json!({ "initiative": card, "initiative_public": initiative.is_public() }),
    )?;
    // Subscribers hear of it in their next digest (only news of a public initiative).
    if initiative.is_public() {
        mail::announce_meeting(store, community, meeting)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- "ik kom"

fn closed() -> ApiError {
    ApiError::new(
        ErrorCode::MeetingClosed,
        "This meeting was cancelled or has ended.",
    )
}

fn state(meeting: &StoredMeeting, attending: bool, attendee_count: u64) -> AttendState {
    AttendState {
        attending,
        attendee_count,
        full: meeting
            .capacity
            .is_some_and(|c| attendee_count >= u64::from(c)),
    }
}

/// Whether this voter comes, and the count.
pub fn attendance(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
) -> ApiResult<AttendState> {
    let voter = voter(voter_key)?;
    let (meeting, _) = public_pair(store, community, id)?;
    Ok(state(
        &meeting,
        store.attendee_is(&community.slug, id, &voter)?,
        store.attendee_count(&community.slug, id)?,
    ))
}

/// "Ik kom" (idempotent). 409 `meeting_full` when the capacity is reached
/// (not for a resident already coming), 409 `meeting_closed` when it was
/// cancelled or has ended.
pub fn attend(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
) -> ApiResult<AttendState> {
    let voter = voter(voter_key)?;
    let (meeting, _) = public_pair(store, community, id)?;
    let now = secrets::now_secs();
    if meeting.cancelled || now >= meeting.ends_at {
        return Err(closed());
    }
    let max = meeting.capacity.map_or(u64::MAX, u64::from);
    let count = match store.attendee_add_within(&community.slug, id, &voter, now, max)? {
        SetAdd::Added(count) | SetAdd::Already(count) => count,
        SetAdd::Full(_) => {
            return Err(ApiError::new(
                ErrorCode::MeetingFull,
                "This meeting is full.",
            ))
        }
    };
    Ok(state(&meeting, true, count))
}

/// Withdraws "ik kom" (idempotent; also after a cancellation).
pub fn withdraw(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
) -> ApiResult<AttendState> {
    let voter = voter(voter_key)?;
    let (meeting, _) = public_pair(store, community, id)?;
    let count = store.attendee_remove(&community.slug, id, &voter)?;
    Ok(state(&meeting, false, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000;

    fn input() -> MeetingInput {
        MeetingInput {
            title: "Eerste bijeenkomst".into(),
            starts_at: NOW + 3600,
            ends_at: NOW + 7200,
            place: Some("Dorpshuis".into()),
            ..Default::default()
        }
    }

    fn code_of(result: ApiResult<Checked>) -> ErrorCode {
        result.unwrap_err().code
    }

    #[test]
    fn new_meetings_are_checked() {
        assert!(check_input(&input(), NOW).is_ok());
        let with = |change: fn(&mut MeetingInput)| {
            let mut i = input();
            change(&mut i);
            check_input(&i, NOW)
        };
        assert_eq!(
            code_of(with(|i| i.starts_at = NOW - 1)),
            ErrorCode::MeetingInPast
        );
        assert_eq!(
            code_of(with(|i| i.ends_at = i.starts_at)),
            ErrorCode::MeetingEndBeforeStart
        );
        assert_eq!(
            code_of(with(|i| i.ends_at = i.starts_at + limits::DURATION_MAX + 1)),
            ErrorCode::MeetingEndBeforeStart
        );
        assert!(with(|i| i.ends_at = i.starts_at + limits::DURATION_MAX).is_ok());
        assert_eq!(
            code_of(with(|i| i.title = " ".into())),
            ErrorCode::InvalidField
        );
        assert_eq!(
            code_of(with(|i| i.title = "x".repeat(121))),
            ErrorCode::InvalidField
        );
        assert_eq!(code_of(with(|i| i.place = None)), ErrorCode::InvalidField);
        assert_eq!(
            code_of(with(|i| i.capacity = Some(0))),
            ErrorCode::InvalidField
        );
        assert_eq!(
            code_of(with(|i| i.capacity = Some(100_001))),
            ErrorCode::InvalidField
        );
        assert_eq!(
            code_of(with(|i| i.description = "a".repeat(2001))),
            ErrorCode::InvalidField
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://x.nl/",
            "https://",
            "niet een link",
        ] {
            let mut i = input();
            i.place = None;
            i.online_url = Some(bad.into());
            assert_eq!(
                code_of(check_input(&i, NOW)),
                ErrorCode::InvalidField,
                "{bad}"
            );
        }
        let online = with(|i| {
            i.place = None;
            i.online_url = Some("https://meet.example.nl/abc".into());
        });
        assert_eq!(
            online.unwrap().online_url.as_deref(),
            Some("https://meet.example.nl/abc")
        );
        assert_eq!(
            code_of(with(|i| {
                i.starts_at = NOW + AHEAD_MAX_SECS + 1;
                i.ends_at = i.starts_at + 60;
            })),
            ErrorCode::InvalidField
        );
    }

    #[test]
    fn edits_check_only_what_they_change() {
        let mut meeting = StoredMeeting {
            id: "m".into(),
            community: "c".into(),
            initiative: "i".into(),
            title: "Oud".into(),
            starts_at: NOW - 600,
            ends_at: NOW + 600,
            place: Some("Dorpshuis".into()),
            online_url: None,
            capacity: None,
            description: String::new(),
            cancelled: false,
            created_at: NOW - 7200,
            updated_at: NOW - 7200,
            sequence: 0,
        };
        // A meeting going on may get a new title, and be cancelled.
        let edit = MeetingEdit {
            title: Some("Nieuw".into()),
            cancelled: Some(true),
            ..Default::default()
        };
        apply_edit(&mut meeting, &edit, NOW).unwrap();
        assert_eq!((meeting.title.as_str(), meeting.cancelled), ("Nieuw", true));
        // Its start may not move into the past.
        let edit = MeetingEdit {
            starts_at: Some(NOW - 300),
            ..Default::default()
        };
        assert_eq!(
            apply_edit(&mut meeting.clone(), &edit, NOW)
                .unwrap_err()
                .code,
            ErrorCode::MeetingInPast
        );
        // Removing the place without a link leaves it nowhere.
        let edit = MeetingEdit {
            place: Some(None),
            ..Default::default()
        };
        assert_eq!(
            apply_edit(&mut meeting.clone(), &edit, NOW)
                .unwrap_err()
                .code,
            ErrorCode::InvalidField
        );
        let edit = MeetingEdit {
            place: Some(None),
            online_url: Some(Some("https://meet.example.nl/x".into())),
            capacity: Some(Some(12)),
            ..Default::default()
        };
        apply_edit(&mut meeting, &edit, NOW).unwrap();
        assert_eq!(meeting.place, None);
        assert_eq!(meeting.capacity, Some(12));
    }
}
