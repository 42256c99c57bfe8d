//! The next steps of one initiative (`data-mekaar="steps"`): the community's way from idea
//! to result, the steps done ticked, locked ones saying what unlocks them; the initiator
//! (`data-as="initiator"` on the manage page) ticks and unticks them. A community without
//! steps shows nothing at all (no empty box). State and view here, tested natively; the
//! browser side is in `meetings_app.rs`.
//!
//! DOM inside the shadow root: root `.mekaar-root.mekaar-steps` with `data-state` =
//! loading | ready | empty | error; `.mekaar-steps-title` (`title`), `.mekaar-steps-done`
//! ("2 van 5 stappen gezet") with `progress`; `ol.mekaar-step-list >
//! li.mekaar-step[data-id][data-done][data-locked]` with `.mekaar-step-title`,
//! `.mekaar-step-state`, `.mekaar-step-description`, `.mekaar-step-unlock`,
//! `a.mekaar-step-link`, for the initiator `input.mekaar-step-tick[type=checkbox]`
//! (`t-{id}`); `.mekaar-notice` (`m-{id}`).

use crate::api::Failure;
use crate::i18n::meet::{t, Key};
use crate::i18n::{date, fill_in, number, status_key, Lang};
use crate::meetings::failure_text;
use crate::widget::{heading, Env};
use mekaar_api::steps::{InitiativeStep, InitiativeSteps};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Way {
    pub lang: Lang,
    pub configured: bool,
    pub initiator: bool,
    pub steps: Option<InitiativeSteps>,
    pub failure: Option<Failure>,
    pub load: u32,
    pub busy: Vec<String>,
    /// `(step id, text, alert)`.
    pub notice: Option<(String, String, bool)>,
}

#[derive(Debug)]
pub enum Action {
    Loaded(Result<InitiativeSteps, Failure>),
    Retry,
    /// The initiator's tick: the app sends the PUT.
    Tick(String),
    Ticked(String, bool, Result<InitiativeSteps, Failure>),
}

impl Way {
    pub fn new(lang: Lang, configured: bool, initiator: bool) -> Way {
        Way {
            lang,
            configured,
            initiator,
            steps: None,
            failure: (!configured).then(|| crate::api::Problem::Misconfigured.into()),
            load: u32::from(configured),
            busy: Vec::new(),
            notice: None,
        }
    }

    pub fn find(&self, id: &str) -> Option<&InitiativeStep> {
        self.steps.as_ref()?.steps.iter().find(|s| s.step.id == id)
    }

    /// Whether the initiator may change `s` now: unticking always, ticking once unlocked.
    pub fn can_tick(&self, s: &InitiativeStep) -> bool {
        self.initiator && !self.busy.contains(&s.step.id) && (s.done || s.unlocked)
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Loaded(Ok(steps)) => {
                self.failure = None;
                self.steps = Some(steps);
            }
            Action::Loaded(Err(f)) => self.failure = Some(f),
            Action::Retry => {
                if self.configured {
                    self.failure = None;
                    self.load = self.load.wrapping_add(1);
                }
            }
            Action::Tick(id) => {
                if !self.busy.contains(&id) {
                    self.busy.push(id);
                }
            }
            Action::Ticked(id, done, result) => {
                self.busy.retain(|b| *b != id);
                match result {
                    Ok(steps) => {
                        self.steps = Some(steps);
                        let key = if done { Key::Ticked } else { Key::Unticked };
                        self.notice = Some((id, t(self.lang, key).to_owned(), false));
                    }
                    Err(f) => {
                        self.notice = Some((id, failure_text(self.lang, &f), true));
                    }
                }
            }
        }
    }
}

