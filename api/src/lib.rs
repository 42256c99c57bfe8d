//! Wire types shared by the Mekaar server and the widgets.
//!
//! Everything here must build for `wasm32-unknown-unknown` without pulling in
//! heavy dependencies: only `serde` derives and plain functions.

use serde::{Deserialize, Serialize};

pub use error_code::ErrorCode;

#[cfg(feature = "admin")]
pub mod admin;
pub mod discussions;
pub mod dutch_time;
mod error_code;
pub mod meetings;
pub mod polls;
pub mod steps;

/// Version prefix of every JSON API path.
pub const API_PREFIX: &str = "/api/v1";

/// Request header that carries the resident's voter key.
///
/// A header rather than a path or query parameter, so the key never ends up
/// in access logs, browser history or referrers.
pub const VOTER_HEADER: &str = "mekaar-voter";

/// Request header that carries an initiative's private manage token.
pub const MANAGE_HEADER: &str = "mekaar-manage";

/// Longest texts, checked by the server (the widgets use them for `maxlength`).
pub mod limits {
    pub const TITLE: usize = 120;
    pub const SUMMARY: usize = 280;
    pub const STORY: usize = 5_000;
    pub const NAME: usize = 80;
    pub const CONTACT: usize = 200;
    pub const MESSAGE: usize = 1_000;
    pub const REASON: usize = 500;
    pub const UPDATE: usize = 2_000;
    pub const ANSWER: usize = 5_000;
    /// Shortest title and summary a resident may send (a start against junk like "test").
    pub const TITLE_MIN: usize = 5;
    pub const SUMMARY_MIN: usize = 12;
    /// A photo's alt text (what a screen reader says instead of the photo).
    pub const ALT: usize = 300;
    /// Largest photo upload in bytes (the body of `PUT …/photo`).
    pub const PHOTO_BYTES: u64 = 8 * 1024 * 1024;
}

/// Length of a voter key: 128 random bits as lowercase hex.
pub const VOTER_KEY_LEN: usize = 32;

/// True when `key` is 32 lowercase hex characters (128 bits, made by the browser).
pub fn is_valid_voter_key(key: &str) -> bool {
    key.len() == VOTER_KEY_LEN && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Largest accepted length of a community slug.
pub const SLUG_MAX_LEN: usize = 40;

/// A slug is 1–40 characters of `a-z`, `0-9` and inner `-`.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SLUG_MAX_LEN
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// Every error answer of the API: `{"error":{"code":"…","message":"…"}}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ErrorDetail {
    /// Machine-readable, stable, snake_case.
    pub code: ErrorCode,
    /// One human sentence for the webmaster or developer.
    pub message: String,
}

/// What anyone may read about a community.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommunityPublic {
    pub slug: String,
    pub name: String,
    /// Language codes, first is the default (e.g. `["nl", "en"]`).
    pub languages: Vec<String>,
    pub areas: Vec<String>,
    pub themes: Vec<String>,
    pub support_threshold: u64,
    /// Whether new initiatives wait for a moderator (`pre`) or show at once (`post`).
    #[serde(default)]
    pub moderation: ModerationPolicy,
    /// The host site's page that shows the initiatives list widget (an `http(s)` URL);
    /// the widgets link the support button and cards to `{initiatives_page}#mekaar-i={id}`.
    #[serde(default)]
    pub initiatives_page: Option<String>,
    /// Whether e-mail options are offered ("houd me op de hoogte", "link kwijt?"):
    /// the server has `--smtp-url` and the community a from-address.
    #[serde(default)]
    pub mail: bool,
}

/// What a community admin sees: the public part plus the embedding sites.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommunityAdmin {
    #[serde(flatten)]
    pub public: CommunityPublic,
    /// Origins (`https://www.baarlo.nl`) whose pages may embed the widgets.
    pub allowed_origins: Vec<String>,
    /// Reports by different residents after which an initiative is hidden until a
    /// moderator looks at it.
    #[serde(default = "default_reports_before_hide")]
    pub reports_before_hide: u32,
    /// Days after an initiative reached a final status (realised, stopped)
    /// when its initiator's and joiners' personal data are erased; `null`
    /// keeps them.
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// How residents' reactions are moderated and limited.
    #[serde(default)]
    pub reactions: discussions::ReactionSettings,
    /// The community's e-mail sender (`Dorpsraad Baarlo <nieuws@baarlo.nl>` or an
    /// address); `None`: the server's `--mail-from`, if any.
    #[serde(default)]
    pub mail_from: Option<String>,
}

