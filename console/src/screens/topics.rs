//! Discussions (`#/topics`): the topics an editor opens for any page ("Moet de kermis terug
//! naar het dorpsplein?" under the omroep's article), each with the snippet to paste under
//! that article; and the settings of one thread (`#/topics/{kind}/{id}`: a topic, or the
//! reactions under a poll or an initiative): open or closed, the closing time, a topic's
//! title and introduction, and a reaction as the municipality.
//!
//! Closing times are typed and shown in Dutch time (Europe/Amsterdam), the community's
//! clock, whatever the time zone of the editor's computer.
//!
//! Element ids: the new-topic form `#topic-title`, `#topic-intro`, `#topic-closes`,
//! `#topic-create` with its live region `#topic-create-status`; the list `#topic-list` with
//! an `li.topic` (`#topic-{id}`) per topic holding `.topic-state`, the snippet
//! `textarea.topic-snippet`, `a.topic-edit` and `button.topic-toggle`. A thread:
//! `#thread-state`, `#thread-toggle`, `#thread-status`; the edit form `#thread-title`,
//! `#thread-intro`, `#thread-closes`, `#thread-save`; the snippet `#thread-snippet`; the
//! pick of a poll or initiative `#thread-pick`, `#thread-open`; the
//! municipality's reaction `#official-text`, `#official-name`, `#official-send`,
//! `#official-status`.

use mekaar_api::discussions::{
    OfficialReactionPost, ReactionAdmin, Thread, ThreadKind, ThreadUpdate, Topic, TopicCreate,
};
use yew::prelude::*;

use super::kit::{
    amsterdam_input_to_secs, area_text, focus_heading, focus_selector, input_text, origin,
    secs_to_amsterdam_input,
};
use super::reactions::kind_key;
use super::snippet::discussion_snippet;
use super::{CopyButton, ErrorAlert, Heading, LoadFailed, Loading, ScreenProps, Status};
use crate::api::{self, ApiError};
use crate::app::Screen;
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::{use_session, RoleInConsole};

/// Where `#/topics/…` points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    List,
    Thread(ThreadKind, String),
}

impl View {
    pub fn parse(rest: &str) -> Option<View> {
        let rest = rest.trim_matches('/');
        if rest.is_empty() {
            return Some(View::List);
        }
        let mut parts = rest.split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(kind), Some(id), None) if !id.is_empty() => {
                Some(View::Thread(ThreadKind::parse(kind)?, decode_segment(id)))
            }
            _ => None,
        }
    }
}

/// Undoes [`api::encode_segment`] for the ids in the fragment (the browser keeps `%xx`).
fn decode_segment(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The admin path of a thread.
pub fn thread_path(community: &str, kind: ThreadKind, id: &str, tail: &str) -> String {
    api::admin_path(
        community,
        &format!(
            "/threads/{}/{}{tail}",
            kind.as_str(),
            api::encode_segment(id)
        ),
    )
}

/// A closing time as people read it, in Dutch time: "6 dec 2026, 20:00".
pub fn closing_text(closes_at: Option<u64>, lang: Lang) -> String {
    match closes_at {
        None | Some(0) => Key::TopicsNoClosing.text(lang).to_string(),
        Some(at) => super::format_dutch_time(at, lang),
    }
}

/// The closing time typed in a form: `Ok(None)` for an empty field, the error
/// [`BAD_TIME`] for a value that is not a moment.
pub fn closing_input(value: &str) -> Result<Option<u64>, ApiError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        amsterdam_input_to_secs(value)
            .map(Some)
            .ok_or_else(|| ApiError::local(BAD_TIME))
    }
}

/// The local check of a closing time: the field's error code, if any.
pub const BAD_TIME: &str = "bad_time";
/// The local check of a title: empty.
pub const EMPTY_TITLE: &str = "empty_title";

#[function_component(Topics)]
pub fn topics(props: &ScreenProps) -> Html {
    match View::parse(&props.rest) {
        Some(View::List) => html! { <TopicList /> },
        Some(View::Thread(kind, id)) => {
            let key = format!("{}/{id}", kind.as_str());
            html! { <ThreadView {key} {kind} id={AttrValue::from(id)} /> }
        }
        None => super::message(Key::NotFoundTitle, Key::NotFoundText),
    }
}

