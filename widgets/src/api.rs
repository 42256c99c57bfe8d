//! The widgets' HTTP client: plain `fetch` without cookies; the browser parses the JSON
//! (`response.json()`), so no JSON parser of our own ends up in the wasm.

use crate::i18n::Key;
use mekaar_api::codes;
use mekaar_api::polls::codes as polls;

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
    RateLimited,
    SpamSuspected,
    InvalidField,
    ConsentRequired,
    InvalidManageToken,
    PollNotFound,
    PollNotOpen,
    AlreadyVoted,
    InvalidVoteCode,
    NetworkCap,
    ResultsHidden,
    InvalidPollState,
    RoundChanged,
    /// A missing or wrong admin token (`unauthorized`, `forbidden`).
    Unauthorized,
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
            codes::RATE_LIMITED => Problem::RateLimited,
            codes::SPAM_SUSPECTED => Problem::SpamSuspected,
            codes::INVALID_FIELD => Problem::InvalidField,
            codes::CONSENT_REQUIRED => Problem::ConsentRequired,
            codes::INVALID_MANAGE_TOKEN => Problem::InvalidManageToken,
            polls::POLL_NOT_FOUND => Problem::PollNotFound,
            polls::POLL_NOT_OPEN => Problem::PollNotOpen,
            polls::ALREADY_VOTED => Problem::AlreadyVoted,
            polls::INVALID_VOTE_CODE => Problem::InvalidVoteCode,
            polls::NETWORK_CAP => Problem::NetworkCap,
            polls::RESULTS_HIDDEN => Problem::ResultsHidden,
            polls::INVALID_POLL_STATE => Problem::InvalidPollState,
            polls::ROUND_CHANGED => Problem::RoundChanged,
            codes::UNAUTHORIZED | codes::FORBIDDEN => Problem::Unauthorized,
            _ => Problem::Generic,
        }
    }

    /// When the body had no readable error code.
    pub fn from_status(status: u16) -> Problem {
        match status {
            403 => Problem::OriginNotAllowed,
            429 => Problem::RateLimited,
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
            Problem::RateLimited => Key::ErrRateLimited,
            Problem::SpamSuspected => Key::ErrSpam,
            Problem::InvalidField => Key::ErrField,
            Problem::ConsentRequired => Key::ErrConsent,
            Problem::InvalidManageToken => Key::ErrManageToken,
            Problem::PollNotFound => Key::ErrPollNotFound,
            Problem::PollNotOpen => Key::ErrPollNotOpen,
            Problem::AlreadyVoted => Key::ErrAlreadyVoted,
            Problem::InvalidVoteCode => Key::ErrVoteCode,
            Problem::NetworkCap => Key::ErrNetworkCap,
            Problem::ResultsHidden => Key::HiddenWhenRevealed,
            Problem::InvalidPollState => Key::ErrPollState,
            Problem::RoundChanged => Key::ErrRoundChanged,
            Problem::Unauthorized => Key::ErrAdminToken,
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

/// `{base}api/v1/communities/{c}`; `base` is the loader's directory.
pub fn community_url(base: &str, community: &str) -> String {
    let mut url = String::from(base.trim_end_matches('/'));
    url.push_str(mekaar_api::API_PREFIX);
    url.push_str("/communities/");
    url.push_str(&encode_segment(community));
    url
}

/// `{base}api/v1/communities/{c}/initiatives/{id}`.
pub fn initiative_url(base: &str, community: &str, initiative: &str) -> String {
    let mut url = community_url(base, community);
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

/// The private manage page of an initiative on the Mekaar server: the token travels in the
/// fragment, which browsers never send to a server.
pub fn manage_link(base: &str, community: &str, initiative: &str, token: &str) -> String {
    let mut url = String::from(base);
    if !url.ends_with('/') {
        url.push('/');
    }
    url.push_str("manage/");
    url.push_str(&encode_segment(community));
    url.push('/');
    url.push_str(&encode_segment(initiative));
    url.push('#');
    url.push_str(token);
    url
}

/// The filters, order and page of the initiative list, as in its query string. Empty
/// strings are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub area: String,
    pub theme: String,
    pub status: String,
    pub q: String,
    pub sort: String,
    pub page: u64,
    pub limit: u64,
}

impl Query {
    /// `{community}/initiatives?…`
    pub fn url(&self, base: &str, community: &str) -> String {
        let mut url = community_url(base, community);
        url.push_str("/initiatives?page=");
        url.push_str(&self.page.max(1).to_string());
        url.push_str("&limit=");
        url.push_str(&self.limit.to_string());
        for (name, value) in [
            ("area", &self.area),
            ("theme", &self.theme),
            ("status", &self.status),
            ("q", &self.q),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                url.push('&');
                url.push_str(name);
                url.push('=');
                url.push_str(&encode_segment(value));
            }
        }
        url
    }
}

/// A failed call: why, and what the server added. `field` is the field an
/// `invalid_field` answer names; `wait` the seconds a `rate_limited` answer asks to wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub problem: Problem,
    pub field: Option<String>,
    pub wait: Option<u64>,
}

