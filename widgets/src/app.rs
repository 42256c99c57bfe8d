//! The browser side of the initiative widgets: loading, events and rendering.
//!
//! The view is HTML text from [`State::view`], morphed into the DOM (`dom.rs`). One
//! listener on the widget's container handles every `click` on a `button[data-act]` and
//! every `submit` (and, for the filters, `change`) of a `form[data-act]`; the list and
//! the manage page also follow the page's `hashchange`. The support button inside a view is a support widget
//! started in `.mekaar-support-slot` (which the morph leaves alone: `data-keep`).

use crate::api::{self, Community, Detail, Failure, Joiner, Page, Problem, Query};
use crate::dom::{self, Widget};
use crate::form::{self, FormKind};
use crate::initiatives::{Kind, Managed, Route, State};
use crate::markup::Out;
use crate::support::Theme;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, FormData};

/// What a placeholder asked for.
pub struct Config {
    pub kind: Kind,
    pub base: String,
    pub community: String,
    pub initiative: String,
    pub lang: crate::i18n::Lang,
    pub theme: Option<Theme>,
    pub voter: Rc<str>,
    /// The manage token (manage widget only).
    pub token: Rc<str>,
    pub submit: bool,
    pub preset: Query,
}

/// What an answer is for.
#[derive(Clone, Copy)]
enum What {
    Community,
    /// With the number of the navigation it belongs to: late answers are dropped.
    List(u32),
    Detail(u32),
    Join,
    Withdraw,
    Manage,
    Form(FormKind),
}

type Button = yew::AppHandle<crate::support::SupportButton>;

pub struct App {
    s: State,
    c: Config,
    /// The container the view is morphed into.
    root: Element,
    me: Weak<RefCell<App>>,
    /// The support button in the view: its slot and the button.
    support: Option<(Element, Button)>,
    _listeners: Vec<dom::Listener>,
    /// A selector to focus as soon as it matches.
    focus: Option<String>,
    /// A form to reset after the next render.
    reset: Option<&'static str>,
    seq: u32,
    /// Whether the list was shown before the current route (so Back is history.back()).
    from_list: bool,
}

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

