//! The audit log: who did what in the community, newest first, with "load more".

use serde::Deserialize;
use yew::prelude::*;

use super::{format_time, ErrorAlert, Heading, Loading};
use crate::api::{self, ApiError};
use crate::app::Screen;
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::{use_session, Role, RoleInConsole};

/// Entries per step of "load more".
const STEP: usize = 50;
/// The most the server returns at once.
const MAX: usize = 1_000;

/// One line of the log as the server sends it.
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
    #[serde(default)]
    pub before: Option<Snapshot>,
    #[serde(default)]
    pub after: Option<Snapshot>,
}

/// What this screen reads of an entry's before/after: an initiative's or a poll's id and
/// name, and the poll facts its notes are made of (the server's own notes are English).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    pub id: String,
    pub title: String,
    pub question: String,
    pub state: String,
    pub round: u32,
    pub vote_codes: u32,
    /// After a reset: the votes of the round it set aside.
    pub votes_set_aside: Option<u64>,
    /// A ticked or unticked step (`step_done`, `step_undone`).
    pub step: Option<Named>,
    /// The list after `steps_update`.
    pub steps: Option<Vec<Named>>,
}

/// A step as the log names it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Named {
    pub title: String,
}

impl AuditEntry {
    /// The newest snapshot of what the entry is about.
    fn subject(&self) -> Option<&Snapshot> {
        self.after.as_ref().or(self.before.as_ref())
    }

    fn is_about_a_poll(&self) -> bool {
        self.action.starts_with("poll_") || self.action == "vote_codes_generated"
    }
}

/// The label of a setting the server names in a `settings` entry's note.
fn setting_key(name: &str) -> Option<Key> {
    match name {
        "moderation" => Some(Key::SettingsModeration),
        _ => api::field_label(name),
    }
}

/// An entry's note as shown: the changed settings by their labels, what a poll action
/// did in the console's words; other notes (a moderator's own words) as written.
fn note_text(entry: &AuditEntry, lang: Lang) -> String {
    if entry.action == "settings" {
        return entry
            .note
            .split(", ")
            .map(|name| setting_key(name).map_or(name, |k| k.text(lang)))
            .collect::<Vec<_>>()
            .join("; ");
    }
    match (entry.action.as_str(), entry.after.as_ref()) {
        (
            "step_done" | "step_undone",
            Some(Snapshot {
                step: Some(step), ..
            }),
        ) => {
            return fill(Key::AuditNoteStep.text(lang), &[("title", &step.title)]);
        }
        (
            "steps_update",
            Some(Snapshot {
                steps: Some(steps), ..
            }),
        ) if steps.is_empty() => {
            return Key::AuditNoteNoSteps.text(lang).into();
        }
        (
            "steps_update",
            Some(Snapshot {
                steps: Some(steps), ..
            }),
        ) => {
            let titles: Vec<&str> = steps.iter().map(|s| s.title.as_str()).collect();
            return fill(
                Key::AuditNoteSteps.text(lang),
                &[
                    ("n", &steps.len().to_string()),
                    ("titles", &titles.join("; ")),
                ],
            );
        }
        _ => {}
    }
    if !entry.is_about_a_poll() {
        return entry.note.clone();
    }
    // The poll's question stands in the next column; the note adds what changed.
    let (Some(before), Some(after)) = (&entry.before, &entry.after) else {
        return String::new();
    };
    let n = |v: u32| v.to_string();
    match entry.action.as_str() {
        "poll_reset" => fill(
            Key::AuditNoteReset.text(lang),
            &[
                ("from", &n(before.round)),
                ("to", &n(after.round)),
                ("votes", &after.votes_set_aside.unwrap_or(0).to_string()),
            ],
        ),
        "vote_codes_generated" => fill(
            Key::AuditNoteCodes.text(lang),
            &[("n", &n(after.vote_codes.saturating_sub(before.vote_codes)))],
        ),
        "poll_opened" if before.state == "closed" => Key::AuditNoteReopened.text(lang).into(),
        _ => String::new(),
    }
}

/// The initiative or poll an entry is about: its title or question, linked to its screen
/// when this role may open that screen.
fn subject_cell(entry: &AuditEntry, role: Role, lang: Lang) -> Html {
    let t = |k: Key| k.text(lang);
    let snapshot = entry.subject();
    let (screen, id, name) = if entry.is_about_a_poll() {
        let Some(poll) = snapshot.filter(|p| !p.id.is_empty()) else {
            return html! {};
        };
        (Screen::Polls, poll.id.clone(), poll.question.clone())
    } else if let Some(id) = &entry.initiative {
        let title = snapshot.map(|s| s.title.clone()).unwrap_or_default();
        (Screen::Moderation, id.clone(), title)
    } else {
        return html! {};
    };
    let shown = if name.is_empty() {
        html! { <code>{ &id }</code> }
    } else {
        html! { { name.clone() } }
    };
    if !role.may(screen) {
        return shown;
    }
    let label = if name.is_empty() { id.clone() } else { name };
    html! {
        <a href={format!("{}/{}", screen.href(), api::encode_segment(&id))}
            aria-label={fill(t(Key::AuditOpen), &[("id", &label)])}>
            { shown }
        </a>
    }
}

