//! Communities (tenants): their settings, who may embed them, their admin tokens.

use mekaar_api::admin::{Role, TokenInfo, TOKEN_LABEL_MAX};
use mekaar_api::discussions::ReactionSettings;
use mekaar_api::{
    is_valid_slug, CommunityAdmin, CommunityCreate, CommunityPublic, CommunityUpdate, ErrorCode,
    ModerationPolicy, WebhookEvent, DEFAULT_REPORTS_BEFORE_HIDE, INITIATIVES_PAGE_MAX,
    RETENTION_DAYS_MAX, RETENTION_DAYS_MIN,
};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::errors::{ApiError, ApiResult};
use crate::secrets;
use crate::store::Store;

/// Languages the widgets have translations for.
pub const SUPPORTED_LANGUAGES: &[&str] = &["nl", "en"];
pub const DEFAULT_SUPPORT_THRESHOLD: u64 = 50;
const NAME_MAX_CHARS: usize = 100;
const LABEL_MAX_CHARS: usize = 60;
const LIST_MAX_ITEMS: usize = 100;
const ORIGINS_MAX: usize = 50;
const THRESHOLD_MAX: u64 = 1_000_000;
const REPORTS_BEFORE_HIDE_MAX: u32 = 1_000;
/// Tokens one community may hold (admins, moderators, poll editors).
const TOKENS_MAX: usize = 100;

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
    /// Before tokens had roles: SHA-256 hashes of admin tokens. Read only:
    /// [`Community::migrated`] turns them into `tokens` (every read from the
    /// store does), and it is written only while not empty, so an old
    /// record is never changed by being read, and no token is ever lost.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_token_hashes: Vec<String>,
    /// The community's tokens, each with a role (stored hashed).
    #[serde(default)]
    pub tokens: Vec<CommunityToken>,
    pub created_at: u64,
    #[serde(default)]
    pub moderation: ModerationPolicy,
    #[serde(default = "default_reports_before_hide")]
    pub reports_before_hide: u32,
    #[serde(default)]
    pub webhooks: Vec<WebhookConfig>,
    /// Days after an initiative's final status when its personal data go.
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// The host site's page with the initiatives list (see [`check_initiatives_page`]).
    #[serde(default)]
    pub initiatives_page: Option<String>,
    /// How residents' reactions are moderated and limited (see `discussions`).
    #[serde(default)]
    pub reactions: ReactionSettings,
    /// The sender of the community's e-mail (see `mail`); `None`: the server's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_from: Option<String>,
    /// The next steps of an initiative, in order (see `steps`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<mekaar_api::steps::Step>,
}

/// A community token as stored: its role, who holds it, and its hash.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommunityToken {
    pub id: String,
    pub role: Role,
    #[serde(default)]
    pub label: String,
    /// SHA-256 of the token; the token itself is shown once and never kept.
    pub hash: String,
    pub created_at: u64,
}

impl CommunityToken {
    /// How the audit log names whoever used this token: role and the start
    /// of its hash, never the token.
    pub fn actor(&self) -> String {
        format!(
            "{}:{}",
            self.role.as_str(),
            &self.hash[..8.min(self.hash.len())]
        )
    }

    pub fn info(&self) -> TokenInfo {
        TokenInfo {
            id: self.id.clone(),
            role: self.role,
            label: self.label.clone(),
            created_at: self.created_at,
        }
    }
}

/// The id of a token from before roles: the start of its hash, so it is
/// the same on every read (and after an export and import) until the record
/// is next written in the new form.
fn legacy_token_id(hash: &str) -> String {
    hash.chars().take(10).collect()
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
            initiatives_page: self.initiatives_page.clone(),
            // Set by the routes, which know the server's SMTP settings (`mail::offered`).
            mail: false,
        }
    }

    pub fn admin_view(&self) -> CommunityAdmin {
        CommunityAdmin {
            public: self.public(),
            allowed_origins: self.allowed_origins.clone(),
            reports_before_hide: self.reports_before_hide,
            retention_days: self.retention_days,
            reactions: self.reactions.clone(),
            mail_from: self.mail_from.clone(),
        }
    }

    /// The record with tokens from before roles turned into admin tokens.
    pub fn migrated(mut self) -> Community {
        for hash in std::mem::take(&mut self.admin_token_hashes) {
            if !self.tokens.iter().any(|t| t.hash == hash) {
                self.tokens.push(CommunityToken {
                    id: legacy_token_id(&hash),
                    role: Role::Admin,
                    label: String::new(),
                    hash,
                    created_at: self.created_at,
                });
            }
        }
        self
    }

    pub fn allows_origin(&self, origin: &str) -> bool {
        normalize_origin(origin).is_ok_and(|o| self.allowed_origins.contains(&o))
    }

    /// The community token `token` is, if any. Every stored hash is compared
    /// in constant time, so timing says nothing about near misses.
    pub fn find_token(&self, token: &str) -> Option<&CommunityToken> {
        let hashed = secrets::hash_secret(token);
        let mut found = None;
        for stored in &self.tokens {
            if bool::from(hashed.as_bytes().ct_eq(stored.hash.as_bytes())) {
                found = Some(stored);
            }
        }
        found
    }

    pub fn token_by_id(&self, id: &str) -> Option<&CommunityToken> {
        self.tokens.iter().find(|t| t.id == id)
    }
}

