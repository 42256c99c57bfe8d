//! The support button: one click to back an initiative, a second click to withdraw.
//!
//! DOM inside the shadow root (stable, for end-to-end tests):
//! `.mekaar-root[data-state=loading|ready|error]` holding `.mekaar-title`,
//! `button.mekaar-support-button[aria-pressed]`, `.mekaar-count[aria-live=polite]` and, when
//! something went wrong, `.mekaar-message`. Inside an initiative view (`threshold` given)
//! the root has `data-inline` and no title.

use crate::api::Problem;
use crate::i18n::Key;
use crate::widget::Env;
use mekaar_api::{InitiativePublic, SupportState};
use std::rc::Rc;

/// Light or dark: from the placeholder's `data-theme`, else from the host page's background
/// behind the placeholder (see [`Theme::of_background`]); `data-theme="auto"` follows
/// `prefers-color-scheme` instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn from_attr(value: Option<&str>) -> Option<Theme> {
        match value.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("light") => Some(Theme::Light),
            Some(v) if v.eq_ignore_ascii_case("dark") => Some(Theme::Dark),
            _ => None,
        }
    }

    /// Whether `value` names a colour scheme (`light`, `dark` or `auto`) rather than a theme
    /// filter of the list.
    pub fn is_scheme(value: &str) -> bool {
        Theme::from_attr(Some(value)).is_some() || value.trim().eq_ignore_ascii_case("auto")
    }

    /// The scheme that suits a host background given as a computed CSS colour
    /// (`rgb(r, g, b)` or `rgba(r, g, b, a)`): dark text on light backgrounds, light text on
    /// dark ones, by which of black and white contrasts more (WCAG relative luminance).
    /// `None` for a (mostly) transparent or unreadable colour: look further up the page.
    pub fn of_background(css: &str) -> Option<Theme> {
        let (luminance, opaque) = luminance(css)?;
        if !opaque {
            return None;
        }
        Some(if prefers_white_text(luminance) {
            Theme::Dark
        } else {
            Theme::Light
        })
    }

    /// The text colour for buttons filled with a host's accent (a computed CSS colour) when
    /// the host did not set `--mekaar-accent-contrast`: white or near-black, whichever
    /// contrasts more.
    pub fn text_on(accent: &str) -> Option<&'static str> {
        let (luminance, _) = luminance(accent)?;
        Some(if prefers_white_text(luminance) {
            "#fff"
        } else {
            "#1f2328"
        })
    }

    pub fn attr(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The relative luminance of a computed CSS colour (`rgb(r, g, b)`, `rgba(r, g, b, a)` or
/// `rgb(r g b / a)`) and whether it is at least half opaque; `None` for anything else.
/// The sRGB curve is taken as a square (gamma 2 for 2.4): close enough to choose black or
/// white text, and no float parsing or `powf` in the wasm.
fn luminance(css: &str) -> Option<(f32, bool)> {
    let inner = css.trim().strip_prefix("rgb")?;
    let inner = inner.strip_prefix('a').unwrap_or(inner);
    let inner = inner.strip_prefix('(')?.strip_suffix(')')?;
    let mut parts = inner.split([',', ' ', '/']).filter(|p| !p.is_empty());
    let mut channel = || -> Option<f32> {
        let c = f32::from(parts.next()?.parse::<u8>().ok()?) / 255.0;
        Some(c * c)
    };
    let (r, g, b) = (channel()?, channel()?, channel()?);
    // Alpha is "1", "0", or a fraction "0.x…": below one half when it starts "0" and its
    // first decimal is below 5.
    let opaque = match parts.next() {
        None => true,
        Some(a) => !a.starts_with('0') || a.as_bytes().get(2).is_some_and(|d| *d >= b'5'),
    };
    Some((0.2126 * r + 0.7152 * g + 0.0722 * b, opaque))
}

/// Whether white text contrasts more than black on a colour of `luminance`: contrast with
/// white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05; they cross at L ≈ 0.179.
fn prefers_white_text(luminance: f32) -> bool {
    (luminance + 0.05) * (luminance + 0.05) < 1.05 * 0.05
}

/// What the support button shows as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Loading,
    Ready,
    Error(Problem),
}

/// The support button's state, without the browser: the widget keeps it in `use_reducer`.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Set when the button sits inside a view of the initiative that already shows its
    /// title and knows the threshold: the button then shows no title and draws no box.
    pub inline: Option<u64>,
    /// Whether the placeholder names a community and an initiative.
    configured: bool,
    /// `None` while loading; the initiative's title once read.
    initiative: Option<Result<String, Problem>>,
    /// The community's initiatives page, if it has one (for the link to the detail).
    page: Option<String>,
    /// `None` while loading; whether this voter's state was read.
    state: Option<Result<(), Problem>>,
    /// Whether `count` came from the (newer) support state rather than the initiative.
    count_from_state: bool,
    pub threshold: u64,
    pub support: Support,
    /// The last failed toggle: what failed and why.
    pub message: Option<(Key, Problem)>,
}

