//! What a desk page answers when its work cannot be done: a redirect to
//! sign in, or a page in the reader's language that says why (the
//! Secretariat's wording for a conflict, a stale version, a refused form).
//! Faults are logged, never shown.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use maud::html;

use super::frame;
use crate::error::{AppError, FieldError};
use crate::i18n::{self, desk};
use crate::web::layout::Reader;

#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    location: Option<String>,
    retry_after: Option<u64>,
    html: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "desk page answered {}", self.status)
    }
}

impl ResponseError for Failure {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if let Some(location) = &self.location {
            response.insert_header((header::LOCATION, location.clone()));
        }
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response
            .content_type("text/html; charset=utf-8")
            .body(self.html.clone())
    }
}

impl Failure {
    /// A 303 to another page (sign in first).
    pub fn redirect(location: String) -> Failure {
        Failure {
            status: StatusCode::SEE_OTHER,
            location: Some(location),
            retry_after: None,
            html: String::new(),
        }
    }

    /// A form without this session's CSRF token: 403, nothing changed.
    pub fn form_expired(reader: &Reader) -> Failure {
        let d = desk::labels(reader.language);
        message(
            reader,
            StatusCode::FORBIDDEN,
            &d.form_expired_title,
            &[d.form_expired_text.as_str()],
        )
    }

    /// The page for an error of the work behind a desk page.
    pub fn page(reader: &Reader, error: AppError) -> Failure {
        let l = reader.labels;
        let d = desk::labels(reader.language);
        match &error {
            AppError::Forbidden(_) => message(
                reader,
                StatusCode::FORBIDDEN,
                &d.forbidden_title,
                &[d.forbidden_text.as_str()],
            ),
            AppError::NotFound(_) => message(
                reader,
                StatusCode::NOT_FOUND,
                &l.not_found_title,
                &[l.not_found_text.as_str()],
            ),
            AppError::PreconditionFailed(_) => message(
                reader,
                StatusCode::PRECONDITION_FAILED,
                &d.conflict_title,
                &[d.stale_text.as_str()],
            ),
            AppError::Conflict(detail) => message(
                reader,
                StatusCode::CONFLICT,
                &d.conflict_title,
                &[detail.as_str()],
            ),
            AppError::BadRequest { detail, errors }
            | AppError::Unprocessable { detail, errors } => {
                let mut lines: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                if lines.is_empty() {
                    lines.push(detail.clone());
                }
                let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
                message(reader, error.status_code(), &d.errors_heading, &lines)
            }
            AppError::TooManyRequests {
                retry_after_seconds,
                ..
            } => {
                let text = i18n::fill(
                    &d.too_many_attempts,
                    &[("seconds", &retry_after_seconds.to_string())],
                );
                let mut failure = message(
                    reader,
                    StatusCode::TOO_MANY_REQUESTS,
                    &d.conflict_title,
                    &[text.as_str()],
                );
                failure.retry_after = Some(*retry_after_seconds);
                failure
            }
            _ => {
                match &error {
                    AppError::Internal(context) => {
                        tracing::error!(error = %context, "internal error")
                    }
                    other => tracing::warn!(error = %other, "a desk page could not be made"),
                }
                let status = match error.status_code() {
                    status if status.is_server_error() => status,
                    _ => StatusCode::INTERNAL_SERVER_ERROR,
                };
                message(
                    reader,
                    status,
                    &l.unavailable_title,
                    &[l.unavailable_text.as_str()],
                )
            }
        }
    }
}

fn message(reader: &Reader, status: StatusCode, title: &str, lines: &[&str]) -> Failure {
    let main = html! {
        h1 { (title) }
        @for line in lines { p { (line) } }
        p { a href=(reader.link("/desk")) { (desk::labels(reader.language).nav_dashboard) } }
    };
    Failure {
        status,
        location: None,
        retry_after: None,
        html: frame::bare(reader, title, main).into_string(),
    }
}

/// The field errors of a refused form, to show beside the form again;
/// any other refusal is a page of its own.
pub fn field_errors(error: AppError, reader: &Reader) -> Result<Vec<FieldError>, Failure> {
    match error {
        AppError::Unprocessable { errors, .. } | AppError::BadRequest { errors, .. }
            if !errors.is_empty() =>
        {
            Ok(errors)
        }
        other => Err(Failure::page(reader, other)),
    }
}

/// Turns the error of a desk page's work into its page.
pub trait OrPage<T> {
    fn or_page(self, reader: &Reader) -> Result<T, Failure>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, reader: &Reader) -> Result<T, Failure> {
        self.map_err(|error| Failure::page(reader, error))
    }
}
