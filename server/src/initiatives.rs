//! Initiatives: put on the agenda by residents (no account) or moderators,
//! found by neighbours, supported, joined, answered officially.

use mekaar_api::{
    limits, ErrorCode, InitiativeCreate, InitiativeDetail, InitiativeEdit, InitiativeList,
    InitiativePublic, InitiativeStatus, InitiativeSubmit, InitiativeUpdate, ModerationPolicy,
    ModerationState, OfficialAnswer,
};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::communities::{check_paragraphs, check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::photos::StoredPhoto;
use crate::secrets;
use crate::store::Store;

/// Most updates one initiative keeps (the oldest go first).
const UPDATES_MAX: usize = 200;
pub const LIST_LIMIT_DEFAULT: u64 = 20;
pub const LIST_LIMIT_MAX: u64 = 100;

/// An initiative as stored. Support, join and report counts live with their sets.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Initiative {
    pub id: String,
    pub community: String,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub story: String,
    pub area: Option<String>,
    pub theme: Option<String>,
    #[serde(default)]
    pub status: InitiativeStatus,
    #[serde(default)]
    pub initiator_name: String,
    /// Seen only by moderators.
    #[serde(default)]
    pub contact_email: Option<String>,
    pub created_at: u64,
    #[serde(default)]
    pub updated_at: u64,
    #[serde(default)]
    pub updates: Vec<InitiativeUpdate>,
    #[serde(default)]
    pub answer: Option<OfficialAnswer>,
    #[serde(default)]
    pub moderation: ModerationState,
    #[serde(default)]
    pub threshold_reached_at: Option<u64>,
    /// Hash of the initiator's manage token (none for moderator-made ones).
    #[serde(default)]
    pub manage_token_hash: Option<String>,
    /// Reports already looked at by a moderator (restoring clears them), so
    /// only newer reports count towards hiding it again.
    #[serde(default)]
    pub reports_reviewed: u64,
    /// When it last reached a final status (realised, stopped); cleared when
    /// it leaves them. The retention setting counts from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_status_at: Option<u64>,
    /// When the initiator's name and e-mail address were erased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_erased_at: Option<u64>,
    /// The photo the public sees (see `photos`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<StoredPhoto>,
    /// The initiator's photo waiting for a moderator (pre-moderated communities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_photo: Option<StoredPhoto>,
    /// The community's steps it ticked: step id → when (see `steps`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub steps_done: std::collections::BTreeMap<String, u64>,
    /// Its short link `/i/{code}` (see [`assign_short_code`]); none only for an
    /// initiative stored before short links, until the server's next start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_code: Option<String>,
}

impl Initiative {
    pub fn is_public(&self) -> bool {
        self.moderation == ModerationState::Published
    }

    /// Whether it has reached a final status (realised, stopped).
    pub fn is_final(&self) -> bool {
        is_final(self.status)
    }
}

/// The statuses an initiative ends in: nothing more happens after them.
pub fn is_final(status: InitiativeStatus) -> bool {
    matches!(
        status,
        InitiativeStatus::Realised | InitiativeStatus::Stopped
    )
}

/// Any initiative, whatever its moderation state (for moderators, initiators).
pub fn get(store: &Store, community: &Community, id: &str) -> ApiResult<Initiative> {
    if !secrets::is_plausible_id(id) {
        return Err(ApiError::initiative_not_found(id));
    }
    store
        .initiative_get(&community.slug, id)?
        .ok_or_else(|| ApiError::initiative_not_found(id))
}

/// An initiative the public may see: published. Others answer 404, as if
/// they did not exist.
pub fn get_public(store: &Store, community: &Community, id: &str) -> ApiResult<Initiative> {
    let initiative = get(store, community, id)?;
    if initiative.is_public() {
        Ok(initiative)
    } else {
        Err(ApiError::initiative_not_found(id))
    }
}

/// Fails with 404 unless the initiative is published.
pub fn ensure_public(store: &Store, community: &Community, id: &str) -> ApiResult<()> {
    get_public(store, community, id).map(|_| ())
}

