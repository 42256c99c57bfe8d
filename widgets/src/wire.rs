//! Reading the server's answers into the `mekaar-api` types.
//!
//! The browser parses the JSON (`Response.json()`); [`Wire::read`] walks the parsed object
//! and builds the API type the server serialised, so the widgets keep no copy of the wire
//! types. It does not go through serde's `Deserialize`: measured on the yew port (issue 13),
//! serde-wasm-bindgen and the derived deserializers of these types cost 22.9 KB of the
//! bundle's brotli'd wasm, this walk a few; the budget decides (BENCHMARKS.md).
//!
//! The walk is generic over [`Source`], implemented for the browser's `JsValue` and, in the
//! native tests, for `serde_json::Value`: every type is checked by a round trip through
//! serde's own serialisation, so a renamed or added field cannot slip by. Like serde, a
//! missing required field makes the whole answer unreadable (`None`); fields the API marks
//! `#[serde(default)]` default.

use mekaar_api::discussions::{
    AgreeState, Badge, Reaction, ReactionState, Stance, Thread, ThreadKind, ThreadView,
};
use mekaar_api::meetings::{AttendState, Meeting, MeetingList};
use mekaar_api::polls::VoteReceipt;
use mekaar_api::polls::{LiveUpdate, Phase, PollPublic, PollResults, PollView, ResultsVisibility};
use mekaar_api::steps::{InitiativeStep, InitiativeSteps, Step};
use mekaar_api::{
    CommunityPublic, ErrorBody, ErrorCode, ErrorDetail, InitiativeDetail, InitiativeList,
    InitiativePublic, InitiativeStatus, InitiativeSubmitted, InitiativeUpdate, JoinDetail,
    JoinState, ManageView, ModerationPolicy, ModerationState, OfficialAnswer, Photo, ReportState,
    SupportState,
};