/// What happens to a support button.
pub enum Action {
    /// Start (again) from loading: the inline threshold, and whether the placeholder names
    /// a community and an initiative.
    Reload(Option<u64>, bool),
    /// The initiative (boxed: actions stay small).
    Initiative(Result<Box<InitiativePublic>, Problem>),
    State(Result<SupportState, Problem>),
    /// A click: show the outcome at once (see [`View::next_toggle`] for what to send).
    Toggle,
    /// The server's answer to a toggle (`true`: support, `false`: withdraw).
    Toggled(bool, Result<SupportState, Problem>),
    /// Another widget on the page changed the support of the same initiative.
    Synced(SupportState),
}

impl View {
    pub fn new(inline: Option<u64>, configured: bool) -> View {
        let mut view = View {
            inline,
            configured,
            initiative: None,
            page: None,
            state: None,
            count_from_state: false,
            threshold: 0,
            support: Support::default(),
            message: None,
        };
        view.reload();
        view
    }

    pub fn phase(&self) -> Phase {
        match (&self.initiative, &self.state) {
            (Some(Err(p)), _) => Phase::Error(*p),
            (Some(Ok(_)), Some(Err(p))) => Phase::Error(*p),
            (Some(Ok(_)), Some(Ok(()))) => Phase::Ready,
            _ => Phase::Loading,
        }
    }

    /// What to ask the server after (re)loading: `(the initiative, this voter's state)`.
    pub fn wants(&self) -> (bool, bool) {
        (self.initiative.is_none(), self.configured)
    }

    /// The title, once read (none inline).
    pub fn title(&self) -> Option<&str> {
        match &self.initiative {
            Some(Ok(title)) if self.inline.is_none() => Some(title),
            _ => None,
        }
    }

    fn reload(&mut self) {
        self.initiative = None;
        self.state = None;
        self.count_from_state = false;
        self.message = None;
        if !self.configured {
            self.initiative = Some(Err(Problem::Misconfigured));
        } else if let Some(threshold) = self.inline {
            self.threshold = threshold;
            self.initiative = Some(Ok(String::new()));
        }
    }

    /// What a click would send now: `Some(true)` support (PUT), `Some(false)` withdraw
    /// (DELETE), `None` nothing (not ready, or a toggle still in flight).
    pub fn next_toggle(&self) -> Option<bool> {
        (self.phase() == Phase::Ready && !self.support.is_pending())
            .then_some(!self.support.supported)
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Reload(inline, configured) => {
                self.inline = inline;
                self.configured = configured;
                self.reload();
            }
            Action::Initiative(result) => {
                self.initiative = Some(result.map(|i| {
                    self.threshold = i.support_threshold;
                    self.page = i.page.or(i.share_url);
                    if !self.count_from_state {
                        self.support.count = i.support_count;
                    }
                    i.title
                }));
            }
            Action::State(result) => {
                self.state = Some(result.map(|s| {
                    self.support = Support::new(s.supported, s.support_count);
                    self.count_from_state = true;
                }));
            }
            Action::Toggle => {
                if self.next_toggle().is_some() {
                    // Optimistic: show the outcome now, roll back if the server says no.
                    self.support.begin();
                    self.message = None;
                }
            }
            Action::Toggled(want, result) => self.message = self.support.finish(want, result),
            Action::Synced(state) => {
                // A widget with its own change in flight waits for its own answer.
                if !self.support.is_pending() {
                    self.support = Support::new(state.supported, state.support_count);
                    self.count_from_state = true;
                }
            }
        }
    }
}

