//! The poll widget's state and views (pure: HTML text from state, tested natively; the
//! browser side is in `poll_app.rs`), and reading the poll wire types of
//! [`mekaar_api::polls`] from parsed JSON.
//!
//! - `data-mekaar="poll" data-poll="ID"`: the question, a vote form while the poll is open
//!   and this resident has not voted (radio buttons, or checkboxes with "choose at most k"
//!   for `max_choices` > 1; a vote-code field for polls that need one), then "Je stem is
//!   geteld" and the results as far as the poll's rule lets this resident see them. Live:
//!   the widget follows the poll's event stream (`…/live`, with the viewer ticket once it
//!   voted), so counts, phase and resets show without a reload.
//! - the same with `data-view="overlay"`: results only, large, on a transparent
//!   background, for broadcast software.
//! - a draft known by its id (pasted, or the overlay set up, before the broadcast: the
//!   view answers 409 `poll_not_open`): "Deze peiling is nog niet geopend." (in the
//!   overlay the same, large) and nothing of its content; the widget follows the live
//!   stream, and at the first event of another phase fetches the view and shows the
//!   poll without a reload (announcing "nu geopend" when the resident can vote). Unknown
//!   ids (404) stay an error, without a stream.
//!
//! DOM inside the shadow root (stable, for end-to-end tests): root
//! `.mekaar-root.mekaar-poll` (`.mekaar-overlay` too for the overlay) with `data-view` =
//! poll | overlay, `data-state` = loading | waiting (a draft, not open yet) | ready |
//! error, `data-phase` = draft | scheduled | open | closed (`draft` while waiting),
//! `data-voted` = true | false (when ready); `p.mekaar-not-open`; `h2.mekaar-question`;
//! `p.mekaar-when`;
//! `form.mekaar-vote-form` (fieldset, legend holding the question,
//! `input[name=choice]#mekaar-o-{i}` with labels, `p.mekaar-hint`, `#mekaar-e-choice`, the
//! code field `#mekaar-f-code` with `#mekaar-e-code`, `button#mekaar-b-vote`);
//! `p#mekaar-counted`; `p.mekaar-again`; `p.mekaar-message[role=alert]`;
//! `section.mekaar-results` with `li.mekaar-result[data-option]` (`.mekaar-option`,
//! `.mekaar-votes` as text, `.mekaar-bar-fill` decoration) and `p.mekaar-total`;
//! `p.mekaar-hidden` ("results follow …"); `p.mekaar-announce[aria-live=polite]`.

use crate::api::{self, Failure, Problem};
use crate::i18n::{datetime, fill, number, t, Key, Lang};
use crate::initiatives::failure_text;
use crate::markup::Out;
use mekaar_api::polls::{
    LiveUpdate, Phase, PollPublic, PollResults, PollState, PollView, ResultsVisibility, VoteReceipt,
};
use wasm_bindgen::JsValue;

/// The wire field names read here: serde names of [`mekaar_api::polls`] (checked by a
/// native test).
pub mod fields {
    pub const ID: &str = "id";
    pub const POLL: &str = "poll";
    pub const QUESTION: &str = "question";
    pub const OPTIONS: &str = "options";
    pub const MAX_CHOICES: &str = "max_choices";
    pub const OPENS_AT: &str = "opens_at";
    pub const CLOSES_AT: &str = "closes_at";
    pub const PHASE: &str = "phase";
    pub const STATE: &str = "state";
    pub const RESULTS: &str = "results";
    pub const REVEALED: &str = "revealed";
    pub const ROUND: &str = "round";
    pub const NEEDS_CODE: &str = "needs_code";
    pub const JOIN_CODE: &str = "join_code";
    pub const VOTED: &str = "voted";
    pub const VIEWER: &str = "viewer";
    pub const TOTALS: &str = "totals";
    pub const TOTAL_VOTES: &str = "total_votes";
    pub const SEQ: &str = "seq";
    pub const AUDIENCE: &str = "audience";
    pub const KIND: &str = "kind";
    pub const VOTE_CODES: &str = "vote_codes";
    pub const CHOICES: &str = "choices";
    pub const CODE: &str = "code";
    pub const ACTION: &str = "action";
    pub const COUNT: &str = "count";
}

/// Seconds between two announcements of the totals to screen readers.
pub const ANNOUNCE_EVERY_MS: f64 = 5_000.0;

pub fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Draft => "draft",
        Phase::Scheduled => "scheduled",
        Phase::Open => "open",
        Phase::Closed => "closed",
    }
}

fn phase_from(s: &str) -> Phase {
    match s {
        "draft" => Phase::Draft,
        "scheduled" => Phase::Scheduled,
        "open" => Phase::Open,
        _ => Phase::Closed,
    }
}

fn visibility_from(s: &str) -> ResultsVisibility {
    match s {
        "after_vote" => ResultsVisibility::AfterVote,
        "after_close" => ResultsVisibility::AfterClose,
        "when_revealed" => ResultsVisibility::WhenRevealed,
        _ => ResultsVisibility::Always,
    }
}

