//! The support button: one click to back an initiative, a second click to withdraw.
//!
//! DOM inside the shadow root (stable, for end-to-end tests):
//! `.mekaar-root[data-state=loading|ready|error]` holding `.mekaar-title`,
//! `button.mekaar-support-button[aria-pressed]`, `.mekaar-count[aria-live=polite]` and, when
//! something went wrong, `.mekaar-message`.

use crate::api::{InitiativeSummary, Problem};
use crate::i18n::{count_text, t, Key, Lang};
use mekaar_api::SupportState;
use std::rc::Rc;
use yew::prelude::*;

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
    count: u64,
    supported: bool,
    /// While a toggle is in flight: the `(supported, count)` to roll back to.
    pending: Option<(bool, u64)>,
    /// The last failed toggle: what failed and why.
    message: Option<(Key, Problem)>,
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
            count: 0,
            supported: false,
            pending: None,
            message: None,
        };
        widget.load(ctx);
        widget
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Initiative(result) => {
                self.initiative = Some(result.map(|i| {
                    self.threshold = i.support_threshold;
                    if !self.count_from_state {
                        self.count = i.support_count;
                    }
                    i.title
                }));
            }
            Msg::State(result) => {
                self.state = Some(result.map(|s| {
                    self.supported = s.supported;
                    self.count = s.support_count;
                    self.count_from_state = true;
                }));
            }
            Msg::Toggle => {
                if self.pending.is_some() || self.phase() != Phase::Ready {
                    // One change at a time; the button says it is busy meanwhile.
                    return false;
                }
                self.pending = Some((self.supported, self.count));
                self.message = None;
                let want = !self.supported;
                // Optimistic: show the result now, roll back if the server says no.
                self.supported = want;
                self.count = if want {
                    self.count.saturating_add(1)
                } else {
                    self.count.saturating_sub(1)
                };
                let method = if want { "PUT" } else { "DELETE" };
                self.send_support(ctx, method, move |result| Msg::Toggled { want, result });
            }
            Msg::Toggled { want, result } => {
                let rollback = self.pending.take();
                match result {
                    Ok(s) => {
                        self.supported = s.supported;
                        self.count = s.support_count;
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
                        self.message = Some((what, problem));
                    }
                }
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
                aria-busy={self.pending.map(|_| "true")}>
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
        let pressed = if self.supported { "true" } else { "false" };
        let progress = (self.threshold > 0).then(|| {
            html! {
                <progress class="mekaar-progress" aria-hidden="true"
                    max={self.threshold.to_string()}
                    value={self.count.min(self.threshold).to_string()} />
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
                            if self.supported {
                                <path d="M3 8.5l3 3 7-7" />
                            } else {
                                <path d="M8 3v10M3 8h10" />
                            }
                        </svg>
                        <span>{ t(lang, Key::SupportButton) }</span>
                    </button>
                    <p class="mekaar-count" aria-live="polite">
                        { count_text(lang, self.count, self.threshold) }
                    </p>
                </div>
                { for progress }
                { for message }
            </>
        }
    }
}
