//! The agenda's and an initiative's meetings' view: `html!` from the pure [`Board`],
//! natively rendered in the unit tests below.
//!
//! DOM inside the shadow root (stable, for end-to-end tests; ids are the widget's own,
//! `mekaar-{uid}-{name}`, written here by their name):
//! - root `.mekaar-root.mekaar-meetings` with `data-scope` (agenda | initiative) and
//!   `data-state` = loading | ready | empty | error; a failure is
//!   `.mekaar-message[role=alert]` with `.mekaar-retry` when retrying may help;
//! - `.mekaar-meetings-title` (`title`); the agenda's `select.mekaar-area` (`f-area`) when
//!   the community has areas, and `a.mekaar-subscribe` (webcal);
//! - agenda: `section.mekaar-day` per Dutch day with `.mekaar-day-title`; then
//!   `ul.mekaar-meeting-list > li.mekaar-meeting[data-id][data-cancelled]` (`mt-{id}`) with
//!   `.mekaar-tile` (`.mekaar-tile-weekday`, `.mekaar-tile-day`, `.mekaar-tile-month`),
//!   `.mekaar-meeting-title`, `.mekaar-cancelled`, `a.mekaar-meeting-initiative`,
//!   `.mekaar-meeting-when`, `.mekaar-meeting-where`, `button.mekaar-attend[aria-pressed]`
//!   (`a-{id}`), `.mekaar-attend-count` (`c-{id}`), `a.mekaar-ics`, `.mekaar-notice`
//!   (`m-{id}`); for the initiator `.mekaar-edit-meeting` (`b-edit-{id}`) and
//!   `.mekaar-call-off` (`b-off-{id}`);
//! - `button.mekaar-past-toggle[aria-expanded]` (`b-past`) and `ul.mekaar-past` (`past`)
//!   with `a.mekaar-past-news`;
//! - the initiator: `button.mekaar-add-meeting` (`b-add`), `form.mekaar-meeting-form` with
//!   inputs `f-title`, `f-date`, `f-start`, `f-end`, `f-place`, `f-online`, `f-capacity`,
//!   `f-description`, errors `e-{field}`, `.mekaar-form-failure` (`f-failure`),
//!   `button.mekaar-save` (`b-save`); `.mekaar-form-status` (`status`);
//! - `.mekaar-live[role=status]` (`live`): "Je komt naar …".

use crate::api::{community_url, detail_link, encode_segment};
use crate::i18n::meet::{t, Key};
use crate::i18n::{fill_in, number, Key as MainKey, Lang};
use crate::meetings::{
    count_text, failure_text, time_range, webcal, write, Action, Board, Draft, Scope, Style, F,
};
use crate::widget::{heading, Env};
use mekaar_api::meetings::{limits, Meeting};
use std::rc::Rc;
use yew::prelude::*;

/// What a resident did that needs the browser (the rest are [`Action`]s).
// A message lives for one click; boxing the large action would only add code.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    Do(Action),
    Attend(String),
    Send,
    /// Call off (or reinstate) a meeting.
    CallOff(String),
}

/// The widget: its root `.mekaar-root` (with `root` as its node ref).
pub fn view(s: &Board, env: &Rc<Env>, on: &Callback<Msg>, root: NodeRef) -> Html {
    let v = V { s, env, on };
    let (state, body) = v.body();
    let scope = match s.scope {
        Scope::Agenda => "agenda",
        Scope::Initiative => "initiative",
    };
    // One initiative's meetings show nothing at all while there are none (the detail
    // holds the placeholder for every initiative); its initiator sees the add button.
    let hidden =
        s.scope == Scope::Initiative && !s.initiator && matches!(state, "empty" | "loading");
    html! {
        <div ref={root} class="mekaar-root mekaar-meetings" lang={env.lang.tag()}
            data-theme={env.theme_attr()} data-state={state} data-scope={scope} {hidden}>
            {body}
            <p class="mekaar-sr mekaar-live" role="status" id={env.id("live")}>
                {s.announce.1.clone()}
            </p>
        </div>
    }
}

struct V<'a> {
    s: &'a Board,
    env: &'a Rc<Env>,
    on: &'a Callback<Msg>,
}

