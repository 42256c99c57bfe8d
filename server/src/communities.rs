//! Communities (tenants): their settings, who may embed them, their admin tokens.

use mekaar_api::{
    codes, is_valid_slug, CommunityAdmin, CommunityCreate, CommunityPublic, CommunityUpdate,
    ModerationPolicy, WebhookEvent, DEFAULT_REPORTS_BEFORE_HIDE,
};
use serde::{Deserialize, Serialize};
use warp::http::StatusCode;

use crate::errors::{ApiError, ApiResult};
use crate::secrets;
use crate::store::{Store, Table};

/// Languages the widgets have translations for.
pub const SUPPORTED_LANGUAGES: &[&str] = &["nl", "en"];
pub const DEFAULT_SUPPORT_THRESHOLD: u64 = 50;
const NAME_MAX_CHARS: usize = 100;
const LABEL_MAX_CHARS: usize = 60;
const LIST_MAX_ITEMS: usize = 100;
const ORIGINS_MAX: usize = 50;
const THRESHOLD_MAX: u64 = 1_000_000;
const REPORTS_BEFORE_HIDE_MAX: u32 = 1_000;

/// A community as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Community {
    pub slug: String,
    pub name: String,
    pub languages: Vec<String>,
    pub areas: Vec<String>,
    pub themes: Vec<String>,
    pub support_threshold: u64,
    /// Normalised `scheme://host[:port]` of every site that may embed us.
    pub allowed_origins: Vec<String>,
    /// SHA-256 hashes of the community's admin tokens.
    pub admin_token_hashes: Vec<String>,
    pub created_at: u64,
    #[serde(default)]
    pub moderation: ModerationPolicy,
    #[serde(default = "default_reports_before_hide")]
    pub reports_before_hide: u32,
    #[serde(default)]
    pub webhooks: Vec<WebhookConfig>,
}

fn default_reports_before_hide() -> u32 {
    DEFAULT_REPORTS_BEFORE_HIDE
}

/// A webhook as stored. The secret is kept in clear: we need it to sign.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WebhookConfig {
    pub id: String,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub secret: String,
    pub created_at: u64,
}

impl Community {
    pub fn public(&self) -> CommunityPublic {
        CommunityPublic {
            slug: self.slug.clone(),
            name: self.name.clone(),
            languages: self.languages.clone(),
            areas: self.areas.clone(),
            themes: self.themes.clone(),
            support_threshold: self.support_threshold,
            moderation: self.moderation,
        }
    }

    pub fn admin_view(&self) -> CommunityAdmin {
        CommunityAdmin {
            public: self.public(),
            allowed_origins: self.allowed_origins.clone(),
            reports_before_hide: self.reports_before_hide,
        }
    }

    pub fn allows_origin(&self, origin: &str) -> bool {
        normalize_origin(origin).is_ok_and(|o| self.allowed_origins.contains(&o))
    }

    pub fn accepts_admin_token(&self, token: &str) -> bool {
        secrets::secret_matches(token, &self.admin_token_hashes)
    }
}

fn store_key(slug: &str) -> Vec<u8> {
    slug.as_bytes().to_vec()
}

pub fn get(store: &Store, slug: &str) -> ApiResult<Community> {
    if !is_valid_slug(slug) {
        return Err(ApiError::community_not_found(slug));
    }
    store
        .get(Table::Communities, &store_key(slug))?
        .ok_or_else(|| ApiError::community_not_found(slug))
}

pub fn list(store: &Store) -> ApiResult<Vec<Community>> {
    Ok(store.scan_prefix(Table::Communities, b"")?)
}

