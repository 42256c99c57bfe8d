//! The console's HTTP client: `fetch` to the server's own origin with the session cookie,
//! the `Mekaar-CSRF` header on every unsafe method, JSON bodies, and one error type.
//!
//! Answers are parsed by the browser (`Response.json()`) and turned into Rust types with
//! serde-wasm-bindgen, so no JSON parser of our own ends up in the wasm. Request bodies go
//! the other way (serde-wasm-bindgen, then `JSON.stringify`).
//!
//! ```ignore
//! use crate::api;
//! let path = api::admin_path(&session.community, "/initiatives?queue=pending");
//! let list: mekaar_api::InitiativeAdminList = api::get(&path).await?;
//! let after: mekaar_api::InitiativeAdmin = api::post(&moderation_path, &request).await?;
//! api::delete(&api::admin_path(&c, &format!("/webhooks/{}", api::encode_segment(&id)))).await?;
//! ```
//!
//! A 401 from an admin route (the session expired or was ended elsewhere) also calls the
//! handler set with [`on_session_lost`], which takes the console back to the sign-in
//! screen; callers only need to show their error.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, RequestMode, Response};

use mekaar_api::discussions;
use mekaar_api::polls;
use mekaar_api::{ErrorCode, RETENTION_DAYS_MAX, RETENTION_DAYS_MIN};

use crate::i18n::{fill, Key, Lang};

/// The header that carries the session's CSRF token on unsafe methods.
pub const CSRF_HEADER: &str = "Mekaar-CSRF";

thread_local! {
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
    static SESSION_LOST: RefCell<Option<yew::Callback<()>>> = const { RefCell::new(None) };
}

/// Sets (or clears) the CSRF token sent with unsafe methods. The session module calls
/// this on sign-in and sign-out; screens never need to.
pub fn set_csrf(token: Option<String>) {
    CSRF.with(|c| *c.borrow_mut() = token);
}

/// What to do when an admin route answers 401 (the app goes back to sign-in).
pub fn on_session_lost(callback: Option<yew::Callback<()>>) {
    SESSION_LOST.with(|c| *c.borrow_mut() = callback);
}

/// A failed call: the HTTP status (0 when there was no answer), the API's error code and
/// message, and what the server added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    /// The API's error code (`mekaar_api::ErrorCode::as_str`), or the console's own (`"unreachable"`, …).
    pub code: String,
    /// The server's sentence for developers (English).
    pub message: String,
    /// For `invalid_field`: the field the server named (`Field \`name\`: …`).
    pub field: Option<String>,
    /// For `rate_limited`: the seconds from `Retry-After`.
    pub retry_after: Option<u64>,
}

/// The code of an [`ApiError`] when the request got no answer at all.
pub const UNREACHABLE: &str = "unreachable";

/// The code of a check the console makes itself before sending: no photo was chosen.
pub const PHOTO_MISSING: &str = "photo_missing";

impl ApiError {
    /// An error the console finds itself, before asking the server.
    pub fn local(code: &str) -> ApiError {
        ApiError {
            status: 0,
            code: code.into(),
            message: String::new(),
            field: None,
            retry_after: None,
        }
    }

    fn unreachable() -> ApiError {
        ApiError {
            status: 0,
            code: UNREACHABLE.into(),
            message: String::new(),
            field: None,
            retry_after: None,
        }
    }