pub fn all(store: &Store, community: &Community) -> ApiResult<Vec<Initiative>> {
    Ok(store.initiatives_of_community(&community.slug)?)
}

/// A moderator creates an initiative: published at once.
pub fn create(
    store: &Store,
    community: &Community,
    input: InitiativeCreate,
) -> ApiResult<Initiative> {
    create_with_id(store, community, &secrets::new_id(), input)
}

/// Creates a published initiative under a chosen id (the demo seeds use readable ids).
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
    let now = secrets::now_secs();
    let mut initiative = Initiative {
        id: id.to_string(),
        community: community.slug.clone(),
        title: check_text("title", &input.title, limits::TITLE)?,
        summary: optional_text("summary", &input.summary, limits::SUMMARY)?,
        story: String::new(),
        area: check_choice("area", input.area, &community.areas)?,
        theme: check_choice("theme", input.theme, &community.themes)?,
        status: InitiativeStatus::default(),
        initiator_name: String::new(),
        contact_email: None,
        created_at: now,
        updated_at: now,
        updates: vec![],
        answer: None,
        moderation: ModerationState::Published,
        threshold_reached_at: None,
        manage_token_hash: None,
        reports_reviewed: 0,
        final_status_at: None,
        initiator_erased_at: None,
        photo: None,
        pending_photo: None,
        steps_done: Default::default(),
        short_code: None,
    };
    insert(store, &mut initiative)?;
    Ok(initiative)
}

fn insert(store: &Store, initiative: &mut Initiative) -> ApiResult<()> {
    if store.initiative_exists(&initiative.community, &initiative.id)? {
        return Err(ApiError::invalid_field(
            "id",
            format!("`{}` is already taken", initiative.id),
        ));
    }
    initiative.short_code = Some(new_short_code(store, initiative)?);
    if !store.initiative_insert_new(initiative)? {
        return Err(ApiError::invalid_field(
            "id",
            format!("`{}` is already taken", initiative.id),
        ));
    }
    Ok(())
}

/// Characters of short link codes: upper case, no look-alikes (0/O, 1/I/L).
const SHORT_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// 31^6 ≈ 887 million codes: unguessable enough behind the guess limit, easy to type.
pub const SHORT_CODE_LEN: usize = 6;

/// Where a short link code leads.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CodeTarget {
    pub community: String,
    pub initiative: String,
}

/// Reserves a fresh short code for `initiative` (unique per server).
fn new_short_code(store: &Store, initiative: &Initiative) -> ApiResult<String> {
    use rand::Rng;
    let target = CodeTarget {
        community: initiative.community.clone(),
        initiative: initiative.id.clone(),
    };
    let mut rng = rand::thread_rng();
    for _ in 0..20 {
        let code: String = (0..SHORT_CODE_LEN)
            .map(|_| SHORT_CODE_ALPHABET[rng.gen_range(0..SHORT_CODE_ALPHABET.len())] as char)
            .collect();
        if store.initiative_code_reserve(&code, &target)? {
            return Ok(code);
        }
    }
    Err(ApiError::internal("no free short code after 20 tries"))
}

/// Gives every initiative stored before short links its code (at the server's
/// start); returns how many got one.
pub fn assign_missing_short_codes(store: &Store) -> ApiResult<usize> {
    let mut assigned = 0;
    for community in crate::communities::list(store)? {
        for initiative in all(store, &community)? {
            if initiative.short_code.is_some() {
                continue;
            }
            let code = new_short_code(store, &initiative)?;
            store.initiative_update(&community.slug, &initiative.id, |mut stored| {
                stored.short_code.get_or_insert_with(|| code.clone());
                Ok::<_, ApiError>(stored)
            })?;
            assigned += 1;
        }
    }
    Ok(assigned)
}

/// Upper case, without spaces and dashes; `None` unless it can be a short code.
pub fn normalize_short_code(code: &str) -> Option<String> {
    let code: String = code
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == SHORT_CODE_LEN && code.bytes().all(|b| SHORT_CODE_ALPHABET.contains(&b)))
        .then_some(code)
}

