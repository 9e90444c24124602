//! The mail outbox: rows written in the transaction that causes a mail,
//! claimed by a sender, marked sent, or retried later. A claim is a lease:
//! a sender that dies mid-send loses it and another takes the mail over.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::outbox;
use super::wakeup::{self, Channel};
use super::{utc, write_transaction};
use crate::domain::notice::Notice;
use crate::domain::outbox::{Mail, MailStatus, NewMail};
use crate::domain::page::Page;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = outbox)]
struct MailRow {
    id: String,
    kind: String,
    recipient: String,
    language: String,
    payload: String,
    status: String,
    attempts: i64,
    next_attempt_at: NaiveDateTime,
    claimed_until: Option<NaiveDateTime>,
    last_error: Option<String>,
    created_at: NaiveDateTime,
    sent_at: Option<NaiveDateTime>,
}

impl MailRow {
    fn into_mail(self) -> Result<Mail, AppError> {
        let corrupt = |e: String| AppError::internal(format!("stored mail {}: {e}", self.id));
        let notice = serde_json::from_str(&self.payload)
            .map_err(|e| e.to_string())
            .and_then(|payload| Notice::from_parts(&self.kind, payload).map_err(|e| e.to_string()));
        Ok(Mail {
            kind: self.kind,
            language: self.language.parse().map_err(|e| corrupt(format!("{e}")))?,
            notice,
            status: MailStatus::from_text(&self.status)
                .ok_or_else(|| AppError::internal(format!("stored mail status {}", self.status)))?,
            id: self.id,
            recipient: self.recipient,
            attempts: self.attempts,
            next_attempt_at: utc(self.next_attempt_at),
            last_error: self.last_error,
            created_at: utc(self.created_at),
            sent_at: self.sent_at.map(utc),
        })
    }
}

/// Rows per insert: 12 columns, far below the bound-value limits.
const MAILS_PER_INSERT: usize = 1_000;

/// How many mails of `kind` were queued for `recipient` since `since`.
pub fn count_since(
    connection: &mut AnyConnection,
    recipient: &str,
    kind: &str,
    since: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(outbox::table
        .filter(outbox::recipient.eq(recipient))
        .filter(outbox::kind.eq(kind))
        .filter(outbox::created_at.ge(since.naive_utc()))
        .count()
        .get_result(connection)?)
}

/// Records mails in the caller's transaction; sent once it commits.
pub fn enqueue(
    connection: &mut AnyConnection,
    mails: &[NewMail],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let rows: Vec<MailRow> = mails
        .iter()
        .map(|mail| {
            let (kind, payload) = mail.notice.to_parts();
            MailRow {
                id: uuid::Uuid::now_v7().to_string(),
                kind: kind.to_owned(),
                recipient: mail.recipient.clone(),
                language: mail.language.code().to_owned(),
                payload: payload.to_string(),
                status: MailStatus::Pending.as_str().to_owned(),
                attempts: 0,
                next_attempt_at: now.naive_utc(),
                claimed_until: None,
                last_error: None,
                created_at: now.naive_utc(),
                sent_at: None,
            }
        })
        .collect();
    for chunk in rows.chunks(MAILS_PER_INSERT) {
        crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(outbox::table)
            .values(chunk)
            .execute(c))?;
    }
    if !rows.is_empty() {
        wakeup::announce(connection, Channel::Outbox)?;
    }
    Ok(())
}

/// When the next mail falls due: the earliest retry of a pending mail, or
/// the end of a claim that a sender may have abandoned.
pub fn next_due(connection: &mut AnyConnection) -> Result<Option<DateTime<Utc>>, AppError> {
    let retry: Option<NaiveDateTime> = outbox::table
        .filter(outbox::status.eq(MailStatus::Pending.as_str()))
        .select(diesel::dsl::min(outbox::next_attempt_at))
        .get_result(connection)?;
    let lapse: Option<NaiveDateTime> = outbox::table
        .filter(outbox::status.eq(MailStatus::Sending.as_str()))
        .select(diesel::dsl::min(outbox::claimed_until))
        .get_result(connection)?;
    Ok(retry.into_iter().chain(lapse).min().map(utc))
}