pub fn state_from(s: &str) -> PollState {
    match s {
        "open" => PollState::Open,
        "closed" => PollState::Closed,
        _ => PollState::Draft,
    }
}

fn opt_num(v: &JsValue, name: &str) -> Option<u64> {
    api::get(v, name).as_f64().map(|_| api::num(v, name))
}

/// `PollResults`, or `None` for `null`.
pub fn results_from(v: &JsValue) -> Option<PollResults> {
    let r = api::get(v, fields::RESULTS);
    r.is_object().then(|| PollResults {
        totals: api::items(&r, fields::TOTALS)
            .iter()
            .map(|n| n.as_f64().unwrap_or(0.0) as u64)
            .collect(),
        total_votes: api::num(&r, fields::TOTAL_VOTES),
    })
}

/// `PollPublic`, also from the admin's `Poll` (then `phase` comes from around it and
/// `needs_code` from its audience).
pub fn public_from(p: &JsValue, phase: &str) -> PollPublic {
    let audience = api::get(p, fields::AUDIENCE);
    PollPublic {
        id: api::text(p, fields::ID),
        question: api::text(p, fields::QUESTION),
        options: api::items(p, fields::OPTIONS)
            .iter()
            .map(|o| o.as_string().unwrap_or_default())
            .collect(),
        max_choices: api::num(p, fields::MAX_CHOICES).clamp(1, 255) as u8,
        opens_at: opt_num(p, fields::OPENS_AT),
        closes_at: opt_num(p, fields::CLOSES_AT),
        phase: phase_from(phase),
        results: visibility_from(&api::text(p, fields::RESULTS)),
        revealed: api::flag(p, fields::REVEALED),
        round: api::num(p, fields::ROUND) as u32,
        needs_code: api::flag(p, fields::NEEDS_CODE)
            || api::text(&audience, fields::KIND) == "codes",
        join_code: api::text(p, fields::JOIN_CODE),
    }
}

/// `PollView`.
pub fn view_from(v: &JsValue) -> PollView {
    let p = api::get(v, fields::POLL);
    PollView {
        poll: public_from(&p, &api::text(&p, fields::PHASE)),
        voted: api::flag(v, fields::VOTED),
        results: results_from(v),
        viewer: api::get(v, fields::VIEWER).as_string(),
    }
}

/// `VoteReceipt`.
pub fn receipt_from(v: &JsValue) -> VoteReceipt {
    VoteReceipt {
        round: api::num(v, fields::ROUND) as u32,
        results: results_from(v),
        viewer: api::text(v, fields::VIEWER),
    }
}

/// `LiveUpdate`.
pub fn live_from(v: &JsValue) -> LiveUpdate {
    LiveUpdate {
        seq: api::num(v, fields::SEQ),
        poll: api::text(v, fields::POLL),
        phase: phase_from(&api::text(v, fields::PHASE)),
        round: api::num(v, fields::ROUND) as u32,
        revealed: api::flag(v, fields::REVEALED),
        results: results_from(v),
    }
}

/// `n` of `total` in whole percents.
pub fn percent(n: u64, total: u64) -> u64 {
    (n.saturating_mul(100) + total / 2)
        .checked_div(total)
        .unwrap_or(0)
}

/// "12 stemmen (40%)".
pub fn votes_text(lang: Lang, n: u64, total: u64) -> String {
    let key = if n == 1 {
        Key::PollVotesOne
    } else {
        Key::PollVotesOther
    };
    fill(lang, key, &number(lang, n), &percent(n, total).to_string())
}

pub fn total_text(lang: Lang, total: u64) -> String {
    let key = if total == 1 {
        Key::PollTotalOne
    } else {
        Key::PollTotalOther
    };
    fill(lang, key, &number(lang, total), "")
}

/// The results as text and decorative bars. `open`: the poll still runs ("Tussenstand").
pub fn results_html(o: &mut Out, lang: Lang, options: &[String], r: &PollResults, open: bool) {
    o.raw("<section class=\"mekaar-results\" aria-labelledby=\"mekaar-results-title\">")
        .el(
            "<h3 id=\"mekaar-results-title\">",
            t(
                lang,
                if open {
                    Key::PollCurrent
                } else {
                    Key::PollResults
                },
            ),
            "</h3><ol class=\"mekaar-bars\">",
        );
    for (i, option) in options.iter().enumerate() {
        let n = r.totals.get(i).copied().unwrap_or(0);
        o.raw("<li class=\"mekaar-result\" data-option=\"")
            .num(i as u64)
            .el("\"><span class=\"mekaar-option\">", option, "</span> ")
            .el(
                "<span class=\"mekaar-votes\">",
                &votes_text(lang, n, r.total_votes),
                "</span>",
            )
            .raw("<span class=\"mekaar-bar\" aria-hidden=\"true\"><span class=\"mekaar-bar-fill\" style=\"--w:")
            .num(percent(n, r.total_votes).min(100))
            .raw("%\"></span></span></li>");
    }
    o.el(
        "</ol><p class=\"mekaar-total\">",
        &total_text(lang, r.total_votes),
        "</p></section>",
    );
}

