//! The submission as the API shows it, and as every version keeps it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::submission::Practice;
use crate::domain::submission::Sector;
use crate::domain::submission::Submission;
use crate::domain::suggestion::Suggestion;
use crate::domain::translation::{Origin, Translation};
use crate::domain::workflow::Status;
use crate::domain::Language;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmissionView {
    pub id: String,
    #[schema(example = "FRA")]
    pub entity: String,
    #[schema(example = "France")]
    pub entity_name: String,
    pub language: Language,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub status: Status,
    /// Counts every saved state from 1; the ETag is `"v<version>"`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The editor's last request for changes, for the focal point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes_requested_message: Option<String>,
    /// The note of an acceptance, or the reason of a rejection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
    /// When it is a revision: the accepted submission it corrects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revises: Option<String>,
    pub practices: Vec<PracticeView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PracticeView {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// Annex items, 1 to 18.
    #[schema(example = json!([10, 11]))]
    pub items: Vec<u8>,
    pub sectors: Vec<Sector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editorial_note: Option<String>,
    /// The annex items suggested for the practice's text when it was
    /// saved, best first, each with the words that point to it.
    pub suggested_items: Vec<Suggestion>,
    /// In a revision: the published practice this one corrects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// Its courtesy translations: its sender's, or the Secretariat's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<TranslationView>,
}

/// A courtesy translation of a practice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TranslationView {
    pub language: Language,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub translated_by: Origin,
}

impl TranslationView {
    pub fn new(t: &Translation) -> TranslationView {
        TranslationView {
            language: t.language,
            title: t.title.clone(),
            body: t.body.clone(),
            translated_by: t.origin,
        }
    }
}

impl PracticeView {
    pub fn new(practice: &Practice) -> PracticeView {
        PracticeView {
            id: practice.id.clone(),
            title: practice.title.clone(),
            body: practice.body.clone(),
            items: practice.items.iter().map(|i| i.number()).collect(),
            sectors: practice.sectors.clone(),
            editorial_note: practice.editorial_note.clone(),
            suggested_items: practice.suggested.clone(),
            replaces: practice.replaces.clone(),
            translations: Vec::new(),
        }
    }
}

impl SubmissionView {
    pub fn new(submission: &Submission, entity_name: String) -> SubmissionView {
        SubmissionView {
            id: submission.id.clone(),
            entity: submission.entity.to_string(),
            entity_name,
            language: submission.language,
            title: submission.title.clone(),
            summary: submission.summary.clone(),
            status: submission.status,
            version: submission.version,
            created_at: submission.created_at,
            updated_at: submission.updated_at,
            submitted_at: submission.submitted_at,
            decided_at: submission.decided_at,
            changes_requested_message: submission.editor_message.clone(),
            decision_note: submission.decision_note.clone(),
            revises: submission.revises.clone(),
            practices: submission.practices.iter().map(PracticeView::new).collect(),
        }
    }

    /// With its practices' courtesy translations (by practice id).
    pub fn with_translations(
        mut self,
        translations: &std::collections::HashMap<String, Vec<Translation>>,
    ) -> SubmissionView {
        for practice in &mut self.practices {
            practice.translations = translations
                .get(&practice.id)
                .map(|found| found.iter().map(TranslationView::new).collect())
                .unwrap_or_default();
        }
        self
    }

    /// The document kept as the version and sent as the answer.
    pub fn document(&self) -> Result<String, crate::error::AppError> {
        serde_json::to_string(self)
            .map_err(|e| crate::error::AppError::internal(format!("serializing a submission: {e}")))
    }
}

/// The ETag of a version: strong, so `If-Match` compares it exactly.
pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// A submission in a list: without its practices, with their count.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionSummary {
    pub id: String,
    /// The Member State or organisation it is from (its code).
    pub entity: String,
    pub entity_name: String,
    pub language: Language,
    pub title: String,
    pub status: Status,
    /// Counts every saved state from 1; the ETag is `"v<version>"`.
    pub version: i64,
    /// How many practices it holds.
    pub practices_count: i64,
    pub created_at: DateTime<Utc>,
    /// The last save or move.
    pub updated_at: DateTime<Utc>,
    /// When it was last submitted for review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// When an editor accepted or rejected it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// When it is a revision: the accepted submission it corrects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revises: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionList {
    pub items: Vec<SubmissionSummary>,
    pub next_cursor: Option<String>,
}

impl SubmissionSummary {
    pub fn new(s: Submission, practices_count: i64, entity_name: String) -> SubmissionSummary {
        SubmissionSummary {
            entity_name,
            id: s.id,
            entity: s.entity.to_string(),
            language: s.language,
            title: s.title,
            status: s.status,
            version: s.version,
            practices_count,
            created_at: s.created_at,
            updated_at: s.updated_at,
            submitted_at: s.submitted_at,
            decided_at: s.decided_at,
            revises: s.revises,
        }
    }
}
