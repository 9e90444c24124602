//! The one error type of the service, and its single mapping to
//! `application/problem+json` (RFC 9457). Every kind has a stable `type` URI
//! that clients can switch on; internal errors are logged with their
//! context and answered with a generic body that carries the request id.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::telemetry::current_request_id;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// One invalid field of a request, by its path (`practices[0].items`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed: syntax, types, unknown fields or parameters.
    #[error("{detail}")]
    BadRequest {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// It was there and was taken away on purpose; the text says why.
    #[error("{0}")]
    Gone(String),
    #[error("the {method} method is not allowed on {path}")]
    MethodNotAllowed { method: String, path: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed, but breaks a rule of the domain.
    #[error("{detail}")]
    Unprocessable {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{0}")]
    PreconditionRequired(String),
    /// The client took too long to send its request.
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{detail}")]
    TooManyRequests {
        detail: String,
        retry_after_seconds: u64,
    },
    /// A dependency (the database, the index) cannot serve right now.
    #[error("{0}")]
    Unavailable(String),
    /// A fault of ours. The text is for the log, never for the caller.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// What a refused request got wrong, a line a field (or the one
    /// detail), as a page shows it to a person.
    pub fn lines(&self) -> Vec<String> {
        match self {
            AppError::BadRequest { errors, .. } | AppError::Unprocessable { errors, .. }
                if !errors.is_empty() =>
            {
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect()
            }
            other => vec![other.to_string()],
        }
    }

    /// A 422 listing every broken rule at once.
    pub fn unprocessable(errors: Vec<FieldError>) -> Self {
        AppError::Unprocessable {
            detail: errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            errors,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        AppError::BadRequest {
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let error = FieldError::new(field, message);
        AppError::BadRequest {
            detail: format!("'{}' is not valid: {}", error.field, error.message),
            errors: vec![error],
        }
    }

    pub fn internal(context: impl std::fmt::Display) -> Self {
        AppError::Internal(context.to_string())
    }

    /// The stable, machine-readable name of the kind of problem.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::BadRequest { .. } => "bad-request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not-found",
            AppError::Gone(_) => "gone",
            AppError::MethodNotAllowed { .. } => "method-not-allowed",
            AppError::Conflict(_) => "conflict",
            AppError::PreconditionFailed(_) => "precondition-failed",
            AppError::PayloadTooLarge(_) => "payload-too-large",
            AppError::UnsupportedMediaType(_) => "unsupported-media-type",
            AppError::Unprocessable { .. } => "unprocessable-content",
            AppError::PreconditionRequired(_) => "precondition-required",
            AppError::RequestTimeout(_) => "request-timeout",
            AppError::TooManyRequests { .. } => "too-many-requests",
            AppError::Unavailable(_) => "service-unavailable",
            AppError::Internal(_) => "internal-error",
        }
    }

    pub fn to_problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            AppError::Internal(_) => {
                "The server met an unexpected condition. Quote the request id when you report it."
                    .to_owned()
            }
            other => other.to_string(),
        };
        let errors = match self {
            AppError::BadRequest { errors, .. } | AppError::Unprocessable { errors, .. }
                if !errors.is_empty() =>
            {
                Some(errors.clone())
            }
            _ => None,
        };
        Problem {
            problem_type: problem_type(self.kind()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors,
            request_id: current_request_id(),
        }
    }
}

/// The `type` URI of a kind of problem. A URN: stable, and not a web page
/// that clients would be tempted to fetch.
pub fn problem_type(kind: &str) -> String {
    format!("urn:compendium:problem:{kind}")
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:compendium:problem:bad-request",
    "title": "Bad Request",
    "status": 400,
    "detail": "unknown field `colour`, expected one of `title`, `body`",
    "errors": [{"field": "colour", "message": "unknown field"}],
    "request_id": "01937c2e-7d1a-7c4e-9b1f-3f7c2d9a1e55"
}))]
pub struct Problem {
    /// A URN naming the kind of problem: `urn:compendium:problem:<kind>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// The id of the request, also in the `X-Request-Id` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            AppError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(context) = self {
            tracing::error!(error = %context, "internal error");
        }
        let mut response = problem_response(&self.to_problem());
        let headers = response.headers_mut();
        match self {
            AppError::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            AppError::TooManyRequests {
                retry_after_seconds,
                ..
            } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_seconds));
            }
            _ => {}
        }
        response
    }
}

/// Writes a problem as the HTTP answer.
pub fn problem_response(problem: &Problem) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        AppError::Internal(format!("database: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    fn body_of(error: &AppError) -> serde_json::Value {
        let response = error.error_response();
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_CONTENT_TYPE
        );
        let bytes = response.into_body().try_into_bytes().unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn a_field_error_names_the_field_and_the_kind() {
        let body = body_of(&AppError::invalid_field("lang", "unknown language 'de'"));
        assert_eq!(body["type"], "urn:compendium:problem:bad-request");
        assert_eq!(body["status"], 400);
        assert_eq!(body["title"], "Bad Request");
        assert_eq!(body["errors"][0]["field"], "lang");
    }

    #[test]
    fn internal_errors_never_leak_their_context() {
        let body = body_of(&AppError::internal("password=hunter2 in connection string"));
        assert_eq!(body["status"], 500);
        assert!(!body.to_string().contains("hunter2"));
    }

    #[test]
    fn every_kind_maps_to_its_status() {
        let cases = [
            (AppError::NotFound("x".into()), 404),
            (AppError::Gone("x".into()), 410),
            (AppError::Conflict("x".into()), 409),
            (AppError::PreconditionFailed("x".into()), 412),
            (AppError::PayloadTooLarge("x".into()), 413),
            (
                AppError::Unprocessable {
                    detail: "x".into(),
                    errors: vec![],
                },
                422,
            ),
            (AppError::PreconditionRequired("x".into()), 428),
            (
                AppError::TooManyRequests {
                    detail: "x".into(),
                    retry_after_seconds: 3,
                },
                429,
            ),
        ];
        for (error, status) in cases {
            assert_eq!(error.status_code().as_u16(), status, "{}", error.kind());
            assert_eq!(body_of(&error)["status"], status);
        }
    }

    #[test]
    fn rate_limits_and_missing_credentials_carry_their_headers() {
        let limited = AppError::TooManyRequests {
            detail: "slow down".into(),
            retry_after_seconds: 7,
        };
        assert_eq!(
            limited
                .error_response()
                .headers()
                .get(header::RETRY_AFTER)
                .unwrap(),
            "7"
        );
        let anonymous = AppError::Unauthorized("no token".into());
        assert_eq!(
            anonymous
                .error_response()
                .headers()
                .get(header::WWW_AUTHENTICATE)
                .unwrap(),
            "Bearer"
        );
    }
}
