//! The initiative widgets' views: `html!` from the pure [`State`], natively rendered in
//! the unit tests below. What a resident does comes back as a [`Msg`]: most are
//! [`Action`]s for the reducer, the rest need the browser (`app.rs`).
//!
//! DOM inside the shadow root (stable, for end-to-end tests; every id is the widget's own,
//! `mekaar-{uid}-{name}`, written here by its name):
//! - root `.mekaar-root.mekaar-initiatives` (`.mekaar-initiative`, `.mekaar-manage`) with
//!   `data-view` = list | detail | new | card | manage and `data-state` = loading | ready |
//!   error; a failure is `.mekaar-message[role=alert]` with `.mekaar-retry` when retrying
//!   may help.
//! - list: a visually hidden `.mekaar-list-title` heading at the widget's heading level,
//!   `a.mekaar-start` (`href="#mekaar-new"`), `form.mekaar-filters` with
//!   `input.mekaar-search[name=q]` (`q`), `select.mekaar-filter-area[name=area]`,
//!   `.mekaar-filter-theme[name=theme]`, `.mekaar-filter-status[name=status]`,
//!   `.mekaar-sort[name=sort]`, button `b-search`; `.mekaar-result-count[role=status]`
//!   (`results`); `ul.mekaar-cards > li > .mekaar-card[data-id]` with `.mekaar-card-title >
//!   a.mekaar-card-link` (`c-{id}`), `.mekaar-meta` (`.mekaar-status[data-status]`,
//!   `.mekaar-area`, `.mekaar-theme`, `.mekaar-badge.mekaar-answered`,
//!   `.mekaar-badge.mekaar-reached`), `.mekaar-card-summary`, `.mekaar-card-count`,
//!   `progress.mekaar-progress`; `.mekaar-paging` with `.mekaar-prev`, `.mekaar-page`,
//!   `.mekaar-next`.
//! - detail: `.mekaar-back` (`b-back`), `.mekaar-detail-title` (`detail-title`),
//!   `.mekaar-byline`, `.mekaar-lead`, `.mekaar-support-slot` (the support button),
//!   `.mekaar-story`, `.mekaar-answer`, `.mekaar-updates .mekaar-update`, `.mekaar-join`
//!   (`.mekaar-join-count[role=status]`, `form.mekaar-join-form` or `.mekaar-joined` +
//!   `.mekaar-withdraw-button`), `.mekaar-report` (`.mekaar-report-button` (`b-report`),
//!   `form.mekaar-report-form` (Escape closes it), `.mekaar-reported`).
//! - new: `.mekaar-submit-title`, `.mekaar-policy`, `form.mekaar-submit-form`; after
//!   sending `.mekaar-submitted` with `.mekaar-moderation`, `a.mekaar-manage-link`,
//!   `.mekaar-warning`, `.mekaar-copy-button`, `.mekaar-copy-status[role=status]`.
//! - manage: `.mekaar-moderation[data-moderation]`, `.mekaar-joiners .mekaar-joiner`
//!   (`.mekaar-joiner-name`, `-contact`, `-message`), `form.mekaar-edit-form`,
//!   `form.mekaar-update-form`, `.mekaar-form-status[role=status]`.
//! - form controls: `name` = the JSON field name, id `f-{name}`; an error is
//!   `p.mekaar-error` (`e-{name}`), with `aria-invalid` and `aria-describedby` on the
//!   control; the submit button is `b-send-{form}`.
//!
//! Headings: the top ones (list, detail, new, card, manage) at the placeholder's level
//! (`data-heading-level`, default 2), the ones below one level deeper.

use crate::api::{Problem, Subject};
use crate::form::{self, FormKind};
use crate::i18n::{ago, count_text, date, fill, fill_count, now, number, status_key, t, Key, Lang};
use crate::initiatives::{failure_text, moderation_name, Action, Kind, Route, State};
use crate::widget::{heading, Env};
use mekaar_api::{
    InitiativeDetail, InitiativeList, InitiativePublic, InitiativeStatus, InitiativeUpdate,
    ManageView, ModerationState,
};
use std::rc::Rc;
use yew::prelude::*;

/// What a resident did. Passed on at once, never kept: the size of an [`Action`] is fine.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Msg {
    /// Something only the state changes for.
    Do(Action),
    /// A form's submit button.
    Send(FormKind),
    Withdraw,
    Back,
    Copy,
    /// The initiator removes the photo (manage page).
    RemovePhoto,
}

/// The widget: its root `.mekaar-root` (with `root` as its node ref) and what it shows.
pub fn view(s: &State, env: &Rc<Env>, on: &Callback<Msg>, root: NodeRef) -> Html {
    let v = V { s, env, on };
    let (state, body) = v.body();
    let class = match s.kind {
        Kind::List => "mekaar-initiatives",
        Kind::Single => "mekaar-initiative",
        Kind::Manage => "mekaar-manage",
    };
    html! {
        <div ref={root} class={classes!("mekaar-root", class)} lang={env.lang.tag()}
            data-view={s.view_name()} data-theme={env.theme_attr()} data-state={state}>
            {body}
        </div>
    }
}

struct V<'a> {
    s: &'a State,
    env: &'a Rc<Env>,
    on: &'a Callback<Msg>,
}

