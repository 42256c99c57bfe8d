//! The widgets' HTTP client: plain `fetch` without cookies; the browser parses the JSON
//! (`response.json()`), so no JSON parser of our own ends up in the wasm.

use crate::i18n::Key;
use mekaar_api::ErrorCode;

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
    /// A write from a preview widget (`data-preview`): not sent.
    Preview,
    /// A photo the server could not use (not an image, too large, wrong type).
    Photo,
    /// The dialogue's refusals (`mekaar_api::discussions::codes`).
    ThreadNotFound,
    TopicNotFound,
    ThreadClosed,
    ReactionNotFound,
    EditWindowOver,
    NotYourReaction,
    DuplicateReaction,
    InvalidReply,
    /// Meetings and steps (issue 16); the meetings family words these itself.
    MeetingNotFound,
    MeetingInPast,
    MeetingEndBeforeStart,
    MeetingFull,
    MeetingClosed,
    StepNotFound,
    StepLocked,
    Generic,
}

impl Problem {
    /// From an API error code: every code is placed, those a resident cannot
    /// act on (and codes of a newer server) as [`Problem::Generic`].
    pub fn from_code(code: ErrorCode) -> Problem {
        use ErrorCode as C;
        match code {
            C::OriginNotAllowed => Problem::OriginNotAllowed,
            C::CommunityNotFound => Problem::CommunityNotFound,
            C::InitiativeNotFound => Problem::InitiativeNotFound,
            C::InvalidVoterKey => Problem::InvalidVoterKey,
            C::StorageUnavailable => Problem::StorageUnavailable,
            C::RateLimited | C::TooManyLinkRequests | C::TooManyConnections => Problem::RateLimited,
            C::InvalidField | C::InvalidEmail => Problem::InvalidField,
            C::SpamSuspected => Problem::SpamSuspected,
            C::ConsentRequired => Problem::ConsentRequired,
            C::InvalidManageToken => Problem::InvalidManageToken,
            C::PollNotFound => Problem::PollNotFound,
            C::PollNotOpen => Problem::PollNotOpen,
            C::AlreadyVoted => Problem::AlreadyVoted,
            C::InvalidVoteCode => Problem::InvalidVoteCode,
            C::NetworkCap => Problem::NetworkCap,
            C::ResultsHidden => Problem::ResultsHidden,
            C::InvalidPollState => Problem::InvalidPollState,
            C::RoundChanged => Problem::RoundChanged,
            C::Unauthorized | C::Forbidden => Problem::Unauthorized,
            C::PhotoInvalid | C::PhotoType | C::PhotoTooLarge | C::BodyTooLarge => Problem::Photo,
            C::ThreadNotFound => Problem::ThreadNotFound,
            C::TopicNotFound => Problem::TopicNotFound,
            C::ThreadClosed => Problem::ThreadClosed,
            C::ReactionNotFound => Problem::ReactionNotFound,
            C::EditWindowOver => Problem::EditWindowOver,
            C::NotYourReaction => Problem::NotYourReaction,
            C::DuplicateReaction => Problem::DuplicateReaction,
            C::InvalidReply => Problem::InvalidReply,
            C::MeetingNotFound => Problem::MeetingNotFound,
            C::MeetingInPast => Problem::MeetingInPast,
            C::MeetingEndBeforeStart => Problem::MeetingEndBeforeStart,
            C::MeetingFull => Problem::MeetingFull,
            C::MeetingClosed => Problem::MeetingClosed,
            C::StepNotFound => Problem::StepNotFound,
            C::StepLocked => Problem::StepLocked,
            // The widgets do not send what these refuse (admin calls, malformed
            // requests, moderation), or there is nothing a resident can do.
            C::RouteNotFound
            | C::MethodNotAllowed
            | C::CommunityExists
            | C::WebhookNotFound
            | C::MalformedJson
            | C::LengthRequired
            | C::RequestTimeout
            | C::BodyIncomplete
            | C::UriTooLong
            | C::HeadersTooLarge
            | C::MalformedRequest
            | C::HttpVersionNotSupported
            | C::ServerBusy
            | C::UnsupportedMediaType
            | C::CommunityTokenRequired
            | C::CsrfFailed
            | C::LastAdminToken
            | C::TokenNotFound
            | C::JoinerNotFound
            | C::PhotoNotFound
            | C::Internal
            | C::SmtpNotConfigured
            | C::MailTokenNotFound
            | C::PollHasVotes
            | C::InvalidReactionState
            | C::Unknown => Problem::Generic,
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
            Problem::Preview => Key::ErrPreview,
            Problem::Photo => Key::ErrPhoto,
            // The discussion widget words these itself (its own table).
            _ => Key::ErrGeneric,
        }
    }