pub fn get(store: &Store, slug: &str) -> ApiResult<Community> {
    if !is_valid_slug(slug) {
        return Err(ApiError::community_not_found(slug));
    }
    store
        .community_get(slug)?
        .map(Community::migrated)
        .ok_or_else(|| ApiError::community_not_found(slug))
}

pub fn list(store: &Store) -> ApiResult<Vec<Community>> {
    Ok(store
        .communities_all()?
        .into_iter()
        .map(Community::migrated)
        .collect())
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
    let now = secrets::now_secs();
    let mut community = Community {
        slug: input.slug,
        name: String::new(),
        languages: vec!["nl".into(), "en".into()],
        areas: vec![],
        themes: vec![],
        support_threshold: DEFAULT_SUPPORT_THRESHOLD,
        allowed_origins: vec![],
        admin_token_hashes: vec![],
        tokens: vec![CommunityToken {
            id: secrets::new_id(),
            role: Role::Admin,
            label: String::new(),
            hash: secrets::hash_secret(&token),
            created_at: now,
        }],
        created_at: now,
        moderation: ModerationPolicy::default(),
        reports_before_hide: DEFAULT_REPORTS_BEFORE_HIDE,
        webhooks: vec![],
        retention_days: None,
        initiatives_page: None,
        reactions: ReactionSettings::default(),
        mail_from: None,
        steps: vec![],
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
            retention_days: None,
            initiatives_page: input.initiatives_page.map(Some),
            reactions: None,
            mail_from: input.mail_from.map(Some),
        },
    )?;
    if !store.community_insert_new(&community)? {
        return Err(ApiError::new(
            ErrorCode::CommunityExists,
            format!("A community `{}` already exists.", community.slug),
        ));
    }
    Ok((community, token))
}

pub fn update(store: &Store, slug: &str, change: CommunityUpdate) -> ApiResult<Community> {
    update_from(store, slug, change).map(|(_, after)| after)
}

/// As [`update`], and also the record as it was just before this change (for the audit
/// log: another admin's save in between is not counted as this one's).
pub fn update_from(
    store: &Store,
    slug: &str,
    change: CommunityUpdate,
) -> ApiResult<(Community, Community)> {
    get(store, slug)?;
    let mut before = None;
    match store.community_update(slug, |community| {
        let mut community = community.migrated();
        before = Some(community.clone());
        apply_update(&mut community, change.clone()).map(|_| community)
    })? {
        Some(Ok(after)) => Ok((before.unwrap_or_else(|| after.clone()), after)),
        Some(Err(e)) => Err(e),
        None => Err(ApiError::community_not_found(slug)),
    }
}

/// Read-modify-write of a community's stored record (webhooks, tokens).
pub fn change(
    store: &Store,
    slug: &str,
    mut edit: impl FnMut(&mut Community) -> ApiResult<()>,
) -> ApiResult<Community> {
    if !is_valid_slug(slug) {
        return Err(ApiError::community_not_found(slug));
    }
    match store.community_update(slug, |c| {
        let mut c = c.migrated();
        edit(&mut c).map(|_| c)
    })? {
        Some(result) => result,
        None => Err(ApiError::community_not_found(slug)),
    }
}