fn location_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// A field's trimmed text from form data ("" when absent).
fn value(data: &FormData, name: &str) -> String {
    data.get(name)
        .as_string()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Starts the widget in `root` (a container in the shadow root).
pub fn start(c: Config, root: Element) {
    let mut query = c.preset.clone();
    query.page = 1;
    let route = match c.kind {
        Kind::List => Route::from_hash(&location_hash()),
        _ => Route::List,
    };
    let s = State::new(c.kind, c.lang, c.submit, query, route);
    let kind = c.kind;
    let app = Rc::new(RefCell::new(App {
        s,
        c,
        root: root.clone(),
        me: Weak::new(),
        support: None,
        _listeners: Vec::new(),
        focus: None,
        reset: None,
        seq: 0,
        from_list: false,
    }));
    let me = Rc::downgrade(&app);
    let mut a = app.borrow_mut();
    a.me = me.clone();
    a._listeners.push(dom::listen(
        me.clone(),
        &root,
        &["click", "submit", "change"],
    ));
    if kind != Kind::Single {
        a._listeners
            .push(dom::listen(me, &window(), &["hashchange"]));
    }
    a.load();
    a.render();
    drop(a);
    // The widget lives as long as the page.
    std::mem::forget(app);
}

fn managed(v: &JsValue) -> Managed {
    Managed {
        detail: Detail::from_js(&api::get(v, api::fields::INITIATIVE)),
        moderation: api::text(v, api::fields::MODERATION),
        joins: api::items(v, api::fields::JOINS)
            .iter()
            .map(Joiner::from_js)
            .collect(),
    }
}

impl App {
    /// One API call; its answer comes back to [`App::got`].
    fn call(
        &self,
        what: What,
        method: &'static str,
        url: String,
        header: Option<(&'static str, Rc<str>)>,
        body: Option<String>,
    ) {
        let me = self.me.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let h = header.as_ref().map(|(name, value)| (*name, &**value));
            let result = api::call(method, &url, h, body).await;
            if let Some(app) = me.upgrade() {
                let mut app = app.borrow_mut();
                if app.got(what, result) {
                    app.render();
                }
            }
        });
    }

    fn voter(&self) -> Option<(&'static str, Rc<str>)> {
        Some((mekaar_api::VOTER_HEADER, self.c.voter.clone()))
    }

    fn manager(&self) -> Option<(&'static str, Rc<str>)> {
        Some((mekaar_api::MANAGE_HEADER, self.c.token.clone()))
    }

    /// `{initiative}{tail}` for the initiative the view is about.
    fn url(&self, tail: &str) -> String {
        let id = match &self.s.route {
            Route::Detail(id) if self.c.kind == Kind::List => id.as_str(),
            _ => self.c.initiative.as_str(),
        };
        let mut url = api::initiative_url(&self.c.base, &self.c.community, id);
        url.push_str(tail);
        url
    }

    /// (Re)loads what the current kind and route show.
    fn load(&mut self) {
        self.seq = self.seq.wrapping_add(1);
        let s = &mut self.s;
        s.forms = Default::default();
        s.report_open = false;
        let c = &self.c;
        if c.community.is_empty() || (c.kind != Kind::List && c.initiative.is_empty()) {
            s.community = Some(Err(Problem::Misconfigured.into()));
            return;
        }
        if c.kind != Kind::Single && !matches!(s.community, Some(Ok(_))) {
            s.community = None;
            let url = api::community_url(&c.base, &c.community);
            self.call(What::Community, "GET", url, None, None);
        }
        let s = &mut self.s;
        match c.kind {
            Kind::Manage => {
                if c.token.is_empty() {
                    s.manage = Some(Err(Problem::InvalidManageToken.into()));
                    return;
                }
                s.manage = None;
                self.call(
                    What::Manage,
                    "GET",
                    self.url("/manage"),
                    self.manager(),
                    None,
                );
            }
            _ => match s.route {
                Route::List if c.kind == Kind::List => {
                    // The previous page stays until the new one is there: no jumping.
                    if matches!(s.page, Some(Err(_))) {
                        s.page = None;
                    }
                    let url = s.query.url(&c.base, &c.community);
                    self.call(What::List(self.seq), "GET", url, None, None);
                }
                Route::New => s.submitted = None,
                _ => {
                    s.detail = None;
                    self.call(What::Detail(self.seq), "GET", self.url(""), None, None);
                    if c.kind == Kind::List {
                        self.s.joined = false;
                        self.call(What::Join, "GET", self.url("/join"), self.voter(), None);
                    }
                }
            },
        }
    }

    /// Follows the hash to `route`.
    fn go(&mut self, route: Route) -> bool {
        if route == self.s.route {
            return false;
        }
        let previous = std::mem::replace(&mut self.s.route, route);
        self.from_list = previous == Route::List;
        self.focus = match (&previous, &self.s.route) {
            // Back on the list: focus the card that was open.
            (Route::Detail(id), Route::List) => Some(["#mekaar-c-", id].concat()),
            (_, Route::New) => Some("#mekaar-submit-title".into()),
            _ => None,
        };
        self.load();
        true
    }

    /// Handles an event; whether to render.
    fn handle(&mut self, e: &Event) -> bool {
        let ty = e.type_();
        if ty == "hashchange" {
            if self.c.kind == Kind::Manage {
                // Another manage link pasted into the same tab only changes the fragment.
                self.c.token = location_hash().trim_start_matches('#').into();
                self.load();
                return true;
            }
            return self.go(Route::from_hash(&location_hash()));
        }
        if ty == "click" {
            match dom::act(e, "button[data-act]") {
                Some((act, _)) => self.click(&act),
                None => false,
            }
        } else {
            let Some((act, form)) = dom::act(e, "form[data-act]") else {
                return false;
            };
            if ty == "change" && act != "filter" {
                return false;
            }
            e.prevent_default();
            let Ok(data) = FormData::new_with_form(form.unchecked_ref()) else {
                return false;
            };
            match FormKind::from_act(&act) {
                Some(kind) => self.send_form(kind, &data),
                None => {
                    let q = &mut self.s.query;
                    q.area = value(&data, "area");
                    q.theme = value(&data, "theme");
                    q.status = value(&data, "status");
                    q.q = value(&data, "q");
                    q.sort = value(&data, "sort");
                    q.page = 1;
                    self.load();
                }
            }
            true
        }
    }

    fn click(&mut self, act: &str) -> bool {
        match act {
            "prev" | "next" => {
                let q = &mut self.s.query;
                q.page = if act == "next" {
                    q.page + 1
                } else {
                    q.page.saturating_sub(1).max(1)
                };
                self.focus = Some("#mekaar-results".into());
                self.load();
            }
            "withdraw" => {
                self.s.forms[FormKind::Join as usize].failure = None;
                self.call(
                    What::Withdraw,
                    "DELETE",
                    self.url("/join"),
                    self.voter(),
                    None,
                );
                return false;
            }
            "report" | "cancel" => {
                let open = act == "report";
                self.s.report_open = open;
                self.s.forms[FormKind::Report as usize] = Default::default();
                self.focus = Some(
                    if open {
                        "#mekaar-f-reason"
                    } else {
                        "#mekaar-b-report"
                    }
                    .into(),
                );
            }
            "back" => {
                let w = window();
                if self.from_list {
                    let _ = w.history().and_then(|h| h.back());
                    return false;
                }
                // Landed on a shared link: drop the hash without leaving the page.
                let l = w.location();
                let url = [
                    l.pathname().unwrap_or_default(),
                    l.search().unwrap_or_default(),
                ]
                .concat();
                let _ = w
                    .history()
                    .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&url)));
                return self.go(Route::List);
            }
            "copy" => {
                // navigator.clipboard.writeText(link), where the browser offers it.
                let link = self.s.submitted.as_ref().map_or("", |s| s.0.as_str());
                let clipboard = api::get(&api::get(&window(), "navigator"), "clipboard");
                let write = api::get(&clipboard, "writeText");
                let ok = write
                    .dyn_ref::<js_sys::Function>()
                    .is_some_and(|f| f.call1(&clipboard, &JsValue::from_str(link)).is_ok());
                self.s.copied = Some(ok);
            }
            "retry" => {
                if matches!(self.s.community, Some(Err(_))) {
                    self.s.community = None;
                }
                self.load();
            }
            _ => return false,
        }
        true
    }

    fn send_form(&mut self, kind: FormKind, data: &FormData) {
        let fields = kind.fields();
        let get = |name: &str| value(data, name);
        let ui = &mut self.s.forms[kind as usize];
        if ui.busy {
            return;
        }
        ui.errors = form::validate(fields, &get);
        ui.failure = None;
        ui.done = false;
        if !ui.errors.is_empty() {
            self.focus = Some("[aria-invalid=\"true\"]".into());
            return;
        }
        ui.busy = true;
        let body = Some(form::body(fields, &get));
        let (method, url, header) = match kind {
            FormKind::Join => ("POST", self.url("/join"), self.voter()),
            FormKind::Report => ("POST", self.url("/report"), self.voter()),
            FormKind::Submit => {
                let mut url = api::community_url(&self.c.base, &self.c.community);
                url.push_str("/initiatives");
                ("POST", url, None)
            }
            FormKind::Edit => ("PATCH", self.url("/manage"), self.manager()),
            FormKind::Update => ("POST", self.url("/manage/updates"), self.manager()),
        };
        self.call(What::Form(kind), method, url, header, body);
    }

    /// An answer arrived; whether to render.
    fn got(&mut self, what: What, result: Result<JsValue, Failure>) -> bool {
        let s = &mut self.s;
        match what {
            What::Community => s.community = Some(result.map(|v| Community::from_js(&v))),
            What::List(seq) | What::Detail(seq) if seq != self.seq => return false,
            What::List(_) => {
                s.page = Some(result.map(|v| Page::from_js(&v)));
            }
            What::Detail(_) => {
                let detail = result.map(|v| Detail::from_js(&v));
                if let Ok(d) = &detail {
                    s.join_count = d.card.joins;
                    if self.c.kind == Kind::List {
                        self.focus = Some("#mekaar-detail-title".into());
                    }
                }
                s.detail = Some(detail);
            }
            What::Join | What::Withdraw => match result {
                Ok(v) => {
                    s.joined = api::flag(&v, api::fields::JOINED);
                    s.join_count = api::num(&v, api::fields::JOIN_COUNT);
                    if let What::Withdraw = what {
                        self.focus = Some("#mekaar-f-name".into());
                    }
                }
                Err(f) => {
                    if let What::Join = what {
                        return false;
                    }
                    s.forms[FormKind::Join as usize].failure = Some(f);
                }
            },
            What::Manage => s.manage = Some(result.map(|v| managed(&v))),
            What::Form(kind) => self.answered(kind, result),
        }
        true
    }

    /// A form's answer arrived.
    fn answered(&mut self, kind: FormKind, result: Result<JsValue, Failure>) {
        let s = &mut self.s;
        let ui = &mut s.forms[kind as usize];
        ui.busy = false;
        let v = match result {
            Ok(v) => v,
            Err(f) => {
                let field = match f.problem {
                    Problem::ConsentRequired => Some("consent"),
                    Problem::InvalidField => f
                        .field
                        .as_deref()
                        .and_then(|name| kind.fields().iter().map(|x| x.name).find(|n| *n == name)),
                    _ => None,
                };
                match field {
                    Some(name) => {
                        ui.errors = vec![(name, f.problem.key())];
                        self.focus = Some("[aria-invalid=\"true\"]".into());
                    }
                    None => ui.failure = Some(f),
                }
                return;
            }
        };
        ui.done = true;
        match kind {
            FormKind::Join => {
                s.joined = api::flag(&v, api::fields::JOINED);
                s.join_count = api::num(&v, api::fields::JOIN_COUNT);
                self.focus = Some("#mekaar-joined".into());
            }
            FormKind::Report => self.focus = Some("#mekaar-reported".into()),
            FormKind::Submit => {
                let c = &self.c;
                let id = api::text(&api::get(&v, api::fields::INITIATIVE), api::fields::ID);
                let token = api::text(&v, api::fields::MANAGE_TOKEN);
                let link = api::manage_link(&c.base, &c.community, &id, &token);
                let pending = api::text(&v, api::fields::MODERATION) == "pending";
                s.submitted = Some((link, pending));
                s.copied = None;
                self.focus = Some("#mekaar-submitted-title".into());
            }
            FormKind::Edit | FormKind::Update => {
                s.manage = Some(Ok(managed(&v)));
                if kind == FormKind::Update {
                    self.reset = Some(".mekaar-update-form");
                }
            }
        }
    }
}

