//! The one error type every handler answers with: an HTTP status, a stable
//! machine-readable code (see `mekaar_api::codes`) and one human sentence.

use mekaar_api::{codes, ErrorBody, ErrorDetail};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::Reply;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// For 429 and 503: when a retry makes sense (the `Retry-After` header).
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn invalid_field(field: &str, why: impl std::fmt::Display) -> Self {
        Self::bad_request(codes::INVALID_FIELD, format!("Field `{field}`: {why}."))
    }

    pub fn community_not_found(slug: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            codes::COMMUNITY_NOT_FOUND,
            format!("There is no community `{slug}` on this server."),
        )
    }

    pub fn initiative_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            codes::INITIATIVE_NOT_FOUND,
            format!("There is no initiative `{id}` in this community."),
        )
    }

    pub fn route_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            codes::ROUTE_NOT_FOUND,
            "No such address on this server; see /api/openapi.json.",
        )
    }

    pub fn method_not_allowed(allowed: &[&str]) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            codes::METHOD_NOT_ALLOWED,
            format!("This address answers only {}.", allowed.join(", ")),
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "A valid admin token is required: send `Authorization: Bearer <token>`.",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, codes::FORBIDDEN, message)
    }

    pub fn storage_unavailable(err: impl std::fmt::Display) -> Self {
        tracing::error!("storage failure: {err}");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::STORAGE_UNAVAILABLE,
            "The server could not store this right now; nothing was saved. Please try again.",
        )
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {err}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "Something went wrong on the server.",
        )
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
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
            self.status.as_u16(),
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
        *response.status_mut() = self.status;
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