/// A published initiative by its short code, with its community.
pub fn public_by_short_code(store: &Store, code: &str) -> ApiResult<(Community, Initiative)> {
    let not_found = || ApiError::initiative_not_found(code);
    let code = normalize_short_code(code).ok_or_else(not_found)?;
    let target = store.initiative_code_target(&code)?.ok_or_else(not_found)?;
    let community = crate::communities::get(store, &target.community).map_err(|_| not_found())?;
    let initiative = get_public(store, &community, &target.initiative)?;
    Ok((community, initiative))
}

/// A resident starts an initiative. Returns it and its manage token (shown once).
pub fn submit(
    store: &Store,
    community: &Community,
    input: InitiativeSubmit,
) -> ApiResult<(Initiative, String)> {
    if !input.website.trim().is_empty() {
        // Only bots fill in the field that people cannot see.
        return Err(ApiError::new(
            ErrorCode::SpamSuspected,
            "This submission looks automated and was not saved.",
        ));
    }
    let token = secrets::new_admin_token();
    let now = secrets::now_secs();
    let mut initiative = Initiative {
        id: secrets::new_id(),
        community: community.slug.clone(),
        title: at_least(
            "title",
            check_text("title", &input.title, limits::TITLE)?,
            limits::TITLE_MIN,
        )?,
        summary: at_least(
            "summary",
            check_paragraphs("summary", &input.summary, limits::SUMMARY)?,
            limits::SUMMARY_MIN,
        )?,
        story: optional_paragraphs("story", &input.story, limits::STORY)?,
        area: check_choice("area", input.area, &community.areas)?,
        theme: check_choice("theme", input.theme, &community.themes)?,
        status: InitiativeStatus::Idea,
        initiator_name: check_text("initiator_name", &input.initiator_name, limits::NAME)?,
        contact_email: match input.contact_email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(email) => Some(check_email("contact_email", email)?),
        },
        created_at: now,
        updated_at: now,
        updates: vec![],
        answer: None,
        moderation: match community.moderation {
            ModerationPolicy::Pre => ModerationState::Pending,
            ModerationPolicy::Post => ModerationState::Published,
        },
        threshold_reached_at: None,
        manage_token_hash: Some(secrets::hash_secret(&token)),
        reports_reviewed: 0,
        final_status_at: None,
        initiator_erased_at: None,
        photo: None,
        pending_photo: None,
        steps_done: Default::default(),
        short_code: None,
    };
    insert(store, &mut initiative)?;
    Ok((initiative, token))
}

/// Passes when `token` is this initiative's manage token.
pub fn check_manage_token(initiative: &Initiative, token: Option<&str>) -> ApiResult<()> {
    let valid = match (token, &initiative.manage_token_hash) {
        (Some(token), Some(hash)) => secrets::secret_matches(token, std::slice::from_ref(hash)),
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidManageToken,
            "This manage link is not valid for this initiative.",
        ))
    }
}

/// Applies an edit (by the initiator or a moderator); returns (before, after).
pub fn edit(
    store: &Store,
    community: &Community,
    id: &str,
    change: InitiativeEdit,
) -> ApiResult<(Initiative, Initiative)> {
    let before = get(store, community, id)?;
    let after = update(store, community, id, |mut initiative| {
        if let Some(title) = &change.title {
            let title = check_text("title", title, limits::TITLE)?;
            initiative.title = at_least("title", title, limits::TITLE_MIN)?;
        }
        if let Some(summary) = &change.summary {
            let summary = check_paragraphs("summary", summary, limits::SUMMARY)?;
            initiative.summary = at_least("summary", summary, limits::SUMMARY_MIN)?;
        }
        if let Some(story) = &change.story {
            initiative.story = optional_paragraphs("story", story, limits::STORY)?;
        }
        if let Some(area) = &change.area {
            initiative.area = check_choice("area", non_empty(area), &community.areas)?;
        }
        if let Some(theme) = &change.theme {
            initiative.theme = check_choice("theme", non_empty(theme), &community.themes)?;
        }
        if let Some(status) = change.status {
            // Moving between final statuses keeps the first moment.
            initiative.final_status_at = match (is_final(status), initiative.final_status_at) {
                (false, _) => None,
                (true, Some(at)) if initiative.is_final() => Some(at),
                (true, _) => Some(secrets::now_secs()),
            };
            initiative.status = status;
        }
        Ok(initiative)
    })?;
    Ok((before, after))
}

