//! Wire types shared by the Mekaar server and the widgets.
//!
//! Everything here must build for `wasm32-unknown-unknown` without pulling in
//! heavy dependencies: only `serde` derives and plain functions.

use serde::{Deserialize, Serialize};

/// Version prefix of every JSON API path.
pub const API_PREFIX: &str = "/api/v1";

/// Request header that carries the resident's voter key.
///
/// A header rather than a path or query parameter, so the key never ends up
/// in access logs, browser history or referrers.
pub const VOTER_HEADER: &str = "mekaar-voter";

/// Length of a voter key: 128 random bits as lowercase hex.
pub const VOTER_KEY_LEN: usize = 32;

/// True when `key` is 32 lowercase hex characters (128 bits, made by the browser).
pub fn is_valid_voter_key(key: &str) -> bool {
    key.len() == VOTER_KEY_LEN && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Largest accepted length of a community slug.
pub const SLUG_MAX_LEN: usize = 40;

/// A slug is 1–40 characters of `a-z`, `0-9` and inner `-`.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SLUG_MAX_LEN
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// Every error answer of the API: `{"error":{"code":"…","message":"…"}}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ErrorDetail {
    /// Machine-readable, stable, snake_case (see [`codes`]).
    pub code: String,
    /// One human sentence for the webmaster or developer.
    pub message: String,
}

/// The machine-readable error codes. Widgets translate these for residents.
pub mod codes {
    pub const ROUTE_NOT_FOUND: &str = "route_not_found";
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    pub const COMMUNITY_NOT_FOUND: &str = "community_not_found";
    pub const INITIATIVE_NOT_FOUND: &str = "initiative_not_found";
    pub const COMMUNITY_EXISTS: &str = "community_exists";
    pub const ORIGIN_NOT_ALLOWED: &str = "origin_not_allowed";
    pub const INVALID_VOTER_KEY: &str = "invalid_voter_key";
    pub const MALFORMED_JSON: &str = "malformed_json";
    pub const INVALID_FIELD: &str = "invalid_field";
    pub const BODY_TOO_LARGE: &str = "body_too_large";
    pub const LENGTH_REQUIRED: &str = "length_required";
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupported_media_type";
    pub const UNAUTHORIZED: &str = "unauthorized";
    pub const FORBIDDEN: &str = "forbidden";
    pub const STORAGE_UNAVAILABLE: &str = "storage_unavailable";
    pub const INTERNAL: &str = "internal";
}

/// What anyone may read about a community.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommunityPublic {
    pub slug: String,
    pub name: String,
    /// Language codes, first is the default (e.g. `["nl", "en"]`).
    pub languages: Vec<String>,
    pub areas: Vec<String>,
    pub themes: Vec<String>,
    pub support_threshold: u64,
}

/// What a community admin sees: the public part plus the embedding sites.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommunityAdmin {
    #[serde(flatten)]
    pub public: CommunityPublic,
    /// Origins (`https://www.baarlo.nl`) whose pages may embed the widgets.
    pub allowed_origins: Vec<String>,
}

/// Body of `POST /api/v1/admin/communities`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CommunityCreate {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    #[serde(default)]
    pub areas: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub support_threshold: Option<u64>,
}

/// Body of `PATCH /api/v1/admin/communities/{slug}`: every field optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CommunityUpdate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    #[serde(default)]
    pub allowed_origins: Option<Vec<String>>,
    #[serde(default)]
    pub areas: Option<Vec<String>>,
    #[serde(default)]
    pub themes: Option<Vec<String>>,
    #[serde(default)]
    pub support_threshold: Option<u64>,
}

/// Answer to creating a community or a new admin token: the token is shown once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommunityCreated {
    pub community: CommunityAdmin,
    pub admin_token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenCreated {
    pub admin_token: String,
}

/// Body of `POST /api/v1/admin/communities/{slug}/initiatives`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InitiativeCreate {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
}

/// What anyone may read about an initiative.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativePublic {
    pub id: String,
    pub community: String,
    pub title: String,
    pub summary: String,
    pub area: Option<String>,
    pub theme: Option<String>,
    pub support_count: u64,
    pub support_threshold: u64,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InitiativeList {
    pub initiatives: Vec<InitiativePublic>,
}

/// A voter's support of one initiative, and the current total.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct SupportState {
    pub supported: bool,
    pub support_count: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Health {
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voter_keys_are_32_lowercase_hex() {
        assert!(is_valid_voter_key("0123456789abcdef0123456789abcdef"));
        assert!(!is_valid_voter_key("0123456789ABCDEF0123456789abcdef"));
        assert!(!is_valid_voter_key("0123456789abcdef0123456789abcde"));
        assert!(!is_valid_voter_key("0123456789abcdef0123456789abcdefa"));
        assert!(!is_valid_voter_key("0123456789abcdef0123456789abcdeg"));
        assert!(!is_valid_voter_key(""));
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("baarlo"));
        assert!(is_valid_slug("voor-mekaar-2"));
        assert!(!is_valid_slug("-baarlo"));
        assert!(!is_valid_slug("Baarlo"));
        assert!(!is_valid_slug("baar lo"));
        assert!(!is_valid_slug(&"a".repeat(41)));
    }
}
