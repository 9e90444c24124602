//! A practice of the public catalogue as readers see it, with its
//! entity's name and type: the read model the API's `/practices/{id}` and
//! the practice page both show.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::annex::SectionId;
use crate::domain::entities::EntityType;
use crate::domain::submission::{Practice, Sector, Submission};
use crate::domain::workflow::Status;
use crate::domain::Language;
use crate::error::AppError;
use crate::store::{organisations, submissions, AnyConnection};

/// A practice of the catalogue, with where it came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct CataloguePractice {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    #[schema(example = json!([10, 11]))]
    pub items: Vec<u8>,
    /// The annex sections of its items.
    #[schema(example = json!(["E"]))]
    pub sections: Vec<String>,
    pub sectors: Vec<Sector>,
    /// The Secretariat's note, when an editor added one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editorial_note: Option<String>,
    /// The Member State or organisation that shared it (its code).
    pub entity: String,
    pub entity_name: String,
    pub entity_type: EntityType,
    /// The language it was written in.
    pub language: Language,
    /// When the Secretariat received the submission.
    pub received_at: DateTime<Utc>,
    /// When an editor accepted it into the catalogue.
    pub accepted_at: DateTime<Utc>,
    /// The submission it came in.
    pub submission_id: String,
    /// The submission's version, which the answer's ETag carries (a
    /// re-tagging is bound to it with `If-Match`).
    #[serde(skip)]
    pub version: i64,
}

pub(super) fn catalogue_view(
    connection: &mut AnyConnection,
    submission: &Submission,
    practice: &Practice,
) -> Result<CataloguePractice, AppError> {
    let entity = organisations::lookup(connection, &submission.entity)?.ok_or_else(|| {
        AppError::internal(format!(
            "entity {} of an accepted submission is unknown",
            submission.entity
        ))
    })?;
    let sections: std::collections::BTreeSet<SectionId> =
        practice.items.iter().map(|i| i.section()).collect();
    Ok(CataloguePractice {
        id: practice.id.clone(),
        title: practice.title.clone(),
        body: practice.body.clone(),
        items: practice.items.iter().map(|i| i.number()).collect(),
        sections: sections.into_iter().map(|s| s.to_string()).collect(),
        sectors: practice.sectors.clone(),
        editorial_note: practice.editorial_note.clone(),
        entity: entity.code.to_string(),
        entity_name: entity.name,
        entity_type: entity.entity_type,
        language: submission.language,
        received_at: submission.submitted_at.unwrap_or(submission.created_at),
        accepted_at: submission.decided_at.unwrap_or(submission.updated_at),
        submission_id: submission.id.clone(),
        version: submission.version,
    })
}

/// The practice, if it is in the public catalogue; a withdrawn one is
/// `Gone`, with the Secretariat's reason.
pub fn find_public(
    connection: &mut AnyConnection,
    id: &str,
) -> Result<Option<CataloguePractice>, AppError> {
    let Some(submission_id) = submissions::submission_of_practice(connection, id)? else {
        return Ok(None);
    };
    let Some(submission) = submissions::find(connection, &submission_id)? else {
        return Ok(None);
    };
    // A revision's practices are never public: once it is accepted they
    // live on, corrected in place, in the submission it revised.
    if submission.status != Status::Accepted || submission.revises.is_some() {
        return Ok(None);
    }
    if let Some((_, reason)) = submissions::withdrawal_of(connection, id)? {
        return Err(AppError::Gone(format!(
            "practice {id} was withdrawn from the catalogue: {reason}"
        )));
    }
    match submission.practices.iter().find(|p| p.id == id) {
        Some(practice) => catalogue_view(connection, &submission, practice).map(Some),
        None => Ok(None),
    }
}

/// When and why the practice was withdrawn from the catalogue, if it was.
pub fn withdrawal(
    connection: &mut AnyConnection,
    id: &str,
) -> Result<Option<(DateTime<Utc>, String)>, AppError> {
    submissions::withdrawal_of(connection, id)
}
