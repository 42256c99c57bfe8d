//! The browser side of the poll widgets: the resident's poll (and its overlay view) and
//! the editor's control page. State and views are in `poll.rs` and `control.rs`.
//!
//! Live updates: the poll widget follows `…/polls/{id}/live` with an `EventSource` (which
//! reconnects by itself, sending `Last-Event-ID`); once the resident voted it reconnects
//! with `?viewer=TICKET`. A draft (409 `poll_not_open`) is followed as well: the first
//! event of another phase fetches the view again. The control page needs the `Authorization` header, which an
//! `EventSource` cannot send, so it reads the admin stream with `fetch` and a
//! `ReadableStream`, parses the events itself ([`crate::control::Sse`]) and reconnects
//! after 2 s when the stream ends.

use crate::api::{self, encode_segment, Failure, Problem};
use crate::control::{admin_from, Codes, Control, Sse};
use crate::dom::{self, Widget};
use crate::i18n::{Key, Lang};
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

    /// The same under the admin API.
    fn admin_url(&self, tail: &str) -> String {
        let mut url = String::from(self.base.trim_end_matches('/'));
        url.push_str(mekaar_api::API_PREFIX);
        url.push_str("/admin/communities/");
        url.push_str(&encode_segment(&self.community));
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

// ---------------------------------------------------------------------------------------
// The editor's control page.

pub struct ControlApp {
    s: Control,
    c: Config,
    token: Rc<str>,
    root: Element,
    me: Weak<RefCell<ControlApp>>,
    _listeners: Vec<dom::Listener>,
    /// Bumped whenever the token changes: a live stream of an older one stops.
    generation: u32,
    streaming: bool,
    focus: Option<&'static str>,
}

/// The `sessionStorage` key of the admin token: the control page is a page of the server
/// itself, so this is the server's origin, and the token is gone when the tab closes.
fn token_key(community: &str) -> String {
    ["mekaar.admin.", community].concat()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Starts the control widget in `root`.
pub fn start_control(c: Config, root: Element) {
    let token: Rc<str> = session()
        .and_then(|s| s.get_item(&token_key(&c.community)).ok().flatten())
        .unwrap_or_default()
        .into();
    let base = c.base.clone();
    let app = Rc::new(RefCell::new(ControlApp {
        s: Control::new(c.lang, base, !token.is_empty()),
        c,
        token,
        root: root.clone(),
        me: Weak::new(),
        _listeners: Vec::new(),
        generation: 0,
        streaming: false,
        focus: None,
    }));
    let me = Rc::downgrade(&app);
    {
        let mut a = app.borrow_mut();
        a.me = me.clone();
        a._listeners
            .push(dom::listen(me, &root, &["click", "submit"]));
        if a.s.has_token {
            a.load();
        }
        a.render();
    }
    std::mem::forget(app);
}

enum Act {
    Load,
    State,
    Codes(bool),
}

impl ControlApp {
    fn bearer(&self) -> String {
        ["Bearer ", &self.token].concat()
    }

    fn load(&mut self) {
        self.s.admin = None;
        self.send(Act::Load, self.c.admin_url(""), None);
    }

    fn send(&mut self, act: Act, url: String, body: Option<String>) {
        let me = self.me.clone();
        let bearer = self.bearer();
        let method = if matches!(act, Act::Load) {
            "GET"
        } else {
            self.s.busy = true;
            "POST"
        };
        wasm_bindgen_futures::spawn_local(async move {
            let header = [("authorization", bearer.as_str())];
            let result = match api::send(method, &url, &header, body).await {
                Ok(response) if response.ok() && matches!(act, Act::Codes(_)) => {
                    blob_url(&response).await
                }
                Ok(response) => {
                    let body = api::read_json(&response).await;
                    if response.ok() {
                        Ok(body)
                    } else {
                        Err(api::failure(&response, &body))
                    }
                }
                Err(f) => Err(f),
            };
            if let Some(app) = me.upgrade() {
                let mut app = app.borrow_mut();
                app.got(act, result);
                app.render();
            }
        });
    }

    fn got(&mut self, act: Act, result: Result<JsValue, Failure>) {
        match act {
            Act::Load | Act::State => {
                self.s.got(result.map(|v| admin_from(&v)));
                if !self.s.has_token {
                    self.forget_token();
                } else if matches!(self.s.admin, Some(Ok(_))) && !self.streaming {
                    self.stream();
                }
            }
            Act::Codes(csv) => {
                self.s.busy = false;
                if let Some(Ok(old)) = &self.s.codes {
                    let _ = web_sys::Url::revoke_object_url(&old.url);
                }
                match result {
                    Ok(url) => {
                        let count = self.codes_count();
                        if let Some(Ok(a)) = &mut self.s.admin {
                            a.vote_codes += count;
                        }
                        self.s.codes = Some(Ok(Codes {
                            count,
                            csv,
                            url: url.as_string().unwrap_or_default(),
                        }));
                        self.focus = Some("#mekaar-codes-link");
                    }
                    Err(f) => {
                        if self.s.refused(&f) {
                            self.forget_token();
                        } else {
                            self.s.codes = Some(Err(f));
                        }
                    }
                }
            }
        }
    }

    /// The token was refused or forgotten: drop it and ask again.
    fn forget_token(&mut self) {
        if let Some(s) = session() {
            let _ = s.remove_item(&token_key(&self.c.community));
        }
        self.token = "".into();
        self.generation = self.generation.wrapping_add(1);
        self.streaming = false;
        self.s.has_token = false;
        self.s.admin = None;
        self.s.live = None;
        self.focus = Some("#mekaar-f-token");
    }

    fn codes_count(&self) -> u64 {
        dom::find(&self.root, "#mekaar-f-count")
            .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
            .and_then(|el| el.value().trim().parse().ok())
            .unwrap_or(0)
    }

    fn action(&mut self, action: &str, round: Option<u32>) {
        let mut pairs = vec![(poll::fields::ACTION, JsValue::from_str(action))];
        if let Some(round) = round {
            pairs.push((poll::fields::ROUND, JsValue::from(round)));
        }
        self.send(
            Act::State,
            self.c.admin_url("/state"),
            Some(api::json(&pairs)),
        );
    }

    /// Follows the admin event stream until the token changes.
    fn stream(&mut self) {
        self.streaming = true;
        let me = self.me.clone();
        let generation = self.generation;
        let url = self.c.admin_url("/live");
        let bearer = self.bearer();
        wasm_bindgen_futures::spawn_local(async move {
            let mut sse = Sse::default();
            loop {
                let result = read_stream(&me, generation, &url, &bearer, &mut sse).await;
                let Some(app) = me.upgrade() else { return };
                {
                    let mut app = app.borrow_mut();
                    if app.generation != generation {
                        return;
                    }
                    if let Err(f) = &result {
                        if app.s.refused(f) {
                            app.forget_token();
                            app.render();
                            return;
                        }
                    }
                    app.s.live = Some(false);
                    app.render();
                }
                drop(app);
                dom::sleep(2_000.0).await;
                // A new connection starts with a fresh parser, but remembers the last id.
                sse.restart();
            }
        });
    }
}

/// The response body as a `blob:` URL.
async fn blob_url(response: &web_sys::Response) -> Result<JsValue, Failure> {
    let promise = response.blob().map_err(|_| Problem::Generic)?;
    let blob: web_sys::Blob = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| Problem::Unreachable)?
        .unchecked_into();
    web_sys::Url::create_object_url_with_blob(&blob)
        .map(|u| JsValue::from_str(&u))
        .map_err(|_| Problem::Generic.into())
}

/// Reads one connection of the admin stream; returns when it ends.
async fn read_stream(
    me: &Weak<RefCell<ControlApp>>,
    generation: u32,
    url: &str,
    bearer: &str,
    sse: &mut Sse,
) -> Result<(), Failure> {
    use wasm_bindgen_futures::JsFuture;
    let mut headers = vec![("authorization", bearer), ("accept", "text/event-stream")];
    let last = sse.last_id.clone();
    if !last.is_empty() {
        headers.push(("last-event-id", last.as_str()));
    }
    let response = api::send("GET", url, &headers, None).await?;
    if !response.ok() {
        let body = api::read_json(&response).await;
        return Err(api::failure(&response, &body));
    }
    let reader: web_sys::ReadableStreamDefaultReader = response
        .body()
        .ok_or(Problem::Generic)?
        .get_reader()
        .unchecked_into();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| Problem::Unreachable)?;
        if api::flag(&chunk, "done") {
            return Ok(());
        }
        let bytes = js_sys::Uint8Array::new(&api::get(&chunk, "value")).to_vec();
        let events = sse.feed(&bytes);
        let Some(app) = me.upgrade() else {
            return Ok(());
        };
        let mut app = app.borrow_mut();
        if app.generation != generation {
            let _ = reader.cancel();
            return Ok(());
        }
        app.s.live = Some(true);
        for data in events {
            if let Ok(v) = js_sys::JSON::parse(&data) {
                app.s.live(poll::live_from(&v));
            }
        }
        app.render();
    }
}