/// The totals as one sentence, for screen readers.
pub fn summary(lang: Lang, options: &[String], r: &PollResults) -> String {
    let mut s = String::from(t(lang, Key::PollCurrent));
    s.push_str(": ");
    for (i, option) in options.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(option);
        s.push_str(": ");
        let n = r.totals.get(i).copied().unwrap_or(0);
        s.push_str(&votes_text(lang, n, r.total_votes));
    }
    s.push_str("; ");
    s.push_str(&total_text(lang, r.total_votes));
    s.push('.');
    s
}

/// Why the results are not shown yet.
pub fn hidden_key(rule: ResultsVisibility, voted: bool, overlay: bool) -> Key {
    match rule {
        ResultsVisibility::AfterVote if !voted && !overlay => Key::HiddenAfterVote,
        ResultsVisibility::AfterVote | ResultsVisibility::AfterClose => Key::HiddenAfterClose,
        _ => Key::HiddenWhenRevealed,
    }
}

/// A mistake in the vote form, shown at its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldError {
    /// At the choices: none chosen, or more than allowed.
    Choice(Key),
    /// At the vote code.
    Code(Key),
}

/// Everything the poll widget shows.
pub struct Ballot {
    pub lang: Lang,
    pub overlay: bool,
    pub poll: Option<Result<PollView, Failure>>,
    pub busy: bool,
    pub field: Option<FieldError>,
    /// A failed vote (or a later load).
    pub failure: Option<Failure>,
    /// The poll was reset after this resident voted: they may vote again.
    pub again: bool,
    /// What the live region says now.
    pub announced: String,
    /// The totals last shown or announced (the first ones are on screen, so they are not
    /// announced).
    baseline: Option<String>,
    /// A draft was opened: its view is being fetched.
    pub opening: bool,
    last_announced: f64,
}

impl Ballot {
    pub fn new(lang: Lang, overlay: bool) -> Ballot {
        Ballot {
            lang,
            overlay,
            poll: None,
            busy: false,
            field: None,
            failure: None,
            again: false,
            announced: String::new(),
            baseline: None,
            opening: false,
            last_announced: f64::MIN,
        }
    }

    /// A draft known by its id: not open yet (the view answered `poll_not_open`).
    pub fn waiting(&self) -> bool {
        matches!(&self.poll, Some(Err(f)) if f.problem == Problem::PollNotOpen)
    }

    /// Whether the widget follows the live stream: for a poll it shows, and for a draft
    /// (to learn of its opening); not for unknown ids or other failures.
    pub fn follows(&self) -> bool {
        self.view().is_some() || self.waiting()
    }

    /// Whether this live update opens the draft the widget waits for: then fetch the view
    /// (once; [`Ballot::loaded`] takes the answer).
    pub fn opens(&mut self, u: &LiveUpdate) -> bool {
        let opens = self.waiting() && u.phase != Phase::Draft && !self.opening;
        self.opening |= opens;
        opens
    }

    /// The answer to a fetch of the view; `refresh`: keep what is shown on a failure
    /// (not while waiting for a draft: then show it, unless it is still not open).
    pub fn loaded(&mut self, result: Result<PollView, Failure>, refresh: bool) {
        let was_waiting = self.waiting();
        self.opening = false;
        match result {
            Ok(v) => {
                self.poll = Some(Ok(v));
                if was_waiting && self.can_vote() {
                    self.announced = t(self.lang, Key::PollNowOpen).into();
                }
            }
            Err(_) if refresh && !was_waiting => {}
            Err(f) => self.poll = Some(Err(f)),
        }
    }

    pub fn view(&self) -> Option<&PollView> {
        self.poll.as_ref().and_then(|r| r.as_ref().ok())
    }

    /// Whether the vote form is shown.
    pub fn can_vote(&self) -> bool {
        !self.overlay
            && self
                .view()
                .is_some_and(|v| v.poll.phase == Phase::Open && !v.voted)
    }

    /// The viewer ticket for the live stream.
    pub fn ticket(&self) -> Option<&str> {
        self.view().and_then(|v| v.viewer.as_deref())
    }

    /// A live update arrived.
    pub fn live(&mut self, u: LiveUpdate) {
        let Some(Ok(v)) = &mut self.poll else {
            return;
        };
        if u.round != v.poll.round {
            // A reset: a new round, in which nobody has voted yet.
            if v.voted {
                self.again = true;
            }
            v.voted = false;
            v.viewer = None;
            self.field = None;
            self.failure = None;
        }
        v.poll.phase = u.phase;
        v.poll.round = u.round;
        v.poll.revealed = u.revealed;
        v.results = u.results;
    }