/// Adds a token with `role` to the community; returns it as stored and in
/// clear (shown this once).
pub fn add_token(
    store: &Store,
    slug: &str,
    role: Role,
    label: &str,
) -> ApiResult<(CommunityToken, String)> {
    let label = if label.trim().is_empty() {
        String::new()
    } else {
        check_text("label", label, TOKEN_LABEL_MAX)?
    };
    let token = secrets::new_admin_token();
    let stored = CommunityToken {
        id: secrets::new_id(),
        role,
        label,
        hash: secrets::hash_secret(&token),
        created_at: secrets::now_secs(),
    };
    change(store, slug, |c| {
        if c.tokens.len() >= TOKENS_MAX {
            return Err(ApiError::invalid_field(
                "role",
                format!("a community holds at most {TOKENS_MAX} tokens; delete unused ones first"),
            ));
        }
        c.tokens.push(stored.clone());
        Ok(())
    })?;
    Ok((stored, token))
}

/// Deletes the token `id`; refuses to delete the last admin token, which
/// would leave the community to the server-wide admin alone.
pub fn delete_token(store: &Store, slug: &str, id: &str) -> ApiResult<CommunityToken> {
    let mut deleted = None;
    change(store, slug, |c| {
        let Some(at) = c.tokens.iter().position(|t| t.id == id) else {
            return Err(ApiError::new(
                ErrorCode::TokenNotFound,
                format!("There is no token `{id}` in this community."),
            ));
        };
        let admins = c.tokens.iter().filter(|t| t.role == Role::Admin).count();
        if c.tokens[at].role == Role::Admin && admins == 1 {
            return Err(ApiError::new(
                ErrorCode::LastAdminToken,
                "This is the community's last admin token: make another admin token first, then delete this one.",
            ));
        }
        deleted = Some(c.tokens.remove(at));
        Ok(())
    })?;
    deleted.ok_or_else(|| ApiError::internal("a deleted token went missing"))
}

/// The community and token that `token` belongs to, of any community.
pub fn find_token_anywhere(
    store: &Store,
    token: &str,
) -> ApiResult<Option<(Community, CommunityToken)>> {
    let mut found = None;
    // Every community is looked at, also after a match: the time taken
    // does not say which community (or whether any) holds the token.
    for community in list(store)? {
        if let Some(t) = community.find_token(token).cloned() {
            found = Some((community, t));
        }
    }
    Ok(found)
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
    if let Some(retention) = change.retention_days {
        if let Some(days) = retention {
            if !(RETENTION_DAYS_MIN..=RETENTION_DAYS_MAX).contains(&days) {
                return Err(ApiError::invalid_field(
                    "retention_days",
                    format!(
                        "must be between {RETENTION_DAYS_MIN} and {RETENTION_DAYS_MAX} days, or null to keep personal data"
                    ),
                ));
            }
        }
        community.retention_days = retention;
    }
    if let Some(settings) = change.reactions {
        community.reactions = check_reaction_settings(settings)?;
    }
    if let Some(from) = change.mail_from {
        community.mail_from = match from.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(from) => Some(crate::mail::check_from("mail_from", from)?),
        };
    }
    if let Some(page) = change.initiatives_page {
        community.initiatives_page = match page.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(url) => Some(check_initiatives_page(url)?),
        };
    }
    Ok(())
}

/// The initiatives page: an absolute `https://` or `http://` URL with a host, at most
/// [`INITIATIVES_PAGE_MAX`] characters, without credentials or a fragment (the widgets
/// add `#mekaar-i={id}`). Returned as the URL parser writes it.
pub fn check_initiatives_page(url: &str) -> ApiResult<String> {
    let bad = |why: &str| ApiError::invalid_field("initiatives_page", why.to_string());
    if url.chars().count() > INITIATIVES_PAGE_MAX {
        return Err(bad(&format!(
            "must be at most {INITIATIVES_PAGE_MAX} characters"
        )));
    }
    let parsed = url::Url::parse(url)
        .map_err(|_| bad("must be a web address like https://www.example.nl/initiatieven"))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(bad("must start with https:// or http://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad(
            "must name a site, like https://www.example.nl/initiatieven",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad("must not hold a user name or password"));
    }
    if parsed.fragment().is_some() {
        return Err(bad(
            "must not end in a #fragment: the widgets add their own",
        ));
    }
    let out = parsed.to_string();
    if out.chars().count() > INITIATIVES_PAGE_MAX {
        return Err(bad(&format!(
            "must be at most {INITIATIVES_PAGE_MAX} characters"
        )));
    }
    Ok(out)
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
    if has_hidden_formatting(text) {
        return Err(ApiError::invalid_field(
            field,
            "must not contain invisible or direction-changing characters (such as U+202E or U+200B)",
        ));
    }
    Ok(text.to_string())
}