/// Claims up to `limit` mails that are due (or whose sender's claim
/// lapsed) for `lease`. On PostgreSQL, rows another sender is claiming are
/// skipped (`FOR UPDATE SKIP LOCKED`), so two replicas never take the same
/// mail; on SQLite the write lock serializes claims.
pub fn claim(
    connection: &mut AnyConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Mail>, AppError> {
    let until = (now + lease).naive_utc();
    let now = now.naive_utc();
    let rows: Vec<MailRow> = match connection {
        AnyConnection::Postgres(pg) => diesel::sql_query(
            "UPDATE outbox SET status = 'sending', claimed_until = $1 \
             WHERE id IN (SELECT id FROM outbox \
                 WHERE (status = 'pending' AND next_attempt_at <= $2) \
                    OR (status = 'sending' AND claimed_until < $2) \
                 ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING *",
        )
        .bind::<diesel::sql_types::Timestamp, _>(until)
        .bind::<diesel::sql_types::Timestamp, _>(now)
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .load(pg)?,
        sqlite => write_transaction(sqlite, |c| {
            let due = outbox::status
                .eq(MailStatus::Pending.as_str())
                .and(outbox::next_attempt_at.le(now))
                .or(outbox::status
                    .eq(MailStatus::Sending.as_str())
                    .and(outbox::claimed_until.lt(now)));
            let ids: Vec<String> = outbox::table
                .filter(due)
                .order((outbox::next_attempt_at, outbox::id))
                .limit(limit)
                .select(outbox::id)
                .load(c)?;
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set((
                    outbox::status.eq(MailStatus::Sending.as_str()),
                    outbox::claimed_until.eq(Some(until)),
                ))
                .execute(c)?;
            Ok::<_, AppError>(
                outbox::table
                    .filter(outbox::id.eq_any(&ids))
                    .select(MailRow::as_select())
                    .load(c)?,
            )
        })?,
    };
    rows.into_iter().map(MailRow::into_mail).collect()
}

pub fn mark_sent(
    connection: &mut AnyConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(MailStatus::Sent.as_str()),
            outbox::sent_at.eq(Some(now.naive_utc())),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(connection)?;
    Ok(())
}

/// Records a failed attempt at `now`: the mail is tried again at
/// `retry_at`, or is dead when there is none.
pub fn mark_failed(
    connection: &mut AnyConnection,
    id: &str,
    error: &str,
    now: DateTime<Utc>,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let status = match retry_at {
        Some(_) => MailStatus::Pending,
        None => MailStatus::Dead,
    };
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(status.as_str()),
            outbox::last_error.eq(Some(error.chars().take(1000).collect::<String>())),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(retry_at.unwrap_or(now).naive_utc()),
        ))
        .execute(connection)?;
    Ok(())
}

/// A page of the outbox by id, optionally of one status.
pub fn list(
    connection: &mut AnyConnection,
    status: Option<MailStatus>,
    page: &Page,
) -> Result<Vec<Mail>, AppError> {
    let mut query = outbox::table
        .select(MailRow::as_select())
        .order(outbox::id)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status.as_str()));
    }
    let rows: Vec<_> = page_of!(query, outbox, page, connection);
    rows.into_iter().map(MailRow::into_mail).collect()
}

pub fn find(connection: &mut AnyConnection, id: &str) -> Result<Option<Mail>, AppError> {
    find_by_key!(connection, outbox, id, MailRow::into_mail)
}

/// Gives a dead mail a new series of attempts, now.
pub fn revive(
    connection: &mut AnyConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq(MailStatus::Dead.as_str())),
    )
    .set((
        outbox::status.eq(MailStatus::Pending.as_str()),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now.naive_utc()),
    ))
    .execute(connection)?;
    Ok(changed == 1)
}
