//! Wire types of the dialogue: threads (on an initiative, a poll or a topic)
//! and residents' reactions in them.
//!
//! Public routes (`{c}` a community slug, `{kind}` `initiative`/`poll`/`topic`):
//! - `GET  /api/v1/communities/{c}/threads/{kind}/{id}?sort=&stance=&page=` → [`ThreadView`]
//!   (an `ETag`; `If-None-Match` answers 304 while nothing changed)
//! - `GET  /api/v1/communities/{c}/threads/{kind}/{id}/live` → SSE, event `changed` with the
//!   thread's version (coalesced, at most twice a second)
//! - `POST /api/v1/communities/{c}/threads/{kind}/{id}/reactions` [`ReactionPost`] → 201 [`Reaction`]
//!   (voter key required; `Mekaar-Manage` with the initiative's manage token posts as its initiator)
//! - `PATCH  /api/v1/communities/{c}/reactions/{rid}` [`ReactionEdit`] → [`Reaction`] (own key, 15 min)
//! - `DELETE /api/v1/communities/{c}/reactions/{rid}` → 204 (own key, 15 min)
//! - `PUT`/`DELETE /api/v1/communities/{c}/reactions/{rid}/agree` → [`AgreeState`]
//! - `POST /api/v1/communities/{c}/reactions/{rid}/report` `{"reason"}` → [`crate::ReportState`] (reporting twice counts once)

use serde::{Deserialize, Serialize};

/// Limits of the dialogue, checked by the server (the widgets use them for `maxlength`).
pub mod limits {
    pub const TEXT: usize = 2_000;
    pub const DISPLAY_NAME: usize = 60;
    pub const TOPIC_TITLE: usize = 200;
    pub const TOPIC_INTRO: usize = 2_000;
    /// How long the voter key that wrote a reaction may edit or delete it.
    pub const EDIT_WINDOW_SECS: u64 = 15 * 60;
    /// Top-level reactions per page (their replies come along).
    pub const PAGE_SIZE: usize = 20;
    /// Words a community may hold for review, and their length.
    pub const HOLD_WORDS: usize = 200;
    pub const HOLD_WORD: usize = 60;
}

/// What a thread belongs to.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    Initiative,
    Poll,
    Topic,
}

impl ThreadKind {
    pub const ALL: [ThreadKind; 3] = [ThreadKind::Initiative, ThreadKind::Poll, ThreadKind::Topic];

    pub fn as_str(self) -> &'static str {
        match self {
            ThreadKind::Initiative => "initiative",
            ThreadKind::Poll => "poll",
            ThreadKind::Topic => "topic",
        }
    }

    pub fn parse(s: &str) -> Option<ThreadKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A reaction's stance on an initiative (only there).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Voor.
    For,
    /// Tegen.
    Against,
    /// Vraag.
    Question,
    /// Idee.
    Idea,
}

impl Stance {
    pub const ALL: [Stance; 4] = [Stance::For, Stance::Against, Stance::Question, Stance::Idea];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::For => "for",
            Stance::Against => "against",
            Stance::Question => "question",
            Stance::Idea => "idea",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Who wrote a reaction, when it is someone with a role: shown as a badge.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    /// The initiative's initiator (proved by the manage token).
    Initiator,
    /// The municipality or the community's moderators (from the console).
    Municipality,
}

/// A reaction's moderation state. The public sees `published` only (and its
/// own `pending` ones).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReactionState {
    #[default]
    Pending,
    Published,
    /// Hidden by reports or a moderator; may be restored.
    Hidden,
    /// Removed by a moderator or its author: its text and name are erased.
    Removed,
}

/// The order of a thread's top-level reactions.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReactionSort {
    #[default]
    Newest,
    Oldest,
    /// Most "eens" first.
    Agreed,
}

impl ReactionSort {
    pub fn as_str(self) -> &'static str {
        match self {
            ReactionSort::Newest => "newest",
            ReactionSort::Oldest => "oldest",
            ReactionSort::Agreed => "agreed",
        }
    }
}

/// One reaction as the public (and its author) sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Reaction {
    pub id: String,
    /// Plain text; the widgets show URLs in it as links, never HTML.
    pub text: String,
    /// The display name; "Inwoner"/"Resident" is the widget's word when empty.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// The reaction this one answers (one level deep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<Badge>,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    #[serde(default)]
    pub edited: bool,
    pub state: ReactionState,
    pub agree_count: u64,
    /// Whether the asking voter key agreed.
    #[serde(default)]
    pub agreed: bool,
    /// Until when (seconds since the epoch) the asking voter key may edit or
    /// delete it; absent when it may not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editable_until: Option<u64>,
    /// Replies, oldest first (on top-level reactions in a [`ThreadView`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<Reaction>,
}

/// A thread as the public sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Thread {
    pub kind: ThreadKind,
    pub id: String,
    /// The topic's title, the initiative's title or the poll's question.
    pub title: String,
    /// A topic's introduction (empty for initiatives and polls).
    #[serde(default)]
    pub intro: String,
    pub open: bool,
    /// When it closes by itself (seconds since the epoch), if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<u64>,
    /// Published reactions, replies included.
    pub reaction_count: u64,
    /// Whether stances are offered (initiatives only).
    #[serde(default)]
    pub stances: bool,
}