/// Who did it, in words: "moderator · 1a2b3c4d" (a role and the first characters of its
/// token's hash, which tell tokens apart without naming anyone), or who acted by itself.
fn actor_text(actor: &str, lang: Lang) -> String {
    let (who, tag) = actor.split_once(':').unwrap_or((actor, ""));
    let key = match (Role::parse(who), who) {
        (Some(role), _) => role.key(),
        (None, "server-admin") => Key::AuditActorServer,
        (None, "initiator") => Key::AuditActorInitiator,
        (None, "system") => Key::AuditActorSystem,
        (None, "retention") => Key::AuditActorRetention,
        _ => return actor.to_string(),
    };
    if tag.is_empty() {
        key.text(lang).to_string()
    } else {
        format!("{} · {tag}", key.text(lang))
    }
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
        "photo_set" => Key::AuditDoPhotoSet,
        "photo_remove" => Key::AuditDoPhotoRemove,
        "erase_personal_data" => Key::AuditDoErasePersonalData,
        "vote_codes_generated" => Key::AuditDoVoteCodes,
        "settings" => Key::AuditDoSettings,
        "webhook_create" => Key::AuditDoWebhookCreate,
        "webhook_delete" => Key::AuditDoWebhookDelete,
        "reaction_approve" => Key::AuditDoReactionApprove,
        "reaction_hide" => Key::AuditDoReactionHide,
        "reaction_restore" => Key::AuditDoReactionRestore,
        "reaction_remove" => Key::AuditDoReactionRemove,
        "reaction_erase_name" => Key::AuditDoReactionEraseName,
        "reaction_post" => Key::AuditDoReactionPost,
        "topic_create" => Key::AuditDoTopicCreate,
        "thread_update" => Key::AuditDoThreadUpdate,
        "step_done" => Key::AuditDoStepDone,
        "step_undone" => Key::AuditDoStepUndone,
        "steps_update" => Key::AuditDoStepsUpdate,
        "meeting_add" => Key::AuditDoMeetingAdd,
        "meeting_edit" => Key::AuditDoMeetingEdit,
        "meeting_cancel" => Key::AuditDoMeetingCancel,
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

    let role = session.info.role;
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
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="audit-table-caption">
                        <table id="audit-table">
                            <caption id="audit-table-caption">{ fill(t(Key::AuditCaption), &[("n", &list.len().to_string())]) }</caption>
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
                                        <td class="when">{ format_time(entry.at, lang) }</td>
                                        <td>{ actor_text(&entry.actor, lang) }</td>
                                        <td>{ match action_key(&entry.action) {
                                            Some(key) => html! { t(key) },
                                            // An action this console does not know yet: its code.
                                            None => html! { <code>{ &entry.action }</code> },
                                        } }</td>
                                        <td>{ subject_cell(entry, role, lang) }</td>
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        action: &str,
        note: &str,
        before: Option<Snapshot>,
        after: Option<Snapshot>,
    ) -> AuditEntry {
        AuditEntry {
            at: 1,
            actor: "admin:12345678".into(),
            action: action.into(),
            initiative: None,
            note: note.into(),
            before,
            after,
        }
    }

    fn poll(state: &str, round: u32, vote_codes: u32) -> Option<Snapshot> {
        Some(Snapshot {
            id: "plein".into(),
            question: "Welke naam?".into(),
            state: state.into(),
            round,
            vote_codes,
            ..Snapshot::default()
        })
    }

    /// The server's notes of poll actions are English; the console says them itself.
    #[test]
    fn poll_notes_are_said_in_the_consoles_language() {
        let mut after_reset = poll("open", 2, 0);
        if let Some(p) = after_reset.as_mut() {
            p.votes_set_aside = Some(7);
        }
        let reset = entry(
            "poll_reset",
            "poll plein: reset: …",
            poll("open", 1, 0),
            after_reset,
        );
        assert_eq!(
            note_text(&reset, Lang::Nl),
            "Ronde 1 met 7 stemmen opzijgezet, nu ronde 2."
        );
        let codes = entry(
            "vote_codes_generated",
            "poll plein: 30 vote codes generated",
            poll("open", 1, 20),
            poll("open", 1, 50),
        );
        assert_eq!(note_text(&codes, Lang::En), "30 of them.");
        let reopened = entry(
            "poll_opened",
            "poll plein: reopened",
            poll("closed", 1, 0),
            poll("open", 1, 0),
        );
        assert_eq!(note_text(&reopened, Lang::Nl), "Opnieuw geopend.");
        let opened = entry(
            "poll_opened",
            "poll plein: opened",
            poll("draft", 1, 0),
            poll("open", 1, 0),
        );
        assert_eq!(note_text(&opened, Lang::Nl), "");
        let created = entry("poll_created", "poll plein", None, poll("draft", 1, 0));
        assert_eq!(note_text(&created, Lang::En), "");
        assert_eq!(
            created.subject().map(|p| p.question.as_str()),
            Some("Welke naam?")
        );
    }

    #[test]
    fn actors_in_words() {
        assert_eq!(
            actor_text("poll_editor:1a2b3c4d", Lang::Nl),
            "peilingredacteur · 1a2b3c4d"
        );
        assert_eq!(actor_text("retention", Lang::En), "retention period");
        assert_eq!(actor_text("someone-new", Lang::En), "someone-new");
    }

    #[test]
    fn settings_notes_name_the_settings_by_their_labels() {
        let changed = entry(
            "settings",
            "name, retention_days, something_new",
            None,
            None,
        );
        assert_eq!(
            note_text(&changed, Lang::Nl),
            "Naam; Persoonsgegevens bewaren (dagen); something_new"
        );
        // A moderator's own words stay as written.
        let approved = entry("approve", "Netjes, akkoord.", None, None);
        assert_eq!(note_text(&approved, Lang::En), "Netjes, akkoord.");
    }
}