/// The initiator posts an update.
pub fn post_update(
    store: &Store,
    community: &Community,
    id: &str,
    text: &str,
) -> ApiResult<Initiative> {
    let text = check_paragraphs("text", text, limits::UPDATE)?;
    update(store, community, id, |mut initiative| {
        initiative.updates.push(InitiativeUpdate {
            text: text.clone(),
            posted_at: secrets::now_secs(),
        });
        if initiative.updates.len() > UPDATES_MAX {
            initiative.updates.remove(0);
        }
        Ok(initiative)
    })
}

/// Read-modify-write of one initiative, stamping `updated_at`.
pub fn update(
    store: &Store,
    community: &Community,
    id: &str,
    mut change: impl FnMut(Initiative) -> ApiResult<Initiative>,
) -> ApiResult<Initiative> {
    if !secrets::is_plausible_id(id) {
        return Err(ApiError::initiative_not_found(id));
    }
    match store.initiative_update(&community.slug, id, |initiative| {
        change(initiative).map(|mut changed| {
            changed.updated_at = secrets::now_secs();
            changed
        })
    })? {
        Some(result) => result,
        None => Err(ApiError::initiative_not_found(id)),
    }
}

/// Records the moment the support count first reached the threshold.
/// Returns the updated initiative only for the one call that recorded it,
/// so the event is announced exactly once, however many supports race.
pub fn record_threshold_reached(
    store: &Store,
    community: &Community,
    id: &str,
) -> ApiResult<Option<Initiative>> {
    let mut recorded_now = false;
    let result = store.initiative_update(&community.slug, id, |mut initiative| {
        recorded_now = initiative.threshold_reached_at.is_none();
        if recorded_now {
            initiative.threshold_reached_at = Some(secrets::now_secs());
        }
        Ok::<_, ApiError>(initiative)
    })?;
    match result {
        Some(Ok(initiative)) if recorded_now => Ok(Some(initiative)),
        Some(Err(err)) => Err(err),
        _ => Ok(None),
    }
}

/// Filters, search, sort and page of the public list (from the query string).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    pub area: Option<String>,
    pub theme: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Newest,
    Support,
}

/// A published initiative ready for listing: its card and its text,
/// lower-cased once, for search.
#[derive(Debug, Clone)]
pub struct Listed {
    pub card: InitiativePublic,
    haystack: String,
}

/// Every published initiative of the community as a card (one scan of the
/// store: decodes every record and looks up its counts).
pub fn published_cards(store: &Store, community: &Community) -> ApiResult<Vec<Listed>> {
    all(store, community)?
        .into_iter()
        .filter(Initiative::is_public)
        .map(|initiative| {
            let haystack = format!(
                "{}\n{}\n{}",
                initiative.title, initiative.summary, initiative.story
            )
            .to_lowercase();
            Ok(Listed {
                card: card(store, community, &initiative)?,
                haystack,
            })
        })
        .collect()
}

/// Remembers each community's published cards until anything is written,
/// so list requests between two changes filter and page in memory instead
/// of decoding every initiative again (BENCHMARKS.md: ~4 ms per request
/// for 1,000 initiatives without it).
#[derive(Default)]
pub struct ListCache {
    by_community: std::sync::Mutex<std::collections::HashMap<String, CachedCards>>,
}

/// The store's write counter when the cards were built, and the cards.
type CachedCards = (u64, Arc<Vec<Listed>>);

impl ListCache {
    /// The published initiatives matching `query`, one page of them; from the cache
    /// when nothing changed since it was built.
    pub fn list(
        &self,
        store: &Store,
        community: &Community,
        query: &ListQuery,
    ) -> ApiResult<InitiativeList> {
        select(&self.cards(store, community)?, query)
    }

