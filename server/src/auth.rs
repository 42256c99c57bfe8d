//! Admin authority: who is calling an admin route, and what they may do.
//!
//! Two kinds of credentials reach the admin routes:
//! - `Authorization: Bearer <token>` (the CLI, curl, scripts): a community
//!   token or a server-wide admin token. No ambient authority, so no CSRF
//!   check is needed.
//! - the console's session cookie (see `sessions`): sent by the browser on
//!   its own, so every unsafe request also needs the session's CSRF token in
//!   `Mekaar-CSRF`, and an `Origin`, when sent, must be the server's own.
//!
//! What each role may do is decided in one place, [`allows`].

use ::http::{HeaderMap, Method};
use mekaar_api::admin::{Role, CSRF_HEADER};
use mekaar_api::ErrorCode;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::communities::{self, Community, CommunityToken};
use crate::errors::{ApiError, ApiResult};
use crate::secrets;
use crate::sessions::{self, Session};
use crate::store::Store;

/// A server-wide admin token as stored (the key is its hash).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerToken {
    pub hash: String,
    pub created_at: u64,
}

/// Makes a server-wide admin token (CLI only); returns it in clear this once.
pub fn create_server_token(store: &Store) -> ApiResult<String> {
    let token = secrets::new_admin_token();
    let hash = secrets::hash_secret(&token);
    store.server_token_put(&ServerToken {
        hash,
        created_at: secrets::now_secs(),
    })?;
    store.flush_blocking()?;
    Ok(token)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Whether `token` is a server-wide admin token.
pub fn is_server_admin(store: &Store, token: &str) -> ApiResult<bool> {
    let hashes: Vec<String> = store.server_tokens()?.into_iter().map(|t| t.hash).collect();
    Ok(secrets::secret_matches(token, &hashes))
}

/// Passes only with a server-wide admin token; wrong tokens count against
/// the caller's network (see [`crate::abuse::Guess::Token`]).
pub fn require_server_admin(
    store: &Store,
    abuse: &crate::abuse::Abuse,
    headers: &HeaderMap,
    client_ip: Option<std::net::IpAddr>,
) -> ApiResult<()> {
    let token = bearer(headers).ok_or_else(ApiError::unauthorized)?;
    if is_server_admin(store, token)? {
        Ok(())
    } else {
        abuse.check_guesses(crate::abuse::Guess::Token, client_ip)?;
        abuse.guess_failed(crate::abuse::Guess::Token, client_ip);
        Err(ApiError::unauthorized())
    }
}

/// What an admin route of a community is about: the rows of the
/// permission matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The community's settings: everyone reads them (GET), admins change them.
    Settings,
    Tokens,
    /// Webhooks and their delivery log.
    Webhooks,
    /// The initiatives: queue, detail, create, edit.
    Initiatives,
    /// Approve, reject, hide, restore.
    Moderation,
    Answers,
    Audit,
    /// Erasing personal data.
    Privacy,
    /// Polls: list, create, edit, state, vote codes, live.
    Polls,
    /// Topics and opening or closing discussions.
    Discussions,
    Export,
}

impl Area {
    /// What a refused role may not do, for the refusal's sentence.
    fn deed(self) -> &'static str {
        match self {
            Area::Settings => "change community settings",
            Area::Tokens => "manage tokens",
            Area::Webhooks => "manage webhooks or read their delivery log",
            Area::Initiatives => "manage initiatives",
            Area::Moderation => "moderate initiatives",
            Area::Answers => "answer initiatives officially",
            Area::Audit => "change the audit log",
            Area::Privacy => "erase personal data",
            Area::Polls => "manage polls",
            Area::Discussions => "manage discussions",
            Area::Export => "export the community's data",
        }
    }
}

/// The permission matrix: whether a token of `role` may use `method` on an
/// admin route about `area` of its own community.
pub fn allows(role: Role, area: Area, method: &Method) -> bool {
    let reads = method == Method::GET || method == Method::HEAD;
    match role {
        Role::Admin => true,
        Role::Moderator => match area {
            Area::Initiatives
            | Area::Moderation
            | Area::Answers
            | Area::Privacy
            | Area::Discussions => true,
            Area::Settings | Area::Audit => reads,
            Area::Tokens | Area::Webhooks | Area::Polls | Area::Export => false,
        },
        Role::PollEditor => match area {
            Area::Polls | Area::Discussions => true,
            Area::Settings | Area::Audit => reads,
            _ => false,
        },
    }
}

/// "A moderator", "An admin": the role as the subject of a sentence.
fn role_subject(role: Role) -> &'static str {
    match role {
        Role::Admin => "An admin",
        Role::Moderator => "A moderator",
        Role::PollEditor => "A poll editor",
    }
}

/// Whose authority a request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authority {
    /// A server-wide admin token (CLI and Bearer only): may do everything.
    ServerAdmin,
    /// A token of the community, directly or through a console session.
    Community(CommunityToken),
}

