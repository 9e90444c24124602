//! Compilations and their entries: rows in, read models out. What goes in
//! a compilation is decided in `domain::compilation`; the use cases that
//! combine these calls in one transaction live in `editions`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::{compilation_entries, compilations, practices, submissions};
use super::{organisations, utc};
use crate::domain::annex::AnnexItem;
use crate::domain::compilation::{Candidate, EditionNumber, Entry, Scope};
use crate::domain::compilation::{Compilation, CompilationStatus};
use crate::domain::page::Page;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = compilations, treat_none_as_null = true)]
struct CompilationRow {
    id: String,
    status: String,
    title: String,
    introduction: Option<String>,
    scope: String,
    excluded: String,
    untagged: String,
    entries_count: i64,
    version: i64,
    edition_year: Option<i64>,
    edition_rank: Option<i64>,
    created_by: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    assembled_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>,
    published_by: Option<String>,
    assembled_through: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = compilation_entries)]
struct EntryRow {
    compilation_id: String,
    position: i64,
    item: i64,
    practice_id: String,
    title: String,
    body: String,
    items: String,
    submission_id: String,
    submission_version: i64,
    entity: String,
    entity_name: String,
    entity_type: String,
    language: String,
    received_at: NaiveDateTime,
    accepted_at: NaiveDateTime,
}

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("stored compilation data: {what}"))
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(AppError::internal)
}

impl CompilationRow {
    fn from_compilation(c: &Compilation) -> Result<CompilationRow, AppError> {
        Ok(CompilationRow {
            id: c.id.clone(),
            status: c.status.as_str().to_owned(),
            title: c.title.clone(),
            introduction: c.introduction.clone(),
            scope: json(&c.scope)?,
            excluded: json(&c.excluded)?,
            untagged: json(&c.untagged)?,
            entries_count: c.entries_count,
            version: c.version,
            edition_year: c.number.map(|n| i64::from(n.year)),
            edition_rank: c.number.map(|n| n.rank),
            created_by: c.created_by.clone(),
            created_at: c.created_at.naive_utc(),
            updated_at: c.updated_at.naive_utc(),
            assembled_at: c.assembled_at.naive_utc(),
            published_at: c.published_at.map(|t| t.naive_utc()),
            published_by: c.published_by.clone(),
            assembled_through: c.assembled_through,
        })
    }

    fn into_compilation(self) -> Result<Compilation, AppError> {
        let status = match self.status.as_str() {
            "draft" => CompilationStatus::Draft,
            "published" => CompilationStatus::Published,
            other => return Err(corrupt(format!("status {other}"))),
        };
        let number = match (self.edition_year, self.edition_rank) {
            (Some(year), Some(rank)) => Some(EditionNumber {
                year: i32::try_from(year).map_err(corrupt)?,
                rank,
            }),
            _ => None,
        };
        Ok(Compilation {
            id: self.id,
            status,
            title: self.title,
            introduction: self.introduction,
            scope: serde_json::from_str(&self.scope).map_err(corrupt)?,
            excluded: serde_json::from_str(&self.excluded).map_err(corrupt)?,
            untagged: serde_json::from_str(&self.untagged).map_err(corrupt)?,
            entries_count: self.entries_count,
            version: self.version,
            number,
            created_by: self.created_by,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            assembled_at: utc(self.assembled_at),
            published_at: self.published_at.map(utc),
            published_by: self.published_by,
            assembled_through: self.assembled_through,
        })
    }
}

impl EntryRow {
    fn from_entry(compilation_id: &str, entry: &Entry) -> Result<EntryRow, AppError> {
        let source = &entry.source;
        let items: Vec<u8> = source.items.iter().map(|i| i.number()).collect();
        Ok(EntryRow {
            compilation_id: compilation_id.to_owned(),
            position: entry.position,
            item: i64::from(entry.item.number()),
            practice_id: source.practice_id.clone(),
            title: source.title.clone(),
            body: source.body.clone(),
            items: json(&items)?,
            submission_id: source.submission_id.clone(),
            submission_version: source.submission_version,
            entity: source.entity.clone(),
            entity_name: source.entity_name.clone(),
            entity_type: source.entity_type.as_str().to_owned(),
            language: source.language.code().to_owned(),
            received_at: source.received_at.naive_utc(),
            accepted_at: source.accepted_at.naive_utc(),
        })
    }

    fn into_entry(self) -> Result<Entry, AppError> {
        let item = u8::try_from(self.item)
            .ok()
            .and_then(AnnexItem::new)
            .ok_or_else(|| corrupt(format!("item {}", self.item)))?;
        Ok(Entry {
            position: self.position,
            item,
            source: Candidate {
                items: serde_json::from_str(&self.items).map_err(corrupt)?,
                entity_type: self.entity_type.parse().map_err(corrupt)?,
                language: self.language.parse().map_err(corrupt)?,
                practice_id: self.practice_id,
                title: self.title,
                body: self.body,
                submission_id: self.submission_id,
                submission_version: self.submission_version,
                entity: self.entity,
                entity_name: self.entity_name,
                received_at: utc(self.received_at),
                accepted_at: utc(self.accepted_at),
            },
        })
    }
}