impl From<Problem> for Failure {
    fn from(problem: Problem) -> Failure {
        Failure {
            problem,
            field: None,
            wait: None,
        }
    }
}

/// What the widgets show of a community (`CommunityPublic`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Community {
    pub areas: Vec<String>,
    pub themes: Vec<String>,
    /// Whether new initiatives wait for a moderator.
    pub pre: bool,
}

/// An initiative as a card (`InitiativePublic`). Absent texts are empty, absent numbers 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub area: String,
    pub theme: String,
    pub status: mekaar_api::InitiativeStatus,
    pub initiator: String,
    pub support: u64,
    pub threshold: u64,
    /// When the support count first reached the threshold (seconds since the epoch).
    pub reached_at: Option<u64>,
    pub joins: u64,
    pub answered: bool,
    pub created: u64,
}

/// An initiative with its story, updates and answer (`InitiativeDetail`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detail {
    pub card: Card,
    pub story: String,
    /// `(text, posted_at)`.
    pub updates: Vec<(String, u64)>,
    /// `(text, answered_by, answered_at)`.
    pub answer: Option<(String, String, u64)>,
}

/// A page of the list (`InitiativeList`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<Card>,
    pub total: u64,
    pub limit: u64,
}

/// A joiner as the initiator sees them (`JoinDetail`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Joiner {
    pub name: String,
    pub contact: String,
    pub message: String,
    pub at: u64,
}

/// The wire field names this module reads. They are the serde names of the types in
/// [`mekaar_api`]; a native test checks them against those types.
pub mod fields {
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const SUMMARY: &str = "summary";
    pub const STORY: &str = "story";
    pub const AREA: &str = "area";
    pub const THEME: &str = "theme";
    pub const STATUS: &str = "status";
    pub const INITIATOR_NAME: &str = "initiator_name";
    pub const SUPPORT_COUNT: &str = "support_count";
    pub const SUPPORT_THRESHOLD: &str = "support_threshold";
    pub const THRESHOLD_REACHED_AT: &str = "threshold_reached_at";
    pub const JOIN_COUNT: &str = "join_count";
    pub const ANSWERED: &str = "answered";
    pub const CREATED_AT: &str = "created_at";
    pub const UPDATES: &str = "updates";
    pub const TEXT: &str = "text";
    pub const POSTED_AT: &str = "posted_at";
    pub const ANSWER: &str = "answer";
    pub const ANSWERED_BY: &str = "answered_by";
    pub const ANSWERED_AT: &str = "answered_at";
    pub const INITIATIVES: &str = "initiatives";
    pub const TOTAL: &str = "total";
    pub const LIMIT: &str = "limit";
    pub const AREAS: &str = "areas";
    pub const THEMES: &str = "themes";
    pub const MODERATION: &str = "moderation";
    pub const INITIATIVE: &str = "initiative";
    pub const MANAGE_TOKEN: &str = "manage_token";
    pub const JOINS: &str = "joins";
    pub const NAME: &str = "name";
    pub const CONTACT: &str = "contact";
    pub const MESSAGE: &str = "message";
    pub const JOINED_AT: &str = "joined_at";
    pub const JOINED: &str = "joined";
    pub const SUPPORTED: &str = "supported";
    pub const ERROR: &str = "error";
    pub const CODE: &str = "code";
}

