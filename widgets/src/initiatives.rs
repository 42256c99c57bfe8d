//! The initiative widgets' state and views (pure: HTML text from state, tested natively;
//! the browser side is in `app.rs`). Three kinds:
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
//! Buttons carry `data-act` (what they do) and `id="mekaar-b-{act}"`; forms carry
//! `data-act` too. The support button inside a view is the support widget, mounted into
//! `.mekaar-support-slot`.
//!
//! DOM inside the shadow root (stable, for end-to-end tests):
//! - root `.mekaar-root.mekaar-initiatives` (`.mekaar-initiative`, `.mekaar-manage`) with
//!   `data-view` = list | detail | new | card | manage and `data-state` = loading | ready |
//!   error; a failure is `.mekaar-message[role=alert]` with `.mekaar-retry` when retrying
//!   may help.
//! - list: `a.mekaar-start` (`href="#mekaar-new"`), `form.mekaar-filters` with
//!   `input.mekaar-search[name=q]`, `select.mekaar-filter-area[name=area]`,
//!   `.mekaar-filter-theme[name=theme]`, `.mekaar-filter-status[name=status]`,
//!   `.mekaar-sort[name=sort]`; `.mekaar-result-count[role=status]`; `ul.mekaar-cards > li >
//!   .mekaar-card[data-id]` with `.mekaar-card-title > a.mekaar-card-link#mekaar-c-{id}`,
//!   `.mekaar-meta` (`.mekaar-status[data-status]`, `.mekaar-area`, `.mekaar-theme`,
//!   `.mekaar-badge.mekaar-answered`, `.mekaar-badge.mekaar-reached`),
//!   `.mekaar-card-summary`, `.mekaar-card-count`, `progress.mekaar-progress`;
//!   `.mekaar-paging` with `.mekaar-prev`, `.mekaar-page`, `.mekaar-next`.
//! - detail: `.mekaar-back`, `h2.mekaar-detail-title`, `.mekaar-byline`, `.mekaar-lead`,
//!   `.mekaar-support-slot` (the support button), `.mekaar-story`, `.mekaar-answer`,
//!   `.mekaar-updates .mekaar-update`, `.mekaar-join` (`.mekaar-join-count[role=status]`,
//!   `form.mekaar-join-form` or `.mekaar-joined` + `.mekaar-withdraw-button`),
//!   `.mekaar-report` (`.mekaar-report-button`, `form.mekaar-report-form`,
//!   `.mekaar-reported`).
//! - new: `h2.mekaar-submit-title`, `.mekaar-policy`, `form.mekaar-submit-form`; after
//!   sending `.mekaar-submitted` with `.mekaar-moderation`, `a.mekaar-manage-link`,
//!   `.mekaar-warning`, `.mekaar-copy-button`, `.mekaar-copy-status[role=status]`.
//! - manage: `.mekaar-moderation[data-moderation]`, `.mekaar-joiners .mekaar-joiner`
//!   (`.mekaar-joiner-name`, `-contact`, `-message`), `form.mekaar-edit-form`,
//!   `form.mekaar-update-form`, `.mekaar-form-status[role=status]`.
//! - form controls: `name` = the JSON field name, `id="mekaar-f-{name}"`; an error is
//!   `p.mekaar-error#mekaar-e-{name}`, with `aria-invalid` and `aria-describedby` on the
//!   control; the submit button is `#mekaar-b-send-{form}`.

use crate::api::{Card, Community, Detail, Failure, Joiner, Page, Problem, Query};
use crate::form::{self, FormKind};
use crate::i18n::{count_text, date, fill, fill_count, status_key, t, Key, Lang};
use crate::markup::Out;

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

