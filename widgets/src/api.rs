//! The widgets' HTTP client: plain `fetch` without cookies; the browser parses the JSON
//! (`response.json()`), so no JSON parser of our own ends up in the wasm.

use crate::i18n::Key;
use mekaar_api::codes;

/// Why something did not work, as far as a resident needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    OriginNotAllowed,
    CommunityNotFound,
    InitiativeNotFound,
    InvalidVoterKey,
    StorageUnavailable,
    /// The request did not get an answer (offline, DNS, refused preflight, …).
    Unreachable,
    /// The placeholder lacks `data-community` or `data-initiative`.
    Misconfigured,
    Generic,
}

impl Problem {
    /// From an API error code; unknown codes are [`Problem::Generic`].
    pub fn from_code(code: &str) -> Problem {
        match code {
            codes::ORIGIN_NOT_ALLOWED => Problem::OriginNotAllowed,
            codes::COMMUNITY_NOT_FOUND => Problem::CommunityNotFound,
            codes::INITIATIVE_NOT_FOUND => Problem::InitiativeNotFound,
            codes::INVALID_VOTER_KEY => Problem::InvalidVoterKey,
            codes::STORAGE_UNAVAILABLE => Problem::StorageUnavailable,
            _ => Problem::Generic,
        }
    }

    /// When the body had no readable error code.
    pub fn from_status(status: u16) -> Problem {
        match status {
            403 => Problem::OriginNotAllowed,
            503 => Problem::StorageUnavailable,
            _ => Problem::Generic,
        }
    }

    /// The translation key of the message for residents.
    pub fn key(self) -> Key {
        match self {
            Problem::OriginNotAllowed => Key::ErrOriginNotAllowed,
            Problem::CommunityNotFound => Key::ErrCommunityNotFound,
            Problem::InitiativeNotFound => Key::ErrInitiativeNotFound,
            Problem::InvalidVoterKey => Key::ErrInvalidVoterKey,
            Problem::StorageUnavailable => Key::ErrStorageUnavailable,
            Problem::Unreachable => Key::ErrUnreachable,
            Problem::Misconfigured => Key::ErrMisconfigured,
            Problem::Generic => Key::ErrGeneric,
        }
    }

    /// Whether trying again later may help (so the widget offers a retry button).
    pub fn retryable(self) -> bool {
        matches!(
            self,
            Problem::StorageUnavailable | Problem::Unreachable | Problem::Generic
        )
    }
}

/// Percent-encodes one URL path segment (everything but RFC 3986 unreserved characters).
pub fn encode_segment(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// `{base}api/v1/communities/{c}/initiatives/{id}`; `base` is the loader's directory.
pub fn initiative_url(base: &str, community: &str, initiative: &str) -> String {
    let mut url = String::from(base.trim_end_matches('/'));
    url.push_str(mekaar_api::API_PREFIX);
    url.push_str("/communities/");
    url.push_str(&encode_segment(community));
    url.push_str("/initiatives/");
    url.push_str(&encode_segment(initiative));
    url
}

/// The support resource of one initiative for the voter named in the header.
pub fn support_url(base: &str, community: &str, initiative: &str) -> String {
    let mut url = initiative_url(base, community, initiative);
    url.push_str("/support");
    url
}

/// The few fields of `InitiativePublic` the support button shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitiativeSummary {
    pub title: String,
    pub support_count: u64,
    pub support_threshold: u64,
}

/// The wire field names this module reads. They are the serde names of
/// [`mekaar_api::InitiativePublic`], [`mekaar_api::SupportState`] and
/// [`mekaar_api::ErrorBody`]; a native test checks them against those types.
pub mod fields {
    pub const TITLE: &str = "title";
    pub const SUPPORT_COUNT: &str = "support_count";
    pub const SUPPORT_THRESHOLD: &str = "support_threshold";
    pub const SUPPORTED: &str = "supported";
    pub const ERROR: &str = "error";
    pub const CODE: &str = "code";
}

#[cfg(target_arch = "wasm32")]
pub use fetch::request;

