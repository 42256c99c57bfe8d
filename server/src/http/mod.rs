//! HTTP routes. Thin: every address is a row of the table in `routes`, whose
//! handler picks by method and calls plain functions of the concept modules.
//! Every failure becomes the same JSON error shape; nothing here panics on input.

mod admin;
pub mod demo_site;
mod mail;
mod pages;
mod public;
pub mod routes;
mod session;
mod sse;

use std::convert::Infallible;
use std::sync::Arc;

use mekaar_api::{ErrorCode, Health};
use serde::de::DeserializeOwned;
use serde::Serialize;
use warp::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use warp::http::{HeaderMap, HeaderValue, Method, StatusCode};
use warp::hyper::body::Bytes;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

use crate::assets;
use crate::connections::Peer;
use crate::errors::{ApiError, ApiResult};
use crate::store::Store;

/// Largest request body we read (admin JSON); larger bodies get 413.
pub const BODY_LIMIT_BYTES: u64 = 64 * 1024;

/// Largest body of a photo upload (`PUT …/photo`), the only larger one.
pub const PHOTO_LIMIT_BYTES: u64 = mekaar_api::limits::PHOTO_BYTES;

/// Longest request target (path and query) we answer; longer ones get 414.
pub const URI_LIMIT_BYTES: usize = 8 * 1024;

/// Most header bytes (names and values) and header lines we read; more get 431.
pub const HEADER_LIMIT_BYTES: usize = 16 * 1024;
pub const HEADER_LIMIT_LINES: usize = 100;

/// hyper's own limit on header lines, above ours so that ours answers (with
/// the JSON error) and hyper's only stops what would not fit in memory.
pub const MAX_HEADERS: usize = 2 * HEADER_LIMIT_LINES;

/// The OpenAPI 3.1 description of this API, served at `/api/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

/// What every handler can reach.
pub struct App {
    pub store: Arc<Store>,
    pub abuse: crate::abuse::Abuse,
    /// Each community's published cards, until the next write.
    pub lists: crate::initiatives::ListCache,
    /// Random per process: ETags from an earlier run never match.
    pub boot: u64,
    /// The polls' totals in memory, and the locks that keep them right.
    pub tallies: Arc<crate::polls::Tallies>,
    /// The live channels of watched polls.
    pub live: Arc<crate::live::Live>,
    /// Threads in use, with their reactions (see `discussions`).
    pub discussions: crate::discussions::Discussions,
    /// Where residents reach this server (for join links and QR codes).
    pub public_url: Option<String>,
    /// The settings the server started with.
    pub settings: Settings,
    /// Open connections per network, and what the connection layer refused.
    pub connections: Arc<crate::connections::ConnectionGate>,
    pub connection_stats: Arc<crate::connections::ConnectionStats>,
    /// E-mail: SMTP transport and settings (see `mail`).
    pub mail: crate::mail::Mailer,
}

/// Settings a deployment (or a test) may change.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub limits: crate::abuse::Limits,
    pub webhooks: crate::webhooks::RetryPolicy,
    /// The address residents use, e.g. `https://mekaar.example.nl`; without
    /// it, join links are made from the request's Host header.
    pub public_url: Option<String>,
    /// Caps and timeouts of connections.
    pub connections: crate::connections::ConnectionLimits,
    /// SMTP and the digests (no `smtp_url`: no e-mail).
    pub mail: crate::mail::MailSettings,
}

impl App {
    pub fn new(store: Store, settings: &Settings) -> App {
        let store = Arc::new(store);
        let tallies = Arc::new(crate::polls::Tallies::new());
        let connection_stats = Arc::new(crate::connections::ConnectionStats::default());
        App {
            connections: crate::connections::ConnectionGate::new(
                settings.connections.clone(),
                connection_stats.clone(),
            ),
            connection_stats,
            mail: crate::mail::Mailer::new(&settings.mail),
            settings: settings.clone(),
            live: crate::live::Live::new(store.clone(), tallies.clone()),
            tallies,
            store,
            abuse: crate::abuse::Abuse::new(&settings.limits),
            lists: Default::default(),
            discussions: Default::default(),
            boot: rand::random(),
            public_url: settings
                .public_url
                .as_ref()
                .map(|u| u.trim_end_matches('/').to_string()),
        }
    }