/// Whether `text` holds characters that change how the text around them is
/// shown without being seen themselves: direction embeddings, overrides and
/// isolates (U+202A–202E, U+2066–2069), direction marks, and zero-width
/// spaces and joiners. With them one title can pass for another in a list
/// ("Baarlo" and "Baar\u{200B}lo"), or show its letters in another order.
/// A zero-width joiner or non-joiner is kept between two non-ASCII characters,
/// where emoji sequences (👩‍🌾) and some scripts need it.
pub fn has_hidden_formatting(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| match c {
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        '\u{200B}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}' => true,
        '\u{200C}' | '\u{200D}' => {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            !matches!((before, after), (Some(b), Some(a)) if !b.is_ascii() && !a.is_ascii())
        }
        _ => false,
    })
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

/// A store in a temporary directory with one community, `dorp`, for unit tests of any
/// module; the directory lives as long as the returned guard. The last value is the
/// community's first admin token.
#[cfg(test)]
pub(crate) fn temp_community() -> (tempfile::TempDir, Store, Community, String) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (community, token) = create(
        &store,
        CommunityCreate {
            slug: "dorp".into(),
            name: "Dorp".into(),
            languages: None,
            allowed_origins: vec![],
            areas: vec![],
            themes: vec![],
            support_threshold: None,
            moderation: None,
            reports_before_hide: None,
            initiatives_page: None,
            mail_from: None,
        },
    )
    .unwrap();
    (dir, store, community, token)
}

