//! Reports by residents, decisions by moderators, official answers, and the
//! audit log that records every one of them (who, when, what, before/after).

use mekaar_api::{
    limits, AnswerPost, InitiativeAdmin, InitiativeEdit, ModerationAction, ModerationState,
    OfficialAnswer, QueueCounts, ReportDetail, ReportRequest, ReportState, WebhookEvent,
};
use serde::{Deserialize, Serialize};

use crate::communities::{check_paragraphs, check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives::{self, Initiative};
use crate::joins;
use crate::secrets;
use crate::store::Store;
use crate::supports::voter;
use crate::webhooks;

/// Who did something, as the audit log names them.
pub const ACTOR_SYSTEM: &str = "system";
pub const ACTOR_INITIATOR: &str = "initiator";

/// One line of the audit log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuditEntry {
    pub at: u64,
    pub actor: String,
    pub action: String,
    pub initiative: Option<String>,
    #[serde(default)]
    pub note: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// What the audit log records about one action.
pub struct Change<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub initiative: Option<&'a str>,
    pub note: &'a str,
    pub before: Option<&'a Initiative>,
    pub after: Option<&'a Initiative>,
}

/// Fields of an initiative the audit log never copies: personal data (the
/// initiator's name and e-mail address, which erasure must be able to
/// remove) and the manage token hash.
const NOT_AUDITED: [&str; 3] = ["initiator_name", "contact_email", "manage_token_hash"];

/// Appends to the community's audit log. Personal data (name, contact
/// details, the manage token hash) is left out of the before/after snapshots.
pub fn audit(store: &Store, community: &Community, change: Change<'_>) -> ApiResult<()> {
    let Change {
        actor,
        action,
        initiative,
        note,
        before,
        after,
    } = change;
    let snapshot = |i: Option<&Initiative>| {
        i.map(|i| {
            let mut value = serde_json::to_value(i).unwrap_or_default();
            if let Some(map) = value.as_object_mut() {
                for field in NOT_AUDITED {
                    map.remove(field);
                }
            }
            value
        })
    };
    append_audit(
        store,
        community,
        (actor, action, initiative),
        note.to_string(),
        (snapshot(before), snapshot(after)),
    )
}

/// Appends an entry about the community itself (settings, webhooks): `before` and
/// `after` hold only the fields that changed; the note is `note`, or else their names.
pub fn audit_settings(
    store: &Store,
    community: &Community,
    actor: &str,
    action: &str,
    note: Option<&str>,
    (before, after): (&serde_json::Value, &serde_json::Value),
) -> ApiResult<()> {
    let (mut old, mut new) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (name, value) in a {
            if b.get(name) != Some(value) {
                old.insert(name.clone(), b.get(name).cloned().unwrap_or_default());
                new.insert(name.clone(), value.clone());
            }
        }
        for (name, value) in b {
            if !a.contains_key(name) {
                old.insert(name.clone(), value.clone());
            }
        }
    }
    if new.is_empty() && old.is_empty() {
        return Ok(());
    }
    let note = note.map_or_else(
        || new.keys().cloned().collect::<Vec<_>>().join(", "),
        str::to_string,
    );
    append_audit(
        store,
        community,
        (actor, action, None),
        note,
        (Some(old.into()), Some(new.into())),
    )
}

/// Writes one entry, stamped now: who, what, about which initiative; note; before, after.
pub(crate) fn append_audit(
    store: &Store,
    community: &Community,
    (actor, action, initiative): (&str, &str, Option<&str>),
    note: String,
    (before, after): (Option<serde_json::Value>, Option<serde_json::Value>),
) -> ApiResult<()> {
    let entry = AuditEntry {
        at: secrets::now_secs(),
        actor: actor.to_string(),
        action: action.to_string(),
        initiative: initiative.map(str::to_string),
        note,
        before,
        after,
    };
    store.audit_append(&community.slug, &entry)?;
    Ok(())
}

/// Removes personal data from the snapshots of every audit entry about the
/// initiative `id` (entries written before the log left them out); the
/// entries themselves stay. Returns how many changed.
pub fn scrub_audit(store: &Store, community: &Community, id: &str) -> ApiResult<u64> {
    Ok(store.audit_rewrite(&community.slug, |entry| {
        if entry.initiative.as_deref() != Some(id) {
            return false;
        }
        let mut touched = false;
        for snapshot in [&mut entry.before, &mut entry.after].into_iter().flatten() {
            if let Some(map) = snapshot.as_object_mut() {
                for field in NOT_AUDITED {
                    touched |= map.remove(field).is_some();
                }
            }
        }
        touched
    })?)
}

