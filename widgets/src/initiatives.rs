//! The initiative widgets' state, without the browser: the component in `app.rs` keeps
//! it in `use_reducer`, the views in `initiative_view.rs` show it. Three kinds:
//!
//! - `data-mekaar="initiatives"` ([`Kind::List`]): cards with filters, search, order and
//!   paging; the hash `#mekaar-i=ID` shows one initiative in detail (story, updates,
//!   answer, support, join, report) and `#mekaar-new` the form to start one. The hash keeps
//!   the browser's Back button and shared links working.
//! - `data-mekaar="initiative"` ([`Kind::Single`]): one initiative as a card with the
//!   support button.
//! - `data-mekaar="manage"` ([`Kind::Manage`]): the initiator's page behind the manage
//!   link (the token is the URL fragment).
//!
//! The state says what to ask the server ([`State::wants`], renewed whenever
//! [`State::loads`] changes); the component asks and hands the answers back as
//! [`Action`]s. Answers that belong to an earlier navigation are dropped.

use crate::api::{Failure, Problem, Query, Subject};
use crate::form::{Body, FormKind, FormUi, Values};
use crate::i18n::{fill, fill_count, t, Key, Lang};
use mekaar_api::{
    CommunityPublic, InitiativeDetail, InitiativeList, JoinState, ManageView, ModerationPolicy,
    ModerationState,
};
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    List,
    Single,
    Manage,
}

/// Which part of the list widget the hash asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    List,
    Detail(String),
    New,
}

impl Route {
    /// From `location.hash`: `#mekaar-i=ID` or `#mekaar-new`; anything else is the list.
    pub fn from_hash(hash: &str) -> Route {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        match hash.strip_prefix("mekaar-i=") {
            Some(id) if !id.is_empty() => Route::Detail(id.to_owned()),
            _ if hash == "mekaar-new" => Route::New,
            _ => Route::List,
        }
    }
}

/// Something to ask the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Load {
    Community,
    /// A page of the list, for navigation number `.0`.
    List(u32, Query),
    /// One initiative, for navigation number `.0`.
    Detail(u32, String),
    /// Whether this voter joined the initiative.
    Joined(String),
    /// The initiator's view of the initiative, with the manage token.
    Manage(String, String),
}

/// A form's successful answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Joined(JoinState),
    Reported,
    /// The manage link, whether a moderator looks first, and why the photo chosen with it
    /// could not be added (the initiative is in all the same).
    Submitted(String, bool, Option<Problem>),
    Managed(Box<ManageView>),
    /// "Link kwijt?" was sent (the same answer for any address).
    LinkAsked,
}