// Answers are read field by field from the parsed JS object (`response.json()`), not
// through serde: serde's error paths (f64 formatting and friends) cost ~5 KB of brotli'd
// wasm, a sixteenth of the whole bundle's budget. Reading is lenient: a missing text is
// empty, a missing number 0.
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `obj[name]`, or `undefined`.
pub fn get(obj: &JsValue, name: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// A string field; empty when absent or not a string.
pub fn text(obj: &JsValue, name: &str) -> String {
    get(obj, name).as_string().unwrap_or_default()
}

/// A non-negative integer that a JS number holds exactly.
fn count(obj: &JsValue, name: &str) -> Option<u64> {
    let n = get(obj, name).as_f64()?;
    ((0.0..=9_007_199_254_740_991.0).contains(&n) && n.fract() == 0.0).then_some(n as u64)
}

/// A count field; 0 when absent or not a count.
pub fn num(obj: &JsValue, name: &str) -> u64 {
    count(obj, name).unwrap_or(0)
}

/// A boolean field; false when absent.
pub fn flag(obj: &JsValue, name: &str) -> bool {
    get(obj, name).as_bool().unwrap_or(false)
}

/// An array field; empty when absent.
pub fn items(obj: &JsValue, name: &str) -> Vec<JsValue> {
    let v = get(obj, name);
    if Array::is_array(&v) {
        v.unchecked_into::<Array>().iter().collect()
    } else {
        Vec::new()
    }
}

fn strings(obj: &JsValue, name: &str) -> Vec<String> {
    items(obj, name)
        .iter()
        .filter_map(JsValue::as_string)
        .collect()
}

impl Community {
    pub fn from_js(v: &JsValue) -> Community {
        Community {
            areas: strings(v, fields::AREAS),
            themes: strings(v, fields::THEMES),
            pre: text(v, fields::MODERATION) == "pre",
        }
    }
}

impl Card {
    pub fn from_js(v: &JsValue) -> Card {
        Card {
            id: text(v, fields::ID),
            title: text(v, fields::TITLE),
            summary: text(v, fields::SUMMARY),
            area: text(v, fields::AREA),
            theme: text(v, fields::THEME),
            status: mekaar_api::InitiativeStatus::parse(&text(v, fields::STATUS))
                .unwrap_or_default(),
            initiator: text(v, fields::INITIATOR_NAME),
            support: num(v, fields::SUPPORT_COUNT),
            threshold: num(v, fields::SUPPORT_THRESHOLD),
            reached_at: count(v, fields::THRESHOLD_REACHED_AT),
            joins: num(v, fields::JOIN_COUNT),
            answered: flag(v, fields::ANSWERED),
            created: num(v, fields::CREATED_AT),
        }
    }
}

impl Detail {
    pub fn from_js(v: &JsValue) -> Detail {
        let answer = get(v, fields::ANSWER);
        Detail {
            card: Card::from_js(v),
            story: text(v, fields::STORY),
            updates: items(v, fields::UPDATES)
                .iter()
                .map(|u| (text(u, fields::TEXT), num(u, fields::POSTED_AT)))
                .collect(),
            answer: answer.is_object().then(|| {
                (
                    text(&answer, fields::TEXT),
                    text(&answer, fields::ANSWERED_BY),
                    num(&answer, fields::ANSWERED_AT),
                )
            }),
        }
    }
}

impl Page {
    pub fn from_js(v: &JsValue) -> Page {
        Page {
            items: items(v, fields::INITIATIVES)
                .iter()
                .map(Card::from_js)
                .collect(),
            total: num(v, fields::TOTAL),
            limit: num(v, fields::LIMIT),
        }
    }
}

impl Joiner {
    pub fn from_js(v: &JsValue) -> Joiner {
        Joiner {
            name: text(v, fields::NAME),
            contact: text(v, fields::CONTACT),
            message: text(v, fields::MESSAGE),
            at: num(v, fields::JOINED_AT),
        }
    }
}

/// A JSON request body from `(field, value)` pairs; `JSON.stringify` does the escaping.
pub fn json(pairs: &[(&str, JsValue)]) -> String {
    let obj = js_sys::Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&obj, &JsValue::from_str(name), value);
    }
    js_sys::JSON::stringify(&obj)
        .map(String::from)
        .unwrap_or_default()
}

/// A text for a JSON body: `null` when empty (for optional choices like `area`).
pub fn or_null(s: &str) -> JsValue {
    if s.is_empty() {
        JsValue::NULL
    } else {
        JsValue::from_str(s)
    }
}

/// Reading an answer body; `None` when it does not have the expected shape.
pub trait Decode: Sized {
    fn decode(value: &JsValue) -> Option<Self>;
}

impl Decode for mekaar_api::SupportState {
    fn decode(v: &JsValue) -> Option<Self> {
        Some(mekaar_api::SupportState {
            supported: get(v, fields::SUPPORTED).as_bool()?,
            support_count: count(v, fields::SUPPORT_COUNT)?,
        })
    }
}

