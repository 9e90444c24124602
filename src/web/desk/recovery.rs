//! Choosing a password from a mailed link, and asking for one. An
//! invitation (an account made without a password) and a reset both lead
//! to `/set-password`; the link works once, only while it is the newest
//! the account was sent, and for as long as its kind allows. Asking for a
//! reset answers the same whether or not the address has an account.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use maud::html;

use super::failure::{Failure, OrPage};
use super::form::Form;
use super::frame;
use crate::domain::account::{Email, NewPassword, User};
use crate::domain::clock;
use crate::error::AppError;
use crate::http::{passwords, State};
use crate::i18n::{self, desk};
use crate::mail::links::Named;
use crate::service::accounts;
use crate::web::layout::Reader;

fn link_invalid(reader: &Reader) -> HttpResponse {
    let d = desk::labels(reader.language);
    let main = html! {
        h1 { (d.link_invalid_title) }
        p { (d.link_invalid_text) }
        p { a href=(reader.link("/password-reset")) { (d.reset_title) } }
    };
    let page = frame::bare(reader, &d.link_invalid_title, main);
    frame::respond(reader, StatusCode::BAD_REQUEST, page)
}

/// The account a link names, if the link is good: signed by us, alive, and
/// the newest one the enabled account was sent.
async fn linked(
    state: &State,
    reader: &Reader,
    token: &str,
) -> Result<Option<(Named, User)>, Failure> {
    let Ok(named) = state.links.check_password(token, clock::now()) else {
        return Ok(None);
    };
    let (id, nonce) = (named.id.clone(), named.nonce.clone());
    let user = state
        .store
        .run(move |c| accounts::linked_account(c, &id, &nonce))
        .await
        .or_page(reader)?;
    Ok(user.map(|user| (named, user)))
}

fn set_password_page(
    reader: &Reader,
    status: StatusCode,
    token: &str,
    user: &User,
    error: Option<&str>,
) -> HttpResponse {
    let d = desk::labels(reader.language);
    let main = html! {
        h1 { (d.set_password_title) }
        p { (i18n::fill(&d.set_password_intro, &[("email", user.email.as_str())])) }
        @if let Some(error) = error { p.form-error role="alert" #password-error { (error) } }
        form.desk-form method="post" action=(reader.link("/set-password")) {
            input type="hidden" name="token" value=(token);
            // For password managers: whose password this is.
            input type="email" name="username" autocomplete="username" value=(user.email.as_str()) hidden;
            (frame::new_password_field(d))
            p { button type="submit" { (d.set_password_button) } }
        }
    };
    let page = frame::bare(reader, &d.set_password_title, main);
    frame::respond(reader, status, page)
}

/// `GET /set-password?token=`: the form, if the link is good.
pub async fn show(state: State, request: HttpRequest) -> Result<HttpResponse, Failure> {
    let reader = Reader::of(&request);
    let token = reader.param("token").unwrap_or_default().to_owned();
    Ok(match linked(&state, &reader, &token).await? {
        Some((_, user)) => set_password_page(&reader, StatusCode::OK, &token, &user, None),
        None => link_invalid(&reader),
    })
}

/// `POST /set-password`: the chosen password, checked as every password
/// is; saving it uses the link up and ends every session and token.
pub async fn set(state: State, request: HttpRequest, form: Form) -> Result<HttpResponse, Failure> {
    let reader = Reader::of(&request);
    let token = form.text("token");
    let Some((named, user)) = linked(&state, &reader, &token).await? else {
        return Ok(link_invalid(&reader));
    };
    let known = [user.email.as_str(), user.name.as_str()];
    let new = match NewPassword::parse(form.text("new_password"), &known) {
        Ok(new) => new,
        Err(reason) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(set_password_page(
                &reader,
                status,
                &token,
                &user,
                Some(&reason),
            ));
        }
    };
    let hash = passwords::hash(&state, new).await.or_page(&reader)?;
    let saved = state
        .store
        .run(move |c| {
            accounts::set_password_by_link(c, &named.id, &named.nonce, &hash, clock::now())
        })
        .await;
    match saved {
        Ok(_) => Ok(frame::see_other(
            reader.link_with("/sign-in", &[("password_set", "1")]),
        )),
        // Used or replaced between the form and now.
        Err(AppError::Conflict(_)) => Ok(link_invalid(&reader)),
        Err(other) => Err(Failure::page(&reader, other)),
    }
}

/// `GET /password-reset`: asks for the account's address.
pub async fn ask(request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let d = desk::labels(reader.language);
    let main = html! {
        h1 { (d.reset_title) }
        p { (d.reset_intro) }
        form.desk-form method="post" action=(reader.link("/password-reset")) {
            p {
                label for="email" { (d.email) }
                input #email type="email" name="email" autocomplete="username" required maxlength="254" dir="ltr";
            }
            p { button type="submit" { (d.reset_button) } }
        }
    };
    frame::respond(
        &reader,
        StatusCode::OK,
        frame::bare(&reader, &d.reset_title, main),
    )
}

/// `POST /password-reset`: mails a link if the address has an enabled
/// account; the page says the same either way.
pub async fn request_link(
    state: State,
    request: HttpRequest,
    form: Form,
) -> Result<HttpResponse, Failure> {
    let reader = Reader::of(&request);
    let d = desk::labels(reader.language);
    // A malformed address cannot have an account: the same answer.
    if let Ok(email) = Email::parse(&form.text("email")) {
        passwords::ask_reset(&state, &request, email, reader.language)
            .await
            .or_page(&reader)?;
    }
    let main = html! {
        h1 { (d.reset_sent_title) }
        p { (d.reset_sent_text) }
    };
    Ok(frame::respond(
        &reader,
        StatusCode::OK,
        frame::bare(&reader, &d.reset_sent_title, main),
    ))
}
