//! The reactions queue (`#/reactions`, `#/reactions/pending`, `#/reactions/reported`,
//! `#/reactions/all`): residents' reactions on initiatives, polls and topics, decided in
//! place. The bare `#/reactions` opens on the first tab with work waiting; every tab shows
//! how many it holds.
//!
//! A screen of its own, next to the initiatives' moderation, because the work differs:
//! reactions come many a day, are short, and are decided in the list itself (approve,
//! hide, restore, remove, erase the name, reply as the municipality) without opening a
//! detail page, while an initiative needs its own page (text, photo, status, answer). A
//! moderator sees in the navigation which of the two has work waiting (each its own
//! badge).
//!
//! Each reaction says where it was posted (thread kind and title, a link to the thread's
//! settings), who wrote it ("Inwoner" without a name), its stance, its text (as text,
//! never HTML), when, its badge, its reports with their reasons and why it waits. A
//! decision keeps the reaction in the list with its new state, says so in the reaction's
//! own live region and keeps the focus on the reaction's heading; the counts and the
//! navigation's badge are asked again.
//!
//! Element ids: the tabs `#rqueue-pending`, `#rqueue-reported`, `#rqueue-all`; the list
//! `#reaction-list` with an `li.reaction` (`#reaction-{id}`) per reaction, in it the
//! heading `#reaction-{id}-title`, the text `.reaction-text`, the state `.reaction-state`,
//! the buttons `button.r-approve`, `.r-hide`, `.r-restore`, `.r-remove`, `.r-erase-name`,
//! `.r-reply`; the remove confirmation `#remove-{id}-yes`/`-no`; the reply form
//! `#reply-{id}-text`, `#reply-{id}-name`, `#reply-{id}-send`; the live region
//! `#reaction-{id}-status` and the alert `#reaction-{id}-error`; `#rqueue-empty`.

use mekaar_api::discussions::{
    Badge, OfficialReactionPost, ReactionAction, ReactionAdmin, ReactionAdminList,
    ReactionModeration, ReactionQueueCounts, ReactionState, Stance, ThreadKind,
};
use yew::prelude::*;

use super::kit::{area_text, focus_heading, focus_selector, input_text, ConfirmBox};
use super::{format_time, ErrorAlert, Heading, LoadFailed, Loading, ScreenProps, Status};
use crate::api::{self, ApiError};
use crate::app::{use_badge_refresh, Screen};
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::{use_session, RoleInConsole};

/// Which part of the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Pending,
    Reported,
    All,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Pending, Tab::Reported, Tab::All];

    /// The `queue=` value, and the fragment after `#/reactions/`.
    pub fn name(self) -> &'static str {
        match self {
            Tab::Pending => "pending",
            Tab::Reported => "reported",
            Tab::All => "all",
        }
    }

    pub fn parse(rest: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.name() == rest)
    }

    pub fn count(self, counts: &ReactionQueueCounts) -> u64 {
        match self {
            Tab::Pending => counts.pending,
            Tab::Reported => counts.reported,
            Tab::All => counts.all,
        }
    }

    /// Where the bare `#/reactions` opens: the first tab with work waiting; with nothing
    /// waiting, the approval tab, which says so.
    pub fn landing(counts: &ReactionQueueCounts) -> Tab {
        [Tab::Pending, Tab::Reported]
            .into_iter()
            .find(|t| t.count(counts) > 0)
            .unwrap_or(Tab::Pending)
    }

    fn key(self) -> Key {
        match self {
            Tab::Pending => Key::ReactionsTabPending,
            Tab::Reported => Key::ReactionsTabReported,
            Tab::All => Key::ReactionsTabAll,
        }
    }

    fn empty_key(self) -> Key {
        match self {
            Tab::Pending => Key::ReactionsEmptyPending,
            Tab::Reported => Key::ReactionsEmptyReported,
            Tab::All => Key::ReactionsEmptyAll,
        }
    }
}

/// What the navigation's badge counts: reactions waiting for approval and reactions with
/// reports nobody looked at yet.
pub fn waiting(counts: &ReactionQueueCounts) -> u64 {
    counts.pending + counts.reported
}

pub fn state_key(state: ReactionState) -> Key {
    match state {
        ReactionState::Pending => Key::ReactionsStatePending,
        ReactionState::Published => Key::ReactionsStatePublished,
        ReactionState::Hidden => Key::ReactionsStateHidden,
        ReactionState::Removed => Key::ReactionsStateRemoved,
    }
}