/// Who is calling an admin route of a community.
#[derive(Debug, Clone)]
pub struct Caller {
    pub authority: Authority,
    /// How the audit log names the caller: `{role}:{hash prefix}` or
    /// `server-admin:{hash prefix}`, never the token itself.
    pub actor: String,
}

/// What the checks need to know about an admin request.
pub struct AdminRequest<'a> {
    pub method: &'a Method,
    /// The caller's network, for the budget of wrong bearer tokens.
    pub client_ip: Option<std::net::IpAddr>,
    pub headers: &'a HeaderMap,
    /// The server's own origins: an unsafe request with the session cookie
    /// must come from there.
    pub own_origins: &'a crate::cors::OwnOrigins,
    pub now: u64,
}

fn no_credentials() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "A valid admin token or console session is required: send `Authorization: Bearer <token>`, or sign in to the console.",
    )
}

fn session_ended() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthorized,
        "This console session has ended or is not valid; please sign in again.",
    )
}

/// Passes with a Bearer token of this community or a server-wide one, or
/// with a console session of this community (and its CSRF token on unsafe
/// methods); then the caller's role must allow `area` (see [`allows`]).
///
/// Refusals: no or unknown credentials (also another community's token)
/// 401 `unauthorized`; another community's session, or too small a role,
/// 403 `forbidden`; a missing or wrong CSRF token or a foreign Origin with
/// the cookie, 403 `csrf_failed`.
pub fn require(
    store: &Store,
    abuse: &crate::abuse::Abuse,
    community: &Community,
    request: &AdminRequest<'_>,
    area: Area,
) -> ApiResult<Caller> {
    let caller = if request.headers.contains_key("authorization") {
        // An explicit credential decides alone, whatever cookie comes along.
        let token = bearer(request.headers).ok_or_else(no_credentials)?;
        if let Some(found) = community.find_token(token) {
            Caller {
                actor: found.actor(),
                authority: Authority::Community(found.clone()),
            }
        } else if is_server_admin(store, token)? {
            Caller {
                authority: Authority::ServerAdmin,
                actor: format!("server-admin:{}", &secrets::hash_secret(token)[..8]),
            }
        } else {
            // Wrong tokens slow down once the network's budget is spent.
            abuse.check_guesses(crate::abuse::Guess::Token, request.client_ip)?;
            abuse.guess_failed(crate::abuse::Guess::Token, request.client_ip);
            return Err(no_credentials());
        }
    } else if let Some(session_id) = sessions::cookie_value(request.headers) {
        let signed_in = session(store, &session_id, request.now)?;
        if signed_in.session.community != community.slug {
            return Err(ApiError::forbidden(format!(
                "This console session is for the community `{}`; sign in with a token of `{}` to manage it.",
                signed_in.session.community, community.slug
            )));
        }
        check_csrf(&signed_in.session, request)?;
        Caller {
            actor: signed_in.token.actor(),
            authority: Authority::Community(signed_in.token),
        }
    } else {
        return Err(no_credentials());
    };
    if let Authority::Community(token) = &caller.authority {
        if !allows(token.role, area, request.method) {
            return Err(ApiError::forbidden(format!(
                "{} may not {}.",
                role_subject(token.role),
                area.deed()
            )));
        }
    }
    Ok(caller)
}

/// A valid console session, with its community and the token it was
/// signed in with.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session: Session,
    pub community: Community,
    pub token: CommunityToken,
}

/// The session `session_id` names, refused (401) when unknown, expired at
/// `now`, or when its token or community no longer exists.
pub fn session(store: &Store, session_id: &str, now: u64) -> ApiResult<SignedIn> {
    let session = sessions::find(store, session_id, now)?.ok_or_else(session_ended)?;
    let community = match communities::get(store, &session.community) {
        Ok(community) => community,
        Err(err) if err.is_not_found() => return Err(session_ended()),
        Err(err) => return Err(err),
    };
    // Deleting a token ends its sessions; this also covers one signed in
    // while the token was being deleted.
    let Some(token) = community.token_by_id(&session.token_id).cloned() else {
        sessions::delete(store, session_id)?;
        return Err(session_ended());
    };
    Ok(SignedIn {
        session,
        community,
        token,
    })
}

/// The session of the request's cookie (401 without a valid one).
pub fn session_of(store: &Store, headers: &HeaderMap, now: u64) -> ApiResult<(String, SignedIn)> {
    let id = sessions::cookie_value(headers).ok_or_else(session_ended)?;
    let signed_in = session(store, &id, now)?;
    Ok((id, signed_in))
}

