//! The discussion widget's view: `html!` from the pure [`Talk`], natively rendered in the
//! unit tests below.
//!
//! DOM inside the shadow root (stable, for end-to-end tests; every id is the widget's own,
//! `mekaar-{uid}-{name}`, written here by its name):
//! - root `.mekaar-root.mekaar-discussion` with `data-kind` (topic | poll | initiative) and
//!   `data-state` = loading | ready | error; a failure is `.mekaar-message[role=alert]`
//!   with `.mekaar-retry` when retrying may help.
//! - `.mekaar-thread-title` (`title`), `.mekaar-intro`, `.mekaar-closed`,
//!   `.mekaar-reactions-title` ("Reacties (n)", `list-title`);
//! - `form.mekaar-react-form`: `textarea[name=text]` (`f-text`) with `.mekaar-counter`
//!   (`count-text`), `input[name=name]` (`f-name`), radios `input[name=stance]`, the
//!   honeypot `.mekaar-hp input[name=website]`, `button.mekaar-send` (`b-send`),
//!   `.mekaar-form-status` (`form-status`);
//! - `.mekaar-live[role=status]` (`live`): "2 nieuwe reacties";
//! - `select.mekaar-filter-stance` (`f-filter`), `select.mekaar-sort` (`f-sort`);
//! - `ul.mekaar-reactions > li.mekaar-reaction[data-id][data-state]` (`r-{id}`), with
//!   `.mekaar-reaction-name`, `.mekaar-badge[data-badge]`, `.mekaar-stance[data-stance]`,
//!   `.mekaar-edited`, `.mekaar-pending`, `.mekaar-reaction-text`, buttons
//!   `.mekaar-agree[aria-pressed]` (`a-{id}`), `.mekaar-reply-button`,
//!   `.mekaar-edit-button`, `.mekaar-delete-button`, `.mekaar-report-button`; the open
//!   box `form.mekaar-open-form[data-open=reply|edit|report]` with its `textarea` (`o-{id}`)
//!   and `.mekaar-open-send`; `.mekaar-notice` (`m-{id}`); replies in
//!   `ul.mekaar-replies > li.mekaar-reaction`;
//! - `button.mekaar-more` (`b-more`).

use crate::discussion::{failure_text, field_text, stance_key, state_name, Action, Open, Talk};
use crate::i18n::talk::{t, Key};
use crate::i18n::{datetime, fill_in, number, Lang};
use crate::widget::{heading, Env};
use mekaar_api::discussions::{
    limits, Badge, Reaction, ReactionSort, ReactionState, Stance, ThreadKind,
};
use std::rc::Rc;
use yew::prelude::*;

/// What a resident did that needs the browser (the rest are [`Action`]s).
#[derive(Debug)]
pub enum Msg {
    Do(Action),
    /// The form's submit.
    Send,
    /// The open box's send button.
    SendOpen,
    Agree(String),
    Delete(String),
}

