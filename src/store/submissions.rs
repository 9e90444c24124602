//! Submissions and their practices: rows in, read models out. The rules
//! live in `domain`; the use cases that combine these calls in one
//! transaction live in `intake`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::{practices, submissions};
use super::utc;
use crate::domain::annex::{AnnexItem, SectionId};
use crate::domain::entities::EntityCode;
use crate::domain::page::Page;
use crate::domain::submission::{Practice, Submission};
use crate::domain::suggestion::Suggestion;
use crate::domain::workflow::Status;
use crate::domain::Language;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = submissions)]
pub struct SubmissionRow {
    pub id: String,
    pub entity: String,
    pub language: String,
    pub title: String,
    pub summary: Option<String>,
    pub status: String,
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub decided_at: Option<NaiveDateTime>,
    pub editor_message: Option<String>,
    pub decision_note: Option<String>,
    pub revises: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = practices)]
pub struct PracticeRow {
    pub id: String,
    pub submission_id: String,
    pub position: i64,
    pub title: String,
    pub body: String,
    pub items: String,
    pub sectors: String,
    pub editorial_note: Option<String>,
    pub updated_at: NaiveDateTime,
    pub suggested_items: String,
    pub replaces: Option<String>,
}

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("stored submission data: {what}"))
}

impl SubmissionRow {
    pub fn from_submission(submission: &Submission) -> SubmissionRow {
        SubmissionRow {
            id: submission.id.clone(),
            entity: submission.entity.to_string(),
            language: submission.language.code().to_owned(),
            title: submission.title.clone(),
            summary: submission.summary.clone(),
            status: submission.status.as_str().to_owned(),
            version: submission.version,
            created_by: submission.created_by.clone(),
            created_at: submission.created_at.naive_utc(),
            updated_at: submission.updated_at.naive_utc(),
            submitted_at: submission.submitted_at.map(|t| t.naive_utc()),
            decided_at: submission.decided_at.map(|t| t.naive_utc()),
            editor_message: submission.editor_message.clone(),
            decision_note: submission.decision_note.clone(),
            revises: submission.revises.clone(),
        }
    }

    fn into_submission(self, practices: Vec<Practice>) -> Result<Submission, AppError> {
        Ok(Submission {
            entity: EntityCode::parse(&self.entity).map_err(corrupt)?,
            language: self.language.parse().map_err(corrupt)?,
            status: self.status.parse().map_err(corrupt)?,
            id: self.id,
            title: self.title,
            summary: self.summary,
            version: self.version,
            created_by: self.created_by,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            submitted_at: self.submitted_at.map(utc),
            decided_at: self.decided_at.map(utc),
            editor_message: self.editor_message,
            decision_note: self.decision_note,
            revises: self.revises,
            practices,
        })
    }
}

impl PracticeRow {
    /// The rows of a submission's practices, in its order.
    pub fn all_of(submission: &Submission) -> Vec<PracticeRow> {
        let practices = submission.practices.iter().enumerate();
        practices
            .map(|(position, p)| PracticeRow::from_practice(p, position))
            .collect()
    }

    pub fn from_practice(practice: &Practice, position: usize) -> PracticeRow {
        let items: Vec<u8> = practice.items.iter().map(|i| i.number()).collect();
        PracticeRow {
            id: practice.id.clone(),
            submission_id: practice.submission_id.clone(),
            position: position as i64,
            title: practice.title.clone(),
            body: practice.body.clone(),
            items: serde_json::to_string(&items).unwrap_or_else(|_| "[]".to_owned()),
            sectors: serde_json::to_string(&practice.sectors).unwrap_or_else(|_| "[]".to_owned()),
            editorial_note: practice.editorial_note.clone(),
            updated_at: practice.updated_at.naive_utc(),
            suggested_items: serde_json::to_string(&practice.suggested)
                .unwrap_or_else(|_| "[]".to_owned()),
            replaces: practice.replaces.clone(),
        }
    }