/// With the session cookie, an unsafe method needs the session's CSRF
/// token in `Mekaar-CSRF` and, when the browser names an `Origin`, the
/// server's own origin. A page of another site can do neither.
pub fn check_csrf(session: &Session, request: &AdminRequest<'_>) -> ApiResult<()> {
    let safe = matches!(
        *request.method,
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe {
        return Ok(());
    }
    let refused = |why: &str| {
        ApiError::new(
            ErrorCode::CsrfFailed,
            format!("{why} Requests made with the console's session must come from the console."),
        )
    };
    if let Some(origin) = request.headers.get("origin") {
        let same = origin
            .to_str()
            .is_ok_and(|o| request.own_origins.contains(o));
        if !same {
            return Err(refused("This request comes from another site."));
        }
    }
    let sent = request
        .headers
        .get(CSRF_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(sent.ct_eq(session.csrf.as_bytes())) {
        return Err(refused("The Mekaar-CSRF header is missing or wrong."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_AREA: [Area; 10] = [
        Area::Settings,
        Area::Tokens,
        Area::Webhooks,
        Area::Initiatives,
        Area::Moderation,
        Area::Answers,
        Area::Audit,
        Area::Privacy,
        Area::Polls,
        Area::Export,
    ];

    fn may(role: Role, area: Area, method: Method) -> bool {
        allows(role, area, &method)
    }

    #[test]
    fn admins_may_do_everything_of_their_community() {
        for area in EVERY_AREA {
            for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
                assert!(may(Role::Admin, area, method), "{area:?}");
            }
        }
    }

    #[test]
    fn moderators_look_after_initiatives_and_nothing_else() {
        let m = Role::Moderator;
        assert!(may(m, Area::Settings, Method::GET));
        assert!(!may(m, Area::Settings, Method::PATCH));
        for area in [
            Area::Initiatives,
            Area::Moderation,
            Area::Answers,
            Area::Privacy,
        ] {
            assert!(may(m, area, Method::GET) && may(m, area, Method::POST));
        }
        assert!(may(m, Area::Initiatives, Method::PATCH));
        assert!(may(m, Area::Answers, Method::PUT));
        assert!(may(m, Area::Audit, Method::GET));
        for area in [Area::Tokens, Area::Webhooks, Area::Polls, Area::Export] {
            assert!(!may(m, area, Method::GET), "{area:?}");
            assert!(!may(m, area, Method::POST), "{area:?}");
        }
    }

    #[test]
    fn poll_editors_run_polls_and_nothing_else() {
        let p = Role::PollEditor;
        for method in [Method::GET, Method::POST, Method::PATCH] {
            assert!(may(p, Area::Polls, method));
        }
        assert!(may(p, Area::Settings, Method::GET));
        assert!(may(p, Area::Audit, Method::GET));
        assert!(!may(p, Area::Settings, Method::PATCH));
        for area in [
            Area::Tokens,
            Area::Webhooks,
            Area::Initiatives,
            Area::Moderation,
            Area::Answers,
            Area::Privacy,
            Area::Export,
        ] {
            assert!(!may(p, area, Method::GET), "{area:?}");
            assert!(!may(p, area, Method::POST), "{area:?}");
        }
    }

    #[test]
    fn refusals_name_the_role_and_the_deed() {
        assert_eq!(
            format!(
                "{} may not {}.",
                role_subject(Role::Moderator),
                Area::Settings.deed()
            ),
            "A moderator may not change community settings."
        );
    }

    fn session() -> Session {
        Session {
            community: "dorp".into(),
            role: Role::Admin,
            token_id: "t".into(),
            label: String::new(),
            csrf: "c5rf".into(),
            created_at: 0,
            expires_at: 10,
        }
    }

    fn csrf(method: Method, headers: &[(&str, &str)]) -> Result<(), ErrorCode> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                ::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        let request = AdminRequest {
            method: &method,
            client_ip: None,
            headers: &map,
            own_origins: &crate::cors::OwnOrigins::new(Some("https://mekaar.example.nl"), None),
            now: 0,
        };
        check_csrf(&session(), &request).map_err(|e| e.code)
    }

    #[test]
    fn unsafe_requests_with_the_cookie_need_the_csrf_token_and_our_origin() {
        assert_eq!(csrf(Method::GET, &[]), Ok(()));
        assert_eq!(csrf(Method::POST, &[("mekaar-csrf", "c5rf")]), Ok(()));
        assert_eq!(
            csrf(
                Method::DELETE,
                &[
                    ("mekaar-csrf", "c5rf"),
                    ("origin", "https://Mekaar.example.nl")
                ]
            ),
            Ok(())
        );
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert_eq!(csrf(method.clone(), &[]), Err(ErrorCode::CsrfFailed));
            assert_eq!(
                csrf(method.clone(), &[("mekaar-csrf", "wrong")]),
                Err(ErrorCode::CsrfFailed)
            );
            assert_eq!(
                csrf(
                    method.clone(),
                    &[("mekaar-csrf", "c5rf"), ("origin", "https://evil.example")]
                ),
                Err(ErrorCode::CsrfFailed)
            );
            assert_eq!(
                csrf(method, &[("mekaar-csrf", "c5rf"), ("origin", "null")]),
                Err(ErrorCode::CsrfFailed)
            );
        }
    }
}
