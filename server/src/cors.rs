//! Which web pages may call a community's API. Enforced here, by the server:
//! a request from a page whose origin the community has not allowed is
//! refused with 403, whatever the browser would have done.

use std::net::SocketAddr;

use mekaar_api::ErrorCode;
use warp::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ORIGIN, VARY,
};
use warp::http::{HeaderMap, HeaderValue, StatusCode};
use warp::reply::Response;

use crate::communities::Community;
use crate::errors::{ApiError, ApiResult};

/// How long a browser may cache a preflight answer (Chromium caps it at 2 h).
const PREFLIGHT_MAX_AGE_SECS: &str = "7200";

/// Request headers a widget may send. Keep in step with
/// `mekaar_api::VOTER_HEADER` (a test below checks it).
/// `if-none-match`: the discussion widget asks "changed since?" every few seconds (a 304 is tiny).
const ALLOWED_REQUEST_HEADERS: &str = "mekaar-voter, mekaar-manage, content-type, if-none-match";

/// Passes when the request may act on `community`:
/// - no `Origin` header: not a cross-origin browser request (curl, a server);
/// - the page is served by this server itself (the phone page, the console);
/// - the origin is in the community's allowed origins.
pub fn check_origin(community: &Community, headers: &HeaderMap, own: &OwnOrigins) -> ApiResult<()> {
    let Some(origin) = headers.get(ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("");
    if own.contains(origin) || community.allows_origin(origin) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::OriginNotAllowed,
        format!(
            "The site {origin} may not use community `{}`; a community admin can add it to the allowed origins.",
            community.slug
        ),
    ))
}

/// Where this server serves its own pages (the phone page, the manage page,
/// the console), by host and port: the authority of `--public-url` when set,
/// else the address the client connected to (and `localhost` with its port
/// on a loopback address). Never the Host header: the client writes that,
/// so `Origin: https://evil.example` with `Host: evil.example` would pass.
///
/// The scheme is not compared: behind a TLS-terminating reverse proxy the
/// server itself sees plain http while pages are https.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnOrigins {
    authorities: Vec<String>,
}

impl OwnOrigins {
    pub fn new(public_url: Option<&str>, local: Option<SocketAddr>) -> OwnOrigins {
        let mut authorities = Vec::new();
        match (public_url, local) {
            (Some(url), _) => {
                let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
                authorities.push(rest.split('/').next().unwrap_or("").to_ascii_lowercase());
            }
            (None, Some(local)) => {
                let port = local.port();
                let ip = match local.ip() {
                    std::net::IpAddr::V6(v6) => v6
                        .to_ipv4_mapped()
                        .map_or(std::net::IpAddr::V6(v6), std::net::IpAddr::V4),
                    v4 => v4,
                };
                authorities.push(SocketAddr::new(ip, port).to_string());
                if ip.is_loopback() {
                    authorities.push(format!("localhost:{port}"));
                }
            }
            (None, None) => {}
        }
        OwnOrigins { authorities }
    }

    /// Whether a page of `origin` (`https://host:port`) is one of ours.
    pub fn contains(&self, origin: &str) -> bool {
        let Some((_, authority)) = origin.split_once("://") else {
            return false;
        };
        self.authorities
            .iter()
            .any(|own| !own.is_empty() && own.eq_ignore_ascii_case(authority))
    }
}

/// The answer to a preflight from an origin that passed [`check_origin`]:
/// `methods` as the route table lists them (`GET, POST`).
pub fn preflight(methods: &str) -> Response {
    let mut response = Response::new(Default::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(methods) {
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
    fn own_origins_come_from_the_public_url_or_the_local_address_never_the_host() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let own = OwnOrigins::new(None, Some(local));
        assert!(own.contains("http://127.0.0.1:8080"));
        assert!(own.contains("http://localhost:8080"));
        assert!(!own.contains("http://127.0.0.1:8081"));
        assert!(!own.contains("https://evil.example"));
        assert!(!own.contains("null"));
        let public = OwnOrigins::new(Some("https://Mekaar.example.nl/"), Some(local));
        assert!(public.contains("https://mekaar.example.nl"));
        assert!(!public.contains("http://127.0.0.1:8080"));
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:80".parse().unwrap();
        assert!(OwnOrigins::new(None, Some(mapped)).contains("http://192.0.2.1:80"));
        assert!(!OwnOrigins::new(None, None).contains("http://127.0.0.1:8080"));
    }
}