pub fn stance_key(stance: Stance) -> Key {
    match stance {
        Stance::For => Key::ReactionsStanceFor,
        Stance::Against => Key::ReactionsStanceAgainst,
        Stance::Question => Key::ReactionsStanceQuestion,
        Stance::Idea => Key::ReactionsStanceIdea,
    }
}

pub fn kind_key(kind: ThreadKind) -> Key {
    match kind {
        ThreadKind::Initiative => Key::ReactionsKindInitiative,
        ThreadKind::Poll => Key::ReactionsKindPoll,
        ThreadKind::Topic => Key::ReactionsKindTopic,
    }
}

/// Why a reaction waits, for people; `None` when it did not wait (or for a reason this
/// console does not know yet, shown as its code).
pub fn held_key(held_for: &str) -> Option<Key> {
    Some(match held_for {
        "pre_moderation" => Key::ReactionsHeldPre,
        "link" => Key::ReactionsHeldLink,
        "word" => Key::ReactionsHeldWord,
        "first_reaction" => Key::ReactionsHeldFirst,
        _ => return None,
    })
}

/// The decisions a moderator can take on a reaction in `state`, in the order of the
/// buttons. A published reaction with open reports can be kept (its reports set aside,
/// by `restore`).
pub fn actions(item: &ReactionAdmin) -> Vec<ReactionAction> {
    let r = &item.reaction;
    let mut out = Vec::new();
    match r.state {
        ReactionState::Pending => {
            out.extend([ReactionAction::Approve, ReactionAction::Hide]);
        }
        ReactionState::Published => {
            if item.reports_open {
                out.push(ReactionAction::Restore);
            }
            out.push(ReactionAction::Hide);
        }
        ReactionState::Hidden => out.push(ReactionAction::Restore),
        ReactionState::Removed => return out,
    }
    out.push(ReactionAction::Remove);
    if !r.name.trim().is_empty() && r.badge != Some(Badge::Municipality) {
        out.push(ReactionAction::EraseName);
    }
    out
}

/// The reaction a reply to `item` answers: replies are one level deep, so a reply to a
/// reply goes under the same top-level reaction.
pub fn reply_target(item: &ReactionAdmin) -> String {
    item.reaction
        .reply_to
        .clone()
        .unwrap_or_else(|| item.reaction.id.clone())
}

fn action_name(a: ReactionAction) -> &'static str {
    match a {
        ReactionAction::Approve => "approve",
        ReactionAction::Hide => "hide",
        ReactionAction::Restore => "restore",
        ReactionAction::Remove => "remove",
        ReactionAction::EraseName => "erase-name",
    }
}

/// The button's text; `kept`: a published reaction's reports are set aside.
fn action_label(a: ReactionAction, state: ReactionState) -> Key {
    match a {
        ReactionAction::Approve => Key::ReactionsApprove,
        ReactionAction::Hide => Key::ReactionsHide,
        ReactionAction::Restore if state == ReactionState::Published => Key::ReactionsKeep,
        ReactionAction::Restore => Key::ReactionsRestore,
        ReactionAction::Remove => Key::ReactionsRemove,
        ReactionAction::EraseName => Key::ReactionsEraseName,
    }
}

fn action_done(a: ReactionAction, state: ReactionState) -> Key {
    match a {
        ReactionAction::Approve => Key::ReactionsApproved,
        ReactionAction::Hide => Key::ReactionsHidden,
        ReactionAction::Restore if state == ReactionState::Published => Key::ReactionsKept,
        ReactionAction::Restore => Key::ReactionsRestored,
        ReactionAction::Remove => Key::ReactionsRemoved,
        ReactionAction::EraseName => Key::ReactionsNameErased,
    }
}

/// The name shown for a reaction's author.
pub fn author(item: &ReactionAdmin, lang: Lang) -> String {
    let name = item.reaction.name.trim();
    if name.is_empty() {
        Key::ReactionsResident.text(lang).to_string()
    } else {
        name.to_string()
    }
}

/// The link to a thread's settings (the topics screen shows every kind of thread).
pub fn thread_href(kind: ThreadKind, id: &str) -> String {
    format!(
        "#/{}/{}/{}",
        Screen::Topics.path(),
        kind.as_str(),
        api::encode_segment(id)
    )
}

