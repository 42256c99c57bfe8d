//! The audit log: who did what in the community, newest first, with "load more".

use serde::Deserialize;
use yew::prelude::*;

use super::{format_time, ErrorAlert, Heading, Loading};
use crate::api::{self, ApiError};
use crate::app::Screen;
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::{use_session, RoleInConsole};

/// Entries per step of "load more".
const STEP: usize = 50;
/// The most the server returns at once.
const MAX: usize = 1_000;

/// One line of the log as the server sends it (`before`/`after` are not shown here).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AuditEntry {
    pub at: u64,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub initiative: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// The label of a setting the server names in a `settings` entry's note.
fn setting_key(name: &str) -> Option<Key> {
    Some(match name {
        "name" => Key::SettingsName,
        "languages" => Key::SettingsLanguages,
        "areas" => Key::SettingsAreas,
        "themes" => Key::SettingsThemes,
        "support_threshold" => Key::SettingsThreshold,
        "moderation" => Key::SettingsModeration,
        "allowed_origins" => Key::SettingsOrigins,
        "reports_before_hide" => Key::SettingsReports,
        "retention_days" => Key::SettingsRetention,
        _ => return None,
    })
}

/// An entry's note as shown: the changed settings by their labels; other notes as written.
fn note_text(entry: &AuditEntry, lang: Lang) -> String {
    if entry.action != "settings" {
        return entry.note.clone();
    }
    entry
        .note
        .split(", ")
        .map(|name| setting_key(name).map_or(name, |k| k.text(lang)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The words for an action code of the server's audit log.
fn action_key(action: &str) -> Option<Key> {
    Some(match action {
        "create" => Key::AuditDoCreate,
        "edit" => Key::AuditDoEdit,
        "answer" => Key::AuditDoAnswer,
        "approve" => Key::AuditDoApprove,
        "reject" => Key::AuditDoReject,
        "hide" => Key::AuditDoHide,
        "restore" => Key::AuditDoRestore,
        "auto_hide" => Key::AuditDoAutoHide,
        "token_create" => Key::AuditDoTokenCreate,
        "token_delete" => Key::AuditDoTokenDelete,
        "poll_created" => Key::AuditDoPollCreated,
        "poll_edited" => Key::AuditDoPollEdited,
        "poll_opened" => Key::AuditDoPollOpened,
        "poll_closed" => Key::AuditDoPollClosed,
        "poll_revealed" => Key::AuditDoPollRevealed,
        "poll_unrevealed" => Key::AuditDoPollUnrevealed,
        "poll_reset" => Key::AuditDoPollReset,
        "erase_initiator" => Key::AuditDoEraseInitiator,
        "erase_joiner" => Key::AuditDoEraseJoiner,
        "erase_personal_data" => Key::AuditDoErasePersonalData,
        "settings" => Key::AuditDoSettings,
        "webhook_create" => Key::AuditDoWebhookCreate,
        "webhook_delete" => Key::AuditDoWebhookDelete,
        _ => return None,
    })
}

#[function_component(Audit)]
pub fn audit() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let limit = use_state(|| STEP);
    let entries = use_state(|| None::<Result<Vec<AuditEntry>, ApiError>>);
    let busy = use_state(|| false);

    {
        let (entries, busy) = (entries.clone(), busy.clone());
        let community = session.info.community.clone();
        use_effect_with(*limit, move |limit| {
            let path = api::admin_path(&community, &format!("/audit?limit={limit}"));
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::get::<Vec<AuditEntry>>(&path).await;
                busy.set(false);
                entries.set(Some(answer));
            });
        });
    }

    let may_moderate = session.info.role.may(Screen::Moderation);
    let body = match &*entries {
        None => html! { <Loading /> },
        Some(Err(e)) => html! { <ErrorAlert error={Some(e.clone())} /> },
        Some(Ok(list)) if list.is_empty() => {
            html! { <p id="audit-empty">{ t(Key::AuditEmpty) }</p> }
        }
        Some(Ok(list)) => {
            // Fewer than asked for: that is all there is.
            let complete = list.len() < *limit || *limit >= MAX;
            let more = {
                let limit = limit.clone();
                Callback::from(move |_: MouseEvent| limit.set((*limit + STEP).min(MAX)))
            };
            html! {
                <>
                    <div class="table-wrap">
                        <table id="audit-table">
                            <caption>{ fill(t(Key::AuditCaption), &[("n", &list.len().to_string())]) }</caption>
                            <thead><tr>
                                <th scope="col">{ t(Key::AuditWhen) }</th>
                                <th scope="col">{ t(Key::AuditActor) }</th>
                                <th scope="col">{ t(Key::AuditAction) }</th>
                                <th scope="col">{ t(Key::AuditInitiative) }</th>
                                <th scope="col">{ t(Key::AuditNote) }</th>
                            </tr></thead>
                            <tbody>
                                { for list.iter().map(|entry| html! {
                                    <tr>
                                        <td>{ format_time(entry.at, lang) }</td>
                                        <td>{ &entry.actor }</td>
                                        <td>{ match action_key(&entry.action) {
                                            Some(key) => html! { t(key) },
                                            // An action this console does not know yet: its code.
                                            None => html! { <code>{ &entry.action }</code> },
                                        } }</td>
                                        <td>{ match &entry.initiative {
                                            Some(id) if may_moderate => html! {
                                                <a href={format!("{}/{}", Screen::Moderation.href(), api::encode_segment(id))}
                                                    aria-label={fill(t(Key::AuditOpen), &[("id", id)])}>
                                                    <code>{ id }</code>
                                                </a>
                                            },
                                            Some(id) => html! { <code>{ id }</code> },
                                            None => html! {},
                                        } }</td>
                                        <td>{ note_text(entry, lang) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                    <div class="actions" aria-live="polite">
                        if complete {
                            <p id="audit-all">{ t(Key::AuditAll) }</p>
                        } else {
                            <button type="button" id="audit-more" onclick={more}
                                aria-disabled={busy.then_some("true")}>
                                { if *busy { t(Key::CommonLoading) } else { t(Key::AuditMore) } }
                            </button>
                        }
                    </div>
                </>
            }
        }
    };

    html! {
        <>
            <Heading text={t(Key::AuditTitle)} />
            <p>{ t(Key::AuditIntro) }</p>
            { body }
        </>
    }
}