pub fn insert(connection: &mut AnyConnection, compilation: &Compilation) -> Result<(), AppError> {
    let row = CompilationRow::from_compilation(compilation)?;
    crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(
        compilations::table
    )
    .values(&row)
    .execute(c))?;
    Ok(())
}

/// Writes every field of a compilation.
pub fn save(connection: &mut AnyConnection, compilation: &Compilation) -> Result<(), AppError> {
    let row = CompilationRow::from_compilation(compilation)?;
    diesel::update(compilations::table.find(&compilation.id))
        .set(&row)
        .execute(connection)?;
    Ok(())
}

pub fn find(connection: &mut AnyConnection, id: &str) -> Result<Option<Compilation>, AppError> {
    find_by_key!(
        connection,
        compilations,
        id,
        CompilationRow::into_compilation
    )
}

/// A page of compilations by id; drafts only when asked for.
pub fn list(
    connection: &mut AnyConnection,
    with_drafts: bool,
    page: &Page,
) -> Result<Vec<Compilation>, AppError> {
    let mut query = compilations::table
        .select(CompilationRow::as_select())
        .order(compilations::id)
        .into_boxed();
    if !with_drafts {
        query = query.filter(compilations::status.eq(CompilationStatus::Published.as_str()));
    }
    let rows: Vec<_> = page_of!(query, compilations, page, connection);
    rows.into_iter()
        .map(CompilationRow::into_compilation)
        .collect()
}

/// The newest published editions first (for the feed and the reader page).
pub fn published(connection: &mut AnyConnection, limit: i64) -> Result<Vec<Compilation>, AppError> {
    compilations::table
        .filter(compilations::status.eq(CompilationStatus::Published.as_str()))
        .order((compilations::published_at.desc(), compilations::id.desc()))
        .limit(limit)
        .select(CompilationRow::as_select())
        .load(connection)?
        .into_iter()
        .map(CompilationRow::into_compilation)
        .collect()
}

/// The entries of a compilation, in order.
pub fn entries_of(connection: &mut AnyConnection, id: &str) -> Result<Vec<Entry>, AppError> {
    entries_with(connection, id, Text::Whole, None)
}

/// Every entry (or those of the practices `among`), with its bodies or
/// without (to compare with the catalogue).
pub fn entries_with(
    connection: &mut AnyConnection,
    id: &str,
    text: Text,
    among: Option<&[String]>,
) -> Result<Vec<Entry>, AppError> {
    use compilation_entries as e;
    let mut base = e::table
        .filter(e::compilation_id.eq(id))
        .order(e::position)
        .into_boxed();
    if let Some(ids) = among {
        base = base.filter(e::practice_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<EntryRow> = match text {
        Text::Whole => base.select(EntryRow::as_select()).load(connection)?,
        Text::Bare => base
            .select((
                e::compilation_id,
                e::position,
                e::item,
                e::practice_id,
                e::title,
                diesel::dsl::sql::<diesel::sql_types::Text>("''"),
                e::items,
                e::submission_id,
                e::submission_version,
                e::entity,
                e::entity_name,
                e::entity_type,
                e::language,
                e::received_at,
                e::accepted_at,
            ))
            .load(connection)?,
    };
    rows.into_iter().map(EntryRow::into_entry).collect()
}

/// The entries at positions `first` to `first + count - 1` (positions
/// count from 1).
pub fn entries_between(
    connection: &mut AnyConnection,
    id: &str,
    first: i64,
    count: i64,
) -> Result<Vec<Entry>, AppError> {
    compilation_entries::table
        .filter(compilation_entries::compilation_id.eq(id))
        .filter(compilation_entries::position.ge(first))
        .order(compilation_entries::position)
        .limit(count)
        .select(EntryRow::as_select())
        .load(connection)?
        .into_iter()
        .map(EntryRow::into_entry)
        .collect()
}

/// Rows per insert: 15 columns, well below SQLite's bound-value limit.
const ENTRIES_PER_INSERT: usize = 1_000;

/// Puts `entries` in place of the compilation's present ones.
pub fn replace_entries(
    connection: &mut AnyConnection,
    id: &str,
    entries: &[Entry],
) -> Result<(), AppError> {
    diesel::delete(compilation_entries::table.filter(compilation_entries::compilation_id.eq(id)))
        .execute(connection)?;
    let rows = entries
        .iter()
        .map(|e| EntryRow::from_entry(id, e))
        .collect::<Result<Vec<_>, _>>()?;
    for chunk in rows.chunks(ENTRIES_PER_INSERT) {
        crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(
            compilation_entries::table
        )
        .values(chunk)
        .execute(c))?;
    }
    Ok(())
}

/// Serializes publications and changes to drafts on PostgreSQL, so two
/// editors publishing at once draw different numbers and no change slips in
/// between a publication's checks and its commit; held until the
/// transaction ends. SQLite's write transactions are one at a time already.
const EDITION_LOCK: i64 = 64_213;

pub fn lock_editions(connection: &mut AnyConnection) -> Result<(), AppError> {
    if let AnyConnection::Postgres(pg) = connection {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(EDITION_LOCK)
            .execute(pg)?;
    }
    Ok(())
}

/// The highest rank published in `year`, if any; call under
/// [`lock_editions`].
pub fn highest_rank(connection: &mut AnyConnection, year: i32) -> Result<Option<i64>, AppError> {
    Ok(compilations::table
        .filter(compilations::edition_year.eq(i64::from(year)))
        .select(diesel::dsl::max(compilations::edition_rank))
        .first::<Option<i64>>(connection)?)
}

/// What a candidate's text holds: all of it, to be assembled and kept, or
/// none, to be compared with a draft (which needs ids and items only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Whole,
    Bare,
}