impl yew::Reducible for View {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// A support button: `initiative` of `env.community`; `threshold` set when it sits inside
/// a view of that initiative (then no title and no box of its own).
#[derive(Clone, PartialEq, yew::Properties)]
pub struct Props {
    pub env: Rc<Env>,
    pub initiative: Rc<str>,
    #[prop_or_default]
    pub threshold: Option<u64>,
}

#[cfg(target_arch = "wasm32")]
pub use browser::SupportButton;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{Action, Phase, Props, View};
    use crate::api::{initiative_url, support_url, Problem};
    use crate::i18n::{count_text, t, Key};
    use crate::registry::{self, Change};
    use mekaar_api::SupportState;
    use yew::prelude::*;

    /// Asks the server what `view` wants after a (re)load.
    fn load(p: &Props, view: UseReducerDispatcher<View>, wants: (bool, bool)) {
        let (initiative, state) = wants;
        let env = &p.env;
        if initiative {
            // No custom header here: a CORS "simple request", so the server's
            // `origin_not_allowed` answer is readable and the widget can say so.
            let url = initiative_url(&env.base, &env.community, &p.initiative);
            let view = view.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = crate::api::fetch("GET", &url, None, None).await;
                view.dispatch(Action::Initiative(
                    result.map(Box::new).map_err(|f| f.problem),
                ));
            });
        }
        if state {
            let url = support_url(&env.base, &env.community, &p.initiative);
            let voter = env.voter.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let header = Some((mekaar_api::VOTER_HEADER, &*voter));
                let result = crate::api::fetch("GET", &url, header, None).await;
                view.dispatch(Action::State(result.map_err(|f| f.problem)));
            });
        }
    }

    #[function_component(SupportButton)]
    pub fn support_button(p: &Props) -> Html {
        let configured = !p.env.community.trim().is_empty() && !p.initiative.trim().is_empty();
        let view = use_reducer_eq(|| View::new(p.threshold, configured));

        // (Re)load whenever the button is for another initiative.
        {
            let dispatcher = view.dispatcher();
            let props = p.clone();
            use_effect_with(
                (p.env.clone(), p.initiative.clone(), p.threshold),
                move |_| {
                    // On the first run this changes nothing (`use_reducer_eq`).
                    dispatcher.dispatch(Action::Reload(props.threshold, configured));
                    let wants = View::new(props.threshold, configured).wants();
                    load(&props, dispatcher, wants);
                },
            );
        }

        // Hear the other widgets on the page; the subscription ends with the button.
        let subscription = {
            let dispatcher = view.dispatcher();
            use_memo(
                (p.env.community.clone(), p.initiative.clone()),
                move |(c, i)| {
                    let (c, i) = (c.clone(), i.clone());
                    registry::subscribe(move |change| {
                        let Change::Support {
                            community,
                            initiative,
                            state,
                        } = change;
                        if *community == c && *initiative == i {
                            dispatcher.dispatch(Action::Synced(*state));
                        }
                    })
                },
            )
        };

        let on_toggle = {
            let view = view.clone();
            let p = p.clone();
            Callback::from(move |_: MouseEvent| {
                let Some(want) = view.next_toggle() else {
                    return;
                };
                view.dispatch(Action::Toggle);
                let env = &p.env;
                if env.preview {
                    view.dispatch(Action::Toggled(want, Err(Problem::Preview)));
                    return;
                }
                let url = support_url(&env.base, &env.community, &p.initiative);
                let voter = env.voter.clone();
                let (community, initiative) = (env.community.clone(), p.initiative.clone());
                let dispatcher = view.dispatcher();
                let me = subscription.id();
                wasm_bindgen_futures::spawn_local(async move {
                    let header = Some((mekaar_api::VOTER_HEADER, &*voter));
                    let method = if want { "PUT" } else { "DELETE" };
                    let result: Result<SupportState, Problem> =
                        crate::api::fetch(method, &url, header, None)
                            .await
                            .map_err(|f| f.problem);
                    if let Ok(state) = result {
                        let change = Change::Support {
                            community,
                            initiative,
                            state,
                        };
                        registry::publish(me, &change);
                    }
                    dispatcher.dispatch(Action::Toggled(want, result));
                });
            })
        };
        let on_retry = {
            let view = view.clone();
            let p = p.clone();
            Callback::from(move |_: MouseEvent| {
                view.dispatch(Action::Reload(p.threshold, configured));
                let wants = View::new(p.threshold, configured).wants();
                load(&p, view.dispatcher(), wants);
            })
        };

        let lang = p.env.lang;
        let phase = view.phase();
        let state = match phase {
            Phase::Loading => "loading",
            Phase::Ready => "ready",
            Phase::Error(_) => "error",
        };
        let body = match phase {
            Phase::Loading => html! { <p class="mekaar-loading">{t(lang, Key::Loading)}</p> },
            Phase::Error(problem) => html! {
                <>
                    <p class="mekaar-message" role="alert">{t(lang, problem.key())}</p>
                    if problem.retryable() {
                        <button type="button" class="mekaar-retry" onclick={on_retry}>
                            {t(lang, Key::Retry)}
                        </button>
                    }
                </>
            },
            Phase::Ready => {
                let supported = view.support.supported;
                let title_id = p.env.id("title");
                let describedby = view.title().is_some().then(|| title_id.clone());
                html! {
                    <>
                        if let Some(title) = view.title() {
                            // Not a dead end: the title leads to the initiative's story.
                            <p class="mekaar-title" id={title_id}>
                                <a href={crate::api::detail_link(&p.env.base, &p.env.community,
                                    &p.initiative, view.page.as_deref())}>{title}</a>
                            </p>
                        }
                        <div class="mekaar-row">
                            <button type="button" class="mekaar-support-button"
                                aria-pressed={if supported { "true" } else { "false" }}
                                aria-describedby={describedby} onclick={on_toggle}>
                                <svg class="mekaar-icon" aria-hidden="true" focusable="false"
                                    viewBox="0 0 16 16" width="16" height="16">
                                    <path d={if supported { "M3 8.5l3 3 7-7" } else { "M8 3v10M3 8h10" }}></path>
                                </svg>
                                <span>{t(lang, if supported { Key::Supporting } else { Key::SupportButton })}</span>
                            </button>
                            <p class="mekaar-count" aria-live="polite">
                                {count_text(lang, view.support.count, view.threshold)}
                            </p>
                        </div>
                        if view.threshold > 0 {
                            <progress class="mekaar-progress" aria-hidden="true"
                                max={view.threshold.to_string()}
                                value={view.support.count.min(view.threshold).to_string()}></progress>
                        }
                        if let Some((what, why)) = view.message {
                            <p class="mekaar-message" role="alert">
                                {t(lang, what)}{" "}{t(lang, why.key())}
                            </p>
                        }
                    </>
                }
            }
        };
        html! {
            <div class="mekaar-root mekaar-support" lang={lang.tag()} data-state={state}
                data-theme={p.env.theme_attr()}
                data-inline={view.inline.map(|_| "true")}
                aria-busy={view.support.is_pending().then_some("true")}>
                {body}
            </div>
        }
    }
}

