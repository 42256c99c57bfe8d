//! Initiatives: just enough for a support to point at (the full lifecycle,
//! moderation and the resident's submit form come with the initiatives issue).

use mekaar_api::{InitiativeCreate, InitiativePublic};
use serde::{Deserialize, Serialize};

use crate::communities::{check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::secrets;
use crate::store::{key, Store, Table};
use crate::supports;

pub const TITLE_MAX_CHARS: usize = 120;
pub const SUMMARY_MAX_CHARS: usize = 280;

/// An initiative as stored. The support count lives with the supports.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Initiative {
    pub id: String,
    pub community: String,
    pub title: String,
    pub summary: String,
    pub area: Option<String>,
    pub theme: Option<String>,
    pub created_at: u64,
}

pub fn get(store: &Store, community: &Community, id: &str) -> ApiResult<Initiative> {
    if !secrets::is_plausible_id(id) {
        return Err(ApiError::initiative_not_found(id));
    }
    store
        .get(Table::Initiatives, &key(&[&community.slug, id]))?
        .ok_or_else(|| ApiError::initiative_not_found(id))
}

/// Fails with 404 unless the initiative exists; cheaper than [`get`].
pub fn ensure_exists(store: &Store, community: &Community, id: &str) -> ApiResult<()> {
    if secrets::is_plausible_id(id)
        && store.contains(Table::Initiatives, &key(&[&community.slug, id]))?
    {
        Ok(())
    } else {
        Err(ApiError::initiative_not_found(id))
    }
}

pub fn list(store: &Store, community: &Community) -> ApiResult<Vec<Initiative>> {
    let mut prefix = community.slug.as_bytes().to_vec();
    prefix.push(0);
    Ok(store.scan_prefix(Table::Initiatives, &prefix)?)
}

pub fn create(
    store: &Store,
    community: &Community,
    input: InitiativeCreate,
) -> ApiResult<Initiative> {
    create_with_id(store, community, &secrets::new_id(), input)
}

/// Creates an initiative under a chosen id (the demo seeds use readable ids).
pub fn create_with_id(
    store: &Store,
    community: &Community,
    id: &str,
    input: InitiativeCreate,
) -> ApiResult<Initiative> {
    if !secrets::is_plausible_id(id) {
        return Err(ApiError::invalid_field(
            "id",
            "use 1 to 64 characters a-z, 0-9 and -",
        ));
    }
    let summary = input.summary.trim();
    let initiative = Initiative {
        id: id.to_string(),
        community: community.slug.clone(),
        title: check_text("title", &input.title, TITLE_MAX_CHARS)?,
        summary: if summary.is_empty() {
            String::new()
        } else {
            check_text("summary", summary, SUMMARY_MAX_CHARS)?
        },
        area: check_choice("area", input.area, &community.areas)?,
        theme: check_choice("theme", input.theme, &community.themes)?,
        created_at: secrets::now_secs(),
    };
    if !store.insert_new(
        Table::Initiatives,
        &key(&[&community.slug, id]),
        &initiative,
    )? {
        return Err(ApiError::invalid_field(
            "id",
            format!("`{id}` is already taken"),
        ));
    }
    Ok(initiative)
}

fn check_choice(
    field: &str,
    value: Option<String>,
    allowed: &[String],
) -> ApiResult<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v)),
        Some(v) => Err(ApiError::invalid_field(
            field,
            format!(
                "`{v}` is not one of this community's {field}s: {}",
                allowed.join(", ")
            ),
        )),
    }
}

pub fn public(
    store: &Store,
    community: &Community,
    initiative: &Initiative,
) -> ApiResult<InitiativePublic> {
    Ok(InitiativePublic {
        id: initiative.id.clone(),
        community: initiative.community.clone(),
        title: initiative.title.clone(),
        summary: initiative.summary.clone(),
        area: initiative.area.clone(),
        theme: initiative.theme.clone(),
        support_count: supports::count(store, community, &initiative.id)?,
        support_threshold: community.support_threshold,
        created_at: initiative.created_at,
    })
}