    /// Every published initiative of the community, from the cache when
    /// nothing changed since it was built.
    pub fn cards(&self, store: &Store, community: &Community) -> ApiResult<Arc<Vec<Listed>>> {
        // Read before building: a write during the build makes the entry
        // stale at once, so it is never served as newer than it is.
        let generation = store.generation();
        {
            let cached = self.by_community.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((built_at, cards)) = cached.get(&community.slug) {
                if *built_at == generation {
                    return Ok(cards.clone());
                }
            }
        }
        let cards = Arc::new(published_cards(store, community)?);
        self.by_community
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(community.slug.clone(), (generation, cards.clone()));
        Ok(cards)
    }
}

/// Filters, searches, sorts and pages `listed` as `query` asks.
pub fn select(listed: &[Listed], query: &ListQuery) -> ApiResult<InitiativeList> {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => Some(InitiativeStatus::parse(name).ok_or_else(|| {
            ApiError::invalid_field(
                "status",
                format!(
                    "`{name}` is not one of {}",
                    InitiativeStatus::ALL.map(|s| s.as_str()).join(", ")
                ),
            )
        })?),
    };
    let sort = match query.sort.as_deref().unwrap_or("newest") {
        "newest" | "" => Sort::Newest,
        "support" => Sort::Support,
        other => {
            return Err(ApiError::invalid_field(
                "sort",
                format!("`{other}` is not one of newest, support"),
            ))
        }
    };
    let limit = query.limit.unwrap_or(LIST_LIMIT_DEFAULT);
    if !(1..=LIST_LIMIT_MAX).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            format!("must be between 1 and {LIST_LIMIT_MAX}"),
        ));
    }
    let page = query.page.unwrap_or(1).max(1);
    let needle = query
        .q
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let wanted = |value: &Option<String>, filter: &Option<String>| match filter.as_deref() {
        None | Some("") => true,
        Some(f) => value.as_deref() == Some(f),
    };
    let mut cards: Vec<&InitiativePublic> = listed
        .iter()
        .filter(|l| {
            wanted(&l.card.area, &query.area)
                && wanted(&l.card.theme, &query.theme)
                && status.is_none_or(|s| s == l.card.status)
                && needle
                    .as_ref()
                    .is_none_or(|n| l.haystack.contains(n.as_str()))
        })
        .map(|l| &l.card)
        .collect();
    match sort {
        Sort::Newest => cards.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| a.id.cmp(&b.id))
        }),
        Sort::Support => cards.sort_by(|a, b| {
            b.support_count
                .cmp(&a.support_count)
                .then_with(|| b.created_at.cmp(&a.created_at))
                .then_with(|| a.id.cmp(&b.id))
        }),
    }
    let total = cards.len() as u64;
    let start = ((page - 1).saturating_mul(limit)).min(total) as usize;
    let initiatives = cards
        .into_iter()
        .skip(start)
        .take(limit as usize)
        .cloned()
        .collect();
    Ok(InitiativeList {
        initiatives,
        total,
        page,
        limit,
    })
}

/// The card: what a list shows.
pub fn card(
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
        status: initiative.status,
        initiator_name: initiative.initiator_name.clone(),
        support_count: store.support_count(&community.slug, &initiative.id)?,
        support_threshold: community.support_threshold,
        threshold_reached_at: initiative.threshold_reached_at,
        join_count: store.join_count(&community.slug, &initiative.id)?,
        reaction_count: crate::discussions::count(
            store,
            community,
            mekaar_api::discussions::ThreadKind::Initiative,
            &initiative.id,
        )?,
        answered: initiative.answer.is_some(),
        created_at: initiative.created_at,
        updated_at: initiative.updated_at,
        photo: initiative.photo.as_ref().map(StoredPhoto::public),
        page: community.initiatives_page.clone(),
        share_url: initiative.short_code.as_ref().map(|c| format!("/i/{c}")),
    })
}

