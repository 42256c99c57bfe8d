//! The poll widget's state and views, without the browser: [`Ballot`] is the state (a
//! `yew::Reducible`, tested natively), [`view`] the markup from it. The browser side (the
//! root component with its fetches, live stream and timers) is in `poll_app.rs`.
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
//! DOM inside the shadow root (stable, for end-to-end tests; `{u}` is the widget's
//! [`Env::id`] prefix `mekaar-{uid}`): root `.mekaar-root.mekaar-poll` (`.mekaar-overlay`
//! too for the overlay) with `data-view` = poll | overlay, `data-state` = loading |
//! waiting (a draft, not open yet) | ready | error, `data-phase` = draft | scheduled |
//! open | closed (`draft` while waiting), `data-voted` = true | false (when ready);
//! `p.mekaar-not-open`; `.mekaar-question` (a heading of the placeholder's level);
//! `p.mekaar-when`; `form.mekaar-vote-form` (fieldset, legend holding the question,
//! `input[name=choice]#{u}-o-{i}` with labels, `p.mekaar-hint`, `#{u}-e-choice`, the code
//! field `#{u}-f-code` with `#{u}-e-code`, `button#{u}-b-vote`); `p.mekaar-counted`;
//! `p.mekaar-again`; `p.mekaar-message[role=alert]`; `section.mekaar-results` with
//! `li.mekaar-result[data-option]` (`.mekaar-option`, `.mekaar-votes` as text,
//! `.mekaar-bar-fill` decoration whose width is set through CSSOM, never a `style`
//! attribute in the markup) and `p.mekaar-total`; `p.mekaar-hidden` ("results follow
//! …"); `p.mekaar-announce[aria-live=polite]`.

use crate::api::{Failure, Problem, Subject};
use crate::i18n::{datetime, fill, number, t, Key, Lang};
use crate::initiatives::failure_text;
use crate::widget::{heading, Env};
use mekaar_api::polls::{
    LiveUpdate, Phase, PollPublic, PollResults, PollView, ResultsVisibility, VoteReceipt,
    VoteRequest,
};
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds between two announcements of the totals to screen readers.
pub const ANNOUNCE_EVERY_MS: f64 = 5_000.0;

pub fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Draft => "draft",
        Phase::Scheduled => "scheduled",
        Phase::Open => "open",
        Phase::Closed => "closed",
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
#[derive(Clone, Debug, PartialEq)]
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
    /// The ticked options, in option order: the form's inputs show exactly these.
    pub chosen: Vec<u8>,
    /// The vote code as typed.
    pub code: String,
    /// Counts the resident's ticks, so that a refused tick still renders (and un-ticks
    /// the box the browser ticked).
    touched: u32,
    /// What the live region says now.
    pub announced: String,
    /// The totals last shown or announced (the first ones are on screen, so they are not
    /// announced).
    baseline: Option<String>,
    last_announced: f64,
    /// When the totals that changed may be announced (ms since the epoch): the widget
    /// sets a timer for then.
    pub announce_at: Option<f64>,
    /// A draft was opened: its view is being fetched.
    pub opening: bool,
    /// The fetches of the view the widget wants: their number (0: none) and whether the
    /// latest is a refresh that keeps what is shown until it arrives.
    pub load: (u32, bool),
    /// Where the focus goes after this change (an [`Env::id`] name), numbered so that the
    /// same place twice moves the focus twice.
    pub focus: (u32, Option<&'static str>),
}

/// What happens to a poll widget. `f64`s are the time (ms since the epoch) it happened.
pub enum Action {
    /// Start again from loading (the retry button).
    Reload,
    /// The answer to a fetch of the view; `true`: a refresh.
    Loaded(Result<PollView, Failure>, bool, f64),
    /// A live event.
    Live(LiveUpdate, f64),
    /// The resident ticked (`true`) or unticked an option.
    Choose(u8, bool),
    /// The resident typed in the vote-code field.
    Code(String),
    /// The resident sent the form: checked here; see [`Ballot::request`] for what to send.
    Submit,
    /// The answer to a vote.
    Voted(Result<VoteReceipt, Failure>, f64),
    /// The announcement timer ran out.
    Announce(f64),
}