/// One API call whose answer is decoded into `T`, a [`mekaar_api`] type: the browser parses
/// the JSON (`Response.json()`), serde-wasm-bindgen reads the parsed object, so the widget
/// keeps no copy of the wire types and no JSON parser.
#[cfg(target_arch = "wasm32")]
pub async fn fetch<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    header: Option<(&str, &str)>,
    body: Option<String>,
) -> Result<T, Failure> {
    decode(call(method, url, header, body).await?)
}

/// Reads a parsed JSON value as `T`; a value of another shape is a [`Problem::Generic`].
pub fn decode<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, Failure> {
    serde_wasm_bindgen::from_value(value).map_err(|_| Problem::Generic.into())
}

/// A JSON request body from a [`mekaar_api`] type (serde-wasm-bindgen, then
/// `JSON.stringify`; absent optional fields are left out).
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_wasm_bindgen::to_value(value)
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .map(String::from)
        .unwrap_or_default()
}

/// One API call, answered with the parsed JSON body. `header` is the voter or manage
/// header (and so a CORS preflight); `body` is JSON.
#[cfg(target_arch = "wasm32")]
pub async fn call(
    method: &str,
    url: &str,
    header: Option<(&str, &str)>,
    body: Option<String>,
) -> Result<JsValue, Failure> {
    let response = send(method, url, header.as_slice(), body).await?;
    let body = read_json(&response).await;
    if response.ok() {
        return Ok(body);
    }
    Err(failure(&response, &body))
}

/// Sends one request with `headers`; the response whatever its status, or `Unreachable`.
#[cfg(target_arch = "wasm32")]
pub async fn send(
    method: &str,
    url: &str,
    header: &[(&str, &str)],
    body: Option<String>,
) -> Result<web_sys::Response, Failure> {
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Headers, Request, RequestCache, RequestCredentials, RequestInit, RequestMode};

    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    // Residents are never tracked: no cookies go out, none come back.
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    let headers = Headers::new().map_err(|_| Problem::Generic)?;
    for (name, value) in header {
        headers.set(name, value).map_err(|_| Problem::Generic)?;
    }
    if let Some(body) = body {
        headers
            .set("content-type", "application/json")
            .map_err(|_| Problem::Generic)?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| Problem::Generic)?;
    let window = web_sys::window().ok_or(Problem::Generic)?;
    Ok(JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| Problem::Unreachable)?
        .unchecked_into())
}

/// The parsed JSON body of a response (`undefined` when it is not JSON).
#[cfg(target_arch = "wasm32")]
pub async fn read_json(response: &web_sys::Response) -> JsValue {
    match response.json() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .unwrap_or(JsValue::UNDEFINED),
        Err(_) => JsValue::UNDEFINED,
    }
}

/// What a failed response says: its error code (else its status), and what its message
/// adds.
#[cfg(target_arch = "wasm32")]
pub fn failure(response: &web_sys::Response, body: &JsValue) -> Failure {
    let error = get(body, fields::ERROR);
    let code = get(&error, fields::CODE).as_string();
    let message = text(&error, fields::MESSAGE);
    Failure {
        problem: match code {
            Some(code) => Problem::from_code(&code),
            None => Problem::from_status(response.status()),
        },
        field: crate::text::field_in_message(&message).map(String::from),
        // `Retry-After` when the page may read it, else the minutes in the message.
        wait: response
            .headers()
            .get("retry-after")
            .ok()
            .flatten()
            .and_then(|s| s.trim().parse().ok())
            .or_else(|| crate::text::first_number(&message).map(|m| m * 60)),
    }
}