    pub(crate) fn into_practice(self) -> Result<Practice, AppError> {
        Ok(Practice {
            items: serde_json::from_str(&self.items).map_err(corrupt)?,
            sectors: serde_json::from_str(&self.sectors).map_err(corrupt)?,
            suggested: serde_json::from_str(&self.suggested_items).map_err(corrupt)?,
            id: self.id,
            submission_id: self.submission_id,
            title: self.title,
            body: self.body,
            editorial_note: self.editorial_note,
            updated_at: utc(self.updated_at),
            replaces: self.replaces,
        })
    }
}

/// SQLite allows 32,766 bound values a statement; rows are inserted in
/// chunks that stay well below it whatever the column count.
const ROWS_PER_INSERT: usize = 500;

pub fn insert_many(
    connection: &mut AnyConnection,
    submissions: &[SubmissionRow],
    practices: &[PracticeRow],
) -> Result<(), AppError> {
    for chunk in submissions.chunks(ROWS_PER_INSERT) {
        crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(
            submissions::table
        )
        .values(chunk)
        .execute(c))?;
    }
    for chunk in practices.chunks(ROWS_PER_INSERT) {
        crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(practices::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

pub fn insert(connection: &mut AnyConnection, submission: &Submission) -> Result<(), AppError> {
    let practices = PracticeRow::all_of(submission);
    insert_many(
        connection,
        &[SubmissionRow::from_submission(submission)],
        &practices,
    )
}

pub fn find(connection: &mut AnyConnection, id: &str) -> Result<Option<Submission>, AppError> {
    let Some(row) = submissions::table
        .find(id)
        .select(SubmissionRow::as_select())
        .first(connection)
        .optional()?
    else {
        return Ok(None);
    };
    let practices = practices::table
        .filter(practices::submission_id.eq(id))
        .order(practices::position)
        .select(PracticeRow::as_select())
        .load(connection)?
        .into_iter()
        .map(PracticeRow::into_practice)
        .collect::<Result<Vec<_>, _>>()?;
    row.into_submission(practices).map(Some)
}

/// Writes every field of the submission row, and its practices when they
/// changed (an update replaces them all).
pub fn save(
    connection: &mut AnyConnection,
    submission: &Submission,
    practices_changed: bool,
) -> Result<(), AppError> {
    let row = SubmissionRow::from_submission(submission);
    diesel::update(submissions::table.find(&submission.id))
        .set((
            submissions::title.eq(&row.title),
            submissions::summary.eq(&row.summary),
            submissions::language.eq(&row.language),
            submissions::status.eq(&row.status),
            submissions::version.eq(row.version),
            submissions::updated_at.eq(row.updated_at),
            submissions::submitted_at.eq(row.submitted_at),
            submissions::decided_at.eq(row.decided_at),
            submissions::editor_message.eq(&row.editor_message),
            submissions::decision_note.eq(&row.decision_note),
        ))
        .execute(connection)?;
    if practices_changed {
        // An edit replaces the practices, and a translation of a text that
        // was replaced translates nothing any more.
        let replaced: Vec<String> = practices::table
            .filter(practices::submission_id.eq(&submission.id))
            .select(practices::id)
            .load(connection)?;
        let replaced: Vec<&str> = replaced.iter().map(String::as_str).collect();
        super::translations::delete_of_practices(connection, &replaced)?;
        diesel::delete(practices::table.filter(practices::submission_id.eq(&submission.id)))
            .execute(connection)?;
        let rows = PracticeRow::all_of(submission);
        insert_many(connection, &[], &rows)?;
    }
    Ok(())
}

/// Writes a submission's practices where they are, by id: changed ones in
/// place, new ones added, the others (withdrawn, dropped) left as they
/// were, so a practice's withdrawal stays with it. For adopting a revision.
pub fn save_practices_in_place(
    connection: &mut AnyConnection,
    submission: &Submission,
) -> Result<(), AppError> {
    for row in PracticeRow::all_of(submission) {
        let written = diesel::update(practices::table.find(&row.id))
            .set((
                practices::position.eq(row.position),
                practices::title.eq(&row.title),
                practices::body.eq(&row.body),
                practices::items.eq(&row.items),
                practices::sectors.eq(&row.sectors),
                practices::editorial_note.eq(&row.editorial_note),
                practices::updated_at.eq(row.updated_at),
                practices::suggested_items.eq(&row.suggested_items),
            ))
            .execute(connection)?;
        if written == 0 {
            insert_many(connection, &[], &[row])?;
        }
    }
    Ok(())
}

/// The ids of a submission's practices that are in the catalogue (not
/// withdrawn), whatever its status.
pub fn live_practice_ids(
    connection: &mut AnyConnection,
    submission_id: &str,
) -> Result<std::collections::HashSet<String>, AppError> {
    let ids: Vec<String> = practices::table
        .filter(practices::submission_id.eq(submission_id))
        .filter(practices::withdrawn_at.is_null())
        .select(practices::id)
        .load(connection)?;
    Ok(ids.into_iter().collect())
}

/// The revision of this submission still in the workflow, if one is.
pub fn open_revision_of(
    connection: &mut AnyConnection,
    submission_id: &str,
) -> Result<Option<String>, AppError> {
    let open = [Status::Draft, Status::Submitted, Status::ChangesRequested].map(Status::as_str);
    Ok(submissions::table
        .filter(submissions::revises.eq(submission_id))
        .filter(submissions::status.eq_any(open))
        .select(submissions::id)
        .first(connection)
        .optional()?)
}

/// Writes a practice's tags and note (curation).
pub fn save_practice_tags(
    connection: &mut AnyConnection,
    practice: &Practice,
) -> Result<(), AppError> {
    let row = PracticeRow::from_practice(practice, 0);
    diesel::update(practices::table.find(&practice.id))
        .set((
            practices::items.eq(&row.items),
            practices::sectors.eq(&row.sectors),
            practices::editorial_note.eq(&row.editorial_note),
            practices::updated_at.eq(row.updated_at),
        ))
        .execute(connection)?;
    Ok(())
}

/// The id of the submission a practice belongs to.
pub fn submission_of_practice(
    connection: &mut AnyConnection,
    practice_id: &str,
) -> Result<Option<String>, AppError> {
    Ok(practices::table
        .find(practice_id)
        .select(practices::submission_id)
        .first(connection)
        .optional()?)
}

/// A submission in a list: no practices, only how many.
#[derive(Debug, Clone)]
pub struct SubmissionHead {
    pub submission: Submission,
    pub practices_count: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only these entities (a focal point's own); `None` for all.
    pub entities: Option<Vec<String>>,
    pub statuses: Vec<Status>,
    pub language: Option<Language>,
    /// Only submissions with a practice tagged with an item of this section.
    pub section: Option<SectionId>,
}

/// The ways an item list stored as JSON (`[4,11]`) can hold `item`: first,
/// in the middle, last or alone. Both backends match these with LIKE,
/// where a JSON function would differ between them.
pub(super) fn item_patterns(item: AnnexItem) -> [String; 4] {
    let n = item.number();
    [
        format!("[{n},%"),
        format!("%,{n},%"),
        format!("%,{n}]"),
        format!("[{n}]"),
    ]
}

pub fn list(
    connection: &mut AnyConnection,
    filter: &ListFilter,
    page: &Page,
) -> Result<Vec<SubmissionHead>, AppError> {
    let mut query = submissions::table
        .select(SubmissionRow::as_select())
        .order(submissions::id)
        .into_boxed();
    if let Some(entities) = &filter.entities {
        query = query.filter(submissions::entity.eq_any(entities.clone()));
    }
    if !filter.statuses.is_empty() {
        let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        query = query.filter(submissions::status.eq_any(statuses));
    }
    if let Some(language) = filter.language {
        query = query.filter(submissions::language.eq(language.code()));
    }
    if let Some(section) = filter.section {
        // Two steps (a multi-backend query cannot hold a boxed subquery):
        // the items of the practices of the submissions in question, read
        // and matched here, which is exact where a LIKE on JSON is not.
        let mut tagged = practices::table
            .inner_join(submissions::table)
            .select((practices::submission_id, practices::items))
            .into_boxed();
        if !filter.statuses.is_empty() {
            let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
            tagged = tagged.filter(submissions::status.eq_any(statuses));
        }
        if let Some(entities) = &filter.entities {
            tagged = tagged.filter(submissions::entity.eq_any(entities.clone()));
        }
        if let Some(language) = filter.language {
            tagged = tagged.filter(submissions::language.eq(language.code()));
        }
        let rows: Vec<(String, String)> = tagged.load(connection)?;
        let mut ids: Vec<String> = rows
            .into_iter()
            .filter(|(_, items)| {
                serde_json::from_str::<Vec<AnnexItem>>(items)
                    .is_ok_and(|items| items.iter().any(|item| item.section() == section))
            })
            .map(|(id, _)| id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        // Only this page's ids are bound: a long queue stays within the
        // backends' limits on bound values.
        ids.retain(|id| page.after.as_ref().is_none_or(|after| id > after));
        ids.truncate(page.fetch_limit() as usize);
        query = query.filter(submissions::id.eq_any(ids));
    }
    let rows: Vec<SubmissionRow> = page_of!(query, submissions, page, connection);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let counts: Vec<(String, i64)> = practices::table
        .filter(practices::submission_id.eq_any(&ids))
        .group_by(practices::submission_id)
        .select((practices::submission_id, diesel::dsl::count_star()))
        .load(connection)?;
    let counts: std::collections::HashMap<String, i64> = counts.into_iter().collect();
    rows.into_iter()
        .map(|row| {
            let practices_count = counts.get(&row.id).copied().unwrap_or(0);
            row.into_submission(Vec::new())
                .map(|submission| SubmissionHead {
                    submission,
                    practices_count,
                })
        })
        .collect()
}

/// How many submissions of these entities (`None`: all) are in each status.
pub fn count_by_status(
    connection: &mut AnyConnection,
    entities: Option<&[String]>,
) -> Result<Vec<(Status, i64)>, AppError> {
    let mut query = submissions::table
        .group_by(submissions::status)
        .select((submissions::status, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(entities) = entities {
        query = query.filter(submissions::entity.eq_any(entities.to_vec()));
    }
    let rows: Vec<(String, i64)> = query.load(connection)?;
    rows.into_iter()
        .map(|(status, n)| {
            status
                .parse()
                .map(|s| (s, n))
                .map_err(|e| AppError::internal(format!("stored status: {e}")))
        })
        .collect()
}

/// How many submissions there are, by status (for imports and benchmarks).
pub fn count(connection: &mut AnyConnection) -> Result<i64, AppError> {
    Ok(submissions::table.count().get_result(connection)?)
}

/// The practices of many submissions at once, by submission id, in order.
pub fn practices_of(
    connection: &mut AnyConnection,
    submission_ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<Practice>>, AppError> {
    let mut by_submission: std::collections::HashMap<String, Vec<Practice>> =
        std::collections::HashMap::new();
    for chunk in submission_ids.chunks(ROWS_PER_INSERT) {
        let rows = practices::table
            .filter(practices::submission_id.eq_any(chunk))
            .order((practices::submission_id, practices::position))
            .select(PracticeRow::as_select())
            .load(connection)?;
        for row in rows {
            let practice = row.into_practice()?;
            by_submission
                .entry(practice.submission_id.clone())
                .or_default()
                .push(practice);
        }
    }
    Ok(by_submission)
}

/// Practices awaiting the Secretariat (submitted, or returned for changes),
/// in all (slot 0) and per annex item: what is coming into the catalogue.
pub fn pipeline(
    connection: &mut AnyConnection,
) -> Result<crate::domain::coverage::ItemCounts, AppError> {
    let waiting = [
        Status::Submitted.as_str(),
        Status::ChangesRequested.as_str(),
    ];
    let rows: Vec<String> = practices::table
        .inner_join(submissions::table)
        .filter(submissions::status.eq_any(waiting))
        .select(practices::items)
        .load(connection)?;
    let mut counts = [0; AnnexItem::LAST as usize + 1];
    for items in rows {
        let items: Vec<AnnexItem> = serde_json::from_str(&items).map_err(corrupt)?;
        counts[0] += 1;
        for item in items {
            counts[usize::from(item.number())] += 1;
        }
    }
    Ok(counts)
}

/// An accepted practice as editors left it: what the tagging model learns from.
#[derive(Debug, Clone)]
pub struct Decision {
    pub language: Language,
    pub title: String,
    pub body: String,
    pub items: Vec<AnnexItem>,
}

/// The newest `limit` accepted practices, newest decisions first.
pub fn decisions(connection: &mut AnyConnection, limit: i64) -> Result<Vec<Decision>, AppError> {
    let rows: Vec<(String, String, String, String)> = practices::table
        .inner_join(submissions::table)
        .filter(submissions::status.eq(Status::Accepted.as_str()))
        // An accepted revision's practices live on in its original's.
        .filter(submissions::revises.is_null())
        .order((submissions::decided_at.desc(), practices::id))
        .limit(limit)
        .select((
            submissions::language,
            practices::title,
            practices::body,
            practices::items,
        ))
        .load(connection)?;
    rows.into_iter()
        .map(|(language, title, body, items)| {
            Ok(Decision {
                language: language.parse().map_err(corrupt)?,
                title,
                body,
                items: serde_json::from_str(&items).map_err(corrupt)?,
            })
        })
        .collect()
}

/// What was suggested for each accepted practice and what editors kept:
/// `(language, items, suggested)`.
pub type Outcome = (Language, Vec<AnnexItem>, Vec<Suggestion>);

pub fn suggestion_outcomes(connection: &mut AnyConnection) -> Result<Vec<Outcome>, AppError> {
    let rows: Vec<(String, String, String)> = practices::table
        .inner_join(submissions::table)
        .filter(submissions::status.eq(Status::Accepted.as_str()))
        // An accepted revision's practices live on in its original's.
        .filter(submissions::revises.is_null())
        .select((
            submissions::language,
            practices::items,
            practices::suggested_items,
        ))
        .load(connection)?;
    rows.into_iter()
        .map(|(language, items, suggested)| {
            Ok((
                language.parse().map_err(corrupt)?,
                serde_json::from_str(&items).map_err(corrupt)?,
                serde_json::from_str(&suggested).map_err(corrupt)?,
            ))
        })
        .collect()
}

/// Why and when an editor took a practice out of the catalogue, if so.
pub fn withdrawal_of(
    connection: &mut AnyConnection,
    practice_id: &str,
) -> Result<Option<(DateTime<Utc>, String)>, AppError> {
    let found: Option<(Option<NaiveDateTime>, Option<String>)> = practices::table
        .find(practice_id)
        .select((practices::withdrawn_at, practices::withdrawn_reason))
        .first(connection)
        .optional()?;
    Ok(match found {
        Some((Some(at), reason)) => Some((super::utc(at), reason.unwrap_or_default())),
        _ => None,
    })
}

/// Takes a practice out of the catalogue, with the reason readers are given.
pub fn set_withdrawn(
    connection: &mut AnyConnection,
    practice_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    diesel::update(practices::table.find(practice_id))
        .set((
            practices::withdrawn_at.eq(Some(now.naive_utc())),
            practices::withdrawn_reason.eq(Some(reason)),
        ))
        .execute(connection)?;
    Ok(())
}
