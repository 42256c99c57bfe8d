//! "Ik doe mee": residents join an initiative. The public sees the count;
//! only the initiator and moderators see who joined and how to reach them.

use mekaar_api::{codes, limits, JoinDetail, JoinRequest, JoinState};

use crate::communities::{check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives::{self, optional_paragraphs};
use crate::secrets;
use crate::store::{CountedSet, Store};
use crate::supports::voter;

pub fn state(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
) -> ApiResult<JoinState> {
    let voter = voter(voter_key)?;
    initiatives::ensure_public(store, community, id)?;
    let group = initiatives::set_group(community, id);
    Ok(JoinState {
        joined: store.set_contains(CountedSet::Joins, &group, &voter)?,
        join_count: store.set_count(CountedSet::Joins, &group)?,
    })
}

/// Joins (or changes one's join details). Answers once it is on disk.
pub async fn join(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
    request: JoinRequest,
) -> ApiResult<JoinState> {
    let voter = voter(voter_key)?;
    if !request.consent {
        return Err(ApiError::bad_request(
            codes::CONSENT_REQUIRED,
            "Joining shares your name and contact with the initiator and moderators; consent is required.",
        ));
    }
    let detail = JoinDetail {
        name: check_text("name", &request.name, limits::NAME)?,
        contact: check_text("contact", &request.contact, limits::CONTACT)?,
        message: optional_paragraphs("message", &request.message, limits::MESSAGE)?,
        joined_at: secrets::now_secs(),
    };
    initiatives::ensure_public(store, community, id)?;
    let value = serde_json::to_vec(&detail).map_err(ApiError::internal)?;
    let group = initiatives::set_group(community, id);
    let (_, join_count) = store.set_put(CountedSet::Joins, &group, &voter, &value)?;
    store.durable().await?;
    Ok(JoinState {
        joined: true,
        join_count,
    })
}

/// Withdraws the voter's join and deletes their details.
pub async fn withdraw(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
) -> ApiResult<JoinState> {
    let voter = voter(voter_key)?;
    initiatives::get(store, community, id)?;
    let group = initiatives::set_group(community, id);
    let (_, join_count) = store.set_remove(CountedSet::Joins, &group, &voter)?;
    store.durable().await?;
    Ok(JoinState {
        joined: false,
        join_count,
    })
}

/// Who joined, oldest first (for the initiator and moderators only).
pub fn details(store: &Store, community: &Community, id: &str) -> ApiResult<Vec<JoinDetail>> {
    let group = initiatives::set_group(community, id);
    let mut joins: Vec<JoinDetail> = store
        .set_values(CountedSet::Joins, &group)?
        .iter()
        .filter_map(|bytes| serde_json::from_slice(bytes).ok())
        .collect();
    joins.sort_by_key(|j| j.joined_at);
    Ok(joins)
}
