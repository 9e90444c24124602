//! `/sign-in` and `/sign-out`. Signing in checks the password exactly as
//! the API does (one throttle per account and per address), then opens a
//! server-side session; a wrong password shows the form again. The form
//! carries a CSRF secret of its own, matched against a cookie, so another
//! site cannot sign a visitor in as someone else.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use maud::html;

use super::failure::{Failure, OrPage};
use super::form::Form;
use super::frame;
use super::session::{self, Posted, CSRF_FIELD, SESSION_COOKIE, SIGN_IN_COOKIE};
use crate::auth::secrets;
use crate::domain::account::Email;
use crate::domain::clock;
use crate::error::AppError;
use crate::http::sign_in::check_password;
use crate::http::State;
use crate::i18n::{self, desk};
use crate::service::sessions;
use crate::web::layout::Reader;

/// How long the sign-in form's secret lives: long enough to type.
const SIGN_IN_FORM_SECONDS: i64 = 60 * 60;

struct SignInForm<'a> {
    email: &'a str,
    next: &'a str,
    error: Option<String>,
    notice: Option<&'a str>,
}

fn sign_in_page(
    reader: &Reader,
    state: &crate::http::AppState,
    status: StatusCode,
    token: &str,
    form: SignInForm<'_>,
) -> HttpResponse {
    let d = desk::labels(reader.language);
    let main = html! {
        h1 { (d.sign_in_title) }
        p { (d.sign_in_intro) }
        @if let Some(notice) = form.notice {
            p.notice role="status" { (notice) }
        }
        @if let Some(error) = &form.error {
            p.form-error role="alert" #sign-in-error { (error) }
        }
        form.desk-form method="post" action=(reader.link("/sign-in")) {
            input type="hidden" name=(CSRF_FIELD) value=(token);
            input type="hidden" name="next" value=(form.next);
            p {
                label for="email" { (d.email) }
                input #email type="email" name="email" autocomplete="username" required value=(form.email)
                    aria-describedby=[form.error.as_ref().map(|_| "sign-in-error")];
            }
            p {
                label for="password" { (d.password) }
                input #password type="password" name="password" autocomplete="current-password" required;
            }
            p { button type="submit" { (d.sign_in_button) } }
        }
        p { a href=(reader.link("/password-reset")) { (d.forgot_password_link) } }
    };
    let mut response = frame::respond(reader, status, frame::bare(reader, &d.sign_in_title, main));
    let cookie = session::set_cookie(
        SIGN_IN_COOKIE,
        token,
        SIGN_IN_FORM_SECONDS,
        session::secure(state),
    );
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The form's CSRF secret: the one the browser already holds, or a new one.
fn form_token(request: &HttpRequest, reader: &Reader) -> Result<String, Failure> {
    match session::cookie(request, SIGN_IN_COOKIE) {
        Some(token) if token.len() == 43 => Ok(token),
        _ => secrets::new_secret()
            .map_err(|e| AppError::internal(format!("no randomness for a form: {e}")))
            .or_page(reader),
    }
}

pub async fn show(state: State, request: HttpRequest) -> Result<HttpResponse, Failure> {
    let reader = Reader::of(&request);
    let d = desk::labels(reader.language);
    let token = form_token(&request, &reader)?;
    let next = session::safe_next(reader.param("next"));
    let notice = reader.params().find_map(|(key, _)| match key {
        "signed_out" => Some(d.signed_out.as_str()),
        "password_set" => Some(d.password_set.as_str()),
        _ => None,
    });
    Ok(sign_in_page(
        &reader,
        &state,
        StatusCode::OK,
        &token,
        SignInForm {
            email: "",
            next: &next,
            error: None,
            notice,
        },
    ))
}

pub async fn sign_in(
    state: State,
    request: HttpRequest,
    form: Form,
) -> Result<HttpResponse, Failure> {
    let reader = Reader::of(&request);
    let d = desk::labels(reader.language);
    let expected = session::cookie(&request, SIGN_IN_COOKIE);
    match (expected.as_deref(), form.csrf()) {
        (Some(expected), Some(sent)) if secrets::same(expected, sent) => {}
        _ => return Err(Failure::form_expired(&reader)),
    }
    let token = form_token(&request, &reader)?;
    let next = session::safe_next(form.get("next"));
    let email_text = form.text("email");
    let again = |status: StatusCode, error: String| {
        sign_in_page(
            &reader,
            &state,
            status,
            &token,
            SignInForm {
                email: &email_text,
                next: &next,
                error: Some(error),
                notice: None,
            },
        )
    };
    let Ok(email) = Email::parse(&email_text) else {
        return Ok(again(StatusCode::OK, d.wrong_credentials.clone()));
    };
    let user = match check_password(&state, &request, &email, form.text("password")).await {
        Ok(user) => user,
        Err(AppError::Unauthorized(_)) | Err(AppError::BadRequest { .. }) => {
            return Ok(again(StatusCode::OK, d.wrong_credentials.clone()))
        }
        Err(AppError::TooManyRequests {
            retry_after_seconds,
            ..
        }) => {
            let text = i18n::fill(
                &d.too_many_attempts,
                &[("seconds", &retry_after_seconds.to_string())],
            );
            let mut response = again(StatusCode::TOO_MANY_REQUESTS, text);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_seconds.into());
            return Ok(response);
        }
        Err(other) => return Err(Failure::page(&reader, other)),
    };
    let opened = state
        .store
        .run(move |c| sessions::open(c, &user.id, clock::now()))
        .await
        .or_page(&reader)?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, with_language(&next, &reader)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::SET_COOKIE,
            session::session_cookie(&opened.secret, session::secure(&state)),
        ))
        .finish())
}

/// `next` in the reader's language, unless it names one already.
fn with_language(next: &str, reader: &Reader) -> String {
    if next.contains("lang=") {
        next.to_owned()
    } else {
        let separator = if next.contains('?') { '&' } else { '?' };
        format!("{next}{separator}lang={}", reader.language.code())
    }
}

pub async fn sign_out(
    state: State,
    request: HttpRequest,
    Posted(desk, _): Posted,
) -> Result<HttpResponse, Failure> {
    if let Some(secret) = session::cookie(&request, SESSION_COOKIE) {
        desk.run(move |c| sessions::close(c, &secret)).await?;
    }
    let target = desk.reader.link_with("/sign-in", &[("signed_out", "1")]);
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::SET_COOKIE,
            session::set_cookie(SESSION_COOKIE, "", 0, session::secure(&state)),
        ))
        .finish())
}