/// What happens to an initiative widget.
#[derive(Debug)]
pub enum Action {
    /// The page's hash changed (list).
    Route(Route),
    /// The page's hash changed (manage: another manage link in the same tab).
    Token(String),
    Retry,
    /// A filter or the order changed: `(name, value)`.
    Filter(&'static str, String),
    /// The search text as typed (sent with the next search or filter).
    SearchText(String),
    Search,
    /// The next page (`true`) or the previous one.
    Page(bool),
    /// Back to the placeholder's filters, without search text.
    ClearFilters,
    /// The filter button on a narrow widget: unfold or fold the filters.
    ToggleFilters,
    Community(Result<CommunityPublic, Failure>),
    List(u32, Result<InitiativeList, Failure>),
    Detail(u32, Result<InitiativeDetail, Failure>),
    /// Whether this voter joined, as read when the detail opened.
    Joined(Result<JoinState, Failure>),
    /// A click on "withdraw"; its answer is [`Action::Withdrew`].
    Withdraw,
    Withdrew(Result<JoinState, Failure>),
    Manage(Result<ManageView, Failure>),
    /// A field of a form changed.
    Input(FormKind, &'static str, String),
    /// A form is sent: checked, and busy until its answer if it is right.
    Send(FormKind),
    Answered(FormKind, Result<Answer, Failure>),
    /// The report form opens (`true`) or closes (cancel, Escape).
    Report(bool),
    Copied(bool),
    /// The element in [`State::focus`] got the focus.
    Focused,
}

/// Everything the views show.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub kind: Kind,
    /// Whether the list offers to start an initiative.
    pub submit: bool,
    /// Whether the placeholder names what the kind needs (a community; and an initiative
    /// for the card and the manage page).
    configured: bool,
    /// The placeholder's initiative (card and manage page).
    pub initiative: String,
    /// The manage token (manage page).
    pub token: String,
    pub community: Option<Result<CommunityPublic, Failure>>,
    pub page: Option<Result<InitiativeList, Failure>>,
    pub query: Query,
    /// The filters the placeholder set (`data-area`, …): "clear filters" goes back to them.
    preset: Query,
    /// Whether the filters are unfolded (on a narrow widget they fold behind one button).
    pub filters_open: bool,
    /// Why the photo chosen with a new initiative was not added, if it was not.
    pub photo_failed: Option<Problem>,
    pub route: Route,
    pub detail: Option<Result<InitiativeDetail, Failure>>,
    pub joined: bool,
    pub join_count: u64,
    pub report_open: bool,
    /// After a submit: the manage link and whether a moderator looks first.
    pub submitted: Option<(String, bool)>,
    pub copied: Option<bool>,
    pub manage: Option<Result<ManageView, Failure>>,
    pub forms: [FormUi; FormKind::COUNT],
    /// The element to focus as soon as it is shown (a name for `Env::id`).
    pub focus: Option<String>,
    /// Whether the list was shown before the current route (so Back is history.back()).
    pub from_list: bool,
    /// The number of the current navigation.
    seq: u32,
    /// What to ask the server, renewed whenever `loads` changes.
    pub wants: Rc<[Load]>,
    pub loads: u32,
}

/// What to tell a resident about a failure of a widget showing `subject`.
pub fn failure_text(lang: Lang, subject: Subject, f: &Failure) -> String {
    let mut text = String::from(t(lang, f.problem.key_for(subject)));
    if f.problem == Problem::RateLimited {
        text.push(' ');
        match f.wait {
            Some(secs) => text.push_str(&fill(
                lang,
                Key::TryInMinutes,
                &crate::text::wait_minutes(secs).to_string(),
                "",
            )),
            None => text.push_str(t(lang, Key::TryLater)),
        }
    }
    text
}

/// The wire name of a moderation state (`data-moderation`).
pub fn moderation_name(state: ModerationState) -> &'static str {
    match state {
        ModerationState::Pending => "pending",
        ModerationState::Published => "published",
        ModerationState::Hidden => "hidden",
        ModerationState::Rejected => "rejected",
    }
}

/// `Some(Ok(()))` when loaded, the failure, or `None` while loading.
fn loaded<T>(x: &Option<Result<T, Failure>>) -> Option<Result<(), &Failure>> {
    x.as_ref().map(|r| r.as_ref().map(|_| ()))
}

/// The edit form's starting values: the initiative as it is.
fn edit_values(view: &ManageView) -> Values {
    let card = &view.initiative.card;
    let mut v = Values::default();
    v.set("title", card.title.clone());
    v.set("summary", card.summary.clone());
    v.set("story", view.initiative.story.clone());
    v.set("area", card.area.clone().unwrap_or_default());
    v.set("theme", card.theme.clone().unwrap_or_default());
    v.set("status", card.status.as_str().to_owned());
    v
}

impl State {
    /// A widget of `kind` starting at `route`, already wanting its first answers.
    pub fn new(
        kind: Kind,
        submit: bool,
        query: Query,
        route: Route,
        initiative: String,
        token: String,
        configured: bool,
    ) -> State {
        let mut s = State {
            kind,
            submit,
            configured,
            initiative,
            token,
            community: None,
            page: None,
            preset: query.clone(),
            query,
            filters_open: false,
            photo_failed: None,
            route,
            detail: None,
            joined: false,
            join_count: 0,
            report_open: false,
            submitted: None,
            copied: None,
            manage: None,
            forms: Default::default(),
            focus: None,
            from_list: false,
            seq: 0,
            wants: Rc::new([]),
            loads: 0,
        };
        s.load();
        s
    }

