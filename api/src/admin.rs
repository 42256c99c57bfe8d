//! Wire types of the admin side: scoped tokens, console sessions and the
//! erasure of personal data. The residents' widgets never use these.

use serde::{Deserialize, Serialize};

/// Name of the console's session cookie (HttpOnly, SameSite=Strict, on the
/// server's own origin).
pub const SESSION_COOKIE: &str = "mekaar_session";

/// Request header that carries a session's CSRF token on every unsafe
/// request (POST, PUT, PATCH, DELETE) made with the session cookie.
pub const CSRF_HEADER: &str = "mekaar-csrf";

/// Longest label of a token (who holds it).
pub const TOKEN_LABEL_MAX: usize = 60;

/// What a community token may do.
///
/// - `admin`: everything of its community.
/// - `moderator`: initiatives (queue, edit, moderate, answer), the audit log,
///   erasing personal data.
/// - `poll_editor`: polls (create, edit, open, close, vote codes, live), the
///   audit log.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Admin,
    Moderator,
    PollEditor,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Moderator, Role::PollEditor];

    /// The wire name, as in JSON and the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::PollEditor => "poll_editor",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// Body of `POST /api/v1/admin/communities/{slug}/tokens`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TokenCreate {
    /// Required: a token's power is never chosen by leaving something out.
    pub role: Role,
    /// Who holds it, e.g. "Marieke (moderator)"; at most 60 characters.
    #[serde(default)]
    pub label: String,
}

/// A community token as listed: never the token or its hash.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub role: Role,
    pub label: String,
    pub created_at: u64,
}

/// Answer of `GET /api/v1/admin/communities/{slug}/tokens`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenList {
    pub tokens: Vec<TokenInfo>,
}

/// Body of `POST /api/v1/session`: sign in to the console.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SessionCreate {
    pub token: String,
}

/// A console session: who is signed in, and the CSRF token to send as
/// `Mekaar-CSRF` with every unsafe request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SessionInfo {
    pub community: String,
    pub community_name: String,
    pub role: Role,
    /// The id of the token used to sign in (see the token list).
    pub token_id: String,
    pub label: String,
    pub csrf: String,
    /// Seconds since the Unix epoch; the session ends then, whatever happens.
    pub expires_at: u64,
}

/// Body of `POST /api/v1/admin/communities/{slug}/initiatives/{id}/erase`:
/// whose personal data to erase.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ErasureRequest {
    pub subject: ErasureSubject,
    /// With `joiner`: the joiner's id from the admin view's `joins`.
    #[serde(default)]
    pub joiner: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErasureSubject {
    /// The initiator's name and e-mail address.
    Initiator,
    /// One joiner's name, contact and message.
    Joiner,
}

/// A new community token, shown in clear this once (only its hash is kept).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenCreated {
    pub admin_token: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub role: Role,
    #[serde(default)]
    pub label: String,
}

/// `GET /api/v1/admin/communities/{c}/mail`: the community's e-mail, counted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct MailCounts {
    /// Whether this server sends e-mail for the community (SMTP and a from-address).
    pub enabled: bool,
    /// Mails waiting in the outbox (also those being retried).
    pub queued: u64,
    pub sent: u64,
    /// Given up after retries (temporary failures that did not pass).
    pub failed: u64,
    /// Refused for good by the receiving server (5xx).
    pub bounced: u64,
    /// Confirmed subscribers ("houd me op de hoogte"), over all initiatives.
    pub subscribers: u64,
}
