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
        let text = [d.form_expired_text.clone()];
        message(reader, StatusCode::FORBIDDEN, &d.form_expired_title, &text)
    }

    /// The page for an error of the work behind a desk page.
    pub fn page(reader: &Reader, error: AppError) -> Failure {
        let l = reader.labels;
        let d = desk::labels(reader.language);
        let status = error.status_code();
        let (title, lines) = match &error {
            AppError::Forbidden(_) => (&d.forbidden_title, vec![d.forbidden_text.clone()]),
            AppError::NotFound(_) => (&l.not_found_title, vec![l.not_found_text.clone()]),
            AppError::PreconditionFailed(_) => (&d.conflict_title, vec![d.stale_text.clone()]),
            AppError::Conflict(detail) => (&d.conflict_title, vec![detail.clone()]),
            AppError::BadRequest { .. } | AppError::Unprocessable { .. } => {
                (&d.errors_heading, error.lines())
            }
            AppError::TooManyRequests {
                retry_after_seconds,
                ..
            } => {
                let seconds = retry_after_seconds.to_string();
                let text = i18n::fill(&d.too_many_attempts, &[("seconds", &seconds)]);
                let mut failure = message(reader, status, &d.conflict_title, &[text]);
                failure.retry_after = Some(*retry_after_seconds);
                return failure;
            }
            _ => {
                match &error {
                    AppError::Internal(context) => {
                        tracing::error!(error = %context, "internal error")
                    }
                    other => tracing::warn!(error = %other, "a desk page could not be made"),
                }
                let status = match status {
                    status if status.is_server_error() => status,
                    _ => StatusCode::INTERNAL_SERVER_ERROR,
                };
                let text = vec![l.unavailable_text.clone()];
                return message(reader, status, &l.unavailable_title, &text);
            }
        };
        message(reader, status, title, &lines)
    }
}

fn message(reader: &Reader, status: StatusCode, title: &str, lines: &[String]) -> Failure {
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