/// Longest `mail_from`, in characters.
pub const MAIL_FROM_MAX: usize = 200;

/// Smallest and largest `retention_days` (ten years).
pub const RETENTION_DAYS_MIN: u32 = 1;
pub const RETENTION_DAYS_MAX: u32 = 3650;

pub const DEFAULT_REPORTS_BEFORE_HIDE: u32 = 3;

fn default_reports_before_hide() -> u32 {
    DEFAULT_REPORTS_BEFORE_HIDE
}

/// Body of `POST /api/v1/admin/communities`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CommunityCreate {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    #[serde(default)]
    pub areas: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub support_threshold: Option<u64>,
    #[serde(default)]
    pub moderation: Option<ModerationPolicy>,
    #[serde(default)]
    pub reports_before_hide: Option<u32>,
    #[serde(default)]
    pub initiatives_page: Option<String>,
    #[serde(default)]
    pub mail_from: Option<String>,
}

/// Body of `PATCH /api/v1/admin/communities/{slug}`: every field optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CommunityUpdate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    #[serde(default)]
    pub allowed_origins: Option<Vec<String>>,
    #[serde(default)]
    pub areas: Option<Vec<String>>,
    #[serde(default)]
    pub themes: Option<Vec<String>>,
    #[serde(default)]
    pub support_threshold: Option<u64>,
    #[serde(default)]
    pub moderation: Option<ModerationPolicy>,
    #[serde(default)]
    pub reports_before_hide: Option<u32>,
    /// Absent: unchanged; `null`: keep personal data; a number of days.
    #[serde(default, deserialize_with = "present")]
    pub retention_days: Option<Option<u32>>,
    /// Absent: unchanged; `null` or `""`: none; else an `http(s)` URL of at most
    /// [`INITIATIVES_PAGE_MAX`] characters, without a fragment.
    #[serde(default, deserialize_with = "present")]
    pub initiatives_page: Option<Option<String>>,
    /// Replaces the reactions settings as a whole.
    #[serde(default)]
    pub reactions: Option<discussions::ReactionSettings>,
    /// Absent: unchanged; `null` or `""`: the server's default; else a from-address.
    #[serde(default, deserialize_with = "present")]
    pub mail_from: Option<Option<String>>,
}

/// Longest `initiatives_page`, in characters.
pub const INITIATIVES_PAGE_MAX: usize = 500;

/// Tells a field that is `null` (`Some(None)`) from one that is absent
/// (`None`, by `#[serde(default)]`).
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Answer to creating a community or a new admin token: the token is shown once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommunityCreated {
    pub community: CommunityAdmin,
    pub admin_token: String,
}

/// Pre-moderation: new initiatives wait for a moderator. Post: visible at once.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ModerationPolicy {
    Pre,
    #[default]
    Post,
}

/// Where an initiative is in its life: idee → zoekt medestanders → in uitvoering →
/// gerealiseerd, or gestopt.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeStatus {
    #[default]
    Idea,
    SeekingSupporters,
    InProgress,
    Realised,
    Stopped,
}

impl InitiativeStatus {
    pub const ALL: [InitiativeStatus; 5] = [
        InitiativeStatus::Idea,
        InitiativeStatus::SeekingSupporters,
        InitiativeStatus::InProgress,
        InitiativeStatus::Realised,
        InitiativeStatus::Stopped,
    ];

    /// The wire name, as in JSON and query strings.
    pub fn as_str(self) -> &'static str {
        match self {
            InitiativeStatus::Idea => "idea",
            InitiativeStatus::SeekingSupporters => "seeking_supporters",
            InitiativeStatus::InProgress => "in_progress",
            InitiativeStatus::Realised => "realised",
            InitiativeStatus::Stopped => "stopped",
        }
    }

    pub fn parse(name: &str) -> Option<InitiativeStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Whether the public sees an initiative.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ModerationState {
    Pending,
    #[default]
    Published,
    Hidden,
    Rejected,
}

/// Body of `POST /api/v1/admin/communities/{slug}/initiatives` (a moderator
/// creates an initiative; it is published at once).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InitiativeCreate {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
}

/// Body of `POST /api/v1/communities/{slug}/initiatives`: a resident starts an
/// initiative, without an account.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InitiativeSubmit {
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub story: String,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
    /// How the initiator is shown, e.g. "Anja, Kloosterstraat".
    pub initiator_name: String,
    /// Seen only by moderators.
    #[serde(default)]
    pub contact_email: Option<String>,
    /// Honeypot: a field people do not see and bots fill in. Must stay empty.
    #[serde(default)]
    pub website: String,
}

