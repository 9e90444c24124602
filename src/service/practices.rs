//! A practice of the public catalogue as readers see it, with its
//! entity's name and type: the read model the API's `/practices/{id}` and
//! the practice page both show.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::annex::SectionId;
use crate::domain::entities::EntityType;
use crate::domain::submission::{Practice, Sector, Submission};
use crate::domain::translation::{self, Origin};
use crate::domain::workflow::Status;
use crate::domain::Language;
use crate::error::AppError;
use crate::store::{organisations, submissions, translations, AnyConnection};

/// A practice of the catalogue, with where it came from: in the language
/// it was written in, or in a courtesy translation a reader asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct CataloguePractice {
    pub id: String,
    /// In `language`.
    pub title: String,
    /// Markdown, in `language`.
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
    /// The language of `title` and `body`.
    pub language: Language,
    /// The language it was written in: the text of record.
    pub original_language: Language,
    /// Whether `title` and `body` are a courtesy translation.
    pub translated: bool,
    /// Who made the translation shown, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translated_by: Option<Origin>,
    /// The languages it has a courtesy translation into.
    pub translations: Vec<Language>,
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

/// The practice as readers see it: in `wanted`, where it has a translation
/// into it, else as written.
pub(super) fn catalogue_view(
    connection: &mut AnyConnection,
    submission: &Submission,
    practice: &Practice,
    wanted: Option<Language>,
) -> Result<CataloguePractice, AppError> {
    let translations = translations::of_practice(connection, &practice.id)?;
    let shown = wanted.and_then(|language| translation::for_reader(&translations, language));
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
        title: shown.map_or(&practice.title, |t| &t.title).clone(),
        body: shown.map_or(&practice.body, |t| &t.body).clone(),
        items: practice.items.iter().map(|i| i.number()).collect(),
        sections: sections.into_iter().map(|s| s.to_string()).collect(),
        sectors: practice.sectors.clone(),
        editorial_note: practice.editorial_note.clone(),
        entity: entity.code.to_string(),
        entity_name: entity.name,
        entity_type: entity.entity_type,
        language: shown.map_or(submission.language, |t| t.language),
        original_language: submission.language,
        translated: shown.is_some(),
        translated_by: shown.map(|t| t.origin),
        translations: translations.iter().map(|t| t.language).collect(),
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
    wanted: Option<Language>,
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
        Some(practice) => catalogue_view(connection, &submission, practice, wanted).map(Some),
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