impl Ballot {
    /// A poll widget that starts loading; `configured`: the placeholder names a community
    /// and a poll (else it shows what is missing and asks nothing).
    pub fn new(lang: Lang, overlay: bool, configured: bool) -> Ballot {
        Ballot {
            lang,
            overlay,
            poll: (!configured).then(|| Err(Problem::Misconfigured.into())),
            busy: false,
            field: None,
            failure: None,
            again: false,
            chosen: Vec::new(),
            code: String::new(),
            touched: 0,
            announced: String::new(),
            baseline: None,
            last_announced: f64::MIN,
            announce_at: None,
            opening: false,
            load: (u32::from(configured), false),
            focus: (0, None),
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
            // A reset: a new round, in which nobody has voted yet, and an empty form.
            if v.voted {
                self.again = true;
            }
            v.voted = false;
            v.viewer = None;
            self.field = None;
            self.failure = None;
            self.chosen.clear();
            self.code.clear();
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
                self.chosen.clear();
                self.code.clear();
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

    /// [`Ballot::announce`], remembering when to try again (none in the overlay: it has
    /// no live region).
    fn schedule(&mut self, now: f64) {
        self.announce_at = if self.overlay {
            None
        } else {
            self.announce(now).map(|wait| now + wait)
        };
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

    /// The resident ticked or unticked `option`. A radio button replaces the choice; a
    /// checkbox past `max_choices` is refused (the view un-ticks it) with a message.
    pub fn choose(&mut self, option: u8, on: bool) {
        self.touched = self.touched.wrapping_add(1);
        let Some(v) = self.view() else {
            return;
        };
        let max = usize::from(v.poll.max_choices);
        if max <= 1 {
            self.chosen = vec![option];
        } else if !on {
            self.chosen.retain(|&c| c != option);
        } else if !self.chosen.contains(&option) {
            if self.chosen.len() >= max {
                self.field = Some(FieldError::Choice(Key::PollTooMany));
                return;
            }
            self.chosen.push(option);
            self.chosen.sort_unstable();
        }
        if matches!(self.field, Some(FieldError::Choice(_))) {
            self.field = None;
        }
    }

    /// The vote the form holds, or the mistake to show at its field.
    pub fn request(&self) -> Result<VoteRequest, FieldError> {
        let Some(v) = self.view() else {
            return Err(FieldError::Choice(Key::PollChooseOne));
        };
        let needs_code = v.poll.needs_code;
        let code = self.code.trim();
        if self.chosen.is_empty() {
            Err(FieldError::Choice(Key::PollChooseOne))
        } else if self.chosen.len() > usize::from(v.poll.max_choices) {
            Err(FieldError::Choice(Key::PollTooMany))
        } else if needs_code && code.is_empty() {
            Err(FieldError::Code(Key::PollCodeMissing))
        } else {
            Ok(VoteRequest {
                choices: self.chosen.clone(),
                code: needs_code.then(|| code.to_owned()),
            })
        }
    }

    /// The form was sent: the vote to send (and the widget busy until its answer), or
    /// `None` (a mistake shown at its field, or a vote still in flight).
    pub fn submit(&mut self) -> Option<VoteRequest> {
        self.view()?;
        self.failure = None;
        match self.request() {
            Err(field) => {
                self.field = Some(field);
                None
            }
            Ok(_) if self.busy => None,
            Ok(request) => {
                self.field = None;
                self.busy = true;
                Some(request)
            }
        }
    }

    fn focus_on(&mut self, name: &'static str) {
        self.focus = (self.focus.0.wrapping_add(1), Some(name));
    }

    fn reload(&mut self, refresh: bool) {
        self.load = (self.load.0.wrapping_add(1).max(1), refresh);
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Reload => {
                if self.load.0 > 0 {
                    self.poll = None;
                    self.failure = None;
                    self.reload(false);
                }
            }
            Action::Loaded(result, refresh, now) => {
                self.loaded(result, refresh);
                self.schedule(now);
            }
            Action::Live(u, now) => {
                if self.opens(&u) {
                    // The draft was opened: now its view has content.
                    self.reload(true);
                }
                self.live(u);
                self.schedule(now);
            }
            Action::Choose(option, on) => self.choose(option, on),
            Action::Code(code) => self.code = code,
            Action::Submit => {
                if self.submit().is_none() {
                    match self.field {
                        Some(FieldError::Code(_)) => self.focus_on("f-code"),
                        Some(FieldError::Choice(_)) => self.focus_on("o-0"),
                        None => {}
                    }
                }
            }
            Action::Voted(result, now) => {
                let problem = result.as_ref().err().map(|f| f.problem);
                self.voted(result);
                match problem {
                    None => self.focus_on("counted"),
                    Some(Problem::InvalidVoteCode) => self.focus_on("f-code"),
                    // The poll moved on (closed, or this key voted elsewhere): show it as
                    // it is now.
                    Some(Problem::AlreadyVoted | Problem::PollNotOpen) => self.reload(true),
                    Some(_) => {}
                }
                self.schedule(now);
            }
            Action::Announce(now) => self.schedule(now),
        }
    }
}

impl Reducible for Ballot {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// What the view's controls call.
#[derive(Clone, Default, PartialEq)]
pub struct Handlers {
    /// An option ticked (`true`) or unticked.
    pub choose: Callback<(u8, bool)>,
    pub code: Callback<String>,
    pub submit: Callback<SubmitEvent>,
    pub retry: Callback<MouseEvent>,
}

/// The widget as markup; `root` is the `.mekaar-root` element's ref.
pub fn view(b: &Ballot, env: &Env, on: &Handlers, root: NodeRef) -> Html {
    let lang = b.lang;
    let phase = match b.view() {
        Some(v) => Some(phase_name(v.poll.phase)),
        None => b.waiting().then_some("draft"),
    };
    let voted = b.view().map(|v| if v.voted { "true" } else { "false" });
    let body = match &b.poll {
        None => html! { <p class="mekaar-loading">{t(lang, Key::Loading)}</p> },
        // Nothing of a draft but that it is not open yet (no retry: the stream tells).
        Some(Err(_)) if b.waiting() => {
            html! { <p class="mekaar-not-open">{t(lang, Key::PollNotYetOpen)}</p> }
        }
        Some(Err(f)) => html! {
            <>
                <p class="mekaar-message" role="alert">{failure_text(lang, Subject::Poll, f)}</p>
                if f.problem.retryable() {
                    <button type="button" class="mekaar-button mekaar-retry"
                        onclick={on.retry.clone()}>{t(lang, Key::Retry)}</button>
                }
            </>
        },
        Some(Ok(v)) => ready(b, env, on, v),
    };
    html! {
        <div ref={root}
            class={if b.overlay { "mekaar-root mekaar-poll mekaar-overlay" } else { "mekaar-root mekaar-poll" }}
            data-view={if b.overlay { "overlay" } else { "poll" }} lang={lang.tag()}
            data-state={b.state()} data-theme={env.theme_attr()} data-phase={phase}
            data-voted={voted} aria-busy={b.busy.then_some("true")}>
            {body}
            if !b.overlay {
                <p class="mekaar-sr mekaar-announce" aria-live="polite">{b.announced.clone()}</p>
            }
        </div>
    }
}

fn ready(b: &Ballot, env: &Env, on: &Handlers, v: &PollView) -> Html {
    let lang = b.lang;
    let p = &v.poll;
    let when = match p.phase {
        Phase::Scheduled => p
            .opens_at
            .map(|at| fill(lang, Key::PollOpensAt, "", &datetime(lang, at))),
        Phase::Open if !b.overlay => p
            .closes_at
            .map(|at| fill(lang, Key::PollClosesAt, "", &datetime(lang, at))),
        Phase::Closed => Some(t(lang, Key::PollClosed).into()),
        _ => None,
    };
    let results = match &v.results {
        Some(r) => results(lang, env, &p.options, r, p.phase != Phase::Closed),
        None if p.phase != Phase::Scheduled => html! {
            <p class="mekaar-hidden">{t(lang, hidden_key(p.results, v.voted, b.overlay))}</p>
        },
        None => Html::default(),
    };
    html! {
        <>
            if b.can_vote() {
                {form(b, env, on, p)}
            } else {
                {question(env, p)}
            }
            if let Some(when) = when {
                <p class="mekaar-when">{when}</p>
            }
            if v.voted && !b.overlay {
                <p class="mekaar-counted" id={env.id("counted")} role="status" tabindex="-1">
                    {t(lang, Key::PollCounted)}
                </p>
            }
            if b.again && !b.overlay {
                <p class="mekaar-again" role="status">{t(lang, Key::PollAgain)}</p>
            }
            if let Some(f) = &b.failure {
                <p class="mekaar-message" role="alert">{failure_text(lang, Subject::Poll, f)}</p>
            }
            {results}
        </>
    }
}

/// The question, as the widget's top heading.
fn question(env: &Env, p: &PollPublic) -> Html {
    heading(
        env.level(0),
        "mekaar-question",
        Some(env.id("question")),
        html! { {p.question.clone()} },
    )
}

fn form(b: &Ballot, env: &Env, on: &Handlers, p: &PollPublic) -> Html {
    let lang = b.lang;
    let multi = p.max_choices > 1;
    let (choice_error, code_error) = match b.field {
        Some(FieldError::Choice(key)) => (Some(key), None),
        Some(FieldError::Code(key)) => (None, Some(key)),
        None => (None, None),
    };
    let hint = env.id("hint");
    let e_choice = env.id("e-choice");
    let e_code = env.id("e-code");
    let f_code = env.id("f-code");
    let describedby = match (multi, choice_error.is_some()) {
        (true, true) => Some(AttrValue::from(
            [hint.as_str(), " ", e_choice.as_str()].concat(),
        )),
        (true, false) => Some(hint.clone()),
        (false, true) => Some(e_choice.clone()),
        (false, false) => None,
    };
    let k = p.max_choices.to_string();
    let kind = if multi { "checkbox" } else { "radio" };
    let choices = p.options.iter().enumerate().map(|(i, option)| {
        let id = env.id(&["o-", &i.to_string()].concat());
        let n = i as u8;
        let choose = on.choose.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            choose.emit((n, input.checked()));
        });
        html! {
            <div class="mekaar-choice" key={i}>
                <input type={kind} name="choice" id={id.clone()} value={i.to_string()}
                    checked={b.chosen.contains(&n)} {onchange} />
                <label for={id}>{option.clone()}</label>
            </div>
        }
    });
    let oninput = {
        let code = on.code.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            code.emit(input.value());
        })
    };
    html! {
        <form class="mekaar-vote-form" novalidate=true onsubmit={on.submit.clone()}>
            <fieldset aria-describedby={describedby}>
                <legend class="mekaar-legend">{question(env, p)}</legend>
                if multi {
                    <p class="mekaar-hint" id={hint}>{fill(lang, Key::PollChooseMax, &k, "")}</p>
                }
                <div class="mekaar-choices">{for choices}</div>
                if let Some(key) = choice_error {
                    <p class="mekaar-error" id={e_choice} role="alert">{fill(lang, key, &k, "")}</p>
                }
            </fieldset>
            if p.needs_code {
                <div class="mekaar-field">
                    <label for={f_code.clone()}>{t(lang, Key::PollCode)}</label>
                    <input id={f_code} name="code" type="text" autocomplete="off"
                        autocapitalize="characters" spellcheck="false" required=true
                        value={b.code.clone()} {oninput}
                        aria-invalid={code_error.map(|_| "true")}
                        aria-describedby={code_error.map(|_| e_code.clone())} />
                    if let Some(key) = code_error {
                        <p class="mekaar-error" id={e_code}>{t(lang, key)}</p>
                    }
                </div>
            }
            <button type="submit" class="mekaar-button mekaar-primary" id={env.id("b-vote")}
                aria-disabled={b.busy.then_some("true")}>{t(lang, Key::PollVote)}</button>
            <p class="mekaar-final-note">{t(lang, Key::PollFinal)}</p>
        </form>
    }
}

