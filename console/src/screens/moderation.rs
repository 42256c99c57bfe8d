//! The moderation screen: the queue (`#/moderation`, `#/moderation/pending`,
//! `#/moderation/reported`, `#/moderation/all`; the bare `#/moderation` opens on the first
//! tab with work waiting, and every tab shows how many it holds) and one initiative (`#/moderation/{id}`) with its full text, the
//! moderator's decisions (approve, reject, hide, restore, with a note for the audit log),
//! editing, the status, the official answer, the reports, the joiners' details and erasing
//! personal data on request.
//!
//! Every section says what happened in its own live region ([`Status`]) and shows errors in
//! its own alert ([`ErrorAlert`]), next to the buttons that caused them.
//!
//! Element ids (for people using the keyboard and for the browser tests): the queue's
//! links `#queue-pending`, `#queue-reported`, `#queue-all`, its table `#queue-table` with a
//! link `a.queue-item` per initiative; on an initiative `#mod-note`, `#mod-approve`,
//! `#mod-reject`, `#mod-hide`, `#mod-restore`, `#mod-status` (its live region),
//! `#mod-state` (the moderation state), the edit form `#edit-*`, the status form
//! `#status-select`/`#status-save`, the answer form `#answer-*`, the joiners' table
//! `#joiners` with `button.erase-joiner`, `#erase-initiator`, and the confirmation
//! `#erase-yes`/`#erase-no`; the photo section `#mod-photo` with the photos
//! `#photo-shown` and `#photo-pending`, the buttons `#photo-remove`, `#photo-approve`,
//! `#photo-reject`, the upload `#photo-file`, `#photo-alt`, `#photo-save` and its live
//! region `#photo-status`.

use std::rc::Rc;

use mekaar_api::{
    AnswerPost, CommunityPublic, InitiativeAdmin, InitiativeAdminList, InitiativeEdit,
    InitiativeStatus, JoinAdmin, ModerationAction, ModerationRequest, ModerationState, Photo,
    QueueCounts,
};
use serde::Serialize;
use yew::prelude::*;

use super::kit::{area_text, focus_heading, focus_selector, input_text, select_value, ConfirmBox};
use super::{format_time, ErrorAlert, Heading, LoadFailed, Loading, ScreenProps, Status};
use crate::api::{self, ApiError};
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::use_session;

/// Which part of the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Pending,
    Reported,
    All,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Pending, Tab::Reported, Tab::All];

    /// The `queue=` value, and the fragment after `#/moderation/`.
    fn name(self) -> &'static str {
        match self {
            Tab::Pending => "pending",
            Tab::Reported => "reported",
            Tab::All => "all",
        }
    }

    fn parse(rest: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.name() == rest)
    }

    /// How many this tab holds.
    fn count(self, counts: &QueueCounts) -> u64 {
        match self {
            Tab::Pending => counts.pending,
            Tab::Reported => counts.reported,
            Tab::All => counts.all,
        }
    }

    /// Where the bare `#/moderation` opens: the first tab with work waiting (approval,
    /// then reports); with nothing waiting, the approval tab, which says so.
    fn landing(counts: &QueueCounts) -> Tab {
        [Tab::Pending, Tab::Reported]
            .into_iter()
            .find(|t| t.count(counts) > 0)
            .unwrap_or(Tab::Pending)
    }

    fn key(self) -> Key {
        match self {
            Tab::Pending => Key::ModerationTabPending,
            Tab::Reported => Key::ModerationTabReported,
            Tab::All => Key::ModerationTabAll,
        }
    }

    fn empty_key(self) -> Key {
        match self {
            Tab::Pending => Key::ModerationEmptyPending,
            Tab::Reported => Key::ModerationEmptyReported,
            Tab::All => Key::ModerationEmptyAll,
        }
    }
}

/// The name of a moderation state for people.
pub fn state_key(state: ModerationState) -> Key {
    match state {
        ModerationState::Pending => Key::ModerationStatePending,
        ModerationState::Published => Key::ModerationStatePublished,
        ModerationState::Hidden => Key::ModerationStateHidden,
        ModerationState::Rejected => Key::ModerationStateRejected,
    }
}

/// The name of an initiative's status for people.
pub fn status_key(status: InitiativeStatus) -> Key {
    match status {
        InitiativeStatus::Idea => Key::ModerationStatusIdea,
        InitiativeStatus::SeekingSupporters => Key::ModerationStatusSeeking,
        InitiativeStatus::InProgress => Key::ModerationStatusInProgress,
        InitiativeStatus::Realised => Key::ModerationStatusRealised,
        InitiativeStatus::Stopped => Key::ModerationStatusStopped,
    }
}

#[function_component(Moderation)]
pub fn moderation(props: &ScreenProps) -> Html {
    let rest = props.rest.trim_matches('/');
    if rest.is_empty() {
        return html! { <Queue tab={None::<Tab>} /> };
    }
    match Tab::parse(rest) {
        Some(tab) => html! { <Queue tab={Some(tab)} /> },
        None => {
            let id: AttrValue = rest
                .split('/')
                .next()
                .unwrap_or_default()
                .to_string()
                .into();
            let key = id.to_string();
            html! { <Detail {key} {id} /> }
        }
    }
}

