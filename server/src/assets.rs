//! The widget bundle (`pkg/`), the admin console (`pkg/console/`) and the demo
//! host pages (`demo/`), compiled into the binary so one binary plus a data
//! directory is a whole install.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

use rust_embed::{Embed, EmbeddedFile};
use warp::http::header::{
    ACCEPT_ENCODING, ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE,
    ETAG, IF_NONE_MATCH, VARY,
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

/// The console's page, served at `/admin` (`pkg/console/index.html`, written by
/// `scripts/build-pkg` with the hashed names of the console's files).
const CONSOLE_PAGE: &str = "console/index.html";

/// The Content-Security-Policy of `/admin`: only the server's own scripts
/// (plus compiling wasm), styles, fetches and frames; no inline script, no
/// plugins, and no framing by other sites. Inline *styles* are allowed for
/// one reason: the snippet builder previews the exact snippet in an
/// `<iframe srcdoc>`, which inherits this policy, and the widgets keep their
/// stylesheet in a `<style>` inside their Shadow DOM (so does the printable
/// vote-code sheet, opened from a `blob:` URL). The console's own code sets no
/// inline styles (yew escapes every value), so this opens no script path.
pub const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-src 'self'; \
    base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'";

/// `/admin`: the console's page with headers for a page that holds a session:
/// a strict CSP, no caching, no framing, no referrer.
pub fn console_page() -> Response {
    let Some(file) = Bundle::get(CONSOLE_PAGE) else {
        return warp::Reply::into_response(ApiError::route_not_found());
    };
    let mut response = Response::new(match file.data {
        Cow::Borrowed(bytes) => bytes.into(),
        Cow::Owned(bytes) => bytes.into(),
    });
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(content_type(CONSOLE_PAGE)),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(CONSOLE_CSP),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// A file of the console (`/pkg/console/{name}`): only the content-hashed
/// ones (script, wasm, stylesheet), cached for a year, for this origin only.
pub fn console_file(name: &str, request_headers: &HeaderMap) -> Response {
    let path = format!("console/{name}");
    let file = (has_content_hash(name) && !name.contains(['/', '\\']))
        .then(|| Bundle::get(&path))
        .flatten();
    match file {
        Some(file) => {
            let mut response = file_response(&path, &file, Caching::Immutable, request_headers);
            let headers = response.headers_mut();
            headers.insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(
                "cross-origin-resource-policy",
                HeaderValue::from_static("same-origin"),
            );
            response
        }
        None => warp::Reply::into_response(ApiError::route_not_found()),
    }
}

/// A bundle file compressed once, when first asked for: the wasm is about
/// a third of its size in brotli, and residents on phones download it.
struct Compressed {
    brotli: Vec<u8>,
    gzip: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

fn compressed_bundle() -> &'static HashMap<String, Compressed> {
    static COMPRESSED: OnceLock<HashMap<String, Compressed>> = OnceLock::new();
    COMPRESSED.get_or_init(|| {
        Bundle::iter()
            .filter(|name| {
                name.ends_with(".js") || name.ends_with(".wasm") || name.ends_with(".css")
            })
            .filter_map(|name| {
                let file = Bundle::get(&name)?;
                Some((name.into_owned(), compress(&file.data)))
            })
            .collect()
    })
}

fn compress(data: &[u8]) -> Compressed {
    let mut brotli = Vec::new();
    {
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        let mut writer = brotli::CompressorWriter::with_params(&mut brotli, 4096, &params);
        // Writing into a Vec cannot fail.
        let _ = writer.write_all(data);
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = gzip.write_all(data);
    Compressed {
        brotli,
        gzip: gzip.finish().unwrap_or_default(),
    }
}

/// Compresses the bundle now (in the background at start-up), so the first
/// resident does not wait for it.
pub fn warm_up() {
    std::thread::spawn(|| {
        compressed_bundle();
    });
}

/// The best encoding the client accepts (`q=0` refuses one).
fn preferred_encoding(request_headers: &HeaderMap) -> Encoding {
    let accepted = |wanted: &str| {
        request_headers
            .get_all(ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|item| {
                let mut parts = item.split(';').map(str::trim);
                let named = parts.next().is_some_and(|n| n.eq_ignore_ascii_case(wanted));
                let refused = parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q == 0.0)
                });
                named && !refused
            })
    };
    if accepted("br") {
        Encoding::Brotli
    } else if accepted("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
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
    let compressed = compressed_bundle().get(name);
    let encoding = match compressed {
        Some(_) => preferred_encoding(request_headers),
        None => Encoding::Identity,
    };
    // Each encoding is its own representation, so it has its own tag.
    let suffix = match encoding {
        Encoding::Identity => "",
        Encoding::Gzip => "-gz",
        Encoding::Brotli => "-br",
    };
    // 96 bits of the content hash are plenty for a tag.
    let etag = format!(
        "\"{}{suffix}\"",
        crate::secrets::hex(&file.metadata.sha256_hash()[..12])
    );
    let not_modified = request_headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if not_modified {
        let mut r = Response::new(Default::default());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        Response::new(match (encoding, compressed, file.data.clone()) {
            (Encoding::Brotli, Some(c), _) => c.brotli.clone().into(),
            (Encoding::Gzip, Some(c), _) => c.gzip.clone().into(),
            // Embedded files are `'static`: serve them without copying.
            (_, _, Cow::Borrowed(bytes)) => bytes.into(),
            (_, _, Cow::Owned(bytes)) => bytes.into(),
        })
    };
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(name)));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(caching.header()));
    if compressed.is_some() {
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    match encoding {
        Encoding::Brotli => {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
        }
        Encoding::Gzip => {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        Encoding::Identity => {}
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn encoding_follows_accept_encoding() {
        assert_eq!(
            preferred_encoding(&accept("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(preferred_encoding(&accept("gzip")), Encoding::Gzip);
        assert_eq!(
            preferred_encoding(&accept("br;q=0, gzip;q=0.5")),
            Encoding::Gzip
        );
        assert_eq!(preferred_encoding(&accept("identity")), Encoding::Identity);
        assert_eq!(preferred_encoding(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_files_decompress_to_the_original() {
        let original = b"mekaar ".repeat(1000);
        let packed = compress(&original);
        assert!(packed.brotli.len() < original.len() / 10);
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut &packed.brotli[..], &mut unpacked).unwrap();
        assert_eq!(unpacked, original);
        let mut gunzipped = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&packed.gzip[..]),
            &mut gunzipped,
        )
        .unwrap();
        assert_eq!(gunzipped, original);
    }

    #[test]
    fn the_console_is_embedded_with_hashed_files() {
        let page = Bundle::get(CONSOLE_PAGE).expect("pkg/console/index.html");
        let page = String::from_utf8_lossy(&page.data);
        assert!(page.starts_with("<!doctype html>"));
        assert!(!page.contains("<script>") && !page.contains("style="));
        let names: Vec<String> = Bundle::iter()
            .filter_map(|n| n.strip_prefix("console/").map(str::to_string))
            .collect();
        for name in names.iter().filter(|n| has_content_hash(n)) {
            let response = console_file(name, &HeaderMap::new());
            assert_eq!(response.status(), StatusCode::OK, "{name}");
        }
        assert!(names.iter().any(|n| n.ends_with(".wasm")));
        // The page and the source hash are not files of /pkg/console/.
        assert_eq!(
            console_file("index.html", &HeaderMap::new()).status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            console_file("../embed.js", &HeaderMap::new()).status(),
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    fn hashed_names_are_recognised() {
        assert!(has_content_hash("mekaar_widgets-1a2b3c4d.js"));
        assert!(has_content_hash("mekaar_widgets_bg-1a2b3c4d5e.wasm"));
        assert!(!has_content_hash("embed.js"));
        assert!(!has_content_hash("mekaar-widgets.js"));
    }
}