impl V<'_> {
    fn lang(&self) -> Lang {
        self.env.lang
    }

    fn t(&self, key: Key) -> &'static str {
        t(self.env.lang, key)
    }

    fn act(&self, action: impl Fn() -> Action + 'static) -> Callback<MouseEvent> {
        self.on.reform(move |_| Msg::Do(action()))
    }

    fn url(&self, tail: &str) -> String {
        let mut url = community_url(&self.env.base, &self.env.community);
        url.push_str(tail);
        url
    }

    fn body(&self) -> (&'static str, Html) {
        let s = self.s;
        let lang = self.lang();
        match (&s.list, &s.failure) {
            (None, Some(f)) => (
                "error",
                html! {
                    <>
                        {self.title()}
                        <p class="mekaar-message" role="alert">{failure_text(lang, f)}</p>
                        if f.problem.retryable() {
                            <button type="button" class="mekaar-button mekaar-retry"
                                id={self.env.id("b-retry")} onclick={self.act(|| Action::Retry)}>
                                {crate::i18n::t(lang, MainKey::Retry)}
                            </button>
                        }
                    </>
                },
            ),
            (None, None) => (
                "loading",
                html! { <p class="mekaar-loading">{crate::i18n::t(lang, MainKey::Loading)}</p> },
            ),
            (Some(list), _) => {
                let empty = list.upcoming.is_empty() && list.past.is_empty();
                (if empty { "empty" } else { "ready" }, self.ready())
            }
        }
    }

    fn title(&self) -> Html {
        let key = match self.s.scope {
            Scope::Agenda => Key::AgendaTitle,
            Scope::Initiative => Key::MeetingsTitle,
        };
        heading(
            self.env.heading,
            "mekaar-meetings-title",
            Some(self.env.id("title")),
            html! { self.t(key) },
        )
    }

    fn ready(&self) -> Html {
        let (s, env) = (self.s, self.env);
        let Some(list) = &s.list else {
            return Html::default();
        };
        let agenda = s.scope == Scope::Agenda;
        let status = s.notice.as_ref().filter(|n| n.at.is_empty());
        let upcoming = if list.upcoming.is_empty() {
            let key = if agenda && !s.area.is_empty() {
                Key::NoneInArea
            } else {
                Key::NoneComing
            };
            html! { <p class="mekaar-empty mekaar-none">{self.t(key)}</p> }
        } else if agenda {
            html! {
                <div class="mekaar-days">
                    {for s.days().into_iter().map(|(day, meetings)| {
                        let first = meetings[0].starts_at;
                        let title = env.id(&["d-", &day.to_string()].concat());
                        html! {
                            <section key={day.to_string()} class="mekaar-day" aria-labelledby={title.clone()}>
                                {heading(env.level(1), "mekaar-day-title", Some(title),
                                    html! { write(self.lang(), first, Style::Long) })}
                                <ul class="mekaar-meeting-list">
                                    {for meetings.into_iter().map(|m| self.meeting(m, false))}
                                </ul>
                            </section>
                        }
                    })}
                </div>
            }
        } else {
            let mut sorted: Vec<&Meeting> = list.upcoming.iter().collect();
            sorted.sort_by_key(|m| m.starts_at);
            html! {
                <ul class="mekaar-meeting-list" aria-labelledby={env.id("title")}>
                    {for sorted.into_iter().map(|m| self.meeting(m, false))}
                </ul>
            }
        };
        let calendar = if agenda {
            html! {
                <p class="mekaar-subscribe-row">
                    <a class="mekaar-subscribe" href={webcal(&self.url("/meetings.ics"))}>
                        {self.t(Key::Subscribe)}
                    </a>
                    <span class="mekaar-hint">{" "}{self.t(Key::SubscribeHint)}</span>
                </p>
            }
        } else if !list.upcoming.is_empty() {
            let mut url = self.url("/initiatives/");
            url.push_str(&encode_segment(&list.upcoming[0].initiative));
            url.push_str("/meetings.ics");
            html! {
                <p class="mekaar-subscribe-row">
                    <a class="mekaar-subscribe" href={webcal(&url)}>{self.t(Key::AllToCalendar)}</a>
                </p>
            }
        } else {
            Html::default()
        };
        html! {
            <>
                <div class="mekaar-meetings-head">
                    {self.title()}
                    {self.area_filter()}
                </div>
                if s.initiator {
                    {self.initiator_bar()}
                }
                <p class={classes!("mekaar-form-status", status.filter(|n| n.alert).map(|_| "mekaar-message"))}
                    id={env.id("status")} tabindex="-1"
                    role={if status.is_some_and(|n| n.alert) { "alert" } else { "status" }}>
                    {status.map(|n| n.text.clone()).unwrap_or_default()}
                </p>
                if let Some(f) = &s.failure {
                    <p class="mekaar-message" role="alert">{failure_text(self.lang(), f)}</p>
                }
                {upcoming}
                {calendar}
                {self.past()}
            </>
        }
    }

    fn area_filter(&self) -> Html {
        let (s, env) = (self.s, self.env);
        let areas = match (&s.community, s.scope) {
            (Some(c), Scope::Agenda) if !c.areas.is_empty() => &c.areas,
            _ => return Html::default(),
        };
        let onchange = self.on.reform(|e: Event| {
            use wasm_bindgen::JsCast;
            let value = e
                .target()
                .and_then(|t| t.dyn_ref::<web_sys::HtmlSelectElement>().map(|x| x.value()))
                .unwrap_or_default();
            Msg::Do(Action::Area(value))
        });
        html! {
            <div class="mekaar-field mekaar-area-field">
                <label for={env.id("f-area")}>{crate::i18n::t(self.lang(), MainKey::Area)}</label>
                <select id={env.id("f-area")} class="mekaar-area" {onchange}>
                    <option value="" selected={s.area.is_empty()}>{crate::i18n::t(self.lang(), MainKey::AllAreas)}</option>
                    {for areas.iter().map(|a| html! {
                        <option value={a.clone()} selected={s.area == *a}>{a.clone()}</option>
                    })}
                </select>
            </div>
        }
    }

    /// The date tile: "za / 12 / dec", for the eye (the date is in the text too).
    fn tile(&self, secs: u64) -> Html {
        let lang = self.lang();
        html! {
            <div class="mekaar-tile" aria-hidden="true">
                <span class="mekaar-tile-weekday">{write(lang, secs, Style::Weekday)}</span>
                <span class="mekaar-tile-day">{write(lang, secs, Style::Day)}</span>
                <span class="mekaar-tile-month">{write(lang, secs, Style::Month)}</span>
            </div>
        }
    }

    fn initiative_link(&self, m: &Meeting, key: Option<Key>) -> Html {
        let page = self
            .s
            .community
            .as_ref()
            .and_then(|c| c.initiatives_page.as_deref());
        let href = detail_link(&self.env.base, &self.env.community, &m.initiative, page);
        let text = match key {
            Some(key) => fill_in(self.t(key), &m.initiative_title, ""),
            None => m.initiative_title.clone(),
        };
        let class = if key.is_some() {
            "mekaar-past-news"
        } else {
            "mekaar-meeting-initiative"
        };
        html! { <a class={class} href={href} target="_top">{text}</a> }
    }

    fn meeting(&self, m: &Meeting, past: bool) -> Html {
        let (s, env, lang) = (self.s, self.env, self.lang());
        let id = m.id.clone();
        let agenda = s.scope == Scope::Agenda;
        let title_level = if agenda { env.level(2) } else { env.level(1) };
        let attending = s.attends(&id);
        let busy = s.busy.contains(&id);
        let when = if agenda && !past {
            time_range(lang, m)
        } else {
            [
                write(lang, m.starts_at, Style::Long),
                ", ".into(),
                time_range(lang, m),
            ]
            .concat()
        };
        // A link to join online only while one can: not to a called-off or past meeting.
        let live = !m.cancelled && !past;
        let online_url = m.online_url.as_ref().filter(|_| live);
        let where_ = match (&m.place, online_url) {
            (_, None) if m.online_url.is_some() => html! {
                <>
                    {m.place.clone().map(|p| [p.as_str(), " \u{b7} "].concat())}
                    {self.t(Key::JoinOnline)}
                </>
            },
            (Some(place), Some(url)) => html! {
                <>
                    {place.clone()}{" \u{b7} "}
                    <a href={url.clone()} target="_blank" rel="noopener nofollow">{self.t(Key::JoinOnline)}</a>
                </>
            },
            (Some(place), None) => html! { place.clone() },
            (None, Some(url)) => html! {
                <a href={url.clone()} target="_blank" rel="noopener nofollow">{self.t(Key::JoinOnline)}</a>
            },
            (None, None) => Html::default(),
        };
        let actions = if m.cancelled || past {
            Html::default()
        } else {
            let onclick = {
                let id = id.clone();
                self.on.reform(move |_| Msg::Attend(id.clone()))
            };
            let disabled = busy || !s.can_attend(m);
            let mut ics = self.url("/meetings/");
            ics.push_str(&encode_segment(&id));
            ics.push_str(".ics");
            html! {
                <div class="mekaar-meeting-actions">
                    <button type="button" class="mekaar-button mekaar-attend"
                        id={env.id(&["a-", &id].concat())}
                        aria-pressed={if attending { "true" } else { "false" }}
                        aria-disabled={disabled.then_some("true")}
                        aria-describedby={env.id(&["c-", &id].concat())} {onclick}>
                        {self.t(Key::Attend)}
                    </button>
                    <span class="mekaar-attend-count" id={env.id(&["c-", &id].concat())}>
                        {count_text(lang, m)}
                    </span>
                    <a class="mekaar-ics" href={ics} download={[m.id.as_str(), ".ics"].concat()}>
                        {self.t(Key::AddToCalendar)}
                        <span class="mekaar-sr">{[": ", &m.title].concat()}</span>
                    </a>
                    if attending {
                        <p class="mekaar-attending">{self.t(Key::AttendingNote)}</p>
                    }
                </div>
            }
        };
        let manage = (s.initiator && !past).then(|| {
            let edit = {
                let m = m.clone();
                self.act(move || Action::Open(Some(Draft::of(&m))))
            };
            let off = {
                let id = id.clone();
                self.on.reform(move |_| Msg::CallOff(id.clone()))
            };
            html! {
                <div class="mekaar-row mekaar-meeting-manage">
                    if !m.cancelled {
                        <button type="button" class="mekaar-button mekaar-edit-meeting"
                            id={env.id(&["b-edit-", &id].concat())} onclick={edit}>
                            {self.t(Key::Edit)}<span class="mekaar-sr">{[": ", &m.title].concat()}</span>
                        </button>
                    }
                    <button type="button" class="mekaar-button mekaar-call-off"
                        id={env.id(&["b-off-", &id].concat())} onclick={off}
                        aria-disabled={busy.then_some("true")}>
                        {self.t(if m.cancelled { Key::Reinstate } else { Key::CallOff })}
                        <span class="mekaar-sr">{[": ", &m.title].concat()}</span>
                    </button>
                </div>
            }
        });
        let notice = s.notice.as_ref().filter(|n| n.at == id).map(|n| {
            html! {
                <p class={classes!("mekaar-notice", n.alert.then_some("mekaar-message"))}
                    id={env.id(&["m-", &id].concat())}
                    role={if n.alert { "alert" } else { "status" }}>{n.text.clone()}</p>
            }
        });
        let editing = s
            .draft
            .as_ref()
            .filter(|d| d.id.as_deref() == Some(id.as_str()));
        html! {
            <li key={id.clone()} class="mekaar-meeting" data-id={id.clone()}
                data-cancelled={m.cancelled.then_some("true")} id={env.id(&["mt-", &id].concat())}
                tabindex="-1">
                {self.tile(m.starts_at)}
                <div class="mekaar-meeting-body">
                    {heading(title_level, "mekaar-meeting-title", None, html! {
                        <>
                            {m.title.clone()}
                            if m.cancelled {
                                {" "}<span class="mekaar-cancelled">{self.t(Key::Cancelled)}</span>
                            }
                        </>
                    })}
                    if agenda && !m.cancelled && !past {
                        <p class="mekaar-meeting-of">{self.initiative_link(m, None)}</p>
                    } else if agenda {
                        <p class="mekaar-meeting-of">{m.initiative_title.clone()}</p>
                    }
                    <p class="mekaar-meeting-when">{when}</p>
                    if m.place.is_some() || m.online_url.is_some() {
                        <p class="mekaar-meeting-where">{where_}</p>
                    }
                    if !agenda && !m.description.trim().is_empty() && !past {
                        <div class="mekaar-meeting-description">
                            {for crate::text::paragraphs(&m.description).into_iter().enumerate().map(|(i, p)| html! {
                                <p key={i} class="mekaar-text">{p}</p>
                            })}
                        </div>
                    }
                    {actions}
                    if past && agenda {
                        <p>{self.initiative_link(m, Some(Key::PastNews))}</p>
                    }
                    {for manage}
                    {for notice}
                    {for editing.map(|d| self.form(d))}
                </div>
            </li>
        }
    }

    fn past(&self) -> Html {
        let (s, env) = (self.s, self.env);
        let Some(list) = &s.list else {
            return Html::default();
        };
        if list.past.is_empty() {
            return Html::default();
        }
        let label = fill_in(
            self.t(Key::Past),
            &number(self.lang(), list.past.len() as u64),
            "",
        );
        html! {
            <div class="mekaar-past-block">
                <button type="button" class="mekaar-button mekaar-past-toggle" id={env.id("b-past")}
                    aria-expanded={if s.past_open { "true" } else { "false" }}
                    aria-controls={env.id("past")} onclick={self.act(|| Action::TogglePast)}>
                    {label}
                </button>
                <ul class="mekaar-meeting-list mekaar-past" id={env.id("past")} hidden={!s.past_open}>
                    if s.past_open {
                        {for list.past.iter().map(|m| self.meeting(m, true))}
                    }
                </ul>
            </div>
        }
    }

    fn initiator_bar(&self) -> Html {
        let (s, env) = (self.s, self.env);
        let adding = s.draft.as_ref().is_some_and(|d| d.id.is_none());
        html! {
            <div class="mekaar-initiator">
                if adding {
                    {for s.draft.as_ref().map(|d| self.form(d))}
                } else {
                    <button type="button" class="mekaar-button mekaar-primary mekaar-add-meeting"
                        id={env.id("b-add")} onclick={self.act(|| Action::Open(Some(Draft::default())))}>
                        {self.t(Key::Add)}
                    </button>
                }
            </div>
        }
    }

    fn form(&self, d: &Draft) -> Html {
        let (env, lang) = (self.env, self.lang());
        let onsubmit = self.on.reform(|e: SubmitEvent| {
            e.prevent_default();
            Msg::Send
        });
        let onkeydown = {
            let on = self.on.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    on.emit(Msg::Do(Action::Open(None)));
                }
            })
        };
        let field = |f: F,
                     label: Key,
                     kind: &'static str,
                     hint: Option<Key>,
                     max: Option<usize>| {
            let id = env.id(&["f-", f.name()].concat());
            let error_id = env.id(&["e-", f.name()].concat());
            let hint_id = env.id(&["h-", f.name()].concat());
            let wrong = d.wrong(f);
            let described: Vec<&str> = [
                hint.map(|_| hint_id.as_str()),
                wrong.map(|_| error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            let described = (!described.is_empty()).then(|| described.join(" "));
            let oninput = self
                .on
                .reform(move |e: InputEvent| Msg::Do(Action::Input(f, value_of(&e))));
            let required = matches!(f, F::Title | F::Date | F::Start | F::End);
            let input = if kind == "textarea" {
                html! {
                    <textarea id={id.clone()} name={f.name()} rows="4"
                        maxlength={max.map(|m| m.to_string())} value={d.get(f).to_owned()}
                        {oninput} aria-invalid={wrong.is_some().then_some("true")}
                        aria-describedby={described} />
                }
            } else {
                html! {
                    <input type={kind} id={id.clone()} name={f.name()} value={d.get(f).to_owned()}
                        maxlength={max.map(|m| m.to_string())} {oninput}
                        required={required} min={(f == F::Capacity).then_some("1")}
                        inputmode={(f == F::Capacity).then_some("numeric")}
                        aria-invalid={wrong.is_some().then_some("true")}
                        aria-describedby={described} />
                }
            };
            html! {
                <div class={classes!("mekaar-field", ["mekaar-field-", f.name()].concat())}>
                    <label for={id}>{t(lang, label)}</label>
                    {input}
                    if let Some(hint) = hint {
                        <p class="mekaar-hint" id={hint_id}>{t(lang, hint)}</p>
                    }
                    if let Some(w) = wrong {
                        <p class="mekaar-error" id={error_id}>{w.text(lang)}</p>
                    }
                </div>
            }
        };
        let title_key = if d.id.is_some() {
            Key::EditMeeting
        } else {
            Key::NewMeeting
        };
        let form_title = env.id("form-title");
        html! {
            <form class="mekaar-form mekaar-meeting-form" novalidate=true {onsubmit} {onkeydown}
                aria-labelledby={form_title.clone()} aria-busy={d.sending.then_some("true")}>
                {heading(env.level(1), "mekaar-form-title", Some(form_title), html! { t(lang, title_key) })}
                {field(F::Title, Key::FTitle, "text", None, Some(limits::TITLE))}
                <div class="mekaar-when-fields">
                    {field(F::Date, Key::FDate, "date", None, None)}
                    {field(F::Start, Key::FStart, "time", None, None)}
                    {field(F::End, Key::FEnd, "time", None, None)}
                </div>
                <p class="mekaar-hint">{t(lang, Key::TimesDutch)}</p>
                {field(F::Place, Key::FPlace, "text", Some(Key::FPlaceHint), Some(limits::PLACE))}
                {field(F::Online, Key::FOnline, "url", None, Some(limits::URL))}
                {field(F::Capacity, Key::FCapacity, "number", Some(Key::FCapacityHint), None)}
                {field(F::Description, Key::FDescription, "textarea", None, Some(limits::DESCRIPTION))}
                <p class="mekaar-message mekaar-form-failure" id={env.id("f-failure")} tabindex="-1"
                    role="alert" hidden={d.failure.is_none()}>
                    {d.failure.clone().unwrap_or_default()}
                </p>
                <div class="mekaar-row">
                    <button type="submit" class="mekaar-button mekaar-primary mekaar-save" id={env.id("b-save")}
                        aria-disabled={d.sending.then_some("true")}>
                        {t(lang, if d.sending { Key::Saving } else { Key::Save })}
                    </button>
                    <button type="button" class="mekaar-button mekaar-cancel" id={env.id("b-close")}
                        onclick={self.act(|| Action::Open(None))}>{t(lang, Key::Close)}</button>
                </div>
            </form>
        }
    }
}