/// The list of topics with their snippets, and the form for a new one.
#[function_component(TopicList)]
fn topic_list() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let list = use_state(|| None::<Result<Vec<Topic>, ApiError>>);
    let reload = use_state(|| 0_u32);

    use_effect_with((), |_| focus_heading());
    {
        let list = list.clone();
        let path = api::admin_path(&community, "/topics");
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::get::<Vec<Topic>>(&path).await.map(|mut l| {
                    l.sort_by_key(|t| std::cmp::Reverse(t.created_at));
                    l
                });
                list.set(Some(answer));
            });
        });
    }

    let on_created = {
        let list = list.clone();
        Callback::from(move |topic: Topic| {
            let id = topic.id.clone();
            if let Some(Ok(items)) = &*list {
                let mut items = items.clone();
                items.insert(0, topic);
                list.set(Some(Ok(items)));
            } else {
                list.set(Some(Ok(vec![topic])));
            }
            super::kit::later(0, move || {
                focus_selector(&format!("#topic-{} h3", api::encode_segment(&id)))
            });
        })
    };
    let on_change = {
        let list = list.clone();
        Callback::from(move |thread: Thread| {
            if let Some(Ok(items)) = &*list {
                let items = items
                    .iter()
                    .map(|topic| {
                        if topic.id == thread.id {
                            Topic {
                                title: thread.title.clone(),
                                intro: thread.intro.clone(),
                                open: thread.open,
                                closes_at: thread.closes_at,
                                reaction_count: thread.reaction_count,
                                ..topic.clone()
                            }
                        } else {
                            topic.clone()
                        }
                    })
                    .collect();
                list.set(Some(Ok(items)));
            }
        })
    };

    let body = match &*list {
        None => html! { <Loading /> },
        Some(Err(e)) => {
            let reload = reload.clone();
            html! { <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} /> }
        }
        Some(Ok(items)) if items.is_empty() => {
            html! { <p id="topics-empty">{ t(Key::TopicsEmpty) }</p> }
        }
        Some(Ok(items)) => html! {
            <ul id="topic-list" class="topic-list" aria-labelledby="topics-list-title">
                { for items.iter().map(|topic| html! {
                    <TopicItem key={topic.id.clone()} topic={topic.clone()} on_change={on_change.clone()} />
                }) }
            </ul>
        },
    };

    html! {
        <>
            <Heading text={t(Key::TopicsTitle)} />
            <p class="hint">{ t(Key::TopicsIntro) }</p>
            <CreateForm {on_created} />
            <section aria-labelledby="topics-list-title">
                <h2 id="topics-list-title">{ t(Key::TopicsList) }</h2>
                { body }
            </section>
            <OtherThreads />
        </>
    }
}

