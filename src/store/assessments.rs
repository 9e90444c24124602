//! Self-assessments, their versions and their events: rows in, domain
//! values out. The rules live in `domain::assessment`; the use cases that
//! combine these calls in one transaction in `service::assessments`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::{assessment_events, assessment_versions, assessments};
use super::utc;
use crate::domain::assessment::Assessment;
use crate::domain::entities::EntityCode;
use crate::domain::page::Page;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessments)]
struct AssessmentRow {
    id: String,
    entity: String,
    year: i64,
    language: String,
    status: String,
    shared: bool,
    version: i64,
    created_by: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    completed_at: Option<NaiveDateTime>,
    reminded_at: Option<NaiveDateTime>,
    answers: String,
}

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("stored assessment data: {what}"))
}

impl AssessmentRow {
    fn of(a: &Assessment) -> Result<AssessmentRow, AppError> {
        Ok(AssessmentRow {
            id: a.id.clone(),
            entity: a.entity.to_string(),
            year: i64::from(a.year),
            language: a.language.code().to_owned(),
            status: a.status.as_str().to_owned(),
            shared: a.shared,
            version: a.version,
            created_by: a.created_by.clone(),
            created_at: a.created_at.naive_utc(),
            updated_at: a.updated_at.naive_utc(),
            completed_at: a.completed_at.map(|t| t.naive_utc()),
            reminded_at: None,
            answers: serde_json::to_string(&a.answers).map_err(AppError::internal)?,
        })
    }

    fn into_assessment(self) -> Result<Assessment, AppError> {
        Ok(Assessment {
            entity: EntityCode::parse(&self.entity).map_err(corrupt)?,
            year: i32::try_from(self.year).map_err(corrupt)?,
            language: self.language.parse().map_err(corrupt)?,
            status: self.status.parse().map_err(corrupt)?,
            answers: serde_json::from_str(&self.answers).map_err(corrupt)?,
            id: self.id,
            shared: self.shared,
            version: self.version,
            created_by: self.created_by,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            completed_at: self.completed_at.map(utc),
        })
    }
}

/// Stores a new assessment; `false` when the State has one for that year
/// already (the unique key decides, so two at once cannot both win).
pub fn insert(connection: &mut AnyConnection, assessment: &Assessment) -> Result<bool, AppError> {
    let row = AssessmentRow::of(assessment)?;
    let inserted = crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(
        assessments::table
    )
    .values(&row)
    .on_conflict((assessments::entity, assessments::year))
    .do_nothing()
    .execute(c))?;
    Ok(inserted == 1)
}

pub fn find(connection: &mut AnyConnection, id: &str) -> Result<Option<Assessment>, AppError> {
    find_by_key!(connection, assessments, id, AssessmentRow::into_assessment)
}

/// Writes what a save or a move changes.
pub fn save(connection: &mut AnyConnection, assessment: &Assessment) -> Result<(), AppError> {
    let row = AssessmentRow::of(assessment)?;
    diesel::update(assessments::table.find(&row.id))
        .set((
            assessments::status.eq(&row.status),
            assessments::shared.eq(row.shared),
            assessments::version.eq(row.version),
            assessments::updated_at.eq(row.updated_at),
            assessments::completed_at.eq(row.completed_at),
            assessments::answers.eq(&row.answers),
        ))
        .execute(connection)?;
    Ok(())
}

/// Which assessments a list holds.
pub enum Listed<'a> {
    /// A State's own, all of them.
    OfEntity(&'a EntityCode),
    /// Those States share with the Secretariat.
    Shared,
}

/// A page of assessments by id (oldest first), one more than the page
/// when another follows.
pub fn list(
    connection: &mut AnyConnection,
    listed: Listed<'_>,
    page: &Page,
) -> Result<Vec<Assessment>, AppError> {
    let mut query = assessments::table
        .select(AssessmentRow::as_select())
        .order(assessments::id)
        .into_boxed();
    query = match listed {
        Listed::OfEntity(entity) => query.filter(assessments::entity.eq(entity.to_string())),
        Listed::Shared => query.filter(assessments::shared.eq(true)),
    };
    let rows: Vec<AssessmentRow> = page_of!(query, assessments, page, connection);
    rows.into_iter()
        .map(AssessmentRow::into_assessment)
        .collect()
}