    /// The address residents use to reach this server.
    pub fn public_url(&self, headers: &HeaderMap) -> String {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        let host = headers
            .get(warp::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .filter(|h| {
                h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
            })
            .unwrap_or("localhost");
        format!("http://{host}")
    }

    /// A tag that changes whenever anything in the store changes.
    pub fn etag(&self) -> String {
        format!("\"{:x}-{}\"", self.boot, self.store.generation())
    }
}

/// The body, read as it arrives and refused with 413 as soon as it passes
/// `limit` (by its `Content-Length` before any of it is read, and by the
/// bytes actually read whatever the headers say), and with 408 when it takes
/// longer than the connection limits allow. A chunked body (no length) is
/// read the same way: the limit holds on what arrives.
async fn read_limited(
    app: &App,
    headers: &HeaderMap,
    body: impl futures_util::Stream<Item = Result<impl warp::Buf, warp::Error>>,
    limit: u64,
) -> ApiResult<Bytes> {
    use crate::connections::ConnectionStats;
    use futures_util::StreamExt;

    let length = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > limit) {
        return Err(body_larger_than(limit));
    }
    let stats = &app.connection_stats;
    let read = async {
        let mut body = std::pin::pin!(body);
        let mut bytes = Vec::new();
        while let Some(chunk) = body.next().await {
            let mut chunk = chunk.map_err(|err| {
                ConnectionStats::count(&stats.aborted_bodies);
                tracing::debug!("request body cut short: {err}");
                ApiError::new(
                    ErrorCode::BodyIncomplete,
                    "The request body ended before it was complete.",
                )
            })?;
            while warp::Buf::has_remaining(&chunk) {
                let part = warp::Buf::chunk(&chunk);
                if (bytes.len() + part.len()) as u64 > limit {
                    return Err(body_larger_than(limit));
                }
                bytes.extend_from_slice(part);
                let n = part.len();
                warp::Buf::advance(&mut chunk, n);
            }
        }
        Ok(Bytes::from(bytes))
    };
    match tokio::time::timeout(app.settings.connections.body_timeout, read).await {
        Ok(result) => result,
        Err(_) => {
            ConnectionStats::count(&stats.body_timeouts);
            Err(ApiError::new(
                ErrorCode::RequestTimeout,
                format!(
                    "The request body did not arrive within {} seconds.",
                    app.settings.connections.body_timeout.as_secs()
                ),
            ))
        }
    }
}

/// Both ends of the request's connection (see `connections`).
fn connection() -> impl Filter<Extract = (Option<Peer>,), Error = Infallible> + Clone {
    warp::ext::optional::<Peer>()
}

impl App {
    /// Where this server is its own origin: `--public-url` when set, else
    /// the address the client connected to (never the Host header, which
    /// the client chooses).
    pub fn own_origins(&self, peer: Option<Peer>) -> crate::cors::OwnOrigins {
        crate::cors::OwnOrigins::new(self.public_url.as_deref(), peer.map(|p| p.local))
    }
}

/// Refuses request targets and header blocks larger than we read (414, 431),
/// before any route looks at them.
fn request_head_limits() -> impl Filter<Extract = (), Error = Rejection> + Clone {
    warp::filters::path::full()
        .and(raw_query())
        .and(warp::header::headers_cloned())
        .and_then(
            |path: warp::filters::path::FullPath, query: String, headers: HeaderMap| async move {
                if path.as_str().len() + query.len() > URI_LIMIT_BYTES {
                    return Err(warp::reject::custom(ApiError::new(
                        ErrorCode::UriTooLong,
                        format!("The address is longer than {URI_LIMIT_BYTES} bytes."),
                    )));
                }
                let header_bytes: usize = headers
                    .iter()
                    .map(|(name, value)| name.as_str().len() + value.len())
                    .sum();
                if headers.len() > HEADER_LIMIT_LINES || header_bytes > HEADER_LIMIT_BYTES {
                    return Err(warp::reject::custom(ApiError::new(
                        ErrorCode::HeadersTooLarge,
                        format!(
                            "Send at most {HEADER_LIMIT_LINES} header lines and \
                             {HEADER_LIMIT_BYTES} bytes of headers."
                        ),
                    )));
                }
                Ok(())
            },
        )
        .untuple_one()
}

