//! Courtesy translations of the catalogue's practices. An editor adds,
//! replaces or removes one in a single transaction that writes the text,
//! makes the practice's submission a new version, puts an event on its
//! trail, audits the texts before and after, and queues the practice for
//! re-indexing, so that search finds it in the new language at once.

use chrono::{DateTime, Utc};

use super::curation::{no_practice, note_on_trail, submission_of};
use super::practices::{catalogue_view, CataloguePractice};
use super::submissions::{at_version, entity_name, publish, snapshot};
use crate::domain::account::Actor;
use crate::domain::submission::{CurationRefused, Practice, Submission};
use crate::domain::translation::{self, Origin, Translation, ValidText};
use crate::domain::Language;
use crate::error::AppError;
use crate::store::{audit, submissions, translations, write_transaction, AnyConnection};

/// What an editor sent for a practice in `language`.
pub struct TranslationRequest {
    pub practice_id: String,
    pub language: Language,
    pub title: String,
    pub body: String,
    /// The submission version the editor read (`If-Match`), if they said.
    pub seen: Option<i64>,
}

/// Adds or replaces the Secretariat's translation of a practice; answers
/// the practice as readers in that language now see it, and whether the
/// translation is new.
pub fn put(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    request: TranslationRequest,
    now: DateTime<Utc>,
) -> Result<(CataloguePractice, bool), AppError> {
    write_transaction(connection, |c| {
        let TranslationRequest {
            practice_id,
            language,
            title,
            body,
            seen,
        } = request;
        let mut submission = translatable(c, &practice_id, seen)?;
        let valid = translation::check(submission.language, language, &title, &body)
            .map_err(AppError::unprocessable)?;
        let before = translations::of_practice(c, &practice_id)?
            .into_iter()
            .find(|t| t.language == language);
        let written = Translation {
            practice_id: practice_id.clone(),
            language,
            title: valid.title,
            body: valid.body,
            origin: Origin::Secretariat,
            updated_by: actor.user_id(),
            updated_at: now,
        };
        translations::save(c, &written)?;
        let verb = if before.is_some() {
            "replaced"
        } else {
            "added"
        };
        let message = format!("practice {practice_id}: translation into {language} {verb}");
        let practice = changed(c, actor, &mut submission, &practice_id, message, now)?;
        audit::record(
            c,
            audit::Entry {
                actor: *actor,
                action: "practice.translate",
                target_type: "practice",
                target_id: &practice_id,
                before: before.as_ref().map(texts),
                after: Some(texts(&written)),
            },
            now,
        )?;
        let view = catalogue_view(c, &submission, &practice, Some(language))?;
        Ok((view, before.is_none()))
    })
}

/// Which translation to remove, as of which version of its submission.
pub struct Removal {
    pub practice_id: String,
    pub language: Language,
    /// The submission version the editor read (`If-Match`), if they said.
    pub seen: Option<i64>,
}

/// Removes a practice's translation into a language; answers its
/// submission's id and new version.
pub fn remove(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    removal: &Removal,
    now: DateTime<Utc>,
) -> Result<(String, i64), AppError> {
    let Removal {
        practice_id,
        language,
        seen,
    } = removal;
    let (practice_id, language, seen) = (practice_id.as_str(), *language, *seen);
    write_transaction(connection, |c| {
        let mut submission = translatable(c, practice_id, seen)?;
        let before = translations::of_practice(c, practice_id)?
            .into_iter()
            .find(|t| t.language == language)
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "practice {practice_id} has no translation into {language}"
                ))
            })?;
        translations::delete(c, practice_id, language.code())?;
        let message = format!("practice {practice_id}: translation into {language} removed");
        changed(c, actor, &mut submission, practice_id, message, now)?;
        audit::record(
            c,
            audit::Entry {
                actor: *actor,
                action: "practice.untranslate",
                target_type: "practice",
                target_id: practice_id,
                before: Some(texts(&before)),
                after: None,
            },
            now,
        )?;
        Ok((submission.id, submission.version))
    })
}

