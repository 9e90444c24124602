//! The public catalogue's change log: every time a practice enters,
//! changes in or leaves the catalogue, a row with an increasing sequence.
//! The search index applies them in order.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::catalogue_changes;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Upsert,
    Remove,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Upsert => "upsert",
            Change::Remove => "remove",
        }
    }
}

/// Appends one change per practice, in the caller's transaction.
pub fn append(
    connection: &mut AnyConnection,
    changes: &[(&str, &str)],
    change: Change,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let rows: Vec<_> = changes
        .iter()
        .map(|(practice_id, submission_id)| {
            (
                catalogue_changes::practice_id.eq(*practice_id),
                catalogue_changes::submission_id.eq(*submission_id),
                catalogue_changes::change.eq(change.as_str()),
                catalogue_changes::at.eq(now.naive_utc()),
            )
        })
        .collect();
    for chunk in rows.chunks(500) {
        crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(
            catalogue_changes::table
        )
        .values(chunk)
        .execute(c))?;
    }
    Ok(())
}

/// The highest sequence number written so far (0 when none).
pub fn last_sequence(connection: &mut AnyConnection) -> Result<i64, AppError> {
    Ok(catalogue_changes::table
        .select(diesel::dsl::max(catalogue_changes::seq))
        .first::<Option<i64>>(connection)?
        .unwrap_or(0))
}

pub fn count(connection: &mut AnyConnection) -> Result<i64, AppError> {
    Ok(catalogue_changes::table.count().get_result(connection)?)
}