    pub fn areas(&self) -> &[String] {
        match &self.community {
            Some(Ok(c)) => &c.areas,
            _ => &[],
        }
    }

    pub fn themes(&self) -> &[String] {
        match &self.community {
            Some(Ok(c)) => &c.themes,
            _ => &[],
        }
    }

    pub fn community(&self) -> Option<&CommunityPublic> {
        self.community.as_ref().and_then(|c| c.as_ref().ok())
    }

    /// Whether new initiatives wait for a moderator.
    pub fn pre(&self) -> bool {
        self.community()
            .is_some_and(|c| c.moderation == ModerationPolicy::Pre)
    }

    /// `data-view` of the widget root: list, detail, new, card or manage.
    pub fn view_name(&self) -> &'static str {
        match (self.kind, &self.route) {
            (Kind::Single, _) => "card",
            (Kind::Manage, _) => "manage",
            (_, Route::List) => "list",
            (_, Route::New) => "new",
            (_, Route::Detail(_)) => "detail",
        }
    }

    /// The initiative the view is about: the route's in the list, else the placeholder's.
    pub fn target(&self) -> &str {
        match &self.route {
            Route::Detail(id) if self.kind == Kind::List => id,
            _ => &self.initiative,
        }
    }

    /// `Some(Ok(()))` when what the view shows is there, the failure, or `None` while
    /// loading.
    pub fn status(&self) -> Option<Result<(), &Failure>> {
        match &self.community {
            Some(Err(f)) => return Some(Err(f)),
            None if self.kind != Kind::Single => return None,
            _ => {}
        }
        match (self.kind, &self.route) {
            (Kind::Manage, _) => loaded(&self.manage),
            (Kind::Single, _) | (_, Route::Detail(_)) => loaded(&self.detail),
            (_, Route::List) => loaded(&self.page),
            (_, Route::New) => Some(Ok(())),
        }
    }

    /// The number of pages and the current one.
    pub fn pages(&self, page: &InitiativeList) -> (u64, u64) {
        let pages = crate::text::page_count(page.total, page.limit.max(1).max(self.query.limit));
        (pages, self.query.page.clamp(1, pages))
    }

    /// "12 initiatieven gevonden".
    pub fn result_count(lang: Lang, page: &InitiativeList) -> String {
        fill_count(lang, page.total, Key::ResultsOne, Key::ResultsOther)
    }

    /// "3 mensen doen mee".
    /// How many filters differ from the placeholder's (area, theme, status; the search text
    /// and the order are not filters): the count on the folded filters' button.
    pub fn active_filters(&self) -> usize {
        let (q, p) = (&self.query, &self.preset);
        [
            (&q.area, &p.area),
            (&q.theme, &p.theme),
            (&q.status, &p.status),
        ]
        .iter()
        .filter(|(now, preset)| !now.is_empty() && now != preset)
        .count()
    }

    /// Whether the list shows less than the placeholder's own selection (filters or search
    /// text), so an empty list offers to clear them.
    pub fn narrowed(&self) -> bool {
        self.active_filters() > 0 || !self.query.q.trim().is_empty()
    }

    pub fn join_text(lang: Lang, n: u64) -> String {
        fill_count(lang, n, Key::JoinCountOne, Key::JoinCountOther)
    }

    /// The body to send for form `kind` now, when it is filled in right and not already
    /// on its way (what [`Action::Send`] then marks as busy).
    pub fn sendable(&self, kind: FormKind) -> Option<Body> {
        let ui = &self.forms[kind as usize];
        let value = |name: &str| ui.values.trimmed(name);
        (!ui.busy
            && crate::form::validate(kind.fields(), &value).is_empty()
            && self.submit_photo_errors(kind).is_empty())
        .then(|| Body::new(kind, &value))
    }

    /// The new initiative's photo is optional; chosen, it needs its alt text. The errors
    /// (for the photo form's fields) when `kind` is the submit form.
    fn submit_photo_errors(&self, kind: FormKind) -> Vec<(&'static str, Key)> {
        let photo = &self.forms[FormKind::Photo as usize].values;
        if kind != FormKind::Submit || photo.trimmed("photo").is_empty() {
            return Vec::new();
        }
        crate::form::validate(crate::form::PHOTO, &|n| photo.trimmed(n))
    }

    /// Whether a photo is chosen in the submit form.
    pub fn submit_photo(&self) -> Option<String> {
        let photo = &self.forms[FormKind::Photo as usize].values;
        (!photo.trimmed("photo").is_empty()).then(|| photo.trimmed("photo_alt"))
    }

    /// Starts over what the current kind and route show: renews [`State::wants`].
    fn load(&mut self) {
        self.seq = self.seq.wrapping_add(1);
        self.loads = self.loads.wrapping_add(1);
        self.forms = Default::default();
        self.report_open = false;
        let mut wants = Vec::new();
        if !self.configured {
            self.community = Some(Err(Problem::Misconfigured.into()));
            self.wants = wants.into();
            return;
        }
        if self.kind != Kind::Single && !matches!(self.community, Some(Ok(_))) {
            self.community = None;
            wants.push(Load::Community);
        }
        match (self.kind, &self.route) {
            (Kind::Manage, _) => {
                if self.token.is_empty() {
                    self.manage = Some(Err(Problem::InvalidManageToken.into()));
                } else {
                    self.manage = None;
                    wants.push(Load::Manage(self.initiative.clone(), self.token.clone()));
                }
            }
            (Kind::List, Route::List) => {
                // The previous page stays until the new one is there: no jumping.
                if matches!(self.page, Some(Err(_))) {
                    self.page = None;
                }
                wants.push(Load::List(self.seq, self.query.clone()));
            }
            (_, Route::New) => self.submitted = None,
            _ => {
                self.detail = None;
                wants.push(Load::Detail(self.seq, self.target().to_owned()));
                if self.kind == Kind::List {
                    self.joined = false;
                    wants.push(Load::Joined(self.target().to_owned()));
                }
            }
        }
        self.wants = wants.into();
    }

    /// Follows the hash to `route`.
    fn go(&mut self, route: Route) {
        if route == self.route {
            return;
        }
        let previous = std::mem::replace(&mut self.route, route);
        self.from_list = previous == Route::List;
        self.focus = match (&previous, &self.route) {
            // Back on the list: focus the card that was open.
            (Route::Detail(id), Route::List) => Some(["c-", id].concat()),
            (_, Route::New) => Some("submit-title".into()),
            _ => None,
        };
        self.load();
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Route(route) => self.go(route),
            Action::Token(token) => {
                self.token = token;
                self.load();
            }
            Action::Retry => {
                if matches!(self.community, Some(Err(_))) {
                    self.community = None;
                }
                self.load();
            }
            Action::Filter(name, value) => {
                let q = &mut self.query;
                match name {
                    "area" => q.area = value,
                    "theme" => q.theme = value,
                    "status" => q.status = value,
                    "sort" => q.sort = value,
                    _ => return,
                }
                q.page = 1;
                self.load();
            }
            Action::SearchText(text) => self.query.q = text,
            Action::ClearFilters => {
                self.query = Query {
                    sort: std::mem::take(&mut self.query.sort),
                    ..self.preset.clone()
                };
                self.focus = Some("results".into());
                self.load();
            }
            Action::ToggleFilters => self.filters_open = !self.filters_open,
            Action::Search => {
                self.query.page = 1;
                self.load();
            }
            Action::Page(next) => {
                let q = &mut self.query;
                q.page = if next {
                    q.page + 1
                } else {
                    q.page.saturating_sub(1).max(1)
                };
                self.focus = Some("results".into());
                self.load();
            }
            Action::Community(result) => self.community = Some(result),
            Action::List(seq, _) | Action::Detail(seq, _) if seq != self.seq => {}
            Action::List(_, result) => self.page = Some(result),
            Action::Detail(_, result) => {
                if let Ok(d) = &result {
                    self.join_count = d.card.join_count;
                    if self.kind == Kind::List {
                        self.focus = Some("detail-title".into());
                    }
                }
                self.detail = Some(result);
            }
            Action::Joined(result) => {
                if let Ok(state) = result {
                    self.joined = state.joined;
                    self.join_count = state.join_count;
                }
            }
            Action::Withdraw => self.forms[FormKind::Join as usize].failure = None,
            Action::Withdrew(result) => match result {
                Ok(state) => {
                    self.joined = state.joined;
                    self.join_count = state.join_count;
                    self.forms[FormKind::Join as usize] = FormUi::default();
                    self.focus = Some("f-name".into());
                }
                Err(f) => self.forms[FormKind::Join as usize].failure = Some(f),
            },
            Action::Manage(result) => {
                if let Ok(view) = &result {
                    self.forms[FormKind::Edit as usize].values = edit_values(view);
                }
                self.manage = Some(result);
            }
            Action::Input(kind, name, value) => self.forms[kind as usize].values.set(name, value),
            Action::Send(kind) => {
                let ui = &mut self.forms[kind as usize];
                if ui.busy {
                    return;
                }
                let values = &ui.values;
                ui.errors = crate::form::validate(kind.fields(), &|n| values.trimmed(n));
                ui.failure = None;
                ui.done = false;
                let first = ui.errors.first().map(|(name, _)| *name);
                let photo_errors = self.submit_photo_errors(kind);
                let first = first.or(photo_errors.first().map(|(name, _)| *name));
                if kind == FormKind::Submit {
                    self.forms[FormKind::Photo as usize].errors = photo_errors;
                }
                match first {
                    Some(name) => self.focus = Some(["f-", name].concat()),
                    None => self.forms[kind as usize].busy = true,
                }
            }
            Action::Answered(kind, result) => self.answered(kind, result),
            Action::Report(open) => {
                self.report_open = open;
                self.forms[FormKind::Report as usize] = FormUi::default();
                self.focus = Some(if open { "f-reason" } else { "b-report" }.into());
            }
            Action::Copied(ok) => self.copied = Some(ok),
            Action::Focused => self.focus = None,
        }
    }

    /// A form's answer arrived.
    fn answered(&mut self, kind: FormKind, result: Result<Answer, Failure>) {
        let ui = &mut self.forms[kind as usize];
        ui.busy = false;
        let answer = match result {
            Ok(answer) => answer,
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
                        self.focus = Some(["f-", name].concat());
                    }
                    None => ui.failure = Some(f),
                }
                return;
            }
        };
        ui.done = true;
        match answer {
            Answer::Joined(state) => {
                self.joined = state.joined;
                self.join_count = state.join_count;
                // Sent: the form starts empty (and its consent un-ticked) next time.
                ui.values = Values::default();
                self.focus = Some("joined".into());
            }
            Answer::Reported => self.focus = Some("reported".into()),
            Answer::Submitted(link, pending, photo) => {
                ui.values = Values::default();
                self.forms[FormKind::Photo as usize] = FormUi::default();
                self.submitted = Some((link, pending));
                self.photo_failed = photo;
                self.copied = None;
                self.focus = Some("submitted-title".into());
            }
            Answer::Managed(view) => {
                match kind {
                    FormKind::Update | FormKind::Photo => ui.values = Values::default(),
                    _ => ui.values = edit_values(&view),
                }
                self.manage = Some(Ok(*view));
            }
            Answer::LinkAsked => ui.values = Values::default(),
        }
    }
}