/// The submission of a practice readers can read, as of the version the
/// editor saw.
fn translatable(
    c: &mut AnyConnection,
    practice_id: &str,
    seen: Option<i64>,
) -> Result<Submission, AppError> {
    let submission = submission_of(c, practice_id)?;
    // A revision's practices are never public (see `practices::find_public`).
    if submission.revises.is_some() {
        return Err(no_practice(practice_id));
    }
    if submissions::withdrawal_of(c, practice_id)?.is_some() {
        return Err(AppError::Conflict(format!(
            "practice {practice_id} was withdrawn from the catalogue: it is not translated any more"
        )));
    }
    at_version(&submission, seen)?;
    Ok(submission)
}

/// The practice's submission takes a new version, with an event on its
/// trail and the practice queued for re-indexing.
fn changed(
    c: &mut AnyConnection,
    actor: &Actor<'_>,
    submission: &mut Submission,
    practice_id: &str,
    message: String,
    now: DateTime<Utc>,
) -> Result<Practice, AppError> {
    let practice = submission
        .retranslate(practice_id, now)
        .map_err(|refused| match refused {
            CurationRefused::NoSuchPractice => no_practice(practice_id),
            CurationRefused::NotAccepted(status) => AppError::Conflict(format!(
                "only practices in the catalogue are translated; this one's submission is {status}"
            )),
        })?;
    submissions::save(c, submission, false)?;
    submissions::save_practice_tags(c, &practice)?;
    note_on_trail(c, submission, actor, "translate", message, now)?;
    publish(c, submission, &[&practice], now)?;
    let name = entity_name(c, &submission.entity)?;
    snapshot(c, submission, name, now)?;
    Ok(practice)
}

/// A practice of the catalogue as an editor translates it: the original
/// beside its translations.
pub struct Translatable {
    pub submission_id: String,
    /// The version of its submission, which a change is bound to.
    pub version: i64,
    pub language: Language,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub translations: Vec<Translation>,
}

/// The practice with its translations, if readers can read it.
pub fn translatable_practice(
    connection: &mut AnyConnection,
    practice_id: &str,
) -> Result<Translatable, AppError> {
    let submission = translatable(connection, practice_id, None)?;
    let practice = submission
        .practices
        .iter()
        .find(|p| p.id == practice_id)
        .ok_or_else(|| no_practice(practice_id))?;
    Ok(Translatable {
        submission_id: submission.id.clone(),
        version: submission.version,
        language: submission.language,
        title: practice.title.clone(),
        body: practice.body.clone(),
        translations: translations::of_practice(connection, practice_id)?,
    })
}

/// The translations of each of a submission's practices, by practice id.
pub fn of_submission(
    connection: &mut AnyConnection,
    submission: &Submission,
) -> Result<std::collections::HashMap<String, Vec<Translation>>, AppError> {
    let ids: Vec<&str> = submission.practices.iter().map(|p| p.id.as_str()).collect();
    translations::of_practices(connection, &ids)
}

/// The translations sent with `practices` (in their order), once the
/// practices have their ids: the sender's, stored as a focal point's.
pub fn sent_translations(
    practices: &[Practice],
    sent: Vec<Vec<(Language, ValidText)>>,
    by: Option<String>,
    now: DateTime<Utc>,
) -> Vec<Translation> {
    practices
        .iter()
        .zip(sent)
        .flat_map(|(practice, translations)| {
            let by = by.clone();
            translations
                .into_iter()
                .map(move |(language, text)| Translation {
                    practice_id: practice.id.clone(),
                    language,
                    title: text.title,
                    body: text.body,
                    origin: Origin::FocalPoint,
                    updated_by: by.clone(),
                    updated_at: now,
                })
        })
        .collect()
}

fn texts(t: &Translation) -> serde_json::Value {
    serde_json::json!({ "language": t.language, "title": t.title, "body": t.body })
}
