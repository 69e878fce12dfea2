//! One error type for the API and its single JSON envelope:
//! `{"error": {"code": "...", "message": "...", "fields": [{"field": "...", "code": "..."}]}}`.
//! Messages are fixed English sentences; internals are logged, never sent.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use trygg_domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Some fields are invalid.")]
    Validation(Vec<FieldError>),
    #[error("The request body is not valid JSON.")]
    MalformedJson,
    #[error("The request body does not have the expected shape.")]
    InvalidBody,
    #[error("The query string is not valid.")]
    InvalidQuery,
    #[error("Send the body as application/json.")]
    UnsupportedMediaType,
    #[error("The request body is too large.")]
    PayloadTooLarge,
    #[error("The Idempotency-Key header must be a UUID.")]
    MissingIdempotencyKey,
    #[error("This Idempotency-Key was already used for a different report.")]
    IdempotencyConflict,
    #[error("Sign in first.")]
    Unauthorized,
    #[error("Wrong e-mail or password.")]
    InvalidCredentials,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("Nothing here.")]
    NotFound,
    #[error("This method is not allowed here.")]
    MethodNotAllowed,
    #[error("The request took too long.")]
    Timeout,
    #[error("Too many attempts. Wait a while and try again.")]
    RateLimited,
    /// A throttle's window is full; the number is the `Retry-After` (seconds until it ends).
    #[error("Too many attempts. Wait a while and try again.")]
    RateLimitedFor(u64),
    #[error("There is no such coordinator to assign.")]
    UnknownAssignee,
    #[error("Enter the code from your authenticator app.")]
    MfaRequired,
    #[error("Switch on two-factor sign-in first.")]
    MfaEnrolmentRequired,
    #[error("The request lacks this session's CSRF token; reload the page and try again.")]
    CsrfFailed,
    #[error("The code is wrong or was already used.")]
    InvalidCode,
    #[error("Two-factor sign-in is already switched on for this account.")]
    AlreadyEnrolled,
    #[error("Something went wrong on our side. Nothing you sent was lost; try again.")]
    Internal(String),
    #[error("The service is unavailable right now; try again.")]
    Unavailable,
    /// Any other status a layer produced (the envelope middleware maps it).
    #[error("The request could not be handled.")]
    Other(StatusCode),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::InvalidBody | ApiError::UnknownAssignee => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::MalformedJson | ApiError::InvalidQuery | ApiError::MissingIdempotencyKey => {
                StatusCode::BAD_REQUEST
            }
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::IdempotencyConflict => StatusCode::CONFLICT,
            ApiError::Unauthorized | ApiError::InvalidCredentials | ApiError::MfaRequired | ApiError::InvalidCode => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::AlreadyEnrolled => StatusCode::CONFLICT,
            ApiError::Forbidden | ApiError::MfaEnrolmentRequired | ApiError::CsrfFailed => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Timeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::RateLimited | ApiError::RateLimitedFor(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Other(s) => *s,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation",
            ApiError::MalformedJson => "malformed_json",
            ApiError::InvalidBody => "invalid_body",
            ApiError::InvalidQuery => "invalid_query",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::MissingIdempotencyKey => "missing_idempotency_key",
            ApiError::IdempotencyConflict => "idempotency_conflict",
            ApiError::Unauthorized => "unauthorized",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Timeout => "timeout",
            ApiError::RateLimited | ApiError::RateLimitedFor(_) => "rate_limited",
            ApiError::UnknownAssignee => "unknown_assignee",
            ApiError::MfaRequired => "mfa_required",
            ApiError::InvalidCode => "invalid_code",
            ApiError::MfaEnrolmentRequired => "mfa_enrolment_required",
            ApiError::CsrfFailed => "csrf_failed",
            ApiError::AlreadyEnrolled => "already_enrolled",
            ApiError::Internal(_) => "internal",
            ApiError::Unavailable => "unavailable",
            ApiError::Other(s) if s.is_server_error() => "internal",
            ApiError::Other(_) => "bad_request",
        }
    }

    /// The envelope for a bare status produced by a layer (timeouts, panics, 405s).
    pub fn from_status(status: StatusCode) -> ApiError {
        match status {
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => ApiError::Timeout,
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
            StatusCode::FORBIDDEN => ApiError::Forbidden,
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable,
            StatusCode::TOO_MANY_REQUESTS => ApiError::RateLimited,
            StatusCode::INTERNAL_SERVER_ERROR => ApiError::Internal("bare 500 from a layer".into()),
            s => ApiError::Other(s),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(e.to_string())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => ApiError::Unavailable,
            e => ApiError::internal(e),
        }
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: String,
    fields: &'a [FieldError],
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            // The detail is a database or I/O error; it carries no request content.
            tracing::error!(error = %detail, "internal error");
        }
        let fields: &[FieldError] = match &self {
            ApiError::Validation(f) => f,
            _ => &[],
        };
        let body = Envelope { error: Body { code: self.code(), message: self.to_string(), fields } };
        let mut res = (self.status(), axum::Json(body)).into_response();
        if let ApiError::RateLimitedFor(secs) = self {
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        } else if self.status() == StatusCode::TOO_MANY_REQUESTS {
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
        }
        if self.status() == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Cookie"));
        }
        res
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(_) => ApiError::InvalidBody,
            JsonRejection::JsonSyntaxError(_) => ApiError::MalformedJson,
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            _ => ApiError::MalformedJson,
        }
    }
}