#[function_component(Reactions)]
pub fn reactions(props: &ScreenProps) -> Html {
    let rest = props.rest.trim_matches('/');
    let tab = Tab::parse(rest);
    html! { <Queue {tab} /> }
}

#[derive(Properties, PartialEq)]
struct QueueProps {
    tab: Option<Tab>,
}

type Loaded = (Tab, Vec<ReactionAdmin>);

#[function_component(Queue)]
fn queue(props: &QueueProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let refresh_badge = use_badge_refresh();
    let list = use_state(|| None::<Result<Loaded, ApiError>>);
    let counts = use_state(|| None::<ReactionQueueCounts>);
    let reload = use_state(|| 0_u32);
    let community = session.info.community.clone();

    use_effect_with((), |_| focus_heading());
    {
        let (list, counts) = (list.clone(), counts.clone());
        let community = community.clone();
        use_effect_with((props.tab, *reload), move |(tab, _)| {
            list.set(None);
            let asked = *tab;
            let list = list.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let get = |tab: Tab| {
                    let path =
                        api::admin_path(&community, &format!("/reactions?queue={}", tab.name()));
                    async move { api::get::<ReactionAdminList>(&path).await }
                };
                let first = asked.unwrap_or(Tab::Pending);
                let mut answer = get(first).await.map(|l| (first, l));
                if let (None, Ok((_, l))) = (asked, &answer) {
                    let landing = Tab::landing(&l.counts);
                    if landing != first {
                        answer = get(landing).await.map(|l| (landing, l));
                    }
                }
                if let Ok((_, l)) = &answer {
                    counts.set(Some(l.counts));
                }
                list.set(Some(answer.map(|(tab, l)| (tab, l.reactions))));
            });
        });
    }

    // After any change: the counts and the navigation's badge are asked again.
    let refresh_counts = {
        let counts = counts.clone();
        let community = community.clone();
        let refresh_badge = refresh_badge.clone();
        Callback::from(move |()| {
            let counts = counts.clone();
            let path = api::admin_path(&community, "/reactions?queue=reported");
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(l) = api::get::<ReactionAdminList>(&path).await {
                    counts.set(Some(l.counts));
                }
            });
            refresh_badge.emit(());
        })
    };
    // A decision: the reaction changes in place (it stays in the list until the tab is
    // loaded again, so the focus and the live region stay where the moderator is).
    let on_change = {
        let list = list.clone();
        let refresh_counts = refresh_counts.clone();
        Callback::from(move |after: ReactionAdmin| {
            if let Some(Ok((tab, items))) = &*list {
                let items = items
                    .iter()
                    .map(|r| {
                        if r.reaction.id == after.reaction.id {
                            after.clone()
                        } else {
                            r.clone()
                        }
                    })
                    .collect();
                list.set(Some(Ok((*tab, items))));
            }
            refresh_counts.emit(());
        })
    };
    // A reply as the municipality: on the "all" tab it joins the list at the top (newest
    // first); the other tabs do not hold it.
    let on_reply = {
        let list = list.clone();
        Callback::from(move |posted: ReactionAdmin| {
            if let Some(Ok((Tab::All, items))) = &*list {
                let mut items = items.clone();
                items.insert(0, posted);
                list.set(Some(Ok((Tab::All, items))));
            }
            refresh_counts.emit(());
        })
    };

    let shown = props.tab.or_else(|| match &*list {
        Some(Ok((tab, _))) => Some(*tab),
        _ => None,
    });
    let tab_label = |tab: Tab| -> String {
        match &*counts {
            Some(c) => fill(
                t(Key::ReactionsTabCount),
                &[("tab", t(tab.key())), ("n", &tab.count(c).to_string())],
            ),
            None => t(tab.key()).to_string(),
        }
    };
    let tabs = html! {
        <nav class="queue-tabs" aria-label={t(Key::ReactionsQueueLabel)}>
            <ul>
                { for Tab::ALL.into_iter().map(|tab| html! {
                    <li>
                        <a id={format!("rqueue-{}", tab.name())}
                            href={format!("#/{}/{}", Screen::Reactions.path(), tab.name())}
                            aria-current={(Some(tab) == shown).then_some("page")}>
                            { tab_label(tab) }
                        </a>
                    </li>
                }) }
            </ul>
        </nav>
    };
    let may_reply = session.info.role.may(Screen::Reactions);
    let body = match &*list {
        None => html! { <Loading /> },
        Some(Err(e)) => {
            let reload = reload.clone();
            html! {
                <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} />
            }
        }
        Some(Ok((tab, items))) if items.is_empty() => html! {
            <p id="rqueue-empty">{ t(tab.empty_key()) }</p>
        },
        Some(Ok((tab, items))) => html! {
            <>
                <p class="hint" id="reaction-list-caption">
                    { fill(t(Key::ReactionsListCaption), &[("queue", t(tab.key())), ("n", &items.len().to_string())]) }
                </p>
                <ul id="reaction-list" class="reaction-list" aria-labelledby="rqueue-title">
                    { for items.iter().map(|item| html! {
                        <Item key={item.reaction.id.clone()} item={item.clone()}
                            on_change={on_change.clone()} on_reply={on_reply.clone()} {may_reply} />
                    }) }
                </ul>
            </>
        },
    };

    html! {
        <>
            <Heading text={t(Key::ReactionsTitle)} />
            <p class="hint">{ t(Key::ReactionsIntro) }</p>
            { tabs }
            if let Some(tab) = shown {
                <h2 id="rqueue-title">{ t(tab.key()) }</h2>
            }
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ItemProps {
    item: ReactionAdmin,
    on_change: Callback<ReactionAdmin>,
    on_reply: Callback<ReactionAdmin>,
    may_reply: bool,
}

/// One reaction with everything a moderator decides on.
#[function_component(Item)]
fn item(props: &ItemProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);
    let confirm_remove = use_state(|| false);
    let replying = use_state(|| false);
    let reply_text = use_state(String::new);
    let reply_name = use_state(String::new);
    let reply_error = use_state(|| None::<ApiError>);

    let item = &props.item;
    let r = &item.reaction;
    let id = r.id.clone();
    let title_id = format!("reaction-{id}-title");
    let state = r.state;

    // Runs a decision; on success the list shows the new state, the focus stays on this
    // reaction's heading and its live region says what happened.
    let decide = {
        let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
        let on_change = props.on_change.clone();
        let path = api::admin_path(
            &community,
            &format!("/reactions/{}/moderate", api::encode_segment(&id)),
        );
        let title_id = title_id.clone();
        Callback::from(move |action: ReactionAction| {
            if *busy {
                return;
            }
            busy.set(true);
            said.set(None);
            error.set(None);
            let (busy, said, error) = (busy.clone(), said.clone(), error.clone());
            let on_change = on_change.clone();
            let path = path.clone();
            let title_id = title_id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let body = ReactionModeration {
                    action,
                    note: String::new(),
                };
                let answer = api::post::<_, ReactionAdmin>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(after) => {
                        said.set(Some(action_done(action, state).text(lang).into()));
                        on_change.emit(after);
                    }
                    Err(e) => error.set(Some(e)),
                }
                focus_selector(&format!("#{title_id}"));
            });
        })
    };

    let buttons = actions(item).into_iter().map(|a| {
        let class = classes!(
            format!("r-{}", action_name(a)),
            match a {
                ReactionAction::Approve => Some("primary"),
                ReactionAction::Remove => Some("danger"),
                _ => None,
            }
        );
        let onclick = if a == ReactionAction::Remove {
            let confirm = confirm_remove.clone();
            let said = said.clone();
            Callback::from(move |_: MouseEvent| {
                said.set(None);
                confirm.set(true);
            })
        } else {
            let decide = decide.clone();
            Callback::from(move |_: MouseEvent| decide.emit(a))
        };
        html! {
            <button type="button" {class} {onclick} aria-disabled={busy.then_some("true")}
                aria-describedby={title_id.clone()}>
                { t(action_label(a, state)) }
            </button>
        }
    });

    let confirmation = (*confirm_remove).then(|| {
        let yes = {
            let confirm = confirm_remove.clone();
            let decide = decide.clone();
            Callback::from(move |_: MouseEvent| {
                confirm.set(false);
                decide.emit(ReactionAction::Remove);
            })
        };
        let no = {
            let confirm = confirm_remove.clone();
            let id = id.clone();
            Callback::from(move |_: MouseEvent| {
                confirm.set(false);
                focus_selector(&format!("#reaction-{id} .r-remove"));
            })
        };
        html! {
            <ConfirmBox id={format!("remove-{id}")} question={html! { t(Key::ReactionsRemoveAsk) }}
                yes={t(Key::ReactionsRemoveYes)} cancel={t(Key::CommonCancel)} on_yes={yes} on_no={no} />
        }
    });

    // Replies go under published reactions only (the server refuses others).
    let can_reply = props.may_reply
        && state == ReactionState::Published
        && r.badge != Some(Badge::Municipality);
    let reply_form = (*replying).then(|| {
        let text_id = format!("reply-{id}-text");
        let name_id = format!("reply-{id}-name");
        let onsubmit = {
            let (busy, said, reply_error) = (busy.clone(), said.clone(), reply_error.clone());
            let (reply_text, reply_name, replying) =
                (reply_text.clone(), reply_name.clone(), replying.clone());
            let on_reply = props.on_reply.clone();
            let path = api::admin_path(
                &community,
                &format!(
                    "/threads/{}/{}/reactions",
                    item.thread_kind.as_str(),
                    api::encode_segment(&item.thread_id)
                ),
            );
            let reply_to = reply_target(item);
            let title_id = title_id.clone();
            let text_id = text_id.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                if *busy {
                    return;
                }
                let text = reply_text.trim().to_string();
                if text.is_empty() {
                    reply_error.set(Some(ApiError::local(EMPTY_REPLY)));
                    focus_selector(&format!("#{text_id}"));
                    return;
                }
                busy.set(true);
                said.set(None);
                reply_error.set(None);
                let body = OfficialReactionPost {
                    text,
                    name: reply_name.trim().to_string(),
                    reply_to: Some(reply_to.clone()),
                };
                let (busy, said, reply_error) = (busy.clone(), said.clone(), reply_error.clone());
                let (reply_text, replying) = (reply_text.clone(), replying.clone());
                let on_reply = on_reply.clone();
                let path = path.clone();
                let title_id = title_id.clone();
                let text_id = text_id.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = api::post::<_, ReactionAdmin>(&path, &body).await;
                    busy.set(false);
                    match answer {
                        Ok(posted) => {
                            reply_text.set(String::new());
                            replying.set(false);
                            said.set(Some(Key::ReactionsReplied.text(lang).into()));
                            on_reply.emit(posted);
                            focus_selector(&format!("#{title_id}"));
                        }
                        Err(e) => {
                            reply_error.set(Some(e));
                            focus_selector(&format!("#{text_id}"));
                        }
                    }
                });
            })
        };
        let cancel = {
            let replying = replying.clone();
            let reply_error = reply_error.clone();
            let id = id.clone();
            Callback::from(move |_: MouseEvent| {
                replying.set(false);
                reply_error.set(None);
                focus_selector(&format!("#reaction-{id} .r-reply"));
            })
        };
        let text_invalid = reply_error
            .as_ref()
            .is_some_and(|e| e.is_local(EMPTY_REPLY) || e.field.as_deref() == Some("text"))
            .then_some("true");
        html! {
            <form class="reply-form" {onsubmit} novalidate=true aria-labelledby={format!("reply-{id}-h")}>
                <h4 id={format!("reply-{id}-h")}>{ t(Key::ReactionsReplyTitle) }</h4>
                <div class="field">
                    <label for={text_id.clone()}>{ t(Key::ReactionsReplyText) }</label>
                    <textarea id={text_id.clone()} rows="4"
                        maxlength={mekaar_api::discussions::limits::TEXT.to_string()}
                        value={(*reply_text).clone()} aria-invalid={text_invalid}
                        aria-describedby={text_invalid.map(|_| format!("reply-{id}-error"))}
                        oninput={let s = reply_text.clone(); Callback::from(move |e: InputEvent| s.set(area_text(&e)))} />
                </div>
                <div class="field">
                    <label for={name_id.clone()}>{ t(Key::ReactionsReplyName) }</label>
                    <input id={name_id.clone()} type="text"
                        maxlength={mekaar_api::discussions::limits::DISPLAY_NAME.to_string()}
                        aria-describedby={format!("reply-{id}-name-hint")}
                        value={(*reply_name).clone()}
                        oninput={let s = reply_name.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                    <p class="hint" id={format!("reply-{id}-name-hint")}>{ t(Key::ReactionsReplyNameHint) }</p>
                </div>
                <ErrorAlert id={AttrValue::from(format!("reply-{id}-error"))} error={(*reply_error).clone()} />
                <div class="actions">
                    <button type="submit" class="primary" id={format!("reply-{id}-send")}
                        aria-disabled={busy.then_some("true")}>{ t(Key::ReactionsReplySend) }</button>
                    <button type="button" id={format!("reply-{id}-cancel")} onclick={cancel}>{ t(Key::CommonCancel) }</button>
                </div>
            </form>
        }
    });
    let open_reply = {
        let replying = replying.clone();
        let said = said.clone();
        let id = id.clone();
        Callback::from(move |_: MouseEvent| {
            said.set(None);
            replying.set(true);
            let id = id.clone();
            super::kit::later(0, move || focus_selector(&format!("#reply-{id}-text")));
        })
    };

    let held = (!item.held_for.is_empty()).then(|| {
        held_key(&item.held_for)
            .map(|k| t(k).to_string())
            .unwrap_or_else(|| item.held_for.clone())
    });
    let text = if state == ReactionState::Removed {
        html! { <p class="reaction-text hint">{ t(Key::ReactionsTextRemoved) }</p> }
    } else {
        html! { <p class="reaction-text prewrap">{ &r.text }</p> }
    };

    html! {
        <li class={classes!("card", "reaction", format!("state-{}", state_class(state)))} id={format!("reaction-{id}")}
            aria-labelledby={title_id.clone()}>
            <h3 id={title_id.clone()} tabindex="-1">
                { fill(t(Key::ReactionsItemTitle), &[("name", &author(item, lang))]) }
                if let Some(badge) = r.badge {
                    { " " }<span class="role-badge">{ t(match badge {
                        Badge::Initiator => Key::ReactionsBadgeInitiator,
                        Badge::Municipality => Key::ReactionsBadgeMunicipality,
                    }) }</span>
                }
            </h3>
            <dl class="facts">
                <div>
                    <dt>{ t(Key::ReactionsFactThread) }</dt>
                    <dd>
                        { t(kind_key(item.thread_kind)) }{ ": " }
                        <a href={thread_href(item.thread_kind, &item.thread_id)} class="reaction-thread">{ &item.thread_title }</a>
                    </dd>
                </div>
                <div>
                    <dt>{ t(Key::ReactionsFactState) }</dt>
                    <dd class="reaction-state">{ t(state_key(state)) }</dd>
                </div>
                <div>
                    <dt>{ t(Key::ReactionsFactWhen) }</dt>
                    <dd class="when">{ format_time(r.created_at, lang) }{ if r.edited { format!(" ({})", t(Key::ReactionsEdited)) } else { String::new() } }</dd>
                </div>
                if let Some(stance) = r.stance {
                    <div><dt>{ t(Key::ReactionsFactStance) }</dt><dd class="reaction-stance">{ t(stance_key(stance)) }</dd></div>
                }
                if r.reply_to.is_some() {
                    <div><dt>{ t(Key::ReactionsFactReply) }</dt><dd>{ t(Key::ReactionsFactReplyYes) }</dd></div>
                }
                if let Some(why) = held {
                    <div><dt>{ t(Key::ReactionsFactHeld) }</dt><dd class="reaction-held">{ why }</dd></div>
                }
                if item.report_count > 0 {
                    <div>
                        <dt>{ t(Key::ReactionsFactReports) }</dt>
                        <dd class="reaction-reports">
                            { fill(t(if item.reports_open { Key::ReactionsReportsOpen } else { Key::ReactionsReportsSeen }),
                                &[("n", &item.report_count.to_string())]) }
                            if !item.report_reasons.is_empty() {
                                <ul class="report-reasons">
                                    { for item.report_reasons.iter().map(|reason| html! { <li>{ reason }</li> }) }
                                </ul>
                            }
                        </dd>
                    </div>
                }
            </dl>
            { text }
            <div class="actions">
                { for buttons }
                if can_reply && !*replying {
                    <button type="button" class="r-reply" onclick={open_reply} aria-describedby={title_id.clone()}>
                        { t(Key::ReactionsReply) }
                    </button>
                }
            </div>
            { confirmation.unwrap_or_default() }
            { reply_form.unwrap_or_default() }
            <Status id={AttrValue::from(format!("reaction-{id}-status"))} text={(*said).clone()} />
            <ErrorAlert id={AttrValue::from(format!("reaction-{id}-error"))} error={(*error).clone()} />
        </li>
    }
}

