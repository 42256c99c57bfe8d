//! The support button: one click to back an initiative, a second click to withdraw.
//!
//! DOM inside the shadow root (stable, for end-to-end tests):
//! `.mekaar-root[data-state=loading|ready|error]` holding `.mekaar-title`,
//! `button.mekaar-support-button[aria-pressed]`, `.mekaar-count[aria-live=polite]` and, when
//! something went wrong, `.mekaar-message`.

use crate::api::{InitiativeSummary, Problem};
use crate::i18n::{count_text, t, Key, Lang};
use mekaar_api::SupportState;
use std::cell::RefCell;
use std::rc::Rc;
use yew::html::Scope;
use yew::prelude::*;

thread_local! {
    /// Every support widget on the page, by `community/initiative`, so that when one
    /// changes, the others showing the same initiative (e.g. above and below an article)
    /// show the server's new state too. Widgets live as long as the page.
    static PEERS: RefCell<Vec<(String, Scope<SupportWidget>)>> = const { RefCell::new(Vec::new()) };
}

fn peer_key(p: &Props) -> String {
    let mut key = String::from(p.community.as_str());
    key.push('/');
    key.push_str(&p.initiative);
    key
}

/// Light or dark, when the placeholder's `data-theme` says so; otherwise the widget follows
/// `prefers-color-scheme`.
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

    fn attr(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct Props {
    /// The API base: the loader's own directory, ending in `/`.
    pub base: AttrValue,
    pub community: AttrValue,
    pub initiative: AttrValue,
    #[prop_or_default]
    pub lang: Lang,
    #[prop_or_default]
    pub theme: Option<Theme>,
    /// The resident's voter key.
    pub voter: Rc<str>,
}

pub enum Msg {
    Initiative(Result<InitiativeSummary, Problem>),
    State(Result<SupportState, Problem>),
    Toggle,
    Toggled {
        want: bool,
        result: Result<SupportState, Problem>,
    },
    Retry,
    /// Another widget on the page changed the support of the same initiative.
    Synced(SupportState),
}

/// What the widget shows as a whole.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Loading,
    Ready,
    Error(Problem),
}

pub struct SupportWidget {
    /// `None` while loading; the initiative's title once read.
    initiative: Option<Result<String, Problem>>,
    /// `None` while loading; whether this voter's state was read.
    state: Option<Result<(), Problem>>,
    /// Whether `count` came from the (newer) support state rather than the initiative.
    count_from_state: bool,
    threshold: u64,
    support: Support,
    /// The last failed toggle: what failed and why.
    message: Option<(Key, Problem)>,
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

impl SupportWidget {
    fn phase(&self) -> Phase {
        match (&self.initiative, &self.state) {
            (Some(Err(p)), _) => Phase::Error(*p),
            (Some(Ok(_)), Some(Err(p))) => Phase::Error(*p),
            (Some(Ok(_)), Some(Ok(()))) => Phase::Ready,
            _ => Phase::Loading,
        }
    }

    fn load(&mut self, ctx: &Context<Self>) {
        self.initiative = None;
        self.state = None;
        self.count_from_state = false;
        let p = ctx.props();
        if p.community.trim().is_empty() || p.initiative.trim().is_empty() {
            self.initiative = Some(Err(Problem::Misconfigured));
            return;
        }
        let url = crate::api::initiative_url(&p.base, &p.community, &p.initiative);
        ctx.link().send_future(async move {
            // No custom header here: a CORS "simple request", so the server's
            // `origin_not_allowed` answer is readable and we can say so.
            Msg::Initiative(request("GET", &url, None).await)
        });
        self.send_support(ctx, "GET", Msg::State);
    }

