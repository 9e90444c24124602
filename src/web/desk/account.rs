//! `/desk/account`: a person's own account. The password is changed here
//! (the old one asked first, under the sign-in throttle), which ends every
//! other session and revokes the API tokens; and the API tokens of a
//! ministry's scripts are made (the secret shown once) and revoked.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;

use super::failure::{field_errors, Failure, OrPage};
use super::frame::{self, csrf_field, errors_list, table_head, Place};
use super::session::{self, Desk, Posted};
use crate::auth::Action;
use crate::domain::account::{ApiToken, NewPassword, Role};
use crate::domain::clock;
use crate::domain::page::{Page, MAX_LIMIT};
use crate::error::{AppError, FieldError};
use crate::http::api_tokens::mint;
use crate::http::passwords;
use crate::http::sign_in::check_password;
use crate::http::State;
use crate::i18n::{self, desk};
use crate::service::{accounts, sessions, tokens};

/// What the page says besides the account itself.
#[derive(Default)]
struct Said {
    notice: Option<String>,
    password_error: Option<String>,
    token_errors: Vec<FieldError>,
    /// A token just made: its record and its secret, shown this once.
    created: Option<(ApiToken, String)>,
}

async fn page(desk: &Desk, status: StatusCode, said: Said) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let user_id = desk.user.id.clone();
    let page = Page {
        limit: MAX_LIMIT,
        after: None,
    };
    let (list, announcements) = desk
        .run(move |c| {
            let list = tokens::api_tokens_of(c, &user_id, &page)?;
            Ok((list, accounts::announcements(c, &user_id)?))
        })
        .await?;
    let now = clock::now();
    let day = |t: &chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d").to_string();
    let main = html! {
        h1 { (d.account_title) }
        @if let Some(notice) = &said.notice { p.notice role="status" { (notice) } }
        section aria-labelledby="password-heading" {
            h2 #password-heading { (d.password_heading) }
            @if let Some(error) = &said.password_error { p.form-error role="alert" { (error) } }
            form.desk-form method="post" action=(reader.link("/desk/account/password")) {
                (csrf_field(desk))
                // For password managers: whose password this is.
                input type="email" name="username" autocomplete="username" value=(desk.user.email.as_str()) hidden;
                p {
                    label for="current-password" { (d.current_password) }
                    input #current-password type="password" name="current_password" autocomplete="current-password" required;
                }
                (frame::new_password_field(d))
                p { button type="submit" { (d.change_password_button) } }
            }
        }
        @if desk.user.role == Role::FocalPoint {
            section aria-labelledby="announcements-heading" {
                h2 #announcements-heading { (d.announcements_heading) }
                form.desk-form method="post" action=(reader.link("/desk/account/announcements")) {
                    (csrf_field(desk))
                    p.choice-line {
                        input #announcements type="checkbox" name="announcements" value="true" checked[announcements];
                        " " label for="announcements" { (d.announcements_label) }
                    }
                    p { button type="submit" { (d.save_account_button) } }
                }
            }
        }
        section aria-labelledby="tokens-heading" {
            h2 #tokens-heading { (d.tokens_heading) }
            p { (d.tokens_intro) }
            @if let Some((record, secret)) = &said.created {
                div.notice role="status" {
                    p { (d.token_created) " (" (record.name) ")" }
                    p { code.secret dir="ltr" { (secret) } }
                }
            }
            @if list.is_empty() {
                p { (d.token_none) }
            } @else {
                table.submissions {
                    (table_head(&d.tokens_heading, &[&d.column_name, &d.column_created, &d.column_expires, &d.column_state], Some(&d.token_revoke_button)))
                    tbody {
                        @for token in &list {
                            tr {
                                td { (token.name) }
                                td { time dir="ltr" datetime=(token.created_at.to_rfc3339()) { (day(&token.created_at)) } }
                                td { time dir="ltr" datetime=(token.expires_at.to_rfc3339()) { (day(&token.expires_at)) } }
                                td {
                                    @if token.revoked_at.is_some() { (d.token_state_revoked) }
                                    @else if token.is_active(now) { (d.token_state_active) }
                                    @else { (d.token_state_expired) }
                                }
                                td {
                                    @if token.is_active(now) {
                                        form method="post" action=(reader.link(&format!("/desk/account/tokens/{}/revoke", token.id))) {
                                            (csrf_field(desk))
                                            button.secondary type="submit" aria-label=(format!("{} — {}", d.token_revoke_button, token.name)) { (d.token_revoke_button) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (errors_list(&said.token_errors))
            form.desk-form method="post" action=(reader.link("/desk/account/tokens")) {
                (csrf_field(desk))
                p {
                    label for="token-name" { (d.token_name) }
                    input #token-name type="text" name="name" maxlength="100" required;
                }
                p {
                    label for="token-days" { (d.token_days) }
                    input #token-days type="number" name="days" min="1" max=(ApiToken::MAX_DAYS) value=(ApiToken::DEFAULT_DAYS) required;
                }
                p { button type="submit" { (d.create_token_button) } }
            }
        }
    };
    let title = &d.account_title;
    Ok(frame::page(desk, status, Place::Account, title, main))
}

pub async fn show(desk: Desk) -> Result<HttpResponse, Failure> {
    let d = desk::labels(desk.reader.language);
    let notice = desk.reader.params().find_map(|(k, _)| match k {
        "changed" => Some(d.password_changed.clone()),
        "revoked" => Some(d.token_revoked.clone()),
        "announcements" => Some(d.announcements_saved.clone()),
        _ => None,
    });
    let said = Said {
        notice,
        ..Said::default()
    };
    page(&desk, StatusCode::OK, said).await
}

pub async fn change_password(
    state: State,
    Posted(desk, form): Posted,
    request: HttpRequest,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let refused = |error: String| Said {
        password_error: Some(error),
        ..Said::default()
    };
    match check_password(
        &state,
        &request,
        &desk.user.email,
        form.text("current_password"),
    )
    .await
    {
        Ok(user) if user.id == desk.user.id => {}
        Ok(_) | Err(AppError::Unauthorized(_)) | Err(AppError::BadRequest { .. }) => {
            let said = refused(d.wrong_current_password.clone());
            return page(&desk, StatusCode::UNPROCESSABLE_ENTITY, said).await;
        }
        Err(other) => return Err(Failure::page(reader, other)),
    }
    let known = [desk.user.email.as_str(), desk.user.name.as_str()];
    let new = match NewPassword::parse(form.text("new_password"), &known) {
        Ok(new) => new,
        Err(reason) => {
            let min = NewPassword::MIN_CHARS.to_string();
            let hint = i18n::fill(&d.new_password_hint, &[("min", &min)]);
            let said = refused(format!("{hint} ({reason})"));
            return page(&desk, StatusCode::UNPROCESSABLE_ENTITY, said).await;
        }
    };
    let hash = passwords::hash(&state, new).await.or_page(reader)?;
    let user = desk.user.clone();
    let opened = desk
        .run(move |c| {
            let now = clock::now();
            accounts::change_password(c, user.actor(), &user.id, &hash, now)?;
            sessions::open(c, &user.id, now)
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            reader.link_with("/desk/account", &[("changed", "1")]),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::SET_COOKIE,
            session::session_cookie(&opened.secret, session::secure(&state)),
        ))
        .finish())
}

/// `POST /desk/account/announcements`: a focal point's choice about the
/// mail announcing each new compilation.
pub async fn choose_announcements(Posted(desk, form): Posted) -> Result<HttpResponse, Failure> {
    let wanted = form.get("announcements") == Some("true");
    let id = desk.user.id.clone();
    desk.run(move |c| accounts::choose_announcements(c, &id, wanted))
        .await?;
    let next = desk
        .reader
        .link_with("/desk/account", &[("announcements", "1")]);
    Ok(frame::see_other(next))
}

pub async fn create_token(
    state: State,
    Posted(desk, form): Posted,
) -> Result<HttpResponse, Failure> {
    desk.may(Action::CreateApiToken)?;
    let days = form
        .get("days")
        .map(|d| d.trim().parse::<i64>().unwrap_or(0));
    match mint(&state, &desk.user, &form.text("name"), days).await {
        Ok(created) => {
            let said = Said {
                created: Some(created),
                ..Said::default()
            };
            page(&desk, StatusCode::CREATED, said).await
        }
        Err(error) => {
            let said = Said {
                token_errors: field_errors(error, &desk.reader)?,
                ..Said::default()
            };
            page(&desk, StatusCode::UNPROCESSABLE_ENTITY, said).await
        }
    }
}

pub async fn revoke_token(
    Posted(desk, _): Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let user_id = desk.user.id.clone();
    let id = path.into_inner();
    let lookup = id.clone();
    let revoked = desk
        .run(move |c| tokens::revoke_api_token(c, &user_id, &lookup, clock::now()))
        .await?;
    if !revoked {
        return Err(Failure::page(
            reader,
            AppError::NotFound(format!("you have no API token {id}")),
        ));
    }
    Ok(frame::see_other(
        reader.link_with("/desk/account", &[("revoked", "1")]),
    ))
}