    /// Whether this is the error with API code `code`.
    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == code.as_str()
    }

    /// Whether this is the console's own error `code` (see [`ApiError::local`]).
    pub fn is_local(&self, code: &str) -> bool {
        self.code == code
    }

    /// The translation key of the message for this error: the console's own
    /// codes first, then every API code.
    pub fn key(&self) -> Key {
        match self.code.as_str() {
            UNREACHABLE => Key::ErrUnreachable,
            PHOTO_MISSING => Key::ModerationPhotoChooseFile,
            crate::screens::steps::NOT_A_NUMBER => Key::ErrNotANumber,
            crate::screens::reactions::EMPTY_REPLY => Key::ErrEmptyReply,
            crate::screens::topics::EMPTY_TITLE => Key::ErrEmptyTitle,
            crate::screens::topics::BAD_TIME => Key::ErrBadTime,
            crate::screens::meetings::EMPTY_TITLE => Key::ErrMeetingTitle,
            crate::screens::meetings::BAD_TIME => Key::ErrMeetingTime,
            code => self.api_key(ErrorCode::parse(code)),
        }
    }

    /// The key for an API error code; those the console cannot meet (and codes
    /// of a newer server) get the general message, which names the code.
    fn api_key(&self, code: ErrorCode) -> Key {
        use ErrorCode as C;
        match code {
            C::Unauthorized => Key::ErrUnauthorized,
            C::Forbidden => Key::ErrForbidden,
            C::RateLimited | C::TooManyConnections => Key::ErrRateLimited,
            C::InvalidField => self
                .field
                .as_deref()
                .map_or(Key::ErrInvalidField, field_rule),
            C::MalformedJson | C::InvalidEmail => Key::ErrInvalidField,
            C::BodyTooLarge => Key::ErrTooLarge,
            C::PollHasVotes => Key::ErrPollHasVotes,
            C::RoundChanged => Key::ErrRoundChanged,
            C::InvalidPollState => Key::ErrPollState,
            C::InvalidReactionState => Key::ErrReactionState,
            C::StorageUnavailable | C::ServerBusy => Key::ErrStorage,
            C::CsrfFailed => Key::ErrCsrf,
            C::LastAdminToken => Key::ErrLastAdminToken,
            C::PhotoInvalid => Key::ErrPhotoInvalid,
            C::PhotoType => Key::ErrPhotoType,
            C::PhotoTooLarge => Key::ErrPhotoTooLarge,
            C::ThreadClosed => Key::ErrThreadClosed,
            C::StepLocked => Key::ErrStepLocked,
            C::InvalidReply => Key::ErrInvalidReply,
            C::DuplicateReaction => Key::ErrDuplicateReaction,
            C::MeetingInPast => Key::ErrMeetingInPast,
            C::MeetingEndBeforeStart => Key::ErrMeetingEndBeforeStart,
            C::RouteNotFound
            | C::CommunityNotFound
            | C::InitiativeNotFound
            | C::WebhookNotFound
            | C::TokenNotFound
            | C::JoinerNotFound
            | C::PhotoNotFound
            | C::MeetingNotFound
            | C::StepNotFound
            | C::MailTokenNotFound
            | C::ThreadNotFound
            | C::ReactionNotFound
            | C::TopicNotFound
            | C::PollNotFound => Key::ErrNotFound,
            C::MethodNotAllowed
            | C::CommunityExists
            | C::OriginNotAllowed
            | C::ConsentRequired
            | C::InvalidManageToken
            | C::SpamSuspected
            | C::InvalidVoterKey
            | C::LengthRequired
            | C::RequestTimeout
            | C::BodyIncomplete
            | C::UriTooLong
            | C::HeadersTooLarge
            | C::MalformedRequest
            | C::HttpVersionNotSupported
            | C::UnsupportedMediaType
            | C::CommunityTokenRequired
            | C::Internal
            | C::MeetingFull
            | C::MeetingClosed
            | C::SmtpNotConfigured
            | C::TooManyLinkRequests
            | C::EditWindowOver
            | C::NotYourReaction
            | C::PollNotOpen
            | C::AlreadyVoted
            | C::NetworkCap
            | C::InvalidVoteCode
            | C::ResultsHidden
            | C::Unknown => Key::ErrGeneric,
        }
    }

    /// One translated sentence for people. For `invalid_field` it names the refused field
    /// and says what it must hold (the server's own explanation is English; it stays in
    /// `message`).
    pub fn text(&self, lang: Lang) -> String {
        let rule = self.rule_text(lang);
        match self.field.as_deref().and_then(field_label) {
            Some(label) if self.is(ErrorCode::InvalidField) => {
                // "Vraag: vul dit in…": the rule goes on after the label, so no capital.
                let mut chars = rule.chars();
                let rule: String = chars
                    .next()
                    .map(|c| c.to_lowercase().chain(chars).collect())
                    .unwrap_or_default();
                fill(
                    Key::ErrFieldNamed.text(lang),
                    &[("label", label.text(lang)), ("rule", &rule)],
                )
            }
            _ => rule,
        }
    }

    /// As [`ApiError::text`], without the field's name: for a message next to the field.
    pub fn rule_text(&self, lang: Lang) -> String {
        let wait = self.retry_after.unwrap_or(60).to_string();
        let n = |v: usize| v.to_string();
        fill(
            self.key().text(lang),
            &[
                ("n", &wait),
                ("code", &self.code),
                ("min", &n(RETENTION_DAYS_MIN as usize)),
                ("max", &n(RETENTION_DAYS_MAX as usize)),
                ("fewest", &n(polls::limits::OPTIONS_MIN)),
                ("most", &n(polls::limits::OPTIONS_MAX)),
                ("chars", &n(polls::limits::OPTION)),
                ("batch", &n(polls::limits::CODES_PER_BATCH)),
                ("total", &polls::limits::CODES_PER_POLL.to_string()),
                ("words", &n(discussions::limits::HOLD_WORDS)),
                ("wordchars", &n(discussions::limits::HOLD_WORD)),
            ],
        )
    }
}

