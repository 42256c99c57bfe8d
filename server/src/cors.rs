//! Which web pages may call a community's API. Enforced here, by the server:
//! a request from a page whose origin the community has not allowed is
//! refused with 403, whatever the browser would have done.

use mekaar_api::codes;
use warp::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, HOST, ORIGIN, VARY,
};
use warp::http::{HeaderMap, HeaderValue, Method, StatusCode};
use warp::reply::Response;

use crate::communities::Community;
use crate::errors::{ApiError, ApiResult};

/// How long a browser may cache a preflight answer (Chromium caps it at 2 h).
const PREFLIGHT_MAX_AGE_SECS: &str = "7200";

/// Request headers a widget may send. Keep in step with
/// `mekaar_api::VOTER_HEADER` (a test below checks it).
const ALLOWED_REQUEST_HEADERS: &str = "mekaar-voter, mekaar-manage, content-type";

/// Passes when the request may act on `community`:
/// - no `Origin` header: not a cross-origin browser request (curl, a server);
/// - the page is served by this server itself (the phone page, the console);
/// - the origin is in the community's allowed origins.
pub fn check_origin(community: &Community, headers: &HeaderMap) -> ApiResult<()> {
    let Some(origin) = headers.get(ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("");
    if is_same_origin(origin, headers) || community.allows_origin(origin) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        codes::ORIGIN_NOT_ALLOWED,
        format!(
            "The site {origin} may not use community `{}`; a community admin can add it to the allowed origins.",
            community.slug
        ),
    ))
}

/// Compares host and port only, not the scheme: behind a TLS-terminating
/// reverse proxy the server itself sees plain http while pages are https.
fn is_same_origin(origin: &str, headers: &HeaderMap) -> bool {
    let authority = origin.split_once("://").map(|(_, a)| a);
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

/// The answer to a preflight from an origin that passed [`check_origin`].
pub fn preflight(methods: &[Method]) -> Response {
    let mut response = Response::new(Default::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let methods = methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&methods) {
        headers.insert(ACCESS_CONTROL_ALLOW_METHODS, value);
    }
    headers.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOWED_REQUEST_HEADERS),
    );
    headers.insert(
        ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(PREFLIGHT_MAX_AGE_SECS),
    );
    response
}

/// Lets the calling page read the answer. Success answers only ever reach
/// here for allowed origins; error answers are readable by any page so a
/// widget can say *why* it cannot work (e.g. `origin_not_allowed`).
pub fn expose_to_caller(response: &mut Response, request_headers: &HeaderMap) {
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("origin"));
    if let Some(origin) = request_headers.get(ORIGIN) {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        // Widgets read these: when to retry after a 429, and tags to revalidate.
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after, etag"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mekaar_api::VOTER_HEADER;

    #[test]
    fn preflight_allows_the_voter_header() {
        assert!(ALLOWED_REQUEST_HEADERS.contains(VOTER_HEADER));
        assert!(ALLOWED_REQUEST_HEADERS.contains(mekaar_api::MANAGE_HEADER));
    }

    #[test]
    fn same_origin_compares_host_and_port() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(is_same_origin("http://127.0.0.1:8080", &headers));
        assert!(!is_same_origin("http://127.0.0.1:8081", &headers));
        assert!(!is_same_origin("null", &headers));
    }
}