/// Answer to a submit: the private manage token is shown this once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeSubmitted {
    pub initiative: InitiativeDetail,
    pub moderation: ModerationState,
    /// Send it as the `Mekaar-Manage` header to edit, post updates and see who joined.
    pub manage_token: String,
}

/// An initiative as a card in a list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativePublic {
    pub id: String,
    pub community: String,
    pub title: String,
    pub summary: String,
    pub area: Option<String>,
    pub theme: Option<String>,
    #[serde(default)]
    pub status: InitiativeStatus,
    #[serde(default)]
    pub initiator_name: String,
    pub support_count: u64,
    pub support_threshold: u64,
    /// When the support count first reached the threshold (seconds since the epoch).
    #[serde(default)]
    pub threshold_reached_at: Option<u64>,
    #[serde(default)]
    pub join_count: u64,
    /// Published reactions in the initiative's thread.
    #[serde(default)]
    pub reaction_count: u64,
    /// Whether the municipality or the community has answered officially.
    #[serde(default)]
    pub answered: bool,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    #[serde(default)]
    pub updated_at: u64,
    /// The initiative's photo, once approved; absent when it has none (the
    /// widget then draws a cover of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
    /// The community's initiatives page on its own site (`CommunityPublic::initiatives_page`),
    /// where `#mekaar-i={id}` opens this initiative; absent when the community has none
    /// (the widgets then link to the server's own page of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The initiative's short link on the Mekaar server (`/i/{code}`, a path): its own
    /// phone page, for sharing, posters and when the community has no page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_url: Option<String>,
}

/// An initiative's photo: two renditions the server made (JPEG, no metadata),
/// at content-hashed addresses that never change (cache them for ever).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Photo {
    /// Path on the Mekaar server (`/photos/{hash}.jpg`): at most 640 px on the long side.
    pub card_url: String,
    /// Path on the Mekaar server: at most 1600 px on the long side.
    pub large_url: String,
    /// What the photo shows, for people who cannot see it. Never empty.
    pub alt: String,
    /// The card rendition's size in pixels (the large one has the same aspect ratio).
    pub width: u32,
    pub height: u32,
}

/// An update posted by the initiator.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeUpdate {
    pub text: String,
    pub posted_at: u64,
}

/// The official answer (reactie van de gemeente).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OfficialAnswer {
    pub text: String,
    pub answered_by: String,
    pub answered_at: u64,
}

/// An initiative with its story, updates and answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeDetail {
    #[serde(flatten)]
    pub card: InitiativePublic,
    /// Plain text: paragraphs separated by blank lines. Never HTML.
    pub story: String,
    pub updates: Vec<InitiativeUpdate>,
    pub answer: Option<OfficialAnswer>,
}

/// A page of initiatives. Filters and sort come from the query string.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeList {
    pub initiatives: Vec<InitiativePublic>,
    /// How many match the filters, on all pages.
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub page: u64,
    #[serde(default)]
    pub limit: u64,
}

/// Changes by the initiator (manage link) or a moderator; every field optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InitiativeEdit {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub story: Option<String>,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub status: Option<InitiativeStatus>,
}

/// Body of posting an update (manage link).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UpdatePost {
    pub text: String,
}

/// Body of "ik doe mee": how the initiator can reach the joiner.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub name: String,
    /// E-mail address or phone number.
    pub contact: String,
    #[serde(default)]
    pub message: String,
    /// The resident agreed that the initiator and moderators see these details.
    pub consent: bool,
    /// "Houd me op de hoogte": the initiative's news by e-mail after a confirmation
    /// e-mail (double opt-in). Needs `contact` to be an e-mail address (else 422
    /// `invalid_email`) and the community's `mail` (else `smtp_not_configured`).
    #[serde(default)]
    pub keep_informed: bool,
}

/// Body of `POST /api/v1/communities/{c}/manage-link` ("link kwijt?"): always 202,
/// whether or not the address is known; the manage links of that address's
/// initiatives in this community go to it by e-mail.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ManageLinkRequest {
    pub email: String,
}

/// A joiner as the initiator and moderators see them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JoinDetail {
    pub name: String,
    pub contact: String,
    pub message: String,
    pub joined_at: u64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct JoinState {
    pub joined: bool,
    pub join_count: u64,
}

/// Body of reporting an initiative.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    pub reason: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportState {
    pub reported: bool,
}