    /// The key of the message in a widget showing `subject`: a refused website is told
    /// what it may not show (the list, an initiative, a poll).
    pub fn key_for(self, subject: Subject) -> Key {
        match (self, subject) {
            (Problem::OriginNotAllowed, Subject::Initiatives) => Key::ErrOriginNotAllowedList,
            (Problem::OriginNotAllowed, Subject::Poll) => Key::ErrOriginNotAllowedPoll,
            _ => self.key(),
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

/// What a widget shows, for messages worded to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// One initiative: the support button, a card, a detail, the manage page.
    Initiative,
    /// A community's list of initiatives.
    Initiatives,
    Poll,
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

use wasm_bindgen::JsValue;

/// One API call whose answer is read into `T`, a [`mekaar_api`] type: the browser parses
/// the JSON (`Response.json()`), [`crate::wire`] walks the parsed object, so the widget
/// keeps no copy of the wire types and no JSON parser.
#[cfg(target_arch = "wasm32")]
pub async fn fetch<T: crate::wire::Wire>(
    method: &str,
    url: &str,
    header: Option<(&str, &str)>,
    body: Option<String>,
) -> Result<T, Failure> {
    decode(call(method, url, header, body).await?)
}

/// Reads a parsed JSON value as `T`; a value of another shape is a [`Problem::Generic`].
#[cfg(target_arch = "wasm32")]
pub fn decode<T: crate::wire::Wire>(value: JsValue) -> Result<T, Failure> {
    T::read(&value).ok_or_else(|| Problem::Generic.into())
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

/// Where an initiative's detail is for a resident: `#mekaar-i={id}` on the community's
/// initiatives page when it has one (`page`), else on the server's own page of the list
/// (`{base}embed/initiatives?community={c}`), or its short link (a server path `/i/{code}`).
pub fn detail_link(base: &str, community: &str, id: &str, page: Option<&str>) -> String {
    if let Some(path) = page.filter(|p| p.starts_with('/')) {
        return [base.trim_end_matches('/'), path].concat();
    }
    let mut link = match page {
        Some(page) => page.to_owned(),
        None => {
            let mut own = String::from(base);
            own.push_str("embed/initiatives?community=");
            own.push_str(&encode_segment(community));
            own
        }
    };
    link.push_str("#mekaar-i=");
    link.push_str(&encode_segment(id));
    link
}

/// `…/communities/{c}` of an API URL below it.
pub fn community_of(url: &str) -> Option<&str> {
    let start = url.find("/communities/")? + "/communities/".len();
    let end = url[start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| start + i);
    Some(&url[..end])
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
    let body = body.map(|json| (JsValue::from_str(&json), "application/json".to_owned()));
    call_with(method, url, header.as_slice(), body).await
}

/// [`fetch`] with more than one header (a reaction by the initiator: the voter key and
/// the manage token).
#[cfg(target_arch = "wasm32")]
pub async fn fetch_with<T: crate::wire::Wire>(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> Result<T, Failure> {
    let body = body.map(|json| (JsValue::from_str(&json), "application/json".to_owned()));
    decode(call_with(method, url, headers, body).await?)
}

/// `PUT` of `file` as it is (its own content type) to `url`, answered like [`call`].
#[cfg(target_arch = "wasm32")]
pub async fn upload(
    url: &str,
    header: Option<(&str, &str)>,
    file: web_sys::File,
) -> Result<JsValue, Failure> {
    let content_type = file.type_();
    call_with(
        "PUT",
        url,
        header.as_slice(),
        Some((file.into(), content_type)),
    )
    .await
}

/// [`call`] with any body: `(the body, its content type)`.
#[cfg(target_arch = "wasm32")]
async fn call_with(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(JsValue, String)>,
) -> Result<JsValue, Failure> {
    let response = match send(method, url, headers, body).await {
        Ok(response) => response,
        // A request with our header needs a preflight, which the server refuses for a
        // site the community has not allowed: the browser then says nothing but "failed".
        // Ask the community itself, without a header (readable even when refused), so
        // the widget can say what is really wrong.
        Err(f) if f.problem == Problem::Unreachable && !headers.is_empty() => {
            return Err(match community_of(url) {
                Some(probe) => match send("GET", probe, &[], None).await {
                    Ok(answer) if !answer.ok() => failure(&answer, &read_json(&answer).await),
                    _ => f,
                },
                None => f,
            });
        }
        Err(f) => return Err(f),
    };
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
    body: Option<(JsValue, String)>,
) -> Result<web_sys::Response, Failure> {
    use wasm_bindgen::JsCast;
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
    if let Some((body, content_type)) = body {
        headers
            .set("content-type", &content_type)
            .map_err(|_| Problem::Generic)?;
        init.set_body(&body);
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
    use crate::wire::Wire;
    let error = mekaar_api::ErrorBody::read(body).map(|b| b.error);
    let message = error
        .as_ref()
        .map(|e| e.message.as_str())
        .unwrap_or_default();
    Failure {
        problem: match &error {
            Some(e) => Problem::from_code(e.code),
            None => Problem::from_status(response.status()),
        },
        field: crate::text::field_in_message(message).map(String::from),
        // `Retry-After` when the page may read it, else the minutes in the message.
        wait: response
            .headers()
            .get("retry-after")
            .ok()
            .flatten()
            .and_then(|s| s.trim().parse().ok())
            .or_else(|| crate::text::first_number(message).map(|m| m * 60)),
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
    fn an_initiatives_detail_is_on_the_communitys_page_or_the_servers() {
        assert_eq!(
            detail_link(
                "https://m.example/",
                "dorp",
                "a1",
                Some("https://www.dorp.nl/initiatieven")
            ),
            "https://www.dorp.nl/initiatieven#mekaar-i=a1"
        );
        assert_eq!(
            detail_link("https://m.example/", "dorp", "a1", None),
            "https://m.example/embed/initiatives?community=dorp#mekaar-i=a1"
        );
        assert_eq!(
            detail_link("https://m.example/", "dorp", "a1", Some("/i/K7QX2M")),
            "https://m.example/i/K7QX2M"
        );
    }

    #[test]
    fn the_community_of_an_api_url() {
        assert_eq!(
            community_of("https://m.example/api/v1/communities/dorp/polls/p1?x=1"),
            Some("https://m.example/api/v1/communities/dorp")
        );
        assert_eq!(
            community_of("https://m.example/api/v1/communities/dorp"),
            Some("https://m.example/api/v1/communities/dorp")
        );
        assert_eq!(
            community_of("https://m.example/api/v1/polls/join/K7Q2"),
            None
        );
    }

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
            Problem::from_code(ErrorCode::OriginNotAllowed),
            Problem::OriginNotAllowed
        );
        assert_eq!(
            Problem::from_code(ErrorCode::InitiativeNotFound),
            Problem::InitiativeNotFound
        );
        assert_eq!(
            Problem::from_code(ErrorCode::CommunityNotFound),
            Problem::CommunityNotFound
        );
        assert_eq!(
            Problem::from_code(ErrorCode::InvalidVoterKey),
            Problem::InvalidVoterKey
        );
        assert_eq!(
            Problem::from_code(ErrorCode::StorageUnavailable),
            Problem::StorageUnavailable
        );
        assert_eq!(
            Problem::from_code(ErrorCode::parse("no_such_code")),
            Problem::Generic
        );
        assert_eq!(
            Problem::from_code(ErrorCode::EditWindowOver),
            Problem::EditWindowOver
        );
        assert_eq!(Problem::from_code(ErrorCode::Internal), Problem::Generic);
        assert_eq!(Problem::from_status(403), Problem::OriginNotAllowed);
        assert_eq!(Problem::from_status(500), Problem::Generic);
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