/// This voter's support as shown, with the optimistic toggle and its rollback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Support {
    pub supported: bool,
    pub count: u64,
    /// While a toggle is in flight: the `(supported, count)` to roll back to.
    pending: Option<(bool, u64)>,
}

impl Support {
    pub fn new(supported: bool, count: u64) -> Support {
        Support {
            supported,
            count,
            pending: None,
        }
    }

    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Starts a toggle and shows its outcome at once. Returns whether the voter now wants to
    /// support (PUT) or not (DELETE); `None` while another toggle is still in flight.
    pub fn begin(&mut self) -> Option<bool> {
        if self.pending.is_some() {
            return None;
        }
        self.pending = Some((self.supported, self.count));
        let want = !self.supported;
        self.supported = want;
        self.count = if want {
            self.count.saturating_add(1)
        } else {
            self.count.saturating_sub(1)
        };
        Some(want)
    }

    /// Ends the toggle begun with [`Support::begin`]: the server's answer wins; a failure
    /// rolls back and returns the message to show (what failed, and why).
    pub fn finish(
        &mut self,
        want: bool,
        result: Result<SupportState, Problem>,
    ) -> Option<(Key, Problem)> {
        let rollback = self.pending.take();
        match result {
            Ok(state) => {
                self.supported = state.supported;
                self.count = state.support_count;
                None
            }
            Err(problem) => {
                if let Some((supported, count)) = rollback {
                    self.supported = supported;
                    self.count = count;
                }
                let what = if want {
                    Key::SupportFailed
                } else {
                    Key::WithdrawFailed
                };
                Some((what, problem))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggle_is_optimistic_and_the_server_wins() {
        let mut s = Support::new(false, 11);
        assert_eq!(s.begin(), Some(true));
        assert_eq!((s.supported, s.count, s.is_pending()), (true, 12, true));
        // A second click while the first is in flight does nothing.
        assert_eq!(s.begin(), None);
        let answer = SupportState {
            supported: true,
            support_count: 15,
        };
        assert_eq!(s.finish(true, Ok(answer)), None);
        assert_eq!((s.supported, s.count, s.is_pending()), (true, 15, false));
        assert_eq!(s.begin(), Some(false));
        assert_eq!((s.supported, s.count), (false, 14));
    }

    #[test]
    fn failed_toggle_rolls_back_with_a_message() {
        let mut s = Support::new(false, 0);
        assert_eq!(s.begin(), Some(true));
        assert_eq!(
            s.finish(true, Err(Problem::Unreachable)),
            Some((Key::SupportFailed, Problem::Unreachable))
        );
        assert_eq!((s.supported, s.count, s.is_pending()), (false, 0, false));

        let mut s = Support::new(true, 1);
        assert_eq!(s.begin(), Some(false));
        assert_eq!((s.supported, s.count), (false, 0));
        assert_eq!(
            s.finish(false, Err(Problem::StorageUnavailable)),
            Some((Key::WithdrawFailed, Problem::StorageUnavailable))
        );
        assert_eq!((s.supported, s.count), (true, 1));
    }

    fn card(count: u64, threshold: u64) -> InitiativePublic {
        InitiativePublic {
            id: "i".into(),
            community: "c".into(),
            title: "AED bij de kerk".into(),
            summary: String::new(),
            area: None,
            theme: None,
            status: Default::default(),
            initiator_name: String::new(),
            support_count: count,
            support_threshold: threshold,
            threshold_reached_at: None,
            join_count: 0,
            reaction_count: 0,
            answered: false,
            created_at: 0,
            updated_at: 0,
            photo: None,
            page: None,
            share_url: None,
        }
    }

    fn reduce(view: View, action: Action) -> View {
        use yew::Reducible;
        (*Rc::new(view).reduce(action)).clone()
    }

    #[test]
    fn the_button_is_ready_once_both_answers_are_in_and_clicks_wait_for_answers() {
        let view = View::new(None, true);
        assert_eq!(view.phase(), Phase::Loading);
        assert_eq!(view.wants(), (true, true));
        assert_eq!(view.next_toggle(), None);
        let state = SupportState {
            supported: false,
            support_count: 12,
        };
        // The voter's state is newer than the initiative's count: it wins in either order.
        let view = reduce(view, Action::State(Ok(state)));
        let view = reduce(view, Action::Initiative(Ok(Box::new(card(11, 50)))));
        assert_eq!(view.phase(), Phase::Ready);
        assert_eq!((view.support.count, view.threshold), (12, 50));
        assert_eq!(view.title(), Some("AED bij de kerk"));
        assert_eq!(view.next_toggle(), Some(true));
        let view = reduce(view, Action::Toggle);
        assert_eq!((view.support.supported, view.support.count), (true, 13));
        assert_eq!(view.next_toggle(), None, "one toggle at a time");
        // Another widget's change waits while this one's is in flight.
        let other = SupportState {
            supported: true,
            support_count: 40,
        };
        let view = reduce(view, Action::Synced(other));
        assert_eq!(view.support.count, 13);
        let view = reduce(view, Action::Toggled(true, Err(Problem::Unreachable)));
        assert_eq!((view.support.supported, view.support.count), (false, 12));
        assert_eq!(
            view.message,
            Some((Key::SupportFailed, Problem::Unreachable))
        );
        let view = reduce(view, Action::Synced(other));
        assert_eq!((view.support.supported, view.support.count), (true, 40));
    }

    #[test]
    fn inline_and_misconfigured_buttons() {
        let inline = View::new(Some(25), true);
        assert_eq!(
            inline.wants(),
            (false, true),
            "inline: only the voter's state"
        );
        assert_eq!(inline.title(), None);
        let view = reduce(
            inline,
            Action::State(Ok(SupportState {
                supported: true,
                support_count: 3,
            })),
        );
        assert_eq!((view.phase(), view.threshold), (Phase::Ready, 25));
        let broken = View::new(None, false);
        assert_eq!(broken.wants(), (false, false));
        assert_eq!(broken.phase(), Phase::Error(Problem::Misconfigured));
        let failed = reduce(
            View::new(None, true),
            Action::Initiative(Err(Problem::OriginNotAllowed)),
        );
        assert_eq!(failed.phase(), Phase::Error(Problem::OriginNotAllowed));
        let again = reduce(failed, Action::Reload(None, true));
        assert_eq!(again.phase(), Phase::Loading);
    }

    #[test]
    fn theme_attribute() {
        assert_eq!(Theme::from_attr(Some("dark")), Some(Theme::Dark));
        assert_eq!(Theme::from_attr(Some(" Light ")), Some(Theme::Light));
        assert_eq!(Theme::from_attr(Some("auto")), None);
        assert_eq!(Theme::from_attr(None), None);
        assert!(Theme::is_scheme("auto") && Theme::is_scheme("Dark") && !Theme::is_scheme("Groen"));
    }

    #[test]
    fn the_scheme_follows_the_host_background() {
        assert_eq!(
            Theme::of_background("rgb(255, 255, 255)"),
            Some(Theme::Light)
        );
        assert_eq!(
            Theme::of_background("rgb(250, 250, 245)"),
            Some(Theme::Light)
        );
        assert_eq!(Theme::of_background("rgb(18, 18, 18)"), Some(Theme::Dark));
        assert_eq!(Theme::of_background("rgb(47, 111, 54)"), Some(Theme::Dark));
        assert_eq!(
            Theme::of_background("rgba(10, 10, 10, 0.9)"),
            Some(Theme::Dark)
        );
        assert_eq!(
            Theme::of_background("rgb(10 10 10 / 0.95)"),
            Some(Theme::Dark)
        );
        // Transparent or see-through: the page further up decides.
        assert_eq!(Theme::of_background("rgba(0, 0, 0, 0)"), None);
        assert_eq!(Theme::of_background("rgba(0, 0, 0, 0.2)"), None);
        assert_eq!(Theme::of_background("transparent"), None);
        assert_eq!(Theme::of_background("color(srgb 1 1 1)"), None);
        // Text on a host's accent: white on dark green, dark on yellow.
        assert_eq!(Theme::text_on("rgb(11, 110, 63)"), Some("#fff"));
        assert_eq!(Theme::text_on("rgb(255, 238, 0)"), Some("#1f2328"));
        assert_eq!(Theme::text_on("var(--x)"), None);
    }
}