#[derive(Properties, PartialEq)]
struct QueueProps {
    /// `None`: the bare `#/moderation`, which opens on [`Tab::landing`].
    tab: Option<Tab>,
}

/// A loaded queue: which tab, its initiatives, and the size of every tab.
type Loaded = (Tab, Vec<InitiativeAdmin>, QueueCounts);

/// The queue: tabs as links with their counts, then a table of the initiatives in it.
#[function_component(Queue)]
fn queue(props: &QueueProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let list = use_state(|| None::<Result<Loaded, ApiError>>);
    let counts = use_state(|| None::<QueueCounts>);
    let reload = use_state(|| 0_u32);

    use_effect_with((), |_| focus_heading());
    {
        let (list, counts) = (list.clone(), counts.clone());
        let community = session.info.community.clone();
        use_effect_with((props.tab, *reload), move |(tab, _)| {
            list.set(None);
            let asked = *tab;
            let list = list.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let get = |tab: Tab| {
                    let path =
                        api::admin_path(&community, &format!("/initiatives?queue={}", tab.name()));
                    async move { api::get::<InitiativeAdminList>(&path).await }
                };
                let first = asked.unwrap_or(Tab::Pending);
                let mut answer = get(first).await.map(|l| (first, l));
                // The bare address lands where the work is.
                if let (None, Ok((_, l))) = (asked, &answer) {
                    let landing = Tab::landing(&l.counts);
                    if landing != first {
                        answer = get(landing).await.map(|l| (landing, l));
                    }
                }
                if let Ok((_, l)) = &answer {
                    counts.set(Some(l.counts));
                }
                list.set(Some(answer.map(|(tab, l)| (tab, l.initiatives, l.counts))));
            });
        });
    }

    // The tab shown: the one asked for, else where the bare address landed.
    let shown = props.tab.or_else(|| match &*list {
        Some(Ok((tab, ..))) => Some(*tab),
        _ => None,
    });
    let tab_label = |tab: Tab| -> String {
        match &*counts {
            Some(c) => fill(
                t(Key::ModerationTabCount),
                &[("tab", t(tab.key())), ("n", &tab.count(c).to_string())],
            ),
            None => t(tab.key()).to_string(),
        }
    };
    let tabs = html! {
        <nav class="queue-tabs" aria-label={t(Key::ModerationQueueLabel)}>
            <ul>
                { for Tab::ALL.into_iter().map(|tab| html! {
                    <li>
                        <a id={format!("queue-{}", tab.name())}
                            href={format!("#/moderation/{}", tab.name())}
                            aria-current={(Some(tab) == shown).then_some("page")}>
                            { tab_label(tab) }
                        </a>
                    </li>
                }) }
            </ul>
        </nav>
    };

    let body = match &*list {
        None => html! { <Loading /> },
        Some(Err(e)) => {
            let reload = reload.clone();
            html! {
                <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} />
            }
        }
        Some(Ok((tab, items, _))) if items.is_empty() => html! {
            <p id="queue-empty">{ t(tab.empty_key()) }</p>
        },
        Some(Ok((tab, items, _))) => html! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="queue-table-caption">
                <table id="queue-table">
                    <caption id="queue-table-caption">
                        { fill(t(Key::ModerationQueueCaption), &[
                            ("queue", t(tab.key())),
                            ("n", &items.len().to_string()),
                        ]) }
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{ t(Key::ModerationColTitle) }</th>
                            <th scope="col">{ t(Key::ModerationColArea) }</th>
                            <th scope="col">{ t(Key::ModerationColState) }</th>
                            <th scope="col">{ t(Key::ModerationColReports) }</th>
                            <th scope="col">{ t(Key::ModerationColSubmitted) }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for items.iter().map(|item| {
                            let card = &item.initiative.card;
                            html! {
                                <tr>
                                    <td>
                                        <a class="queue-item" href={format!("#/moderation/{}", card.id)}>
                                            { &card.title }
                                        </a>
                                    </td>
                                    <td>{ card.area.clone().unwrap_or_else(|| t(Key::CommonNone).to_string()) }</td>
                                    <td>{ t(state_key(item.moderation)) }</td>
                                    <td>{ item.report_count }</td>
                                    <td class="when">{ format_time(card.created_at, lang) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };

    html! {
        <>
            <Heading text={t(Key::ModerationTitle)} />
            { tabs }
            if let Some(tab) = shown {
                <h2 id="queue-title">{ t(tab.key()) }</h2>
            }
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DetailProps {
    id: AttrValue,
}

/// One initiative, everything a moderator may see and do.
#[function_component(Detail)]
fn detail(props: &DetailProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let item = use_state(|| None::<Result<Rc<InitiativeAdmin>, ApiError>>);
    let settings = use_state(|| None::<Rc<CommunityPublic>>);
    let reload = use_state(|| 0_u32);

    use_effect_with((), |_| focus_heading());
    {
        let item = item.clone();
        let path = api::admin_path(
            &community,
            &format!("/initiatives/{}", api::encode_segment(&props.id)),
        );
        use_effect_with(*reload, move |_| {
            let item = item.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::get::<InitiativeAdmin>(&path).await;
                item.set(Some(answer.map(Rc::new)));
            });
        });
    }
    {
        // Areas and themes for the edit form (public: every role may read them).
        let settings = settings.clone();
        let path = api::public_path(&community, "");
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(c) = api::get::<CommunityPublic>(&path).await {
                    settings.set(Some(Rc::new(c)));
                }
            });
        });
    }

    // Every state renders [heading, back link, one `div.detail`]: yew matches unkeyed
    // children from the end, so the same shape keeps the focused `<h1>` element.
    let back = html! {
        <p><a href="#/moderation" id="back-to-queue">{ t(Key::ModerationBack) }</a></p>
    };
    let data = match &*item {
        None => {
            return html! {
                <>
                    <Heading text={t(Key::ModerationTitle)} />
                    { back }
                    <div class="detail"><Loading /></div>
                </>
            }
        }
        Some(Err(e)) => {
            let reload = reload.clone();
            return html! {
                <>
                    <Heading text={t(Key::ModerationTitle)} />
                    { back }
                    <div class="detail">
                        <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} />
                    </div>
                </>
            };
        }
        Some(Ok(data)) => data.clone(),
    };
    let on_change = {
        let item = item.clone();
        Callback::from(move |after: InitiativeAdmin| item.set(Some(Ok(Rc::new(after)))))
    };
    let card = &data.initiative.card;
    let none = t(Key::CommonNone).to_string();
    let paragraphs = |text: &str| -> Html {
        html! {
            { for text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| html! { <p class="prewrap">{ p.trim() }</p> }) }
        }
    };

    html! {
        <>
            <Heading text={card.title.clone()} />
            { back }
            <div class="detail">
            <section class="card" aria-labelledby="mod-facts-title">
                <h2 id="mod-facts-title">{ t(Key::ModerationFacts) }</h2>
                <dl class="facts">
                    <div><dt>{ t(Key::ModerationColState) }</dt><dd id="mod-state">{ t(state_key(data.moderation)) }</dd></div>
                    <div><dt>{ t(Key::ModerationStatus) }</dt><dd id="mod-phase">{ t(status_key(card.status)) }</dd></div>
                    <div><dt>{ t(Key::ModerationColArea) }</dt><dd>{ card.area.clone().unwrap_or_else(|| none.clone()) }</dd></div>
                    <div><dt>{ t(Key::ModerationTheme) }</dt><dd>{ card.theme.clone().unwrap_or_else(|| none.clone()) }</dd></div>
                    <div><dt>{ t(Key::ModerationInitiator) }</dt><dd>{
                        if data.initiator_erased_at.is_some() { t(Key::ModerationErased).to_string() }
                        else if card.initiator_name.is_empty() { none.clone() } else { card.initiator_name.clone() }
                    }</dd></div>
                    <div><dt>{ t(Key::ModerationContact) }</dt><dd>{ data.contact_email.clone().filter(|c| !c.is_empty()).unwrap_or_else(|| none.clone()) }</dd></div>
                    <div><dt>{ t(Key::ModerationColSubmitted) }</dt><dd>{ format_time(card.created_at, lang) }</dd></div>
                    <div><dt>{ t(Key::ModerationSupports) }</dt><dd>{ format!("{} / {}", card.support_count, card.support_threshold) }</dd></div>
                    <div><dt>{ t(Key::ModerationJoiners) }</dt><dd>{ card.join_count }</dd></div>
                    <div><dt>{ t(Key::ModerationColReports) }</dt><dd id="mod-reports">{ data.report_count }</dd></div>
                </dl>
            </section>

            <section aria-labelledby="mod-text-title">
                <h2 id="mod-text-title">{ t(Key::ModerationText) }</h2>
                <p class="summary"><strong>{ &card.summary }</strong></p>
                { paragraphs(&data.initiative.story) }
                if !data.initiative.updates.is_empty() {
                    <h3>{ t(Key::ModerationUpdates) }</h3>
                    <ul>
                        { for data.initiative.updates.iter().map(|u| html! {
                            <li><span class="hint">{ format_time(u.posted_at, lang) }</span>{ ": " }{ &u.text }</li>
                        }) }
                    </ul>
                }
            </section>

            if !data.reports.is_empty() {
                <section aria-labelledby="mod-reports-title">
                    <h2 id="mod-reports-title">{ t(Key::ModerationReports) }</h2>
                    <ul id="report-list">
                        { for data.reports.iter().map(|r| html! {
                            <li><span class="hint">{ format_time(r.reported_at, lang) }</span>{ ": " }{ &r.reason }</li>
                        }) }
                    </ul>
                </section>
            }

            <Decide item={data.clone()} on_change={on_change.clone()} />
            <PhotoSection item={data.clone()} on_change={on_change.clone()} />
            <EditForm item={data.clone()} settings={(*settings).clone()} on_change={on_change.clone()} />
            <StatusForm item={data.clone()} on_change={on_change.clone()} />
            <super::steps::InitiativeStepsCard id={card.id.clone()}
                version={format!("{}:{}", card.status.as_str(), card.support_count)} />
            <super::meetings::InitiativeMeetingsCard id={card.id.clone()} />
            <AnswerForm item={data.clone()} on_change={on_change.clone()} />
            <Privacy item={data} {on_change} />
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SectionProps {
    item: Rc<InitiativeAdmin>,
    on_change: Callback<InitiativeAdmin>,
}

/// What the sections share: a busy flag, a status text and an error, and running one
/// request that answers with the initiative's new admin view.
#[derive(Clone)]
struct Request {
    busy: UseStateHandle<bool>,
    said: UseStateHandle<Option<AttrValue>>,
    error: UseStateHandle<Option<ApiError>>,
    on_change: Callback<InitiativeAdmin>,
}

impl Request {
    /// Runs `call` unless one runs already; on success says `done` and passes the new view
    /// on, else shows the error.
    fn run<F>(&self, lang: Lang, done: Key, call: F)
    where
        F: std::future::Future<Output = Result<InitiativeAdmin, ApiError>> + 'static,
    {
        if *self.busy {
            return;
        }
        self.busy.set(true);
        self.said.set(None);
        self.error.set(None);
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = call.await;
            this.busy.set(false);
            match answer {
                Ok(after) => {
                    this.said.set(Some(done.text(lang).into()));
                    this.on_change.emit(after);
                }
                Err(e) => this.error.set(Some(e)),
            }
        });
    }
}