/// A parsed JSON value.
pub trait Source: Sized {
    /// The field `name` of an object; `None` when absent, `null` or not an object.
    fn field(&self, name: &str) -> Option<Self>;
    fn string(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    fn boolean(&self) -> Option<bool>;
    fn list(&self) -> Option<Vec<Self>>;
}

/// An API type that can be read from a parsed answer.
pub trait Wire: Sized {
    fn read<S: Source>(s: &S) -> Option<Self>;
}

/// A whole number a JSON number holds exactly (up to 2^53).
fn whole<S: Source>(s: &S) -> Option<u64> {
    let n = s.number()?;
    ((0.0..=9_007_199_254_740_991.0).contains(&n) && n.fract() == 0.0).then_some(n as u64)
}

fn text<S: Source>(s: &S, name: &str) -> Option<String> {
    s.field(name)?.string()
}

fn opt_text<S: Source>(s: &S, name: &str) -> Option<Option<String>> {
    match s.field(name) {
        None => Some(None),
        Some(v) => v.string().map(Some),
    }
}

fn count<S: Source>(s: &S, name: &str) -> Option<u64> {
    whole(&s.field(name)?)
}

fn opt_count<S: Source>(s: &S, name: &str) -> Option<Option<u64>> {
    match s.field(name) {
        None => Some(None),
        Some(v) => whole(&v).map(Some),
    }
}

fn small<S: Source, T: TryFrom<u64>>(s: &S, name: &str) -> Option<T> {
    T::try_from(count(s, name)?).ok()
}

fn flag<S: Source>(s: &S, name: &str) -> Option<bool> {
    s.field(name)?.boolean()
}

/// A field with `#[serde(default)]`: absent is the default, present must be readable.
fn or_default<S: Source, T: Default>(
    s: &S,
    name: &str,
    read: impl Fn(&S) -> Option<T>,
) -> Option<T> {
    match s.field(name) {
        None => Some(T::default()),
        Some(v) => read(&v),
    }
}

fn items<S: Source, T: Wire>(s: &S, name: &str) -> Option<Vec<T>> {
    s.field(name)?.list()?.iter().map(T::read).collect()
}

fn strings<S: Source>(s: &S, name: &str) -> Option<Vec<String>> {
    s.field(name)?.list()?.iter().map(Source::string).collect()
}

fn opt<S: Source, T: Wire>(s: &S, name: &str) -> Option<Option<T>> {
    match s.field(name) {
        None => Some(None),
        Some(v) => T::read(&v).map(Some),
    }
}

impl Wire for String {
    fn read<S: Source>(s: &S) -> Option<Self> {
        s.string()
    }
}

/// A snake_case enum name.
fn name<S: Source, T>(s: &S, names: &[(&str, T)]) -> Option<T>
where
    T: Copy,
{
    let v = s.string()?;
    names.iter().find(|(n, _)| *n == v).map(|(_, t)| *t)
}

impl Wire for InitiativeStatus {
    fn read<S: Source>(s: &S) -> Option<Self> {
        InitiativeStatus::parse(&s.string()?)
    }
}

impl Wire for ModerationPolicy {
    fn read<S: Source>(s: &S) -> Option<Self> {
        name(s, &[("pre", Self::Pre), ("post", Self::Post)])
    }
}

impl Wire for ModerationState {
    fn read<S: Source>(s: &S) -> Option<Self> {
        name(
            s,
            &[
                ("pending", Self::Pending),
                ("published", Self::Published),
                ("hidden", Self::Hidden),
                ("rejected", Self::Rejected),
            ],
        )
    }
}

impl Wire for Phase {
    fn read<S: Source>(s: &S) -> Option<Self> {
        name(
            s,
            &[
                ("draft", Self::Draft),
                ("scheduled", Self::Scheduled),
                ("open", Self::Open),
                ("closed", Self::Closed),
            ],
        )
    }
}

impl Wire for ResultsVisibility {
    fn read<S: Source>(s: &S) -> Option<Self> {
        name(
            s,
            &[
                ("always", Self::Always),
                ("after_vote", Self::AfterVote),
                ("after_close", Self::AfterClose),
                ("when_revealed", Self::WhenRevealed),
            ],
        )
    }
}

impl Wire for CommunityPublic {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(CommunityPublic {
            slug: text(s, "slug")?,
            name: text(s, "name")?,
            languages: strings(s, "languages")?,
            areas: strings(s, "areas")?,
            themes: strings(s, "themes")?,
            support_threshold: count(s, "support_threshold")?,
            moderation: or_default(s, "moderation", ModerationPolicy::read)?,
            initiatives_page: opt_text(s, "initiatives_page")?,
            mail: or_default(s, "mail", Source::boolean)?,
        })
    }
}

impl Wire for InitiativePublic {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(InitiativePublic {
            id: text(s, "id")?,
            community: text(s, "community")?,
            title: text(s, "title")?,
            summary: text(s, "summary")?,
            area: opt_text(s, "area")?,
            theme: opt_text(s, "theme")?,
            status: or_default(s, "status", InitiativeStatus::read)?,
            initiator_name: or_default(s, "initiator_name", Source::string)?,
            support_count: count(s, "support_count")?,
            support_threshold: count(s, "support_threshold")?,
            threshold_reached_at: opt_count(s, "threshold_reached_at")?,
            join_count: or_default(s, "join_count", whole)?,
            reaction_count: or_default(s, "reaction_count", whole)?,
            answered: or_default(s, "answered", Source::boolean)?,
            created_at: count(s, "created_at")?,
            updated_at: or_default(s, "updated_at", whole)?,
            photo: opt(s, "photo")?,
            page: opt(s, "page")?,
            share_url: opt(s, "share_url")?,
        })
    }
}

impl Wire for Photo {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(Photo {
            card_url: text(s, "card_url")?,
            large_url: text(s, "large_url")?,
            alt: text(s, "alt")?,
            width: small(s, "width")?,
            height: small(s, "height")?,
        })
    }
}

impl Wire for InitiativeUpdate {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(InitiativeUpdate {
            text: text(s, "text")?,
            posted_at: count(s, "posted_at")?,
        })
    }
}

impl Wire for OfficialAnswer {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(OfficialAnswer {
            text: text(s, "text")?,
            answered_by: text(s, "answered_by")?,
            answered_at: count(s, "answered_at")?,
        })
    }
}