/// Paragraphs of plain text with auto-linked http(s) addresses.
fn story(text: &str) -> Html {
    let paragraphs = crate::text::paragraphs(text)
        .into_iter()
        .enumerate()
        .map(|(i, para)| {
            let pieces = crate::text::linkify(&para)
                .into_iter()
                .map(|(link, piece)| {
                    if link {
                        html! {
                            <a href={piece.to_owned()} rel="nofollow noopener" target="_blank">
                                {piece.to_owned()}
                            </a>
                        }
                    } else {
                        html! { {piece.to_owned()} }
                    }
                });
            html! { <p key={i} class="mekaar-text">{for pieces}</p> }
        });
    html! { {for paragraphs} }
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

impl V<'_> {
    fn lang(&self) -> Lang {
        self.env.lang
    }

    fn t(&self, key: Key) -> &'static str {
        t(self.env.lang, key)
    }

    /// A callback that sends `msg` on a click.
    fn click(&self, msg: impl Fn() -> Msg + 'static) -> Callback<MouseEvent> {
        self.on.reform(move |_| msg())
    }

    /// `<button type="button">` with its id `name`.
    fn button(
        &self,
        class: &'static str,
        name: &str,
        label: Key,
        onclick: Callback<MouseEvent>,
    ) -> Html {
        html! {
            <button type="button" class={classes!("mekaar-button", class)} id={self.env.id(name)}
                {onclick}>{self.t(label)}</button>
        }
    }

    /// What the widget shows now, for messages worded to it.
    fn subject(&self) -> Subject {
        if self.s.kind == Kind::List && self.s.route == Route::List {
            Subject::Initiatives
        } else {
            Subject::Initiative
        }
    }

    fn back(&self) -> Html {
        self.button("mekaar-back", "b-back", Key::Back, self.click(|| Msg::Back))
    }

    fn body(&self) -> (&'static str, Html) {
        let s = self.s;
        match s.status() {
            None if s.kind == Kind::List && s.route == Route::List => ("loading", self.skeleton()),
            None => (
                "loading",
                html! { <p class="mekaar-loading">{self.t(Key::Loading)}</p> },
            ),
            Some(Err(f)) => (
                "error",
                html! {
                    <>
                        if s.kind == Kind::List && s.route != Route::List {
                            {self.back()}
                        }
                        <p class="mekaar-message" role="alert">{failure_text(self.lang(), self.subject(), f)}</p>
                        if f.problem.retryable() {
                            {self.button("mekaar-retry", "b-retry", Key::Retry,
                                self.click(|| Msg::Do(Action::Retry)))}
                        }
                        if s.kind == Kind::Manage && f.problem == Problem::InvalidManageToken
                            && s.community().is_some_and(|c| c.mail) {
                            // "Link kwijt?": the same answer for any address.
                            {heading(self.env.heading, "mekaar-section-title", None,
                                html! { self.t(Key::LostLink) })}
                            {self.form(FormKind::Link, Key::LinkSend, false)}
                        }
                    </>
                },
            ),
            Some(Ok(())) => {
                let html = match (&s.manage, &s.detail, &s.page) {
                    (Some(Ok(m)), _, _) if s.kind == Kind::Manage => self.manage(m),
                    (_, Some(Ok(d)), _) if s.kind == Kind::Single => self.card(&d.card, true),
                    _ if s.route == Route::New => self.start(),
                    (_, Some(Ok(d)), _) if matches!(s.route, Route::Detail(_)) => self.detail(d),
                    (_, _, Some(Ok(page))) => self.list(page),
                    _ => Html::default(),
                };
                ("ready", html)
            }
        }
    }

    /// Status, area, theme and badges of an initiative.
    fn meta(&self, card: &InitiativePublic, reached_badge: bool) -> Html {
        let reached = card
            .threshold_reached_at
            .filter(|_| reached_badge)
            .map(|at| {
                self.t(Key::ReachedOn)
                    .replace("{d}", &date(self.lang(), at))
            });
        html! {
            <p class="mekaar-meta">
                <span class="mekaar-status" data-status={card.status.as_str()}>
                    {self.t(status_key(card.status))}
                </span>
                if let Some(area) = nonempty(&card.area) {
                    <span class="mekaar-area">{area.to_owned()}</span>
                }
                if let Some(theme) = nonempty(&card.theme) {
                    <span class="mekaar-theme">{theme.to_owned()}</span>
                }
                if card.answered {
                    <span class="mekaar-badge mekaar-answered">{self.t(Key::Answered)}</span>
                }
                if let Some(reached) = reached {
                    <span class="mekaar-badge mekaar-reached">{reached}</span>
                }
            </p>
        }
    }

    /// The support button of `card`, inside the view of it.
    fn support(&self, card: &InitiativePublic) -> Html {
        #[cfg(target_arch = "wasm32")]
        let button = html! {
            <crate::support::SupportButton env={self.env.clone()}
                initiative={Rc::<str>::from(card.id.as_str())}
                threshold={Some(card.support_threshold)} />
        };
        #[cfg(not(target_arch = "wasm32"))]
        let button = {
            let _ = card;
            Html::default()
        };
        html! { <div class="mekaar-support-slot">{button}</div> }
    }

    /// The card's picture: a generated cover in a colour picked by the initiative's area
    /// (else theme, else title) with its initial, so no card is ever a grey hole.
    /// Decorative: the title says what it is about.
    fn cover(&self, card: &InitiativePublic) -> Html {
        if card.photo.is_some() {
            return self.photo(card, false);
        }
        let key = nonempty(&card.area)
            .or(nonempty(&card.theme))
            .unwrap_or(&card.title);
        let hue = key
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
            % 8;
        // ASCII upper case only: Unicode's case tables would cost the wasm kilobytes.
        let initial: String = card
            .title
            .chars()
            .take(1)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        html! {
            <div class="mekaar-cover" data-hue={hue.to_string()} aria-hidden="true">
                <span>{initial}</span>
            </div>
        }
    }

    /// The initiative's photo (`large` in the detail, else the card rendition), with its
    /// alt text and its size reserved (no jump when it arrives); nothing without one.
    fn photo(&self, card: &InitiativePublic, large: bool) -> Html {
        let Some(photo) = &card.photo else {
            return Html::default();
        };
        let path = if large {
            &photo.large_url
        } else {
            &photo.card_url
        };
        let src = [self.env.base.trim_end_matches('/'), path.as_str()].concat();
        html! {
            <img class={if large { "mekaar-photo" } else { "mekaar-cover" }} src={src}
                alt={photo.alt.clone()} width={photo.width.to_string()}
                height={photo.height.to_string()} loading="lazy" decoding="async" />
        }
    }

    /// Support toward the threshold as a meter that celebrates the threshold reached; a
    /// realised or stopped initiative shows its count without a target.
    fn progress(&self, card: &InitiativePublic) -> Html {
        let lang = self.lang();
        let finished = matches!(
            card.status,
            InitiativeStatus::Realised | InitiativeStatus::Stopped
        );
        let threshold = if finished { 0 } else { card.support_threshold };
        let reached = threshold > 0 && card.support_count >= threshold;
        html! {
            <div class="mekaar-meter" data-reached={reached.then_some("true")}>
                <p class="mekaar-card-count">
                    {count_text(lang, card.support_count, threshold)}
                    if reached {
                        <strong class="mekaar-cheer">{self.t(Key::Reached)}</strong>
                    }
                </p>
                if threshold > 0 {
                    // Decorative: the numbers are in the text above.
                    <progress class="mekaar-progress" aria-hidden="true"
                        max={threshold.to_string()}
                        value={card.support_count.min(threshold).to_string()}>
                    </progress>
                }
            </div>
        }
    }

    /// Who started it and how long ago, and how many take part.
    fn byline(&self, card: &InitiativePublic) -> Html {
        let lang = self.lang();
        let mut line = card.initiator_name.clone();
        if !line.is_empty() {
            line.push_str(" · ");
        }
        line.push_str(&fill(
            lang,
            Key::StartedAgo,
            &ago(lang, card.created_at, now()),
            "",
        ));
        html! {
            <p class="mekaar-byline">
                {line}
                if card.join_count > 0 {
                    <span class="mekaar-card-joins">
                        {fill_count(lang, card.join_count, Key::JoinedOne, Key::JoinedOther)}
                    </span>
                }
                if card.reaction_count > 0 {
                    <span class="mekaar-card-reactions">
                        // A drawn speech bubble: an emoji is a box where the system has no emoji font.
                        <svg class="mekaar-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                            <path d="M2 2.5h12a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H7l-3.5 3v-3H2a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1z"/>
                        </svg>
                        <span aria-hidden="true">{number(lang, card.reaction_count)}</span>
                        {" "}
                        <span class="mekaar-sr">
                            {fill_count(lang, card.reaction_count, Key::ReactionCountOne, Key::ReactionCountOther)}
                        </span>
                    </span>
                }
            </p>
        }
    }

    /// An initiative as a card: in the list (the whole card links to the detail) or alone,
    /// for an article (`single`, with the support button).
    fn card(&self, card: &InitiativePublic, single: bool) -> Html {
        let env = self.env;
        let title = if single {
            // Not a dead end: the card leads to the initiative's story.
            let href = crate::api::detail_link(
                &env.base,
                &env.community,
                &card.id,
                card.page.as_deref().or(card.share_url.as_deref()),
            );
            html! { <a href={href}>{card.title.clone()}</a> }
        } else {
            let id = env.id(&["c-", &card.id].concat());
            html! {
                <a class="mekaar-card-link" id={id} href={["#mekaar-i=", &card.id].concat()}>
                    {card.title.clone()}
                </a>
            }
        };
        let level = if single { env.heading } else { env.level(1) };
        html! {
            <div class="mekaar-card" data-id={card.id.clone()} data-status={card.status.as_str()}>
                {self.cover(card)}
                <div class="mekaar-card-body">
                    {heading(level, "mekaar-card-title", None, title)}
                    // A list card cheers at its meter instead of this badge.
                    {self.meta(card, single)}
                    <p class="mekaar-card-summary">{card.summary.clone()}</p>
                    {self.byline(card)}
                    if single {
                        {self.support(card)}
                    } else {
                        {self.progress(card)}
                    }
                </div>
            </div>
        }
    }

    fn list(&self, page: &InitiativeList) -> Html {
        let (s, env, lang) = (self.s, self.env, self.lang());
        let q = &s.query;
        let sorts = [
            ("newest", self.t(Key::SortNewest)),
            ("support", self.t(Key::SortSupport)),
        ];
        let filters = [
            (
                "area",
                "mekaar-filter-area",
                Key::Area,
                Some(Key::AllAreas),
                form::choices(s.areas()),
                &q.area,
            ),
            (
                "theme",
                "mekaar-filter-theme",
                Key::Theme,
                Some(Key::AllThemes),
                form::choices(s.themes()),
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
        let filters = filters.into_iter().filter(|f| !f.4.is_empty()).map(
            |(name, class, label, all, options, selected)| {
                let id = env.id(&["filter-", name].concat());
                let onchange = self
                    .on
                    .reform(move |e: Event| Msg::Do(Action::Filter(name, form::event_value(&e))));
                html! {
                    <div class="mekaar-field" key={name}>
                        <label for={id.clone()}>{self.t(label)}</label>
                        {form::select(id, name, class, all.map(|k| t(lang, k)), &options, selected,
                            None, onchange)}
                    </div>
                }
            },
        );
        let onsubmit = self.on.reform(|e: SubmitEvent| {
            e.prevent_default();
            Msg::Do(Action::Search)
        });
        let oninput = self
            .on
            .reform(|e: InputEvent| Msg::Do(Action::SearchText(form::event_value(&e))));
        let cards = page.initiatives.iter().map(|card| {
            html! { <li key={card.id.clone()}>{self.card(card, false)}</li> }
        });
        let (pages, current) = s.pages(page);
        html! {
            <>
                // The cards' titles are one level below: give them their heading here, so
                // the outline is right wherever the host page puts the widget (WCAG 1.3.1).
                {heading(env.heading, "mekaar-sr mekaar-list-title", None,
                    html! { self.t(Key::ListHeading) })}
                if s.submit {
                    <p class="mekaar-actions">
                        <a class="mekaar-button mekaar-start" href="#mekaar-new">{self.t(Key::Start)}</a>
                    </p>
                }
                // Not a landmark (no `role=search`, no name): two lists on one page would
                // make two landmarks with the same name (axe: landmark-unique). The legend
                // names the group.
                <form class="mekaar-filters" {onsubmit} data-open={s.filters_open.then_some("true")}>
                    <fieldset>
                        <legend class="mekaar-sr">{self.t(Key::Filters)}</legend>
                        <div class="mekaar-field mekaar-field-search">
                            <label for={env.id("q")}>{self.t(Key::Search)}</label>
                            <span class="mekaar-row">
                                <input type="search" id={env.id("q")} name="q" class="mekaar-search"
                                    value={q.q.clone()} {oninput} />
                                <button type="submit" class="mekaar-button" id={env.id("b-search")}>
                                    {self.t(Key::Search)}
                                </button>
                                // Shown only where the widget is narrow (a phone): the
                                // choices below fold away behind it.
                                <button type="button" class="mekaar-button mekaar-filter-toggle"
                                    id={env.id("b-filters")} aria-controls={env.id("filters")}
                                    aria-expanded={if s.filters_open { "true" } else { "false" }}
                                    onclick={self.click(|| Msg::Do(Action::ToggleFilters))}>
                                    {match s.active_filters() {
                                        0 => self.t(Key::FilterButton).to_owned(),
                                        n => fill(lang, Key::FilterButtonCount, &n.to_string(), ""),
                                    }}
                                </button>
                            </span>
                        </div>
                        <div class="mekaar-filter-choices" id={env.id("filters")}>
                            {for filters}
                        </div>
                    </fieldset>
                </form>
                <p class="mekaar-result-count" id={env.id("results")} role="status" tabindex="-1">
                    {State::result_count(lang, page)}
                </p>
                if page.initiatives.is_empty() {
                    {self.empty()}
                }
                <ul class="mekaar-cards">{for cards}</ul>
                if pages > 1 {
                    <p class="mekaar-paging">
                        <button type="button" class="mekaar-button mekaar-prev" id={env.id("b-prev")}
                            disabled={current <= 1} onclick={self.click(|| Msg::Do(Action::Page(false)))}>
                            {self.t(Key::Prev)}
                        </button>
                        <span class="mekaar-page">
                            {fill(lang, Key::PageOf, &current.to_string(), &pages.to_string())}
                        </span>
                        <button type="button" class="mekaar-button mekaar-next" id={env.id("b-next")}
                            disabled={current >= pages} onclick={self.click(|| Msg::Do(Action::Page(true)))}>
                            {self.t(Key::Next)}
                        </button>
                    </p>
                }
            </>
        }
    }

    /// An empty list: with filters or search text, a way out (clear them, or start the
    /// initiative that is missing); in a community without any, an invitation to be first.
    fn empty(&self) -> Html {
        let s = self.s;
        let start = s.submit.then(|| {
            html! {
                <a class="mekaar-button mekaar-start" href="#mekaar-new">{self.t(Key::Start)}</a>
            }
        });
        if s.narrowed() {
            html! {
                <div class="mekaar-empty">
                    <p>{self.t(Key::NoneFound)}</p>
                    <p class="mekaar-row">
                        {self.button("mekaar-clear", "b-clear", Key::ClearFilters,
                            self.click(|| Msg::Do(Action::ClearFilters)))}
                        {for start}
                    </p>
                </div>
            }
        } else {
            html! {
                <div class="mekaar-empty mekaar-first">
                    <p class="mekaar-empty-title">{self.t(Key::FirstTitle)}</p>
                    <p>{self.t(if s.submit { Key::FirstText } else { Key::FirstTextNoSubmit })}</p>
                    {for start}
                </div>
            }
        }
    }

    /// Cards-shaped placeholders while the list loads, so nothing jumps when it arrives.
    fn skeleton(&self) -> Html {
        html! {
            <>
                <p class="mekaar-loading mekaar-sr">{self.t(Key::Loading)}</p>
                <ul class="mekaar-cards mekaar-skeleton" aria-hidden="true">
                    {for (0..3).map(|i| html! {
                        <li key={i}>
                            <div class="mekaar-card">
                                <div class="mekaar-cover"></div>
                                <div class="mekaar-card-body">
                                    <p class="mekaar-bone"></p>
                                    <p class="mekaar-bone mekaar-bone-short"></p>
                                    <p class="mekaar-bone"></p>
                                </div>
                            </div>
                        </li>
                    })}
                </ul>
            </>
        }
    }

    fn updates(&self, updates: &[InitiativeUpdate]) -> Html {
        if updates.is_empty() {
            return Html::default();
        }
        let items = updates.iter().enumerate().map(|(i, u)| {
            html! {
                <li key={i} class="mekaar-update">
                    <p class="mekaar-byline">{date(self.lang(), u.posted_at)}</p>
                    {story(&u.text)}
                </li>
            }
        });
        html! {
            <section class="mekaar-updates">
                {heading(self.env.level(1), "mekaar-section-title", None, html! { self.t(Key::Updates) })}
                <ul>{for items}</ul>
            </section>
        }
    }

    /// A form from its table of fields, with its failure, status line and buttons; the
    /// report form (`cancel`) has a cancel button and closes on Escape.
    fn form(&self, kind: FormKind, send: Key, cancel: bool) -> Html {
        let (s, env) = (self.s, self.env);
        let ui = &s.forms[kind as usize];
        let onsubmit = self.on.reform(move |e: SubmitEvent| {
            e.prevent_default();
            Msg::Send(kind)
        });
        let onkeydown = cancel.then(|| {
            let on = self.on.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    e.prevent_default();
                    on.emit(Msg::Do(Action::Report(false)));
                }
            })
        });
        let input = self
            .on
            .reform(move |(name, value)| Msg::Do(Action::Input(kind, name, value)));
        let done = match kind {
            FormKind::Edit => Some(Key::Saved),
            FormKind::Update => Some(Key::Posted),
            FormKind::Photo => Some(Key::PhotoSaved),
            FormKind::Link => Some(Key::LinkSent),
            _ => None,
        };
        let busy = ui.busy.then_some("true");
        html! {
            <form class={classes!("mekaar-form", ["mekaar-", kind.act(), "-form"].concat())}
                novalidate={true} aria-busy={busy} {onsubmit} {onkeydown}>
                {form::fields(env, kind, s.community(), ui, &input)}
                if kind == FormKind::Submit {
                    // Optional: the photo goes up once the initiative exists.
                    <fieldset class="mekaar-photo-fields">
                        <legend>{self.t(Key::PhotoOptional)}</legend>
                        {form::fields_of(env, form::PHOTO_OPTIONAL, None,
                            &s.forms[FormKind::Photo as usize],
                            &self.on.reform(|(name, value)| Msg::Do(Action::Input(FormKind::Photo, name, value))))}
                    </fieldset>
                }
                if let Some(f) = &ui.failure {
                    <p class="mekaar-message" role="alert">{failure_text(self.lang(), Subject::Initiative, f)}</p>
                }
                <p class="mekaar-row">
                    <button type="submit" class="mekaar-button mekaar-primary"
                        id={env.id(&["b-send-", kind.act()].concat())} aria-disabled={busy}>
                        {self.t(send)}
                    </button>
                    if let Some(key) = done {
                        // Always there, so screen readers announce the text when it appears.
                        <span class="mekaar-form-status" role="status">
                            if ui.done { {self.t(key)} }
                        </span>
                    }
                    if cancel {
                        {self.button("mekaar-cancel", "b-cancel", Key::Cancel,
                            self.click(|| Msg::Do(Action::Report(false))))}
                    }
                </p>
            </form>
        }
    }

    fn detail(&self, d: &InitiativeDetail) -> Html {
        let (s, env, lang) = (self.s, self.env, self.lang());
        let card = &d.card;
        let by = if card.initiator_name.is_empty() {
            Key::StartedOn
        } else {
            Key::StartedBy
        };
        let sub = |key: Key| {
            heading(
                env.level(1),
                "mekaar-section-title",
                None,
                html! { self.t(key) },
            )
        };
        let answer = d.answer.as_ref().map(|a| {
            html! {
                <section class="mekaar-answer">
                    {sub(Key::Answer)}
                    <p class="mekaar-byline">
                        {[a.answered_by.as_str(), " · ", &date(lang, a.answered_at)].concat()}
                    </p>
                    {story(&a.text)}
                </section>
            }
        });
        let join_failure = &s.forms[FormKind::Join as usize].failure;
        let report = if s.forms[FormKind::Report as usize].done {
            html! {
                <p class="mekaar-reported" id={env.id("reported")} tabindex="-1">
                    {self.t(Key::Reported)}
                </p>
            }
        } else if s.report_open {
            self.form(FormKind::Report, Key::SendReport, true)
        } else {
            self.button(
                "mekaar-report-button",
                "b-report",
                Key::Report,
                self.click(|| Msg::Do(Action::Report(true))),
            )
        };
        html! {
            <div class="mekaar-detail">
                {self.back()}
                {heading(env.heading, "mekaar-detail-title", Some(env.id("detail-title")),
                    html! { card.title.clone() })}
                {self.meta(card, true)}
                {self.photo(card, true)}
                <p class="mekaar-byline">
                    {fill(lang, by, &card.initiator_name, &date(lang, card.created_at))}
                </p>
                <p class="mekaar-lead">{card.summary.clone()}</p>
                {self.support(card)}
                <div class="mekaar-story">{story(&d.story)}</div>
                {for answer}
                {self.updates(&d.updates)}
                // Next steps and meetings: the meetings family's widgets, mounted like the
                // discussion; each shows nothing while it has nothing to show.
                {self.child("steps", card)}
                {self.child("meetings", card)}
                <section class="mekaar-join">
                    {sub(Key::Join)}
                    <p class="mekaar-join-count" role="status">{State::join_text(lang, s.join_count)}</p>
                    if s.joined {
                        <p class="mekaar-joined" id={env.id("joined")} tabindex="-1">{self.t(Key::Joined)}</p>
                        if let Some(f) = join_failure {
                            <p class="mekaar-message" role="alert">{failure_text(lang, Subject::Initiative, f)}</p>
                        }
                        {self.button("mekaar-withdraw-button", "b-withdraw", Key::Withdraw,
                            self.click(|| Msg::Withdraw))}
                    } else {
                        <p>{self.t(Key::JoinIntro)}</p>
                        {self.form(FormKind::Join, Key::Join, false)}
                    }
                </section>
                <section class="mekaar-report">{report}</section>
                // The reactions: the discussion family's widget, mounted by the loader
                // (lazily: its code is not in this family's wasm).
                // No name of its own (two details on a page would be two landmarks of one
                // name): the discussion's heading "Reacties (n)" says what it is.
                <section class="mekaar-reactions-section">
                    {self.child("discussion", card)}
                </section>
            </div>
        }
    }

    /// A placeholder of another family's widget (`kind`: the discussion of the initiative's
    /// reactions, its meetings or next steps) inside this widget's shadow root. The loader
    /// cannot see into shadow roots: once it is shown, the app asks the loader to mount it (a bubbling, composed `mekaar:mount` event from the
    /// placeholder, see `app.rs`); the loader then watches this shadow root and ends that
    /// widget (its timers too) when the placeholder leaves it (the detail closes, or this
    /// widget ends). Keyed by the initiative, so another one gets a new placeholder.
    fn child(&self, kind: &'static str, card: &InitiativePublic) -> Html {
        let env = self.env;
        let theme = env.theme.map_or("auto", |t| t.attr());
        html! {
            <div key={[kind, "-", &card.id].concat()} class="mekaar-child" data-mekaar={kind}
                data-initiative={card.id.clone()} data-community={env.community.to_string()}
                data-lang={env.lang.tag()} data-theme={theme}
                data-heading-level={env.level(1).to_string()}
                data-preview={env.preview.then_some("true")}></div>
        }
    }

    fn start(&self) -> Html {
        let (s, env) = (self.s, self.env);
        if let Some((link, pending)) = &s.submitted {
            let copied = s
                .copied
                .map(|ok| self.t(if ok { Key::Copied } else { Key::CopyFailed }));
            return html! {
                <div class="mekaar-submitted">
                    {heading(env.heading, "mekaar-submitted-title", Some(env.id("submitted-title")),
                        html! { self.t(Key::Thanks) })}
                    <p class="mekaar-moderation">
                        {self.t(if *pending { Key::ThanksPending } else { Key::ThanksPublished })}
                    </p>
                    if let Some(problem) = s.photo_failed {
                        <p class="mekaar-message" role="alert">
                            {self.t(Key::PhotoNotAdded)}{" "}{self.t(problem.key())}
                        </p>
                    }
                    <div class="mekaar-keep">
                        <p><strong>{self.t(Key::ManageLink)}</strong></p>
                        <p>
                            <a class="mekaar-manage-link" target="_blank" rel="noopener"
                                href={link.clone()}>{link.clone()}</a>
                        </p>
                        <p class="mekaar-warning">{self.t(Key::KeepLink)}</p>
                        <p class="mekaar-row">
                            {self.button("mekaar-copy-button", "b-copy", Key::Copy, self.click(|| Msg::Copy))}
                            <span class="mekaar-copy-status" role="status">{for copied}</span>
                        </p>
                    </div>
                    {self.back()}
                </div>
            };
        }
        html! {
            <div class="mekaar-new">
                {self.back()}
                {heading(env.heading, "mekaar-submit-title", Some(env.id("submit-title")),
                    html! { self.t(Key::Start) })}
                <p class="mekaar-policy">
                    {self.t(if s.pre() { Key::PolicyPre } else { Key::PolicyPost })}
                </p>
                {self.form(FormKind::Submit, Key::Send, false)}
            </div>
        }
    }

    /// A path on the Mekaar server as an address people can share.
    fn server_url(&self, path: &str) -> String {
        [self.env.base.trim_end_matches('/'), path].concat()
    }

    fn poster_url(&self, card: &InitiativePublic, size: &str) -> String {
        let path = [
            "/poster/",
            &crate::api::encode_segment(&card.community),
            "/",
            &crate::api::encode_segment(&card.id),
            "?size=",
            size,
        ]
        .concat();
        self.server_url(&path)
    }

    fn manage(&self, m: &ManageView) -> Html {
        let (env, lang) = (self.env, self.lang());
        let d = &m.initiative;
        let card = &d.card;
        let state = match moderation_name(m.moderation) {
            "pending" => Key::ModPending,
            "hidden" => Key::ModHidden,
            "rejected" => Key::ModRejected,
            _ => Key::ModPublished,
        };
        let sub = |key: Key| {
            heading(
                env.level(1),
                "mekaar-section-title",
                None,
                html! { self.t(key) },
            )
        };
        let joiners = m.joins.iter().enumerate().map(|(i, j)| {
            html! {
                <li key={i} class="mekaar-joiner">
                    <p>
                        <strong class="mekaar-joiner-name">{j.name.clone()}</strong>
                        {" · "}{date(lang, j.joined_at)}
                    </p>
                    <p class="mekaar-joiner-contact">{j.contact.clone()}</p>
                    if !j.message.is_empty() {
                        <p class="mekaar-joiner-message">{j.message.clone()}</p>
                    }
                </li>
            }
        });
        html! {
            <div class="mekaar-manage-view">
                <p class="mekaar-eyebrow">{self.t(Key::Manage)}</p>
                {heading(env.heading, "mekaar-detail-title", None, html! { card.title.clone() })}
                <p class="mekaar-moderation" data-moderation={moderation_name(m.moderation)}>
                    {self.t(state)}
                </p>
                {self.meta(card, true)}
                <p class="mekaar-card-count">
                    {count_text(lang, card.support_count, card.support_threshold)}
                </p>
                <section class="mekaar-joiners">
                    {sub(Key::Joiners)}
                    <p class="mekaar-join-count">{State::join_text(lang, m.joins.len() as u64)}</p>
                    if m.joins.is_empty() {
                        <p>{self.t(Key::NoJoiners)}</p>
                    } else {
                        <ul>{for joiners}</ul>
                    }
                </section>
                // On paper and on social media: the short link and the posters, once the
                // public can see the initiative (they are 404 before).
                if let (true, Some(path)) = (m.moderation == ModerationState::Published, &card.share_url) {
                    <section class="mekaar-manage-share">
                        {sub(Key::ShareSection)}
                        <p>{self.t(Key::ShareIntro)}</p>
                        <p><a class="mekaar-share-link" href={self.server_url(path)}>{self.server_url(path)}</a></p>
                        <p class="mekaar-row">
                            <a class="mekaar-poster-link" target="_blank" rel="noopener"
                                href={self.poster_url(card, "a4")}>{self.t(Key::PosterA4)}</a>
                            <a class="mekaar-poster-link" target="_blank" rel="noopener"
                                href={self.poster_url(card, "a5")}>{self.t(Key::PosterA5)}</a>
                        </p>
                    </section>
                }
                <section class="mekaar-manage-photo">
                    {sub(Key::PhotoSection)}
                    {self.photo(card, false)}
                    if let Some(pending) = &m.pending_photo {
                        <p class="mekaar-moderation">{self.t(Key::PhotoPending)}</p>
                        <img class="mekaar-thumb" src={[env.base.trim_end_matches('/'), pending.card_url.as_str()].concat()}
                            alt={pending.alt.clone()} width={pending.width.to_string()}
                            height={pending.height.to_string()} />
                    }
                    <p>{self.t(Key::PhotoIntro)}</p>
                    {self.form(FormKind::Photo, Key::PhotoSend, false)}
                    if card.photo.is_some() || m.pending_photo.is_some() {
                        {self.button("mekaar-remove-photo", "b-remove-photo", Key::PhotoRemove,
                            self.click(|| Msg::RemovePhoto))}
                    }
                </section>
                <section class="mekaar-manage-edit">
                    {sub(Key::Edit)}
                    {self.form(FormKind::Edit, Key::Save, false)}
                </section>
                <section class="mekaar-manage-news">
                    {sub(Key::PostNews)}
                    {self.form(FormKind::Update, Key::Post, false)}
                    {self.updates(&d.updates)}
                </section>
            </div>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Query;
    use crate::initiatives::Action as A;
    use mekaar_api::*;

    const XSS: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    fn card() -> InitiativePublic {
        InitiativePublic {
            id: "moestuin".into(),
            community: "demodorp".into(),
            title: XSS.into(),
            summary: XSS.into(),
            area: Some(XSS.into()),
            theme: Some(XSS.into()),
            status: InitiativeStatus::Idea,
            initiator_name: XSS.into(),
            support_count: 12,
            support_threshold: 50,
            threshold_reached_at: None,
            join_count: 1,
            reaction_count: 3,
            answered: true,
            created_at: 0,
            updated_at: 0,
            photo: None,
            page: None,
            share_url: None,
        }
    }

    fn community() -> CommunityPublic {
        CommunityPublic {
            slug: "demodorp".into(),
            name: "Demodorp".into(),
            languages: vec![],
            areas: vec![XSS.into()],
            themes: vec!["Groen".into()],
            support_threshold: 50,
            moderation: ModerationPolicy::Pre,
            initiatives_page: None,
            mail: false,
        }
    }

    fn list_state() -> State {
        let query = Query {
            limit: 10,
            ..Query::default()
        };
        let mut s = State::new(
            Kind::List,
            true,
            query,
            Route::List,
            String::new(),
            String::new(),
            true,
        );
        s.apply(A::Community(Ok(community())));
        let Some(crate::initiatives::Load::List(seq, _)) = s.wants.last().cloned() else {
            panic!("a list load")
        };
        s.apply(A::List(
            seq,
            Ok(InitiativeList {
                initiatives: vec![card()],
                total: 25,
                page: 1,
                limit: 10,
            }),
        ));
        s
    }

    fn render_with(s: &State, env: Env) -> String {
        let (s, env) = (s.clone(), Rc::new(env));
        crate::widget::ssr::render(move || view(&s, &env, &Callback::noop(), NodeRef::default()))
    }

    fn render(s: &State) -> String {
        render_with(s, crate::widget::tests::env())
    }

    fn assert_no_markup_from_data(html: &str) {
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;"),
            "the data is shown as text: {html}"
        );
    }

    #[test]
    fn list_shows_cards_filters_and_paging() {
        let mut s = list_state();
        let html = render(&s);
        assert_no_markup_from_data(&html);
        assert!(
            html.contains("data-view=\"list\" data-state=\"ready\""),
            "{html}"
        );
        assert!(
            html.contains("id=\"mekaar-7-c-moestuin\" href=\"#mekaar-i=moestuin\""),
            "{html}"
        );
        assert!(html.contains("12 van 50 steunbetuigingen"));
        assert!(
            html.contains(
                "<span aria-hidden=\"true\">3</span> <span class=\"mekaar-sr\">3 reacties</span>"
            ),
            "{html}"
        );
        assert!(html.contains("class=\"mekaar-badge mekaar-answered\">Beantwoord<"));
        assert!(html.contains("25 initiatieven gevonden"));
        assert!(html.contains("Pagina 1 van 3"));
        assert!(html.contains("id=\"mekaar-7-b-prev\" disabled"), "{html}");
        assert!(!html.contains("id=\"mekaar-7-b-next\" disabled"), "{html}");
        assert!(html.contains("class=\"mekaar-filter-theme\""));
        assert!(
            html.contains("<label for=\"mekaar-7-filter-area\">Buurt</label>"),
            "{html}"
        );
        assert!(html.contains("href=\"#mekaar-new\""));
        s.submit = false;
        s.query.page = 3;
        let html = render(&s);
        assert!(!html.contains("#mekaar-new"));
        assert!(html.contains("Pagina 3 van 3"));
        assert!(html.contains("id=\"mekaar-7-b-next\" disabled"), "{html}");
    }

    #[test]
    fn the_list_has_a_heading_above_its_cards_at_the_placeholders_level() {
        let html = render(&list_state());
        let top = html
            .find("<h2 tabindex=\"-1\" class=\"mekaar-sr mekaar-list-title\">Initiatieven</h2>");
        let card = html.find("<h3 tabindex=\"-1\" class=\"mekaar-card-title\"");
        assert!(matches!((top, card), (Some(a), Some(b)) if a < b), "{html}");
        let env = Env {
            heading: 3,
            ..crate::widget::tests::env()
        };
        let html = render_with(&list_state(), env);
        assert!(
            html.contains("<h3 tabindex=\"-1\" class=\"mekaar-sr mekaar-list-title\""),
            "{html}"
        );
        assert!(
            html.contains("<h4 tabindex=\"-1\" class=\"mekaar-card-title\""),
            "{html}"
        );
        assert!(!html.contains("<h1") && !html.contains("<h2"), "{html}");
    }

    #[test]
    fn a_card_says_when_the_threshold_was_reached() {
        let mut s = list_state();
        assert!(!render(&s).contains("mekaar-reached"));
        if let Some(Ok(page)) = s.page.as_mut() {
            // 2026-11-12 12:00 UTC
            page.initiatives[0].threshold_reached_at = Some(1_794_484_800);
        }
        // A list card cheers at its meter once the count is there, without the dated
        // badge (the detail has that).
        let html = render(&s);
        assert!(!html.contains("Drempel gehaald op"), "{html}");
        assert!(!html.contains("mekaar-cheer"), "{html}");
        if let Some(Ok(page)) = s.page.as_mut() {
            let card = &mut page.initiatives[0];
            card.support_count = card.support_threshold;
        }
        let html = render(&s);
        assert!(html.contains("data-reached=\"true\""), "{html}");
        assert!(html.contains(">Drempel gehaald!<"), "{html}");
        // Not on a finished initiative: no target there.
        if let Some(Ok(page)) = s.page.as_mut() {
            page.initiatives[0].status = mekaar_api::InitiativeStatus::Realised;
        }
        assert!(!render(&s).contains("mekaar-cheer"));
        let mut s = detail_state();
        if let Some(Ok(d)) = s.detail.as_mut() {
            d.card.threshold_reached_at = Some(1_794_484_800);
        }
        assert!(render(&s).contains(">Drempel gehaald op 12 november 2026<"));
    }

    fn detail_state() -> State {
        let mut s = list_state();
        s.apply(A::Route(Route::Detail("moestuin".into())));
        let Some(crate::initiatives::Load::Detail(seq, _)) = s.wants.first().cloned() else {
            panic!("a detail load: {:?}", s.wants)
        };
        s.apply(A::Detail(
            seq,
            Ok(InitiativeDetail {
                card: card(),
                story: format!("Zie https://baarlo.nl/plan.\n\n{XSS}"),
                updates: vec![InitiativeUpdate {
                    text: XSS.into(),
                    posted_at: 0,
                }],
                answer: Some(OfficialAnswer {
                    text: XSS.into(),
                    answered_by: XSS.into(),
                    answered_at: 0,
                }),
            }),
        ));
        s
    }

    #[test]
    fn detail_story_links_and_join_form() {
        let mut s = detail_state();
        let html = render(&s);
        assert_no_markup_from_data(&html);
        assert!(html.contains(
            "<a href=\"https://baarlo.nl/plan\" rel=\"nofollow noopener\" target=\"_blank\">https://baarlo.nl/plan</a>."
        ), "{html}");
        assert!(
            html.contains(
                "<h2 id=\"mekaar-7-detail-title\" tabindex=\"-1\" class=\"mekaar-detail-title\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("<h3 tabindex=\"-1\" class=\"mekaar-section-title\">Ik doe mee</h3>"),
            "{html}"
        );
        assert!(html.contains("1 persoon doet mee"));
        assert!(html.contains("class=\"mekaar-form mekaar-join-form\""));
        assert!(html.contains("name=\"consent\""));
        assert!(html.contains("class=\"mekaar-support-slot\""));
        assert!(html.contains("id=\"mekaar-7-b-report\""));
        // The reactions: a discussion placeholder the loader mounts (one level deeper);
        // the next steps and meetings likewise, before the join form.
        assert!(
            html.contains("data-mekaar=\"discussion\" data-initiative=\""),
            "{html}"
        );
        let steps = html
            .find("data-mekaar=\"steps\" data-initiative=\"")
            .expect("steps");
        let meetings = html
            .find("data-mekaar=\"meetings\" data-initiative=\"")
            .expect("meetings");
        assert!(steps < meetings && meetings < html.find("mekaar-join-form").unwrap());
        assert!(html.contains("data-community=\"demodorp\" data-lang=\"nl\" data-theme=\"auto\" data-heading-level=\"3\""), "{html}");
        assert!(
            html.contains("<section class=\"mekaar-reactions-section\">"),
            "{html}"
        );
        s.joined = true;
        s.apply(A::Report(true));
        let html = render(&s);
        assert!(html.contains("id=\"mekaar-7-b-withdraw\""));
        assert!(!html.contains("mekaar-join-form"));
        assert!(html.contains("mekaar-report-form"));
        assert!(html.contains("id=\"mekaar-7-b-cancel\""));
    }

    #[test]
    fn submit_form_and_confirmation() {
        let mut s = list_state();
        s.apply(A::Route(Route::New));
        s.apply(A::Community(Ok(community())));
        let html = render(&s);
        assert!(
            html.contains("wordt eerst bekeken door een moderator"),
            "{html}"
        );
        assert!(
            html.contains("novalidate=\"novalidate\" class=\"mekaar-form mekaar-submit-form\""),
            "{html}"
        );
        assert!(html.contains("id=\"mekaar-7-submit-title\""), "{html}");
        s.submitted = Some(("https://m.example/manage/demodorp/x#tok\"<".into(), true));
        let html = render(&s);
        assert!(html.contains("class=\"mekaar-manage-link\""));
        assert!(html.contains("rel=\"noopener\""));
        assert!(html.contains("#tok&quot;&lt;"), "{html}");
        assert!(html.contains("id=\"mekaar-7-b-copy\""));
    }

    #[test]
    fn manage_shows_moderation_and_joiners() {
        let mut s = State::new(
            Kind::Manage,
            true,
            Query::default(),
            Route::List,
            "moestuin".into(),
            "tok".into(),
            true,
        );
        s.apply(A::Community(Ok(community())));
        s.apply(A::Manage(Ok(ManageView {
            initiative: InitiativeDetail {
                card: card(),
                story: String::new(),
                updates: vec![],
                answer: None,
            },
            moderation: ModerationState::Pending,
            contact_email: None,
            joins: vec![JoinDetail {
                name: XSS.into(),
                contact: "anja@example.nl".into(),
                message: XSS.into(),
                joined_at: 0,
            }],
            pending_photo: None,
        })));
        let env = Env {
            lang: Lang::En,
            ..crate::widget::tests::env()
        };
        let html = render_with(&s, env);
        assert_no_markup_from_data(&html);
        assert!(html.contains("data-moderation=\"pending\""));
        assert!(html.contains("first reviewed by a moderator"));
        assert!(html.contains("class=\"mekaar-joiner\""));
        assert!(html.contains("anja@example.nl"));
        assert!(html.contains("mekaar-edit-form"));
        assert!(html.contains("mekaar-update-form"));
        assert!(
            html.contains("<option value=\"idea\" selected=\"selected\">Idea</option>"),
            "{html}"
        );
    }

    #[test]
    fn manage_offers_the_short_link_and_posters_once_published() {
        let view = |moderation| {
            let mut s = State::new(
                Kind::Manage,
                true,
                Query::default(),
                Route::List,
                "moestuin".into(),
                "tok".into(),
                true,
            );
            s.apply(A::Community(Ok(community())));
            s.apply(A::Manage(Ok(ManageView {
                initiative: InitiativeDetail {
                    card: InitiativePublic {
                        share_url: Some("/i/K7QX2M".into()),
                        ..card()
                    },
                    story: String::new(),
                    updates: vec![],
                    answer: None,
                },
                moderation,
                contact_email: None,
                joins: vec![],
                pending_photo: None,
            })));
            render_with(&s, crate::widget::tests::env())
        };
        let base = crate::widget::tests::env()
            .base
            .trim_end_matches('/')
            .to_string();
        let html = view(ModerationState::Published);
        assert!(html.contains("Delen en afdrukken"), "{html}");
        assert!(
            html.contains(&format!("href=\"{base}/i/K7QX2M\"")),
            "{html}"
        );
        assert!(html.contains(&format!("href=\"{base}/poster/demodorp/moestuin?size=a5\"")));
        // Before approval the share page and the poster do not exist yet.
        assert!(!view(ModerationState::Pending).contains("mekaar-manage-share"));
    }

    #[test]
    fn failures_show_with_retry() {
        let mut s = list_state();
        s.page = Some(Err(Problem::Unreachable.into()));
        let html = render(&s);
        assert!(html.contains("data-state=\"error\""), "{html}");
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("id=\"mekaar-7-b-retry\""));
    }
}
