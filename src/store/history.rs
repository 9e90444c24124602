//! The history of submissions: immutable version snapshots and the audit
//! trail of events.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::{submission_events, submission_versions};
use super::utc;
use crate::domain::history::{Event, VersionInfo};
use crate::error::AppError;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = submission_versions)]
pub struct VersionRow {
    pub submission_id: String,
    pub version: i64,
    pub status: String,
    pub saved_at: NaiveDateTime,
    pub document: String,
}

pub fn insert_versions(
    connection: &mut AnyConnection,
    rows: &[VersionRow],
) -> Result<(), AppError> {
    insert_in_chunks!(connection, submission_versions::table, rows)
}

pub fn versions(
    connection: &mut AnyConnection,
    submission_id: &str,
) -> Result<Vec<VersionInfo>, AppError> {
    let rows: Vec<(i64, String, NaiveDateTime)> = submission_versions::table
        .filter(submission_versions::submission_id.eq(submission_id))
        .order(submission_versions::version)
        .select((
            submission_versions::version,
            submission_versions::status,
            submission_versions::saved_at,
        ))
        .load(connection)?;
    Ok(rows
        .into_iter()
        .map(|(version, status, saved_at)| VersionInfo {
            version,
            status,
            saved_at: utc(saved_at),
        })
        .collect())
}

/// The document of one version, exactly as it was saved.
pub fn version_document(
    connection: &mut AnyConnection,
    submission_id: &str,
    version: i64,
) -> Result<Option<String>, AppError> {
    Ok(submission_versions::table
        .find((submission_id, version))
        .select(submission_versions::document)
        .first(connection)
        .optional()?)
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = submission_events)]
pub struct EventRow {
    pub id: String,
    pub submission_id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub message: Option<String>,
}

pub fn insert_events(connection: &mut AnyConnection, rows: &[EventRow]) -> Result<(), AppError> {
    insert_in_chunks!(connection, submission_events::table, rows)
}

type EventTuple = (
    NaiveDateTime,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub fn events(connection: &mut AnyConnection, submission_id: &str) -> Result<Vec<Event>, AppError> {
    let rows: Vec<EventTuple> = submission_events::table
        .filter(submission_events::submission_id.eq(submission_id))
        .order(submission_events::id)
        .select((
            submission_events::at,
            submission_events::actor,
            submission_events::action,
            submission_events::from_status,
            submission_events::to_status,
            submission_events::message,
        ))
        .load(connection)?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, from, to, message)| Event {
            at: utc(at),
            actor,
            action,
            from,
            to,
            message,
        })
        .collect())
}