impl Wire for InitiativeDetail {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(InitiativeDetail {
            // `#[serde(flatten)]`: the card's fields sit beside the detail's.
            card: InitiativePublic::read(s)?,
            story: text(s, "story")?,
            updates: items(s, "updates")?,
            answer: opt(s, "answer")?,
        })
    }
}

impl Wire for InitiativeList {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(InitiativeList {
            initiatives: items(s, "initiatives")?,
            total: or_default(s, "total", whole)?,
            page: or_default(s, "page", whole)?,
            limit: or_default(s, "limit", whole)?,
        })
    }
}

impl Wire for InitiativeSubmitted {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(InitiativeSubmitted {
            initiative: InitiativeDetail::read(&s.field("initiative")?)?,
            moderation: ModerationState::read(&s.field("moderation")?)?,
            manage_token: text(s, "manage_token")?,
        })
    }
}

impl Wire for JoinDetail {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(JoinDetail {
            name: text(s, "name")?,
            contact: text(s, "contact")?,
            message: text(s, "message")?,
            joined_at: count(s, "joined_at")?,
        })
    }
}

impl Wire for ManageView {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(ManageView {
            initiative: InitiativeDetail::read(&s.field("initiative")?)?,
            moderation: ModerationState::read(&s.field("moderation")?)?,
            contact_email: opt_text(s, "contact_email")?,
            joins: items(s, "joins")?,
            pending_photo: opt(s, "pending_photo")?,
        })
    }
}

impl Wire for JoinState {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(JoinState {
            joined: flag(s, "joined")?,
            join_count: count(s, "join_count")?,
        })
    }
}

impl Wire for ReportState {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(ReportState {
            reported: flag(s, "reported")?,
        })
    }
}

impl Wire for SupportState {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(SupportState {
            supported: flag(s, "supported")?,
            support_count: count(s, "support_count")?,
        })
    }
}

impl Wire for ErrorBody {
    fn read<S: Source>(s: &S) -> Option<Self> {
        let error = s.field("error")?;
        Some(ErrorBody {
            error: ErrorDetail {
                code: ErrorCode::parse(&text(&error, "code")?),
                message: or_default(&error, "message", Source::string)?,
            },
        })
    }
}

impl Wire for PollPublic {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(PollPublic {
            id: text(s, "id")?,
            question: text(s, "question")?,
            options: strings(s, "options")?,
            max_choices: small(s, "max_choices")?,
            opens_at: opt_count(s, "opens_at")?,
            closes_at: opt_count(s, "closes_at")?,
            phase: Phase::read(&s.field("phase")?)?,
            results: ResultsVisibility::read(&s.field("results")?)?,
            revealed: flag(s, "revealed")?,
            round: small(s, "round")?,
            needs_code: flag(s, "needs_code")?,
            join_code: text(s, "join_code")?,
        })
    }
}

impl Wire for PollResults {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(PollResults {
            totals: s
                .field("totals")?
                .list()?
                .iter()
                .map(whole)
                .collect::<Option<_>>()?,
            total_votes: count(s, "total_votes")?,
        })
    }
}

impl Wire for PollView {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(PollView {
            poll: PollPublic::read(&s.field("poll")?)?,
            voted: flag(s, "voted")?,
            results: opt(s, "results")?,
            viewer: opt_text(s, "viewer")?,
        })
    }
}

impl Wire for VoteReceipt {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(VoteReceipt {
            round: small(s, "round")?,
            results: opt(s, "results")?,
            viewer: text(s, "viewer")?,
        })
    }
}

impl Wire for LiveUpdate {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(LiveUpdate {
            seq: count(s, "seq")?,
            poll: text(s, "poll")?,
            phase: Phase::read(&s.field("phase")?)?,
            round: small(s, "round")?,
            revealed: flag(s, "revealed")?,
            results: opt(s, "results")?,
        })
    }
}

impl Wire for ThreadKind {
    fn read<S: Source>(s: &S) -> Option<Self> {
        ThreadKind::parse(&s.string()?)
    }
}

impl Wire for Stance {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Stance::parse(&s.string()?)
    }
}

impl Wire for Badge {
    fn read<S: Source>(s: &S) -> Option<Self> {
        name(
            s,
            &[
                ("initiator", Self::Initiator),
                ("municipality", Self::Municipality),
            ],
        )
    }
}

