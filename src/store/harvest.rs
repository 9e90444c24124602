//! The catalogue's change log as a harvester reads it: every practice that
//! ever entered the catalogue, once, stamped with its latest change, in
//! the order of those changes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::dsl::{max, min, sql};
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::connection::AnyConnection;
use super::schema::{catalogue_changes, practices, submissions};
use super::submissions::PracticeRow;
use super::utc;
use crate::domain::submission::Practice;
use crate::error::AppError;

/// A practice's latest change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub seq: i64,
    pub practice_id: String,
    pub at: DateTime<Utc>,
}

fn bound(date: (i32, u32, u32)) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(date.0, date.1, date.2)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// Practices whose latest change comes after change `after` and falls in
/// `[from, until_before)`, in the order of those changes, at most `limit`.
pub fn stamps_after(
    connection: &mut AnyConnection,
    after: i64,
    from: Option<DateTime<Utc>>,
    until_before: Option<DateTime<Utc>>,
    limit: i64,
) -> Result<Vec<Stamp>, AppError> {
    // Open ends as far-off dates: one query shape for every harvest, and
    // dates SQLite still compares as text.
    let from = from.map_or_else(|| bound((1970, 1, 1)), |t| t.naive_utc());
    let until_before = until_before.map_or_else(|| bound((9999, 1, 1)), |t| t.naive_utc());
    // Grouped by an expression, not the column: SQLite would otherwise
    // walk the whole (practice_id, seq) index on every page to save a
    // sort (88 ms a page at 100,000 practices) instead of reading only the
    // changes after `after` by their key (about 1 ms at the end).
    let practice = sql::<Text>("practice_id || ''");
    let rows: Vec<(String, Option<i64>, Option<NaiveDateTime>)> = catalogue_changes::table
        // A practice changed after `after` has its latest change after it.
        .filter(catalogue_changes::seq.gt(after))
        .group_by(practice.clone())
        .having(
            max(catalogue_changes::at)
                .ge(from)
                .and(max(catalogue_changes::at).lt(until_before)),
        )
        .select((
            practice,
            max(catalogue_changes::seq),
            max(catalogue_changes::at),
        ))
        .order(max(catalogue_changes::seq))
        .limit(limit)
        .load(connection)?;
    Ok(rows
        .into_iter()
        .filter_map(|(practice_id, seq, at)| {
            Some(Stamp {
                seq: seq?,
                practice_id,
                at: utc(at?),
            })
        })
        .collect())
}

/// A practice's latest change; `None` if it never entered the catalogue.
pub fn stamp_of(
    connection: &mut AnyConnection,
    practice_id: &str,
) -> Result<Option<Stamp>, AppError> {
    let row: Option<(i64, NaiveDateTime)> = catalogue_changes::table
        .filter(catalogue_changes::practice_id.eq(practice_id))
        .order(catalogue_changes::seq.desc())
        .select((catalogue_changes::seq, catalogue_changes::at))
        .first(connection)
        .optional()?;
    Ok(row.map(|(seq, at)| Stamp {
        seq,
        practice_id: practice_id.to_owned(),
        at: utc(at),
    }))
}

/// The time of the first change, if any.
pub fn earliest(connection: &mut AnyConnection) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(catalogue_changes::table
        .select(min(catalogue_changes::at))
        .first::<Option<NaiveDateTime>>(connection)?
        .map(utc))
}

/// The listed practices whatever their state, with their contributor:
/// what a deleted record still says of the practice (its sets).
pub fn practices_with_entity(
    connection: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(Practice, String)>, AppError> {
    let rows: Vec<(PracticeRow, String)> = practices::table
        .inner_join(submissions::table)
        .filter(practices::id.eq_any(ids))
        .select((PracticeRow::as_select(), submissions::entity))
        .load(connection)?;
    rows.into_iter()
        .map(|(row, entity)| Ok((row.into_practice()?, entity)))
        .collect()
}