/// Reaction settings within sensible bounds; hold words trimmed, lowercased
/// and deduplicated.
fn check_reaction_settings(mut settings: ReactionSettings) -> ApiResult<ReactionSettings> {
    use mekaar_api::discussions::limits::{HOLD_WORD, HOLD_WORDS};
    if settings.hold_words.len() > HOLD_WORDS {
        return Err(ApiError::invalid_field(
            "reactions.hold_words",
            format!("at most {HOLD_WORDS} words"),
        ));
    }
    let mut words = Vec::new();
    for word in &settings.hold_words {
        let word = word.trim().to_lowercase();
        if word.is_empty() {
            continue;
        }
        if word.chars().count() > HOLD_WORD || word.chars().any(char::is_control) {
            return Err(ApiError::invalid_field(
                "reactions.hold_words",
                format!("each word at most {HOLD_WORD} characters, no control characters"),
            ));
        }
        words.push(word);
    }
    settings.hold_words = dedup(words);
    for (field, value, max) in [
        (
            "reactions.reports_before_hide",
            settings.reports_before_hide,
            REPORTS_BEFORE_HIDE_MAX,
        ),
        (
            "reactions.per_key_per_10_minutes",
            settings.per_key_per_10_minutes,
            1_000,
        ),
        (
            "reactions.per_network_per_hour",
            settings.per_network_per_hour,
            100_000,
        ),
    ] {
        if !(1..=max).contains(&value) {
            return Err(ApiError::invalid_field(
                field,
                format!("must be between 1 and {max}"),
            ));
        }
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_hides_its_formatting_is_refused() {
        for sneaky in [
            "Baar\u{200B}lo",         // zero-width space
            "AED \u{202E}kerk",       // right-to-left override
            "\u{2066}Kermis\u{2069}", // isolate
            "Ker\u{2060}mis",         // word joiner
            "\u{FEFF}Kermis",         // byte order mark
            "Baar\u{200D}lo",         // a joiner between ASCII letters
            "Baarlo\u{200E}",         // a direction mark
        ] {
            assert!(has_hidden_formatting(sneaky), "{sneaky:?}");
            let refused = check_text("title", sneaky, 120).unwrap_err();
            assert_eq!(refused.code, ErrorCode::InvalidField);
        }
        // Emoji sequences and plain accents stay welcome.
        for fine in ["Boerin 👩\u{200D}🌾 gezocht", "Café de Zon", "مرحبا"] {
            assert!(!has_hidden_formatting(fine), "{fine:?}");
            assert!(check_text("title", fine, 120).is_ok());
        }
    }

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
    fn admin_tokens_from_before_roles_are_admin_tokens_with_stable_ids() {
        let (_dir, store, _, _) = temp_community();
        let old_token = secrets::new_admin_token();
        let hash = secrets::hash_secret(&old_token);
        // A record as written before roles: hashes only, no `tokens`.
        let mut legacy: serde_json::Value =
            serde_json::to_value(get(&store, "dorp").unwrap()).unwrap();
        legacy.as_object_mut().unwrap().remove("tokens");
        legacy["admin_token_hashes"] = serde_json::json!([hash]);
        store.community_put_as_written("dorp", &legacy).unwrap();
        let raw_before = store.raw_tree("communities").unwrap();

        let read = get(&store, "dorp").unwrap();
        assert_eq!(read.tokens.len(), 1);
        let token = read
            .find_token(&old_token)
            .expect("the old token still works");
        assert_eq!(token.role, Role::Admin);
        assert_eq!(token.id, hash[..10]);
        assert_eq!(token.actor(), format!("admin:{}", &hash[..8]));
        // Reading changes nothing stored, and reads again the same.
        assert_eq!(store.raw_tree("communities").unwrap(), raw_before);
        assert_eq!(get(&store, "dorp").unwrap(), read);
        // The next write stores the new form, with the same id.
        let (_, _) = add_token(&store, "dorp", Role::Moderator, "Marieke").unwrap();
        let stored = store.community_get("dorp").unwrap().unwrap();
        assert!(stored.admin_token_hashes.is_empty(), "{stored:?}");
        assert_eq!(stored.tokens[0].id, hash[..10]);
        assert_eq!(stored.tokens[1].role, Role::Moderator);
    }

    #[test]
    fn the_initiatives_page_is_a_web_address() {
        assert_eq!(
            check_initiatives_page("https://www.Baarlo.nl/initiatieven?wijk=oost").unwrap(),
            "https://www.baarlo.nl/initiatieven?wijk=oost"
        );
        assert_eq!(
            check_initiatives_page("http://localhost:8080").unwrap(),
            "http://localhost:8080/"
        );
        let long = format!("https://www.baarlo.nl/{}", "a".repeat(INITIATIVES_PAGE_MAX));
        for bad in [
            "www.baarlo.nl/initiatieven",
            "javascript:alert(1)",
            "ftp://baarlo.nl/",
            "https://user:pw@baarlo.nl/",
            "https://baarlo.nl/initiatieven#lijst",
            "https://",
            "",
            long.as_str(),
        ] {
            let e = check_initiatives_page(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidField, "{bad}");
            assert!(
                e.message.contains("`initiatives_page`"),
                "{bad}: {}",
                e.message
            );
        }
    }

    #[test]
    fn the_last_admin_token_stays() {
        let (_dir, store, community, first) = temp_community();
        let first_id = community.find_token(&first).unwrap().id.clone();
        let (moderator, _) = add_token(&store, "dorp", Role::Moderator, "").unwrap();
        let refused = delete_token(&store, "dorp", &first_id).unwrap_err();
        assert_eq!(refused.code, ErrorCode::LastAdminToken);
        let (second, _) = add_token(&store, "dorp", Role::Admin, "Tweede").unwrap();
        assert_eq!(
            delete_token(&store, "dorp", &first_id).unwrap().id,
            first_id
        );
        assert_eq!(
            delete_token(&store, "dorp", &moderator.id).unwrap().role,
            Role::Moderator
        );
        let unknown = delete_token(&store, "dorp", "nope").unwrap_err();
        assert_eq!(unknown.code, ErrorCode::TokenNotFound);
        let left = get(&store, "dorp").unwrap();
        assert_eq!(left.tokens, vec![second]);
        assert!(left.find_token(&first).is_none());
        assert!(add_token(&store, "dorp", Role::Admin, &"x".repeat(61)).is_err());
    }

    #[test]
    fn retention_is_between_one_day_and_ten_years_or_null() {
        let (_dir, store, _, _) = temp_community();
        let set = |days: Option<u32>| {
            update(
                &store,
                "dorp",
                CommunityUpdate {
                    retention_days: Some(days),
                    ..Default::default()
                },
            )
        };
        assert_eq!(set(Some(30)).unwrap().retention_days, Some(30));
        assert!(set(Some(0)).is_err());
        assert!(set(Some(3651)).is_err());
        assert_eq!(set(Some(3650)).unwrap().retention_days, Some(3650));
        // Absent leaves it; null clears it (as JSON sends them).
        let parse = |json| serde_json::from_str::<CommunityUpdate>(json).unwrap();
        assert_eq!(parse("{}").retention_days, None);
        assert_eq!(
            parse(r#"{"retention_days":null}"#).retention_days,
            Some(None)
        );
        assert_eq!(
            parse(r#"{"retention_days":9}"#).retention_days,
            Some(Some(9))
        );
        let unchanged = update(&store, "dorp", CommunityUpdate::default()).unwrap();
        assert_eq!(unchanged.retention_days, Some(3650));
        assert_eq!(set(None).unwrap().retention_days, None);
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