/// A check the console makes itself: the reply has no text.
pub const EMPTY_REPLY: &str = "empty_reply";

fn state_class(state: ReactionState) -> &'static str {
    match state {
        ReactionState::Pending => "pending",
        ReactionState::Published => "published",
        ReactionState::Hidden => "hidden",
        ReactionState::Removed => "removed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mekaar_api::discussions::Reaction;

    fn item(state: ReactionState, name: &str, reports_open: bool) -> ReactionAdmin {
        ReactionAdmin {
            reaction: Reaction {
                id: "r1".into(),
                text: "<b>hoi</b>".into(),
                name: name.into(),
                stance: None,
                reply_to: None,
                badge: None,
                created_at: 1,
                edited: false,
                state,
                agree_count: 0,
                agreed: false,
                editable_until: None,
                replies: Vec::new(),
            },
            thread_kind: ThreadKind::Topic,
            thread_id: "t1".into(),
            thread_title: "Kermis".into(),
            held_for: String::new(),
            report_count: 0,
            report_reasons: Vec::new(),
            reports_open,
        }
    }

    #[test]
    fn the_bare_address_lands_where_the_work_is() {
        let mut c = ReactionQueueCounts::default();
        assert_eq!(Tab::landing(&c), Tab::Pending);
        c.reported = 2;
        assert_eq!(Tab::landing(&c), Tab::Reported);
        c.pending = 1;
        assert_eq!(Tab::landing(&c), Tab::Pending);
        c.all = 9;
        assert_eq!(waiting(&c), 3);
        for tab in Tab::ALL {
            assert_eq!(Tab::parse(tab.name()), Some(tab));
        }
        assert_eq!(Tab::parse("r1"), None);
    }

    #[test]
    fn decisions_follow_the_state() {
        use ReactionAction::*;
        assert_eq!(
            actions(&item(ReactionState::Pending, "", false)),
            [Approve, Hide, Remove]
        );
        assert_eq!(
            actions(&item(ReactionState::Published, "Piet", false)),
            [Hide, Remove, EraseName]
        );
        // Reported: keep it (the reports set aside) or hide it.
        assert_eq!(
            actions(&item(ReactionState::Published, "  ", true)),
            [Restore, Hide, Remove]
        );
        assert_eq!(
            actions(&item(ReactionState::Hidden, "Piet", true)),
            [Restore, Remove, EraseName]
        );
        assert!(actions(&item(ReactionState::Removed, "Piet", false)).is_empty());
        // The municipality's own name is not a resident's to erase.
        let mut own = item(ReactionState::Published, "Gemeente", false);
        own.reaction.badge = Some(Badge::Municipality);
        assert_eq!(actions(&own), [Hide, Remove]);
        assert_eq!(
            action_label(Restore, ReactionState::Published),
            Key::ReactionsKeep
        );
        assert_eq!(
            action_label(Restore, ReactionState::Hidden),
            Key::ReactionsRestore
        );
    }

    #[test]
    fn replies_go_under_the_top_level_reaction() {
        let mut r = item(ReactionState::Published, "", false);
        assert_eq!(reply_target(&r), "r1");
        r.reaction.reply_to = Some("r0".into());
        assert_eq!(reply_target(&r), "r0");
    }

    #[test]
    fn authors_threads_and_reasons_for_people() {
        let r = item(ReactionState::Published, " ", false);
        assert_eq!(author(&r, Lang::Nl), "Inwoner");
        assert_eq!(author(&r, Lang::En), "Resident");
        let r = item(ReactionState::Published, "Anna ", false);
        assert_eq!(author(&r, Lang::Nl), "Anna");
        assert_eq!(thread_href(ThreadKind::Poll, "p 1"), "#/topics/poll/p%201");
        for reason in ["pre_moderation", "link", "word", "first_reaction"] {
            assert!(held_key(reason).is_some(), "{reason}");
        }
        assert_eq!(held_key(""), None);
        assert_eq!(held_key("something_new"), None);
    }
}