/// The console's label of a field the server names, by its wire name.
pub fn field_label(field: &str) -> Option<Key> {
    // A step of the list: `steps[2].title` (see `screens::steps`).
    if let Some((_, name)) = field
        .strip_prefix("steps[")
        .and_then(|r| r.split_once("]."))
    {
        return Some(match name {
            "title" => Key::StepsFieldTitle,
            "description" => Key::StepsFieldDescription,
            "link" => Key::StepsFieldLink,
            "unlock_supports" => Key::StepsFieldSupports,
            "unlock_status" => Key::StepsFieldStatus,
            _ => Key::StepsTitle,
        });
    }
    if field == "steps" {
        return Some(Key::StepsTitle);
    }
    if field == "reactions.reports_before_hide" {
        return Some(Key::SettingsReactionsReports);
    }
    // The reactions settings are named with or without their `reactions.` prefix.
    let field = field.strip_prefix("reactions.").unwrap_or(field);
    Some(match field {
        "hold_words" => Key::SettingsReactionsWords,
        "per_key_per_10_minutes" => Key::SettingsReactionsPerKey,
        "per_network_per_hour" => Key::SettingsReactionsPerNetwork,
        "intro" => Key::TopicsFieldIntro,
        "name" => Key::SettingsName,
        "languages" => Key::SettingsLanguages,
        "areas" => Key::SettingsAreas,
        "themes" => Key::SettingsThemes,
        "support_threshold" => Key::SettingsThreshold,
        "allowed_origins" => Key::SettingsOrigins,
        "reports_before_hide" => Key::SettingsReports,
        "retention_days" => Key::SettingsRetention,
        "initiatives_page" => Key::SettingsInitiativesPage,
        "label" => Key::SettingsTokenLabel,
        "url" => Key::SettingsWebhookUrl,
        "events" => Key::SettingsWebhookEvents,
        "title" => Key::ModerationFieldTitle,
        "summary" => Key::ModerationFieldSummary,
        "story" => Key::ModerationFieldStory,
        "text" => Key::ModerationAnswerText,
        "answered_by" => Key::ModerationAnswerBy,
        "question" => Key::PollsQuestion,
        "options" => Key::PollsOptions,
        "max_choices" => Key::PollsMax,
        "opens_at" => Key::PollsFactOpensAt,
        "closes_at" => Key::PollsFactClosesAt,
        "audience.max_keys_per_network" => Key::PollsNetworkCap,
        "count" => Key::PollsCodesCount,
        "alt" => Key::ModerationPhotoAltLabel,
        "place" => Key::MeetingsFieldPlace,
        "online_url" => Key::MeetingsFieldOnline,
        "capacity" => Key::MeetingsFieldCapacity,
        "starts_at" => Key::MeetingsFieldDate,
        "ends_at" => Key::MeetingsFieldEnd,
        _ => return None,
    })
}

/// What a field the server refused (`invalid_field`) must hold, by the field's wire name.
pub fn field_rule(field: &str) -> Key {
    if let Some((_, name)) = field
        .strip_prefix("steps[")
        .and_then(|r| r.split_once("]."))
    {
        return match name {
            "title" => Key::RuleOneLine,
            "description" => Key::RuleText,
            "link" => Key::RuleStepLink,
            "unlock_supports" => Key::RuleNumber,
            _ => Key::ErrInvalidField,
        };
    }
    if field == "steps" {
        return Key::RuleSteps;
    }
    let field = field.strip_prefix("reactions.").unwrap_or(field);
    match field {
        "intro" => Key::RuleText,
        "hold_words" => Key::RuleHoldWords,
        "per_key_per_10_minutes" | "per_network_per_hour" => Key::RuleNumber,
        "name" | "label" | "title" | "question" | "answered_by" | "initiator_name" | "alt" => {
            Key::RuleOneLine
        }
        "summary" | "story" | "text" | "reason" | "description" => Key::RuleText,
        "languages" => Key::RuleLanguages,
        "areas" | "themes" => Key::RuleLabels,
        "allowed_origins" => Key::RuleOrigins,
        "retention_days" => Key::RuleRetention,
        "url" => Key::RuleUrl,
        "initiatives_page" => Key::RuleInitiativesPage,
        "events" => Key::RuleEvents,
        "options" => Key::RuleOptions,
        "max_choices" => Key::RuleMaxChoices,
        "opens_at" | "closes_at" => Key::RuleCloses,
        "count" => Key::RuleCodeCount,
        "place" => Key::RuleMeetingPlace,
        "online_url" => Key::RuleStepLink,
        "capacity" => Key::RuleMeetingCapacity,
        "role" => Key::RuleTokens,
        "support_threshold" | "reports_before_hide" | "audience.max_keys_per_network" => {
            Key::RuleNumber
        }
        _ => Key::ErrInvalidField,
    }
}

