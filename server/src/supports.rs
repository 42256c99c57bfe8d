//! Supports: one per (initiative, voter key), withdrawable, counted exactly.

use mekaar_api::{is_valid_voter_key, ErrorCode, SupportState, WebhookEvent};

use crate::communities::Community;
use crate::errors::{ApiError, ApiResult};
use crate::initiatives;
use crate::secrets;
use crate::store::Store;
use crate::webhooks;

/// The stored form of a request's voter key, or 400 when it is missing or malformed.
pub fn voter(voter_key: Option<&str>) -> ApiResult<[u8; 16]> {
    match voter_key {
        Some(k) if is_valid_voter_key(k) => Ok(secrets::voter_hash(k)),
        Some(_) => Err(ApiError::new(
            ErrorCode::InvalidVoterKey,
            "The Mekaar-Voter header must be 32 lowercase hexadecimal characters.",
        )),
        None => Err(ApiError::new(
            ErrorCode::InvalidVoterKey,
            "The Mekaar-Voter header is missing.",
        )),
    }
}

pub fn count(store: &Store, community: &Community, initiative_id: &str) -> ApiResult<u64> {
    Ok(store.support_count(&community.slug, initiative_id)?)
}

/// Whether this voter supports the initiative, and the total.
pub fn state(
    store: &Store,
    community: &Community,
    initiative_id: &str,
    voter_key: Option<&str>,
) -> ApiResult<SupportState> {
    let voter = voter(voter_key)?;
    initiatives::ensure_public(store, community, initiative_id)?;
    Ok(SupportState {
        supported: store.is_supporter(&community.slug, initiative_id, &voter)?,
        support_count: store.support_count(&community.slug, initiative_id)?,
    })
}

/// Supports the initiative (idempotent).
pub fn support(
    store: &Store,
    community: &Community,
    initiative_id: &str,
    voter_key: Option<&str>,
) -> ApiResult<SupportState> {
    let voter = voter(voter_key)?;
    let initiative = initiatives::get_public(store, community, initiative_id)?;
    let (_, support_count) =
        store.support_add(&community.slug, initiative_id, &voter, secrets::now_secs())?;
    // Once recorded, supports past the threshold cost no extra write.
    if support_count >= community.support_threshold && initiative.threshold_reached_at.is_none() {
        announce_threshold(store, community, initiative_id)?;
    }
    Ok(SupportState {
        supported: true,
        support_count,
    })
}

/// Withdraws the voter's support (idempotent).
pub fn withdraw(
    store: &Store,
    community: &Community,
    initiative_id: &str,
    voter_key: Option<&str>,
) -> ApiResult<SupportState> {
    let voter = voter(voter_key)?;
    // Withdrawing stays possible when the initiative is no longer public.
    initiatives::get(store, community, initiative_id)?;
    let (_, support_count) = store.support_remove(&community.slug, initiative_id, &voter)?;
    Ok(SupportState {
        supported: false,
        support_count,
    })
}

/// The first time the threshold is reached: record the moment and tell the
/// community's webhooks, exactly once however many supports race past it.
fn announce_threshold(store: &Store, community: &Community, initiative_id: &str) -> ApiResult<()> {
    if let Some(initiative) =
        initiatives::record_threshold_reached(store, community, initiative_id)?
    {
        let card = initiatives::card(store, community, &initiative)?;
        webhooks::announce(
            store,
            community,
            WebhookEvent::ThresholdReached,
            &card,
            serde_json::json!({ "support_threshold": community.support_threshold }),
        )?;
    }
    Ok(())
}