    /// The answer to a vote.
    pub fn voted(&mut self, result: Result<VoteReceipt, Failure>) {
        self.busy = false;
        match result {
            Ok(receipt) => {
                if let Some(Ok(v)) = &mut self.poll {
                    v.voted = true;
                    v.poll.round = receipt.round;
                    v.results = receipt.results;
                    v.viewer = Some(receipt.viewer);
                }
                self.again = false;
                self.failure = None;
                self.field = None;
            }
            Err(f) if f.problem == Problem::InvalidVoteCode => {
                self.field = Some(FieldError::Code(Key::ErrVoteCode));
            }
            Err(f) => self.failure = Some(f),
        }
    }

    /// Puts the current totals in the live region when they changed and the last
    /// announcement is [`ANNOUNCE_EVERY_MS`] old; else returns how long to wait first.
    pub fn announce(&mut self, now: f64) -> Option<f64> {
        let current = match self.view() {
            Some(PollView {
                poll,
                results: Some(r),
                ..
            }) => summary(self.lang, &poll.options, r),
            _ => return None,
        };
        let Some(said) = &self.baseline else {
            self.baseline = Some(current);
            return None;
        };
        if *said == current {
            return None;
        }
        let wait = self.last_announced + ANNOUNCE_EVERY_MS - now;
        if wait > 0.0 {
            return Some(wait);
        }
        self.announced.clone_from(&current);
        self.baseline = Some(current);
        self.last_announced = now;
        None
    }

