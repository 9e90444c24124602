//! Corrections of accepted submissions: opening a revision (a draft of its
//! own, a copy of what is published) and, once an editor accepts it, the
//! original taking its content. The rules are `domain::submission::revision`'s;
//! accepting is a workflow move, so `submissions::transition` calls [`adopt`].

use chrono::{DateTime, Utc};

use super::submissions::{entity_name, event_row, load, new_id, snapshot, Guard, Outcome};
use crate::domain::account::Actor;
use crate::domain::submission::{revision, Submission};
use crate::domain::workflow::Status;
use crate::error::AppError;
use crate::store::catalogue::{self, Change};
use crate::store::history;
use crate::store::submissions;
use crate::store::translations;
use crate::store::{write_transaction, AnyConnection};

/// Opens a revision of an accepted submission: a new draft of the same
/// entity, a copy of what is published, each practice naming the one it
/// corrects. One revision at a time; the original stays public as it is.
pub fn revise(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    id: &str,
    guard: Guard<'_>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    write_transaction(connection, |c| {
        let original = load(c, id, guard)?;
        if let Some(open) = submissions::open_revision_of(c, id)? {
            return Err(AppError::Conflict(format!(
                "submission {id} has a revision in progress already: continue with submission {open}"
            )));
        }
        let live = submissions::live_practice_ids(c, id)?;
        let revision = revision::open(&original, &live, new_id, actor.user_id(), now)
            .map_err(|refused| AppError::Conflict(refused.explain(id)))?;
        submissions::insert(c, &revision)?;
        history::insert_events(
            c,
            &[
                event_row(
                    &revision.id,
                    actor,
                    "create",
                    None,
                    Some(Status::Draft),
                    Some(format!("a revision of submission {id}")),
                    now,
                ),
                event_row(
                    id,
                    actor,
                    "revision_opened",
                    None,
                    None,
                    Some(format!("submission {} revises it", revision.id)),
                    now,
                ),
            ],
        )?;
        let name = entity_name(c, &revision.entity)?;
        snapshot(c, &revision, name, now)
    })
}

/// The revision of this submission still in the workflow, if one is.
pub fn open_revision(connection: &mut AnyConnection, id: &str) -> Result<Option<String>, AppError> {
    submissions::open_revision_of(connection, id)
}

/// Lets the submission an accepted revision corrects take its content: the
/// corrected and new practices are (re)indexed, the dropped ones withdrawn
/// with a reason that names the revision.
pub(super) fn adopt(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    revision: &Submission,
    original_id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut original = submissions::find(connection, original_id)?.ok_or_else(|| {
        AppError::internal(format!(
            "submission {original_id}, which {} revises, is missing",
            revision.id
        ))
    })?;
    let live = submissions::live_practice_ids(connection, original_id)?;
    let texts_before: std::collections::HashMap<String, (String, String)> = original
        .practices
        .iter()
        .map(|p| (p.id.clone(), (p.title.clone(), p.body.clone())))
        .collect();
    let adopted = original
        .adopt(revision, &live, new_id, now)
        .map_err(|refused| AppError::Conflict(refused.explain(&revision.id)))?;
    submissions::save(connection, &original, false)?;
    submissions::save_practices_in_place(connection, &original)?;
    // A translation of a text the revision corrected no longer says what
    // the practice says: it goes, and the trail says so.
    let retexted: Vec<&str> = original
        .practices
        .iter()
        .filter(|p| {
            texts_before
                .get(&p.id)
                .is_some_and(|(title, body)| *title != p.title || *body != p.body)
        })
        .map(|p| p.id.as_str())
        .collect();
    let untranslated = translations::delete_of_practices(connection, &retexted)?;
    let reason = format!(
        "the submission it came in was revised (submission {}) and no longer holds it",
        revision.id
    );
    for practice in &adopted.removed {
        submissions::set_withdrawn(connection, practice, &reason, now)?;
    }
    for (ids, change) in [
        (&adopted.changed, Change::Upsert),
        (&adopted.removed, Change::Remove),
    ] {
        let pairs: Vec<(&str, &str)> = ids.iter().map(|p| (p.as_str(), original_id)).collect();
        catalogue::append(connection, &pairs, change, now)?;
    }
    history::insert_events(
        connection,
        &[event_row(
            original_id,
            actor,
            "revised",
            Some(Status::Accepted),
            Some(Status::Accepted),
            Some(match untranslated {
                0 => format!("revision {} accepted", revision.id),
                n => format!(
                    "revision {} accepted; {n} courtesy translations of corrected practices removed",
                    revision.id
                ),
            }),
            now,
        )],
    )?;
    let name = entity_name(connection, &original.entity)?;
    snapshot(connection, &original, name, now)?;
    Ok(())
}