/// Off the browser (native unit tests) there is no fetch.
#[cfg(not(target_arch = "wasm32"))]
pub async fn call(
    _method: &str,
    _url: &str,
    _header: Option<(&str, &str)>,
    _body: Option<String>,
) -> Result<JsValue, Failure> {
    Err(Problem::Unreachable.into())
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
        use mekaar_api::*;
        let card = InitiativePublic {
            id: "i".into(),
            community: "c".into(),
            title: "t".into(),
            summary: "s".into(),
            area: Some("a".into()),
            theme: Some("th".into()),
            status: InitiativeStatus::InProgress,
            initiator_name: "n".into(),
            support_count: 1,
            support_threshold: 2,
            threshold_reached_at: Some(3),
            join_count: 4,
            answered: true,
            created_at: 5,
            updated_at: 6,
        };
        let detail = InitiativeDetail {
            card,
            story: "st".into(),
            updates: vec![InitiativeUpdate {
                text: "u".into(),
                posted_at: 7,
            }],
            answer: Some(OfficialAnswer {
                text: "an".into(),
                answered_by: "by".into(),
                answered_at: 8,
            }),
        };
        let v = serde_json::to_value(&detail).unwrap();
        assert_eq!(v[fields::ID], "i");
        assert_eq!(v[fields::TITLE], "t");
        assert_eq!(v[fields::SUMMARY], "s");
        assert_eq!(v[fields::AREA], "a");
        assert_eq!(v[fields::THEME], "th");
        assert_eq!(v[fields::STATUS], "in_progress");
        assert_eq!(v[fields::INITIATOR_NAME], "n");
        assert_eq!(v[fields::SUPPORT_COUNT], 1);
        assert_eq!(v[fields::SUPPORT_THRESHOLD], 2);
        assert_eq!(v[fields::THRESHOLD_REACHED_AT], 3);
        assert_eq!(v[fields::JOIN_COUNT], 4);
        assert_eq!(v[fields::ANSWERED], true);
        assert_eq!(v[fields::CREATED_AT], 5);
        assert_eq!(v[fields::STORY], "st");
        assert_eq!(v[fields::UPDATES][0][fields::TEXT], "u");
        assert_eq!(v[fields::UPDATES][0][fields::POSTED_AT], 7);
        assert_eq!(v[fields::ANSWER][fields::TEXT], "an");
        assert_eq!(v[fields::ANSWER][fields::ANSWERED_BY], "by");
        assert_eq!(v[fields::ANSWER][fields::ANSWERED_AT], 8);

        let list = serde_json::to_value(InitiativeList {
            initiatives: vec![detail.card.clone()],
            total: 9,
            page: 1,
            limit: 10,
        })
        .unwrap();
        assert_eq!(list[fields::INITIATIVES][0][fields::ID], "i");
        assert_eq!(list[fields::TOTAL], 9);
        assert_eq!(list[fields::LIMIT], 10);

        let community = serde_json::to_value(CommunityPublic {
            slug: "c".into(),
            name: "C".into(),
            languages: vec![],
            areas: vec!["a".into()],
            themes: vec!["t".into()],
            support_threshold: 50,
            moderation: ModerationPolicy::Pre,
        })
        .unwrap();
        assert_eq!(community[fields::AREAS][0], "a");
        assert_eq!(community[fields::THEMES][0], "t");
        assert_eq!(community[fields::MODERATION], "pre");

        let submitted = serde_json::to_value(InitiativeSubmitted {
            initiative: detail.clone(),
            moderation: ModerationState::Pending,
            manage_token: "tok".into(),
        })
        .unwrap();
        assert_eq!(submitted[fields::INITIATIVE][fields::ID], "i");
        assert_eq!(submitted[fields::MODERATION], "pending");
        assert_eq!(submitted[fields::MANAGE_TOKEN], "tok");

        let manage = serde_json::to_value(ManageView {
            initiative: detail,
            moderation: ModerationState::Published,
            contact_email: None,
            joins: vec![JoinDetail {
                name: "n".into(),
                contact: "c".into(),
                message: "m".into(),
                joined_at: 1,
            }],
        })
        .unwrap();
        assert_eq!(manage[fields::INITIATIVE][fields::ID], "i");
        assert_eq!(manage[fields::MODERATION], "published");
        let join = &manage[fields::JOINS][0];
        assert_eq!(join[fields::NAME], "n");
        assert_eq!(join[fields::CONTACT], "c");
        assert_eq!(join[fields::MESSAGE], "m");
        assert_eq!(join[fields::JOINED_AT], 1);

        let state = serde_json::to_value(JoinState {
            joined: true,
            join_count: 3,
        })
        .unwrap();
        assert_eq!(state[fields::JOINED], true);
        assert_eq!(state[fields::JOIN_COUNT], 3);
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
        assert_eq!(error[fields::ERROR][fields::MESSAGE], "m");
    }

    #[test]
    fn list_urls() {
        let q = Query {
            area: "Kloosterbuurt".into(),
            q: "aed & co".into(),
            sort: "support".into(),
            page: 2,
            limit: 10,
            ..Query::default()
        };
        assert_eq!(
            q.url("http://m.example/", "demodorp"),
            "http://m.example/api/v1/communities/demodorp/initiatives?page=2&limit=10&area=Kloosterbuurt&q=aed%20%26%20co&sort=support"
        );
        assert_eq!(
            manage_link("https://m.example/", "demodorp", "aed", "t0k"),
            "https://m.example/manage/demodorp/aed#t0k"
        );
    }
}