/// The state of one form.
#[derive(Default)]
pub struct FormUi {
    pub busy: bool,
    pub errors: Vec<(&'static str, Key)>,
    pub failure: Option<Failure>,
    pub done: bool,
}

/// What the manage link shows.
#[derive(Default)]
pub struct Managed {
    pub detail: Detail,
    pub moderation: String,
    pub joins: Vec<Joiner>,
}

/// Everything the views show.
pub struct State {
    pub kind: Kind,
    pub lang: Lang,
    /// Whether the list offers to start an initiative.
    pub submit: bool,
    pub community: Option<Result<Community, Failure>>,
    pub page: Option<Result<Page, Failure>>,
    pub query: Query,
    pub route: Route,
    pub detail: Option<Result<Detail, Failure>>,
    pub joined: bool,
    pub join_count: u64,
    pub report_open: bool,
    /// After a submit: the manage link and whether a moderator looks first.
    pub submitted: Option<(String, bool)>,
    pub copied: Option<bool>,
    pub manage: Option<Result<Managed, Failure>>,
    pub forms: [FormUi; FormKind::COUNT],
}

/// A filter of the list: name, class, label, "all" choice, options, chosen value.
type Filter<'a> = (
    &'static str,
    &'static str,
    Key,
    Option<Key>,
    Vec<(&'a str, &'a str)>,
    &'a str,
);

