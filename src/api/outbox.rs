//! `/api/v1/outbox`: what the mail sender has done and has yet to do, for
//! admins; a dead mail (every attempt failed) can be given new attempts.

use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::pagination;
use crate::auth::{authorize, Action, Caller};
use crate::domain::clock;
use crate::domain::outbox::Mail;
use crate::domain::outbox::MailStatus;
use crate::domain::Language;
use crate::error::AppError;
use crate::http::extract::ApiQuery;
use crate::http::{Answer, IdPath, State};
use crate::service::outbox;

#[derive(Debug, Serialize, ToSchema)]
pub struct MailView {
    id: String,
    /// changes_requested, accepted, rejected, new_submission, …
    kind: String,
    recipient: String,
    language: Language,
    status: MailStatus,
    attempts: i64,
    /// When the next attempt is due (pending mail).
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

impl MailView {
    fn new(mail: Mail) -> MailView {
        MailView {
            id: mail.id,
            kind: mail.kind.clone(),
            recipient: mail.recipient,
            language: mail.language,
            status: mail.status,
            attempts: mail.attempts,
            next_attempt_at: mail.next_attempt_at,
            last_error: mail.last_error,
            created_at: mail.created_at,
            sent_at: mail.sent_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MailList {
    items: Vec<MailView>,
    next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    #[param(value_type = Option<MailStatus>)]
    status: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    #[param(value_type = Option<super::shapes::IdCursor>)]
    cursor: Option<String>,
}

/// The outbox, oldest first, optionally of one status (admins).
#[utoipa::path(
    get, path = "/api/v1/outbox", tag = "operations", params(OutboxQuery), security(("bearer" = [])),
    responses((status = 200, description = "A page of mails", body = MailList), (status = 400, description = "Bad status, limit or cursor"), (status = 401, description = "No valid token"), (status = 403, description = "Not an admin"))
)]
pub async fn list_outbox(
    state: State,
    caller: Caller,
    ApiQuery(query): ApiQuery<OutboxQuery>,
) -> Answer {
    authorize(&caller, Action::ManageOutbox)?;
    let page = pagination::page(query.limit, query.cursor.as_deref())?;
    let status = query
        .status
        .as_deref()
        .map(|text| {
            MailStatus::from_text(text).ok_or_else(|| {
                AppError::invalid_field("status", "use pending, sending, sent or dead")
            })
        })
        .transpose()?;
    let (mails, next_cursor) = pagination::fetch(
        &state,
        page,
        move |c, page| outbox::list(c, status, page),
        |m| &m.id,
    )
    .await?;
    Ok(HttpResponse::Ok().json(MailList {
        items: mails.into_iter().map(MailView::new).collect(),
        next_cursor,
    }))
}

/// Gives a dead mail a new series of attempts, starting now (admins).
#[utoipa::path(
    post, path = "/api/v1/outbox/{id}/retry", tag = "operations", params(("id" = String, Path, description = "The mail's id")), security(("bearer" = [])),
    responses((status = 200, description = "The mail, pending again", body = MailView), (status = 401, description = "No valid token"), (status = 403, description = "Not an admin"), (status = 404, description = "No such mail"), (status = 409, description = "The mail is not dead"))
)]
pub async fn retry_mail(state: State, caller: Caller, path: IdPath) -> Answer {
    authorize(&caller, Action::ManageOutbox)?;
    let id = path.into_inner();
    let mail = state
        .store
        .run(move |c| outbox::retry(c, &id, clock::now()))
        .await?;
    Ok(HttpResponse::Ok().json(MailView::new(mail)))
}