/// The field an `invalid_field` message names: "Field `name`: must not be empty." → `name`.
pub fn field_of(message: &str) -> Option<String> {
    let rest = message.split_once('`')?.1;
    let (field, _) = rest.split_once('`')?;
    (!field.is_empty()).then(|| field.to_string())
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

/// `/api/v1/admin/communities/{community}{tail}`; `tail` starts with `/` or `?` (or is
/// empty) and is taken as it is.
pub fn admin_path(community: &str, tail: &str) -> String {
    format!(
        "{}/admin/communities/{}{tail}",
        mekaar_api::API_PREFIX,
        encode_segment(community)
    )
}

/// `/api/v1/communities/{community}{tail}`: the public API of the community.
pub fn public_path(community: &str, tail: &str) -> String {
    format!(
        "{}/communities/{}{tail}",
        mekaar_api::API_PREFIX,
        encode_segment(community)
    )
}

/// `GET path`, decoded as `T`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send("GET", path, None).await?).await
}

/// `POST path` with `body` as JSON, the answer decoded as `T`.
pub async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode(send("POST", path, Some(to_json(body)?)).await?).await
}

/// `PATCH path` with `body` as JSON.
pub async fn patch<B: Serialize + ?Sized, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode(send("PATCH", path, Some(to_json(body)?)).await?).await
}

/// `PUT path` with `body` as JSON.
pub async fn put<B: Serialize + ?Sized, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    decode(send("PUT", path, Some(to_json(body)?)).await?).await
}

/// `DELETE path`, the answer decoded as `T`.
pub async fn delete_for<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send("DELETE", path, None).await?).await
}

/// `DELETE path`; any 2xx answer is success and its body is ignored.
pub async fn delete(path: &str) -> Result<(), ApiError> {
    send("DELETE", path, None).await.map(|_| ())
}

/// `PUT path` with a file as the body (its own type as the Content-Type), the answer
/// decoded as `T`: a photo upload.
pub async fn put_file<T: DeserializeOwned>(
    path: &str,
    file: &web_sys::File,
) -> Result<T, ApiError> {
    let body = Body::File(file);
    decode(send_body("PUT", path, Some(body)).await?).await
}

/// A request body: a JSON text or a file.
enum Body<'a> {
    Json(String),
    File(&'a web_sys::File),
}

/// Sends a request and returns the raw 2xx [`Response`] (for text, CSV or blobs);
/// non-2xx answers become an [`ApiError`]. `body` is a JSON text.
pub async fn send(method: &str, path: &str, body: Option<String>) -> Result<Response, ApiError> {
    send_body(method, path, body.map(Body::Json)).await
}

async fn send_body(method: &str, path: &str, body: Option<Body<'_>>) -> Result<Response, ApiError> {
    let window = web_sys::window().ok_or_else(ApiError::unreachable)?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::SameOrigin);
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiError::unreachable())?;
    let _ = headers.set("Accept", "application/json");
    match &body {
        Some(Body::Json(body)) => {
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&JsValue::from_str(body));
        }
        Some(Body::File(file)) => {
            let _ = headers.set("Content-Type", &file.type_());
            init.set_body(file);
        }
        None => {}
    }
    if !matches!(method, "GET" | "HEAD") {
        if let Some(token) = CSRF.with(|c| c.borrow().clone()) {
            let _ = headers.set(CSRF_HEADER, &token);
        }
    }
    init.set_headers(&headers);
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or_else(ApiError::unreachable)?;
    if response.ok() {
        return Ok(response);
    }
    let error = error_of(&response).await;
    if error.status == 401 && path.starts_with(&format!("{}/admin/", mekaar_api::API_PREFIX)) {
        if let Some(callback) = SESSION_LOST.with(|c| c.borrow().clone()) {
            callback.emit(());
        }
    }
    Err(error)
}