/// The results as text, with decorative bars. `open`: the poll still runs ("Tussenstand").
pub fn results(lang: Lang, env: &Env, options: &[String], r: &PollResults, open: bool) -> Html {
    let title = env.id("results-title");
    let rows = options.iter().enumerate().map(|(i, option)| {
        let n = r.totals.get(i).copied().unwrap_or(0);
        html! {
            <li class="mekaar-result" key={i} data-option={i.to_string()}>
                <span class="mekaar-option">{option.clone()}</span>{" "}
                <span class="mekaar-votes">{votes_text(lang, n, r.total_votes)}</span>
                <Bar percent={percent(n, r.total_votes).min(100)} />
            </li>
        }
    });
    let key = if open {
        Key::PollCurrent
    } else {
        Key::PollResults
    };
    html! {
        <section class="mekaar-results" aria-labelledby={title.clone()}>
            {heading(env.level(1), "mekaar-results-title", Some(title), html! { {t(lang, key)} })}
            <ol class="mekaar-bars">{for rows}</ol>
            <p class="mekaar-total">{total_text(lang, r.total_votes)}</p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct BarProps {
    /// 0–100.
    pub percent: u64,
}

/// One result bar (decoration: the numbers are in the text). Its width is set through
/// CSSOM, which a host page's CSP without `'unsafe-inline'` allows, where a `style`
/// attribute in the markup would be dropped.
#[function_component(Bar)]
pub fn bar(p: &BarProps) -> Html {
    let fill = use_node_ref();
    {
        let fill = fill.clone();
        use_effect_with(p.percent, move |percent| {
            if let Some(el) = fill.cast::<web_sys::HtmlElement>() {
                let width = [percent.to_string().as_str(), "%"].concat();
                let _ = el.style().set_property("width", &width);
            }
        });
    }
    html! {
        <span class="mekaar-bar" aria-hidden="true">
            <span class="mekaar-bar-fill" ref={fill}></span>
        </span>
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
        let mut b = Ballot::new(Lang::Nl, false, true);
        b.poll = Some(Ok(v));
        b
    }

    fn results(totals: &[u64], total: u64) -> PollResults {
        PollResults {
            totals: totals.to_vec(),
            total_votes: total,
        }
    }

    fn reduce(b: Ballot, action: Action) -> Ballot {
        (*Rc::new(b).reduce(action)).clone()
    }

    fn env(theme: Option<crate::support::Theme>) -> Env {
        Env {
            base: "/".into(),
            community: "omroep".into(),
            lang: Lang::Nl,
            theme,
            voter: "v".into(),
            heading: 2,
            uid: 7,
            preview: false,
        }
    }

    #[derive(Properties, PartialEq)]
    struct Shown {
        ballot: Ballot,
        env: Env,
    }

    #[function_component(ShowView)]
    fn show_view(p: &Shown) -> Html {
        view(&p.ballot, &p.env, &Handlers::default(), NodeRef::default())
    }

    /// The widget as the browser would get it (yew's server renderer, natively).
    fn render_with(b: &Ballot, env: Env) -> String {
        let props = Shown {
            ballot: b.clone(),
            env,
        };
        futures::executor::block_on(
            yew::LocalServerRenderer::<ShowView>::with_props(props)
                .hydratable(false)
                .render(),
        )
    }

    fn render(b: &Ballot) -> String {
        render_with(b, env(None))
    }

    #[test]
    fn single_choice_form_is_radios_in_a_fieldset() {
        let b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Open));
        let html = render(&b);
        assert!(html.contains("<fieldset><legend class=\"mekaar-legend\"><h2 id=\"mekaar-7-question\" tabindex=\"-1\" class=\"mekaar-question\">Waar komt &lt;het&gt; bankje?</h2></legend>"), "{html}");
        assert_eq!(html.matches("type=\"radio\" name=\"choice\"").count(), 3);
        assert!(
            html.contains("<label for=\"mekaar-7-o-2\">Haven</label>"),
            "{html}"
        );
        assert!(!html.contains("checked"), "nothing chosen yet: {html}");
        assert!(!html.contains("mekaar-hint"));
        assert!(!html.contains("f-code"));
        assert!(!html.contains("style="), "no inline styles: {html}");
        assert!(html.contains("Je stem is definitief"));
        assert!(html.contains("aria-live=\"polite\""));
    }

    #[test]
    fn the_question_heading_follows_the_placeholders_level() {
        let b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Closed));
        let mut e = env(None);
        e.heading = 4;
        let mut b = b;
        if let Some(Ok(v)) = &mut b.poll {
            v.results = Some(results(&[1, 0, 0], 1));
        }
        let html = render_with(&b, e);
        assert!(
            html.contains(
                "<h4 id=\"mekaar-7-question\" tabindex=\"-1\" class=\"mekaar-question\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("<h5 id=\"mekaar-7-results-title\" tabindex=\"-1\" class=\"mekaar-results-title\">Uitslag</h5>"),
            "{html}"
        );
        assert!(html.contains("aria-labelledby=\"mekaar-7-results-title\""));
        assert!(!html.contains("<h1"));
    }

    #[test]
    fn multiple_choice_has_a_hint_and_enforces_at_most_k() {
        let b = ballot(poll(2, false, ResultsVisibility::Always, Phase::Open));
        let html = render(&b);
        assert_eq!(html.matches("type=\"checkbox\"").count(), 3);
        assert!(
            html.contains("<p id=\"mekaar-7-hint\" class=\"mekaar-hint\">Kies er maximaal 2.</p>"),
            "{html}"
        );
        assert!(html.contains("aria-describedby=\"mekaar-7-hint\""));
        let b = reduce(b, Action::Choose(0, true));
        let b = reduce(b, Action::Choose(2, true));
        assert_eq!((b.chosen.clone(), b.field), (vec![0, 2], None));
        // A third tick is refused: the state keeps two, so the view un-ticks the box.
        let refused = reduce(b.clone(), Action::Choose(1, true));
        assert_eq!(refused.chosen, vec![0, 2]);
        assert_ne!(
            refused, b,
            "a refused tick renders again, to un-tick the box"
        );
        let html = render(&refused);
        assert!(html.contains("Je kunt er maximaal 2 kiezen."), "{html}");
        assert!(html.contains("aria-describedby=\"mekaar-7-hint mekaar-7-e-choice\""));
        assert_eq!(html.matches(" checked").count(), 2, "{html}");
        // The same refusal again still renders (the browser ticked the box again).
        let again = reduce(refused.clone(), Action::Choose(1, true));
        assert_ne!(again, refused);
        // Unticking one clears the message and makes room.
        let b = reduce(refused, Action::Choose(2, false));
        assert_eq!((b.chosen.clone(), b.field), (vec![0], None));
        let b = reduce(b, Action::Choose(1, true));
        assert_eq!(b.chosen, vec![0, 1]);

        let mut none = ballot(poll(2, false, ResultsVisibility::Always, Phase::Open));
        assert_eq!(none.submit(), None);
        assert!(render(&none).contains("Kies eerst een antwoord."));
        let mut too_many = none.clone();
        too_many.chosen = vec![0, 1, 2];
        assert_eq!(too_many.submit(), None);
        assert_eq!(too_many.field, Some(FieldError::Choice(Key::PollTooMany)));
        none.chosen = vec![0, 2];
        assert_eq!(
            none.submit(),
            Some(VoteRequest {
                choices: vec![0, 2],
                code: None
            })
        );
        assert!(none.busy);
        assert_eq!(none.submit(), None, "one vote in flight at a time");
    }

    #[test]
    fn a_radio_button_replaces_the_choice_and_a_refused_form_moves_the_focus() {
        let b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Open));
        let b = reduce(b, Action::Submit);
        assert_eq!(b.field, Some(FieldError::Choice(Key::PollChooseOne)));
        assert_eq!(b.focus, (1, Some("o-0")));
        assert!(render(&b)
            .contains("role=\"alert\" class=\"mekaar-error\">Kies eerst een antwoord.</p>"));
        let b = reduce(b, Action::Choose(0, true));
        let b = reduce(b, Action::Choose(2, true));
        assert_eq!((b.chosen.clone(), b.field), (vec![2], None));
        let html = render(&b);
        assert_eq!(html.matches(" checked").count(), 1);
        assert!(
            html.contains(
                "<input value=\"2\" checked type=\"radio\" name=\"choice\" id=\"mekaar-7-o-2\">"
            ),
            "{html}"
        );
    }

    #[test]
    fn code_polls_ask_for_the_code() {
        let b = ballot(poll(1, true, ResultsVisibility::Always, Phase::Open));
        assert!(render(&b).contains("<label for=\"mekaar-7-f-code\">Je stemcode"));
        let b = reduce(b, Action::Choose(1, true));
        let b = reduce(b, Action::Code(" ".into()));
        let b = reduce(b, Action::Submit);
        assert!(!b.busy);
        assert_eq!(b.focus, (1, Some("f-code")));
        assert!(render(&b).contains("Vul je stemcode in."));
        let mut b = reduce(b, Action::Code(" AB12 ".into()));
        assert_eq!(
            b.clone().submit(),
            Some(VoteRequest {
                choices: vec![1],
                code: Some("AB12".into())
            })
        );
        b.busy = true;
        let b = reduce(b, Action::Voted(Err(Problem::InvalidVoteCode.into()), 0.0));
        assert!(!b.busy);
        assert_eq!(b.focus, (2, Some("f-code")));
        let html = render(&b);
        assert!(
            html.contains("aria-invalid=\"true\" aria-describedby=\"mekaar-7-e-code\""),
            "{html}"
        );
        assert!(html.contains("Deze stemcode klopt niet of is al gebruikt."));
        assert!(
            html.contains("value=\" AB12 \""),
            "the code stays as typed: {html}"
        );
    }

    #[test]
    fn a_vote_is_counted_and_shows_results_as_text() {
        let b = ballot(poll(1, false, ResultsVisibility::AfterVote, Phase::Open));
        let html = render(&b);
        assert!(html.contains("De uitslag zie je nadat je hebt gestemd."));
        let mut b = reduce(b, Action::Choose(1, true));
        b.busy = true;
        let b = reduce(
            b,
            Action::Voted(
                Ok(VoteReceipt {
                    round: 1,
                    results: Some(results(&[1, 2, 0], 3)),
                    viewer: "tick".into(),
                }),
                0.0,
            ),
        );
        assert_eq!(b.ticket(), Some("tick"));
        assert_eq!(b.focus, (1, Some("counted")));
        let html = render(&b);
        assert!(!html.contains("mekaar-vote-form"));
        assert!(html.contains("Je stem is geteld."));
        assert!(html.contains("id=\"mekaar-7-counted\""));
        assert!(html.contains("data-voted=\"true\""));
        assert!(
            html.contains("<span class=\"mekaar-votes\">1 stem (33%)</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"mekaar-votes\">2 stemmen (67%)</span>"));
        assert_eq!(
            html.matches("<span aria-hidden=\"true\" class=\"mekaar-bar\"><span class=\"mekaar-bar-fill\"></span></span>").count(),
            3,
            "decorative bars, their width set through CSSOM: {html}"
        );
        assert!(!html.contains("style="), "no inline styles: {html}");
        assert!(html.contains("3 stemmen in totaal"));
        assert!(html.contains("Tussenstand"));
    }

    #[test]
    fn a_reset_brings_the_form_back_empty() {
        let mut v = poll(1, false, ResultsVisibility::Always, Phase::Open);
        v.voted = true;
        v.viewer = Some("t".into());
        let mut b = ballot(v);
        b.chosen = vec![1];
        let b = reduce(
            b,
            Action::Live(
                LiveUpdate {
                    seq: 9,
                    poll: "p1".into(),
                    phase: Phase::Open,
                    round: 2,
                    revealed: false,
                    results: Some(results(&[0, 0, 0], 0)),
                },
                0.0,
            ),
        );
        assert!(b.can_vote());
        assert_eq!(b.ticket(), None);
        assert!(b.chosen.is_empty(), "after a reset the form is empty");
        let html = render(&b);
        assert!(html.contains("mekaar-vote-form"));
        assert!(!html.contains("checked"), "{html}");
        assert!(html.contains("opnieuw stemmen"));
    }

    #[test]
    fn phases_and_hidden_results() {
        let b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Scheduled));
        let html = render(&b);
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
        let html = render(&b);
        assert!(html.contains("Deze peiling is gesloten."));
        assert!(html.contains("De uitslag volgt zodra die bekend wordt gemaakt."));
        let mut o = ballot(poll(1, false, ResultsVisibility::AfterVote, Phase::Open));
        o.overlay = true;
        let html = render_with(&o, env(Some(crate::support::Theme::Dark)));
        assert!(html.contains("mekaar-overlay"));
        assert!(html.contains("data-view=\"overlay\""));
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
            let b = Ballot::new(Lang::Nl, overlay, true);
            assert_eq!(b.load, (1, false), "a new widget fetches the view");
            let b = reduce(
                b,
                Action::Loaded(Err(Problem::PollNotOpen.into()), false, 0.0),
            );
            assert!(b.waiting() && b.follows());
            let html = render(&b);
            assert!(html.contains("data-state=\"waiting\""), "{html}");
            assert!(html.contains("data-phase=\"draft\""), "{html}");
            assert!(
                html.contains("<p class=\"mekaar-not-open\">Deze peiling is nog niet geopend.</p>"),
                "{html}"
            );
            assert!(!html.contains("role=\"alert\"") && !html.contains("mekaar-retry"));
            let b = reduce(b, Action::Live(update(Phase::Draft), 0.0));
            assert_eq!(b.load, (1, false), "still a draft");
            let b = reduce(b, Action::Live(update(Phase::Open), 0.0));
            assert_eq!(b.load, (2, true), "opened: fetch the view");
            let b = reduce(b, Action::Live(update(Phase::Open), 0.0));
            assert_eq!(b.load, (2, true), "one fetch at a time");
            // Opened between the events and the fetch? Still not open: wait on.
            let b = reduce(
                b,
                Action::Loaded(Err(Problem::PollNotOpen.into()), true, 0.0),
            );
            assert!(b.waiting());
            let b = reduce(b, Action::Live(update(Phase::Open), 0.0));
            assert_eq!(b.load, (3, true));
            let b = reduce(
                b,
                Action::Loaded(
                    Ok(poll(1, false, ResultsVisibility::Always, Phase::Open)),
                    true,
                    0.0,
                ),
            );
            assert!(!b.waiting() && !b.opening);
            let html = render(&b);
            assert!(html.contains("data-state=\"ready\""), "{html}");
            assert!(html.contains("data-phase=\"open\""), "{html}");
            assert!(html.contains("Waar komt &lt;het&gt; bankje?"));
            assert_eq!(html.contains("mekaar-vote-form"), !overlay);
            assert_eq!(b.announced.is_empty(), overlay, "{}", b.announced);
        }
        let mut b = Ballot::new(Lang::En, false, true);
        b.loaded(Err(Problem::PollNotOpen.into()), false);
        assert!(render(&b).contains("This poll has not opened yet."));
        // A failed fetch after the opening shows the failure (with a retry).
        assert!(b.opens(&update(Phase::Closed)));
        b.loaded(Err(Problem::Unreachable.into()), true);
        assert!(!b.waiting());
        assert!(render(&b).contains("mekaar-retry"));
        let b = reduce(b, Action::Reload);
        assert_eq!((b.state(), b.load.1), ("loading", false));
        // Unknown ids stay an error, without a stream.
        let mut b = Ballot::new(Lang::Nl, false, true);
        b.loaded(Err(Problem::PollNotFound.into()), false);
        assert!(!b.waiting() && !b.follows());
        assert!(!b.opens(&update(Phase::Open)));
        let html = render(&b);
        assert!(html.contains("data-state=\"error\""), "{html}");
        assert!(html.contains("Deze peiling bestaat niet (meer)."));
        assert!(!html.contains("data-phase"));
        // A placeholder without a poll asks nothing and says what is missing.
        let b = Ballot::new(Lang::Nl, false, false);
        assert_eq!(b.load, (0, false));
        assert_eq!(b.state(), "error");
        assert_eq!(reduce(b, Action::Reload).load, (0, false));
    }

    #[test]
    fn a_vote_the_poll_moved_past_reloads_it() {
        let mut b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Open));
        b.busy = true;
        let b = reduce(b, Action::Voted(Err(Problem::AlreadyVoted.into()), 0.0));
        assert_eq!(b.load, (2, true), "a refresh that keeps what is shown");
        assert!(render(&b).contains("Je hebt al gestemd in deze peiling."));
        let b = reduce(
            b,
            Action::Loaded(Err(Problem::Unreachable.into()), true, 0.0),
        );
        assert_eq!(b.state(), "ready", "a failed refresh keeps the poll");
    }

    #[test]
    fn announcements_are_throttled() {
        let b = ballot(poll(1, false, ResultsVisibility::Always, Phase::Open));
        let update = |n: u64| LiveUpdate {
            seq: n,
            poll: "p1".into(),
            phase: Phase::Open,
            round: 1,
            revealed: false,
            results: Some(results(&[n, 0, 0], n)),
        };
        let b = reduce(b, Action::Live(update(1), 0.0));
        assert_eq!(
            (b.announced.as_str(), b.announce_at),
            ("", None),
            "the first totals are on screen, not announced"
        );
        let b = reduce(b, Action::Live(update(2), 100.0));
        assert_eq!(b.announce_at, None);
        assert!(
            b.announced
                .starts_with("Tussenstand: Plein: 2 stemmen (100%), Kerk: 0 stemmen (0%)"),
            "{}",
            b.announced
        );
        let b = reduce(b, Action::Live(update(3), 1_100.0));
        assert_eq!(b.announce_at, Some(5_100.0), "a timer for the next turn");
        assert!(b.announced.contains("2 stemmen in totaal"));
        let b = reduce(b, Action::Live(update(4), 2_000.0));
        assert_eq!(b.announce_at, Some(5_100.0), "the same turn");
        let b = reduce(b, Action::Announce(5_100.0));
        assert_eq!(b.announce_at, None);
        assert!(b.announced.contains("4 stemmen in totaal"));
        let b = reduce(b, Action::Announce(5_200.0));
        assert!(b.announced.contains("4 stemmen in totaal"), "nothing new");
        assert!(render(&b).contains(
            "<p aria-live=\"polite\" class=\"mekaar-sr mekaar-announce\">Tussenstand: Plein: 4"
        ));
        let mut o = ballot(poll(1, false, ResultsVisibility::Always, Phase::Open));
        o.overlay = true;
        let o = reduce(o, Action::Live(update(1), 0.0));
        let o = reduce(o, Action::Live(update(2), 100.0));
        assert_eq!(
            (o.announced.as_str(), o.announce_at),
            ("", None),
            "no live region"
        );
    }

    #[test]
    fn percents() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(3, 3), 100);
    }
}