    fn send_support(
        &self,
        ctx: &Context<Self>,
        method: &'static str,
        done: impl FnOnce(Result<SupportState, Problem>) -> Msg + 'static,
    ) {
        let p = ctx.props();
        let url = crate::api::support_url(&p.base, &p.community, &p.initiative);
        let voter = p.voter.clone();
        ctx.link()
            .send_future(async move { done(request(method, &url, Some(&voter)).await) });
    }
}

#[cfg(target_arch = "wasm32")]
use crate::api::request;

/// Off the browser (native unit tests) there is no fetch.
#[cfg(not(target_arch = "wasm32"))]
async fn request<T>(_method: &str, _url: &str, _voter: Option<&str>) -> Result<T, Problem> {
    Err(Problem::Unreachable)
}

impl Component for SupportWidget {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        let mut widget = SupportWidget {
            initiative: None,
            state: None,
            count_from_state: false,
            threshold: 0,
            support: Support::default(),
            message: None,
        };
        widget.load(ctx);
        let key = peer_key(ctx.props());
        PEERS.with(|peers| peers.borrow_mut().push((key, ctx.link().clone())));
        widget
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Initiative(result) => {
                self.initiative = Some(result.map(|i| {
                    self.threshold = i.support_threshold;
                    if !self.count_from_state {
                        self.support.count = i.support_count;
                    }
                    i.title
                }));
            }
            Msg::State(result) => {
                self.state = Some(result.map(|s| {
                    self.support = Support::new(s.supported, s.support_count);
                    self.count_from_state = true;
                }));
            }
            Msg::Toggle => {
                if self.phase() != Phase::Ready {
                    return false;
                }
                // Optimistic: show the outcome now, roll back if the server says no.
                // One change at a time; the widget says it is busy meanwhile.
                let Some(want) = self.support.begin() else {
                    return false;
                };
                self.message = None;
                let method = if want { "PUT" } else { "DELETE" };
                self.send_support(ctx, method, move |result| Msg::Toggled { want, result });
            }
            Msg::Toggled { want, result } => {
                if let Ok(state) = result {
                    let key = peer_key(ctx.props());
                    PEERS.with(|peers| {
                        for (k, scope) in peers.borrow().iter() {
                            if *k == key {
                                scope.send_message(Msg::Synced(state));
                            }
                        }
                    });
                }
                self.message = self.support.finish(want, result);
            }
            Msg::Synced(state) => {
                // A widget with its own change in flight waits for its own answer.
                if self.support.is_pending() {
                    return false;
                }
                self.support = Support::new(state.supported, state.support_count);
                self.count_from_state = true;
            }
            Msg::Retry => {
                self.message = None;
                self.load(ctx);
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let lang = p.lang;
        let phase = self.phase();
        let state = match phase {
            Phase::Loading => "loading",
            Phase::Ready => "ready",
            Phase::Error(_) => "error",
        };
        let body = match phase {
            Phase::Loading => html! {
                <p class="mekaar-loading">{ t(lang, Key::Loading) }</p>
            },
            Phase::Error(problem) => {
                let retry = problem.retryable().then(|| {
                    html! {
                        <button type="button" class="mekaar-retry"
                            onclick={ctx.link().callback(|_| Msg::Retry)}>
                            { t(lang, Key::Retry) }
                        </button>
                    }
                });
                html! {
                    <>
                        <p class="mekaar-message" role="alert">{ t(lang, problem.key()) }</p>
                        { for retry }
                    </>
                }
            }
            Phase::Ready => self.view_ready(ctx),
        };
        html! {
            <div class="mekaar-root mekaar-support" lang={lang.tag()}
                data-state={state} data-theme={p.theme.map(Theme::attr)}
                aria-busy={self.support.is_pending().then_some("true")}>
                { body }
            </div>
        }
    }
}

impl SupportWidget {
    fn view_ready(&self, ctx: &Context<Self>) -> Html {
        let lang = ctx.props().lang;
        let title = match &self.initiative {
            Some(Ok(title)) => title.as_str(),
            _ => "",
        };
        let Support {
            supported, count, ..
        } = self.support;
        let pressed = if supported { "true" } else { "false" };
        let progress = (self.threshold > 0).then(|| {
            html! {
                <progress class="mekaar-progress" aria-hidden="true"
                    max={self.threshold.to_string()}
                    value={count.min(self.threshold).to_string()} />
            }
        });
        let message = self.message.map(|(what, why)| {
            html! {
                <p class="mekaar-message" role="alert">
                    { t(lang, what) }{ " " }{ t(lang, why.key()) }
                </p>
            }
        });
        html! {
            <>
                <p class="mekaar-title" id="mekaar-title">{ title }</p>
                <div class="mekaar-row">
                    <button type="button" class="mekaar-support-button"
                        aria-pressed={pressed} aria-describedby="mekaar-title"
                        onclick={ctx.link().callback(|_| Msg::Toggle)}>
                        <svg class="mekaar-icon" aria-hidden="true" focusable="false"
                            viewBox="0 0 16 16" width="16" height="16">
                            if supported {
                                <path d="M3 8.5l3 3 7-7" />
                            } else {
                                <path d="M8 3v10M3 8h10" />
                            }
                        </svg>
                        <span>{ t(lang, Key::SupportButton) }</span>
                    </button>
                    <p class="mekaar-count" aria-live="polite">
                        { count_text(lang, count, self.threshold) }
                    </p>
                </div>
                { for progress }
                { for message }
            </>
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

    #[test]
    fn theme_attribute() {
        assert_eq!(Theme::from_attr(Some("dark")), Some(Theme::Dark));
        assert_eq!(Theme::from_attr(Some(" Light ")), Some(Theme::Light));
        assert_eq!(Theme::from_attr(Some("auto")), None);
        assert_eq!(Theme::from_attr(None), None);
    }
}
