//! The support button: one click to back an initiative, a second click to withdraw.
//!
//! DOM inside the shadow root (stable, for end-to-end tests):
//! `.mekaar-root[data-state=loading|ready|error]` holding `.mekaar-title`,
//! `button.mekaar-support-button[aria-pressed]`, `.mekaar-count[aria-live=polite]` and, when
//! something went wrong, `.mekaar-message`. Inside an initiative view (`threshold` given)
//! the root has `data-inline` and no title.

use crate::api::{InitiativeSummary, Problem};
use crate::i18n::{count_text, t, Key, Lang};
use mekaar_api::SupportState;
use std::rc::Rc;

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

    pub fn attr(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// What a support button shows.
#[derive(Clone)]
pub struct Props {
    /// The API base: the loader's own directory, ending in `/`.
    pub base: Rc<str>,
    pub community: Rc<str>,
    pub initiative: Rc<str>,
    pub lang: Lang,
    pub theme: Option<Theme>,
    /// The resident's voter key.
    pub voter: Rc<str>,
    /// Set when the button sits inside a view of the initiative that already shows its
    /// title and knows the threshold: the button then shows no title and draws no box.
    pub threshold: Option<u64>,
}

/// What the widget shows as a whole.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Loading,
    Ready,
    Error(Problem),
}

/// The support button's state, without the browser.
pub struct View {
    pub p: Props,
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

impl View {
    pub fn new(p: Props) -> View {
        View {
            p,
            initiative: None,
            state: None,
            count_from_state: false,
            threshold: 0,
            support: Support::default(),
            message: None,
        }
    }

    fn phase(&self) -> Phase {
        match (&self.initiative, &self.state) {
            (Some(Err(p)), _) => Phase::Error(*p),
            (Some(Ok(_)), Some(Err(p))) => Phase::Error(*p),
            (Some(Ok(_)), Some(Ok(()))) => Phase::Ready,
            _ => Phase::Loading,
        }
    }

    /// Starts (re)loading; returns whether to ask for the initiative (title and threshold).
    pub fn reload(&mut self) -> bool {
        self.initiative = None;
        self.state = None;
        self.count_from_state = false;
        self.message = None;
        if self.p.community.trim().is_empty() || self.p.initiative.trim().is_empty() {
            self.initiative = Some(Err(Problem::Misconfigured));
            return false;
        }
        if let Some(threshold) = self.p.threshold {
            self.threshold = threshold;
            self.initiative = Some(Ok(String::new()));
            return false;
        }
        true
    }

    pub fn got_initiative(&mut self, result: Result<InitiativeSummary, Problem>) {
        self.initiative = Some(result.map(|i| {
            self.threshold = i.support_threshold;
            if !self.count_from_state {
                self.support.count = i.support_count;
            }
            i.title
        }));
    }

    pub fn got_state(&mut self, result: Result<SupportState, Problem>) {
        self.state = Some(result.map(|s| {
            self.support = Support::new(s.supported, s.support_count);
            self.count_from_state = true;
        }));
    }

    pub fn misconfigured(&self) -> bool {
        matches!(self.initiative, Some(Err(Problem::Misconfigured)))
    }

    /// A click: the method to send (PUT or DELETE), if any.
    pub fn toggle(&mut self) -> Option<bool> {
        if self.phase() != Phase::Ready {
            return None;
        }
        // Optimistic: show the outcome now, roll back if the server says no.
        let want = self.support.begin()?;
        self.message = None;
        Some(want)
    }

    pub fn toggled(&mut self, want: bool, result: Result<SupportState, Problem>) {
        self.message = self.support.finish(want, result);
    }

    /// Another widget on the page changed the support of the same initiative.
    pub fn synced(&mut self, state: SupportState) -> bool {
        // A widget with its own change in flight waits for its own answer.
        if self.support.is_pending() {
            return false;
        }
        self.support = Support::new(state.supported, state.support_count);
        self.count_from_state = true;
        true
    }

