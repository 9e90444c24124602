//! Editors' curation of the public catalogue: re-tagging a practice of an
//! accepted submission. One transaction: the practice's tags, a new version
//! of its submission, an event on the trail, a change for the search index.

use chrono::{DateTime, Utc};

use super::practices::{catalogue_view, CataloguePractice};
use super::submissions::{at_version, entity_name, event_row, publish, snapshot};
use crate::domain::account::Actor;
use crate::domain::submission::{Curation, CurationRefused, Submission};
use crate::domain::workflow::Status;
use crate::error::AppError;
use crate::store::audit;
use crate::store::catalogue::{self, Change};
use crate::store::history;
use crate::store::submissions;
use crate::store::{write_transaction, AnyConnection};

/// Re-tags a practice of an accepted submission; the submission gets a new
/// version, the trail an event, the catalogue a change. Answers the
/// practice as the catalogue now shows it.
pub fn curate(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    practice_id: &str,
    curation: Curation,
    seen: Option<i64>,
    now: DateTime<Utc>,
) -> Result<CataloguePractice, AppError> {
    write_transaction(connection, |c| {
        let mut submission = submission_of(c, practice_id)?;
        // Another editor's re-tagging since this one read the practice
        // would be silently overwritten.
        at_version(&submission, seen)?;
        let (practice, changed) =
            submission
                .curate(practice_id, curation, now)
                .map_err(|refused| match refused {
                    CurationRefused::NoSuchPractice => no_practice(practice_id),
                    CurationRefused::NotAccepted(status) => AppError::Conflict(format!(
                        "only practices of accepted submissions are curated; this one's submission is {status}"
                    )),
                })?;
        submissions::save_practice_tags(c, &practice)?;
        submissions::save(c, &submission, false)?;
        let message = format!("practice {practice_id}: {changed}");
        note_on_trail(c, &submission, actor, "curate", message, now)?;
        publish(c, &submission, &[&practice], now)?;
        let name = entity_name(c, &submission.entity)?;
        snapshot(c, &submission, name, now)?;
        catalogue_view(c, &submission, &practice, None)
    })
}

/// What a withdrawn practice answers readers.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Withdrawal {
    pub practice_id: String,
    pub withdrawn_at: DateTime<Utc>,
    /// The Secretariat's reason, shown to readers.
    pub reason: String,
}

/// Takes a practice of an accepted submission out of the public
/// catalogue, with a reason readers are given: one transaction for the
/// practice, an event on its submission's trail, the audit entry and the
/// catalogue change that takes it out of search.
pub fn withdraw(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    practice_id: &str,
    reason: String,
    now: DateTime<Utc>,
) -> Result<Withdrawal, AppError> {
    write_transaction(connection, |c| {
        let submission = submission_of(c, practice_id)?;
        if submission.status != Status::Accepted {
            return Err(AppError::Conflict(format!(
                "only practices in the catalogue are withdrawn; this one's submission is {}",
                submission.status
            )));
        }
        if submissions::withdrawal_of(c, practice_id)?.is_some() {
            return Err(AppError::Conflict(format!(
                "practice {practice_id} was withdrawn already"
            )));
        }
        submissions::set_withdrawn(c, practice_id, &reason, now)?;
        let message = format!("practice {practice_id} withdrawn: {reason}");
        note_on_trail(c, &submission, actor, "withdraw_practice", message, now)?;
        audit::record(
            c,
            audit::Entry {
                actor: *actor,
                action: "practice.withdraw",
                target_type: "practice",
                target_id: practice_id,
                before: None,
                after: Some(serde_json::json!({ "reason": reason })),
            },
            now,
        )?;
        catalogue::append(c, &[(practice_id, &submission.id)], Change::Remove, now)?;
        Ok(Withdrawal {
            practice_id: practice_id.to_owned(),
            withdrawn_at: now,
            reason,
        })
    })
}

pub(super) fn no_practice(practice_id: &str) -> AppError {
    AppError::NotFound(format!("there is no practice {practice_id}"))
}

/// The submission a published practice belongs to.
pub(super) fn submission_of(
    c: &mut AnyConnection,
    practice_id: &str,
) -> Result<Submission, AppError> {
    submissions::submission_of_practice(c, practice_id)?
        .and_then(|id| submissions::find(c, &id).transpose())
        .transpose()?
        .ok_or_else(|| no_practice(practice_id))
}

/// An editor's change to one practice of an accepted submission, on the
/// submission's trail: the status stays what it was.
pub(super) fn note_on_trail(
    c: &mut AnyConnection,
    submission: &Submission,
    actor: &Actor<'_>,
    action: &str,
    message: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let accepted = Some(Status::Accepted);
    let event = event_row(
        &submission.id,
        actor,
        action,
        accepted,
        accepted,
        Some(message),
        now,
    );
    history::insert_events(c, &[event])
}