/// The raw query string, empty when there is none.
fn raw_query() -> impl Filter<Extract = (String,), Error = Infallible> + Clone {
    warp::query::raw().or(warp::any().map(String::new)).unify()
}

/// Parses a query string into `T`; unknown parameters are ignored.
fn parse_query<T: DeserializeOwned>(query: &str) -> ApiResult<T> {
    serde_urlencoded::from_str(query).map_err(|err| {
        ApiError::new(
            ErrorCode::InvalidField,
            format!("The query string is not valid: {err}."),
        )
    })
}

/// Parses a JSON body, telling syntax errors (`malformed_json`) apart from
/// well-formed JSON with wrong fields (`invalid_field`).
fn parse_json<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> ApiResult<T> {
    check_json_type(headers)?;
    // Every body of ours is an object. serde would also read a struct from
    // an array of its fields in order, which nobody means to send. (Other
    // non-objects are refused by serde itself.)
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'[') {
        return Err(ApiError::new(
            ErrorCode::InvalidField,
            "The JSON body must be an object ({ … }).",
        ));
    }
    from_json(body)
}

/// Refuses a body that is not sent as `application/json`.
fn check_json_type(headers: &HeaderMap) -> ApiResult<()> {
    // The media type itself, whatever parameters follow (`; charset=utf-8`):
    // `application/jsonx` or `application/json-seq` are something else.
    let is_json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with Content-Type: application/json.",
        ));
    }
    Ok(())
}

/// As [`parse_json`], for the bodies that are a list (`[ … ]`: the steps).
fn parse_json_list<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> ApiResult<Vec<T>> {
    check_json_type(headers)?;
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'[') {
        return Err(ApiError::new(
            ErrorCode::InvalidField,
            "The JSON body must be a list ([ … ]).",
        ));
    }
    from_json(body)
}

fn from_json<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|err| {
        let code = match err.classify() {
            serde_json::error::Category::Data => ErrorCode::InvalidField,
            _ => ErrorCode::MalformedJson,
        };
        ApiError::new(code, format!("The JSON body is not valid: {err}."))
    })
}

