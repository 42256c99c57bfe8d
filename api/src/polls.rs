//! Wire types of polls and live polls.

use serde::{Deserialize, Deserializer, Serialize};

/// Limits of polls, checked by the server.
pub mod limits {
    pub const QUESTION: usize = 200;
    pub const OPTION: usize = 100;
    pub const OPTIONS_MIN: usize = 2;
    pub const OPTIONS_MAX: usize = 10;
    pub const NETWORK_CAP_DEFAULT: u32 = 50;
    pub const NETWORK_CAP_MAX: u32 = 100_000;
    pub const CODES_PER_BATCH: usize = 5_000;
    pub const CODES_PER_POLL: u32 = 100_000;
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PollState {
    #[default]
    Draft,
    Open,
    Closed,
}

/// Where a poll is now, counting its open and close times.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Draft,
    /// Opened, but its `opens_at` has not come yet.
    Scheduled,
    Open,
    /// Closed by the editor, or its `closes_at` has passed.
    Closed,
}

/// When the public sees the totals (a reveal shows them in any case).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ResultsVisibility {
    #[default]
    Always,
    /// To whoever voted; to everyone once the poll is closed.
    AfterVote,
    AfterClose,
    WhenRevealed,
}

/// Who may vote.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    /// One vote per voter key; at most this many voter keys per network.
    Open {
        #[serde(default = "default_network_cap")]
        max_keys_per_network: u32,
    },
    /// One vote per printed single-use vote code.
    Codes,
}

fn default_network_cap() -> u32 {
    limits::NETWORK_CAP_DEFAULT
}

impl Default for Audience {
    fn default() -> Self {
        Audience::Open {
            max_keys_per_network: limits::NETWORK_CAP_DEFAULT,
        }
    }
}

/// Body of creating a poll (admin).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PollCreate {
    pub question: String,
    pub options: Vec<String>,
    /// 1 = single choice; k = at most k options.
    #[serde(default = "one")]
    pub max_choices: u8,
    #[serde(default)]
    pub opens_at: Option<u64>,
    #[serde(default)]
    pub closes_at: Option<u64>,
    #[serde(default)]
    pub results: ResultsVisibility,
    #[serde(default)]
    pub audience: Audience,
}

fn one() -> u8 {
    1
}

/// Body of editing a poll (admin): every field optional; `null` clears a time.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PollEdit {
    #[serde(default)]
    pub question: Option<String>,
    #[serde(default)]
    pub options: Option<Vec<String>>,
    #[serde(default)]
    pub max_choices: Option<u8>,
    // Absent keeps the time and `null` clears it, so `None` must not be written as `null`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub opens_at: Option<Option<u64>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub closes_at: Option<Option<u64>>,
    #[serde(default)]
    pub results: Option<ResultsVisibility>,
    #[serde(default)]
    pub audience: Option<Audience>,
}

/// A field that is present (maybe `null`) versus absent.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u64>>, D::Error> {
    Option::<u64>::deserialize(d).map(Some)
}

/// A poll as stored, and as its admins see it (it holds no secrets).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Poll {
    pub id: String,
    pub community: String,
    pub question: String,
    pub options: Vec<String>,
    pub max_choices: u8,
    pub opens_at: Option<u64>,
    pub closes_at: Option<u64>,
    pub state: PollState,
    pub results: ResultsVisibility,
    #[serde(default)]
    pub revealed: bool,
    /// Starts at 1; a reset moves on to the next round.
    pub round: u32,
    pub audience: Audience,
    /// Short code for the phone page (`/p/{code}`), unique on this server.
    pub join_code: String,
    /// How many vote codes were generated (audience `codes`).
    #[serde(default)]
    pub vote_codes: u32,
    pub created_at: u64,
    pub updated_at: u64,
    /// When the editor last closed it (for forgetting network counters).
    #[serde(default)]
    pub closed_at: Option<u64>,
}

/// What anyone may read about a (non-draft) poll.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PollPublic {
    pub id: String,
    pub question: String,
    pub options: Vec<String>,
    pub max_choices: u8,
    pub opens_at: Option<u64>,
    pub closes_at: Option<u64>,
    pub phase: Phase,
    pub results: ResultsVisibility,
    pub revealed: bool,
    pub round: u32,
    /// Voting needs a printed vote code (audience `codes`).
    pub needs_code: bool,
    pub join_code: String,
}

/// Totals per option (in option order) and how many ballots were cast. With
/// multiple choice the totals add up to more than `total_votes`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PollResults {
    pub totals: Vec<u64>,
    pub total_votes: u64,
}

/// A poll as one resident sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PollView {
    pub poll: PollPublic,
    pub voted: bool,
    /// Present only when the visibility rule allows this resident to see it.
    pub results: Option<PollResults>,
    /// When `voted`: the ticket to pass as `?viewer=` to the live stream, so
    /// it shows totals meant for those who voted. It can see, not vote.
    #[serde(default)]
    pub viewer: Option<String>,
}

/// Body of a vote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VoteRequest {
    /// Indexes into `options`, 1..=`max_choices` of them, no repeats.
    pub choices: Vec<u8>,
    /// A printed vote code (audience `codes`).
    #[serde(default)]
    pub code: Option<String>,
}

/// The answer to a vote: it is final and counted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct VoteReceipt {
    pub round: u32,
    pub results: Option<PollResults>,
    /// As [`PollView::viewer`].
    pub viewer: String,
}

/// What an admin sees of a poll: everything, totals too.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PollAdminView {
    pub poll: Poll,
    pub phase: Phase,
    pub results: PollResults,
}

/// The admin's polls of a community.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PollAdminList {
    pub polls: Vec<PollAdminView>,
}

/// What an editor does to a poll.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PollAction {
    Open,
    Close,
    /// Show the totals to everyone, whatever the visibility rule.
    Reveal,
    /// Undo a reveal.
    Hide,
    /// Set the votes aside and start a new round.
    Reset,
}

/// Body of a state change. A reset names the round the editor saw, as its
/// confirmation: a second click (or a second editor) cannot reset twice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PollActionRequest {
    pub action: PollAction,
    #[serde(default)]
    pub round: Option<u32>,
}

/// Body of generating vote codes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VoteCodesRequest {
    pub count: usize,
}

/// Freshly generated vote codes, in clear this once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct VoteCodesCreated {
    pub codes: Vec<String>,
}

/// Where a join code leads.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JoinTarget {
    pub community: String,
    pub poll: String,
}

/// One live event's data: the poll's state, and its totals when this viewer
/// may see them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LiveUpdate {
    pub seq: u64,
    pub poll: String,
    pub phase: Phase,
    pub round: u32,
    pub revealed: bool,
    /// Present only when this viewer may see the totals.
    pub results: Option<PollResults>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit that leaves a time alone must not clear it on its way to the server.
    #[test]
    fn an_edit_keeps_absent_times_and_clears_null_ones() {
        let keep = PollEdit {
            question: Some("Welke naam?".into()),
            ..PollEdit::default()
        };
        let text = serde_json::to_string(&keep).unwrap();
        assert!(
            !text.contains("opens_at") && !text.contains("closes_at"),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<PollEdit>(&text).unwrap(), keep);

        let clear = PollEdit {
            closes_at: Some(None),
            ..PollEdit::default()
        };
        let text = serde_json::to_string(&clear).unwrap();
        assert!(text.contains("\"closes_at\":null"), "{text}");
        assert_eq!(serde_json::from_str::<PollEdit>(&text).unwrap(), clear);
    }
}