/// What the initiator sees with the manage link.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManageView {
    pub initiative: InitiativeDetail,
    pub moderation: ModerationState,
    pub contact_email: Option<String>,
    pub joins: Vec<JoinDetail>,
    /// A photo the initiator added that waits for a moderator (pre-moderated
    /// communities); the public sees `initiative.photo` (the approved one, if any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_photo: Option<Photo>,
}

/// A report as moderators see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportDetail {
    pub reason: String,
    pub reported_at: u64,
}

/// What moderators see of an initiative.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeAdmin {
    pub initiative: InitiativeDetail,
    pub moderation: ModerationState,
    pub contact_email: Option<String>,
    pub report_count: u64,
    pub reports: Vec<ReportDetail>,
    pub joins: Vec<JoinAdmin>,
    /// When a moderator (or the retention setting) erased the initiator's
    /// name and e-mail address.
    #[serde(default)]
    pub initiator_erased_at: Option<u64>,
    /// A photo waiting for approval (approving the initiative shows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_photo: Option<Photo>,
}

/// A joiner as moderators see them, with an id to erase their details by.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JoinAdmin {
    /// Stable for this joiner of this initiative; names no one elsewhere.
    pub id: String,
    #[serde(flatten)]
    pub detail: JoinDetail,
    /// The details were erased (name, contact and message are empty); the
    /// join itself still counts.
    #[serde(default)]
    pub erased: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeAdminList {
    pub initiatives: Vec<InitiativeAdmin>,
    /// How many initiatives each queue holds now, whichever queue was asked for.
    #[serde(default)]
    pub counts: QueueCounts,
}

/// The sizes of the moderation queues.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct QueueCounts {
    /// Waiting for approval.
    pub pending: u64,
    /// With reports not yet looked at.
    pub reported: u64,
    /// Waiting for a moderator: pending or reported (each initiative once).
    pub waiting: u64,
    /// Every initiative of the community.
    pub all: u64,
}

/// A moderator's decision about an initiative.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    Approve,
    Reject,
    Hide,
    Restore,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ModerationRequest {
    pub action: ModerationAction,
    #[serde(default)]
    pub note: String,
}

/// Body of an official answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AnswerPost {
    pub text: String,
    /// E.g. "Gemeente Oldebroek, team Leefomgeving".
    pub answered_by: String,
}

/// Events a community can send to its webhooks.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum WebhookEvent {
    Submitted,
    ThresholdReached,
    Reported,
    Answered,
    ReactionPosted,
    ReactionReported,
    MeetingAdded,
    StepDone,
}

impl WebhookEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::Submitted => "submitted",
            WebhookEvent::ThresholdReached => "threshold_reached",
            WebhookEvent::Reported => "reported",
            WebhookEvent::Answered => "answered",
            WebhookEvent::ReactionPosted => "reaction_posted",
            WebhookEvent::ReactionReported => "reaction_reported",
            WebhookEvent::MeetingAdded => "meeting_added",
            WebhookEvent::StepDone => "step_done",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    pub url: String,
    pub events: Vec<WebhookEvent>,
}

/// A webhook. Deliveries carry `Mekaar-Signature: sha256=<hex HMAC-SHA256 of the body>`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub created_at: u64,
}

/// Answer to creating a webhook: the signing secret is shown this once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WebhookCreated {
    pub webhook: Webhook,
    pub secret: String,
}

/// One attempt to deliver an event to a webhook.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeliveryAttempt {
    pub delivery_id: String,
    pub webhook_id: String,
    pub event: WebhookEvent,
    pub attempt: u32,
    pub attempted_at: u64,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub delivered: bool,
}

/// A voter's support of one initiative, and the current total.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct SupportState {
    pub supported: bool,
    pub support_count: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Health {
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voter_keys_are_32_lowercase_hex() {
        assert!(is_valid_voter_key("0123456789abcdef0123456789abcdef"));
        assert!(!is_valid_voter_key("0123456789ABCDEF0123456789abcdef"));
        assert!(!is_valid_voter_key("0123456789abcdef0123456789abcde"));
        assert!(!is_valid_voter_key("0123456789abcdef0123456789abcdefa"));
        assert!(!is_valid_voter_key("0123456789abcdef0123456789abcdeg"));
        assert!(!is_valid_voter_key(""));
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("baarlo"));
        assert!(is_valid_slug("voor-mekaar-2"));
        assert!(!is_valid_slug("-baarlo"));
        assert!(!is_valid_slug("Baarlo"));
        assert!(!is_valid_slug("baar lo"));
        assert!(!is_valid_slug(&"a".repeat(41)));
    }
}