/// Answer of `GET …/threads/{kind}/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ThreadView {
    pub thread: Thread,
    /// This page's top-level reactions with their replies; the asking voter
    /// key's own pending reactions included (marked `pending`).
    pub reactions: Vec<Reaction>,
    pub page: u32,
    /// Top-level published reactions matching the stance filter.
    pub total: u64,
    pub page_size: u32,
    /// Changes with every change of the thread (also the ETag).
    pub version: u64,
}

/// Body of `POST …/threads/{kind}/{id}/reactions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReactionPost {
    pub text: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// A field people never see: filled in by bots only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
}

/// Body of `PATCH …/reactions/{rid}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReactionEdit {
    pub text: String,
}

/// A voter's "eens" on a reaction, and the total.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct AgreeState {
    pub agreed: bool,
    pub agree_count: u64,
}

/// Whether reactions wait for a moderator, and what holds them anyway.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ReactionSettings {
    /// `pre`: every reaction waits; `post`: shown at once, unless held.
    pub moderation: crate::ModerationPolicy,
    /// Reactions with one of these words (case-insensitive, whole words) wait
    /// for a moderator.
    pub hold_words: Vec<String>,
    /// Reactions with a link wait for a moderator.
    pub hold_links: bool,
    /// A voter key's first reaction in the community waits for a moderator.
    pub first_reaction_waits: bool,
    /// Reports by different residents after which a reaction is hidden.
    pub reports_before_hide: u32,
    /// Reactions one voter key may post per 10 minutes.
    pub per_key_per_10_minutes: u32,
    /// Reactions one network may post per hour.
    pub per_network_per_hour: u32,
}

impl Default for ReactionSettings {
    fn default() -> Self {
        ReactionSettings {
            moderation: crate::ModerationPolicy::Post,
            hold_words: Vec::new(),
            hold_links: true,
            first_reaction_waits: false,
            reports_before_hide: 3,
            per_key_per_10_minutes: 10,
            per_network_per_hour: 60,
        }
    }
}

/// A topic: a discussion an editor opens for any page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Topic {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub intro: String,
    pub open: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<u64>,
    pub created_at: u64,
    #[serde(default)]
    pub reaction_count: u64,
}

/// Body of `POST /api/v1/admin/communities/{c}/topics`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TopicCreate {
    pub title: String,
    #[serde(default)]
    pub intro: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<u64>,
}

/// Body of `PATCH /api/v1/admin/communities/{c}/threads/{kind}/{id}`: every
/// field optional; `title` and `intro` only for topics.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ThreadUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<bool>,
    /// Absent: unchanged; `0`: no closing time; else seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<u64>,
}

/// One reaction as a moderator sees it (`GET /api/v1/admin/communities/{c}/reactions`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReactionAdmin {
    #[serde(flatten)]
    pub reaction: Reaction,
    pub thread_kind: ThreadKind,
    pub thread_id: String,
    pub thread_title: String,
    /// Why it waits: `pre_moderation`, `link`, `word`, `first_reaction`; empty when it did not.
    #[serde(default)]
    pub held_for: String,
    pub report_count: u64,
    #[serde(default)]
    pub report_reasons: Vec<String>,
    /// Whether reports came in since a moderator last decided.
    #[serde(default)]
    pub reports_open: bool,
}

/// The sizes of the reactions queues.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReactionQueueCounts {
    pub pending: u64,
    pub reported: u64,
    /// Every reaction of the community that was not removed.
    pub all: u64,
}

/// Answer of `GET /api/v1/admin/communities/{c}/reactions?queue=pending|reported|all`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReactionAdminList {
    pub reactions: Vec<ReactionAdmin>,
    pub counts: ReactionQueueCounts,
}

/// A moderator's decision about a reaction.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReactionAction {
    Approve,
    Hide,
    Restore,
    /// Erases its text and name for real; a removed reaction stays as "verwijderd"
    /// when it has replies.
    Remove,
    /// Erases only the display name (on request of the person).
    EraseName,
}

/// Body of `POST /api/v1/admin/communities/{c}/reactions/{rid}/moderate`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReactionModeration {
    pub action: ReactionAction,
    #[serde(default)]
    pub note: String,
}

/// Body of `POST /api/v1/admin/communities/{c}/threads/{kind}/{id}/reactions`:
/// a reaction as the municipality (badge `municipality`, published at once).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OfficialReactionPost {
    pub text: String,
    /// E.g. "Gemeente Oldebroek"; the community's name when empty.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_stances_round_trip_their_wire_names() {
        for kind in ThreadKind::ALL {
            assert_eq!(ThreadKind::parse(kind.as_str()), Some(kind));
        }
        for stance in Stance::ALL {
            assert_eq!(Stance::parse(stance.as_str()), Some(stance));
            assert_eq!(
                serde_json::to_string(&stance).unwrap(),
                format!("\"{}\"", stance.as_str())
            );
        }
        assert_eq!(ThreadKind::parse("article"), None);
    }

    #[test]
    fn settings_default_for_a_village() {
        let s: ReactionSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(s.reports_before_hide, 3);
        assert_eq!(s.per_key_per_10_minutes, 10);
        assert_eq!(s.per_network_per_hour, 60);
        assert!(s.hold_links);
    }
}