/// The accepted practices a scope admits (its dates, and a practice with
/// an item in its sections), with their sources, in no particular order
/// (assembly orders them); only those `among` these ids when given.
pub fn candidates(
    connection: &mut AnyConnection,
    scope: &Scope,
    text: Text,
    among: Option<&[String]>,
) -> Result<Vec<Candidate>, AppError> {
    use diesel::dsl::sql;
    use diesel::sql_types::Text as SqlText;
    let day_start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
    let joined = practices::table.inner_join(submissions::table);
    let tail = (
        practices::items,
        submissions::version,
        submissions::entity,
        submissions::language,
        submissions::created_at,
        submissions::submitted_at,
        submissions::decided_at,
    );
    // The same columns either way, the texts left empty when not wanted.
    let mut query = match text {
        Text::Whole => joined
            .select((
                practices::id,
                practices::submission_id,
                practices::title,
                practices::body,
                tail,
            ))
            .into_boxed(),
        Text::Bare => joined
            .select((
                practices::id,
                practices::submission_id,
                sql::<SqlText>("''"),
                sql::<SqlText>("''"),
                tail,
            ))
            .into_boxed(),
    };
    // Only practices tagged within the scope's sections are read (a draft
    // of one section need not read the whole catalogue); the ORs come first
    // so that the filters after them apply to all.
    // Named practices need no such filter, and the database finds them
    // by key rather than by matching every practice's items.
    let patterns: Vec<String> = match among {
        Some(ids) => {
            query = query.filter(practices::id.eq_any(ids.to_vec()));
            Vec::new()
        }
        None => AnnexItem::all()
            .filter(|item| scope.sections.contains(&item.section()))
            .flat_map(super::submissions::item_patterns)
            .collect(),
    };
    for (i, pattern) in patterns.into_iter().enumerate() {
        query = if i == 0 {
            query.filter(practices::items.like(pattern))
        } else {
            query.or_filter(practices::items.like(pattern))
        };
    }
    query = match among {
        // The few named practices are found by key and their submissions'
        // status checked row by row: offered the status index, SQLite's
        // planner (without statistics) would read every accepted
        // submission first. `|| ''` keeps the index out on both backends.
        Some(_) => query.filter(sql::<diesel::sql_types::Bool>(
            "submissions.status || '' = 'accepted'",
        )),
        None => query.filter(submissions::status.eq("accepted")),
    };
    query = query.filter(practices::withdrawn_at.is_null());
    // An accepted revision's practices live on in its original's.
    query = query.filter(submissions::revises.is_null());
    if let Some(from) = scope.from {
        query = query.filter(submissions::decided_at.ge(day_start(from)));
    }
    if let Some(to) = scope.to.and_then(|d| d.succ_opt()) {
        query = query.filter(submissions::decided_at.lt(day_start(to)));
    }
    type Loaded = (
        String,
        String,
        String,
        String,
        (
            String,
            i64,
            String,
            String,
            NaiveDateTime,
            Option<NaiveDateTime>,
            Option<NaiveDateTime>,
        ),
    );
    let rows: Vec<Loaded> = query.load(connection)?;
    let entities = organisations::all_by_code(connection)?;
    rows.into_iter()
        .map(
            |(
                id,
                submission_id,
                title,
                body,
                (items, version, entity, language, created_at, submitted_at, decided_at),
            )| {
                let items: Vec<AnnexItem> = serde_json::from_str(&items).map_err(corrupt)?;
                let known = entities
                    .get(&entity)
                    .ok_or_else(|| corrupt(format!("unknown entity {entity}")))?;
                let accepted_at = utc(decided_at.unwrap_or(created_at));
                Ok(Candidate {
                    practice_id: id,
                    title,
                    body,
                    items,
                    submission_id,
                    submission_version: version,
                    entity,
                    entity_name: known.name.clone(),
                    entity_type: known.entity_type,
                    language: language.parse().map_err(corrupt)?,
                    received_at: utc(submitted_at.unwrap_or(created_at)),
                    accepted_at,
                })
            },
        )
        .collect()
}