#[cfg(target_arch = "wasm32")]
mod fetch {
    //! Answers are read field by field from the parsed JS object (`response.json()`), not
    //! through serde: serde's error paths (f64 formatting and friends) cost ~5 KB of
    //! brotli'd wasm, a sixteenth of the whole bundle's budget.
    use super::{fields, InitiativeSummary, Problem};
    use js_sys::Reflect;
    use mekaar_api::SupportState;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Headers, Request, RequestCache, RequestCredentials, RequestInit, RequestMode};

    fn field(obj: &JsValue, name: &str) -> JsValue {
        if obj.is_object() {
            Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    }

    /// A non-negative integer that a JS number holds exactly.
    fn count(obj: &JsValue, name: &str) -> Option<u64> {
        let n = field(obj, name).as_f64()?;
        ((0.0..=9_007_199_254_740_991.0).contains(&n) && n.fract() == 0.0).then_some(n as u64)
    }

    /// Reading an answer body; `None` when it does not have the expected shape.
    pub trait Decode: Sized {
        fn decode(value: &JsValue) -> Option<Self>;
    }

    impl Decode for InitiativeSummary {
        fn decode(v: &JsValue) -> Option<Self> {
            Some(InitiativeSummary {
                title: field(v, fields::TITLE).as_string()?,
                support_count: count(v, fields::SUPPORT_COUNT)?,
                support_threshold: count(v, fields::SUPPORT_THRESHOLD)?,
            })
        }
    }

    impl Decode for SupportState {
        fn decode(v: &JsValue) -> Option<Self> {
            Some(SupportState {
                supported: field(v, fields::SUPPORTED).as_bool()?,
                support_count: count(v, fields::SUPPORT_COUNT)?,
            })
        }
    }

    /// One API call. `voter` adds the voter header (and so a CORS preflight).
    pub async fn request<T: Decode>(
        method: &str,
        url: &str,
        voter: Option<&str>,
    ) -> Result<T, Problem> {
        let init = RequestInit::new();
        init.set_method(method);
        init.set_mode(RequestMode::Cors);
        // Residents are never tracked: no cookies go out, none come back.
        init.set_credentials(RequestCredentials::Omit);
        init.set_cache(RequestCache::NoStore);
        if let Some(key) = voter {
            let headers = Headers::new().map_err(|_| Problem::Generic)?;
            headers
                .set(mekaar_api::VOTER_HEADER, key)
                .map_err(|_| Problem::Generic)?;
            init.set_headers(&headers);
        }
        let request = Request::new_with_str_and_init(url, &init).map_err(|_| Problem::Generic)?;
        let window = web_sys::window().ok_or(Problem::Generic)?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| Problem::Unreachable)?
            .unchecked_into();
        let body = match response.json() {
            Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::UNDEFINED),
            Err(_) => JsValue::UNDEFINED,
        };
        if response.ok() {
            T::decode(&body).ok_or(Problem::Generic)
        } else {
            let code = field(&field(&body, fields::ERROR), fields::CODE).as_string();
            Err(match code {
                Some(code) => Problem::from_code(&code),
                None => Problem::from_status(response.status()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            initiative_url("http://127.0.0.1:8080/", "baarlo", "01HX"),
            "http://127.0.0.1:8080/api/v1/communities/baarlo/initiatives/01HX"
        );
        assert_eq!(
            support_url("https://mekaar.example/sub/", "baarlo", "a b/c?"),
            "https://mekaar.example/sub/api/v1/communities/baarlo/initiatives/a%20b%2Fc%3F/support"
        );
        assert_eq!(encode_segment("é"), "%C3%A9");
    }

    #[test]
    fn codes_map_to_problems() {
        assert_eq!(
            Problem::from_code(codes::ORIGIN_NOT_ALLOWED),
            Problem::OriginNotAllowed
        );
        assert_eq!(
            Problem::from_code(codes::INITIATIVE_NOT_FOUND),
            Problem::InitiativeNotFound
        );
        assert_eq!(
            Problem::from_code(codes::COMMUNITY_NOT_FOUND),
            Problem::CommunityNotFound
        );
        assert_eq!(
            Problem::from_code(codes::INVALID_VOTER_KEY),
            Problem::InvalidVoterKey
        );
        assert_eq!(
            Problem::from_code(codes::STORAGE_UNAVAILABLE),
            Problem::StorageUnavailable
        );
        assert_eq!(Problem::from_code("no_such_code"), Problem::Generic);
        assert_eq!(Problem::from_code(codes::INTERNAL), Problem::Generic);
        assert_eq!(Problem::from_status(403), Problem::OriginNotAllowed);
        assert_eq!(Problem::from_status(500), Problem::Generic);
    }

    /// The field names read in the browser are the wire names of the shared API types.
    #[test]
    fn field_names_match_the_api_types() {
        use mekaar_api::{ErrorBody, ErrorDetail, InitiativePublic, SupportState};
        let initiative = serde_json::to_value(InitiativePublic {
            id: "i".into(),
            community: "c".into(),
            title: "t".into(),
            summary: String::new(),
            area: None,
            theme: None,
            support_count: 1,
            support_threshold: 2,
            created_at: 0,
        })
        .unwrap();
        assert_eq!(initiative[fields::TITLE], "t");
        assert_eq!(initiative[fields::SUPPORT_COUNT], 1);
        assert_eq!(initiative[fields::SUPPORT_THRESHOLD], 2);
        let state = serde_json::to_value(SupportState {
            supported: true,
            support_count: 3,
        })
        .unwrap();
        assert_eq!(state[fields::SUPPORTED], true);
        assert_eq!(state[fields::SUPPORT_COUNT], 3);
        let error = serde_json::to_value(ErrorBody {
            error: ErrorDetail {
                code: codes::ORIGIN_NOT_ALLOWED.into(),
                message: "m".into(),
            },
        })
        .unwrap();
        assert_eq!(
            error[fields::ERROR][fields::CODE],
            codes::ORIGIN_NOT_ALLOWED
        );
    }
}
