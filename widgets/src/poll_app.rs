//! The browser side of the poll widget: the resident's poll (and its overlay view).
//! State and views are in `poll.rs`.
//!
//! Live updates: the poll widget follows `…/polls/{id}/live` with an `EventSource` (which
//! reconnects by itself, sending `Last-Event-ID`); once the resident voted it reconnects
//! with `?viewer=TICKET`. A draft (409 `poll_not_open`) is followed as well: the first
//! event of another phase fetches the view again.

use crate::api::{self, encode_segment, Failure, Problem};
use crate::dom::{self, Widget};
use crate::i18n::Lang;
use crate::poll::{self, Ballot};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventSource, FormData, HtmlInputElement, MessageEvent};

/// What a poll placeholder asked for.
pub struct Config {
    pub base: String,
    pub community: String,
    pub poll: String,
    pub lang: Lang,
    pub theme: Option<&'static str>,
    pub voter: Rc<str>,
    pub overlay: bool,
}

impl Config {
    /// `{base}api/v1/communities/{c}/polls/{id}`.
    fn url(&self, tail: &str) -> String {
        let mut url = api::community_url(&self.base, &self.community);
        url.push_str("/polls/");
        url.push_str(&encode_segment(&self.poll));
        url.push_str(tail);
        url
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

// ---------------------------------------------------------------------------------------
// The resident's poll.

pub struct PollApp {
    b: Ballot,
    c: Config,
    root: Element,
    me: Weak<RefCell<PollApp>>,
    _listeners: Vec<dom::Listener>,
    /// The live stream, with the ticket it was opened with.
    source: Option<(EventSource, Option<String>, dom::Listener)>,
    /// An announcement is waiting for its time.
    timer: bool,
    focus: Option<&'static str>,
}

/// Starts a poll widget in `root` (a container in the shadow root).
pub fn start(c: Config, root: Element) {
    let app = Rc::new(RefCell::new(PollApp {
        b: Ballot::new(c.lang, c.overlay),
        c,
        root: root.clone(),
        me: Weak::new(),
        _listeners: Vec::new(),
        source: None,
        timer: false,
        focus: None,
    }));
    let me = Rc::downgrade(&app);
    {
        let mut a = app.borrow_mut();
        a.me = me.clone();
        a._listeners
            .push(dom::listen(me, &root, &["click", "submit", "change"]));
        a.load();
        a.render();
    }
    // The widget lives as long as the page.
    std::mem::forget(app);
}

enum What {
    /// The poll; `true`: a refresh that keeps what is shown until it arrives.
    View(bool),
    Vote,
}

impl PollApp {
    fn load(&mut self) -> bool {
        self.load_view(false)
    }

    fn load_view(&mut self, refresh: bool) -> bool {
        if self.c.community.is_empty() || self.c.poll.is_empty() {
            self.b.poll = Some(Err(Problem::Misconfigured.into()));
            return true;
        }
        if !refresh {
            self.b.poll = None;
        }
        self.call(What::View(refresh), "GET", self.c.url(""), None);
        true
    }

    fn call(&self, what: What, method: &'static str, url: String, body: Option<String>) {
        let me = self.me.clone();
        // The overlay is nobody's vote: it asks without a voter key (and so without a
        // CORS preflight).
        let voter = (!self.c.overlay).then(|| self.c.voter.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let header = voter.as_deref().map(|v| (mekaar_api::VOTER_HEADER, v));
            let result = api::call(method, &url, header, body).await;
            if let Some(app) = me.upgrade() {
                let mut app = app.borrow_mut();
                app.got(what, result);
                app.render();
            }
        });
    }

    fn got(&mut self, what: What, result: Result<JsValue, Failure>) {
        match what {
            What::View(refresh) => self.b.loaded(result.map(|v| poll::view_from(&v)), refresh),
            What::Vote => {
                let problem = result.as_ref().err().map(|f| f.problem);
                self.b.voted(result.map(|v| poll::receipt_from(&v)));
                match problem {
                    None => self.focus = Some("#mekaar-counted"),
                    Some(Problem::InvalidVoteCode) => self.focus = Some("#mekaar-f-code"),
                    // The poll moved on (closed, or this key voted elsewhere): show it as
                    // it is now.
                    Some(Problem::AlreadyVoted | Problem::PollNotOpen) => {
                        self.load_view(true);
                    }
                    Some(_) => {}
                }
            }
        }
        self.follow();
        self.announce();
    }

    /// (Re)connects the live stream when the ticket changed. A draft is followed too: the
    /// stream tells when it opens.
    fn follow(&mut self) {
        if !self.b.follows() {
            return;
        }
        let ticket = self.b.ticket().map(String::from);
        if let Some((source, old, _)) = &self.source {
            if *old == ticket && source.ready_state() != EventSource::CLOSED {
                return;
            }
            source.close();
        }
        self.source = None;
        let mut url = self.c.url("/live");
        if let Some(t) = &ticket {
            url.push_str("?viewer=");
            url.push_str(&encode_segment(t));
        }
        if let Ok(source) = EventSource::new(&url) {
            let listener = dom::listen(self.me.clone(), &source, &["update", "error"]);
            self.source = Some((source, ticket, listener));
        }
    }

    /// Updates the live region, or waits for its time.
    fn announce(&mut self) {
        if self.b.overlay || self.timer {
            return;
        }
        if let Some(wait) = self.b.announce(now()) {
            self.timer = true;
            let me = self.me.clone();
            wasm_bindgen_futures::spawn_local(async move {
                dom::sleep(wait + 50.0).await;
                if let Some(app) = me.upgrade() {
                    let mut app = app.borrow_mut();
                    app.timer = false;
                    app.announce();
                    app.render();
                }
            });
        }
    }

    fn vote(&mut self, form: &Element) -> bool {
        let Ok(data) = FormData::new_with_form(form.unchecked_ref()) else {
            return false;
        };
        let choices: Vec<u8> = data
            .get_all("choice")
            .iter()
            .filter_map(|v| v.as_string()?.parse().ok())
            .collect();
        let code = data.get("code").as_string().unwrap_or_default();
        match self.b.ballot(&choices, &code) {
            Some((choices, code)) => {
                let list = js_sys::Array::new();
                for c in choices {
                    list.push(&JsValue::from(c));
                }
                let mut pairs = vec![(poll::fields::CHOICES, list.into())];
                if let Some(code) = code {
                    pairs.push((poll::fields::CODE, JsValue::from_str(&code)));
                }
                self.call(
                    What::Vote,
                    "POST",
                    self.c.url("/vote"),
                    Some(api::json(&pairs)),
                );
            }
            None => {
                self.focus = Some(match self.b.field {
                    Some(poll::FieldError::Code(_)) => "#mekaar-f-code",
                    _ => "#mekaar-o-0",
                });
            }
        }
        true
    }
}

impl Widget for PollApp {
    fn event(&mut self, e: &Event) -> bool {
        match e.type_().as_str() {
            "update" => {
                let Some(data) = e
                    .dyn_ref::<MessageEvent>()
                    .and_then(|m| m.data().as_string())
                else {
                    return false;
                };
                let Ok(v) = js_sys::JSON::parse(&data) else {
                    return false;
                };
                let update = poll::live_from(&v);
                if self.b.opens(&update) {
                    // The draft was opened: now its view has content.
                    self.load_view(true);
                }
                self.b.live(update);
                self.announce();
                true
            }
            "error" => {
                // An EventSource reconnects by itself, unless the server refused it: then
                // try again a little later.
                let closed = self
                    .source
                    .as_ref()
                    .is_some_and(|(s, _, _)| s.ready_state() == EventSource::CLOSED);
                if closed {
                    let me = self.me.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        dom::sleep(5_000.0).await;
                        if let Some(app) = me.upgrade() {
                            app.borrow_mut().follow();
                        }
                    });
                }
                false
            }
            "click" => match dom::act(e, "button[data-act]") {
                Some((act, _)) if act == "reload" => self.load(),
                _ => false,
            },
            "change" => {
                let Some(input) = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                else {
                    return false;
                };
                if input.type_() != "checkbox" {
                    return false;
                }
                let checked = self
                    .root
                    .query_selector_all("input[name=choice]:checked")
                    .map(|l| l.length() as usize)
                    .unwrap_or(0);
                if self.b.ticked(checked) {
                    input.set_checked(false);
                }
                true
            }
            "submit" => {
                let Some((act, form)) = dom::act(e, "form[data-act]") else {
                    return false;
                };
                e.prevent_default();
                act == "vote" && self.vote(&form)
            }
            _ => false,
        }
    }

    fn render(&mut self) {
        dom::morph(&self.root, &self.b.html(self.c.theme));
        if let Some(sel) = self.focus {
            if dom::focus(&self.root, sel) {
                self.focus = None;
            }
        }
    }
}