/// The newest `limit` entries of the audit log, newest first.
pub fn audit_log(store: &Store, community: &Community, limit: usize) -> ApiResult<Vec<AuditEntry>> {
    Ok(store.audit_page(&community.slug, limit)?)
}

/// A resident reports an initiative (once per voter key). Enough reports
/// from different residents hide it until a moderator looks at it.
pub fn report(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
    request: ReportRequest,
) -> ApiResult<ReportState> {
    let voter = voter(voter_key)?;
    let reason = check_paragraphs("reason", &request.reason, limits::REASON)?;
    let initiative = initiatives::get_public(store, community, id)?;
    let report = ReportDetail {
        reason: reason.clone(),
        reported_at: secrets::now_secs(),
    };
    let (new, count) = store.initiative_report_add(&community.slug, id, &voter, &report)?;
    if new {
        hide_if_reported_enough(store, community, id, count)?;
        let card = initiatives::card(store, community, &initiative)?;
        webhooks::announce(
            store,
            community,
            WebhookEvent::Reported,
            &card,
            serde_json::json!({ "reason": reason, "report_count": count }),
        )?;
    }
    Ok(ReportState { reported: true })
}

/// Hides the initiative when its unreviewed reports reach the community's
/// limit. Decided on the fresh record inside the update, so racing reports
/// hide (and audit) it once, and never undo a moderator's restore that
/// already counted them as reviewed.
fn hide_if_reported_enough(
    store: &Store,
    community: &Community,
    id: &str,
    report_count: u64,
) -> ApiResult<()> {
    let limit = u64::from(community.reports_before_hide);
    let should_hide = |i: &Initiative| {
        i.moderation == ModerationState::Published
            && report_count.saturating_sub(i.reports_reviewed) >= limit
    };
    // Most reports change nothing: check before writing.
    if !should_hide(&initiatives::get(store, community, id)?) {
        return Ok(());
    }
    let mut hidden_from: Option<Initiative> = None;
    let after = initiatives::update(store, community, id, |mut i| {
        hidden_from = None;
        if should_hide(&i) {
            hidden_from = Some(i.clone());
            i.moderation = ModerationState::Hidden;
        }
        Ok(i)
    })?;
    if let Some(before) = hidden_from {
        let unreviewed = report_count.saturating_sub(before.reports_reviewed);
        audit(
            store,
            community,
            Change {
                actor: ACTOR_SYSTEM,
                action: "auto_hide",
                initiative: Some(id),
                note: &format!("{unreviewed} reports"),
                before: Some(&before),
                after: Some(&after),
            },
        )?;
    }
    Ok(())
}

/// A moderator approves, rejects, hides or restores an initiative.
pub fn moderate(
    store: &Store,
    community: &Community,
    id: &str,
    action: ModerationAction,
    actor: &str,
    note: &str,
) -> ApiResult<Initiative> {
    let note = note.trim();
    let before = initiatives::get(store, community, id)?;
    let reports = store.initiative_report_count(&community.slug, id)?;
    // Approving shows the photo waiting with it; rejecting drops it.
    let mut dropped = Vec::new();
    let after = initiatives::update(store, community, id, |mut i| {
        dropped.clear();
        match action {
            ModerationAction::Approve => {
                if let Some(waiting) = i.pending_photo.take() {
                    dropped.extend(i.photo.replace(waiting));
                }
            }
            ModerationAction::Reject => dropped.extend(i.pending_photo.take()),
            ModerationAction::Hide | ModerationAction::Restore => {}
        }
        i.moderation = match action {
            ModerationAction::Approve | ModerationAction::Restore => ModerationState::Published,
            ModerationAction::Reject => ModerationState::Rejected,
            ModerationAction::Hide => ModerationState::Hidden,
        };
        // The reports so far have now been looked at.
        i.reports_reviewed = reports;
        Ok(i)
    })?;
    crate::photos::release_all(store, community, id, &dropped)?;
    let action_name = match action {
        ModerationAction::Approve => "approve",
        ModerationAction::Reject => "reject",
        ModerationAction::Hide => "hide",
        ModerationAction::Restore => "restore",
    };
    audit(
        store,
        community,
        Change {
            actor,
            action: action_name,
            initiative: Some(id),
            note,
            before: Some(&before),
            after: Some(&after),
        },
    )?;
    Ok(after)
}

