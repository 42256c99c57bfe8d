//! The widget bundle (`pkg/`) and the demo host pages (`demo/`), compiled
//! into the binary so one binary plus a data directory is a whole install.

use std::borrow::Cow;

use rust_embed::{Embed, EmbeddedFile};
use warp::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};
use warp::http::{HeaderMap, HeaderValue, StatusCode};
use warp::reply::Response;

use crate::errors::ApiError;

#[derive(Embed)]
#[folder = "../pkg"]
struct Bundle;

#[derive(Embed)]
#[folder = "../demo"]
struct DemoPages;

/// Cache policy of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Content-hashed name: never changes, cache for a year.
    Immutable,
    /// Stable name (`embed.js`): revalidate soon so updates reach sites.
    Short,
    /// Pages whose content depends on run-time settings.
    None,
}

impl Caching {
    fn header(self) -> &'static str {
        match self {
            Caching::Immutable => "public, max-age=31536000, immutable",
            Caching::Short => "public, max-age=300",
            Caching::None => "no-cache",
        }
    }
}

/// `mekaar_widgets-1a2b3c4d.js`: a name with an 8+ hex-digit hash before the extension.
fn has_content_hash(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "text/plain; charset=utf-8",
    }
}

/// A file of the widget bundle: `embed.js` or anything under `pkg/`.
pub fn bundle_file(name: &str, request_headers: &HeaderMap) -> Response {
    match Bundle::get(name) {
        Some(file) => {
            let caching = if has_content_hash(name) {
                Caching::Immutable
            } else {
                Caching::Short
            };
            let mut response = file_response(name, &file, caching, request_headers);
            // Any site may load the bundle; what it may *do* is checked by the API.
            let headers = response.headers_mut();
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            headers.insert(
                "cross-origin-resource-policy",
                HeaderValue::from_static("cross-origin"),
            );
            response
        }
        None => warp::Reply::into_response(ApiError::route_not_found()),
    }
}

/// A demo page's text, if it exists.
pub fn demo_page(name: &str) -> Option<String> {
    DemoPages::get(name).map(|f| String::from_utf8_lossy(&f.data).into_owned())
}

fn file_response(
    name: &str,
    file: &EmbeddedFile,
    caching: Caching,
    request_headers: &HeaderMap,
) -> Response {
    let etag = format!("\"{}\"", short_hex(&file.metadata.sha256_hash()));
    let not_modified = request_headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if not_modified {
        let mut r = Response::new(Default::default());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        // Embedded files are `'static`: serve them without copying.
        Response::new(match file.data.clone() {
            Cow::Borrowed(bytes) => bytes.into(),
            Cow::Owned(bytes) => bytes.into(),
        })
    };
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(name)));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(caching.header()));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, value);
    }
    response
}

fn short_hex(bytes: &[u8]) -> String {
    bytes[..12].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(has_content_hash("mekaar_widgets-1a2b3c4d.js"));
        assert!(has_content_hash("mekaar_widgets_bg-1a2b3c4d5e.wasm"));
        assert!(!has_content_hash("embed.js"));
        assert!(!has_content_hash("mekaar-widgets.js"));
    }
}