impl Reducible for Way {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// What unlocks a locked step: "Komt vrij bij 50 steunbetuigingen." and/or the stage.
pub fn unlock_text(lang: Lang, s: &InitiativeStep) -> String {
    let mut parts = Vec::new();
    if let Some(n) = s.step.unlock_supports {
        parts.push(fill_in(t(lang, Key::UnlockSupports), &number(lang, n), ""));
    }
    if let Some(status) = s.step.unlock_status {
        let name = crate::i18n::t(lang, status_key(status));
        parts.push(fill_in(t(lang, Key::UnlockStatus), name, ""));
    }
    parts.join(" ")
}

/// The widget. `on` gets the step id of a tick.
pub fn view(s: &Way, env: &Rc<Env>, on: &Callback<Action>) -> Html {
    let lang = env.lang;
    let (state, body) = match (&s.steps, &s.failure) {
        (None, Some(f)) => (
            "error",
            html! {
                <>
                    <p class="mekaar-message" role="alert">{failure_text(lang, f)}</p>
                    if f.problem.retryable() {
                        <button type="button" class="mekaar-button mekaar-retry" id={env.id("b-retry")}
                            onclick={on.reform(|_| Action::Retry)}>
                            {crate::i18n::t(lang, crate::i18n::Key::Retry)}
                        </button>
                    }
                </>
            },
        ),
        // While loading and without steps: nothing, so no empty box shows on the page.
        (None, None) => ("loading", Html::default()),
        (Some(steps), _) if steps.steps.is_empty() => ("empty", Html::default()),
        (Some(steps), _) => ("ready", ready(s, steps, env, on)),
    };
    html! {
        <div class="mekaar-root mekaar-steps" lang={lang.tag()} data-theme={env.theme_attr()}
            data-state={state} hidden={state == "empty" || state == "loading"}>
            {body}
        </div>
    }
}

fn ready(s: &Way, steps: &InitiativeSteps, env: &Rc<Env>, on: &Callback<Action>) -> Html {
    let lang = env.lang;
    let total = steps.steps.len() as u64;
    let done = steps.steps.iter().filter(|x| x.done).count() as u64;
    let items = steps.steps.iter().enumerate().map(|(i, x)| {
        let id = x.step.id.clone();
        let locked = !x.done && !x.unlocked;
        let state = if x.done {
            Key::StepDone
        } else if locked {
            Key::StepLocked
        } else {
            Key::StepTodo
        };
        let tick = s.initiator.then(|| {
            let tick_id = env.id(&["t-", &id].concat());
            let onchange = {
                let id = id.clone();
                on.reform(move |_: Event| Action::Tick(id.clone()))
            };
            html! {
                <div class="mekaar-field mekaar-check mekaar-step-check">
                    <label for={tick_id.clone()}>
                        {t(lang, Key::TickLabel)}
                        <span class="mekaar-sr">{[": ", &x.step.title].concat()}</span>
                    </label>
                    <input type="checkbox" class="mekaar-step-tick" id={tick_id}
                        checked={x.done} disabled={!s.can_tick(x)} {onchange}
                        aria-describedby={locked.then(|| env.id(&["u-", &id].concat()))} />
                </div>
            }
        });
        let notice = s
            .notice
            .as_ref()
            .filter(|(at, ..)| *at == id)
            .map(|(_, text, alert)| {
                html! {
                    <p class={classes!("mekaar-notice", alert.then_some("mekaar-message"))}
                        id={env.id(&["m-", &id].concat())}
                        role={if *alert { "alert" } else { "status" }}>{text.clone()}</p>
                }
            });
        html! {
            <li key={id.clone()} class="mekaar-step" data-id={id.clone()}
                data-done={x.done.then_some("true")} data-locked={locked.then_some("true")}>
                <span class="mekaar-step-mark" aria-hidden="true">
                    {if x.done { "\u{2713}".to_owned() } else { (i + 1).to_string() }}
                </span>
                <div class="mekaar-step-body">
                    <p class="mekaar-step-head">
                        <span class="mekaar-step-title">{x.step.title.clone()}</span>
                        <span class="mekaar-step-state">{t(lang, state)}</span>
                        if let Some(at) = x.done_at.filter(|_| x.done) {
                            <span class="mekaar-step-when">{fill_in(t(lang, Key::DoneOn), &date(lang, at), "")}</span>
                        }
                    </p>
                    if !x.step.description.trim().is_empty() {
                        <p class="mekaar-step-description">{x.step.description.clone()}</p>
                    }
                    if locked {
                        <p class="mekaar-step-unlock" id={env.id(&["u-", &id].concat())}>{unlock_text(lang, x)}</p>
                    }
                    if let Some(link) = &x.step.link {
                        <p><a class="mekaar-step-link" href={link.clone()} target="_blank" rel="noopener">
                            {t(lang, Key::StepLink)}<span class="mekaar-sr">{[": ", &x.step.title].concat()}</span>
                        </a></p>
                    }
                    {tick}
                    {for notice}
                </div>
            </li>
        }
    });
    html! {
        <>
            {heading(env.heading, "mekaar-steps-title", Some(env.id("title")),
                html! { t(lang, Key::StepsTitle) })}
            <p class="mekaar-steps-done">
                {fill_in(t(lang, Key::StepsDone), &number(lang, done), &number(lang, total))}
            </p>
            <progress class="mekaar-progress" max={total.to_string()} value={done.to_string()}
                aria-hidden="true"></progress>
            <ol class="mekaar-step-list" aria-labelledby={env.id("title")}>{for items}</ol>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widget::ssr::render;
    use crate::widget::tests::env;
    use mekaar_api::steps::Step;
    use mekaar_api::InitiativeStatus;

    fn step(id: &str, done: bool, unlocked: bool) -> InitiativeStep {
        InitiativeStep {
            step: Step {
                id: id.into(),
                title: ["Stap ", id].concat(),
                description: String::new(),
                link: None,
                unlock_supports: None,
                unlock_status: None,
            },
            done,
            done_at: done.then_some(1_797_102_000),
            unlocked,
        }
    }

    fn loaded(initiator: bool, steps: Vec<InitiativeStep>) -> Way {
        let mut w = Way::new(Lang::Nl, true, initiator);
        w.apply(Action::Loaded(Ok(InitiativeSteps { steps })));
        w
    }

    fn html(w: &Way) -> String {
        let w = w.clone();
        let env = Rc::new(env());
        render(move || view(&w, &env, &Callback::noop()))
    }

    #[test]
    fn no_steps_is_no_box() {
        let w = loaded(false, vec![]);
        let h = html(&w);
        assert!(h.contains("data-state=\"empty\""), "{h}");
        assert!(h.contains("hidden"), "{h}");
        assert!(!h.contains("Volgende stappen"), "{h}");
        assert!(html(&Way::new(Lang::Nl, true, false)).contains("hidden"));
    }

    #[test]
    fn done_ticked_locked_says_what_unlocks_it() {
        let mut locked = step("c", false, false);
        locked.step.unlock_supports = Some(50);
        locked.step.unlock_status = Some(InitiativeStatus::InProgress);
        let mut linked = step("b", false, true);
        linked.step.link = Some("https://gemeente.example/subsidie".into());
        let w = loaded(false, vec![step("a", true, true), linked, locked]);
        let h = html(&w);
        assert!(h.contains("Volgende stappen"), "{h}");
        assert!(h.contains("1 van 3 stappen gezet"), "{h}");
        assert!(h.contains("data-done=\"true\""), "{h}");
        assert!(h.contains("gezet op 12 december 2026"), "{h}");
        assert!(h.contains("Komt vrij bij 50 steunbetuigingen."), "{h}");
        assert!(h.contains("In uitvoering"), "{h}");
        assert!(
            h.contains("href=\"https://gemeente.example/subsidie\""),
            "{h}"
        );
        assert!(
            !h.contains("type=\"checkbox\""),
            "residents tick nothing: {h}"
        );
    }

    #[test]
    fn the_initiator_ticks_and_a_locked_step_cannot_be_ticked() {
        let mut w = loaded(
            true,
            vec![
                step("a", true, true),
                step("b", false, true),
                step("c", false, false),
            ],
        );
        let h = html(&w);
        assert_eq!(h.matches("type=\"checkbox\"").count(), 3, "{h}");
        assert!(w.can_tick(w.find("a").unwrap()), "unticking always works");
        assert!(w.can_tick(w.find("b").unwrap()));
        assert!(!w.can_tick(w.find("c").unwrap()), "locked");
        w.apply(Action::Tick("b".into()));
        assert!(!w.can_tick(w.find("b").unwrap()), "busy");
        w.apply(Action::Ticked(
            "b".into(),
            true,
            Ok(InitiativeSteps {
                steps: vec![
                    step("a", true, true),
                    step("b", true, true),
                    step("c", false, false),
                ],
            }),
        ));
        assert!(w.find("b").unwrap().done);
        assert_eq!(w.notice.as_ref().unwrap().1, "Stap afgevinkt.");
        w.apply(Action::Ticked(
            "c".into(),
            true,
            Err(crate::api::Problem::StepLocked.into()),
        ));
        let (at, text, alert) = w.notice.clone().unwrap();
        assert_eq!((at.as_str(), alert), ("c", true));
        assert_eq!(text, "Deze stap is nog niet vrijgegeven.");
        assert!(html(&w).contains("role=\"alert\""));
    }
}