impl Wire for ReactionState {
    fn read<S: Source>(s: &S) -> Option<Self> {
        name(
            s,
            &[
                ("pending", Self::Pending),
                ("published", Self::Published),
                ("hidden", Self::Hidden),
                ("removed", Self::Removed),
            ],
        )
    }
}

impl Wire for Reaction {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(Reaction {
            id: text(s, "id")?,
            text: text(s, "text")?,
            name: or_default(s, "name", Source::string)?,
            stance: opt(s, "stance")?,
            reply_to: opt_text(s, "reply_to")?,
            badge: opt(s, "badge")?,
            created_at: count(s, "created_at")?,
            edited: or_default(s, "edited", Source::boolean)?,
            state: ReactionState::read(&s.field("state")?)?,
            agree_count: count(s, "agree_count")?,
            agreed: or_default(s, "agreed", Source::boolean)?,
            editable_until: opt_count(s, "editable_until")?,
            replies: match s.field("replies") {
                None => Vec::new(),
                Some(_) => items(s, "replies")?,
            },
        })
    }
}

impl Wire for Thread {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(Thread {
            kind: ThreadKind::read(&s.field("kind")?)?,
            id: text(s, "id")?,
            title: text(s, "title")?,
            intro: or_default(s, "intro", Source::string)?,
            open: flag(s, "open")?,
            closes_at: opt_count(s, "closes_at")?,
            reaction_count: count(s, "reaction_count")?,
            stances: or_default(s, "stances", Source::boolean)?,
        })
    }
}

impl Wire for ThreadView {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(ThreadView {
            thread: Thread::read(&s.field("thread")?)?,
            reactions: items(s, "reactions")?,
            page: small(s, "page")?,
            total: count(s, "total")?,
            page_size: small(s, "page_size")?,
            version: count(s, "version")?,
        })
    }
}

impl Wire for AgreeState {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(AgreeState {
            agreed: flag(s, "agreed")?,
            agree_count: count(s, "agree_count")?,
        })
    }
}

impl Wire for Meeting {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(Meeting {
            id: text(s, "id")?,
            community: text(s, "community")?,
            initiative: text(s, "initiative")?,
            initiative_title: text(s, "initiative_title")?,
            area: opt_text(s, "area")?,
            title: text(s, "title")?,
            starts_at: count(s, "starts_at")?,
            ends_at: count(s, "ends_at")?,
            place: opt_text(s, "place")?,
            online_url: opt_text(s, "online_url")?,
            capacity: match opt_count(s, "capacity")? {
                None => None,
                Some(n) => Some(u32::try_from(n).ok()?),
            },
            description: or_default(s, "description", Source::string)?,
            cancelled: or_default(s, "cancelled", Source::boolean)?,
            attendee_count: count(s, "attendee_count")?,
            created_at: count(s, "created_at")?,
            updated_at: or_default(s, "updated_at", whole)?,
        })
    }
}

impl Wire for MeetingList {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(MeetingList {
            upcoming: items(s, "upcoming")?,
            past: match s.field("past") {
                None => Vec::new(),
                Some(_) => items(s, "past")?,
            },
        })
    }
}

impl Wire for AttendState {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(AttendState {
            attending: flag(s, "attending")?,
            attendee_count: count(s, "attendee_count")?,
            full: flag(s, "full")?,
        })
    }
}

impl Wire for Step {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(Step {
            id: text(s, "id")?,
            title: text(s, "title")?,
            description: or_default(s, "description", Source::string)?,
            link: opt_text(s, "link")?,
            unlock_supports: opt_count(s, "unlock_supports")?,
            unlock_status: opt(s, "unlock_status")?,
        })
    }
}

impl Wire for InitiativeStep {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(InitiativeStep {
            step: Step::read(s)?,
            done: flag(s, "done")?,
            done_at: opt_count(s, "done_at")?,
            unlocked: flag(s, "unlocked")?,
        })
    }
}

impl Wire for InitiativeSteps {
    fn read<S: Source>(s: &S) -> Option<Self> {
        Some(InitiativeSteps {
            steps: items(s, "steps")?,
        })
    }
}

