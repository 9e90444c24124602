//! The administrators' audit log: who did what to which record, with the
//! record as it was before and after. Written in the same transaction as
//! the change it describes.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

use super::connection::AnyConnection;
use super::schema::admin_audit;
use super::utc;
use crate::domain::account::Actor;
pub use crate::domain::history::AuditRecord;
use crate::error::AppError;

pub struct Entry<'a> {
    pub actor: Actor<'a>,
    /// `user.create`, `user.update`, `entity.create`, …
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub fn record(
    connection: &mut AnyConnection,
    entry: Entry<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (actor_id, actor) = match entry.actor {
        Actor::User { id, email } => (Some(id.to_owned()), email.to_owned()),
        Actor::CommandLine => (None, "command line".to_owned()),
    };
    diesel::insert_into(admin_audit::table)
        .values((
            admin_audit::id.eq(uuid::Uuid::now_v7().to_string()),
            admin_audit::at.eq(now.naive_utc()),
            admin_audit::actor_id.eq(actor_id),
            admin_audit::actor.eq(actor),
            admin_audit::action.eq(entry.action),
            admin_audit::target_type.eq(entry.target_type),
            admin_audit::target_id.eq(entry.target_id),
            admin_audit::before_json.eq(entry.before.map(|v| v.to_string())),
            admin_audit::after_json.eq(entry.after.map(|v| v.to_string())),
        ))
        .execute(connection)?;
    Ok(())
}

/// An audit entry as stored (its JSON as text).
#[derive(Queryable, Selectable)]
#[diesel(table_name = admin_audit)]
struct AuditRow {
    at: NaiveDateTime,
    actor_id: Option<String>,
    actor: String,
    action: String,
    target_type: String,
    target_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
}

/// The history of one record, oldest first.
pub fn for_target(
    connection: &mut AnyConnection,
    target_type: &str,
    target_id: &str,
) -> Result<Vec<AuditRecord>, AppError> {
    let rows: Vec<AuditRow> = admin_audit::table
        .filter(admin_audit::target_type.eq(target_type))
        .filter(admin_audit::target_id.eq(target_id))
        .order(admin_audit::id)
        .select(AuditRow::as_select())
        .load(connection)?;
    Ok(rows.into_iter().map(into_record).collect())
}

fn into_record(row: AuditRow) -> AuditRecord {
    let parse = |json: Option<String>| json.and_then(|j| serde_json::from_str(&j).ok());
    AuditRecord {
        at: utc(row.at),
        actor_id: row.actor_id,
        actor: row.actor,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        before: parse(row.before_json),
        after: parse(row.after_json),
    }
}

/// The log, newest first, a page at a time: entries older than `before`
/// (an entry id), at most `limit`.
pub fn recent(
    connection: &mut AnyConnection,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<(String, AuditRecord)>, AppError> {
    let mut query = admin_audit::table
        .order(admin_audit::id.desc())
        .select((admin_audit::id, AuditRow::as_select()))
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(admin_audit::id.lt(before.to_owned()));
    }
    let rows: Vec<(String, AuditRow)> = query.load(connection)?;
    Ok(rows
        .into_iter()
        .map(|(id, row)| (id, into_record(row)))
        .collect())
}
