//! "Ik doe mee": residents join an initiative. The public sees the count;
//! only the initiator and moderators see who joined and how to reach them.

use mekaar_api::{limits, ErrorCode, JoinAdmin, JoinDetail, JoinRequest, JoinState};

use crate::communities::{check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives::{self, optional_paragraphs};
use crate::secrets;
use crate::store::Store;
use crate::supports::voter;

pub fn state(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
) -> ApiResult<JoinState> {
    let voter = voter(voter_key)?;
    initiatives::ensure_public(store, community, id)?;
    Ok(JoinState {
        joined: store.has_joined(&community.slug, id, &voter)?,
        join_count: store.join_count(&community.slug, id)?,
    })
}

/// Joins (or changes one's join details).
pub fn join(
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
    let join_count = store.join_put(&community.slug, id, &voter, &detail)?;
    Ok(JoinState {
        joined: true,
        join_count,
    })
}

/// Withdraws the voter's join and deletes their details.
pub fn withdraw(
    store: &Store,
    community: &Community,
    id: &str,
    voter_key: Option<&str>,
) -> ApiResult<JoinState> {
    let voter = voter(voter_key)?;
    initiatives::get(store, community, id)?;
    let join_count = store.join_remove(&community.slug, id, &voter)?;
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
    let mut joins: Vec<JoinAdmin> = store
        .joiners_of(&community.slug, id)?
        .into_iter()
        .filter_map(|(voter, detail)| {
            let detail = detail?;
            Some(JoinAdmin {
                id: id_of_joiner(community, id, &voter),
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
pub fn id_of_joiner(community: &Community, initiative: &str, voter: &[u8]) -> String {
    Store::joiner_id(&community.slug, initiative, voter)
}

/// Details only a join made before erasure can have: a join needs a name.
fn is_erased(detail: &JoinDetail) -> bool {
    detail.name.is_empty()
}

/// Erases one joiner's name, contact and message; the join keeps counting
/// (see `privacy`). Returns whether anything was left to erase; 404
/// `joiner_not_found` for an unknown id.
pub fn erase(store: &Store, community: &Community, id: &str, joiner: &str) -> ApiResult<bool> {
    let found = store
        .joiners_of(&community.slug, id)?
        .into_iter()
        .find(|(voter, _)| id_of_joiner(community, id, voter) == joiner);
    let Some((voter, detail)) = found else {
        return Err(ApiError::new(
            ErrorCode::JoinerNotFound,
            format!("There is no joiner `{joiner}` of this initiative."),
        ));
    };
    erase_joiner(store, community, id, &voter, detail)
}

/// Erases the details of every joiner of the initiative; returns how many
/// had details left.
pub fn erase_all(store: &Store, community: &Community, id: &str) -> ApiResult<u64> {
    let mut erased = 0;
    for (voter, detail) in store.joiners_of(&community.slug, id)? {
        if erase_joiner(store, community, id, &voter, detail)? {
            erased += 1;
        }
    }
    Ok(erased)
}

fn erase_joiner(
    store: &Store,
    community: &Community,
    id: &str,
    voter: &[u8],
    detail: Option<JoinDetail>,
) -> ApiResult<bool> {
    // Details that do not decode are replaced too: they can hold nothing
    // that should stay.
    let joined_at = match detail {
        Some(detail) if is_erased(&detail) => return Ok(false),
        Some(detail) => detail.joined_at,
        None => 0,
    };
    let erased = JoinDetail {
        name: String::new(),
        contact: String::new(),
        message: String::new(),
        joined_at,
    };
    // Only if still there: a joiner who withdrew meanwhile is gone already.
    Ok(store.join_replace(&community.slug, id, voter, &erased)?)
}