/// The reactions under a poll or an initiative: pick one, open its thread's settings.
#[function_component(OtherThreads)]
fn other_threads() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    // (kind, id, title), polls first; `None` while loading.
    let choices = use_state(|| None::<Vec<(ThreadKind, String, String)>>);
    let picked = use_state(String::new);
    {
        let choices = choices.clone();
        let community = session.info.community.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut out = Vec::new();
                // A moderator may not list polls: then only initiatives.
                if let Ok(l) = api::get::<mekaar_api::polls::PollAdminList>(&api::admin_path(
                    &community, "/polls",
                ))
                .await
                {
                    out.extend(
                        l.polls
                            .into_iter()
                            .map(|v| (ThreadKind::Poll, v.poll.id, v.poll.question)),
                    );
                }
                if let Ok(l) = api::get::<mekaar_api::InitiativeList>(&api::public_path(
                    &community,
                    "/initiatives?limit=100&sort=newest",
                ))
                .await
                {
                    out.extend(
                        l.initiatives
                            .into_iter()
                            .map(|i| (ThreadKind::Initiative, i.id, i.title)),
                    );
                }
                choices.set(Some(out));
            });
        });
    }
    let body = match &*choices {
        None => html! { <Loading /> },
        Some(list) if list.is_empty() => {
            html! { <p id="threads-none">{ t(Key::TopicsOtherNone) }</p> }
        }
        Some(list) => {
            let onsubmit = {
                let picked = picked.clone();
                let first = list
                    .first()
                    .map(|(k, id, _)| format!("{}/{}", k.as_str(), api::encode_segment(id)))
                    .unwrap_or_default();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let target = if picked.is_empty() {
                        first.clone()
                    } else {
                        (*picked).clone()
                    };
                    crate::app::navigate(&format!("#/{}/{target}", Screen::Topics.path()));
                })
            };
            let group = |kind: ThreadKind, label: Key| {
                let items: Vec<_> = list.iter().filter(|(k, ..)| *k == kind).collect();
                if items.is_empty() {
                    return html! {};
                }
                html! {
                    <optgroup label={t(label)}>
                        { for items.into_iter().map(|(k, id, title)| {
                            let value = format!("{}/{}", k.as_str(), api::encode_segment(id));
                            html! { <option value={value.clone()} selected={*picked == value}>{ title }</option> }
                        }) }
                    </optgroup>
                }
            };
            html! {
                <form class="inline-form" {onsubmit}>
                    <div class="field">
                        <label for="thread-pick">{ t(Key::TopicsOtherPick) }</label>
                        <select id="thread-pick"
                            onchange={let p = picked.clone(); Callback::from(move |e: Event| p.set(super::kit::select_value(&e)))}>
                            { group(ThreadKind::Poll, Key::ReactionsKindPoll) }
                            { group(ThreadKind::Initiative, Key::ReactionsKindInitiative) }
                        </select>
                    </div>
                    <button type="submit" id="thread-open">{ t(Key::TopicsOtherOpen) }</button>
                </form>
            }
        }
    };
    html! {
        <section class="card" aria-labelledby="threads-other-title">
            <h2 id="threads-other-title">{ t(Key::TopicsOther) }</h2>
            <p class="hint">{ t(Key::TopicsOtherHint) }</p>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CreateProps {
    on_created: Callback<Topic>,
}

#[function_component(CreateForm)]
fn create_form(props: &CreateProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let title = use_state(String::new);
    let intro = use_state(String::new);
    let closes = use_state(String::new);
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);

    let onsubmit = {
        let (title, intro, closes) = (title.clone(), intro.clone(), closes.clone());
        let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
        let on_created = props.on_created.clone();
        let path = api::admin_path(&session.info.community, "/topics");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            said.set(None);
            if title.trim().is_empty() {
                error.set(Some(ApiError::local(EMPTY_TITLE)));
                focus_selector("#topic-title");
                return;
            }
            let closes_at = match closing_input(&closes) {
                Ok(at) => at,
                Err(e) => {
                    error.set(Some(e));
                    focus_selector("#topic-closes");
                    return;
                }
            };
            error.set(None);
            busy.set(true);
            let body = TopicCreate {
                title: title.trim().to_string(),
                intro: intro.trim().to_string(),
                closes_at,
            };
            let (title, intro, closes) = (title.clone(), intro.clone(), closes.clone());
            let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
            let on_created = on_created.clone();
            let path = path.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::post::<_, Topic>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(topic) => {
                        said.set(Some(
                            fill(Key::TopicsCreated.text(lang), &[("title", &topic.title)]).into(),
                        ));
                        title.set(String::new());
                        intro.set(String::new());
                        closes.set(String::new());
                        on_created.emit(topic);
                    }
                    Err(e) => {
                        match e.field.as_deref() {
                            Some("intro") => focus_selector("#topic-intro"),
                            Some("closes_at") => focus_selector("#topic-closes"),
                            _ => focus_selector("#topic-title"),
                        }
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let invalid = |field: &str| {
        error
            .as_ref()
            .is_some_and(|e| field_of_error(e) == Some(field))
            .then_some("true")
    };
    html! {
        <section class="card" aria-labelledby="topic-new-title">
            <h2 id="topic-new-title">{ t(Key::TopicsNew) }</h2>
            <form {onsubmit} novalidate=true>
                <div class="field">
                    <label for="topic-title">{ t(Key::TopicsFieldTitle) }</label>
                    <input id="topic-title" type="text" required=true
                        maxlength={mekaar_api::discussions::limits::TOPIC_TITLE.to_string()}
                        aria-describedby="topic-title-hint" aria-invalid={invalid("title")}
                        value={(*title).clone()}
                        oninput={let s = title.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                    <p class="hint" id="topic-title-hint">{ t(Key::TopicsFieldTitleHint) }</p>
                </div>
                <div class="field">
                    <label for="topic-intro">{ t(Key::TopicsFieldIntro) }</label>
                    <textarea id="topic-intro" rows="4"
                        maxlength={mekaar_api::discussions::limits::TOPIC_INTRO.to_string()}
                        aria-invalid={invalid("intro")} value={(*intro).clone()}
                        oninput={let s = intro.clone(); Callback::from(move |e: InputEvent| s.set(area_text(&e)))} />
                </div>
                <div class="field">
                    <label for="topic-closes">{ t(Key::TopicsFieldCloses) }</label>
                    <input id="topic-closes" type="datetime-local" aria-describedby="topic-closes-hint"
                        aria-invalid={invalid("closes_at")} value={(*closes).clone()}
                        oninput={let s = closes.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                    <p class="hint" id="topic-closes-hint">{ t(Key::TopicsFieldClosesHint) }</p>
                </div>
                <ErrorAlert id={AttrValue::from("topic-create-error")} error={(*error).clone()} />
                <div class="actions">
                    <button type="submit" id="topic-create" class="primary" aria-disabled={busy.then_some("true")}>
                        { t(Key::TopicsCreate) }
                    </button>
                </div>
            </form>
            <Status id={AttrValue::from("topic-create-status")} text={(*said).clone()} />
        </section>
    }
}

/// The field an error is about: the server's `invalid_field`, or the console's own checks.
fn field_of_error(e: &ApiError) -> Option<&str> {
    if e.is_local(EMPTY_TITLE) {
        Some("title")
    } else if e.is_local(BAD_TIME) {
        Some("closes_at")
    } else {
        e.field.as_deref()
    }
}

#[derive(Properties, PartialEq)]
struct TopicItemProps {
    topic: Topic,
    on_change: Callback<Thread>,
}

/// One topic: its facts, its snippet, and open/close.
#[function_component(TopicItem)]
fn topic_item(props: &TopicItemProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let topic = &props.topic;
    let dom_id = format!("topic-{}", api::encode_segment(&topic.id));
    let snippet = discussion_snippet(
        &origin(),
        &session.info.community,
        ThreadKind::Topic,
        &topic.id,
    );
    let toggle = use_toggle(
        thread_path(&session.info.community, ThreadKind::Topic, &topic.id, ""),
        topic.open,
        props.on_change.clone(),
        format!("#{dom_id} .topic-toggle"),
    );
    let snippet_id = format!("{dom_id}-snippet");
    html! {
        <li class="card topic" id={dom_id.clone()} aria-labelledby={format!("{dom_id}-title")}>
            <h3 id={format!("{dom_id}-title")} tabindex="-1">{ &topic.title }</h3>
            <dl class="facts">
                <div><dt>{ t(Key::TopicsFactState) }</dt>
                    <dd class="topic-state">{ t(if topic.open { Key::TopicsOpen } else { Key::TopicsClosed }) }</dd></div>
                <div><dt>{ t(Key::TopicsFactCloses) }</dt><dd>{ closing_text(topic.closes_at, lang) }</dd></div>
                <div><dt>{ t(Key::TopicsFactReactions) }</dt><dd class="topic-count">{ topic.reaction_count }</dd></div>
            </dl>
            if !topic.intro.is_empty() {
                <p class="prewrap">{ &topic.intro }</p>
            }
            <div class="field">
                <label for={snippet_id.clone()}>{ t(Key::TopicsSnippet) }</label>
                <textarea id={snippet_id.clone()} class="code topic-snippet" readonly=true rows="4" spellcheck="false"
                    aria-describedby={format!("{snippet_id}-hint")} value={snippet.clone()} />
                <p class="hint" id={format!("{snippet_id}-hint")}>{ t(Key::TopicsSnippetHint) }</p>
            </div>
            <div class="actions">
                <CopyButton text={AttrValue::from(snippet)} label={AttrValue::from(t(Key::SnippetCopy))} />
                <a class="button topic-edit" href={super::reactions::thread_href(ThreadKind::Topic, &topic.id)}
                    aria-describedby={format!("{dom_id}-title")}>{ t(Key::TopicsEdit) }</a>
                { toggle.button(lang, "topic-toggle", &format!("{dom_id}-title")) }
            </div>
            { toggle.feedback(&format!("{dom_id}-toggle")) }
        </li>
    }
}

/// Opening and closing a thread: a button, its live region and its alert.
#[derive(Clone)]
struct Toggle {
    open: bool,
    busy: UseStateHandle<bool>,
    said: UseStateHandle<Option<AttrValue>>,
    error: UseStateHandle<Option<ApiError>>,
    onclick: Callback<MouseEvent>,
}

impl Toggle {
    fn button(&self, lang: Lang, class: &'static str, describedby: &str) -> Html {
        let label = if self.open {
            Key::TopicsClose
        } else {
            Key::TopicsReopen
        };
        html! {
            <button type="button" class={class} id={(class == "thread-toggle").then_some("thread-toggle")}
                onclick={self.onclick.clone()} aria-disabled={self.busy.then_some("true")}
                aria-describedby={describedby.to_string()}>
                { label.text(lang) }
            </button>
        }
    }

    fn feedback(&self, id: &str) -> Html {
        html! {
            <>
                <Status id={AttrValue::from(format!("{id}-status"))} text={(*self.said).clone()} />
                <ErrorAlert id={AttrValue::from(format!("{id}-error"))} error={(*self.error).clone()} />
            </>
        }
    }
}

#[hook]
fn use_toggle(path: String, open: bool, on_change: Callback<Thread>, refocus: String) -> Toggle {
    let lang = use_lang().lang;
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);
    let onclick = {
        let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            said.set(None);
            error.set(None);
            let body = ThreadUpdate {
                open: Some(!open),
                ..Default::default()
            };
            let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
            let (path, on_change, refocus) = (path.clone(), on_change.clone(), refocus.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::patch::<_, Thread>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(thread) => {
                        let key = if thread.open {
                            Key::TopicsReopened
                        } else {
                            Key::TopicsClosedDone
                        };
                        said.set(Some(key.text(lang).into()));
                        on_change.emit(thread);
                    }
                    Err(e) => error.set(Some(e)),
                }
                // The same button, now saying the opposite.
                focus_selector(&refocus);
            });
        })
    };
    Toggle {
        open,
        busy,
        said,
        error,
        onclick,
    }
}