/// The wire shape of every error answer (`mekaar_api::ErrorBody`), with the
/// code as sent: a code of a newer server is still shown by its name.
#[derive(Deserialize)]
struct ErrorWire {
    error: ErrorWireDetail,
}

#[derive(Deserialize)]
struct ErrorWireDetail {
    code: String,
    message: String,
}

async fn error_of(response: &Response) -> ApiError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    let body = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    let detail = body
        .and_then(|b| serde_wasm_bindgen::from_value::<ErrorWire>(b).ok())
        .map(|w| w.error);
    let (code, message) = match detail {
        Some(d) => (d.code, d.message),
        None => (
            match status {
                401 => ErrorCode::Unauthorized.as_str().to_string(),
                403 => ErrorCode::Forbidden.as_str().to_string(),
                429 => ErrorCode::RateLimited.as_str().to_string(),
                _ => format!("http_{status}"),
            },
            String::new(),
        ),
    };
    ApiError {
        status,
        field: if code == ErrorCode::InvalidField.as_str() {
            field_of(&message)
        } else {
            None
        },
        code,
        message,
        retry_after,
    }
}

/// Decodes a 2xx answer; an empty body (204) decodes as `null` (so `()` and `Option`
/// work).
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let value = if response.status() == 204 {
        JsValue::NULL
    } else {
        let promise = response.json().map_err(|_| ApiError::unreachable())?;
        JsFuture::from(promise)
            .await
            .map_err(|_| bad_answer("the answer is not JSON"))?
    };
    serde_wasm_bindgen::from_value(value).map_err(|e| bad_answer(&e.to_string()))
}

fn bad_answer(why: &str) -> ApiError {
    ApiError {
        status: 200,
        code: "bad_answer".into(),
        message: why.to_string(),
        field: None,
        retry_after: None,
    }
}

/// A value as a JSON text, via a plain JS object and `JSON.stringify`.
pub fn to_json<B: Serialize + ?Sized>(body: &B) -> Result<String, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = body
        .serialize(&serializer)
        .map_err(|e| bad_answer(&e.to_string()))?;
    js_sys::JSON::stringify(&value)
        .map(String::from)
        .map_err(|_| bad_answer("JSON.stringify failed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_come_from_invalid_field_messages() {
        assert_eq!(
            field_of("Field `name`: must not be empty.").as_deref(),
            Some("name")
        );
        assert_eq!(field_of("The JSON body is not valid."), None);
        assert_eq!(field_of("Field ``: odd."), None);
    }

    #[test]
    fn paths() {
        assert_eq!(
            admin_path("baarlo", "/audit?limit=50"),
            "/api/v1/admin/communities/baarlo/audit?limit=50"
        );
        assert_eq!(
            public_path("baarlo", "/open-data/initiatives.csv"),
            "/api/v1/communities/baarlo/open-data/initiatives.csv"
        );
        assert_eq!(encode_segment("a b/ç"), "a%20b%2F%C3%A7");
    }

    #[test]
    fn errors_are_translated() {
        let mut e = ApiError::unreachable();
        assert_eq!(e.key(), Key::ErrUnreachable);
        e.code = "rate_limited".into();
        e.retry_after = Some(30);
        assert!(e.text(Lang::Nl).contains("30 seconden"));
        e.code = "poll_not_found".into();
        assert_eq!(e.key(), Key::ErrNotFound);
        e.code = "weird".into();
        assert!(e.text(Lang::En).contains("(weird)"));
        // A refused field is explained in the console's language, not the server's English.
        e.code = "invalid_field".into();
        e.message = "Field `retention_days`: must be between 1 and 3650 days.".into();
        e.field = field_of(&e.message);
        assert_eq!(
            e.text(Lang::Nl),
            "Persoonsgegevens bewaren (dagen): vul een aantal dagen in van 1 tot en met 3650, of laat het veld leeg om te bewaren."
        );
        assert_eq!(
            e.rule_text(Lang::Nl),
            "Vul een aantal dagen in van 1 tot en met 3650, of laat het veld leeg om te bewaren."
        );
        e.field = Some("options".into());
        assert!(e
            .text(Lang::En)
            .starts_with("Options: give 2 to 10 different options"));
        e.field = Some("something_new".into());
        assert_eq!(e.key(), Key::ErrInvalidField);
        // Every placeholder a rule uses is filled.
        for field in [
            "name",
            "options",
            "count",
            "retention_days",
            "closes_at",
            "url",
        ] {
            e.field = Some(field.into());
            for lang in Lang::ALL {
                assert!(!e.text(lang).contains('{'), "{field}: {}", e.text(lang));
            }
        }
    }
}