/// The State's latest assessment before `year`: where a new one starts.
pub fn latest_before(
    connection: &mut AnyConnection,
    entity: &EntityCode,
    year: i32,
) -> Result<Option<Assessment>, AppError> {
    assessments::table
        .filter(assessments::entity.eq(entity.to_string()))
        .filter(assessments::year.lt(i64::from(year)))
        .order(assessments::year.desc())
        .select(AssessmentRow::as_select())
        .first(connection)
        .optional()?
        .map(AssessmentRow::into_assessment)
        .transpose()
}

/// The latest shared assessment of each State that shares one: what the
/// coverage counts.
pub fn latest_shared(connection: &mut AnyConnection) -> Result<Vec<Assessment>, AppError> {
    let rows: Vec<AssessmentRow> = assessments::table
        .filter(assessments::shared.eq(true))
        .order((assessments::entity, assessments::year.desc()))
        .select(AssessmentRow::as_select())
        .load(connection)?;
    let mut latest: Vec<Assessment> = Vec::new();
    for row in rows {
        if latest.last().map(|a| a.entity.as_str()) != Some(row.entity.as_str()) {
            latest.push(row.into_assessment()?);
        }
    }
    Ok(latest)
}

/// Completed assessments whose State has not been reminded and whose
/// completion is older than `before`.
pub fn due_for_reminder(
    connection: &mut AnyConnection,
    before: chrono::DateTime<chrono::Utc>,
    limit: i64,
) -> Result<Vec<Assessment>, AppError> {
    let rows: Vec<AssessmentRow> = assessments::table
        .filter(assessments::completed_at.le(before.naive_utc()))
        .filter(assessments::reminded_at.is_null())
        .order(assessments::completed_at)
        .limit(limit)
        .select(AssessmentRow::as_select())
        .load(connection)?;
    rows.into_iter()
        .map(AssessmentRow::into_assessment)
        .collect()
}

/// Records that the State was reminded of this assessment; `false` when
/// another replica did so first.
pub fn mark_reminded(
    connection: &mut AnyConnection,
    id: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<bool, AppError> {
    let updated = diesel::update(
        assessments::table
            .find(id)
            .filter(assessments::reminded_at.is_null()),
    )
    .set(assessments::reminded_at.eq(Some(at.naive_utc())))
    .execute(connection)?;
    Ok(updated == 1)
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = assessment_versions)]
pub struct VersionRow {
    pub assessment_id: String,
    pub version: i64,
    pub saved_at: NaiveDateTime,
    pub document: String,
}

pub fn insert_version(connection: &mut AnyConnection, row: &VersionRow) -> Result<(), AppError> {
    diesel::insert_into(assessment_versions::table)
        .values(row)
        .execute(connection)?;
    Ok(())
}

/// Every saved version: its number and when.
pub fn versions(
    connection: &mut AnyConnection,
    id: &str,
) -> Result<Vec<(i64, chrono::DateTime<chrono::Utc>)>, AppError> {
    let rows: Vec<(i64, NaiveDateTime)> = assessment_versions::table
        .filter(assessment_versions::assessment_id.eq(id))
        .order(assessment_versions::version)
        .select((assessment_versions::version, assessment_versions::saved_at))
        .load(connection)?;
    Ok(rows.into_iter().map(|(v, at)| (v, utc(at))).collect())
}

#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = assessment_events)]
pub struct EventRow {
    pub id: String,
    pub assessment_id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub message: Option<String>,
}

pub fn insert_event(connection: &mut AnyConnection, row: &EventRow) -> Result<(), AppError> {
    diesel::insert_into(assessment_events::table)
        .values(row)
        .execute(connection)?;
    Ok(())
}

/// The trail, oldest first.
pub fn events(connection: &mut AnyConnection, id: &str) -> Result<Vec<EventRow>, AppError> {
    Ok(assessment_events::table
        .filter(assessment_events::assessment_id.eq(id))
        .order(assessment_events::id)
        .select(EventRow::as_select())
        .load(connection)?)
}
