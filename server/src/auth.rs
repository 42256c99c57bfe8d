//! Admin authority: bearer tokens, compared as hashes in constant time.

use serde::{Deserialize, Serialize};
use warp::http::HeaderMap;

use crate::communities::Community;
use crate::errors::{ApiError, ApiResult};
use crate::secrets;
use crate::store::{Store, Table};

/// A server-wide admin token as stored (the key is its hash).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ServerToken {
    hash: String,
    created_at: u64,
}

/// Makes a server-wide admin token (CLI only); returns it in clear this once.
pub fn create_server_token(store: &Store) -> ApiResult<String> {
    let token = secrets::new_admin_token();
    let hash = secrets::hash_secret(&token);
    store.put(
        Table::ServerTokens,
        hash.as_bytes(),
        &ServerToken {
            hash: hash.clone(),
            created_at: secrets::now_secs(),
        },
    )?;
    store.flush_blocking()?;
    Ok(token)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn is_server_admin(store: &Store, token: &str) -> ApiResult<bool> {
    let hashes: Vec<String> = store
        .scan_prefix::<ServerToken>(Table::ServerTokens, b"")?
        .into_iter()
        .map(|t| t.hash)
        .collect();
    Ok(secrets::secret_matches(token, &hashes))
}

/// Passes only with a server-wide admin token.
pub fn require_server_admin(store: &Store, headers: &HeaderMap) -> ApiResult<()> {
    let token = bearer(headers).ok_or_else(ApiError::unauthorized)?;
    if is_server_admin(store, token)? {
        Ok(())
    } else {
        Err(ApiError::unauthorized())
    }
}

/// Passes with an admin token of this community, or a server-wide one.
/// Returns how the audit log names the caller: the kind of token and the
/// start of its hash (never the token itself).
pub fn require_community_admin(
    store: &Store,
    community: &Community,
    headers: &HeaderMap,
) -> ApiResult<String> {
    let token = bearer(headers).ok_or_else(ApiError::unauthorized)?;
    let tag = &secrets::hash_secret(token)[..8];
    if community.accepts_admin_token(token) {
        Ok(format!("admin:{tag}"))
    } else if is_server_admin(store, token)? {
        Ok(format!("server-admin:{tag}"))
    } else {
        Err(ApiError::unauthorized())
    }
}
