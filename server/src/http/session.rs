//! `/api/v1/session`: signing in to the console with a community token,
//! asking who is signed in, and signing out. Same origin only: no CORS.

use std::net::SocketAddr;
use std::sync::Arc;

use mekaar_api::admin::SessionCreate;
use mekaar_api::codes;
use warp::filters::BoxedFilter;
use warp::http::header::{CACHE_CONTROL, SET_COOKIE};
use warp::http::{HeaderMap, HeaderValue, Method, StatusCode};
use warp::hyper::body::Bytes;
use warp::reply::Response;
use warp::{Filter, Reply};

use super::{json, json_status, limited_body, method_not_allowed, parse_json, App};
use crate::auth::{self, AdminRequest};
use crate::communities;
use crate::errors::{ApiError, ApiResult};
use crate::secrets;
use crate::sessions;

const METHODS: &[Method] = &[Method::GET, Method::POST, Method::DELETE];

/// Longer than any token we make; longer input is simply wrong.
const TOKEN_MAX_LEN: usize = 200;

pub(super) fn routes(app: Arc<App>) -> BoxedFilter<(Response,)> {
    warp::path!("api" / "v1" / "session")
        .and(warp::method())
        .and(warp::header::headers_cloned())
        .and(warp::addr::remote())
        .and(limited_body())
        .then(
            move |method: Method, headers: HeaderMap, remote: Option<SocketAddr>, body: Bytes| {
                let app = app.clone();
                async move {
                    handle(&app, &method, &headers, remote, &body)
                        .await
                        .unwrap_or_else(Reply::into_response)
                }
            },
        )
        .boxed()
}

async fn handle(
    app: &Arc<App>,
    method: &Method,
    headers: &HeaderMap,
    remote: Option<SocketAddr>,
    body: &[u8],
) -> ApiResult<Response> {
    let store = &app.store;
    let now = secrets::now_secs();
    match *method {
        Method::POST => sign_in(app, headers, remote, body).await,
        Method::GET => {
            let (_, signed_in) = auth::session_of(store, headers, now)?;
            Ok(json(&signed_in.session.info(&signed_in.community)))
        }
        Method::DELETE => {
            let (id, signed_in) = auth::session_of(store, headers, now)?;
            let own_origin = own_origin(app, headers);
            auth::check_csrf(
                &signed_in.session,
                &AdminRequest {
                    method,
                    headers,
                    own_origin: &own_origin,
                    now,
                },
            )?;
            sessions::delete(store, &id)?;
            store.durable().await?;
            let mut response = Response::new(Default::default());
            *response.status_mut() = StatusCode::NO_CONTENT;
            set_cookie(
                &mut response,
                &sessions::clear_cookie(is_https(app, headers)),
            );
            Ok(response)
        }
        _ => Ok(method_not_allowed(METHODS)),
    }
}

async fn sign_in(
    app: &Arc<App>,
    headers: &HeaderMap,
    remote: Option<SocketAddr>,
    body: &[u8],
) -> ApiResult<Response> {
    let store = &app.store;
    let ip = app.abuse.client_ip(remote, headers);
    // Before anything else: once the network's failures are spent, not even
    // the right token is looked at.
    app.abuse.check_sign_in(ip)?;
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
                StatusCode::FORBIDDEN,
                codes::COMMUNITY_TOKEN_REQUIRED,
                "The console manages one community: sign in with a token of that community. A server-wide admin token works only with the command line and `Authorization: Bearer`.",
            ));
        }
        app.abuse.sign_in_failed(ip);
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "This token is not valid: check that it was copied whole.",
        ));
    };
    // A new sign-in from a browser that still holds a session ends that one: a
    // browser has one session, and the old id stops working at once.
    if let Some(old) = sessions::cookie_value(headers) {
        sessions::delete(store, &old)?;
    }
    let (id, session) = sessions::create(store, &community, &stored, secrets::now_secs())?;
    store.durable().await?;
    let mut response = json_status(&session.info(&community), StatusCode::CREATED);
    set_cookie(
        &mut response,
        &sessions::set_cookie(&id, is_https(app, headers)),
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

/// Whether the browser reaches us over https: the public URL says so, or,
/// behind a trusted proxy, `X-Forwarded-Proto` does.
pub(super) fn is_https(app: &App, headers: &HeaderMap) -> bool {
    app.public_url
        .as_deref()
        .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
        || forwarded_https(app, headers)
}

fn forwarded_https(app: &App, headers: &HeaderMap) -> bool {
    app.abuse.trusts_proxy()
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// The server's own origin, as the console's requests name it in `Origin`:
/// from the public URL, else from the Host header (and, behind a trusted
/// proxy, the forwarded scheme).
pub(super) fn own_origin(app: &App, headers: &HeaderMap) -> String {
    let url = match &app.public_url {
        Some(url) => url.clone(),
        None if forwarded_https(app, headers) => {
            app.public_url(headers).replacen("http://", "https://", 1)
        }
        None => app.public_url(headers),
    };
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or("")),
        None => url,
    }
}