fn value_of(e: &InputEvent) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| {
            t.dyn_ref::<web_sys::HtmlTextAreaElement>()
                .map(|x| x.value())
                .or_else(|| t.dyn_ref::<web_sys::HtmlInputElement>().map(|x| x.value()))
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::tests::{board, upcoming, SAT_20};
    use crate::widget::ssr::render;
    use crate::widget::tests::env;
    use mekaar_api::meetings::MeetingList;
    use mekaar_api::CommunityPublic;

    fn html(s: &Board) -> String {
        let s = s.clone();
        let env = Rc::new(env());
        render(move || view(&s, &env, &Callback::noop(), NodeRef::default()))
    }

    fn community() -> CommunityPublic {
        CommunityPublic {
            slug: "demodorp".into(),
            name: "Demodorp".into(),
            languages: vec![],
            areas: vec!["Kerkdorp".into(), "Kloosterbuurt".into()],
            themes: vec![],
            support_threshold: 50,
            moderation: Default::default(),
            initiatives_page: Some("https://www.dorp.example/initiatieven".into()),
            mail: false,
        }
    }

    #[test]
    fn the_agenda_groups_by_day_with_tiles_links_counts_and_calendar_links() {
        let mut a = upcoming("a", SAT_20);
        a.place = Some("Dorpshuis, Kerkstraat 4".into());
        a.capacity = Some(15);
        a.attendee_count = 12;
        let mut off = upcoming("off", SAT_20 + 3_600);
        off.cancelled = true;
        off.online_url = Some("https://meet.example/off".into());
        off.title = "Schouw".into();
        let mut b = upcoming("b", SAT_20 + 86_400);
        b.online_url = Some("https://meet.example/x".into());
        let mut s = board(Scope::Agenda, vec![b, off, a]);
        s.apply(Action::Community(community()));
        s.attending.push("a".into());
        let h = html(&s);
        assert!(h.contains("data-scope=\"agenda\""), "{h}");
        assert!(h.contains(">Agenda<"), "{h}");
        assert!(h.contains("zaterdag 12 december"), "{h}");
        assert!(h.contains("zondag 13 december"), "{h}");
        assert!(h.contains("class=\"mekaar-tile-weekday\">za<"), "{h}");
        assert!(h.contains("class=\"mekaar-tile-month\">dec<"), "{h}");
        assert!(h.find("zaterdag 12").unwrap() < h.find("zondag 13").unwrap());
        assert!(h.contains("12 komen · nog 3 plaatsen"), "{h}");
        assert!(h.contains("aria-pressed=\"true\""), "{h}");
        assert!(h.contains("Je komt. Nog eens klikken"), "{h}");
        assert!(
            h.contains("href=\"https://www.dorp.example/initiatieven#mekaar-i=aed\""),
            "the initiative's detail, as cards link it: {h}"
        );
        assert!(
            h.contains("href=\"https://m.example/api/v1/communities/demodorp/meetings/a.ics\""),
            "{h}"
        );
        assert!(
            h.contains("href=\"webcal://m.example/api/v1/communities/demodorp/meetings.ics\""),
            "{h}"
        );
        assert!(h.contains("Meedoen via internet"), "{h}");
        // Called off: marked, nothing to press.
        assert!(h.contains("data-cancelled=\"true\""), "{h}");
        assert!(h.contains("Afgelast"), "{h}");
        assert!(!h.contains("id=\"mekaar-7-a-off\""), "{h}");
        assert!(!h.contains("meetings/off.ics"), "{h}");
        assert_eq!(
            h.matches("href=\"https://meet.example/x\"").count(),
            1,
            "{h}"
        );
        assert!(
            !h.contains("href=\"https://meet.example/off\""),
            "not clickable: {h}"
        );
        // Areas.
        assert!(h.contains("Alle buurten"), "{h}");
        assert!(h.contains(">Kloosterbuurt<"), "{h}");
        // No initiator tools for residents.
        assert!(!h.contains("Bijeenkomst toevoegen"), "{h}");
    }

    #[test]
    fn past_meetings_fold_away_with_a_link_to_the_news() {
        let mut s = board(Scope::Agenda, vec![]);
        s.list = Some(MeetingList {
            upcoming: vec![],
            past: vec![upcoming("old", SAT_20 - 30 * 86_400)],
        });
        let h = html(&s);
        assert!(
            h.contains("Er staan nog geen bijeenkomsten gepland."),
            "{h}"
        );
        assert!(h.contains("Eerdere bijeenkomsten (1)"), "{h}");
        assert!(h.contains("aria-expanded=\"false\""), "{h}");
        assert!(!h.contains("Nieuws van"), "{h}");
        s.apply(Action::TogglePast);
        let h = html(&s);
        assert!(h.contains("aria-expanded=\"true\""), "{h}");
        assert!(h.contains("Nieuws van AED bij de kerk"), "{h}");
        assert!(!h.contains("mekaar-attend"), "no ik kom for the past: {h}");
        s.area = "Kerkdorp".into();
        s.list.as_mut().unwrap().past.clear();
        assert!(html(&s).contains("Geen bijeenkomsten gepland in deze buurt."));
    }

    #[test]
    fn an_initiatives_meetings_hide_while_there_are_none_but_not_for_its_initiator() {
        let s = board(Scope::Initiative, vec![]);
        let h = html(&s);
        assert!(h.contains("hidden"), "{h}");
        let mut s = board(Scope::Initiative, vec![upcoming("m", SAT_20)]);
        let h = html(&s);
        assert!(!h.contains(" hidden"), "{h}");
        assert!(h.contains(">Bijeenkomsten<"), "{h}");
        assert!(h.contains("zaterdag 12 december, 20:00 – 22:00"), "{h}");
        assert!(
            h.contains(
                "webcal://m.example/api/v1/communities/demodorp/initiatives/aed/meetings.ics"
            ),
            "{h}"
        );
        s.initiator = true;
        let h = html(&s);
        assert!(h.contains("Bijeenkomst toevoegen"), "{h}");
        assert!(h.contains("id=\"mekaar-7-b-edit-m\""), "{h}");
        assert!(h.contains(">Afgelasten<"), "{h}");
        let mut empty = board(Scope::Initiative, vec![]);
        empty.initiator = true;
        assert!(
            !html(&empty).contains(" hidden=\""),
            "the initiator adds the first"
        );
    }

    #[test]
    fn the_form_shows_errors_at_their_fields() {
        let mut s = board(Scope::Initiative, vec![]);
        s.initiator = true;
        s.apply(Action::Open(Some(Draft::default())));
        s.apply(Action::Submit(SAT_20));
        let h = html(&s);
        assert!(h.contains("Nieuwe bijeenkomst"), "{h}");
        assert!(h.contains("type=\"date\""), "{h}");
        assert!(h.contains("type=\"time\""), "{h}");
        assert!(h.contains("Tijden in Nederlandse tijd."), "{h}");
        assert!(h.contains("id=\"mekaar-7-e-title\""), "{h}");
        assert!(h.contains("aria-describedby=\"mekaar-7-e-title\""), "{h}");
        assert!(h.contains("Vul een plaats of een link in."), "{h}");
        assert!(h.contains("aria-invalid=\"true\""), "{h}");
        assert!(
            !h.contains("Bijeenkomst toevoegen"),
            "the form replaces the button: {h}"
        );
    }
}