impl yew::Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mekaar_api::{InitiativePublic, InitiativeStatus};

    #[test]
    fn routes_from_the_hash() {
        assert_eq!(Route::from_hash(""), Route::List);
        assert_eq!(Route::from_hash("#"), Route::List);
        assert_eq!(
            Route::from_hash("#mekaar-i=aed"),
            Route::Detail("aed".into())
        );
        assert_eq!(
            Route::from_hash("mekaar-i=aed"),
            Route::Detail("aed".into())
        );
        assert_eq!(Route::from_hash("#mekaar-i="), Route::List);
        assert_eq!(Route::from_hash("#mekaar-new"), Route::New);
        assert_eq!(Route::from_hash("#top"), Route::List);
    }

    pub fn card(id: &str) -> InitiativePublic {
        InitiativePublic {
            id: id.into(),
            community: "demodorp".into(),
            title: "Moestuin".into(),
            summary: "Samen".into(),
            area: None,
            theme: None,
            status: InitiativeStatus::Idea,
            initiator_name: "Anja".into(),
            support_count: 12,
            support_threshold: 50,
            threshold_reached_at: None,
            join_count: 2,
            reaction_count: 0,
            answered: false,
            created_at: 0,
            updated_at: 0,
            photo: None,
            page: None,
        }
    }

    pub fn detail(id: &str) -> InitiativeDetail {
        InitiativeDetail {
            card: card(id),
            story: String::new(),
            updates: vec![],
            answer: None,
        }
    }

    fn list() -> State {
        let query = Query {
            limit: 10,
            page: 1,
            ..Query::default()
        };
        State::new(
            Kind::List,
            true,
            query,
            Route::List,
            String::new(),
            String::new(),
            true,
        )
    }

    #[test]
    fn a_list_asks_for_the_community_and_a_page_and_drops_late_answers() {
        let mut s = list();
        assert_eq!(s.status(), None);
        assert!(matches!(&s.wants[..], [Load::Community, Load::List(_, q)] if q.page == 1));
        let Load::List(first, _) = s.wants[1].clone() else {
            unreachable!()
        };
        s.apply(Action::Filter("area", "Kloosterbuurt".into()));
        let Load::List(second, q) = s.wants[1].clone() else {
            panic!("{:?}", s.wants)
        };
        assert_eq!(q.area, "Kloosterbuurt");
        let page = |total| InitiativeList {
            initiatives: vec![card("a")],
            total,
            page: 1,
            limit: 10,
        };
        // The answer to the first ask comes late: it is not shown.
        s.apply(Action::List(first, Ok(page(9))));
        assert_eq!(s.page, None);
        s.apply(Action::List(second, Ok(page(25))));
        s.apply(Action::Community(Err(Problem::Unreachable.into())));
        assert!(matches!(s.status(), Some(Err(f)) if f.problem.retryable()));
        s.apply(Action::Retry);
        assert_eq!(s.status(), None);
        assert!(matches!(s.wants[0], Load::Community));
    }

    #[test]
    fn opening_a_detail_and_coming_back_moves_the_focus() {
        let mut s = list();
        s.apply(Action::Route(Route::Detail("aed".into())));
        assert_eq!(s.view_name(), "detail");
        assert!(s.from_list);
        let Load::Detail(seq, id) = s.wants[1].clone() else {
            panic!("{:?}", s.wants)
        };
        assert_eq!(id, "aed");
        assert_eq!(s.wants[2], Load::Joined("aed".into()));
        s.apply(Action::Detail(seq, Ok(detail("aed"))));
        assert_eq!(s.focus.as_deref(), Some("detail-title"));
        assert_eq!(s.join_count, 2);
        s.apply(Action::Focused);
        s.apply(Action::Route(Route::List));
        assert_eq!(s.focus.as_deref(), Some("c-aed"));
        s.apply(Action::Route(Route::New));
        assert_eq!(s.focus.as_deref(), Some("submit-title"));
    }

    #[test]
    fn a_photo_chosen_with_a_new_initiative_needs_its_alt_text() {
        let mut s = list();
        s.apply(Action::Route(Route::New));
        for (name, value) in [
            ("title", "Een moestuin"),
            ("summary", "Samen groente kweken"),
            ("initiator_name", "Anja"),
        ] {
            s.apply(Action::Input(FormKind::Submit, name, value.into()));
        }
        assert!(s.sendable(FormKind::Submit).is_some(), "no photo: fine");
        s.apply(Action::Input(
            FormKind::Photo,
            "photo",
            "C:\\fakepath\\tuin.jpg".into(),
        ));
        assert_eq!(
            s.sendable(FormKind::Submit),
            None,
            "a photo without alt text"
        );
        s.apply(Action::Send(FormKind::Submit));
        assert!(!s.forms[FormKind::Submit as usize].busy);
        assert_eq!(
            s.forms[FormKind::Photo as usize].errors,
            vec![("photo_alt", Key::ErrRequired)]
        );
        assert_eq!(s.focus.as_deref(), Some("f-photo_alt"));
        s.apply(Action::Input(
            FormKind::Photo,
            "photo_alt",
            "Kinderen bij de bakken".into(),
        ));
        assert!(s.sendable(FormKind::Submit).is_some());
        assert_eq!(s.submit_photo().as_deref(), Some("Kinderen bij de bakken"));
    }

    #[test]
    fn a_form_with_mistakes_is_not_sent_and_the_first_mistake_gets_the_focus() {
        let mut s = list();
        s.apply(Action::Route(Route::New));
        s.apply(Action::Input(
            FormKind::Submit,
            "summary",
            "Samen groente kweken".into(),
        ));
        assert_eq!(s.sendable(FormKind::Submit), None);
        s.apply(Action::Send(FormKind::Submit));
        let ui = &s.forms[FormKind::Submit as usize];
        assert_eq!(
            ui.errors,
            vec![
                ("title", Key::ErrRequired),
                ("initiator_name", Key::ErrRequired)
            ]
        );
        assert!(!ui.busy);
        assert_eq!(s.focus.as_deref(), Some("f-title"));
        s.apply(Action::Input(
            FormKind::Submit,
            "title",
            " Moestuin ".into(),
        ));
        s.apply(Action::Input(
            FormKind::Submit,
            "initiator_name",
            "Anja".into(),
        ));
        let Some(Body::Submit(body)) = s.sendable(FormKind::Submit) else {
            panic!("sendable")
        };
        assert_eq!(body.title, "Moestuin");
        s.apply(Action::Send(FormKind::Submit));
        assert!(s.forms[FormKind::Submit as usize].busy);
        assert_eq!(s.sendable(FormKind::Submit), None, "not twice");
        s.apply(Action::Answered(
            FormKind::Submit,
            Ok(Answer::Submitted(
                "https://m.example/manage/d/x#t".into(),
                true,
                None,
            )),
        ));
        assert_eq!(
            s.submitted,
            Some(("https://m.example/manage/d/x#t".into(), true))
        );
        assert_eq!(s.focus.as_deref(), Some("submitted-title"));
        assert_eq!(s.forms[FormKind::Submit as usize].values, Values::default());
    }

    #[test]
    fn joining_clears_the_form_so_its_consent_is_unticked_after_withdrawing() {
        let mut s = list();
        s.apply(Action::Route(Route::Detail("aed".into())));
        for (name, value) in [("name", "Bram"), ("contact", "06"), ("consent", "true")] {
            s.apply(Action::Input(FormKind::Join, name, value.into()));
        }
        s.apply(Action::Send(FormKind::Join));
        let joined = JoinState {
            joined: true,
            join_count: 3,
        };
        s.apply(Action::Answered(FormKind::Join, Ok(Answer::Joined(joined))));
        assert!(s.joined);
        assert_eq!(s.focus.as_deref(), Some("joined"));
        s.apply(Action::Withdrew(Ok(JoinState {
            joined: false,
            join_count: 2,
        })));
        assert!(!s.joined);
        assert_eq!(s.forms[FormKind::Join as usize].values.get("consent"), "");
        assert_eq!(s.focus.as_deref(), Some("f-name"));
    }

    #[test]
    fn the_servers_field_errors_land_at_the_field() {
        let mut s = list();
        s.apply(Action::Route(Route::Detail("aed".into())));
        s.apply(Action::Answered(
            FormKind::Join,
            Err(Problem::ConsentRequired.into()),
        ));
        assert_eq!(
            s.forms[FormKind::Join as usize].errors,
            vec![("consent", Key::ErrConsent)]
        );
        assert_eq!(s.focus.as_deref(), Some("f-consent"));
        s.apply(Action::Answered(
            FormKind::Join,
            Err(Problem::RateLimited.into()),
        ));
        assert_eq!(
            s.forms[FormKind::Join as usize].failure,
            Some(Problem::RateLimited.into())
        );
    }

    #[test]
    fn the_report_form_closes_and_gives_the_focus_back() {
        let mut s = list();
        s.apply(Action::Route(Route::Detail("aed".into())));
        s.apply(Action::Report(true));
        assert!(s.report_open);
        assert_eq!(s.focus.as_deref(), Some("f-reason"));
        s.apply(Action::Input(FormKind::Report, "reason", "spam".into()));
        s.apply(Action::Report(false));
        assert!(!s.report_open);
        assert_eq!(s.focus.as_deref(), Some("b-report"));
        assert_eq!(s.forms[FormKind::Report as usize].values.get("reason"), "");
    }

    #[test]
    fn manage_needs_a_token_and_fills_the_edit_form() {
        let manage = |token: &str| {
            State::new(
                Kind::Manage,
                true,
                Query::default(),
                Route::List,
                "aed".into(),
                token.into(),
                true,
            )
        };
        let mut s = manage("");
        s.apply(Action::Community(Ok(CommunityPublic {
            slug: "demodorp".into(),
            name: "Demodorp".into(),
            languages: vec![],
            areas: vec![],
            themes: vec![],
            support_threshold: 50,
            moderation: ModerationPolicy::Post,
            initiatives_page: None,
            mail: false,
        })));
        assert!(matches!(s.status(), Some(Err(f)) if f.problem == Problem::InvalidManageToken));
        let mut s = manage("tok");
        assert_eq!(
            &s.wants[..],
            &[Load::Community, Load::Manage("aed".into(), "tok".into())]
        );
        let view = ManageView {
            initiative: detail("aed"),
            moderation: ModerationState::Pending,
            contact_email: None,
            joins: vec![],
            pending_photo: None,
        };
        s.apply(Action::Manage(Ok(view)));
        assert_eq!(
            s.forms[FormKind::Edit as usize].values.get("title"),
            "Moestuin"
        );
        assert_eq!(
            s.forms[FormKind::Edit as usize].values.get("status"),
            "idea"
        );
        let unconfigured = State::new(
            Kind::Single,
            true,
            Query::default(),
            Route::List,
            String::new(),
            String::new(),
            false,
        );
        assert!(
            matches!(unconfigured.status(), Some(Err(f)) if f.problem == Problem::Misconfigured)
        );
        assert!(unconfigured.wants.is_empty());
    }

    #[test]
    fn failures_say_how_long_to_wait() {
        let f = Failure {
            problem: Problem::RateLimited,
            field: None,
            wait: Some(125),
        };
        assert_eq!(
            failure_text(Lang::Nl, Subject::Initiative, &f),
            "Er kwam net veel tegelijk binnen vanaf jouw netwerk. Probeer het over 3 min. opnieuw."
        );
    }
}