#[cfg(target_arch = "wasm32")]
impl Source for wasm_bindgen::JsValue {
    fn field(&self, name: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        let v = js_sys::Reflect::get(self, &wasm_bindgen::JsValue::from_str(name)).ok()?;
        (!v.is_null() && !v.is_undefined()).then_some(v)
    }

    fn string(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn list(&self) -> Option<Vec<Self>> {
        use wasm_bindgen::JsCast;
        js_sys::Array::is_array(self)
            .then(|| self.unchecked_ref::<js_sys::Array>().iter().collect())
    }
}

#[cfg(test)]
impl Source for serde_json::Value {
    fn field(&self, name: &str) -> Option<Self> {
        self.get(name).filter(|v| !v.is_null()).cloned()
    }

    fn string(&self) -> Option<String> {
        self.as_str().map(String::from)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn list(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// Serialised by serde as the server does, read back by [`Wire::read`]: the same value.
    fn round_trip<T: Wire + serde::Serialize + PartialEq + std::fmt::Debug>(value: T) {
        let json = serde_json::to_value(&value).unwrap();
        assert_eq!(T::read(&json).as_ref(), Some(&value), "{json}");
    }

    fn card(full: bool) -> InitiativePublic {
        InitiativePublic {
            id: "aed".into(),
            community: "dorp".into(),
            title: "AED bij de kerk".into(),
            summary: "Een AED".into(),
            area: full.then(|| "Kerkdorp".into()),
            theme: full.then(|| "Zorg".into()),
            status: if full {
                InitiativeStatus::InProgress
            } else {
                InitiativeStatus::Idea
            },
            initiator_name: if full { "Anna".into() } else { String::new() },
            support_count: 12,
            support_threshold: 50,
            threshold_reached_at: full.then_some(1_700_000_000),
            join_count: 3,
            reaction_count: 0,
            answered: full,
            created_at: 1_690_000_000,
            updated_at: 1_690_000_100,
            photo: full.then(photo),
            page: full.then(|| "https://www.dorp.example/initiatieven".into()),
            share_url: full.then(|| "/i/K7QX2M".into()),
        }
    }

    fn photo() -> Photo {
        Photo {
            card_url: "/photos/0a1b.jpg".into(),
            large_url: "/photos/2c3d.jpg".into(),
            alt: "De kerk met \"AED\" — é".into(),
            width: 640,
            height: 427,
        }
    }

    fn detail(full: bool) -> InitiativeDetail {
        InitiativeDetail {
            card: card(full),
            story: "Eerste alinea.\n\nTweede.".into(),
            updates: vec![InitiativeUpdate {
                text: "De kast hangt".into(),
                posted_at: 1_700_000_500,
            }],
            answer: full.then(|| OfficialAnswer {
                text: "Goed plan".into(),
                answered_by: "Gemeente".into(),
                answered_at: 1_700_000_900,
            }),
        }
    }

    #[test]
    fn initiative_answers_read_back_as_the_server_wrote_them() {
        for full in [true, false] {
            round_trip(card(full));
            round_trip(detail(full));
            round_trip(InitiativeList {
                initiatives: vec![card(full), card(!full)],
                total: 21,
                page: 2,
                limit: 10,
            });
            round_trip(InitiativeSubmitted {
                initiative: detail(full),
                moderation: ModerationState::Pending,
                manage_token: "t0k".into(),
            });
            round_trip(ManageView {
                initiative: detail(full),
                moderation: ModerationState::Hidden,
                contact_email: full.then(|| "a@example.org".into()),
                joins: vec![JoinDetail {
                    name: "Bram".into(),
                    contact: "06".into(),
                    message: "Ik help".into(),
                    joined_at: 1_700_000_001,
                }],
                pending_photo: full.then(photo),
            });
        }
        for (moderation, initiatives_page) in [
            (ModerationPolicy::Pre, None),
            (
                ModerationPolicy::Post,
                Some("https://www.dorp.nl/initiatieven?x=1".to_string()),
            ),
        ] {
            round_trip(CommunityPublic {
                slug: "dorp".into(),
                name: "Dorp".into(),
                languages: vec!["nl".into(), "en".into()],
                areas: vec!["Kerkdorp".into()],
                themes: vec![],
                support_threshold: 50,
                mail: initiatives_page.is_some(),
                moderation,
                initiatives_page,
            });
        }
        for status in InitiativeStatus::ALL {
            round_trip(InitiativePublic {
                status,
                ..card(true)
            });
        }
        round_trip(JoinState {
            joined: true,
            join_count: 4,
        });
        round_trip(ReportState { reported: true });
        round_trip(ErrorBody {
            error: ErrorDetail {
                code: ErrorCode::OriginNotAllowed,
                message: "Origin not allowed".into(),
            },
        });
        round_trip(SupportState {
            supported: false,
            support_count: 9,
        });
    }

    #[test]
    fn poll_answers_read_back_as_the_server_wrote_them() {
        let results = PollResults {
            totals: vec![3, 0, 7],
            total_votes: 9,
        };
        for (phase, visibility) in [
            (Phase::Draft, ResultsVisibility::Always),
            (Phase::Scheduled, ResultsVisibility::AfterVote),
            (Phase::Open, ResultsVisibility::AfterClose),
            (Phase::Closed, ResultsVisibility::WhenRevealed),
        ] {
            let poll = PollPublic {
                id: "p1".into(),
                question: "Welke naam?".into(),
                options: vec!["A".into(), "B".into(), "C".into()],
                max_choices: 2,
                opens_at: (phase == Phase::Scheduled).then_some(1_700_000_000),
                closes_at: (phase == Phase::Closed).then_some(1_700_000_100),
                phase,
                results: visibility,
                revealed: phase == Phase::Closed,
                round: 3,
                needs_code: phase == Phase::Open,
                join_code: "K7Q2".into(),
            };
            let voted = phase != Phase::Draft;
            round_trip(PollView {
                poll,
                voted,
                results: voted.then(|| results.clone()),
                viewer: voted.then(|| "ticket".into()),
            });
            round_trip(LiveUpdate {
                seq: 41,
                poll: "p1".into(),
                phase,
                round: 3,
                revealed: voted,
                results: voted.then(|| results.clone()),
            });
        }
        round_trip(VoteReceipt {
            round: 2,
            results: None,
            viewer: "ticket".into(),
        });
        round_trip(VoteReceipt {
            round: 2,
            results: Some(results),
            viewer: "ticket".into(),
        });
    }

    fn reaction(id: &str, full: bool) -> Reaction {
        Reaction {
            id: id.into(),
            text: "Goed plan! https://example.org <b>".into(),
            name: if full { "Anna".into() } else { String::new() },
            stance: full.then_some(Stance::Question),
            reply_to: full.then(|| "r0".into()),
            badge: full.then_some(Badge::Municipality),
            created_at: 1_700_000_000,
            edited: full,
            state: if full {
                ReactionState::Pending
            } else {
                ReactionState::Published
            },
            agree_count: 4,
            agreed: full,
            editable_until: full.then_some(1_700_000_900),
            replies: Vec::new(),
        }
    }

    #[test]
    fn discussion_answers_read_back_as_the_server_wrote_them() {
        for full in [true, false] {
            let mut top = reaction("r1", full);
            top.reply_to = None;
            top.replies = if full {
                vec![reaction("r2", true), reaction("r3", false)]
            } else {
                Vec::new()
            };
            round_trip(top.clone());
            for (kind, stance, badge, state) in [
                (
                    ThreadKind::Initiative,
                    Stance::For,
                    Badge::Initiator,
                    ReactionState::Hidden,
                ),
                (
                    ThreadKind::Poll,
                    Stance::Against,
                    Badge::Municipality,
                    ReactionState::Removed,
                ),
                (
                    ThreadKind::Topic,
                    Stance::Idea,
                    Badge::Initiator,
                    ReactionState::Published,
                ),
            ] {
                round_trip(ThreadView {
                    thread: Thread {
                        kind,
                        id: "t1".into(),
                        title: "Kermis?".into(),
                        intro: if full {
                            "Wat vindt u?".into()
                        } else {
                            String::new()
                        },
                        open: full,
                        closes_at: full.then_some(1_800_000_000),
                        reaction_count: 12,
                        stances: full,
                    },
                    reactions: vec![
                        top.clone(),
                        Reaction {
                            stance: Some(stance),
                            badge: Some(badge),
                            state,
                            ..reaction("r4", false)
                        },
                    ],
                    page: 2,
                    total: 21,
                    page_size: 20,
                    version: 77,
                });
            }
        }
        round_trip(AgreeState {
            agreed: true,
            agree_count: 3,
        });
        // Defaults: absent name, edited, agreed, replies.
        let r = Reaction::read(&json!({
            "id": "x", "text": "t", "created_at": 1, "state": "published", "agree_count": 0
        }))
        .unwrap();
        assert_eq!((r.name.as_str(), r.edited, r.replies.len()), ("", false, 0));
        assert_eq!(Stance::read(&json!("maybe")), None);
    }

    pub fn meeting(id: &str, full: bool) -> Meeting {
        Meeting {
            id: id.into(),
            community: "dorp".into(),
            initiative: "aed".into(),
            initiative_title: "AED bij de kerk".into(),
            area: full.then(|| "Kerkdorp".into()),
            title: "Eerste bijeenkomst".into(),
            starts_at: 1_797_102_000,
            ends_at: 1_797_112_800,
            place: full.then(|| "Dorpshuis, Kerkstraat 4".into()),
            online_url: full.then(|| "https://meet.example/aed".into()),
            capacity: full.then_some(30),
            description: if full {
                "Koffie!".into()
            } else {
                String::new()
            },
            cancelled: full,
            attendee_count: 12,
            created_at: 1_790_000_000,
            updated_at: if full { 1_790_000_100 } else { 0 },
        }
    }

    #[test]
    fn meeting_and_step_answers_read_back_as_the_server_wrote_them() {
        for full in [true, false] {
            round_trip(meeting("m1", full));
            round_trip(MeetingList {
                upcoming: vec![meeting("m1", full), meeting("m2", !full)],
                past: if full {
                    vec![meeting("m0", true)]
                } else {
                    vec![]
                },
            });
            round_trip(AttendState {
                attending: full,
                attendee_count: 30,
                full,
            });
            let step = Step {
                id: "s1".into(),
                title: "Zoek 3 medestanders".into(),
                description: if full {
                    "Samen sta je sterker".into()
                } else {
                    String::new()
                },
                link: full.then(|| "https://gemeente.example/subsidie".into()),
                unlock_supports: full.then_some(50),
                unlock_status: full.then_some(InitiativeStatus::InProgress),
            };
            round_trip(InitiativeSteps {
                steps: vec![InitiativeStep {
                    step,
                    done: full,
                    done_at: full.then_some(1_790_000_000),
                    unlocked: !full,
                }],
            });
        }
        // Defaults: no past, description, cancelled, updated_at.
        let list = MeetingList::read(&json!({"upcoming": []})).unwrap();
        assert!(list.past.is_empty());
    }

    #[test]
    fn unreadable_answers_are_none_and_defaults_fill_in() {
        // A required field missing, or of the wrong type: the answer is not readable.
        assert_eq!(SupportState::read(&json!({ "supported": true })), None);
        assert_eq!(
            SupportState::read(&json!({ "supported": true, "support_count": "3" })),
            None
        );
        assert_eq!(
            SupportState::read(&json!({ "supported": true, "support_count": 2.5 })),
            None
        );
        assert_eq!(SupportState::read(&Value::Null), None);
        assert_eq!(
            Phase::read(&json!("half_open")),
            None,
            "unknown enum names are unreadable"
        );
        // Fields the API marks `#[serde(default)]` may be absent.
        let mut json = serde_json::to_value(card(true)).unwrap();
        for field in [
            "status",
            "initiator_name",
            "threshold_reached_at",
            "join_count",
            "answered",
            "updated_at",
        ] {
            json.as_object_mut().unwrap().remove(field);
        }
        let read = InitiativePublic::read(&json).unwrap();
        assert_eq!(read.status, InitiativeStatus::Idea);
        assert_eq!((read.join_count, read.answered), (0, false));
    }
}