    /// The widget as HTML.
    pub fn html(&self) -> String {
        let mut o = crate::markup::Out::default();
        let lang = self.p.lang;
        let phase = self.phase();
        o.raw("<div class=\"mekaar-root mekaar-support\" lang=\"")
            .raw(lang.tag())
            .raw("\" data-state=\"")
            .raw(match phase {
                Phase::Loading => "loading",
                Phase::Ready => "ready",
                Phase::Error(_) => "error",
            })
            .raw("\"");
        if let Some(theme) = self.p.theme {
            o.raw(" data-theme=\"").raw(theme.attr()).raw("\"");
        }
        if self.p.threshold.is_some() {
            o.raw(" data-inline=\"true\"");
        }
        if self.support.is_pending() {
            o.raw(" aria-busy=\"true\"");
        }
        o.raw(">");
        match phase {
            Phase::Loading => {
                o.el(
                    "<p class=\"mekaar-loading\">",
                    t(lang, Key::Loading),
                    "</p>",
                );
            }
            Phase::Error(problem) => {
                o.el(
                    "<p class=\"mekaar-message\" role=\"alert\">",
                    t(lang, problem.key()),
                    "</p>",
                );
                if problem.retryable() {
                    o.button("mekaar-retry", "reload", t(lang, Key::Retry));
                }
            }
            Phase::Ready => self.ready(&mut o),
        }
        o.raw("</div>");
        o.0
    }