/// Creates a community with one admin token, returned in clear this once.
pub fn create(store: &Store, input: CommunityCreate) -> ApiResult<(Community, String)> {
    if !is_valid_slug(&input.slug) {
        return Err(ApiError::invalid_field(
            "slug",
            "use 1 to 40 characters a-z, 0-9 and inner hyphens",
        ));
    }
    let token = secrets::new_admin_token();
    let mut community = Community {
        slug: input.slug,
        name: String::new(),
        languages: vec!["nl".into(), "en".into()],
        areas: vec![],
        themes: vec![],
        support_threshold: DEFAULT_SUPPORT_THRESHOLD,
        allowed_origins: vec![],
        admin_token_hashes: vec![secrets::hash_secret(&token)],
        created_at: secrets::now_secs(),
        moderation: ModerationPolicy::default(),
        reports_before_hide: DEFAULT_REPORTS_BEFORE_HIDE,
        webhooks: vec![],
    };
    apply_update(
        &mut community,
        CommunityUpdate {
            name: Some(input.name),
            languages: input.languages,
            allowed_origins: Some(input.allowed_origins),
            areas: Some(input.areas),
            themes: Some(input.themes),
            support_threshold: input.support_threshold,
            moderation: input.moderation,
            reports_before_hide: input.reports_before_hide,
        },
    )?;
    if !store.insert_new(Table::Communities, &store_key(&community.slug), &community)? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            codes::COMMUNITY_EXISTS,
            format!("A community `{}` already exists.", community.slug),
        ));
    }
    Ok((community, token))
}

pub fn update(store: &Store, slug: &str, change: CommunityUpdate) -> ApiResult<Community> {
    get(store, slug)?;
    match store.update(Table::Communities, &store_key(slug), |mut community| {
        apply_update(&mut community, change.clone()).map(|_| community)
    })? {
        Some(result) => result,
        None => Err(ApiError::community_not_found(slug)),
    }
}

/// Read-modify-write of a community's stored record (webhooks, tokens).
pub fn change(
    store: &Store,
    slug: &str,
    mut edit: impl FnMut(&mut Community) -> ApiResult<()>,
) -> ApiResult<Community> {
    match store.update(Table::Communities, &store_key(slug), |mut c: Community| {
        edit(&mut c).map(|_| c)
    })? {
        Some(result) => result,
        None => Err(ApiError::community_not_found(slug)),
    }
}

/// Adds an admin token to the community; returns it in clear this once.
pub fn add_admin_token(store: &Store, slug: &str) -> ApiResult<String> {
    let token = secrets::new_admin_token();
    let hash = secrets::hash_secret(&token);
    match store.update(Table::Communities, &store_key(slug), |mut c: Community| {
        c.admin_token_hashes.push(hash.clone());
        Ok::<_, ApiError>(c)
    })? {
        Some(result) => result.map(|_| token),
        None => Err(ApiError::community_not_found(slug)),
    }
}

fn apply_update(community: &mut Community, change: CommunityUpdate) -> ApiResult<()> {
    if let Some(name) = change.name {
        community.name = check_text("name", &name, NAME_MAX_CHARS)?;
    }
    if let Some(languages) = change.languages {
        if languages.is_empty() {
            return Err(ApiError::invalid_field(
                "languages",
                "name at least one language",
            ));
        }
        if let Some(bad) = languages
            .iter()
            .find(|l| !SUPPORTED_LANGUAGES.contains(&l.as_str()))
        {
            return Err(ApiError::invalid_field(
                "languages",
                format!("`{bad}` is not one of {}", SUPPORTED_LANGUAGES.join(", ")),
            ));
        }
        community.languages = dedup(languages);
    }
    if let Some(origins) = change.allowed_origins {
        if origins.len() > ORIGINS_MAX {
            return Err(ApiError::invalid_field(
                "allowed_origins",
                format!("at most {ORIGINS_MAX} origins"),
            ));
        }
        let normalised = origins
            .iter()
            .map(|o| {
                normalize_origin(o).map_err(|why| ApiError::invalid_field("allowed_origins", why))
            })
            .collect::<ApiResult<Vec<_>>>()?;
        community.allowed_origins = dedup(normalised);
    }
    if let Some(areas) = change.areas {
        community.areas = check_labels("areas", areas)?;
    }
    if let Some(themes) = change.themes {
        community.themes = check_labels("themes", themes)?;
    }
    if let Some(threshold) = change.support_threshold {
        if !(1..=THRESHOLD_MAX).contains(&threshold) {
            return Err(ApiError::invalid_field(
                "support_threshold",
                format!("must be between 1 and {THRESHOLD_MAX}"),
            ));
        }
        community.support_threshold = threshold;
    }
    if let Some(policy) = change.moderation {
        community.moderation = policy;
    }
    if let Some(reports) = change.reports_before_hide {
        if !(1..=REPORTS_BEFORE_HIDE_MAX).contains(&reports) {
            return Err(ApiError::invalid_field(
                "reports_before_hide",
                format!("must be between 1 and {REPORTS_BEFORE_HIDE_MAX}"),
            ));
        }
        community.reports_before_hide = reports;
    }
    Ok(())
}