/// `axum::Json` whose rejections answer in the error envelope.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(v))
    }
}

/// `axum::extract::Query` whose rejections answer in the error envelope.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|_: QueryRejection| ApiError::InvalidQuery)
    }
}

/// 409 `version_conflict`, the answer to every save from an older version: the envelope with
/// `message`, and the newer state in `current`.
pub fn version_conflict(message: &str, current: impl Serialize) -> Response {
    let body = serde_json::json!({
        "error": {"code": trygg_wire::codes::VERSION_CONFLICT, "message": message, "fields": []},
        "current": current,
    });
    (StatusCode::CONFLICT, axum::Json(body)).into_response()
}

/// The error envelope as the OpenAPI document describes it (the wire form of [`ApiError`]).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation`, `not_found`.
    pub code: String,
    /// A fixed English sentence; UIs translate `code` and the field codes instead.
    pub message: String,
    /// Field errors (non-empty only for `validation`).
    pub fields: Vec<FieldErrorDoc>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldErrorDoc {
    /// The JSON name of the field, e.g. `description`.
    pub field: String,
    /// `<field>.<kind>`, e.g. `description.too_long`.
    pub code: String,
}

// The error answers the OpenAPI document lists, in sets that operations share: each handler's
// `#[utoipa::path(responses(...))]` names its success answers and one type per set below
// (never the same status twice). Every set answers in the [`ErrorEnvelope`].

/// Every operation that touches the database.
#[derive(utoipa::IntoResponses)]
pub enum ServerErrors {
    #[response(status = 500, description = "Internal error")]
    Internal(ErrorEnvelope),
    #[response(status = 503, description = "Database unavailable")]
    Unavailable(ErrorEnvelope),
}

/// An operation with a JSON body.
#[derive(utoipa::IntoResponses)]
pub enum JsonErrors {
    #[response(
        status = 400,
        description = "Malformed JSON, or a missing or malformed header the operation needs (`malformed_json`, `missing_idempotency_key`)"
    )]
    Malformed(ErrorEnvelope),
    #[response(status = 413, description = "Body too large")]
    TooLarge(ErrorEnvelope),
    #[response(status = 415, description = "Not application/json")]
    NotJson(ErrorEnvelope),
    #[response(
        status = 422,
        description = "A body of the wrong shape (`invalid_body`), or field errors (`validation`, with `fields`)"
    )]
    Invalid(ErrorEnvelope),
}

/// An operation with query parameters or an id in the path.
#[derive(utoipa::IntoResponses)]
pub enum QueryErrors {
    #[response(
        status = 400,
        description = "Malformed query: an unknown filter value, limit or cursor (`invalid_query`)"
    )]
    Malformed(ErrorEnvelope),
}

/// An operation for a signed-in coordinator or administrator (both steps of sign-in done).
#[derive(utoipa::IntoResponses)]
pub enum SessionErrors {
    #[response(
        status = 401,
        description = "Not signed in, or the second factor is missing (`unauthorized`, `mfa_required`)"
    )]
    Unauthorized(ErrorEnvelope),
    #[response(
        status = 403,
        description = "Missing or wrong X-CSRF-Token on a POST/PATCH, two-factor sign-in not switched on yet, or (on the access log) not an administrator (`csrf_failed`, `mfa_enrolment_required`, `forbidden`)"
    )]
    Forbidden(ErrorEnvelope),
}

/// A step of two-factor sign-in that checks a code (the session has passed the password).
#[derive(utoipa::IntoResponses)]
pub enum CodeErrors {
    #[response(status = 401, description = "No session, or a wrong or replayed code (`unauthorized`, `invalid_code`)")]
    Unauthorized(ErrorEnvelope),
    #[response(status = 403, description = "Missing or wrong X-CSRF-Token (`csrf_failed`)")]
    Forbidden(ErrorEnvelope),
}

/// An operation that counts failed attempts (passwords, codes, receipt codes).
#[derive(utoipa::IntoResponses)]
pub enum RateLimited {
    #[response(
        status = 429,
        description = "Too many attempts for this account or from this address (`rate_limited`); `Retry-After` says how many seconds to wait",
        headers(("Retry-After" = u64, description = "Seconds until the limit's window is over"))
    )]
    TooMany(ErrorEnvelope),
}

/// An operation on one report.
#[derive(utoipa::IntoResponses)]
pub enum ReportNotFound {
    #[response(status = 404, description = "No such report (`not_found`)")]
    NotFound(ErrorEnvelope),
}

/// Switching two-factor sign-in on.
#[derive(utoipa::IntoResponses)]
pub enum EnrolmentErrors {
    #[response(status = 409, description = "Already enrolled (`already_enrolled`)")]
    AlreadyEnrolled(ErrorEnvelope),
}
