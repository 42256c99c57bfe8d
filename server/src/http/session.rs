//! `/api/v1/session`: signing in to the console with a community token,
//! asking who is signed in, and signing out. Same origin only: no CORS.

use std::sync::Arc;

use mekaar_api::admin::SessionCreate;
use mekaar_api::ErrorCode;
use warp::http::header::{CACHE_CONTROL, SET_COOKIE};
use warp::http::{HeaderMap, HeaderValue, Method, StatusCode};
use warp::reply::Response;
use warp::Reply;

use super::{json, json_status, parse_json, App, Request};
use crate::abuse::Guess;
use crate::auth::{self, AdminRequest};
use crate::communities;
use crate::connections::Peer;
use crate::errors::{ApiError, ApiResult};
use crate::secrets;
use crate::sessions;

/// Longer than any token we make; longer input is simply wrong.
const TOKEN_MAX_LEN: usize = 200;

/// Answers one request to `/api/v1/session`.
pub(super) async fn serve(app: &Arc<App>, request: &Request) -> Response {
    let Request {
        method,
        headers,
        body,
        peer,
        ..
    } = request;
    handle(app, method, headers, *peer, body)
        .await
        .unwrap_or_else(Reply::into_response)
}

async fn handle(
    app: &Arc<App>,
    method: &Method,
    headers: &HeaderMap,
    peer: Option<Peer>,
    body: &[u8],
) -> ApiResult<Response> {
    let store = &app.store;
    let now = secrets::now_secs();
    match *method {
        Method::POST => sign_in(app, headers, peer, body).await,
        Method::GET => {
            let (_, signed_in) = auth::session_of(store, headers, now)?;
            Ok(json(&signed_in.session.info(&signed_in.community)))
        }
        Method::DELETE => {
            let (id, signed_in) = auth::session_of(store, headers, now)?;
            auth::check_csrf(
                &signed_in.session,
                &AdminRequest {
                    method,
                    client_ip: None,
                    headers,
                    own_origins: &app.own_origins(peer),
                    now,
                },
            )?;
            sessions::delete(store, &id)?;
            let mut response = Response::new(Default::default());
            *response.status_mut() = StatusCode::NO_CONTENT;
            set_cookie(
                &mut response,
                &sessions::clear_cookie(is_https(app, headers, peer)),
            );
            Ok(response)
        }
        _ => Ok(super::routes::method_not_allowed("GET, POST, DELETE")),
    }
}

async fn sign_in(
    app: &Arc<App>,
    headers: &HeaderMap,
    peer: Option<Peer>,
    body: &[u8],
) -> ApiResult<Response> {
    let store = &app.store;
    let ip = app.abuse.client_ip(peer.map(|p| p.remote), headers);
    let request: SessionCreate = parse_json(headers, body)?;
    let token = request.token.trim();
    let found = if token.is_empty() || token.len() > TOKEN_MAX_LEN {
        None
    } else {
        communities::find_token_anywhere(store, token)?
    };
    let Some((community, stored)) = found else {
        if !token.is_empty() && token.len() <= TOKEN_MAX_LEN && auth::is_server_admin(store, token)?
        {
            return Err(ApiError::new(
                ErrorCode::CommunityTokenRequired,
                "The console manages one community: sign in with a token of that community. A server-wide admin token works only with the command line and `Authorization: Bearer`.",
            ));
        }
        // Wrong tokens slow down once the network's budget is spent; the
        // right one always gets in (256 bits: guessing it is hopeless anyway,
        // and a spent budget must not lock out the people who have it).
        app.abuse.check_guesses(Guess::Token, ip)?;
        app.abuse.guess_failed(Guess::Token, ip);
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "This token is not valid: check that it was copied whole.",
        ));
    };
    // A new sign-in from a browser that still holds a session ends that one: a
    // browser has one session, and the old id stops working at once.
    if let Some(old) = sessions::cookie_value(headers) {
        sessions::delete(store, &old)?;
    }
    let (id, session) = sessions::create(store, &community, &stored, secrets::now_secs())?;
    let mut response = json_status(&session.info(&community), StatusCode::CREATED);
    set_cookie(
        &mut response,
        &sessions::set_cookie(&id, is_https(app, headers, peer)),
    );
    Ok(response)
}

fn set_cookie(response: &mut Response, cookie: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        headers.insert(SET_COOKIE, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Whether the browser reaches us over https: the public URL says so, or a
/// trusted proxy's `X-Forwarded-Proto` does.
pub(super) fn is_https(app: &App, headers: &HeaderMap, peer: Option<Peer>) -> bool {
    app.public_url
        .as_deref()
        .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
        || forwarded_https(app, headers, peer)
}

fn forwarded_https(app: &App, headers: &HeaderMap, peer: Option<Peer>) -> bool {
    peer.is_some_and(|p| app.abuse.is_trusted_proxy(p.remote.ip()))
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}