/// The detail: the card with story, updates and the official answer.
pub fn detail(
    store: &Store,
    community: &Community,
    initiative: &Initiative,
) -> ApiResult<InitiativeDetail> {
    Ok(InitiativeDetail {
        card: card(store, community, initiative)?,
        story: initiative.story.clone(),
        updates: initiative.updates.clone(),
        answer: initiative.answer.clone(),
    })
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn check_choice(
    field: &str,
    value: Option<String>,
    allowed: &[String],
) -> ApiResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if allowed.iter().any(|a| a == v) => Ok(Some(v.to_string())),
        Some(v) => Err(ApiError::invalid_field(
            field,
            format!(
                "`{v}` is not one of this community's {field}s: {}",
                allowed.join(", ")
            ),
        )),
    }
}

/// Empty is fine; otherwise as [`check_text`].
fn optional_text(field: &str, text: &str, max: usize) -> ApiResult<String> {
    if text.trim().is_empty() {
        Ok(String::new())
    } else {
        check_text(field, text, max)
    }
}

/// Empty is fine; otherwise as [`check_paragraphs`].
pub fn optional_paragraphs(field: &str, text: &str, max: usize) -> ApiResult<String> {
    if text.trim().is_empty() {
        Ok(String::new())
    } else {
        check_paragraphs(field, text, max)
    }
}

/// A plausible e-mail address: one `@`, a dot in the domain, no spaces.
/// `text` (already checked and trimmed) when it has at least `min` characters.
pub fn at_least(field: &str, text: String, min: usize) -> ApiResult<String> {
    let chars = text.chars().count();
    if chars < min {
        return Err(ApiError::invalid_field(
            field,
            format!("is {chars} characters, at least {min} are needed"),
        ));
    }
    Ok(text)
}

/// How to reach someone: an e-mail address or a phone number (8 to 15 digits, with the
/// usual `+ - ( ) . /` and spaces).
pub fn check_contact(field: &str, contact: &str) -> ApiResult<String> {
    let contact = check_text(field, contact, limits::CONTACT)?;
    if contact.contains('@') {
        return check_email(field, &contact);
    }
    let digits = contact.chars().filter(char::is_ascii_digit).count();
    let phone_like = contact
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    if phone_like && (8..=15).contains(&digits) {
        Ok(contact)
    } else {
        Err(ApiError::invalid_field(
            field,
            "is not an e-mail address or a phone number",
        ))
    }
}

pub fn check_email(field: &str, email: &str) -> ApiResult<String> {
    let email = check_text(field, email, limits::CONTACT)?;
    let plausible = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if plausible {
        Ok(email)
    } else {
        Err(ApiError::invalid_field(
            field,
            "is not an e-mail address like naam@example.nl",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_cache_never_serves_a_list_older_than_the_last_write() {
        let (_dir, store, community, _) = crate::communities::temp_community();
        let make = |title: &str| InitiativeCreate {
            title: title.into(),
            summary: String::new(),
            area: None,
            theme: None,
        };
        let cache = ListCache::default();
        let query = ListQuery::default();
        let first = create(&store, &community, make("Moestuin")).unwrap();
        assert_eq!(cache.list(&store, &community, &query).unwrap().total, 1);
        // Served from the cache while nothing changes.
        assert_eq!(cache.list(&store, &community, &query).unwrap().total, 1);
        create(&store, &community, make("Speeltuin")).unwrap();
        assert_eq!(cache.list(&store, &community, &query).unwrap().total, 2);
        store
            .support_add(&community.slug, &first.id, b"v", 0)
            .unwrap();
        let list = cache.list(&store, &community, &query).unwrap();
        let card = list.initiatives.iter().find(|c| c.id == first.id).unwrap();
        assert_eq!(card.support_count, 1);
        // Search and filters work on the cached cards too.
        let found = cache
            .list(
                &store,
                &community,
                &ListQuery {
                    q: Some("SPEEL".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(found.total, 1);
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(check_email("e", "anja@example.nl").is_ok());
        assert!(check_email("e", "anja@localhost").is_err());
        assert!(check_email("e", "anja example.nl").is_err());
        assert!(check_email("e", "@example.nl").is_err());
        assert!(check_email("e", "a@b@example.nl").is_err());
    }
}
