//! Personal data: erased on request (a moderator's action) and after a
//! community's retention period.
//!
//! Personal data of an initiative are the initiator's name and e-mail
//! address, and each joiner's name, contact and message. Erasing keeps the
//! initiative's public content (title, story, updates, answer) and its
//! counts: a joiner's join keeps counting, only the details go. The public
//! join count is a fact about the initiative's support that others may
//! have cited, and what stays, a hash of a random browser key, names no
//! one; a resident who wants out entirely can still withdraw the join.
//!
//! The audit log records each erasure, without the erased data; erasure
//! also removes the initiator's name from older audit snapshots and from
//! webhook deliveries still waiting to be sent. Then the keys of every older
//! version of those records go (the store's keyring): what the store's log
//! still holds of them can no longer be read, so the data are gone from the disk.

use mekaar_api::admin::{ErasureRequest, ErasureSubject};

use crate::communities::{self, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives::{self, Initiative};
use crate::joins;
use crate::moderation::{self, Change};
use crate::secrets;
use crate::store::Store;
use crate::webhooks;

/// How the audit log names the retention setting's erasures.
pub const ACTOR_RETENTION: &str = "retention";

const DAY_SECS: u64 = 24 * 3600;

/// A moderator's erasure request for the initiative `id`; returns it after.
pub fn erase(
    store: &Store,
    community: &Community,
    id: &str,
    request: ErasureRequest,
    actor: &str,
) -> ApiResult<Initiative> {
    initiatives::get(store, community, id)?;
    let (action, note) = match (request.subject, request.joiner) {
        (ErasureSubject::Initiator, None) => {
            let erased = erase_initiator(store, community, id)?;
            ("erase_initiator", nothing_left(erased))
        }
        (ErasureSubject::Joiner, Some(joiner)) => {
            let erased = joins::erase(store, community, id, &joiner)?;
            let erased = crate::mail::forget_joiner(store, community, id, &joiner)? || erased;
            (
                "erase_joiner",
                format!("joiner {joiner}{}", nothing_left(erased)),
            )
        }
        (ErasureSubject::Initiator, Some(_)) => {
            return Err(ApiError::invalid_field(
                "joiner",
                "goes only with the subject `joiner`",
            ))
        }
        (ErasureSubject::Joiner, None) => {
            return Err(ApiError::invalid_field(
                "joiner",
                "name the joiner by the id in the admin view's `joins`",
            ))
        }
    };
    let after = initiatives::get(store, community, id)?;
    audit(store, community, actor, action, id, note.trim())?;
    // Erased for real: the older versions of the records left in the store's log
    // lose their keys (see the store's keyring).
    store.forget_old_record_keys()?;
    Ok(after)
}

fn nothing_left(erased: bool) -> String {
    if erased {
        String::new()
    } else {
        " (nothing was left to erase)".into()
    }
}

fn audit(
    store: &Store,
    community: &Community,
    actor: &str,
    action: &str,
    id: &str,
    note: &str,
) -> ApiResult<()> {
    // No before/after snapshots: the log says what was done, not to whom.
    moderation::audit(
        store,
        community,
        Change {
            actor,
            action,
            initiative: Some(id),
            note,
            before: None,
            after: None,
        },
    )
}

/// Erases the initiator's name and e-mail address, also from older audit
/// snapshots and waiting webhook deliveries. Returns whether the record
/// still held any.
fn erase_initiator(store: &Store, community: &Community, id: &str) -> ApiResult<bool> {
    let mut held_any = false;
    initiatives::update(store, community, id, |mut initiative| {
        held_any = !initiative.initiator_name.is_empty() || initiative.contact_email.is_some();
        initiative.initiator_name = String::new();
        initiative.contact_email = None;
        if held_any || initiative.initiator_erased_at.is_none() {
            initiative.initiator_erased_at = Some(secrets::now_secs());
        }
        Ok(initiative)
    })?;
    let scrubbed = moderation::scrub_audit(store, community, id)?;
    let unsent = webhooks::scrub_outbox(store, &community.slug, id)?;
    let mailed = crate::mail::forget_initiator(store, community, id)?;
    Ok(held_any || scrubbed > 0 || unsent > 0 || mailed)
}

/// Whether the retention period of `days` has passed at `now` for this
/// initiative: it is in a final status and has been for `days` days. For
/// records from before the moment was kept, the last change stands in:
/// it came at or after the final status, so nothing goes early.
pub fn retention_due(initiative: &Initiative, days: u32, now: u64) -> bool {
    if !initiative.is_final() {
        return false;
    }
    let since = initiative.final_status_at.unwrap_or(initiative.updated_at);
    since.saturating_add(u64::from(days) * DAY_SECS) <= now
}

/// Applies every community's retention setting at `now`: erases the
/// personal data of initiatives past their period, one audit entry each
/// (actor `retention`). Returns how many initiatives had data erased.
/// Run hourly by the server; the caller makes it durable.
pub fn apply_retention(store: &Store, now: u64) -> ApiResult<u64> {
    let mut touched = 0;
    for community in communities::list(store)? {
        let Some(days) = community.retention_days else {
            continue;
        };
        // One community's trouble must not keep the others' data past their term.
        match apply_community_retention(store, &community, days, now) {
            Ok(n) => touched += n,
            Err(err) => tracing::warn!("retention in `{}` failed: {err}", community.slug),
        }
    }
    if touched > 0 {
        store.forget_old_record_keys()?;
    }
    Ok(touched)
}

fn apply_community_retention(
    store: &Store,
    community: &Community,
    days: u32,
    now: u64,
) -> ApiResult<u64> {
    let mut touched = 0;
    for initiative in initiatives::all(store, community)? {
        if !retention_due(&initiative, days, now) {
            continue;
        }
        let initiator = erase_initiator_if_present(store, community, &initiative)?;
        let joiners = joins::erase_all(store, community, &initiative.id)?;
        let subscribers = crate::mail::forget_subscribers(store, community, &initiative.id)?;
        let joiners = joiners.max(subscribers);
        if initiator || joiners > 0 {
            let status = initiative.status.as_str();
            let note = format!(
                "{days} day(s) after `{status}`: {}{joiners} joiner(s)",
                if initiator { "the initiator, " } else { "" }
            );
            audit(
                store,
                community,
                ACTOR_RETENTION,
                "erase_personal_data",
                &initiative.id,
                &note,
            )?;
            touched += 1;
        }
    }
    Ok(touched)
}

/// As [`erase_initiator`], but only when the record still names someone:
/// an hourly run must not rewrite (and re-stamp) erased initiatives.
fn erase_initiator_if_present(
    store: &Store,
    community: &Community,
    initiative: &Initiative,
) -> ApiResult<bool> {
    if initiative.initiator_name.is_empty() && initiative.contact_email.is_none() {
        return Ok(false);
    }
    erase_initiator(store, community, &initiative.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mekaar_api::InitiativeStatus;

    fn initiative(status: InitiativeStatus, final_at: Option<u64>, updated: u64) -> Initiative {
        Initiative {
            id: "i".into(),
            community: "dorp".into(),
            title: "T".into(),
            summary: String::new(),
            story: String::new(),
            area: None,
            theme: None,
            status,
            initiator_name: "Anja".into(),
            contact_email: None,
            created_at: 0,
            updated_at: updated,
            updates: vec![],
            answer: None,
            moderation: Default::default(),
            threshold_reached_at: None,
            manage_token_hash: None,
            reports_reviewed: 0,
            final_status_at: final_at,
            initiator_erased_at: None,
            photo: None,
            pending_photo: None,
            steps_done: Default::default(),
            short_code: None,
        }
    }

    #[test]
    fn retention_counts_from_the_final_status() {
        let day = DAY_SECS;
        let done = initiative(InitiativeStatus::Realised, Some(10 * day), 20 * day);
        assert!(!retention_due(&done, 30, 40 * day - 1));
        assert!(retention_due(&done, 30, 40 * day));
        let stopped = initiative(InitiativeStatus::Stopped, Some(0), 0);
        assert!(retention_due(&stopped, 1, day));
        // Not final: never, however old.
        for status in [
            InitiativeStatus::Idea,
            InitiativeStatus::SeekingSupporters,
            InitiativeStatus::InProgress,
        ] {
            assert!(!retention_due(&initiative(status, None, 0), 1, 100 * day));
        }
        // From before the moment was kept: the last change stands in.
        let legacy = initiative(InitiativeStatus::Realised, None, 5 * day);
        assert!(!retention_due(&legacy, 10, 15 * day - 1));
        assert!(retention_due(&legacy, 10, 15 * day));
    }
}