    /// `data-state` of the root.
    pub fn state(&self) -> &'static str {
        match &self.poll {
            None => "loading",
            _ if self.waiting() => "waiting",
            Some(Ok(_)) => "ready",
            Some(Err(_)) => "error",
        }
    }

    /// The widget as HTML.
    pub fn html(&self, theme: Option<&'static str>) -> String {
        let lang = self.lang;
        let mut o = Out::default();
        o.raw(if self.overlay {
            "<div class=\"mekaar-root mekaar-poll mekaar-overlay\" data-view=\"overlay\" lang=\""
        } else {
            "<div class=\"mekaar-root mekaar-poll\" data-view=\"poll\" lang=\""
        })
        .raw(lang.tag())
        .raw("\" data-state=\"")
        .raw(self.state())
        .raw("\"");
        if let Some(theme) = theme {
            o.raw(" data-theme=\"").raw(theme).raw("\"");
        }
        if let Some(v) = self.view() {
            o.raw(" data-phase=\"")
                .raw(phase_name(v.poll.phase))
                .raw(if v.voted {
                    "\" data-voted=\"true\""
                } else {
                    "\" data-voted=\"false\""
                });
        } else if self.waiting() {
            o.raw(" data-phase=\"draft\"");
        }
        if self.busy {
            o.raw(" aria-busy=\"true\"");
        }
        o.raw(">");
        match &self.poll {
            None => {
                o.el(
                    "<p class=\"mekaar-loading\">",
                    t(lang, Key::Loading),
                    "</p>",
                );
            }
            // Nothing of a draft but that it is not open yet (no retry: the stream tells).
            Some(Err(_)) if self.waiting() => {
                o.el(
                    "<p class=\"mekaar-not-open\">",
                    t(lang, Key::PollNotYetOpen),
                    "</p>",
                );
            }
            Some(Err(f)) => {
                o.el(
                    "<p class=\"mekaar-message\" role=\"alert\">",
                    &failure_text(lang, f),
                    "</p>",
                );
                if f.problem.retryable() {
                    o.button("mekaar-retry", "reload", t(lang, Key::Retry));
                }
            }
            Some(Ok(v)) => self.ready(&mut o, v),
        }
        if !self.overlay {
            o.el(
                "<p class=\"mekaar-sr mekaar-announce\" aria-live=\"polite\">",
                &self.announced,
                "</p>",
            );
        }
        o.raw("</div>");
        o.0
    }

    fn ready(&self, o: &mut Out, v: &PollView) {
        let lang = self.lang;
        let p = &v.poll;
        if self.can_vote() {
            self.form(o, p);
        } else {
            o.el(
                "<h2 class=\"mekaar-question\" id=\"mekaar-question\">",
                &p.question,
                "</h2>",
            );
        }
        let when = match p.phase {
            Phase::Scheduled => p.opens_at.map(|at| (Key::PollOpensAt, at)),
            Phase::Open if !self.overlay => p.closes_at.map(|at| (Key::PollClosesAt, at)),
            _ => None,
        };
        if let Some((key, at)) = when {
            o.el(
                "<p class=\"mekaar-when\">",
                &fill(lang, key, "", &datetime(lang, at)),
                "</p>",
            );
        } else if p.phase == Phase::Closed {
            o.el(
                "<p class=\"mekaar-when\">",
                t(lang, Key::PollClosed),
                "</p>",
            );
        }
        if v.voted && !self.overlay {
            o.el(
                "<p class=\"mekaar-counted\" id=\"mekaar-counted\" role=\"status\" tabindex=\"-1\">",
                t(lang, Key::PollCounted),
                "</p>",
            );
        }
        if self.again && !self.overlay {
            o.el(
                "<p class=\"mekaar-again\" role=\"status\">",
                t(lang, Key::PollAgain),
                "</p>",
            );
        }
        if let Some(f) = &self.failure {
            o.el(
                "<p class=\"mekaar-message\" role=\"alert\">",
                &failure_text(lang, f),
                "</p>",
            );
        }
        match &v.results {
            Some(r) => results_html(o, lang, &p.options, r, p.phase != Phase::Closed),
            None if p.phase != Phase::Scheduled => {
                o.el(
                    "<p class=\"mekaar-hidden\">",
                    t(lang, hidden_key(p.results, v.voted, self.overlay)),
                    "</p>",
                );
            }
            None => {}
        }
    }

    fn form(&self, o: &mut Out, p: &PollPublic) {
        let lang = self.lang;
        let multi = p.max_choices > 1;
        let choice_error = match self.field {
            Some(FieldError::Choice(key)) => Some(key),
            _ => None,
        };
        o.raw("<form class=\"mekaar-vote-form\" data-act=\"vote\" novalidate><fieldset");
        match (multi, choice_error.is_some()) {
            (true, true) => o.raw(" aria-describedby=\"mekaar-hint mekaar-e-choice\">"),
            (true, false) => o.raw(" aria-describedby=\"mekaar-hint\">"),
            (false, true) => o.raw(" aria-describedby=\"mekaar-e-choice\">"),
            (false, false) => o.raw(">"),
        };
        o.el(
            "<legend class=\"mekaar-legend\"><h2 class=\"mekaar-question\" id=\"mekaar-question\">",
            &p.question,
            "</h2></legend>",
        );
        let k = p.max_choices.to_string();
        if multi {
            o.el(
                "<p class=\"mekaar-hint\" id=\"mekaar-hint\">",
                &fill(lang, Key::PollChooseMax, &k, ""),
                "</p>",
            );
        }
        o.raw("<div class=\"mekaar-choices\">");
        for (i, option) in p.options.iter().enumerate() {
            o.raw(if multi {
                "<div class=\"mekaar-choice\"><input type=\"checkbox\" name=\"choice\" id=\"mekaar-o-"
            } else {
                "<div class=\"mekaar-choice\"><input type=\"radio\" name=\"choice\" id=\"mekaar-o-"
            })
            .num(i as u64)
            .raw("\" value=\"")
            .num(i as u64)
            .raw("\"><label for=\"mekaar-o-")
            .num(i as u64)
            .el("\">", option, "</label></div>");
        }
        o.raw("</div>");
        if let Some(key) = choice_error {
            o.el(
                "<p class=\"mekaar-error\" id=\"mekaar-e-choice\" role=\"alert\">",
                &fill(lang, key, &k, ""),
                "</p>",
            );
        }
        o.raw("</fieldset>");
        if p.needs_code {
            let code_error = match self.field {
                Some(FieldError::Code(key)) => Some(key),
                _ => None,
            };
            o.el(
                "<div class=\"mekaar-field\"><label for=\"mekaar-f-code\">",
                t(lang, Key::PollCode),
                "</label><input id=\"mekaar-f-code\" name=\"code\" type=\"text\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" required",
            );
            match code_error {
                Some(key) => {
                    o.el(
                        " aria-invalid=\"true\" aria-describedby=\"mekaar-e-code\"><p class=\"mekaar-error\" id=\"mekaar-e-code\">",
                        t(lang, key),
                        "</p>",
                    );
                }
                None => {
                    o.raw(">");
                }
            }
            o.raw("</div>");
        }
        o.raw(
            "<button type=\"submit\" class=\"mekaar-button mekaar-primary\" id=\"mekaar-b-vote\"",
        );
        if self.busy {
            o.raw(" aria-disabled=\"true\"");
        }
        o.el(">", t(lang, Key::PollVote), "</button>").el(
            "<p class=\"mekaar-final-note\">",
            t(lang, Key::PollFinal),
            "</p></form>",
        );
    }

    /// Checks the choices and code before sending; the JSON body of the vote, or `None`
    /// (and the field error shown).
    pub fn ballot(&mut self, choices: &[u8], code: &str) -> Option<(Vec<u8>, Option<String>)> {
        let p = &self.view()?.poll;
        let k = usize::from(p.max_choices);
        let needs_code = p.needs_code;
        self.failure = None;
        self.field = if choices.is_empty() {
            Some(FieldError::Choice(Key::PollChooseOne))
        } else if choices.len() > k {
            Some(FieldError::Choice(Key::PollTooMany))
        } else if needs_code && code.trim().is_empty() {
            Some(FieldError::Code(Key::PollCodeMissing))
        } else {
            None
        };
        if self.field.is_some() || self.busy {
            return None;
        }
        self.busy = true;
        Some((choices.to_vec(), needs_code.then(|| code.trim().to_owned())))
    }

    /// A box was ticked or unticked: `checked` of all; whether the last tick must be undone
    /// (more than allowed).
    pub fn ticked(&mut self, checked: usize) -> bool {
        let Some(v) = self.view() else {
            return false;
        };
        if checked > usize::from(v.poll.max_choices) {
            self.field = Some(FieldError::Choice(Key::PollTooMany));
            return true;
        }
        if matches!(self.field, Some(FieldError::Choice(_))) {
            self.field = None;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll(max: u8, needs_code: bool, rule: ResultsVisibility, phase: Phase) -> PollView {
        PollView {
            poll: PollPublic {
                id: "p1".into(),
                question: "Waar komt <het> bankje?".into(),
                options: vec!["Plein".into(), "Kerk".into(), "Haven".into()],
                max_choices: max,
                opens_at: Some(1_794_441_600 + 20 * 3600),
                closes_at: None,
                phase,
                results: rule,
                revealed: false,
                round: 1,
                needs_code,
                join_code: "K7Q2".into(),
            },
            voted: false,
            results: None,
            viewer: None,
        }
    }

    fn ballot(v: PollView) -> Ballot {
        let mut b = Ballot::new(Lang::Nl, false);
        b.poll = Some(Ok(v));
        b
    }

    fn results(totals: &[u64], total: u64) -> PollResults {
        PollResults {
            totals: totals.to_vec(),
            total_votes: total,
        }
    }

    #[test]
    fn single_choice_form_is_radios_in_a_fieldset() {
        let b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Open));
        let html = b.html(None);
        assert!(html.contains("<fieldset><legend class=\"mekaar-legend\"><h2 class=\"mekaar-question\" id=\"mekaar-question\">Waar komt &lt;het&gt; bankje?</h2></legend>"), "{html}");
        assert_eq!(html.matches("type=\"radio\" name=\"choice\"").count(), 3);
        assert!(html.contains("<label for=\"mekaar-o-2\">Haven</label>"));
        assert!(!html.contains("mekaar-hint"));
        assert!(!html.contains("mekaar-f-code"));
        assert!(html.contains("Je stem is definitief"));
        assert!(html.contains("aria-live=\"polite\""));
    }

    #[test]
    fn multiple_choice_has_a_hint_and_enforces_at_most_k() {
        let mut b = ballot(poll(2, false, ResultsVisibility::Always, Phase::Open));
        let html = b.html(None);
        assert_eq!(html.matches("type=\"checkbox\"").count(), 3);
        assert!(
            html.contains("<p class=\"mekaar-hint\" id=\"mekaar-hint\">Kies er maximaal 2.</p>")
        );
        assert!(!b.ticked(2));
        assert!(b.ticked(3), "a third tick is undone");
        assert!(b.html(None).contains("Je kunt er maximaal 2 kiezen."));
        assert!(!b.ticked(2));
        assert_eq!(b.field, None);
        assert_eq!(b.ballot(&[0, 1, 2], ""), None);
        assert_eq!(b.ballot(&[], ""), None);
        assert!(b.html(None).contains("Kies eerst een antwoord."));
        assert_eq!(b.ballot(&[0, 2], ""), Some((vec![0, 2], None)));
        assert!(b.busy);
    }

    #[test]
    fn code_polls_ask_for_the_code() {
        let mut b = ballot(poll(1, true, ResultsVisibility::Always, Phase::Open));
        assert!(b
            .html(None)
            .contains("<label for=\"mekaar-f-code\">Je stemcode"));
        assert_eq!(b.ballot(&[1], " "), None);
        assert!(b.html(None).contains("Vul je stemcode in."));
        assert_eq!(
            b.ballot(&[1], " AB12 "),
            Some((vec![1], Some("AB12".into())))
        );
        b.voted(Err(Problem::InvalidVoteCode.into()));
        let html = b.html(None);
        assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"mekaar-e-code\""));
        assert!(html.contains("Deze stemcode klopt niet of is al gebruikt."));
    }

    #[test]
    fn a_vote_is_counted_and_shows_results_as_text() {
        let mut b = ballot(poll(1, false, ResultsVisibility::AfterVote, Phase::Open));
        let html = b.html(None);
        assert!(html.contains("De uitslag zie je nadat je hebt gestemd."));
        b.busy = true;
        b.voted(Ok(VoteReceipt {
            round: 1,
            results: Some(results(&[1, 2, 0], 3)),
            viewer: "tick".into(),
        }));
        assert_eq!(b.ticket(), Some("tick"));
        let html = b.html(None);
        assert!(!html.contains("mekaar-vote-form"));
        assert!(html.contains("Je stem is geteld."));
        assert!(html.contains("data-voted=\"true\""));
        assert!(
            html.contains("<span class=\"mekaar-votes\">1 stem (33%)</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"mekaar-votes\">2 stemmen (67%)</span>"));
        assert!(html.contains("<span class=\"mekaar-bar\" aria-hidden=\"true\"><span class=\"mekaar-bar-fill\" style=\"--w:67%\">"));
        assert!(html.contains("3 stemmen in totaal"));
        assert!(html.contains("Tussenstand"));
    }

    #[test]
    fn a_reset_brings_the_form_back() {
        let mut v = poll(1, false, ResultsVisibility::Always, Phase::Open);
        v.voted = true;
        v.viewer = Some("t".into());
        let mut b = ballot(v);
        b.live(LiveUpdate {
            seq: 9,
            poll: "p1".into(),
            phase: Phase::Open,
            round: 2,
            revealed: false,
            results: Some(results(&[0, 0, 0], 0)),
        });
        assert!(b.can_vote());
        assert_eq!(b.ticket(), None);
        let html = b.html(None);
        assert!(html.contains("mekaar-vote-form"));
        assert!(html.contains("opnieuw stemmen"));
    }

    #[test]
    fn phases_and_hidden_results() {
        let b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Scheduled));
        let html = b.html(None);
        assert!(
            html.contains("Deze peiling gaat open op 12 november 2026 om 20:00."),
            "{html}"
        );
        assert!(!html.contains("mekaar-vote-form"));
        let b = ballot(poll(
            1,
            false,
            ResultsVisibility::WhenRevealed,
            Phase::Closed,
        ));
        let html = b.html(None);
        assert!(html.contains("Deze peiling is gesloten."));
        assert!(html.contains("De uitslag volgt zodra die bekend wordt gemaakt."));
        let mut o = ballot(poll(1, false, ResultsVisibility::AfterVote, Phase::Open));
        o.overlay = true;
        let html = o.html(Some("dark"));
        assert!(html.contains("mekaar-overlay"));
        assert!(html.contains("data-theme=\"dark\""));
        assert!(!html.contains("mekaar-vote-form"));
        assert!(html.contains("De uitslag volgt als de peiling gesloten is."));
        assert!(!html.contains("aria-live"));
    }

    #[test]
    fn a_draft_waits_for_its_opening_and_then_shows_the_poll() {
        let update = |phase: Phase| LiveUpdate {
            seq: 1,
            poll: "p1".into(),
            phase,
            round: 1,
            revealed: false,
            results: None,
        };
        for overlay in [false, true] {
            let mut b = Ballot::new(Lang::Nl, overlay);
            b.loaded(Err(Problem::PollNotOpen.into()), false);
            assert!(b.waiting() && b.follows());
            let html = b.html(None);
            assert!(
                html.contains("data-state=\"waiting\" data-phase=\"draft\""),
                "{html}"
            );
            assert!(
                html.contains("<p class=\"mekaar-not-open\">Deze peiling is nog niet geopend.</p>"),
                "{html}"
            );
            assert!(!html.contains("role=\"alert\"") && !html.contains("mekaar-retry"));
            assert!(!b.opens(&update(Phase::Draft)), "still a draft");
            assert!(b.opens(&update(Phase::Open)));
            assert!(!b.opens(&update(Phase::Open)), "one fetch at a time");
            // Opened between the events and the fetch? Still not open: wait on.
            b.loaded(Err(Problem::PollNotOpen.into()), true);
            assert!(b.waiting());
            assert!(b.opens(&update(Phase::Open)));
            b.loaded(
                Ok(poll(1, false, ResultsVisibility::Always, Phase::Open)),
                true,
            );
            assert!(!b.waiting() && !b.opening);
            let html = b.html(None);
            assert!(
                html.contains("data-state=\"ready\" data-phase=\"open\""),
                "{html}"
            );
            assert!(html.contains("Waar komt &lt;het&gt; bankje?"));
            assert_eq!(html.contains("mekaar-vote-form"), !overlay);
            assert_eq!(b.announced.is_empty(), overlay, "{}", b.announced);
        }
        let mut b = Ballot::new(Lang::En, false);
        b.loaded(Err(Problem::PollNotOpen.into()), false);
        assert!(b.html(None).contains("This poll has not opened yet."));
        // A failed fetch after the opening shows the failure (with a retry).
        assert!(b.opens(&update(Phase::Closed)));
        b.loaded(Err(Problem::Unreachable.into()), true);
        assert!(!b.waiting());
        assert!(b.html(None).contains("mekaar-retry"));
        // Unknown ids stay an error, without a stream.
        let mut b = Ballot::new(Lang::Nl, false);
        b.loaded(Err(Problem::PollNotFound.into()), false);
        assert!(!b.waiting() && !b.follows());
        assert!(!b.opens(&update(Phase::Open)));
        let html = b.html(None);
        assert!(html.contains("data-state=\"error\""), "{html}");
        assert!(html.contains("Deze peiling bestaat niet (meer)."));
        assert!(!html.contains("data-phase"));
    }

    #[test]
    fn announcements_are_throttled() {
        let mut b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Open));
        let update = |n: u64| LiveUpdate {
            seq: n,
            poll: "p1".into(),
            phase: Phase::Open,
            round: 1,
            revealed: false,
            results: Some(results(&[n, 0, 0], n)),
        };
        b.live(update(1));
        assert_eq!(
            b.announce(0.0),
            None,
            "the first totals are on screen, not announced"
        );
        assert_eq!(b.announced, "");
        b.live(update(2));
        assert_eq!(b.announce(100.0), None);
        assert!(
            b.announced
                .starts_with("Tussenstand: Plein: 2 stemmen (100%), Kerk: 0 stemmen (0%)"),
            "{}",
            b.announced
        );
        b.live(update(3));
        assert_eq!(b.announce(1_100.0), Some(4_000.0));
        assert!(b.announced.contains("2 stemmen in totaal"));
        assert_eq!(b.announce(5_100.0), None);
        assert!(b.announced.contains("3 stemmen in totaal"));
        assert_eq!(b.announce(5_200.0), None, "nothing new");
    }

    #[test]
    fn percents() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(3, 3), 100);
    }

    /// The field names read in the browser are the wire names of the poll types.
    #[test]
    fn field_names_match_the_api_types() {
        use mekaar_api::polls::*;
        let v = serde_json::to_value(poll(
            2,
            true,
            ResultsVisibility::AfterClose,
            Phase::Scheduled,
        ))
        .unwrap();
        let p = &v[fields::POLL];
        for name in [
            fields::ID,
            fields::QUESTION,
            fields::OPTIONS,
            fields::MAX_CHOICES,
            fields::OPENS_AT,
            fields::CLOSES_AT,
            fields::PHASE,
            fields::RESULTS,
            fields::REVEALED,
            fields::ROUND,
            fields::NEEDS_CODE,
            fields::JOIN_CODE,
        ] {
            assert!(p.get(name).is_some(), "PollPublic has no {name}");
        }
        assert_eq!(p[fields::PHASE], "scheduled");
        assert_eq!(p[fields::RESULTS], "after_close");
        for name in [fields::VOTED, fields::RESULTS, fields::VIEWER] {
            assert!(v.get(name).is_some(), "PollView has no {name}");
        }
        for (rule, name) in [
            (ResultsVisibility::Always, "always"),
            (ResultsVisibility::AfterVote, "after_vote"),
            (ResultsVisibility::AfterClose, "after_close"),
            (ResultsVisibility::WhenRevealed, "when_revealed"),
        ] {
            assert_eq!(serde_json::to_value(rule).unwrap(), name);
            assert_eq!(visibility_from(name), rule);
        }
        for phase in [Phase::Draft, Phase::Scheduled, Phase::Open, Phase::Closed] {
            assert_eq!(serde_json::to_value(phase).unwrap(), phase_name(phase));
            assert_eq!(phase_from(phase_name(phase)), phase);
        }
        for (state, name) in [
            (PollState::Draft, "draft"),
            (PollState::Open, "open"),
            (PollState::Closed, "closed"),
        ] {
            assert_eq!(serde_json::to_value(state).unwrap(), name);
            assert_eq!(state_from(name), state);
        }
        let r = serde_json::to_value(VoteReceipt {
            round: 1,
            results: Some(results(&[1], 1)),
            viewer: "t".into(),
        })
        .unwrap();
        assert_eq!(r[fields::ROUND], 1);
        assert_eq!(r[fields::VIEWER], "t");
        assert_eq!(r[fields::RESULTS][fields::TOTALS][0], 1);
        assert_eq!(r[fields::RESULTS][fields::TOTAL_VOTES], 1);
        let u = serde_json::to_value(LiveUpdate {
            seq: 5,
            poll: "p".into(),
            phase: Phase::Open,
            round: 2,
            revealed: true,
            results: None,
        })
        .unwrap();
        assert_eq!(u[fields::SEQ], 5);
        assert_eq!(u[fields::POLL], "p");
        assert_eq!(u[fields::PHASE], "open");
        assert_eq!(u[fields::ROUND], 2);
        assert_eq!(u[fields::REVEALED], true);
        assert!(u[fields::RESULTS].is_null());
        let vote = serde_json::to_value(VoteRequest {
            choices: vec![1],
            code: Some("c".into()),
        })
        .unwrap();
        assert_eq!(vote[fields::CHOICES][0], 1);
        assert_eq!(vote[fields::CODE], "c");
        let action = serde_json::to_value(PollActionRequest {
            action: PollAction::Reset,
            round: Some(3),
        })
        .unwrap();
        assert_eq!(action[fields::ACTION], "reset");
        assert_eq!(action[fields::ROUND], 3);
        let codes = serde_json::to_value(VoteCodesRequest { count: 5 }).unwrap();
        assert_eq!(codes[fields::COUNT], 5);
        assert_eq!(
            serde_json::to_value(Audience::Codes).unwrap()[fields::KIND],
            "codes"
        );
    }
}