    fn ready(&self, o: &mut crate::markup::Out) {
        let lang = self.p.lang;
        let Support {
            supported, count, ..
        } = self.support;
        let inline = self.p.threshold.is_some();
        if !inline {
            if let Some(Ok(title)) = &self.initiative {
                o.el(
                    "<p class=\"mekaar-title\" id=\"mekaar-title\">",
                    title,
                    "</p>",
                );
            }
        }
        o.raw("<div class=\"mekaar-row\"><button type=\"button\" class=\"mekaar-support-button\" data-act=\"toggle\" aria-pressed=\"")
            .raw(if supported { "true" } else { "false" })
            .raw(if inline { "\">" } else { "\" aria-describedby=\"mekaar-title\">" })
            .raw("<svg class=\"mekaar-icon\" aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\"><path d=\"")
            .raw(if supported { "M3 8.5l3 3 7-7" } else { "M8 3v10M3 8h10" })
            .el("\"></path></svg><span>", t(lang, Key::SupportButton), "</span></button>")
            .el(
                "<p class=\"mekaar-count\" aria-live=\"polite\">",
                &count_text(lang, count, self.threshold),
                "</p></div>",
            );
        if self.threshold > 0 {
            o.raw("<progress class=\"mekaar-progress\" aria-hidden=\"true\" max=\"")
                .num(self.threshold)
                .raw("\" value=\"")
                .num(count.min(self.threshold))
                .raw("\"></progress>");
        }
        if let Some((what, why)) = self.message {
            o.el(
                "<p class=\"mekaar-message\" role=\"alert\">",
                t(lang, what),
                " ",
            )
            .key(lang, why.key())
            .raw("</p>");
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{start, Button};

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{Props, View};
    use crate::api::{initiative_url, support_url, Decode, Problem};
    use crate::dom::{self, Widget};
    use mekaar_api::SupportState;
    use std::cell::RefCell;
    use std::rc::{Rc, Weak};
    use web_sys::{Element, Event};

    thread_local! {
        /// Every support button on the page, so that when one changes, the others showing
        /// the same initiative (e.g. above and below an article) show the server's new
        /// state too.
        static PEERS: RefCell<Vec<Weak<RefCell<Button>>>> = const { RefCell::new(Vec::new()) };
    }

    pub struct Button {
        view: View,
        root: Element,
        me: Weak<RefCell<Button>>,
        _listener: Option<dom::Listener>,
    }

    /// Starts a support button in `root`. The caller keeps the returned handle as long as
    /// the button should live.
    pub fn start(p: Props, root: Element) -> Rc<RefCell<Button>> {
        let button = Rc::new(RefCell::new(Button {
            view: View::new(p),
            root: root.clone(),
            me: Weak::new(),
            _listener: None,
        }));
        let me = Rc::downgrade(&button);
        PEERS.with(|peers| {
            let mut peers = peers.borrow_mut();
            peers.retain(|w| w.strong_count() > 0);
            peers.push(me.clone());
        });
        {
            let mut b = button.borrow_mut();
            b.me = me.clone();
            b._listener = Some(dom::listen(me, &root, &["click"]));
            b.load();
            b.render();
        }
        button
    }

    /// What an answer is for.
    enum What {
        Initiative,
        State,
        Toggled(bool),
    }

    impl Button {
        fn load(&mut self) {
            if self.view.reload() {
                let p = &self.view.p;
                // No custom header here: a CORS "simple request", so the server's
                // `origin_not_allowed` answer is readable and we can say so.
                self.send(
                    What::Initiative,
                    "GET",
                    initiative_url(&p.base, &p.community, &p.initiative),
                );
            }
            if !self.view.misconfigured() {
                self.send_support(What::State, "GET");
            }
        }

        fn send_support(&self, what: What, method: &'static str) {
            let p = &self.view.p;
            self.send(
                what,
                method,
                support_url(&p.base, &p.community, &p.initiative),
            );
        }

        fn send(&self, what: What, method: &'static str, url: String) {
            let me = self.me.clone();
            let voter = (!matches!(what, What::Initiative)).then(|| self.view.p.voter.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let header = voter.as_deref().map(|key| (mekaar_api::VOTER_HEADER, key));
                let result = crate::api::call(method, &url, header, None).await;
                let Some(button) = me.upgrade() else { return };
                let mut button = button.borrow_mut();
                button.got(what, result.map_err(|f| f.problem));
                button.render();
            });
        }

        fn got(&mut self, what: What, result: Result<wasm_bindgen::JsValue, Problem>) {
            fn decode<T: Decode>(r: &Result<wasm_bindgen::JsValue, Problem>) -> Result<T, Problem> {
                r.clone()
                    .and_then(|v| T::decode(&v).ok_or(Problem::Generic))
            }
            let state = decode::<SupportState>(&result);
            match what {
                What::Initiative => self.view.got_initiative(decode(&result)),
                What::State => self.view.got_state(state),
                What::Toggled(want) => {
                    if let Ok(s) = state {
                        let p = &self.view.p;
                        PEERS.with(|peers| {
                            for peer in peers.borrow().iter().filter_map(Weak::upgrade) {
                                // This button is borrowed: it is skipped.
                                if let Ok(mut other) = peer.try_borrow_mut() {
                                    let q = &other.view.p;
                                    if q.community == p.community
                                        && q.initiative == p.initiative
                                        && other.view.synced(s)
                                    {
                                        other.render();
                                    }
                                }
                            }
                        });
                    }
                    self.view.toggled(want, state);
                }
            }
        }
    }

    impl Widget for Button {
        fn event(&mut self, e: &Event) -> bool {
            match dom::act(e, "button[data-act]") {
                Some((act, _)) if act == "toggle" => {
                    let Some(want) = self.view.toggle() else {
                        return false;
                    };
                    self.send_support(What::Toggled(want), if want { "PUT" } else { "DELETE" });
                    true
                }
                Some((act, _)) if act == "reload" => {
                    self.load();
                    true
                }
                _ => false,
            }
        }

        fn render(&mut self) {
            dom::morph(&self.root, &self.view.html());
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

    #[test]
    fn theme_attribute() {
        assert_eq!(Theme::from_attr(Some("dark")), Some(Theme::Dark));
        assert_eq!(Theme::from_attr(Some(" Light ")), Some(Theme::Light));
        assert_eq!(Theme::from_attr(Some("auto")), None);
        assert_eq!(Theme::from_attr(None), None);
    }
}
