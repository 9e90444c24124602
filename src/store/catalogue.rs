//! The public catalogue's change log: every time a practice enters,
//! changes in or leaves the catalogue, a row with an increasing sequence.
//! The search index applies them in order.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::{catalogue_changes, practices, submissions};
use super::submissions::PracticeRow;
use super::utc;
use super::wakeup::{self, Channel};
use crate::domain::submission::Practice;
use crate::domain::translation::Translation;
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

/// Serializes catalogue-changing transactions on PostgreSQL: a sequence
/// value is drawn at insert but becomes visible at commit, so without it a
/// reader could see 12 before 11 commits and skip 11 for good. Held until
/// the transaction ends. SQLite has one writer at a time anyway.
const APPEND_LOCK: i64 = 64_212;

/// Appends one change per practice, in the caller's transaction.
pub fn append(
    connection: &mut AnyConnection,
    changes: &[(&str, &str)],
    change: Change,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if changes.is_empty() {
        return Ok(());
    }
    if let AnyConnection::Postgres(pg) = connection {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(APPEND_LOCK)
            .execute(pg)?;
    }
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
    let inserted: Result<(), AppError> =
        insert_in_chunks!(connection, catalogue_changes::table, rows);
    inserted?;
    Ok(wakeup::announce(connection, Channel::Catalogue)?)
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

/// The practices changed after catalogue change `seq`, each once, at
/// most `limit` of them.
pub fn practices_changed_after(
    connection: &mut AnyConnection,
    seq: i64,
    limit: i64,
) -> Result<Vec<String>, AppError> {
    Ok(catalogue_changes::table
        .filter(catalogue_changes::seq.gt(seq))
        .select(catalogue_changes::practice_id)
        .distinct()
        .limit(limit)
        .load(connection)?)
}

/// A change to apply to the search index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub seq: i64,
    pub practice_id: String,
}

/// Changes after `seq`, in order, at most `limit`.
pub fn changes_after(
    connection: &mut AnyConnection,
    seq: i64,
    limit: i64,
) -> Result<Vec<ChangeRow>, AppError> {
    let rows: Vec<(i64, String)> = catalogue_changes::table
        .filter(catalogue_changes::seq.gt(seq))
        .order(catalogue_changes::seq)
        .limit(limit)
        .select((catalogue_changes::seq, catalogue_changes::practice_id))
        .load(connection)?;
    Ok(rows
        .into_iter()
        .map(|(seq, practice_id)| ChangeRow { seq, practice_id })
        .collect())
}

/// A practice of the catalogue with what the index needs of its submission.
#[derive(Debug, Clone)]
pub struct CatalogueEntry {
    pub practice: Practice,
    pub entity: String,
    pub language: String,
    pub accepted_at: DateTime<Utc>,
    /// Its courtesy translations, by language code.
    pub translations: Vec<Translation>,
}

type EntryRow = (
    PracticeRow,
    String,
    String,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
);

fn into_entries(rows: Vec<EntryRow>) -> Result<Vec<CatalogueEntry>, AppError> {
    rows.into_iter()
        .map(|(row, entity, language, decided_at, updated_at)| {
            Ok(CatalogueEntry {
                practice: row.into_practice()?,
                entity,
                language,
                accepted_at: utc(decided_at.unwrap_or(updated_at)),
                translations: Vec::new(),
            })
        })
        .collect()
}

/// The practices of the catalogue: of accepted submissions, not
/// withdrawn, and not in a revision (an accepted revision's practices
/// live on in its original's). Every reader of the catalogue starts here.
macro_rules! live_practices {
    () => {
        practices::table
            .inner_join(submissions::table)
            .filter(submissions::status.eq("accepted"))
            .filter(practices::withdrawn_at.is_null())
            .filter(submissions::revises.is_null())
    };
}

/// Which practices of the catalogue to read, and in what order.
enum Selection<'a> {
    /// These, by practice id.
    Listed(&'a [String]),
    /// A page of all, by practice id.
    After(Option<&'a str>, i64),
    /// The most recently accepted first.
    Newest(i64),
}

/// Practices of accepted submissions.
fn accepted_entries(
    connection: &mut AnyConnection,
    selection: Selection<'_>,
) -> Result<Vec<CatalogueEntry>, AppError> {
    let mut query = live_practices!()
        .select((
            PracticeRow::as_select(),
            submissions::entity,
            submissions::language,
            submissions::decided_at,
            submissions::updated_at,
        ))
        .into_boxed();
    query = match selection {
        Selection::Listed(ids) => query
            .filter(practices::id.eq_any(ids.to_vec()))
            .order(practices::id),
        Selection::After(after, limit) => {
            if let Some(after) = after {
                query = query.filter(practices::id.gt(after.to_owned()));
            }
            query.order(practices::id).limit(limit)
        }
        Selection::Newest(limit) => query
            .order((
                submissions::decided_at.desc(),
                practices::submission_id.desc(),
                practices::position,
            ))
            .limit(limit),
    };
    let mut entries = into_entries(query.load(connection)?)?;
    let ids: Vec<&str> = entries.iter().map(|e| e.practice.id.as_str()).collect();
    let mut translated = super::translations::of_practices(connection, &ids)?;
    for entry in &mut entries {
        entry.translations = translated.remove(&entry.practice.id).unwrap_or_default();
    }
    Ok(entries)
}

/// The listed practices that are in the catalogue (of accepted submissions).
pub fn entries(
    connection: &mut AnyConnection,
    practice_ids: &[String],
) -> Result<Vec<CatalogueEntry>, AppError> {
    accepted_entries(connection, Selection::Listed(practice_ids))
}

/// The whole catalogue a page at a time, by practice id (for a rebuild).
pub fn entries_after(
    connection: &mut AnyConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<CatalogueEntry>, AppError> {
    accepted_entries(connection, Selection::After(after, limit))
}

/// The most recently accepted practices, newest first (for the feed).
pub fn newest(connection: &mut AnyConnection, limit: i64) -> Result<Vec<CatalogueEntry>, AppError> {
    accepted_entries(connection, Selection::Newest(limit))
}

/// How many practices the catalogue holds.
pub fn count_live(connection: &mut AnyConnection) -> Result<i64, AppError> {
    Ok(live_practices!().count().get_result(connection)?)
}

/// A page of the catalogue's practice ids, by id, each with when it last
/// changed (its curation, or its acceptance): what a sitemap lists.
pub fn live_stamps(
    connection: &mut AnyConnection,
    offset: i64,
    limit: i64,
) -> Result<Vec<(String, DateTime<Utc>)>, AppError> {
    let rows: Vec<(String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> =
        live_practices!()
            .order(practices::id)
            .offset(offset)
            .limit(limit)
            .select((
                practices::id,
                practices::updated_at,
                submissions::decided_at,
            ))
            .load(connection)?;
    Ok(rows
        .into_iter()
        .map(|(id, updated, decided)| (id, utc(decided.map_or(updated, |d| d.max(updated)))))
        .collect())
}
