//! Courtesy translations of practices (`domain::translation`): one row per
//! practice and language.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::practice_translations;
use crate::domain::translation::Translation;
use crate::domain::Language;
use crate::error::AppError;

/// Ids a query's `IN (…)` holds at most: SQLite's limit on parameters is
/// far above it, and PostgreSQL plans it as well as a join.
const IDS_PER_QUERY: usize = 500;

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = practice_translations)]
struct TranslationRow {
    practice_id: String,
    language: String,
    title: String,
    body: String,
    origin: String,
    updated_by: Option<String>,
    updated_at: NaiveDateTime,
}

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("stored translation data: {what}"))
}

impl TranslationRow {
    fn of(t: &Translation) -> TranslationRow {
        TranslationRow {
            practice_id: t.practice_id.clone(),
            language: t.language.code().to_owned(),
            title: t.title.clone(),
            body: t.body.clone(),
            origin: t.origin.as_str().to_owned(),
            updated_by: t.updated_by.clone(),
            updated_at: t.updated_at.naive_utc(),
        }
    }

    fn into_translation(self) -> Result<Translation, AppError> {
        Ok(Translation {
            practice_id: self.practice_id,
            language: self.language.parse().map_err(corrupt)?,
            title: self.title,
            body: self.body,
            origin: self.origin.parse().map_err(corrupt)?,
            updated_by: self.updated_by,
            updated_at: self.updated_at.and_utc(),
        })
    }
}

/// A practice's translations, by language code.
pub fn of_practice(
    connection: &mut AnyConnection,
    practice_id: &str,
) -> Result<Vec<Translation>, AppError> {
    practice_translations::table
        .filter(practice_translations::practice_id.eq(practice_id))
        .order(practice_translations::language)
        .select(TranslationRow::as_select())
        .load(connection)?
        .into_iter()
        .map(TranslationRow::into_translation)
        .collect()
}

/// The translations of each of these practices (those with none are not
/// in the map).
pub fn of_practices(
    connection: &mut AnyConnection,
    practice_ids: &[&str],
) -> Result<HashMap<String, Vec<Translation>>, AppError> {
    let mut found: HashMap<String, Vec<Translation>> = HashMap::new();
    for translation in translations_of(connection, practice_ids, None)? {
        found
            .entry(translation.practice_id.clone())
            .or_default()
            .push(translation);
    }
    Ok(found)
}

/// The translations of these practices into `language` (an edition read
/// in it needs no other language's texts).
pub fn of_practices_into(
    connection: &mut AnyConnection,
    practice_ids: &[&str],
    language: Language,
) -> Result<Vec<Translation>, AppError> {
    translations_of(connection, practice_ids, Some(language))
}

fn translations_of(
    connection: &mut AnyConnection,
    practice_ids: &[&str],
    language: Option<Language>,
) -> Result<Vec<Translation>, AppError> {
    let mut found = Vec::new();
    for chunk in practice_ids.chunks(IDS_PER_QUERY) {
        let mut query = practice_translations::table
            .filter(practice_translations::practice_id.eq_any(chunk))
            .order((
                practice_translations::practice_id,
                practice_translations::language,
            ))
            .select(TranslationRow::as_select())
            .into_boxed();
        if let Some(language) = language {
            query = query.filter(practice_translations::language.eq(language.code()));
        }
        let rows: Vec<TranslationRow> = query.load(connection)?;
        for row in rows {
            found.push(row.into_translation()?);
        }
    }
    Ok(found)
}

/// Writes the translation, replacing the one into the same language.
pub fn save(connection: &mut AnyConnection, translation: &Translation) -> Result<(), AppError> {
    let row = TranslationRow::of(translation);
    let replaced = diesel::update(
        practice_translations::table
            .filter(practice_translations::practice_id.eq(&row.practice_id))
            .filter(practice_translations::language.eq(&row.language)),
    )
    .set((
        practice_translations::title.eq(&row.title),
        practice_translations::body.eq(&row.body),
        practice_translations::origin.eq(&row.origin),
        practice_translations::updated_by.eq(&row.updated_by),
        practice_translations::updated_at.eq(row.updated_at),
    ))
    .execute(connection)?;
    if replaced == 0 {
        crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(
            practice_translations::table
        )
        .values(&row)
        .execute(c))?;
    }
    Ok(())
}

/// Removes a practice's translation into `language`; answers whether there
/// was one.
pub fn delete(
    connection: &mut AnyConnection,
    practice_id: &str,
    language: &str,
) -> Result<bool, AppError> {
    let removed = diesel::delete(
        practice_translations::table
            .filter(practice_translations::practice_id.eq(practice_id))
            .filter(practice_translations::language.eq(language)),
    )
    .execute(connection)?;
    Ok(removed > 0)
}

/// Removes every translation of these practices (their text changed, so
/// the translations no longer say what they say); answers how many.
pub fn delete_of_practices(
    connection: &mut AnyConnection,
    practice_ids: &[&str],
) -> Result<usize, AppError> {
    let mut removed = 0;
    for chunk in practice_ids.chunks(IDS_PER_QUERY) {
        removed += diesel::delete(
            practice_translations::table.filter(practice_translations::practice_id.eq_any(chunk)),
        )
        .execute(connection)?;
    }
    Ok(removed)
}

/// Writes new translations (an import's), in one statement per chunk.
pub fn insert_many(
    connection: &mut AnyConnection,
    translations: &[&Translation],
) -> Result<(), AppError> {
    let rows: Vec<TranslationRow> = translations.iter().map(|t| TranslationRow::of(t)).collect();
    insert_in_chunks!(connection, practice_translations::table, rows)
}
