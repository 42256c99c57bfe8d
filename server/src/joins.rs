//! "Ik doe mee": residents join an initiative. The public sees the count;
//! only the initiator and moderators see who joined and how to reach them.

use mekaar_api::{limits, ErrorCode, JoinAdmin, JoinDetail, JoinRequest, JoinState};
use sha2::{Digest, Sha256};

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
        return Err(ApiError::new(
            ErrorCode::ConsentRequired,
            "Joining shares your name and contact with the initiator and moderators; consent is required.",
        ));
    }
    let detail = JoinDetail {
        name: check_text("name", &request.name, limits::NAME)?,
        contact: initiatives::check_contact("contact", &request.contact)?,
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

/// Who joined, oldest first (for the initiator): joiners whose details were
/// erased are left out, they have nothing left to show.
pub fn details(store: &Store, community: &Community, id: &str) -> ApiResult<Vec<JoinDetail>> {
    Ok(admin_details(store, community, id)?
        .into_iter()
        .filter(|j| !j.erased)
        .map(|j| j.detail)
        .collect())
}

/// Who joined, oldest first, with the ids moderators erase details by.
pub fn admin_details(store: &Store, community: &Community, id: &str) -> ApiResult<Vec<JoinAdmin>> {
    let group = initiatives::set_group(community, id);
    let mut joins: Vec<JoinAdmin> = store
        .set_members(CountedSet::Joins, &group)?
        .iter()
        .filter_map(|(member, bytes)| {
            let detail: JoinDetail = serde_json::from_slice(bytes).ok()?;
            Some(JoinAdmin {
                id: joiner_id(&group, member),
                erased: is_erased(&detail),
                detail,
            })
        })
        .collect();
    joins.sort_by(|a, b| {
        a.detail
            .joined_at
            .cmp(&b.detail.joined_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(joins)
}

/// The id of one joiner of one initiative: a hash of the initiative and the
/// stored voter hash, so it is stable, yet the same resident has unrelated
/// ids on different initiatives (a list of ids links no one).
pub fn joiner_id(group: &[u8], member: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"mekaar-joiner\0");
    hasher.update((group.len() as u32).to_be_bytes());
    hasher.update(group);
    hasher.update(member);
    secrets::hex(&hasher.finalize()[..8])
}

/// Details only a join made before erasure can have: a join needs a name.
fn is_erased(detail: &JoinDetail) -> bool {
    detail.name.is_empty()
}

/// Erases one joiner's name, contact and message; the join keeps counting
/// (see `privacy`). Returns whether anything was left to erase; 404
/// `joiner_not_found` for an unknown id.
pub fn erase(store: &Store, community: &Community, id: &str, joiner: &str) -> ApiResult<bool> {
    let group = initiatives::set_group(community, id);
    let found = store
        .set_members(CountedSet::Joins, &group)?
        .into_iter()
        .find(|(member, _)| joiner_id(&group, member) == joiner);
    let Some((member, bytes)) = found else {
        return Err(ApiError::new(
            ErrorCode::JoinerNotFound,
            format!("There is no joiner `{joiner}` of this initiative."),
        ));
    };
    erase_member(store, &group, &member, &bytes)
}

/// Erases the details of every joiner of the initiative; returns how many
/// had details left.
pub fn erase_all(store: &Store, community: &Community, id: &str) -> ApiResult<u64> {
    let group = initiatives::set_group(community, id);
    let mut erased = 0;
    for (member, bytes) in store.set_members(CountedSet::Joins, &group)? {
        if erase_member(store, &group, &member, &bytes)? {
            erased += 1;
        }
    }
    Ok(erased)
}

fn erase_member(store: &Store, group: &[u8], member: &[u8], bytes: &[u8]) -> ApiResult<bool> {
    // A value that does not decode is replaced too: it can hold nothing
    // that should stay.
    let joined_at = match serde_json::from_slice::<JoinDetail>(bytes) {
        Ok(detail) if is_erased(&detail) => return Ok(false),
        Ok(detail) => detail.joined_at,
        Err(_) => 0,
    };
    let erased = JoinDetail {
        name: String::new(),
        contact: String::new(),
        message: String::new(),
        joined_at,
    };
    let value = serde_json::to_vec(&erased).map_err(ApiError::internal)?;
    // Only if still there: a joiner who withdrew meanwhile is gone already.
    let (was_there, _) = store.set_replace(CountedSet::Joins, group, member, &value)?;
    Ok(was_there)
}
