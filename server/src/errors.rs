//! The one error type every handler answers with: a stable machine-readable
//! code ([`ErrorCode`]) and one human sentence. The HTTP status follows from
//! the code, in one place: [`status`].

use mekaar_api::{ErrorBody, ErrorCode, ErrorDetail};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::Reply;

/// The HTTP status of every error code: one match, no wildcard, so a new
/// code cannot be added without choosing its status.
pub fn status(code: ErrorCode) -> StatusCode {
    use ErrorCode as C;
    match code {
        C::MalformedJson
        | C::InvalidField
        | C::BodyIncomplete
        | C::MalformedRequest
        | C::ConsentRequired
        | C::SpamSuspected
        | C::InvalidVoterKey
        | C::PhotoInvalid
        | C::InvalidReply => StatusCode::BAD_REQUEST,
        C::Unauthorized => StatusCode::UNAUTHORIZED,
        C::Forbidden
        | C::OriginNotAllowed
        | C::InvalidManageToken
        | C::CommunityTokenRequired
        | C::CsrfFailed
        | C::InvalidVoteCode
        | C::ResultsHidden
        | C::EditWindowOver
        | C::NotYourReaction => StatusCode::FORBIDDEN,
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
        | C::PollNotFound => StatusCode::NOT_FOUND,
        C::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        C::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        C::CommunityExists
        | C::LastAdminToken
        | C::MeetingFull
        | C::MeetingClosed
        | C::StepLocked
        | C::SmtpNotConfigured
        | C::ThreadClosed
        | C::DuplicateReaction
        | C::PollNotOpen
        | C::AlreadyVoted
        | C::InvalidPollState
        | C::PollHasVotes
        | C::RoundChanged
        | C::InvalidReactionState => StatusCode::CONFLICT,
        C::LengthRequired => StatusCode::LENGTH_REQUIRED,
        C::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        C::UriTooLong => StatusCode::URI_TOO_LONG,
        C::UnsupportedMediaType | C::PhotoType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        C::MeetingInPast | C::MeetingEndBeforeStart | C::InvalidEmail | C::PhotoTooLarge => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        C::RateLimited | C::TooManyConnections | C::TooManyLinkRequests | C::NetworkCap => {
            StatusCode::TOO_MANY_REQUESTS
        }
        C::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        C::Internal | C::Unknown => StatusCode::INTERNAL_SERVER_ERROR,
        C::StorageUnavailable | C::ServerBusy => StatusCode::SERVICE_UNAVAILABLE,
        C::HttpVersionNotSupported => StatusCode::HTTP_VERSION_NOT_SUPPORTED,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// For 429 and 503: when a retry makes sense (the `Retry-After` header).
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    pub fn invalid_field(field: &str, why: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::InvalidField, format!("Field `{field}`: {why}."))
    }

    pub fn community_not_found(slug: &str) -> Self {
        Self::new(
            ErrorCode::CommunityNotFound,
            format!("There is no community `{slug}` on this server."),
        )
    }

    pub fn initiative_not_found(id: &str) -> Self {
        Self::new(
            ErrorCode::InitiativeNotFound,
            format!("There is no initiative `{id}` in this community."),
        )
    }

    pub fn route_not_found() -> Self {
        Self::new(
            ErrorCode::RouteNotFound,
            "No such address on this server; see /api/openapi.json.",
        )
    }

    pub fn method_not_allowed(allowed: &[&str]) -> Self {
        Self::new(
            ErrorCode::MethodNotAllowed,
            format!("This address answers only {}.", allowed.join(", ")),
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(
            ErrorCode::Unauthorized,
            "A valid admin token is required: send `Authorization: Bearer <token>`.",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    pub fn storage_unavailable(err: impl std::fmt::Display) -> Self {
        tracing::error!("storage failure: {err}");
        Self::new(
            ErrorCode::StorageUnavailable,
            "The server could not store this right now; nothing was saved. Please try again.",
        )
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {err}");
        Self::new(ErrorCode::Internal, "Something went wrong on the server.")
    }

    /// The HTTP status of this error (see [`status`]).
    pub fn status(&self) -> StatusCode {
        status(self.code)
    }

    /// Whether this error means "there is no such thing" (404).
    pub fn is_not_found(&self) -> bool {
        self.status() == StatusCode::NOT_FOUND
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message.clone(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status().as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

impl warp::reject::Reject for ApiError {}

impl Reply for ApiError {
    fn into_response(self) -> Response {
        let mut response = warp::reply::json(&self.body()).into_response();
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(
            "cache-control",
            warp::http::HeaderValue::from_static("no-store"),
        );
        if let Some(secs) = self.retry_after_secs {
            headers.insert("retry-after", warp::http::HeaderValue::from(secs));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> Self {
        ApiError::storage_unavailable(err)
    }
}
