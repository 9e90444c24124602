//! The administrators' audit log: who did what to which record, with the
//! record as it was before and after. Written in the same transaction as
//! the change it describes.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::connection::AnyConnection;
use super::schema::admin_audit;
use super::utc;
use crate::domain::account::Actor;
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

#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
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

type AuditRow = (
    NaiveDateTime,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

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
        .select((
            admin_audit::at,
            admin_audit::actor_id,
            admin_audit::actor,
            admin_audit::action,
            admin_audit::target_type,
            admin_audit::target_id,
            admin_audit::before_json,
            admin_audit::after_json,
        ))
        .load(connection)?;
    let parse = |json: Option<String>| json.and_then(|j| serde_json::from_str(&j).ok());
    Ok(rows
        .into_iter()
        .map(
            |(at, actor_id, actor, action, target_type, target_id, before, after)| AuditRecord {
                at: utc(at),
                actor_id,
                actor,
                action,
                target_type,
                target_id,
                before: parse(before),
                after: parse(after),
            },
        )
        .collect())
}