impl Widget for App {
    fn event(&mut self, e: &Event) -> bool {
        self.handle(e)
    }

    /// Shows the state.
    fn render(&mut self) {
        let mut o = Out::default();
        let c = &self.c;
        o.raw(match c.kind {
            Kind::List => "<div class=\"mekaar-root mekaar-initiatives\" lang=\"",
            Kind::Single => "<div class=\"mekaar-root mekaar-initiative\" lang=\"",
            Kind::Manage => "<div class=\"mekaar-root mekaar-manage\" lang=\"",
        })
        .raw(c.lang.tag())
        .raw("\" data-view=\"")
        .raw(self.s.view_name())
        .raw("\"");
        if let Some(theme) = c.theme {
            o.raw(" data-theme=\"").raw(theme.attr()).raw("\"");
        }
        let mut view = Out::default();
        let state = self.s.view(&mut view);
        o.raw(" data-state=\"").raw(state).raw("\">");
        o.0.push_str(&view.0);
        o.raw("</div>");
        dom::morph(&self.root, &o.0);

        let slot = dom::find(&self.root, ".mekaar-support-slot");
        let kept = match (&slot, &self.support) {
            (Some(slot), Some((old, _))) => slot.is_same_node(Some(old)),
            _ => false,
        };
        if !kept {
            self.support = None;
            if let (Some(slot), Some((id, threshold))) = (slot, self.s.support_target()) {
                let c = &self.c;
                let env = crate::widget::Env {
                    base: c.base.as_str().into(),
                    community: c.community.as_str().into(),
                    lang: c.lang,
                    theme: c.theme,
                    voter: c.voter.clone(),
                    heading: 2,
                    uid: 0,
                };
                let props = crate::support::Props {
                    env: Rc::new(env),
                    initiative: id.into(),
                    threshold: Some(threshold),
                };
                let app = yew::Renderer::<crate::support::SupportButton>::with_root_and_props(
                    slot.clone(),
                    props,
                )
                .render();
                self.support = Some((slot.clone(), app));
            }
        }
        if let Some(form) = self.reset.take().and_then(|sel| dom::find(&self.root, sel)) {
            form.unchecked_into::<web_sys::HtmlFormElement>().reset();
        }
        if let Some(sel) = &self.focus {
            if dom::focus(&self.root, sel) {
                self.focus = None;
            }
        }
    }
}
