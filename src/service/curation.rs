//! Editors' curation of the public catalogue: re-tagging a practice of an
//! accepted submission. One transaction: the practice's tags, a new version
//! of its submission, an event on the trail, a change for the search index.

use chrono::{DateTime, Utc};

use super::practices::{catalogue_view, CataloguePractice};
use super::submissions::{at_version, entity_name, event_row, publish, snapshot};
use crate::domain::account::Actor;
use crate::domain::submission::{Curation, CurationRefused};
use crate::domain::workflow::Status;
use crate::error::AppError;
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
        let not_found = || AppError::NotFound(format!("there is no practice {practice_id}"));
        let submission_id =
            submissions::submission_of_practice(c, practice_id)?.ok_or_else(not_found)?;
        let mut submission = submissions::find(c, &submission_id)?.ok_or_else(not_found)?;
        // Another editor's re-tagging since this one read the practice
        // would be silently overwritten.
        at_version(&submission, seen)?;
        let (practice, changed) =
            submission
                .curate(practice_id, curation, now)
                .map_err(|refused| match refused {
                    CurationRefused::NoSuchPractice => not_found(),
                    CurationRefused::NotAccepted(status) => AppError::Conflict(format!(
                        "only practices of accepted submissions are curated; this one's submission is {status}"
                    )),
                })?;
        submissions::save_practice_tags(c, &practice)?;
        submissions::save(c, &submission, false)?;
        let message = format!("practice {practice_id}: {changed}");
        history::insert_events(
            c,
            &[event_row(
                &submission.id,
                actor,
                "curate",
                Some(Status::Accepted),
                Some(Status::Accepted),
                Some(message),
                now,
            )],
        )?;
        publish(c, &submission, &[&practice], now)?;
        let name = entity_name(c, &submission.entity)?;
        snapshot(c, &submission, name, now)?;
        catalogue_view(c, &submission, &practice)
    })
}