#[hook]
fn use_request(on_change: Callback<InitiativeAdmin>) -> Request {
    Request {
        busy: use_state(|| false),
        said: use_state(|| None),
        error: use_state(|| None),
        on_change,
    }
}

fn initiative_path(community: &str, id: &str, tail: &str) -> String {
    api::admin_path(
        community,
        &format!("/initiatives/{}{tail}", api::encode_segment(id)),
    )
}

/// Approve, reject, hide, restore, with a note for the audit log.
#[function_component(Decide)]
fn decide(props: &SectionProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let note = use_state(String::new);
    let request = use_request(props.on_change.clone());
    let state = props.item.moderation;
    let reported = props.item.report_count > 0;

    let button =
        |action: ModerationAction, id: &'static str, label: Key, done: Key, class: &'static str| {
            let busy = *request.busy;
            let request = request.clone();
            let note = note.clone();
            let path = initiative_path(
                &session.info.community,
                &props.item.initiative.card.id,
                "/moderation",
            );
            let onclick = Callback::from(move |_: MouseEvent| {
                let body = ModerationRequest {
                    action,
                    note: (*note).trim().to_string(),
                };
                let path = path.clone();
                let note = note.clone();
                request.run(lang, done, async move {
                    let after = api::post(&path, &body).await?;
                    note.set(String::new());
                    // The pressed button may go with the new state: keep the focus in
                    // this section, where the status says what happened.
                    focus_selector("#mod-decide-title");
                    Ok(after)
                });
            });
            html! {
                <button type="button" {id} class={class} {onclick}
                    aria-disabled={busy.then_some("true")}>
                    { t(label) }
                </button>
            }
        };

    html! {
        <section class="card" aria-labelledby="mod-decide-title">
            <h2 id="mod-decide-title" tabindex="-1">{ t(Key::ModerationDecide) }</h2>
            <p class="hint">{ fill(t(Key::ModerationDecideNow), &[("state", t(state_key(state)))]) }</p>
            <div class="field">
                <label for="mod-note">{ t(Key::ModerationNote) }</label>
                <textarea id="mod-note" rows="2" maxlength="500" aria-describedby="mod-note-hint"
                    value={(*note).clone()}
                    oninput={let note = note.clone(); Callback::from(move |e: InputEvent| note.set(area_text(&e)))} />
                <p class="hint" id="mod-note-hint">{ t(Key::ModerationNoteHint) }</p>
            </div>
            <div class="actions">
                if state == ModerationState::Pending {
                    { button(ModerationAction::Approve, "mod-approve", Key::ModerationApprove, Key::ModerationApproved, "primary") }
                }
                if state == ModerationState::Published {
                    { button(ModerationAction::Hide, "mod-hide", Key::ModerationHide, Key::ModerationHidden, "") }
                }
                if matches!(state, ModerationState::Hidden | ModerationState::Rejected) || (state == ModerationState::Published && reported) {
                    { button(ModerationAction::Restore, "mod-restore",
                        if state == ModerationState::Published { Key::ModerationKeep } else { Key::ModerationRestore },
                        Key::ModerationRestored, "") }
                }
                if state != ModerationState::Rejected {
                    { button(ModerationAction::Reject, "mod-reject", Key::ModerationReject, Key::ModerationRejected, "danger") }
                }
            </div>
            <Status id={AttrValue::from("mod-status")} text={(*request.said).clone()} />
            <ErrorAlert id={AttrValue::from("mod-error")} error={(*request.error).clone()} />
        </section>
    }
}