/// What to tell a resident about a failure.
pub fn failure_text(lang: Lang, f: &Failure) -> String {
    let mut text = String::from(t(lang, f.problem.key()));
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

/// `Some(Ok(()))` when loaded, the failure, or `None` while loading.
fn loaded<T>(x: &Option<Result<T, Failure>>) -> Option<Result<(), &Failure>> {
    x.as_ref().map(|r| r.as_ref().map(|_| ()))
}

impl State {
    pub fn new(kind: Kind, lang: Lang, submit: bool, query: Query, route: Route) -> State {
        State {
            kind,
            lang,
            submit,
            community: None,
            page: None,
            query,
            route,
            detail: None,
            joined: false,
            join_count: 0,
            report_open: false,
            submitted: None,
            copied: None,
            manage: None,
            forms: Default::default(),
        }
    }

    pub fn community(&self) -> &Community {
        static NONE: Community = Community {
            areas: Vec::new(),
            themes: Vec::new(),
            pre: false,
        };
        match &self.community {
            Some(Ok(c)) => c,
            _ => &NONE,
        }
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

    /// The initiative whose support button the view shows: `(id, threshold)`.
    pub fn support_target(&self) -> Option<(&str, u64)> {
        match (&self.detail, self.view_name()) {
            (Some(Ok(d)), "card" | "detail") => Some((&d.card.id, d.card.threshold)),
            _ => None,
        }
    }

    fn status(&self) -> Option<Result<(), &Failure>> {
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

    /// Writes the view; returns `data-state`: loading, ready or error.
    pub fn view(&self, o: &mut Out) -> &'static str {
        let lang = self.lang;
        match self.status() {
            None => {
                o.el(
                    "<p class=\"mekaar-loading\">",
                    t(lang, Key::Loading),
                    "</p>",
                );
                "loading"
            }
            Some(Err(f)) => {
                if self.kind == Kind::List && self.route != Route::List {
                    o.button("mekaar-back", "back", t(lang, Key::Back));
                }
                o.el(
                    "<p class=\"mekaar-message\" role=\"alert\">",
                    &failure_text(lang, f),
                    "</p>",
                );
                if f.problem.retryable() {
                    o.button("mekaar-retry", "retry", t(lang, Key::Retry));
                }
                "error"
            }
            Some(Ok(())) => {
                match (&self.manage, &self.detail, &self.page) {
                    (Some(Ok(m)), _, _) if self.kind == Kind::Manage => self.view_manage(o, m),
                    (_, Some(Ok(d)), _) if self.kind == Kind::Single => {
                        self.view_card(o, &d.card, true)
                    }
                    _ if self.route == Route::New => self.view_new(o),
                    (_, Some(Ok(d)), _) if matches!(self.route, Route::Detail(_)) => {
                        self.view_detail(o, d)
                    }
                    (_, _, Some(Ok(page))) => self.view_list(o, page),
                    _ => {}
                }
                "ready"
            }
        }
    }

    /// Status, area, theme and badges of an initiative.
    fn meta(&self, o: &mut Out, card: &Card) {
        let lang = self.lang;
        o.raw("<p class=\"mekaar-meta\"><span class=\"mekaar-status\" data-status=\"")
            .raw(card.status.as_str())
            .raw("\">")
            .key(lang, status_key(card.status))
            .raw("</span>");
        if !card.area.is_empty() {
            o.el("<span class=\"mekaar-area\">", &card.area, "</span>");
        }
        if !card.theme.is_empty() {
            o.el("<span class=\"mekaar-theme\">", &card.theme, "</span>");
        }
        if card.answered {
            o.el(
                "<span class=\"mekaar-badge mekaar-answered\">",
                t(lang, Key::Answered),
                "</span>",
            );
        }
        if let Some(at) = card.reached_at {
            o.el(
                "<span class=\"mekaar-badge mekaar-reached\">",
                &t(lang, Key::ReachedOn).replace("{d}", &crate::i18n::date(lang, at)),
                "</span>",
            );
        }
        o.raw("</p>");
    }

    fn support_slot(o: &mut Out) {
        o.raw("<div class=\"mekaar-support-slot\" data-keep></div>");
    }

    /// An initiative as a card: in the list (the title links to the detail) or alone, for
    /// an article (`single`, with the support button).
    pub fn view_card(&self, o: &mut Out, card: &Card, single: bool) {
        let lang = self.lang;
        o.raw("<div class=\"mekaar-card\" data-id=\"")
            .text(&card.id)
            .raw("\"><h3 class=\"mekaar-card-title\">");
        if single {
            o.text(&card.title);
        } else {
            o.raw("<a class=\"mekaar-card-link\" id=\"mekaar-c-")
                .text(&card.id)
                .raw("\" href=\"#mekaar-i=")
                .text(&card.id)
                .raw("\">")
                .text(&card.title)
                .raw("</a>");
        }
        o.raw("</h3>");
        self.meta(o, card);
        o.el("<p class=\"mekaar-card-summary\">", &card.summary, "</p>");
        if single {
            Self::support_slot(o);
        } else {
            o.el(
                "<p class=\"mekaar-card-count\">",
                &count_text(lang, card.support, card.threshold),
                "</p>",
            );
            if card.threshold > 0 {
                // Decorative: the numbers are in the text above.
                o.raw("<progress class=\"mekaar-progress\" aria-hidden=\"true\" max=\"")
                    .num(card.threshold)
                    .raw("\" value=\"")
                    .num(card.support.min(card.threshold))
                    .raw("\"></progress>");
            }
        }
        o.raw("</div>");
    }

    /// The number of pages and the current one.
    pub fn pages(&self, page: &Page) -> (u64, u64) {
        let pages = crate::text::page_count(page.total, page.limit.max(1).max(self.query.limit));
        (pages, self.query.page.clamp(1, pages))
    }

    fn view_list(&self, o: &mut Out, page: &Page) {
        let lang = self.lang;
        let c = self.community();
        let q = &self.query;
        // The cards' titles are h3: give them their h2 here, so the outline is
        // right wherever the host page puts the widget (WCAG 1.3.1).
        o.el(
            "<h2 class=\"mekaar-sr mekaar-list-title\">",
            t(lang, Key::ListHeading),
            "</h2>",
        );
        if self.submit {
            o.el(
                "<p class=\"mekaar-actions\"><a class=\"mekaar-button mekaar-start\" href=\"#mekaar-new\">",
                t(lang, Key::Start),
                "</a></p>",
            );
        }
        o.raw("<form class=\"mekaar-filters\" role=\"search\" data-act=\"filter\" aria-label=\"")
            .key(lang, Key::Filters)
            .raw("\"><fieldset><legend class=\"mekaar-sr\">")
            .key(lang, Key::Filters)
            .raw("</legend><div class=\"mekaar-field mekaar-field-search\"><label for=\"mekaar-q\">")
            .key(lang, Key::Search)
            .raw("</label><span class=\"mekaar-row\"><input type=\"search\" id=\"mekaar-q\" name=\"q\" class=\"mekaar-search\" value=\"")
            .text(&q.q)
            .raw("\"><button type=\"submit\" class=\"mekaar-button\" id=\"mekaar-b-search\">")
            .key(lang, Key::Search)
            .raw("</button></span></div>");
        let sorts = [
            ("newest", t(lang, Key::SortNewest)),
            ("support", t(lang, Key::SortSupport)),
        ];
        let filters: [Filter; 4] = [
            (
                "area",
                "mekaar-filter-area",
                Key::Area,
                Some(Key::AllAreas),
                form::choices(&c.areas),
                &q.area,
            ),
            (
                "theme",
                "mekaar-filter-theme",
                Key::Theme,
                Some(Key::AllThemes),
                form::choices(&c.themes),
                &q.theme,
            ),
            (
                "status",
                "mekaar-filter-status",
                Key::Status,
                Some(Key::AllStatuses),
                form::statuses(lang),
                &q.status,
            ),
            (
                "sort",
                "mekaar-sort",
                Key::Sort,
                None,
                sorts.to_vec(),
                &q.sort,
            ),
        ];
        for (name, class, label, all, options, selected) in filters {
            if options.is_empty() {
                continue;
            }
            o.raw("<div class=\"mekaar-field\"><label for=\"mekaar-filter-")
                .raw(name)
                .raw("\">")
                .key(lang, label)
                .raw("</label>");
            let all = all.map(|key| t(lang, key));
            form::select(
                o,
                "mekaar-filter-",
                name,
                class,
                all,
                &options,
                selected,
                false,
            );
            o.raw("</div>");
        }
        o.raw("</fieldset></form>").el(
            "<p class=\"mekaar-result-count\" id=\"mekaar-results\" role=\"status\" tabindex=\"-1\">",
            &self.result_count(page),
            "</p><ul class=\"mekaar-cards\">",
        );
        for card in &page.items {
            o.raw("<li>");
            self.view_card(o, card, false);
            o.raw("</li>");
        }
        o.raw("</ul>");
        let (pages, current) = self.pages(page);
        if pages > 1 {
            o.raw("<p class=\"mekaar-paging\"><button type=\"button\" class=\"mekaar-button mekaar-prev\" id=\"mekaar-b-prev\" data-act=\"prev\"");
            if current <= 1 {
                o.raw(" disabled");
            }
            o.raw(">")
                .key(lang, Key::Prev)
                .el(
                    "</button><span class=\"mekaar-page\">",
                    &fill(lang, Key::PageOf, &current.to_string(), &pages.to_string()),
                    "</span><button type=\"button\" class=\"mekaar-button mekaar-next\" id=\"mekaar-b-next\" data-act=\"next\"",
                );
            if current >= pages {
                o.raw(" disabled");
            }
            o.raw(">").key(lang, Key::Next).raw("</button></p>");
        }
    }

    /// "12 initiatieven gevonden".
    pub fn result_count(&self, page: &Page) -> String {
        fill_count(self.lang, page.total, Key::ResultsOne, Key::ResultsOther)
    }

    /// "3 mensen doen mee".
    pub fn join_text(&self, n: u64) -> String {
        fill_count(self.lang, n, Key::JoinCountOne, Key::JoinCountOther)
    }

    /// Paragraphs of plain text with auto-linked http(s) addresses.
    fn story(o: &mut Out, text: &str) {
        for para in crate::text::paragraphs(text) {
            o.raw("<p class=\"mekaar-text\">");
            for (link, piece) in crate::text::linkify(&para) {
                if link {
                    o.raw("<a href=\"")
                        .text(piece)
                        .raw("\" rel=\"nofollow noopener\" target=\"_blank\">")
                        .text(piece)
                        .raw("</a>");
                } else {
                    o.text(piece);
                }
            }
            o.raw("</p>");
        }
    }

    fn updates(&self, o: &mut Out, updates: &[(String, u64)]) {
        if updates.is_empty() {
            return;
        }
        o.el(
            "<section class=\"mekaar-updates\"><h3>",
            t(self.lang, Key::Updates),
            "</h3><ul>",
        );
        for (text, at) in updates {
            o.el(
                "<li class=\"mekaar-update\"><p class=\"mekaar-byline\">",
                &date(self.lang, *at),
                "</p>",
            );
            Self::story(o, text);
            o.raw("</li>");
        }
        o.raw("</ul></section>");
    }

    /// A form from its table of fields, with its failure, status line and buttons.
    fn form(
        &self,
        o: &mut Out,
        kind: FormKind,
        send: Key,
        start: &dyn Fn(&str) -> Option<String>,
        cancel: bool,
    ) {
        let lang = self.lang;
        let ui = &self.forms[kind as usize];
        o.raw("<form class=\"mekaar-form mekaar-")
            .raw(kind.act())
            .raw("-form\" novalidate data-act=\"")
            .raw(kind.act())
            .raw("\"");
        if ui.busy {
            o.raw(" aria-busy=\"true\"");
        }
        o.raw(">");
        form::fields(o, lang, kind.fields(), self.community(), start, &ui.errors);
        if let Some(f) = &ui.failure {
            o.el(
                "<p class=\"mekaar-message\" role=\"alert\">",
                &failure_text(lang, f),
                "</p>",
            );
        }
        o.raw("<p class=\"mekaar-row\"><button type=\"submit\" class=\"mekaar-button mekaar-primary\" id=\"mekaar-b-send-")
            .raw(kind.act())
            .raw("\"");
        if ui.busy {
            o.raw(" aria-disabled=\"true\"");
        }
        o.raw(">").key(lang, send).raw("</button>");
        let done = match kind {
            FormKind::Edit => Some(Key::Saved),
            FormKind::Update => Some(Key::Posted),
            _ => None,
        };
        if let Some(key) = done {
            // Always there, so screen readers announce the text when it appears.
            o.raw("<span class=\"mekaar-form-status\" role=\"status\">");
            if ui.done {
                o.key(lang, key);
            }
            o.raw("</span>");
        }
        if cancel {
            o.button("", "cancel", t(lang, Key::Cancel));
        }
        o.raw("</p></form>");
    }

    fn view_detail(&self, o: &mut Out, d: &Detail) {
        let lang = self.lang;
        let card = &d.card;
        o.raw("<div class=\"mekaar-detail\">")
            .button("mekaar-back", "back", t(lang, Key::Back))
            .el(
                "<h2 class=\"mekaar-detail-title\" id=\"mekaar-detail-title\" tabindex=\"-1\">",
                &card.title,
                "</h2>",
            );
        self.meta(o, card);
        o.el(
            "<p class=\"mekaar-byline\">",
            &fill(
                lang,
                if card.initiator.is_empty() {
                    Key::StartedOn
                } else {
                    Key::StartedBy
                },
                &card.initiator,
                &date(lang, card.created),
            ),
            "</p>",
        )
        .el("<p class=\"mekaar-lead\">", &card.summary, "</p>");
        Self::support_slot(o);
        o.raw("<div class=\"mekaar-story\">");
        Self::story(o, &d.story);
        o.raw("</div>");
        if let Some((text, by, at)) = &d.answer {
            o.el(
                "<section class=\"mekaar-answer\"><h3>",
                t(lang, Key::Answer),
                "</h3><p class=\"mekaar-byline\">",
            )
            .text(by)
            .text(" · ")
            .text(&date(lang, *at))
            .raw("</p>");
            Self::story(o, text);
            o.raw("</section>");
        }
        self.updates(o, &d.updates);
        o.el(
            "<section class=\"mekaar-join\"><h3>",
            t(lang, Key::Join),
            "</h3>",
        )
        .el(
            "<p class=\"mekaar-join-count\" role=\"status\">",
            &self.join_text(self.join_count),
            "</p>",
        );
        let none = |_: &str| None;
        if self.joined {
            o.el(
                "<p class=\"mekaar-joined\" id=\"mekaar-joined\" tabindex=\"-1\">",
                t(lang, Key::Joined),
                "</p>",
            );
            if let Some(f) = &self.forms[FormKind::Join as usize].failure {
                o.el(
                    "<p class=\"mekaar-message\" role=\"alert\">",
                    &failure_text(lang, f),
                    "</p>",
                );
            }
            o.button("mekaar-withdraw-button", "withdraw", t(lang, Key::Withdraw));
        } else {
            o.el("<p>", t(lang, Key::JoinIntro), "</p>");
            self.form(o, FormKind::Join, Key::Join, &none, false);
        }
        o.raw("</section><section class=\"mekaar-report\">");
        if self.forms[FormKind::Report as usize].done {
            o.el(
                "<p class=\"mekaar-reported\" id=\"mekaar-reported\" tabindex=\"-1\">",
                t(lang, Key::Reported),
                "</p>",
            );
        } else if self.report_open {
            self.form(o, FormKind::Report, Key::SendReport, &none, true);
        } else {
            o.button("mekaar-report-button", "report", t(lang, Key::Report));
        }
        o.raw("</section></div>");
    }

    fn view_new(&self, o: &mut Out) {
        let lang = self.lang;
        if let Some((link, pending)) = &self.submitted {
            o.raw("<div class=\"mekaar-submitted\">")
                .el(
                    "<h2 class=\"mekaar-submitted-title\" id=\"mekaar-submitted-title\" tabindex=\"-1\">",
                    t(lang, Key::Thanks),
                    "</h2>",
                )
                .el(
                    "<p class=\"mekaar-moderation\">",
                    t(lang, if *pending { Key::ThanksPending } else { Key::ThanksPublished }),
                    "</p>",
                )
                .el(
                    "<div class=\"mekaar-keep\"><p><strong>",
                    t(lang, Key::ManageLink),
                    "</strong></p>",
                )
                .raw("<p><a class=\"mekaar-manage-link\" target=\"_blank\" rel=\"noopener\" href=\"")
                .text(link)
                .el("\">", link, "</a></p>")
                .el("<p class=\"mekaar-warning\">", t(lang, Key::KeepLink), "</p>")
                .raw("<p class=\"mekaar-row\">")
                .button("mekaar-copy-button", "copy", t(lang, Key::Copy))
                .raw("<span class=\"mekaar-copy-status\" role=\"status\">");
            if let Some(ok) = self.copied {
                o.key(lang, if ok { Key::Copied } else { Key::CopyFailed });
            }
            o.raw("</span></p></div>")
                .button("mekaar-back", "back", t(lang, Key::Back))
                .raw("</div>");
            return;
        }
        let pre = self.community().pre;
        o.raw("<div class=\"mekaar-new\">")
            .button("mekaar-back", "back", t(lang, Key::Back))
            .el(
                "<h2 class=\"mekaar-submit-title\" id=\"mekaar-submit-title\" tabindex=\"-1\">",
                t(lang, Key::Start),
                "</h2>",
            )
            .el(
                "<p class=\"mekaar-policy\">",
                t(lang, if pre { Key::PolicyPre } else { Key::PolicyPost }),
                "</p>",
            );
        self.form(o, FormKind::Submit, Key::Send, &|_| None, false);
        o.raw("</div>");
    }

    fn view_manage(&self, o: &mut Out, m: &Managed) {
        let lang = self.lang;
        let d = &m.detail;
        let card = &d.card;
        let state = match m.moderation.as_str() {
            "pending" => Key::ModPending,
            "hidden" => Key::ModHidden,
            "rejected" => Key::ModRejected,
            _ => Key::ModPublished,
        };
        o.el(
            "<div class=\"mekaar-manage-view\"><p class=\"mekaar-eyebrow\">",
            t(lang, Key::Manage),
            "</p>",
        )
        .el("<h2 class=\"mekaar-detail-title\">", &card.title, "</h2>")
        .raw("<p class=\"mekaar-moderation\" data-moderation=\"")
        .text(&m.moderation)
        .el("\">", t(lang, state), "</p>");
        self.meta(o, card);
        o.el(
            "<p class=\"mekaar-card-count\">",
            &count_text(lang, card.support, card.threshold),
            "</p>",
        )
        .el(
            "<section class=\"mekaar-joiners\"><h3>",
            t(lang, Key::Joiners),
            "</h3>",
        )
        .el(
            "<p class=\"mekaar-join-count\">",
            &self.join_text(m.joins.len() as u64),
            "</p>",
        );
        if m.joins.is_empty() {
            o.el("<p>", t(lang, Key::NoJoiners), "</p>");
        } else {
            o.raw("<ul>");
            for j in &m.joins {
                o.el(
                    "<li class=\"mekaar-joiner\"><p><strong class=\"mekaar-joiner-name\">",
                    &j.name,
                    "</strong> · ",
                )
                .text(&date(lang, j.at))
                .el(
                    "</p><p class=\"mekaar-joiner-contact\">",
                    &j.contact,
                    "</p>",
                );
                if !j.message.is_empty() {
                    o.el("<p class=\"mekaar-joiner-message\">", &j.message, "</p>");
                }
                o.raw("</li>");
            }
            o.raw("</ul>");
        }
        let start = |name: &str| {
            Some(match name {
                "title" => card.title.clone(),
                "summary" => card.summary.clone(),
                "story" => d.story.clone(),
                "area" => card.area.clone(),
                "theme" => card.theme.clone(),
                "status" => card.status.as_str().to_owned(),
                _ => return None,
            })
        };
        o.el(
            "</section><section class=\"mekaar-manage-edit\"><h3>",
            t(lang, Key::Edit),
            "</h3>",
        );
        self.form(o, FormKind::Edit, Key::Save, &start, false);
        o.el(
            "</section><section class=\"mekaar-manage-news\"><h3>",
            t(lang, Key::PostNews),
            "</h3>",
        );
        self.form(o, FormKind::Update, Key::Post, &|_| None, false);
        self.updates(o, &d.updates);
        o.raw("</section></div>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    const XSS: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    fn card() -> Card {
        Card {
            id: "moestuin".into(),
            title: XSS.into(),
            summary: XSS.into(),
            area: XSS.into(),
            theme: XSS.into(),
            initiator: XSS.into(),
            support: 12,
            threshold: 50,
            answered: true,
            ..Card::default()
        }
    }

    fn list_state() -> State {
        let mut s = State::new(Kind::List, Lang::Nl, true, Query::default(), Route::List);
        s.query.limit = 10;
        s.community = Some(Ok(Community {
            areas: vec![XSS.into()],
            themes: vec!["Groen".into()],
            pre: true,
        }));
        s.page = Some(Ok(Page {
            items: vec![card()],
            total: 25,
            limit: 10,
        }));
        s
    }

    fn render(s: &State) -> String {
        let mut o = Out::default();
        s.view(&mut o);
        o.0
    }

    fn assert_no_markup_from_data(html: &str) {
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn list_shows_cards_filters_and_paging() {
        let mut s = list_state();
        let html = render(&s);
        assert_no_markup_from_data(&html);
        assert!(html.contains("href=\"#mekaar-i=moestuin\""));
        assert!(html.contains("12 van 50 steunbetuigingen"));
        assert!(html.contains("class=\"mekaar-badge mekaar-answered\">Beantwoord<"));
        assert!(html.contains("25 initiatieven gevonden"));
        assert!(html.contains("Pagina 1 van 3"));
        assert!(html.contains("data-act=\"prev\" disabled>"));
        assert!(!html.contains("data-act=\"next\" disabled"));
        assert!(html.contains("class=\"mekaar-filter-theme\""));
        assert!(html.contains("href=\"#mekaar-new\""));
        s.submit = false;
        s.query.page = 3;
        let html = render(&s);
        assert!(!html.contains("#mekaar-new"));
        assert!(html.contains("Pagina 3 van 3"));
        assert!(html.contains("data-act=\"next\" disabled>"));
    }

    #[test]
    fn the_list_has_a_heading_above_its_cards() {
        let html = render(&list_state());
        let h2 = html.find("<h2 class=\"mekaar-sr mekaar-list-title\">Initiatieven</h2>");
        let h3 = html.find("<h3");
        assert!(matches!((h2, h3), (Some(a), Some(b)) if a < b), "{html}");
    }

    #[test]
    fn a_card_says_when_the_threshold_was_reached() {
        let mut s = list_state();
        assert!(!render(&s).contains("mekaar-reached"));
        if let Some(Ok(page)) = s.page.as_mut() {
            // 2026-11-12 12:00 UTC
            page.items[0].reached_at = Some(1_794_484_800);
        }
        assert!(render(&s).contains(">Drempel gehaald op 12 november 2026<"));
    }

    #[test]
    fn detail_story_links_and_join_form() {
        let mut s = list_state();
        s.route = Route::Detail("moestuin".into());
        s.detail = Some(Ok(Detail {
            card: card(),
            story: format!("Zie https://baarlo.nl/plan.\n\n{XSS}"),
            updates: vec![(XSS.into(), 0)],
            answer: Some((XSS.into(), XSS.into(), 0)),
        }));
        s.join_count = 1;
        let html = render(&s);
        assert_no_markup_from_data(&html);
        assert!(html.contains(
            "<a href=\"https://baarlo.nl/plan\" rel=\"nofollow noopener\" target=\"_blank\">https://baarlo.nl/plan</a>."
        ));
        assert!(html.contains("class=\"mekaar-detail-title\""));
        assert!(html.contains("1 persoon doet mee"));
        assert!(html.contains("class=\"mekaar-form mekaar-join-form\""));
        assert!(html.contains("name=\"consent\""));
        assert!(html.contains("class=\"mekaar-support-slot\""));
        assert_eq!(s.support_target(), Some(("moestuin", 50)));
        assert!(html.contains("data-act=\"report\""));
        s.joined = true;
        s.report_open = true;
        let html = render(&s);
        assert!(html.contains("data-act=\"withdraw\""));
        assert!(!html.contains("mekaar-join-form"));
        assert!(html.contains("mekaar-report-form"));
    }

    #[test]
    fn submit_form_and_confirmation() {
        let mut s = list_state();
        s.route = Route::New;
        let html = render(&s);
        assert!(html.contains("wordt eerst bekeken door een moderator"));
        assert!(html.contains("class=\"mekaar-form mekaar-submit-form\" novalidate"));
        s.submitted = Some(("https://m.example/manage/demodorp/x#tok\"<".into(), true));
        let html = render(&s);
        assert!(html.contains("class=\"mekaar-manage-link\""));
        assert!(html.contains("#tok&quot;&lt;"));
        assert!(html.contains("data-act=\"copy\""));
    }

    #[test]
    fn manage_shows_moderation_and_joiners() {
        let mut s = State::new(Kind::Manage, Lang::En, true, Query::default(), Route::List);
        s.community = Some(Ok(Community::default()));
        s.manage = Some(Ok(Managed {
            detail: Detail {
                card: card(),
                ..Detail::default()
            },
            moderation: "pending".into(),
            joins: vec![Joiner {
                name: XSS.into(),
                contact: "anja@example.nl".into(),
                message: XSS.into(),
                at: 0,
            }],
        }));
        let html = render(&s);
        assert_no_markup_from_data(&html);
        assert!(html.contains("data-moderation=\"pending\""));
        assert!(html.contains("first reviewed by a moderator"));
        assert!(html.contains("class=\"mekaar-joiner\""));
        assert!(html.contains("anja@example.nl"));
        assert!(html.contains("mekaar-edit-form"));
        assert!(html.contains("mekaar-update-form"));
        assert!(html.contains("<option value=\"idea\" selected>Idea</option>"));
    }

    #[test]
    fn failures_show_with_retry() {
        let mut s = list_state();
        s.page = Some(Err(Problem::Unreachable.into()));
        let html = render(&s);
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("data-act=\"retry\""));
        let f = Failure {
            problem: Problem::RateLimited,
            field: None,
            wait: Some(125),
        };
        assert_eq!(
            failure_text(Lang::Nl, &f),
            "Er kwam net veel tegelijk binnen vanaf jouw netwerk. Probeer het over 3 min. opnieuw."
        );
    }
}