impl Widget for ControlApp {
    fn event(&mut self, e: &Event) -> bool {
        if e.type_() == "submit" {
            let Some((act, form)) = dom::act(e, "form[data-act]") else {
                return false;
            };
            e.prevent_default();
            if act != "token" {
                return false;
            }
            let token = FormData::new_with_form(form.unchecked_ref())
                .ok()
                .and_then(|d| d.get("token").as_string())
                .unwrap_or_default();
            let token = token.trim();
            if token.is_empty() {
                self.s.token_error = Some(Key::ErrRequired);
                self.focus = Some("#mekaar-f-token");
                return true;
            }
            if let Some(s) = session() {
                let _ = s.set_item(&token_key(&self.c.community), token);
            }
            self.token = token.into();
            self.generation = self.generation.wrapping_add(1);
            self.streaming = false;
            self.s.has_token = true;
            self.s.token_error = None;
            self.focus = Some("#mekaar-question");
            self.load();
            return true;
        }
        let Some((act, el)) = dom::act(e, "button[data-act]") else {
            return false;
        };
        if el.get_attribute("aria-disabled").as_deref() == Some("true") {
            return false;
        }
        match act.as_str() {
            "reload" => self.load(),
            "forget" => self.forget_token(),
            "open" | "close" | "reveal" | "hide" => {
                self.s.confirm = None;
                self.action(&act, None);
            }
            "reset" => {
                self.s.confirm = match &self.s.admin {
                    Some(Ok(a)) => Some(a.poll.round),
                    _ => None,
                };
                self.focus = Some("#mekaar-confirm");
            }
            "reset-yes" => {
                let round = self.s.confirm.take();
                if round.is_some() {
                    self.action("reset", round);
                }
                self.focus = Some("#mekaar-b-reset");
            }
            "reset-no" => {
                self.s.confirm = None;
                self.focus = Some("#mekaar-b-reset");
            }
            "codes-csv" | "codes-html" => {
                let csv = act == "codes-csv";
                let count = self.codes_count();
                let url = self.c.admin_url(if csv {
                    "/codes?format=csv"
                } else {
                    "/codes?format=html"
                });
                self.send(
                    Act::Codes(csv),
                    url,
                    Some(api::json(&[(
                        poll::fields::COUNT,
                        JsValue::from_f64(count as f64),
                    )])),
                );
            }
            _ => return false,
        }
        true
    }

    fn render(&mut self) {
        let html = self.s.html(self.c.theme);
        dom::morph(&self.root, &html);
        if let Some(sel) = self.focus {
            if dom::focus(&self.root, sel) {
                self.focus = None;
            }
        }
    }
}