/// The photo: the one residents see and one waiting for approval, each with its alt
/// text; remove it, approve or reject a waiting one, or post a new one (a moderator's
/// photo shows at once).
#[function_component(PhotoSection)]
fn photo_section(props: &SectionProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let request = use_request(props.on_change.clone());
    let alt = use_state(String::new);
    let file_input = use_node_ref();
    let id = &props.item.initiative.card.id;
    let photo_path = initiative_path(&session.info.community, id, "/photo");
    let moderation_path = initiative_path(&session.info.community, id, "/moderation");
    let shown = props.item.initiative.card.photo.clone();
    let pending = props.item.pending_photo.clone();
    let busy = (*request.busy).then_some("true");

    let figure = |photo: &Photo, id: &'static str, caption: Key| {
        html! {
            <figure class="photo" {id}>
                <img src={photo.card_url.clone()} alt={photo.alt.clone()}
                    width={photo.width.to_string()} height={photo.height.to_string()} />
                <figcaption>
                    <strong>{ t(caption) }</strong>
                    <span class="hint">{ fill(t(Key::ModerationPhotoAlt), &[("alt", &photo.alt)]) }</span>
                </figcaption>
            </figure>
        }
    };
    let action = |id: &'static str,
                  label: Key,
                  class: &'static str,
                  onclick: Callback<MouseEvent>| {
        html! {
            <button type="button" {id} class={class} {onclick} aria-disabled={busy}>{ t(label) }</button>
        }
    };
    let remove = {
        let request = request.clone();
        let path = photo_path.clone();
        Callback::from(move |_: MouseEvent| {
            let path = path.clone();
            request.run(lang, Key::ModerationPhotoRemoved, async move {
                api::delete_for(&path).await
            });
        })
    };
    let approve = {
        let request = request.clone();
        let path = moderation_path.clone();
        Callback::from(move |_: MouseEvent| {
            let path = path.clone();
            request.run(lang, Key::ModerationPhotoApproved, async move {
                let body = ModerationRequest {
                    action: ModerationAction::Approve,
                    note: String::new(),
                };
                api::post(&path, &body).await
            });
        })
    };
    let reject = {
        let request = request.clone();
        let path = format!("{photo_path}?which=pending");
        Callback::from(move |_: MouseEvent| {
            let path = path.clone();
            request.run(lang, Key::ModerationPhotoRejected, async move {
                api::delete_for(&path).await
            });
        })
    };
    let upload = {
        let request = request.clone();
        let alt = alt.clone();
        let file_input = file_input.clone();
        let path = photo_path.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let file = file_input
                .cast::<web_sys::HtmlInputElement>()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            let Some(file) = file else {
                request.error.set(Some(ApiError::local(api::PHOTO_MISSING)));
                focus_selector("#photo-file");
                return;
            };
            let text: String = js_sys::encode_uri_component(alt.trim()).into();
            let path = format!("{path}?alt={text}");
            let alt = alt.clone();
            let file_input = file_input.clone();
            request.run(lang, Key::ModerationPhotoSaved, async move {
                let after = api::put_file(&path, &file).await.map_err(|mut e| {
                    // Over the upload limit: the server's general "body too large".
                    if e.is(mekaar_api::ErrorCode::BodyTooLarge) {
                        e.code = mekaar_api::ErrorCode::PhotoTooLarge.as_str().into();
                    }
                    e
                })?;
                alt.set(String::new());
                if let Some(input) = file_input.cast::<web_sys::HtmlInputElement>() {
                    input.set_value("");
                }
                Ok(after)
            });
        })
    };
    let published = props.item.moderation == ModerationState::Published;

    html! {
        <section class="card" id="mod-photo" aria-labelledby="mod-photo-title">
            <h2 id="mod-photo-title">{ t(Key::ModerationPhoto) }</h2>
            if shown.is_none() && pending.is_none() {
                <p class="hint">{ t(Key::ModerationPhotoNone) }</p>
            }
            if let Some(photo) = &shown {
                { figure(photo, "photo-shown", Key::ModerationPhotoShown) }
            }
            if let Some(photo) = &pending {
                { figure(photo, "photo-pending", Key::ModerationPhotoPending) }
                <p class="hint">{ t(Key::ModerationPhotoPendingHint) }</p>
            }
            <div class="actions">
                if pending.is_some() && published {
                    { action("photo-approve", Key::ModerationPhotoApprove, "primary", approve) }
                }
                if pending.is_some() {
                    { action("photo-reject", Key::ModerationPhotoRejectPending, "", reject) }
                }
                if shown.is_some() || pending.is_some() {
                    { action("photo-remove", Key::ModerationPhotoRemove, "danger", remove) }
                }
            </div>
            <form onsubmit={upload}>
                <h3>{ t(Key::ModerationPhotoUpload) }</h3>
                <div class="field">
                    <label for="photo-file">{ t(Key::ModerationPhotoFile) }</label>
                    <input type="file" id="photo-file" ref={file_input}
                        accept="image/jpeg,image/png,image/webp" />
                </div>
                <div class="field">
                    <label for="photo-alt">{ t(Key::ModerationPhotoAltLabel) }</label>
                    <input type="text" id="photo-alt" maxlength="300" required=true
                        aria-describedby="photo-alt-hint"
                        value={(*alt).clone()}
                        oninput={let alt = alt.clone(); Callback::from(move |e: InputEvent| alt.set(input_text(&e)))} />
                    <p class="hint" id="photo-alt-hint">{ t(Key::ModerationPhotoAltHint) }</p>
                </div>
                <div class="actions">
                    <button type="submit" id="photo-save" class="primary" aria-disabled={busy}>
                        { t(Key::ModerationPhotoSave) }
                    </button>
                </div>
            </form>
            <Status id={AttrValue::from("photo-status")} text={(*request.said).clone()} />
            <ErrorAlert id={AttrValue::from("photo-error")} error={(*request.error).clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EditProps {
    item: Rc<InitiativeAdmin>,
    settings: Option<Rc<CommunityPublic>>,
    on_change: Callback<InitiativeAdmin>,
}

/// The texts, area and theme; only changed fields are sent.
#[function_component(EditForm)]
fn edit_form(props: &EditProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let card = &props.item.initiative.card;
    let title = use_state(|| card.title.clone());
    let summary = use_state(|| card.summary.clone());
    let story = use_state(|| props.item.initiative.story.clone());
    let area = use_state(|| card.area.clone().unwrap_or_default());
    let theme = use_state(|| card.theme.clone().unwrap_or_default());
    let request = use_request(props.on_change.clone());

    let onsubmit = {
        let (title, summary, story, area, theme) = (
            title.clone(),
            summary.clone(),
            story.clone(),
            area.clone(),
            theme.clone(),
        );
        let item = props.item.clone();
        let request = request.clone();
        let path = initiative_path(&session.info.community, &card.id, "");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let card = &item.initiative.card;
            let changed = |new: &str, old: &str| (new != old).then(|| new.to_string());
            let edit = InitiativeEdit {
                title: changed(&title, &card.title),
                summary: changed(&summary, &card.summary),
                story: changed(&story, &item.initiative.story),
                area: changed(&area, card.area.as_deref().unwrap_or("")),
                theme: changed(&theme, card.theme.as_deref().unwrap_or("")),
                status: None,
            };
            let path = path.clone();
            request.run(lang, Key::CommonSaved, async move {
                api::patch(&path, &edit).await
            });
        })
    };
    let field_error = |name: &str| {
        request
            .error
            .as_ref()
            .is_some_and(|e| e.field.as_deref() == Some(name))
            .then_some("true")
    };
    let choices = |current: &str, options: Vec<String>| -> Html {
        let mut options = options;
        if !current.is_empty() && !options.iter().any(|o| o == current) {
            options.push(current.to_string());
        }
        html! {
            <>
                <option value="" selected={current.is_empty()}>{ t(Key::CommonNone) }</option>
                { for options.into_iter().map(|o| html! {
                    <option value={o.clone()} selected={o == current}>{ o.clone() }</option>
                }) }
            </>
        }
    };
    let areas = props
        .settings
        .as_ref()
        .map(|s| s.areas.clone())
        .unwrap_or_default();
    let themes = props
        .settings
        .as_ref()
        .map(|s| s.themes.clone())
        .unwrap_or_default();

    html! {
        <section class="card" aria-labelledby="edit-title-h">
            <h2 id="edit-title-h">{ t(Key::ModerationEdit) }</h2>
            <form {onsubmit} novalidate=true>
                <div class="field">
                    <label for="edit-title">{ t(Key::ModerationFieldTitle) }</label>
                    <input id="edit-title" type="text" maxlength={mekaar_api::limits::TITLE.to_string()}
                        value={(*title).clone()} aria-invalid={field_error("title")} aria-describedby={field_error("title").map(|_| "edit-error")}
                        oninput={let s = title.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                </div>
                <div class="field">
                    <label for="edit-summary">{ t(Key::ModerationFieldSummary) }</label>
                    <textarea id="edit-summary" rows="2" maxlength={mekaar_api::limits::SUMMARY.to_string()}
                        value={(*summary).clone()} aria-invalid={field_error("summary")} aria-describedby={field_error("summary").map(|_| "edit-error")}
                        oninput={let s = summary.clone(); Callback::from(move |e: InputEvent| s.set(area_text(&e)))} />
                </div>
                <div class="field">
                    <label for="edit-story">{ t(Key::ModerationFieldStory) }</label>
                    <textarea id="edit-story" rows="8" maxlength={mekaar_api::limits::STORY.to_string()}
                        value={(*story).clone()} aria-invalid={field_error("story")} aria-describedby={field_error("story").map(|_| "edit-error")}
                        oninput={let s = story.clone(); Callback::from(move |e: InputEvent| s.set(area_text(&e)))} />
                </div>
                <div class="field">
                    <label for="edit-area">{ t(Key::ModerationColArea) }</label>
                    <select id="edit-area" aria-invalid={field_error("area")} aria-describedby={field_error("area").map(|_| "edit-error")}
                        onchange={let s = area.clone(); Callback::from(move |e: Event| s.set(select_value(&e)))}>
                        { choices(&area, areas) }
                    </select>
                </div>
                <div class="field">
                    <label for="edit-theme">{ t(Key::ModerationTheme) }</label>
                    <select id="edit-theme" aria-invalid={field_error("theme")} aria-describedby={field_error("theme").map(|_| "edit-error")}
                        onchange={let s = theme.clone(); Callback::from(move |e: Event| s.set(select_value(&e)))}>
                        { choices(&theme, themes) }
                    </select>
                </div>
                <button type="submit" id="edit-save" class="primary"
                    aria-disabled={(*request.busy).then_some("true")}>
                    { if *request.busy { t(Key::CommonSaving) } else { t(Key::CommonSave) } }
                </button>
            </form>
            <Status id={AttrValue::from("edit-status")} text={(*request.said).clone()} />
            <ErrorAlert id={AttrValue::from("edit-error")} error={(*request.error).clone()} />
        </section>
    }
}

/// Where the initiative is in its life: idea … realised, stopped.
#[function_component(StatusForm)]
fn status_form(props: &SectionProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let status = use_state(|| props.item.initiative.card.status);
    let request = use_request(props.on_change.clone());
    let onsubmit = {
        let status = status.clone();
        let request = request.clone();
        let path = initiative_path(&session.info.community, &props.item.initiative.card.id, "");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let edit = InitiativeEdit {
                status: Some(*status),
                ..Default::default()
            };
            let path = path.clone();
            request.run(lang, Key::CommonSaved, async move {
                api::patch(&path, &edit).await
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="status-title">
            <h2 id="status-title">{ t(Key::ModerationStatus) }</h2>
            <form {onsubmit} class="inline-form">
                <div class="field">
                    <label for="status-select">{ t(Key::ModerationStatusLabel) }</label>
                    <select id="status-select"
                        onchange={let s = status.clone(); Callback::from(move |e: Event| {
                            if let Some(v) = InitiativeStatus::parse(&select_value(&e)) { s.set(v) }
                        })}>
                        { for InitiativeStatus::ALL.into_iter().map(|s| html! {
                            <option value={s.as_str()} selected={s == *status}>{ t(status_key(s)) }</option>
                        }) }
                    </select>
                </div>
                <button type="submit" id="status-save" aria-disabled={(*request.busy).then_some("true")}>
                    { t(Key::CommonSave) }
                </button>
            </form>
            <Status id={AttrValue::from("status-status")} text={(*request.said).clone()} />
            <ErrorAlert id={AttrValue::from("status-error")} error={(*request.error).clone()} />
        </section>
    }
}

/// The official answer (replaces an earlier one).
#[function_component(AnswerForm)]
fn answer_form(props: &SectionProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let old = props.item.initiative.answer.clone();
    let text = use_state(|| old.as_ref().map(|a| a.text.clone()).unwrap_or_default());
    let by = use_state(|| {
        old.as_ref()
            .map(|a| a.answered_by.clone())
            .unwrap_or_default()
    });
    let request = use_request(props.on_change.clone());
    let onsubmit = {
        let (text, by) = (text.clone(), by.clone());
        let request = request.clone();
        let path = initiative_path(
            &session.info.community,
            &props.item.initiative.card.id,
            "/answer",
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = AnswerPost {
                text: (*text).clone(),
                answered_by: (*by).clone(),
            };
            let path = path.clone();
            request.run(lang, Key::ModerationAnswered, async move {
                api::put(&path, &body).await
            });
        })
    };
    let field_error = |name: &str| {
        request
            .error
            .as_ref()
            .is_some_and(|e| e.field.as_deref() == Some(name))
            .then_some("true")
    };
    html! {
        <section class="card" aria-labelledby="answer-title">
            <h2 id="answer-title">{ t(Key::ModerationAnswer) }</h2>
            if let Some(a) = &old {
                <p class="hint" id="answer-current">
                    { fill(t(Key::ModerationAnswerCurrent), &[("by", &a.answered_by), ("when", &format_time(a.answered_at, lang))]) }
                </p>
            }
            <form {onsubmit} novalidate=true>
                <div class="field">
                    <label for="answer-text">{ t(Key::ModerationAnswerText) }</label>
                    <textarea id="answer-text" rows="5" maxlength={mekaar_api::limits::ANSWER.to_string()}
                        value={(*text).clone()} aria-invalid={field_error("text")} aria-describedby={field_error("text").map(|_| "answer-error")}
                        oninput={let s = text.clone(); Callback::from(move |e: InputEvent| s.set(area_text(&e)))} />
                </div>
                <div class="field">
                    <label for="answer-by">{ t(Key::ModerationAnswerBy) }</label>
                    <input id="answer-by" type="text" maxlength={mekaar_api::limits::NAME.to_string()}
                        aria-describedby={if field_error("answered_by").is_some() { "answer-by-hint answer-error" } else { "answer-by-hint" }} value={(*by).clone()} aria-invalid={field_error("answered_by")}
                        oninput={let s = by.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                    <p class="hint" id="answer-by-hint">{ t(Key::ModerationAnswerByHint) }</p>
                </div>
                <button type="submit" id="answer-save" class="primary" aria-disabled={(*request.busy).then_some("true")}>
                    { t(Key::ModerationAnswerSave) }
                </button>
            </form>
            <Status id={AttrValue::from("answer-status")} text={(*request.said).clone()} />
            <ErrorAlert id={AttrValue::from("answer-error")} error={(*request.error).clone()} />
        </section>
    }
}

/// Body of erasing personal data (`mekaar_api::admin::ErasureRequest` on the wire).
#[derive(Serialize)]
#[serde(tag = "subject", rename_all = "snake_case")]
enum Erase {
    Initiator,
    Joiner { joiner: String },
}

/// Whose data the confirmation is about.
#[derive(Clone, PartialEq)]
enum Confirm {
    Initiator,
    Joiner(String, String),
}

/// The joiners (details visible to moderators) and erasing personal data on request: a
/// first press asks to confirm, in place; the erase is logged by the server.
#[function_component(Privacy)]
fn privacy(props: &SectionProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let confirm = use_state(|| None::<Confirm>);
    let request = use_request(props.on_change.clone());
    let path = initiative_path(
        &session.info.community,
        &props.item.initiative.card.id,
        "/erase",
    );

    let ask = |c: Confirm| {
        let confirm = confirm.clone();
        let said = request.said.clone();
        Callback::from(move |_: MouseEvent| {
            said.set(None);
            confirm.set(Some(c.clone()));
        })
    };
    let confirmation = confirm.as_ref().map(|c| {
        let question = match c {
            Confirm::Initiator => t(Key::ModerationEraseInitiatorAsk).to_string(),
            Confirm::Joiner(_, name) => fill(t(Key::ModerationEraseJoinerAsk), &[("name", name)]),
        };
        let yes = {
            let confirm = confirm.clone();
            let request = request.clone();
            let path = path.clone();
            let c = c.clone();
            Callback::from(move |_: MouseEvent| {
                let body = match &c {
                    Confirm::Initiator => Erase::Initiator,
                    Confirm::Joiner(id, _) => Erase::Joiner { joiner: id.clone() },
                };
                confirm.set(None);
                focus_selector("#privacy-title");
                let path = path.clone();
                request.run(lang, Key::ModerationErasedDone, async move {
                    api::post(&path, &body).await
                });
            })
        };
        let no = {
            let confirm = confirm.clone();
            Callback::from(move |_: MouseEvent| {
                confirm.set(None);
                focus_selector("#privacy-title");
            })
        };
        html! {
            <ConfirmBox id="erase" question={html! { question }} yes={t(Key::ModerationEraseYes)}
                cancel={t(Key::CommonCancel)} on_yes={yes} on_no={no} />
        }
    });

    let joins = &props.item.joins;
    let row = |j: &JoinAdmin| {
        let name = if j.erased {
            t(Key::ModerationErased).to_string()
        } else {
            j.detail.name.clone()
        };
        html! {
            <tr>
                <td>{ name.clone() }</td>
                <td>{ &j.detail.contact }</td>
                <td class="prewrap">{ &j.detail.message }</td>
                <td class="when">{ format_time(j.detail.joined_at, lang) }</td>
                <td>
                    if j.erased {
                        { t(Key::ModerationErased) }
                    } else {
                        <button type="button" class="danger erase-joiner" data-joiner={j.id.clone()}
                            aria-label={fill(t(Key::ModerationEraseJoinerLabel), &[("name", &name)])}
                            onclick={ask(Confirm::Joiner(j.id.clone(), name.clone()))}>
                            { t(Key::ModerationEraseJoiner) }
                        </button>
                    }
                </td>
            </tr>
        }
    };

    html! {
        <section class="card" aria-labelledby="privacy-title">
            <h2 id="privacy-title" tabindex="-1">{ t(Key::ModerationPrivacy) }</h2>
            <p class="hint">{ t(Key::ModerationPrivacyHint) }</p>
            <h3>{ t(Key::ModerationJoiners) }</h3>
            if joins.is_empty() {
                <p id="joiners-none">{ t(Key::ModerationNoJoiners) }</p>
            } else {
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="joiners-caption">
                    <table id="joiners">
                        <caption id="joiners-caption" class="visually-hidden">{ t(Key::ModerationJoiners) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ t(Key::ModerationJoinerName) }</th>
                                <th scope="col">{ t(Key::ModerationJoinerContact) }</th>
                                <th scope="col">{ t(Key::ModerationJoinerMessage) }</th>
                                <th scope="col">{ t(Key::ModerationJoinerWhen) }</th>
                                <th scope="col">{ t(Key::ModerationJoinerActions) }</th>
                            </tr>
                        </thead>
                        <tbody>{ for joins.iter().map(row) }</tbody>
                    </table>
                </div>
            }
            <h3>{ t(Key::ModerationInitiator) }</h3>
            if let Some(when) = props.item.initiator_erased_at {
                <p id="initiator-erased">{ fill(t(Key::ModerationInitiatorErasedAt), &[("when", &format_time(when, lang))]) }</p>
            } else if props.item.initiative.card.initiator_name.is_empty() && props.item.contact_email.is_none() {
                <p id="initiator-none">{ t(Key::ModerationInitiatorNothing) }</p>
            } else {
                <div class="actions">
                    <button type="button" id="erase-initiator" class="danger" onclick={ask(Confirm::Initiator)}>
                        { t(Key::ModerationEraseInitiator) }
                    </button>
                </div>
            }
            { confirmation.unwrap_or_default() }
            <Status id={AttrValue::from("privacy-status")} text={(*request.said).clone()} />
            <ErrorAlert id={AttrValue::from("privacy-error")} error={(*request.error).clone()} />
        </section>
    }
}