/// Plain text as paragraphs, with http(s) addresses as links that pass no ranking
/// (`rel="nofollow ugc noopener"`) and open elsewhere. Never HTML.
pub fn text(text: &str) -> Html {
    let paragraphs =
        crate::text::paragraphs(text)
            .into_iter()
            .enumerate()
            .map(|(i, para)| {
                let pieces = crate::text::linkify(&para).into_iter().map(|(link, piece)| {
                if link {
                    html! {
                        <a href={piece.to_owned()} rel="nofollow ugc noopener" target="_blank">
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

/// "12 van 2.000 tekens".
pub fn char_count(lang: Lang, text: &str) -> String {
    fill_in(
        t(lang, Key::CharCount),
        &number(lang, text.chars().count() as u64),
        &number(lang, limits::TEXT as u64),
    )
}

fn kind_name(kind: ThreadKind) -> &'static str {
    kind.as_str()
}

/// The widget: its root `.mekaar-root` (with `root` as its node ref).
pub fn view(s: &Talk, env: &Rc<Env>, on: &Callback<Msg>, root: NodeRef) -> Html {
    let v = V { s, env, on };
    let (state, body) = v.body();
    html! {
        <div ref={root} class="mekaar-root mekaar-discussion" lang={env.lang.tag()}
            data-theme={env.theme_attr()} data-state={state}
            data-kind={s.thread.as_ref().map(|t| kind_name(t.kind))}>
            {body}
            <p class="mekaar-sr mekaar-live" role="status" id={env.id("live")}>
                {s.announce.1.clone()}
            </p>
        </div>
    }
}

struct V<'a> {
    s: &'a Talk,
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

    fn button(
        &self,
        class: &'static str,
        name: String,
        label: Html,
        onclick: Callback<MouseEvent>,
    ) -> Html {
        html! {
            <button type="button" class={classes!("mekaar-button", class)}
                id={self.env.id(&name)} {onclick}>{label}</button>
        }
    }

    fn body(&self) -> (&'static str, Html) {
        let s = self.s;
        match (&s.thread, &s.failure) {
            (None, Some(f)) => (
                "error",
                html! {
                    <>
                        <p class="mekaar-message" role="alert">{failure_text(self.lang(), f)}</p>
                        if f.problem.retryable() {
                            {self.button("mekaar-retry", "b-retry".into(),
                                html! { crate::i18n::t(self.lang(), crate::i18n::Key::Retry) },
                                self.act(|| Action::Retry))}
                        }
                    </>
                },
            ),
            (None, None) => (
                "loading",
                html! { <p class="mekaar-loading">{crate::i18n::t(self.lang(), crate::i18n::Key::Loading)}</p> },
            ),
            (Some(_), _) => ("ready", self.ready()),
        }
    }

    fn ready(&self) -> Html {
        let (s, env, lang) = (self.s, self.env, self.lang());
        let Some(thread) = &s.thread else {
            return Html::default();
        };
        let count = fill_in(
            self.t(Key::ReactionsCount),
            &number(lang, thread.reaction_count),
            "",
        );
        let topic = thread.kind == ThreadKind::Topic;
        let header = if topic {
            html! {
                <>
                    {heading(env.heading, "mekaar-thread-title", Some(env.id("title")),
                        html! { thread.title.clone() })}
                    if !thread.intro.trim().is_empty() {
                        <div class="mekaar-intro">{text(&thread.intro)}</div>
                    }
                </>
            }
        } else {
            Html::default()
        };
        let list_level = if topic { env.level(1) } else { env.heading };
        let closes = thread.closes_at.filter(|_| thread.open).map(|at| {
            html! {
                <p class="mekaar-hint mekaar-closes">
                    {fill_in(self.t(Key::ClosesOn), &datetime(lang, at), "")}
                </p>
            }
        });
        let refresh_failure = s.failure.as_ref().map(|f| {
            html! { <p class="mekaar-message" role="alert">{failure_text(lang, f)}</p> }
        });
        let general = s
            .notice
            .as_ref()
            .filter(|n| n.at.as_deref() == Some(""))
            .map(|n| html! { <p class="mekaar-message" role="alert">{n.text.clone()}</p> });
        html! {
            <>
                {header}
                {heading(list_level, "mekaar-reactions-title", Some(env.id("list-title")),
                    html! { count })}
                if thread.open {
                    {for closes}
                    {self.form()}
                } else {
                    <p class="mekaar-closed">{self.t(Key::Closed)}</p>
                    {self.status()}
                }
                {for refresh_failure}
                {self.controls()}
                {self.list()}
                {for general}
                if s.has_more() {
                    {self.button("mekaar-more", "b-more".into(), html! { self.t(Key::More) },
                        self.act(|| Action::More))}
                }
            </>
        }
    }

    /// The form's status line (`form-status`): confirmations and refusals of the form.
    fn status(&self) -> Html {
        let notice = self.s.notice.as_ref().filter(|n| n.at.is_none());
        html! {
            <p class={classes!("mekaar-form-status", notice.filter(|n| n.alert).map(|_| "mekaar-message"))}
                id={self.env.id("form-status")} tabindex="-1"
                role={if notice.is_some_and(|n| n.alert) { "alert" } else { "status" }}>
                {notice.map(|n| n.text.clone()).unwrap_or_default()}
            </p>
        }
    }

    fn form(&self) -> Html {
        let (s, env, lang) = (self.s, self.env, self.lang());
        let on = self.on;
        let text_id = env.id("f-text");
        let count_id = env.id("count-text");
        let error_id = env.id("e-text");
        let described = if s.error.is_some() {
            [count_id.as_str(), " ", error_id.as_str()].concat()
        } else {
            count_id.to_string()
        };
        let stances = s.thread.as_ref().is_some_and(|t| t.stances);
        let oninput_text = on.reform(|e: InputEvent| Msg::Do(Action::Text(value_of(&e))));
        let oninput_name = on.reform(|e: InputEvent| Msg::Do(Action::Name(value_of(&e))));
        let oninput_site = on.reform(|e: InputEvent| Msg::Do(Action::Website(value_of(&e))));
        let onsubmit = on.reform(|e: SubmitEvent| {
            e.prevent_default();
            Msg::Send
        });
        let stance_radio = |stance: Option<Stance>| {
            let name = stance.map_or("none", |s| s.as_str());
            let id = env.id(&["f-stance-", name].concat());
            let label = stance.map_or(self.t(Key::NoStance), |s| self.t(stance_key(s)));
            let onchange = on.reform(move |_: Event| Msg::Do(Action::Stance(stance)));
            html! {
                <label class="mekaar-choice" for={id.clone()} key={name}>
                    <input type="radio" name="stance" id={id} value={name}
                        checked={s.stance == stance} {onchange} />
                    {label}
                </label>
            }
        };
        html! {
            <form class="mekaar-form mekaar-react-form" novalidate=true {onsubmit}
                aria-busy={s.sending.then_some("true")}>
                <div class="mekaar-field">
                    <label for={text_id.clone()}>{self.t(Key::YourReaction)}</label>
                    <textarea id={text_id} name="text" rows="4" maxlength={limits::TEXT.to_string()}
                        value={s.text.clone()} oninput={oninput_text}
                        aria-invalid={s.error.is_some().then_some("true")}
                        aria-describedby={described} />
                    <p class="mekaar-hint mekaar-counter" id={count_id}>{char_count(lang, &s.text)}</p>
                    if let Some(e) = s.error {
                        <p class="mekaar-error" id={error_id}>{field_text(lang, e)}</p>
                    }
                </div>
                <div class="mekaar-field">
                    <label for={env.id("f-name")}>{self.t(Key::Name)}</label>
                    <input type="text" id={env.id("f-name")} name="name" autocomplete="nickname"
                        maxlength={limits::DISPLAY_NAME.to_string()} value={s.name.clone()}
                        oninput={oninput_name} aria-describedby={env.id("hint-name")} />
                    <p class="mekaar-hint" id={env.id("hint-name")}>{self.t(Key::NameHint)}</p>
                </div>
                if stances {
                    <fieldset class="mekaar-field mekaar-stances">
                        <legend>{self.t(Key::StanceLabel)}</legend>
                        <div class="mekaar-choices mekaar-stance-choices">
                            {stance_radio(None)}
                            {for Stance::ALL.into_iter().map(|st| stance_radio(Some(st)))}
                        </div>
                    </fieldset>
                }
                // The honeypot: off-screen, out of the tab order and the accessibility tree.
                <div class="mekaar-field mekaar-hp" aria-hidden="true">
                    <label for={env.id("f-website")}>{self.t(Key::Website)}</label>
                    <input type="text" id={env.id("f-website")} name="website" tabindex="-1"
                        autocomplete="off" value={s.website.clone()} oninput={oninput_site} />
                </div>
                <button type="submit" class="mekaar-button mekaar-primary mekaar-send"
                    id={env.id("b-send")}>
                    {self.t(if s.sending { Key::Sending } else { Key::Send })}
                </button>
                {self.status()}
            </form>
        }
    }

    fn controls(&self) -> Html {
        let (s, env) = (self.s, self.env);
        let stances = s.thread.as_ref().is_some_and(|t| t.stances);
        let onsort = self.on.reform(|e: Event| {
            let sort = match select_value(&e).as_str() {
                "oldest" => ReactionSort::Oldest,
                "agreed" => ReactionSort::Agreed,
                _ => ReactionSort::Newest,
            };
            Msg::Do(Action::Sort(sort))
        });
        let onfilter = self
            .on
            .reform(|e: Event| Msg::Do(Action::Filter(Stance::parse(&select_value(&e)))));
        let sorts = [
            (ReactionSort::Newest, Key::Newest),
            (ReactionSort::Oldest, Key::Oldest),
            (ReactionSort::Agreed, Key::Agreed),
        ];
        html! {
            <div class="mekaar-row mekaar-list-controls">
                if stances {
                    <div class="mekaar-field">
                        <label for={env.id("f-filter")}>{self.t(Key::Show)}</label>
                        <select id={env.id("f-filter")} class="mekaar-filter-stance" onchange={onfilter}>
                            <option value="" selected={s.query.stance.is_none()}>{self.t(Key::AllStances)}</option>
                            {for Stance::ALL.into_iter().map(|st| html! {
                                <option value={st.as_str()} selected={s.query.stance == Some(st)}>
                                    {self.t(stance_key(st))}
                                </option>
                            })}
                        </select>
                    </div>
                }
                <div class="mekaar-field">
                    <label for={env.id("f-sort")}>{self.t(Key::Order)}</label>
                    <select id={env.id("f-sort")} class="mekaar-sort" onchange={onsort}>
                        {for sorts.into_iter().map(|(sort, key)| html! {
                            <option value={sort.as_str()} selected={s.query.sort == sort}>{self.t(key)}</option>
                        })}
                    </select>
                </div>
            </div>
        }
    }

    fn list(&self) -> Html {
        let s = self.s;
        if s.reactions.is_empty() {
            let key = if s.query.stance.is_some() {
                Key::EmptyFiltered
            } else {
                Key::Empty
            };
            return html! { <p class="mekaar-empty">{self.t(key)}</p> };
        }
        html! {
            <ul class="mekaar-reactions" aria-labelledby={self.env.id("list-title")}>
                {for s.reactions.iter().map(|r| self.reaction(r, true))}
            </ul>
        }
    }

    fn reaction(&self, r: &Reaction, top: bool) -> Html {
        let (s, env, lang) = (self.s, self.env, self.lang());
        let id = r.id.clone();
        let removed = r.state == ReactionState::Removed;
        let published = r.state == ReactionState::Published;
        let name = if r.name.trim().is_empty() {
            self.t(Key::Resident).to_owned()
        } else {
            r.name.clone()
        };
        let busy = s.busy.contains(&r.id);
        let badge = r.badge.map(|b| {
            let (attr, key) = match b {
                Badge::Initiator => ("initiator", Key::Initiator),
                Badge::Municipality => ("municipality", Key::Municipality),
            };
            html! { <span class="mekaar-badge" data-badge={attr}>{self.t(key)}</span> }
        });
        let stance = r.stance.map(|st| {
            html! { <span class="mekaar-stance" data-stance={st.as_str()}>{self.t(stance_key(st))}</span> }
        });
        let editable = s.editable(r);
        let open_here = s.open.as_ref().filter(|o| o.id() == r.id);
        let reported = s.reported.contains(&r.id);
        let agree = {
            let id = id.clone();
            self.on.reform(move |_| Msg::Agree(id.clone()))
        };
        let actions = if removed {
            Html::default()
        } else {
            let agree_label = html! {
                <>
                    {self.t(Key::Agree)}{" "}
                    <span class="mekaar-agree-count">{["(", &number(lang, r.agree_count), ")"].concat()}</span>
                </>
            };
            let reply = {
                let id = id.clone();
                self.act(move || Action::Open(Some(Open::Reply(id.clone(), String::new()))))
            };
            let edit = {
                let (id, text) = (id.clone(), r.text.clone());
                self.act(move || Action::Open(Some(Open::Edit(id.clone(), text.clone()))))
            };
            let delete = {
                let id = id.clone();
                self.on.reform(move |_| Msg::Delete(id.clone()))
            };
            let report = {
                let id = id.clone();
                self.act(move || Action::Open(Some(Open::Report(id.clone(), String::new()))))
            };
            html! {
                <div class="mekaar-row mekaar-reaction-actions">
                    if published {
                        <button type="button" class="mekaar-button mekaar-agree"
                            id={env.id(&["a-", &id].concat())}
                            aria-pressed={if r.agreed { "true" } else { "false" }}
                            aria-disabled={busy.then_some("true")} onclick={agree}>
                            {agree_label}
                        </button>
                        if top && s.open_thread() {
                            {self.button("mekaar-reply-button", ["b-reply-", &id].concat(),
                                html! { self.t(Key::Reply) }, reply)}
                        }
                    }
                    if editable {
                        {self.button("mekaar-edit-button", ["b-edit-", &id].concat(),
                            html! { self.t(Key::Edit) }, edit)}
                        {self.button("mekaar-delete-button", ["b-delete-", &id].concat(),
                            html! { self.t(Key::Delete) }, delete)}
                    } else if published && !reported {
                        {self.button("mekaar-report-button", ["b-report-", &id].concat(),
                            html! { self.t(Key::Report) }, report)}
                    }
                </div>
            }
        };
        let notice = s
            .notice
            .as_ref()
            .filter(|n| n.at.as_deref() == Some(r.id.as_str()))
            .map(|n| {
                html! {
                    <p class={classes!("mekaar-notice", n.alert.then_some("mekaar-message"))}
                        id={env.id(&["m-", &id].concat())} tabindex="-1"
                        role={if n.alert { "alert" } else { "status" }}>{n.text.clone()}</p>
                }
            });
        html! {
            <li key={r.id.clone()} class="mekaar-reaction" data-id={r.id.clone()}
                data-state={state_name(r.state)} id={env.id(&["r-", &id].concat())} tabindex="-1">
                <p class="mekaar-reaction-head">
                    <span class="mekaar-reaction-name">{if removed { String::new() } else { name.clone() }}</span>
                    {for badge}
                    {for stance}
                    <span class="mekaar-when">{datetime(lang, r.created_at)}</span>
                    if r.edited && !removed {
                        <span class="mekaar-edited">{self.t(Key::Edited)}</span>
                    }
                </p>
                if r.state == ReactionState::Pending {
                    <p class="mekaar-pending">{self.t(Key::Pending)}</p>
                }
                if removed {
                    <p class="mekaar-removed">{self.t(Key::Removed)}</p>
                } else {
                    <div class="mekaar-reaction-text">{text(&r.text)}</div>
                }
                if let (true, Some(until)) = (editable, r.editable_until) {
                    <p class="mekaar-hint mekaar-editable">
                        {fill_in(self.t(Key::EditUntil), &datetime(lang, until), "")}
                    </p>
                }
                {actions}
                {for notice}
                {for open_here.map(|o| self.open_box(o, &name))}
                if !r.replies.is_empty() {
                    <ul class="mekaar-replies">
                        {for r.replies.iter().map(|x| self.reaction(x, false))}
                    </ul>
                }
            </li>
        }
    }

    /// The box under a reaction: a reply, an edit of one's own, or a report.
    fn open_box(&self, open: &Open, name: &str) -> Html {
        let (s, env, lang) = (self.s, self.env, self.lang());
        let id = open.id().to_owned();
        let (kind, label, send) = match open {
            Open::Reply(..) => (
                "reply",
                fill_in(self.t(Key::ReplyTo), name, ""),
                Key::SendReply,
            ),
            Open::Edit(..) => ("edit", self.t(Key::EditLabel).to_owned(), Key::Save),
            Open::Report(..) => (
                "report",
                self.t(Key::ReportReason).to_owned(),
                Key::SendReport,
            ),
        };
        let field = env.id(&["o-", &id].concat());
        let count = env.id(&["oc-", &id].concat());
        let error = env.id(&["oe-", &id].concat());
        let report = matches!(open, Open::Report(..));
        let described = match (report, s.open_error.is_some()) {
            (true, _) => None,
            (false, false) => Some(count.to_string()),
            (false, true) => Some([count.as_str(), " ", error.as_str()].concat()),
        };
        let onsubmit = self.on.reform(|e: SubmitEvent| {
            e.prevent_default();
            Msg::SendOpen
        });
        let onkeydown = {
            let on = self.on.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    on.emit(Msg::Do(Action::Open(None)));
                }
            })
        };
        let oninput = self
            .on
            .reform(|e: InputEvent| Msg::Do(Action::OpenText(value_of(&e))));
        let busy = s.busy.contains(&id);
        html! {
            <form class="mekaar-form mekaar-open-form" data-open={kind} novalidate=true {onsubmit}
                {onkeydown} aria-busy={busy.then_some("true")}>
                <div class="mekaar-field">
                    <label for={field.clone()}>{label}</label>
                    <textarea id={field} rows="3"
                        maxlength={(if report { mekaar_api::limits::REASON } else { limits::TEXT }).to_string()}
                        value={open.text().to_owned()} {oninput}
                        aria-invalid={s.open_error.is_some().then_some("true")}
                        aria-describedby={described} />
                    if !report {
                        <p class="mekaar-hint mekaar-counter" id={count}>{char_count(lang, open.text())}</p>
                    }
                    if let Some(e) = s.open_error {
                        <p class="mekaar-error" id={error}>{field_text(lang, e)}</p>
                    }
                </div>
                <div class="mekaar-row">
                    <button type="submit" class="mekaar-button mekaar-primary mekaar-open-send"
                        id={env.id(&["b-open-", &id].concat())}>{self.t(send)}</button>
                    {self.button("mekaar-cancel", ["b-cancel-", &id].concat(),
                        html! { self.t(Key::Cancel) }, self.act(|| Action::Open(None)))}
                </div>
            </form>
        }
    }
}

/// The value of the input or textarea an event came from.
fn value_of(e: &InputEvent) -> String {
    value_of_target(e)
}

fn value_of_target(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| {
            t.dyn_ref::<web_sys::HtmlTextAreaElement>()
                .map(|x| x.value())
                .or_else(|| t.dyn_ref::<web_sys::HtmlInputElement>().map(|x| x.value()))
        })
        .unwrap_or_default()
}

fn select_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_ref::<web_sys::HtmlSelectElement>().map(|x| x.value()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discussion::tests::{loaded, reaction, view as thread_view};
    use crate::widget::ssr::render;
    use crate::widget::tests::env;

    fn html(s: &Talk) -> String {
        let s = s.clone();
        let env = Rc::new(env());
        render(move || view(&s, &env, &Callback::noop(), NodeRef::default()))
    }

    #[test]
    fn a_thread_with_form_reactions_and_replies() {
        let mut s = loaded(&["a", "b"], 3);
        let mut with_reply = reaction("a");
        with_reply.name = "Anna".into();
        with_reply.badge = Some(Badge::Initiator);
        with_reply.stance = Some(Stance::For);
        with_reply.text = "Zie https://example.org/plan. <script>x</script>".into();
        with_reply.agree_count = 2;
        with_reply.agreed = true;
        let mut reply = reaction("r");
        reply.reply_to = Some("a".into());
        reply.edited = true;
        reply.badge = Some(Badge::Municipality);
        with_reply.replies = vec![reply];
        s.reactions[0] = with_reply;
        let mut mine = reaction("mine");
        mine.state = ReactionState::Pending;
        mine.editable_until = Some(s.now + 600);
        s.reactions.push(mine);
        s.open = Some(Open::Reply("a".into(), "Half getypt".into()));
        s.announce = (1, "2 nieuwe reacties".into());
        let h = html(&s);
        assert!(h.contains("Reacties (3)"), "{h}");
        assert!(h.contains("data-kind=\"initiative\""), "{h}");
        assert!(h.contains("<h2 id=\"mekaar-7-list-title\""), "{h}");
        assert!(h.contains("0 van 2.000 tekens"), "{h}");
        assert!(h.contains("Leeg gelaten staat er"), "{h}");
        assert!(h.contains("name=\"stance\""), "{h}");
        assert!(h.contains("aria-hidden=\"true\""), "the honeypot: {h}");
        assert!(h.contains("tabindex=\"-1\" autocomplete=\"off\""), "{h}");
        // Names, badges, stances; a link, never HTML.
        assert!(h.contains(">Anna<"), "{h}");
        assert!(h.contains(">Inwoner<"), "{h}");
        assert!(
            h.contains("data-badge=\"initiator\" class=\"mekaar-badge\">Initiatiefnemer"),
            "{h}"
        );
        assert!(
            h.contains("data-badge=\"municipality\" class=\"mekaar-badge\">Gemeente"),
            "{h}"
        );
        assert!(
            h.contains("data-stance=\"for\" class=\"mekaar-stance\">Voor"),
            "{h}"
        );
        assert!(
            h.contains("<a href=\"https://example.org/plan\" rel=\"nofollow ugc noopener\" target=\"_blank\">"),
            "{h}"
        );
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(h.contains("aria-pressed=\"true\""), "{h}");
        assert!(h.contains("(2)"), "{h}");
        assert!(h.contains(">bewerkt<"), "{h}");
        // Own pending reaction: waits, editable, not reportable by its author.
        assert!(h.contains("Wacht op moderatie"), "{h}");
        assert!(h.contains("id=\"mekaar-7-b-edit-mine\""), "{h}");
        assert!(h.contains("id=\"mekaar-7-b-delete-mine\""), "{h}");
        assert!(!h.contains("id=\"mekaar-7-b-report-mine\""), "{h}");
        assert!(h.contains("id=\"mekaar-7-b-report-b\""), "{h}");
        // The reply box keeps what is typed; replies have no reply button.
        assert!(h.contains("Jouw antwoord aan Anna"), "{h}");
        assert!(h.contains("id=\"mekaar-7-o-a\""), "{h}");
        assert!(h.contains("id=\"mekaar-7-b-reply-a\""), "{h}");
        assert!(!h.contains("id=\"mekaar-7-b-reply-r\""), "{h}");
        assert!(h.contains("2 nieuwe reacties"), "{h}");
        // 3 published of page size 2: more.
        assert!(h.contains("Meer reacties"), "{h}");
    }

    #[test]
    fn a_closed_topic_and_an_empty_filtered_list() {
        let mut v = thread_view(&[], 0, 1, 0);
        v.thread.kind = ThreadKind::Topic;
        v.thread.title = "Moet de kermis terug?".into();
        v.thread.intro = "Het dorpsplein of de wei.".into();
        v.thread.open = false;
        v.thread.stances = false;
        let mut s = Talk::new(Lang::En, true);
        s.apply(Action::Loaded(Ok(vec![v]), None, false, 1));
        let h = html(&s);
        assert!(h.contains("<h2 id=\"mekaar-7-title\""), "{h}");
        assert!(h.contains("<h3 id=\"mekaar-7-list-title\""), "{h}");
        assert!(h.contains("Deze discussie is gesloten"), "{h}");
        assert!(!h.contains("mekaar-react-form"), "{h}");
        assert!(!h.contains("name=\"stance\""), "{h}");
        assert!(h.contains("Nog geen reacties"), "{h}");
        let mut s = loaded(&[], 0);
        s.query.stance = Some(Stance::Idea);
        assert!(html(&s).contains("Geen reacties met dit standpunt"));
    }

    #[test]
    fn failures_and_field_errors() {
        let mut s = Talk::new(Lang::Nl, true);
        s.apply(Action::Loaded(
            Err(crate::api::Problem::Unreachable.into()),
            None,
            false,
            0,
        ));
        let h = html(&s);
        assert!(h.contains("data-state=\"error\""), "{h}");
        assert!(h.contains("mekaar-retry"), "{h}");
        let mut s = loaded(&["a"], 1);
        s.apply(Action::Submit);
        let h = html(&s);
        assert!(h.contains("Schrijf eerst je reactie."), "{h}");
        assert!(h.contains("aria-invalid=\"true\""), "{h}");
    }
}
