//! The Secretariat's other desk pages: the mail that could not be sent
//! (failed and dead notices, with a retry for the dead), coverage with the
//! replies still in review, and re-tagging an accepted practice.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;

use super::failure::{Failure, OrPage};
use super::frame::{self, csrf_field, table_head, Place};
use super::session::{Desk, Posted};
use super::submission_page::version_of;
use crate::auth::Action;
use crate::domain::annex::annex;
use crate::domain::annex::AnnexItem;
use crate::domain::assessment::stock::{ItemStock, MIN_STATES};
use crate::domain::clock;
use crate::domain::entities::Region;
use crate::domain::outbox::{Mail, MailStatus};
use crate::domain::page::{Page, MAX_LIMIT};
use crate::domain::submission::Curation;
use crate::error::AppError;
use crate::http::State;
use crate::i18n::{self, desk};
use crate::service::{assessments, curation, outbox};
use crate::web::coverage_page::{self, Coverage};

fn mail_table(desk: &Desk, caption: &str, mails: &[&Mail], retry: bool) -> maud::Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    html! {
        table.submissions {
            (table_head(caption, &[&d.column_recipient, &d.column_kind, &d.column_attempts, &d.column_error], retry.then_some(d.retry_button.as_str())))
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

pub async fn mail(desk: Desk) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    desk.may(Action::ManageOutbox)?;
    let page = Page {
        limit: MAX_LIMIT,
        after: None,
    };
    let (pending, dead) = desk
        .run(move |c| {
            Ok((
                outbox::list(c, Some(MailStatus::Pending), &page)?,
                outbox::list(c, Some(MailStatus::Dead), &page)?,
            ))
        })
        .await?;
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
    frame::ok(&desk, Place::Mail, &d.mail_title, main)
}

pub async fn retry_mail(
    Posted(desk, _): Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    desk.may(Action::ManageOutbox)?;
    let id = path.into_inner();
    desk.run(move |c| outbox::retry(c, &id, clock::now()))
        .await?;
    let next = desk.reader.link_with("/desk/mail", &[("retried", "1")]);
    Ok(frame::see_other(next))
}

pub async fn coverage(
    state: State,
    desk: Desk,
    request: HttpRequest,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    desk.may(Action::ManageCompilations)?;
    let page = Coverage {
        heading: &d.coverage_title,
        intro: &d.coverage_intro,
        action: "/desk/coverage",
        pipeline: true,
    };
    let coverage = coverage_page::content(&state, reader, request.query_string(), page)
        .await
        .or_page(reader)?;
    let stock = match desk.may(Action::ReadAssessmentStock) {
        Ok(_) => Some(desk.run(assessments::stock).await?),
        Err(_) => None,
    };
    let main = html! {
        (coverage)
        @if let Some(stock) = &stock { (stock_table(&desk, stock)) }
    };
    frame::ok(&desk, Place::Coverage, &d.coverage_title, main)
}

/// Taking stock without exposure: per item and region, how many States
/// say the item is in place, only where enough States shared.
fn stock_table(desk: &Desk, stock: &[ItemStock]) -> maud::Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let min = MIN_STATES.to_string();
    let regions: Vec<Region> = stock
        .first()
        .map(|s| s.cells.iter().map(|c| c.region).collect())
        .unwrap_or_default();
    let columns: Vec<&str> = std::iter::once(d.column_item.as_str())
        .chain(regions.iter().map(|r| reader.labels.region(*r)))
        .collect();
    html! {
        section aria-labelledby="stock-heading" {
            h2 #stock-heading { (d.stock_heading) }
            p { (i18n::fill(&d.stock_intro, &[("min", &min)])) }
            @if regions.is_empty() {
                p { (d.assessments_empty) }
            } @else {
                table.submissions.stock {
                    (table_head(&d.stock_heading, &columns, None))
                    tbody {
                        @for row in stock {
                            tr {
                                th scope="row" { (row.item.number()) ". " (annex().item(row.item).title.get(reader.language)) }
                                @for cell in &row.cells {
                                    td {
                                        @match cell.in_place {
                                            Some(n) => (i18n::fill(&d.stock_cell, &[("in_place", &n.to_string()), ("states", &cell.states.to_string())])),
                                            None => span.hint { (i18n::fill(&d.stock_hidden, &[("min", &min)])) },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /desk/practices/{id}/items`: an editor's annex items for an
/// accepted practice, back to its submission's page.
pub async fn retag(
    Posted(desk, form): Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let editor = desk.may(Action::CuratePractices)?;
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
    let seen = Some(version_of(&form).or_page(reader)?);
    let practice = desk
        .run(move |c| curation::curate(c, &editor.actor(), &id, curation, seen, clock::now()))
        .await?;
    Ok(frame::see_other(reader.link_with(
        &format!("/desk/submissions/{}", practice.submission_id),
        &[("retagged", "1")],
    )))
}
