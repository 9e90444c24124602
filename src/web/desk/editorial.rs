//! The Secretariat's other desk pages: the mail that could not be sent
//! (failed and dead notices, with a retry for the dead), coverage with the
//! replies still in review, and re-tagging an accepted practice.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;

use super::failure::{Failure, OrPage};
use super::form::Form;
use super::frame::{self, csrf_field, Place};
use super::session::Desk;
use crate::auth::{authorize, Action};
use crate::domain::annex::AnnexItem;
use crate::domain::clock;
use crate::domain::outbox::{Mail, MailStatus};
use crate::domain::page::{Page, MAX_LIMIT};
use crate::domain::submission::Curation;
use crate::error::AppError;
use crate::http::State;
use crate::i18n::desk;
use crate::service::{curation, outbox};
use crate::web::coverage_page::{self, Coverage};

fn mail_table(desk: &Desk, caption: &str, mails: &[&Mail], retry: bool) -> maud::Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    html! {
        table.submissions {
            caption { (caption) }
            thead { tr {
                th scope="col" { (d.column_recipient) }
                th scope="col" { (d.column_kind) }
                th scope="col" { (d.column_attempts) }
                th scope="col" { (d.column_error) }
                @if retry { th scope="col" { span.visually-hidden { (d.retry_button) } } }
            } }
            tbody {
                @for mail in mails {
                    tr {
                        td dir="ltr" { (mail.recipient) }
                        td dir="ltr" { code { (mail.kind) } }
                        td { (mail.attempts) }
                        td dir="ltr" { (mail.last_error.as_deref().unwrap_or_default()) }
                        @if retry {
                            td {
                                form method="post" action=(reader.link(&format!("/desk/mail/{}/retry", mail.id))) {
                                    (csrf_field(desk))
                                    button.secondary type="submit" aria-label=(format!("{} — {}", d.retry_button, mail.recipient)) { (d.retry_button) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn mail(state: State, desk: Desk) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    authorize(&desk.caller(), Action::ManageOutbox).or_page(reader)?;
    let page = Page {
        limit: MAX_LIMIT,
        after: None,
    };
    let (pending, dead) = state
        .store
        .run(move |c| {
            Ok((
                outbox::list(c, Some(MailStatus::Pending), &page)?,
                outbox::list(c, Some(MailStatus::Dead), &page)?,
            ))
        })
        .await
        .or_page(reader)?;
    let failed: Vec<&Mail> = pending.iter().filter(|m| m.attempts > 0).collect();
    let dead: Vec<&Mail> = dead.iter().collect();
    let retried = reader.param("retried").is_some();
    let main = html! {
        h1 { (d.mail_title) }
        p { (d.mail_intro) }
        @if retried { p.notice role="status" { (d.mail_retried) } }
        @if failed.is_empty() && dead.is_empty() { p { (d.mail_none) } }
        @if !dead.is_empty() { (mail_table(&desk, &d.mail_dead, &dead, true)) }
        @if !failed.is_empty() { (mail_table(&desk, &d.mail_failed, &failed, false)) }
    };
    Ok(frame::page(
        &desk,
        StatusCode::OK,
        Place::Mail,
        &d.mail_title,
        main,
    ))
}

pub async fn retry_mail(
    state: State,
    desk: Desk,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, Failure> {
    desk.check(form.csrf())?;
    let reader = &desk.reader;
    authorize(&desk.caller(), Action::ManageOutbox).or_page(reader)?;
    let id = path.into_inner();
    state
        .store
        .run(move |c| outbox::retry(c, &id, clock::now()))
        .await
        .or_page(reader)?;
    Ok(frame::see_other(
        reader.link_with("/desk/mail", &[("retried", "1")]),
    ))
}

pub async fn coverage(
    state: State,
    desk: Desk,
    request: HttpRequest,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    authorize(&desk.caller(), Action::ManageCompilations).or_page(reader)?;
    let page = Coverage {
        heading: &d.coverage_title,
        intro: &d.coverage_intro,
        action: "/desk/coverage",
        pipeline: true,
    };
    let main = coverage_page::content(&state, reader, request.query_string(), page)
        .await
        .or_page(reader)?;
    Ok(frame::page(
        &desk,
        StatusCode::OK,
        Place::Coverage,
        &d.coverage_title,
        main,
    ))
}

/// `POST /desk/practices/{id}/items`: an editor's annex items for an
/// accepted practice, back to its submission's page.
pub async fn retag(
    state: State,
    desk: Desk,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, Failure> {
    desk.check(form.csrf())?;
    let reader = &desk.reader;
    let editor = authorize(&desk.caller(), Action::CuratePractices)
        .or_page(reader)?
        .clone();
    let items: Vec<AnnexItem> = form
        .all("items")
        .map(|v| v.parse::<u8>().ok().and_then(AnnexItem::new))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| AppError::invalid_field("items", "annex items are 1 to 18"))
        .or_page(reader)?;
    let id = path.into_inner();
    let curation = Curation {
        items: Some(items),
        sectors: None,
        editorial_note: None,
    };
    let practice = state
        .store
        .run(move |c| curation::curate(c, &editor.actor(), &id, curation, clock::now()))
        .await
        .or_page(reader)?;
    Ok(frame::see_other(reader.link_with(
        &format!("/desk/submissions/{}", practice.submission_id),
        &[("retagged", "1")],
    )))
}