#[derive(Properties, PartialEq)]
struct ThreadProps {
    kind: ThreadKind,
    id: AttrValue,
}

/// One thread's settings.
#[function_component(ThreadView)]
fn thread_view(props: &ThreadProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let path = thread_path(&community, props.kind, &props.id, "");
    let thread = use_state(|| None::<Result<Thread, ApiError>>);
    let reload = use_state(|| 0_u32);

    use_effect_with((), |_| focus_heading());
    {
        let thread = thread.clone();
        let path = path.clone();
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                thread.set(Some(api::get::<Thread>(&path).await));
            });
        });
    }
    let on_change = {
        let thread = thread.clone();
        Callback::from(move |th: Thread| thread.set(Some(Ok(th))))
    };
    let open = matches!(&*thread, Some(Ok(th)) if th.open);
    let toggle = use_toggle(
        path.clone(),
        open,
        on_change.clone(),
        "#thread-toggle".into(),
    );

    let heading = match &*thread {
        Some(Ok(th)) => fill(
            t(Key::TopicsThreadTitle),
            &[("kind", t(kind_key(th.kind))), ("title", &th.title)],
        ),
        _ => t(Key::TopicsThread).to_string(),
    };
    let back = html! {
        <p><a href={Screen::Topics.href()} id="thread-back">{ t(Key::TopicsBack) }</a></p>
    };
    // Every state renders [heading, back link, one `div`]: the focused `<h1>` stays.
    let body = match &*thread {
        None => html! { <div><Loading /></div> },
        Some(Err(e)) => {
            let reload = reload.clone();
            html! { <div><LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} /></div> }
        }
        Some(Ok(th)) => {
            let snippet = discussion_snippet(&origin(), &community, th.kind, &th.id);
            html! {
                <div class="detail">
                    <section class="card" aria-labelledby="thread-facts-title">
                        <h2 id="thread-facts-title">{ t(Key::TopicsFacts) }</h2>
                        <dl class="facts">
                            <div><dt>{ t(Key::TopicsFactState) }</dt>
                                <dd id="thread-state">{ t(if th.open { Key::TopicsOpen } else { Key::TopicsClosed }) }</dd></div>
                            <div><dt>{ t(Key::TopicsFactCloses) }</dt><dd id="thread-closes-at">{ closing_text(th.closes_at, lang) }</dd></div>
                            <div><dt>{ t(Key::TopicsFactReactions) }</dt><dd>{ th.reaction_count }</dd></div>
                        </dl>
                        if !th.intro.is_empty() {
                            <p class="prewrap">{ &th.intro }</p>
                        }
                        <div class="actions">
                            { toggle.button(lang, "thread-toggle", "thread-facts-title") }
                        </div>
                        { toggle.feedback("thread") }
                    </section>
                    <EditThread key={th.id.clone()}
                        thread={th.clone()} on_change={on_change.clone()} />
                    if session.info.role.may(Screen::Reactions) {
                        <Official thread={th.clone()} />
                    }
                    <section class="card" aria-labelledby="thread-snippet-title">
                        <h2 id="thread-snippet-title">{ t(Key::TopicsSnippet) }</h2>
                        <div class="field">
                            <label for="thread-snippet">{ t(Key::TopicsSnippetLabel) }</label>
                            <textarea id="thread-snippet" class="code" readonly=true rows="4" spellcheck="false"
                                aria-describedby="thread-snippet-hint" value={snippet.clone()} />
                            <p class="hint" id="thread-snippet-hint">{ t(Key::TopicsSnippetHint) }</p>
                        </div>
                        <CopyButton text={AttrValue::from(snippet)} label={AttrValue::from(t(Key::SnippetCopy))} />
                    </section>
                </div>
            }
        }
    };
    html! {
        <>
            <Heading text={heading} />
            { back }
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct EditProps {
    thread: Thread,
    on_change: Callback<Thread>,
}

/// A topic's title and introduction; every thread's closing time.
#[function_component(EditThread)]
fn edit_thread(props: &EditProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let th = &props.thread;
    let is_topic = th.kind == ThreadKind::Topic;
    let title = use_state(|| th.title.clone());
    let intro = use_state(|| th.intro.clone());
    let closes = use_state(|| {
        th.closes_at
            .filter(|at| *at > 0)
            .map(secs_to_amsterdam_input)
            .unwrap_or_default()
    });
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);

    let onsubmit = {
        let (title, intro, closes) = (title.clone(), intro.clone(), closes.clone());
        let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
        let on_change = props.on_change.clone();
        let path = thread_path(&session.info.community, th.kind, &th.id, "");
        let old = th.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            said.set(None);
            if is_topic && title.trim().is_empty() {
                error.set(Some(ApiError::local(EMPTY_TITLE)));
                focus_selector("#thread-title");
                return;
            }
            let closes_at = match closing_input(&closes) {
                Ok(at) => at,
                Err(e) => {
                    error.set(Some(e));
                    focus_selector("#thread-closes");
                    return;
                }
            };
            error.set(None);
            let body = update_for(&old, &title, &intro, closes_at);
            busy.set(true);
            let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
            let on_change = on_change.clone();
            let path = path.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::patch::<_, Thread>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(thread) => {
                        said.set(Some(Key::CommonSaved.text(lang).into()));
                        on_change.emit(thread);
                        focus_selector("#thread-edit-title");
                    }
                    Err(e) => {
                        error.set(Some(e));
                        focus_selector("#thread-edit-error");
                    }
                }
            });
        })
    };
    let invalid = |field: &str| {
        error
            .as_ref()
            .is_some_and(|e| field_of_error(e) == Some(field))
            .then_some("true")
    };
    html! {
        <section class="card" aria-labelledby="thread-edit-title">
            <h2 id="thread-edit-title" tabindex="-1">{ t(if is_topic { Key::TopicsEditTitle } else { Key::TopicsEditClosing }) }</h2>
            <form {onsubmit} novalidate=true>
                if is_topic {
                    <div class="field">
                        <label for="thread-title">{ t(Key::TopicsFieldTitle) }</label>
                        <input id="thread-title" type="text" required=true
                            maxlength={mekaar_api::discussions::limits::TOPIC_TITLE.to_string()}
                            aria-invalid={invalid("title")} value={(*title).clone()}
                            oninput={let s = title.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                    </div>
                    <div class="field">
                        <label for="thread-intro">{ t(Key::TopicsFieldIntro) }</label>
                        <textarea id="thread-intro" rows="4"
                            maxlength={mekaar_api::discussions::limits::TOPIC_INTRO.to_string()}
                            aria-invalid={invalid("intro")} value={(*intro).clone()}
                            oninput={let s = intro.clone(); Callback::from(move |e: InputEvent| s.set(area_text(&e)))} />
                    </div>
                }
                <div class="field">
                    <label for="thread-closes">{ t(Key::TopicsFieldCloses) }</label>
                    <input id="thread-closes" type="datetime-local" aria-describedby="thread-closes-hint"
                        aria-invalid={invalid("closes_at")} value={(*closes).clone()}
                        oninput={let s = closes.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                    <p class="hint" id="thread-closes-hint">{ t(Key::TopicsFieldClosesEditHint) }</p>
                </div>
                <ErrorAlert id={AttrValue::from("thread-edit-error")} error={(*error).clone()} />
                <div class="actions">
                    <button type="submit" id="thread-save" class="primary" aria-disabled={busy.then_some("true")}>
                        { if *busy { t(Key::CommonSaving) } else { t(Key::CommonSave) } }
                    </button>
                </div>
            </form>
            <Status id={AttrValue::from("thread-edit-status")} text={(*said).clone()} />
        </section>
    }
}

/// The PATCH body: only what changed; an emptied closing time is `0` (none).
pub fn update_for(old: &Thread, title: &str, intro: &str, closes_at: Option<u64>) -> ThreadUpdate {
    let is_topic = old.kind == ThreadKind::Topic;
    let (title, intro) = (title.trim(), intro.trim());
    ThreadUpdate {
        title: (is_topic && title != old.title).then(|| title.to_string()),
        intro: (is_topic && intro != old.intro).then(|| intro.to_string()),
        open: None,
        closes_at: match (old.closes_at.filter(|at| *at > 0), closes_at) {
            (None, None) => None,
            (Some(_), None) => Some(0),
            (Some(a), Some(b)) if a / 60 == b / 60 => None,
            (_, Some(b)) => Some(b),
        },
    }
}

#[derive(Properties, PartialEq)]
struct OfficialProps {
    thread: Thread,
}

/// A reaction as the municipality, at the top level of the thread (replies to one
/// reaction are written in the reactions queue).
#[function_component(Official)]
fn official(props: &OfficialProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let text = use_state(String::new);
    let name = use_state(String::new);
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);
    let th = &props.thread;

    let onsubmit = {
        let (text, name) = (text.clone(), name.clone());
        let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
        let path = thread_path(&session.info.community, th.kind, &th.id, "/reactions");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            said.set(None);
            if text.trim().is_empty() {
                error.set(Some(ApiError::local(super::reactions::EMPTY_REPLY)));
                focus_selector("#official-text");
                return;
            }
            error.set(None);
            busy.set(true);
            let body = OfficialReactionPost {
                text: text.trim().to_string(),
                name: name.trim().to_string(),
                reply_to: None,
            };
            let (text, busy, said, error) =
                (text.clone(), busy.clone(), said.clone(), error.clone());
            let path = path.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::post::<_, ReactionAdmin>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(_) => {
                        text.set(String::new());
                        said.set(Some(Key::TopicsOfficialPosted.text(lang).into()));
                    }
                    Err(e) => {
                        error.set(Some(e));
                        focus_selector("#official-text");
                    }
                }
            });
        })
    };
    let invalid = error.is_some().then_some("true");
    html! {
        <section class="card" aria-labelledby="official-title">
            <h2 id="official-title">{ t(Key::TopicsOfficial) }</h2>
            <p class="hint">{ t(Key::TopicsOfficialHint) }</p>
            <form {onsubmit} novalidate=true>
                <div class="field">
                    <label for="official-text">{ t(Key::ReactionsReplyText) }</label>
                    <textarea id="official-text" rows="4" maxlength={mekaar_api::discussions::limits::TEXT.to_string()}
                        aria-invalid={invalid} aria-describedby={invalid.map(|_| "official-error")}
                        value={(*text).clone()}
                        oninput={let s = text.clone(); Callback::from(move |e: InputEvent| s.set(area_text(&e)))} />
                </div>
                <div class="field">
                    <label for="official-name">{ t(Key::TopicsOfficialName) }</label>
                    <input id="official-name" type="text" maxlength={mekaar_api::discussions::limits::DISPLAY_NAME.to_string()}
                        aria-describedby="official-name-hint" value={(*name).clone()}
                        oninput={let s = name.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                    <p class="hint" id="official-name-hint">{ t(Key::TopicsOfficialNameHint) }</p>
                </div>
                <ErrorAlert id={AttrValue::from("official-error")} error={(*error).clone()} />
                <div class="actions">
                    <button type="submit" id="official-send" class="primary" aria-disabled={busy.then_some("true")}>
                        { t(Key::TopicsOfficialSend) }
                    </button>
                </div>
            </form>
            <Status id={AttrValue::from("official-status")} text={(*said).clone()} />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(kind: ThreadKind, closes_at: Option<u64>) -> Thread {
        Thread {
            kind,
            id: "t1".into(),
            title: "Kermis".into(),
            intro: "Terug naar het plein?".into(),
            open: true,
            closes_at,
            reaction_count: 0,
            stances: false,
        }
    }

    #[test]
    fn views_from_the_fragment() {
        assert_eq!(View::parse(""), Some(View::List));
        assert_eq!(View::parse("/"), Some(View::List));
        assert_eq!(
            View::parse("topic/t1"),
            Some(View::Thread(ThreadKind::Topic, "t1".into()))
        );
        assert_eq!(
            View::parse("poll/p%201/"),
            Some(View::Thread(ThreadKind::Poll, "p 1".into()))
        );
        assert_eq!(View::parse("article/x"), None);
        assert_eq!(View::parse("topic"), None);
        assert_eq!(View::parse("topic/a/b"), None);
        assert_eq!(decode_segment("a%2Fb%zz%"), "a/b%zz%");
    }

    #[test]
    fn only_what_changed_is_sent() {
        let old = thread(ThreadKind::Topic, Some(1_796_583_600));
        let same = update_for(
            &old,
            " Kermis ",
            "Terug naar het plein?",
            Some(1_796_583_600),
        );
        assert_eq!(same, ThreadUpdate::default());
        let changed = update_for(&old, "Kermis 2027", "", None);
        assert_eq!(changed.title.as_deref(), Some("Kermis 2027"));
        assert_eq!(changed.intro.as_deref(), Some(""));
        // An emptied closing time is sent as 0: no closing time.
        assert_eq!(changed.closes_at, Some(0));
        let later = update_for(&old, "Kermis", "Terug naar het plein?", Some(1_796_587_200));
        assert_eq!(later.closes_at, Some(1_796_587_200));
        // A poll's thread has no title or introduction of its own.
        let poll = thread(ThreadKind::Poll, None);
        let u = update_for(&poll, "x", "y", Some(5));
        assert_eq!((u.title, u.intro, u.closes_at), (None, None, Some(5)));
        assert_eq!(update_for(&poll, "", "", None), ThreadUpdate::default());
    }

    #[test]
    fn closing_times_are_dutch_time() {
        assert_eq!(closing_input(""), Ok(None));
        assert_eq!(closing_input("2026-12-06T20:00"), Ok(Some(1_796_583_600)));
        assert!(closing_input("morgen").unwrap_err().is_local(BAD_TIME));
        assert_eq!(closing_text(None, Lang::Nl), "Geen");
        assert_eq!(closing_text(Some(0), Lang::En), "None");
    }
}
