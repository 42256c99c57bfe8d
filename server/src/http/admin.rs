//! The admin API: bearer tokens, no CORS (the CLI and the server's own console).

use std::sync::Arc;

use mekaar_api::{codes, CommunityCreated, TokenCreated};
use serde::de::DeserializeOwned;
use warp::http::header::{CONTENT_TYPE, TRANSFER_ENCODING};
use warp::http::{HeaderMap, Method, StatusCode};
use warp::hyper::body::Bytes;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

use super::{body_too_large, json, json_status, method_not_allowed, App, BODY_LIMIT_BYTES};
use crate::auth;
use crate::communities;
use crate::errors::{ApiError, ApiResult};
use crate::initiatives;

#[derive(Debug, Clone)]
enum Endpoint {
    Communities,
    Community(String),
    Tokens(String),
    Initiatives(String),
}

impl Endpoint {
    fn methods(&self) -> &'static [Method] {
        match self {
            Endpoint::Communities => &[Method::GET, Method::POST],
            Endpoint::Community(_) => &[Method::GET, Method::PATCH],
            Endpoint::Tokens(_) | Endpoint::Initiatives(_) => &[Method::POST],
        }
    }
}

pub(super) fn routes(
    app: Arc<App>,
) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone {
    let endpoint = warp::path!("api" / "v1" / "admin" / "communities")
        .map(|| Endpoint::Communities)
        .or(warp::path!("api" / "v1" / "admin" / "communities" / String).map(Endpoint::Community))
        .unify()
        .or(
            warp::path!("api" / "v1" / "admin" / "communities" / String / "tokens")
                .map(Endpoint::Tokens),
        )
        .unify()
        .or(
            warp::path!("api" / "v1" / "admin" / "communities" / String / "initiatives")
                .map(Endpoint::Initiatives),
        )
        .unify();
    endpoint
        .and(warp::method())
        .and(warp::header::headers_cloned())
        .and(limited_body())
        .then(
            move |endpoint, method: Method, headers: HeaderMap, body: Bytes| {
                let app = app.clone();
                async move {
                    handle(&app, endpoint, &method, &headers, &body)
                        .await
                        .unwrap_or_else(Reply::into_response)
                }
            },
        )
}

/// The body, refused with 413 above the limit before it is read, and with
/// 411 when it comes chunked without a length (we never read unbounded).
fn limited_body() -> impl Filter<Extract = (Bytes,), Error = Rejection> + Clone {
    warp::header::headers_cloned()
        .and_then(|headers: HeaderMap| async move {
            let length = headers
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            match length {
                Some(n) if n > BODY_LIMIT_BYTES => Err(warp::reject::custom(body_too_large())),
                None if headers.contains_key(TRANSFER_ENCODING) => {
                    Err(warp::reject::custom(ApiError::new(
                        StatusCode::LENGTH_REQUIRED,
                        codes::LENGTH_REQUIRED,
                        "Send a Content-Length header with the body.",
                    )))
                }
                _ => Ok(()),
            }
        })
        .untuple_one()
        .and(warp::body::bytes())
}

async fn handle(
    app: &App,
    endpoint: Endpoint,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Response> {
    if !endpoint.methods().contains(method) {
        return Ok(method_not_allowed(endpoint.methods()));
    }
    let store = &app.store;
    let response = match endpoint {
        Endpoint::Communities => {
            auth::require_server_admin(store, headers)?;
            if method == Method::GET {
                let all: Vec<_> = communities::list(store)?
                    .iter()
                    .map(|c| c.admin_view())
                    .collect();
                return Ok(json(&all));
            }
            let (community, admin_token) = communities::create(store, parse_json(headers, body)?)?;
            store.durable().await?;
            json_status(
                &CommunityCreated {
                    community: community.admin_view(),
                    admin_token,
                },
                StatusCode::CREATED,
            )
        }
        Endpoint::Community(slug) => {
            let community = communities::get(store, &slug)?;
            auth::require_community_admin(store, &community, headers)?;
            if method == Method::GET {
                return Ok(json(&community.admin_view()));
            }
            let updated = communities::update(store, &slug, parse_json(headers, body)?)?;
            store.durable().await?;
            json(&updated.admin_view())
        }
        Endpoint::Tokens(slug) => {
            let community = communities::get(store, &slug)?;
            auth::require_community_admin(store, &community, headers)?;
            let admin_token = communities::add_admin_token(store, &slug)?;
            store.durable().await?;
            json_status(&TokenCreated { admin_token }, StatusCode::CREATED)
        }
        Endpoint::Initiatives(slug) => {
            let community = communities::get(store, &slug)?;
            auth::require_community_admin(store, &community, headers)?;
            let initiative = initiatives::create(store, &community, parse_json(headers, body)?)?;
            let public = initiatives::public(store, &community, &initiative)?;
            store.durable().await?;
            json_status(&public, StatusCode::CREATED)
        }
    };
    Ok(response)
}

/// Parses a JSON body, telling syntax errors (`malformed_json`) apart from
/// well-formed JSON with wrong fields (`invalid_field`).
fn parse_json<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> ApiResult<T> {
    let is_json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as JSON with Content-Type: application/json.",
        ));
    }
    serde_json::from_slice(body).map_err(|err| {
        let code = match err.classify() {
            serde_json::error::Category::Data => codes::INVALID_FIELD,
            _ => codes::MALFORMED_JSON,
        };
        ApiError::bad_request(code, format!("The JSON body is not valid: {err}."))
    })
}
