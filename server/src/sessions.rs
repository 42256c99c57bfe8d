//! Console sessions: signing in with a community token gives a session
//! cookie on the server's own origin, so the console (a page of this server)
//! never keeps the token itself in the browser.
//!
//! The session id is 256 random bits, known only to the browser (in an
//! HttpOnly cookie); the store keeps its SHA-256, so a copy of the database
//! signs no one in. Sessions live in the store, so a restart keeps people signed
//! in, and are never exported. Every unsafe request made with the cookie
//! also needs the session's CSRF token in a header (see `auth`).

use ::http::HeaderMap;
use mekaar_api::admin::{Role, SessionInfo, SESSION_COOKIE};
use serde::{Deserialize, Serialize};

use crate::communities::{Community, CommunityToken};
use crate::errors::ApiResult;
use crate::secrets;
use crate::store::Store;

/// A session ends this long after sign-in, however active it is: a working
/// day. An absolute limit (no sliding renewal) bounds what a cookie left on
/// a shared computer or copied from a browser profile is worth, and a
/// moderator signs in once a day at most.
pub const LIFETIME_SECS: u64 = 8 * 3600;

/// A session as stored (keyed by the hash of its id).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Session {
    pub community: String,
    pub role: Role,
    pub token_id: String,
    pub label: String,
    /// Sent back in `Mekaar-CSRF` with every unsafe request.
    pub csrf: String,
    pub created_at: u64,
    pub expires_at: u64,
}

impl Session {
    pub fn info(&self, community: &Community) -> SessionInfo {
        SessionInfo {
            community: self.community.clone(),
            community_name: community.name.clone(),
            role: self.role,
            token_id: self.token_id.clone(),
            label: self.label.clone(),
            csrf: self.csrf.clone(),
            expires_at: self.expires_at,
        }
    }

    pub fn is_expired(&self, now: u64) -> bool {
        now >= self.expires_at
    }
}

fn random_hex() -> String {
    let bytes: [u8; 32] = rand::random();
    secrets::hex(&bytes)
}

/// Starts a session for `token` of `community` at `now`; returns its id
/// (for the cookie, never stored) and the session.
pub fn create(
    store: &Store,
    community: &Community,
    token: &CommunityToken,
    now: u64,
) -> ApiResult<(String, Session)> {
    let id = random_hex();
    let session = Session {
        community: community.slug.clone(),
        role: token.role,
        token_id: token.id.clone(),
        label: token.label.clone(),
        csrf: random_hex(),
        created_at: now,
        expires_at: now + LIFETIME_SECS,
    };
    store.session_put(&id, &session)?;
    Ok((id, session))
}

/// The session with id `session_id`, if it exists and has not expired at
/// `now`. An expired one is refused at once (and deleted).
pub fn find(store: &Store, session_id: &str, now: u64) -> ApiResult<Option<Session>> {
    let Some(session) = store.session_get(session_id)? else {
        return Ok(None);
    };
    if session.is_expired(now) {
        store.session_remove(session_id)?;
        return Ok(None);
    }
    Ok(Some(session))
}

/// Ends the session (sign-out).
pub fn delete(store: &Store, session_id: &str) -> ApiResult<()> {
    store.session_remove(session_id)?;
    Ok(())
}

/// Ends every session signed in with the token `token_id` of `community`
/// (the token was deleted); returns how many.
pub fn end_for_token(store: &Store, community: &str, token_id: &str) -> ApiResult<u64> {
    Ok(store.sessions_remove_where(|s| s.community == community && s.token_id == token_id)?)
}

/// Deletes the sessions that expired by `now` (the hourly cleanup; an
/// expired session is refused before then too).
pub fn remove_expired(store: &Store, now: u64) -> ApiResult<u64> {
    Ok(store.sessions_remove_where(|s| s.is_expired(now))?)
}

/// The session id from the request's `Cookie` headers, if it has one.
pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .filter(|value| !value.is_empty())
}

/// The `Set-Cookie` value that hands the browser a new session. HttpOnly:
/// no script (not even an injected one) reads it; SameSite=Strict: no other
/// site's page makes the browser send it; `Secure` whenever the server is
/// reached over https.
pub fn set_cookie(session_id: &str, secure: bool) -> String {
    cookie(session_id, LIFETIME_SECS, secure)
}

/// The `Set-Cookie` value that makes the browser forget the session.
pub fn clear_cookie(secure: bool) -> String {
    cookie("", 0, secure)
}

fn cookie(value: &str, max_age: u64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> (tempfile::TempDir, Store, Community) {
        let (dir, store, community, _) = crate::communities::temp_community();
        (dir, store, community)
    }

    #[test]
    fn a_session_ends_after_its_lifetime_and_is_stored_only_hashed() {
        let (_dir, store, community) = world();
        let token = community.tokens[0].clone();
        let (id, session) = create(&store, &community, &token, 1_000).unwrap();
        assert_eq!(session.expires_at, 1_000 + LIFETIME_SECS);
        assert_eq!(session.role, Role::Admin);
        // The raw id is nowhere in the store.
        let raw = store.raw_tree("sessions").unwrap().unwrap();
        assert_eq!(raw.len(), 1);
        assert!(!raw[0].0.windows(id.len()).any(|w| w == id.as_bytes()));
        assert!(!raw[0].1.windows(id.len()).any(|w| w == id.as_bytes()));

        let last_second = 1_000 + LIFETIME_SECS - 1;
        assert_eq!(find(&store, &id, last_second).unwrap(), Some(session));
        assert_eq!(find(&store, &id, 1_000 + LIFETIME_SECS).unwrap(), None);
        // Refused once means gone: also for an earlier clock afterwards.
        assert_eq!(find(&store, &id, 1_000).unwrap(), None);
        assert_eq!(find(&store, "not-a-session", 1_000).unwrap(), None);
    }

    #[test]
    fn cleanup_removes_expired_sessions_and_those_of_a_deleted_token() {
        let (_dir, store, community) = world();
        let token = community.tokens[0].clone();
        let (old, _) = create(&store, &community, &token, 0).unwrap();
        let (fresh, _) = create(&store, &community, &token, LIFETIME_SECS).unwrap();
        assert_eq!(remove_expired(&store, LIFETIME_SECS + 1).unwrap(), 1);
        assert!(find(&store, &old, 0).unwrap().is_none());
        assert!(find(&store, &fresh, LIFETIME_SECS + 1).unwrap().is_some());
        assert_eq!(end_for_token(&store, "dorp", &token.id).unwrap(), 1);
        assert!(find(&store, &fresh, LIFETIME_SECS + 1).unwrap().is_none());
    }

    #[test]
    fn cookies_carry_every_flag() {
        assert_eq!(
            set_cookie("abc", true),
            "mekaar_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure"
        );
        assert_eq!(
            clear_cookie(false),
            "mekaar_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        );
        let mut headers = HeaderMap::new();
        headers.append("cookie", "a=1; mekaar_session=xyz; b=2".parse().unwrap());
        assert_eq!(cookie_value(&headers).as_deref(), Some("xyz"));
        let mut headers = HeaderMap::new();
        headers.append("cookie", "other_mekaar_session=1".parse().unwrap());
        assert_eq!(cookie_value(&headers), None);
    }
}