/// Trims `text` and checks it is 1..=`max` characters on one line, without
/// control characters.
pub fn check_text(field: &str, text: &str, max: usize) -> ApiResult<String> {
    if text.trim().contains('\n') {
        return Err(ApiError::invalid_field(field, "must be one line"));
    }
    check_paragraphs(field, text, max)
}

/// Like [`check_text`], but line breaks are allowed (stories, messages).
/// Windows line ends become `\n`.
pub fn check_paragraphs(field: &str, text: &str, max: usize) -> ApiResult<String> {
    let text = text.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid_field(field, "must not be empty"));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(ApiError::invalid_field(
            field,
            format!("is {chars} characters, at most {max} are allowed"),
        ));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::invalid_field(
            field,
            "must not contain control characters",
        ));
    }
    Ok(text.to_string())
}

fn check_labels(field: &str, labels: Vec<String>) -> ApiResult<Vec<String>> {
    if labels.len() > LIST_MAX_ITEMS {
        return Err(ApiError::invalid_field(
            field,
            format!("at most {LIST_MAX_ITEMS} entries"),
        ));
    }
    let labels = labels
        .iter()
        .map(|label| check_text(field, label, LABEL_MAX_CHARS))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(dedup(labels))
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// `https://www.Baarlo.nl/` → `https://www.baarlo.nl`. Only a scheme, a host
/// and an optional port: an origin, as browsers send it.
pub fn normalize_origin(origin: &str) -> Result<String, String> {
    let lower = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, authority) = lower
        .split_once("://")
        .ok_or_else(|| format!("`{origin}` is not an origin like https://www.example.nl"))?;
    if scheme != "http" && scheme != "https" {
        return Err(format!("`{origin}` must start with https:// or http://"));
    }
    let valid_authority = !authority.is_empty()
        && authority.len() <= 253
        && authority
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b':' | b'[' | b']'));
    if !valid_authority {
        return Err(format!(
            "`{origin}` must be only a scheme and a host (and port), without a path"
        ));
    }
    Ok(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_checked() {
        assert_eq!(
            normalize_origin("https://www.Baarlo.nl/").unwrap(),
            "https://www.baarlo.nl"
        );
        assert_eq!(
            normalize_origin("http://127.0.0.1:8081").unwrap(),
            "http://127.0.0.1:8081"
        );
        assert!(normalize_origin("www.baarlo.nl").is_err());
        assert!(normalize_origin("ftp://baarlo.nl").is_err());
        assert!(normalize_origin("https://baarlo.nl/path").is_err());
        assert!(normalize_origin("https://").is_err());
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(check_text("name", "  Baarlo ", 10).unwrap(), "Baarlo");
        assert!(check_text("name", "   ", 10).is_err());
        assert!(check_text("name", &"é".repeat(11), 10).is_err());
        assert!(check_text("name", &"é".repeat(10), 10).is_ok());
        assert!(check_text("name", "a\u{0}b", 10).is_err());
    }
}