/// A moderator edits an initiative (any field, including its status).
pub fn edit(
    store: &Store,
    community: &Community,
    id: &str,
    change: InitiativeEdit,
    actor: &str,
) -> ApiResult<Initiative> {
    let (before, after) = initiatives::edit(store, community, id, change)?;
    audit(
        store,
        community,
        Change {
            actor,
            action: "edit",
            initiative: Some(id),
            note: "",
            before: Some(&before),
            after: Some(&after),
        },
    )?;
    Ok(after)
}

/// The official answer (reactie van de gemeente), replacing an earlier one.
pub fn answer(
    store: &Store,
    community: &Community,
    id: &str,
    post: AnswerPost,
    actor: &str,
) -> ApiResult<Initiative> {
    let text = check_paragraphs("text", &post.text, limits::ANSWER)?;
    let answered_by = check_text("answered_by", &post.answered_by, limits::NAME)?;
    let before = initiatives::get(store, community, id)?;
    let after = initiatives::update(store, community, id, |mut i| {
        i.answer = Some(OfficialAnswer {
            text: text.clone(),
            answered_by: answered_by.clone(),
            answered_at: secrets::now_secs(),
        });
        Ok(i)
    })?;
    audit(
        store,
        community,
        Change {
            actor,
            action: "answer",
            initiative: Some(id),
            note: "",
            before: Some(&before),
            after: Some(&after),
        },
    )?;
    let card = initiatives::card(store, community, &after)?;
    webhooks::announce(
        store,
        community,
        WebhookEvent::Answered,
        &card,
        serde_json::json!({ "answer": after.answer }),
    )?;
    Ok(after)
}

/// Everything a moderator sees of an initiative.
pub fn admin_view(
    store: &Store,
    community: &Community,
    initiative: &Initiative,
) -> ApiResult<InitiativeAdmin> {
    let mut reports = store.initiative_reports(&community.slug, &initiative.id)?;
    reports.sort_by_key(|r| r.reported_at);
    Ok(InitiativeAdmin {
        initiative: initiatives::detail(store, community, initiative)?,
        moderation: initiative.moderation,
        contact_email: initiative.contact_email.clone(),
        report_count: reports.len() as u64,
        reports,
        joins: joins::admin_details(store, community, &initiative.id)?,
        initiator_erased_at: initiative.initiator_erased_at,
        pending_photo: initiative
            .pending_photo
            .as_ref()
            .map(crate::photos::StoredPhoto::public),
    })
}

/// Which initiatives a moderator lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Waiting for approval.
    Pending,
    /// With reports not yet looked at.
    Reported,
    All,
}

impl Queue {
    pub fn parse(name: Option<&str>) -> ApiResult<Queue> {
        match name.unwrap_or("all") {
            "pending" => Ok(Queue::Pending),
            "reported" => Ok(Queue::Reported),
            "all" | "" => Ok(Queue::All),
            other => Err(ApiError::invalid_field(
                "queue",
                format!("`{other}` is not one of pending, reported, all"),
            )),
        }
    }
}

/// The moderation queue, newest first, and the size of every queue.
pub fn queue(
    store: &Store,
    community: &Community,
    which: Queue,
) -> ApiResult<(Vec<InitiativeAdmin>, QueueCounts)> {
    let mut out = Vec::new();
    let mut counts = QueueCounts::default();
    for initiative in initiatives::all(store, community)? {
        let pending = initiative.moderation == ModerationState::Pending;
        let reported = store.initiative_report_count(&community.slug, &initiative.id)?
            > initiative.reports_reviewed;
        counts.all += 1;
        counts.pending += u64::from(pending);
        counts.reported += u64::from(reported);
        counts.waiting += u64::from(pending || reported);
        let keep = match which {
            Queue::All => true,
            Queue::Pending => pending,
            Queue::Reported => reported,
        };
        if keep {
            out.push(admin_view(store, community, &initiative)?);
        }
    }
    out.sort_by(|a, b| {
        b.initiative
            .card
            .created_at
            .cmp(&a.initiative.card.created_at)
    });
    Ok((out, counts))
}