/// Everything about one request a handler may need.
pub(crate) struct Request {
    pub method: Method,
    pub headers: HeaderMap,
    pub query: String,
    pub body: Bytes,
    pub peer: Option<Peer>,
    /// The methods of the address, from the route table.
    pub allow: &'static str,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// All routes of the Mekaar server: the request's head within limits, then
/// the route table (`routes`).
pub fn routes(app: Arc<App>) -> impl Filter<Extract = (impl Reply,), Error = Infallible> + Clone {
    let log = warp::log::custom(|info| {
        // Method, path and status only: never the client's address.
        tracing::debug!(
            method = %info.method(),
            path = info.path(),
            status = info.status().as_u16(),
            micros = info.elapsed().as_micros() as u64,
            "request"
        );
    });

    request_head_limits()
        .and(warp::method())
        .and(warp::filters::path::full())
        .and(raw_query())
        .and(warp::header::headers_cloned())
        .and(connection())
        .and(warp::body::stream())
        .then(
            move |method: Method,
                  path: warp::filters::path::FullPath,
                  query: String,
                  headers: HeaderMap,
                  peer: Option<Peer>,
                  body| {
                let app = app.clone();
                async move {
                    let incoming = routes::Incoming {
                        method,
                        path: path.as_str().to_string(),
                        query,
                        headers,
                        peer,
                    };
                    routes::dispatch(&app, incoming, body).await
                }
            },
        )
        .recover(|rejection| async move { Ok::<_, Infallible>(rejection_response(rejection)) })
        .unify()
        .with(log)
}

/// The server's own files and small answers (area `Assets` of the table).
#[derive(Debug, Clone)]
pub(crate) enum Asset {
    Health,
    OpenApi,
    EmbedJs,
    /// A file of the widget bundle.
    Bundle(String),
    /// A photo rendition.
    Photo(String),
}

fn asset(app: &App, asset: Asset, headers: &HeaderMap) -> Response {
    let answer = || -> ApiResult<Response> {
        Ok(match asset {
            Asset::Health => json(&Health {
                status: "ok".into(),
            }),
            Asset::OpenApi => {
                let mut response = Response::new(OPENAPI_JSON.into());
                response
                    .headers_mut()
                    .insert("content-type", HeaderValue::from_static("application/json"));
                response
            }
            Asset::EmbedJs => assets::bundle_file("embed.js", headers),
            Asset::Bundle(name) => assets::bundle_file(&name, headers),
            // Its name is the hash of its bytes, so it never changes and any
            // cache may keep it for a year.
            Asset::Photo(name) => {
                let mut response =
                    file_response(crate::photos::file(&app.store, &name)?, "image/jpeg", None);
                let headers = response.headers_mut();
                headers.insert(
                    CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                );
                headers.insert(
                    "x-content-type-options",
                    HeaderValue::from_static("nosniff"),
                );
                // Shown on other sites' pages, also those that isolate themselves.
                headers.insert(
                    "cross-origin-resource-policy",
                    HeaderValue::from_static("cross-origin"),
                );
                response
            }
        })
    };
    answer().unwrap_or_else(Reply::into_response)
}

/// A JSON answer that no cache keeps (counts change; some depend on the voter).
fn json<T: Serialize>(value: &T) -> Response {
    let mut response = warp::reply::json(value).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A file answer: `content_type`, and with a `file_name` (plain ASCII, no
/// quotes) a download of that name rather than a page.
fn file_response(
    body: impl Into<Bytes>,
    content_type: &'static str,
    file_name: Option<&str>,
) -> Response {
    let mut response = Response::new(body.into().into());
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = file_name
        .and_then(|name| HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).ok());
    if let Some(value) = disposition {
        headers.insert(warp::http::header::CONTENT_DISPOSITION, value);
    }
    response
}

fn json_status<T: Serialize>(value: &T, status: StatusCode) -> Response {
    let mut response = json(value);
    *response.status_mut() = status;
    response
}

fn rejection_response(rejection: Rejection) -> Response {
    let error = if rejection.is_not_found() {
        ApiError::route_not_found()
    } else if let Some(error) = rejection.find::<ApiError>() {
        error.clone()
    } else if rejection.find::<warp::reject::PayloadTooLarge>().is_some() {
        body_too_large()
    } else if rejection.find::<warp::reject::LengthRequired>().is_some() {
        ApiError::new(
            ErrorCode::LengthRequired,
            "Send a Content-Length header with the body.",
        )
    } else if let Some(header) = rejection.find::<warp::reject::InvalidHeader>() {
        ApiError::new(
            ErrorCode::InvalidField,
            format!("The {} header is not valid.", header.name()),
        )
    } else if rejection.find::<warp::reject::MethodNotAllowed>().is_some() {
        ApiError::new(
            ErrorCode::MethodNotAllowed,
            "This address does not answer that method.",
        )
    } else {
        tracing::warn!("unhandled rejection: {rejection:?}");
        ApiError::new(
            ErrorCode::InvalidField,
            "The request could not be understood.",
        )
    };
    error.into_response()
}

fn body_too_large() -> ApiError {
    body_larger_than(BODY_LIMIT_BYTES)
}

fn body_larger_than(limit: u64) -> ApiError {
    ApiError::new(
        ErrorCode::BodyTooLarge,
        format!("The body is larger than {limit} bytes."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Body {
        #[allow(dead_code)]
        role: String,
    }

    fn with_type(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        headers
    }

    #[test]
    fn only_json_objects_with_the_json_media_type_are_read() {
        let body = br#"{"role":"admin"}"#;
        assert!(parse_json::<Body>(&with_type("application/json"), body).is_ok());
        assert!(parse_json::<Body>(&with_type("Application/JSON; charset=utf-8"), body).is_ok());
        for wrong in [
            "application/jsonx",
            "application/json-seq",
            "text/plain",
            "",
        ] {
            let refused = parse_json::<Body>(&with_type(wrong), body).unwrap_err();
            assert_eq!(refused.code, ErrorCode::UnsupportedMediaType, "{wrong}");
        }
        let array = parse_json::<Body>(&with_type("application/json"), br#"["admin"]"#);
        assert_eq!(array.unwrap_err().code, ErrorCode::InvalidField);
        let empty = parse_json::<Body>(&with_type("application/json"), b"");
        assert_eq!(empty.unwrap_err().code, ErrorCode::MalformedJson);
    }
}
