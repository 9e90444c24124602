//! The use cases of submissions: create, update, move through the
//! workflow, curate. Each runs in one transaction that writes, together,
//! the rows, an immutable version snapshot, an audit event and, when the
//! public catalogue changes, its `catalogue_changes` rows. Used by the API
//! and by the command line's import.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::idempotency::{self, Answer, Once};
use super::revisions;
use super::translations::sent_translations;
use super::views::{etag, SubmissionSummary, SubmissionView};
use crate::domain::account::Actor;
use crate::domain::annex::SectionId;
use crate::domain::diff::{self, VersionDiff};
use crate::domain::entities::EntityCode;
use crate::domain::history::{Event, VersionInfo};
use crate::domain::notice::{Notice, SubmissionNotice};
use crate::domain::page::Page;
use crate::domain::submission::revision;
use crate::domain::submission::Practice;
use crate::domain::submission::Submission;
use crate::domain::submission::{ValidPractice, ValidSubmission};
use crate::domain::translation::ValidText;
use crate::domain::workflow::{Move, Status};
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::store::catalogue::{self, Change};
use crate::store::history::{self, EventRow, VersionRow};
use crate::store::submissions;
use crate::store::submissions::ListFilter;
use crate::store::translations;
use crate::store::users::Recipients;
use crate::store::write_transaction;
use crate::store::{organisations, AnyConnection};
use crate::tagging::Tagger;

/// What a use case answers: the submission as now saved.
pub struct Outcome {
    pub view: SubmissionView,
    /// The view serialized: the answer's body, byte for byte the version kept.
    pub document: String,
}

/// Decides, with the submission loaded, whether the caller may go on.
pub type Guard<'a> = super::Guard<'a, Submission>;

/// Refuses a change made from another version than the present one
/// (`seen`; `None` when the caller did not say): a decision or an edit is
/// about what its author read. `what` names the thing ("submission").
pub fn unless_stale(what: &str, current: i64, seen: Option<i64>) -> Result<(), AppError> {
    match seen {
        Some(seen) if seen != current => Err(AppError::PreconditionFailed(format!(
            "the {what} is at version {current}, not {seen}: fetch it again and reapply your change"
        ))),
        _ => Ok(()),
    }
}

/// [`unless_stale`] for a submission.
pub fn at_version(submission: &Submission, seen: Option<i64>) -> Result<(), AppError> {
    unless_stale("submission", submission.version, seen)
}

/// A workflow move as asked: which, the message it carries (the request
/// for changes, the acceptance note or the rejection reason), and the
/// version its author saw.
pub struct MoveRequest {
    pub action: Move,
    pub message: Option<String>,
    pub seen: Option<i64>,
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The practices as stored, each with the items suggested for it now.
pub fn practices_from(
    valid: Vec<ValidPractice>,
    submission_id: &str,
    language: Language,
    now: DateTime<Utc>,
    tagger: &Tagger,
) -> Vec<Practice> {
    valid
        .into_iter()
        .map(|p| Practice {
            suggested: tagger.suggest(language, &p.title, &p.body),
            id: new_id(),
            submission_id: submission_id.to_owned(),
            title: p.title,
            body: p.body,
            items: p.items,
            sectors: p.sectors,
            editorial_note: None,
            updated_at: now,
            replaces: p.replaces,
        })
        .collect()
}

/// Refuses practices whose `replaces` does not fit the submission: any on
/// a submission that revises nothing, and on a revision one that names no
/// published practice of its original, or one named twice. A conflict
/// with the state of things (409), as a draft naming another entity is:
/// the same text fits another submission.
fn check_replaces(
    connection: &mut AnyConnection,
    revises: Option<&str>,
    practices: &[Practice],
) -> Result<(), AppError> {
    let published = match revises {
        Some(original) => Some(submissions::live_practice_ids(connection, original)?),
        None => None,
    };
    let replaces = practices.iter().map(|p| p.replaces.as_deref());
    let errors = revision::check_replaces(replaces, published.as_ref());
    if errors.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    Err(AppError::Conflict(lines.join("; ")))
}

/// The entity's display name; a 422 for an entity nobody knows.
pub fn entity_name(connection: &mut AnyConnection, code: &EntityCode) -> Result<String, AppError> {
    organisations::lookup(connection, code)?
        .map(|entity| entity.name)
        .ok_or_else(|| AppError::Unprocessable {
            detail: format!("there is no entity {code}: see GET /api/v1/entities"),
            errors: vec![FieldError::new("entity", format!("unknown entity {code}"))],
        })
}

pub(super) fn actor_fields(actor: &Actor<'_>) -> (Option<String>, String) {
    match actor {
        Actor::User { id, email } => (Some((*id).to_owned()), (*email).to_owned()),
        Actor::CommandLine => (None, "command line".to_owned()),
    }
}

pub fn event_row(
    submission_id: &str,
    actor: &Actor<'_>,
    action: &str,
    from: Option<Status>,
    to: Option<Status>,
    message: Option<String>,
    now: DateTime<Utc>,
) -> EventRow {
    let (actor_id, actor) = actor_fields(actor);
    EventRow {
        id: new_id(),
        submission_id: submission_id.to_owned(),
        at: now.naive_utc(),
        actor_id,
        actor,
        action: action.to_owned(),
        from_status: from.map(|s| s.as_str().to_owned()),
        to_status: to.map(|s| s.as_str().to_owned()),
        message,
    }
}

/// The snapshot of the submission as it now is, kept as its version.
pub(super) fn snapshot(
    connection: &mut AnyConnection,
    submission: &Submission,
    name: String,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let ids: Vec<&str> = submission.practices.iter().map(|p| p.id.as_str()).collect();
    let translated = translations::of_practices(connection, &ids)?;
    let view = SubmissionView::new(submission, name).with_translations(&translated);
    let document = view.document()?;
    history::insert_versions(
        connection,
        &[VersionRow {
            submission_id: submission.id.clone(),
            version: submission.version,
            status: submission.status.as_str().to_owned(),
            saved_at: now.naive_utc(),
            document: document.clone(),
        }],
    )?;
    Ok(Outcome { view, document })
}

pub(super) fn publish(
    connection: &mut AnyConnection,
    submission: &Submission,
    practices: &[&Practice],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let changes: Vec<(&str, &str)> = practices
        .iter()
        .map(|p| (p.id.as_str(), submission.id.as_str()))
        .collect();
    catalogue::append(connection, &changes, Change::Upsert, now)
}

/// A new draft, version 1; with an idempotency key, made once however
/// often the client retries.
pub fn create(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    key: Option<&idempotency::Key>,
    entity: EntityCode,
    valid: ValidSubmission,
    now: DateTime<Utc>,
    tagger: &Tagger,
) -> Result<Once<Outcome>, AppError> {
    let id = new_id();
    let sent: Vec<Vec<(Language, ValidText)>> = valid
        .practices
        .iter()
        .map(|p| p.translations.clone())
        .collect();
    // Suggesting is pure work on the text: done before the write lock, and
    // not for a retry.
    let suggest = || practices_from(valid.practices, &id, valid.language, now, tagger);
    let work = |c: &mut AnyConnection, practices: Vec<Practice>| {
        check_replaces(c, None, &practices)?;
        let name = entity_name(c, &entity)?;
        let submission = Submission {
            title: valid.title,
            summary: valid.summary,
            practices,
            ..Submission::draft(id.clone(), entity, valid.language, actor.user_id(), now)
        };
        submissions::insert(c, &submission)?;
        let translated = sent_translations(&submission.practices, sent, actor.user_id(), now);
        translations::insert_many(c, &translated.iter().collect::<Vec<_>>())?;
        history::insert_events(
            c,
            &[event_row(
                &submission.id,
                actor,
                "create",
                None,
                Some(Status::Draft),
                None,
                now,
            )],
        )?;
        let outcome = snapshot(c, &submission, name, now)?;
        let answer = Answer {
            status_code: 201,
            location: Some(format!("/api/v1/submissions/{}", outcome.view.id)),
            etag: Some(etag(outcome.view.version)),
            body: outcome.document.clone(),
        };
        Ok((outcome, answer))
    };
    idempotency::run_once(connection, actor, key, now, suggest, work)
}

/// The submission, if it exists and `guard` lets the caller on.
pub fn load(c: &mut AnyConnection, id: &str, guard: Guard<'_>) -> Result<Submission, AppError> {
    super::guarded(submissions::find(c, id)?, "submission", id, guard)
}

fn refuse(error: crate::domain::workflow::InvalidMove) -> AppError {
    AppError::Conflict(error.explain())
}

/// Replaces the content of a draft or of a submission returned for
/// changes, if the caller saw the current version.
#[allow(clippy::too_many_arguments)]
pub fn update(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    id: &str,
    guard: Guard<'_>,
    expected_version: i64,
    valid: ValidSubmission,
    now: DateTime<Utc>,
    tagger: &Tagger,
) -> Result<Outcome, AppError> {
    let sent: Vec<Vec<(Language, ValidText)>> = valid
        .practices
        .iter()
        .map(|p| p.translations.clone())
        .collect();
    let practices = practices_from(valid.practices, id, valid.language, now, tagger);
    write_transaction(connection, |c| {
        let mut submission = load(c, id, guard)?;
        at_version(&submission, Some(expected_version))?;
        check_replaces(c, submission.revises.as_deref(), &practices)?;
        submission
            .edit(valid.language, valid.title, valid.summary, practices, now)
            .map_err(refuse)?;
        // The draft is fine in itself; it does not fit the submission as it
        // is (its entity is fixed at creation): a conflict with its state.
        if let Some(entity) = &valid.entity {
            if *entity != submission.entity {
                return Err(AppError::Conflict(format!(
                    "submission {id} is {}'s and cannot move to {entity}: send entity {} or none",
                    submission.entity, submission.entity
                )));
            }
        }
        let name = entity_name(c, &submission.entity)?;
        // The practices are replaced, and their translations with them.
        submissions::save(c, &submission, true)?;
        let translated = sent_translations(&submission.practices, sent, actor.user_id(), now);
        translations::insert_many(c, &translated.iter().collect::<Vec<_>>())?;
        let status = submission.status;
        history::insert_events(
            c,
            &[event_row(
                id,
                actor,
                "update",
                Some(status),
                Some(status),
                None,
                now,
            )],
        )?;
        snapshot(c, &submission, name, now)
    })
}

/// Moves a submission through the workflow, if it is still at the version
/// the move's author saw. Notices to the Secretariat are written in
/// `secretariat`'s language.
#[allow(clippy::too_many_arguments)]
pub fn transition(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    id: &str,
    guard: Guard<'_>,
    request: MoveRequest,
    secretariat: Language,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let MoveRequest {
        action,
        message,
        seen,
    } = request;
    write_transaction(connection, |c| {
        let mut submission = load(c, id, guard)?;
        at_version(&submission, seen)?;
        let from = submission
            .apply(action, message.clone(), now)
            .map_err(refuse)?;
        let to = submission.status;
        submissions::save(c, &submission, false)?;
        history::insert_events(
            c,
            &[event_row(
                id,
                actor,
                action.as_str(),
                Some(from),
                Some(to),
                message,
                now,
            )],
        )?;
        match (&submission.revises, to) {
            (Some(original), Status::Accepted) => {
                revisions::adopt(c, actor, &submission, &original.clone(), now)?
            }
            (None, Status::Accepted) => {
                let practices: Vec<&Practice> = submission.practices.iter().collect();
                publish(c, &submission, &practices, now)?;
            }
            _ => {}
        }
        let name = entity_name(c, &submission.entity)?;
        let heard = Hearers {
            secretariat,
            focal_points: submission.language,
        };
        notify(c, &submission, &name, action, from, heard, now)?;
        snapshot(c, &submission, name, now)
    })
}

/// The language each side of a move hears in.
#[derive(Clone, Copy)]
struct Hearers {
    secretariat: Language,
    focal_points: Language,
}

/// Queues the mail a move causes, in its transaction: the entity's focal
/// points hear of requests for changes and of decisions, in their
/// submission's language; the Secretariat of each submission sent for
/// review, in its own.
fn notify(
    connection: &mut AnyConnection,
    submission: &Submission,
    entity_name: &str,
    action: Move,
    from: Status,
    heard: Hearers,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let about = |message: Option<String>| SubmissionNotice {
        submission_id: submission.id.clone(),
        title: submission.title.clone(),
        entity: submission.entity.to_string(),
        entity_name: entity_name.to_owned(),
        message,
        resubmitted: action == Move::Submit && from == Status::ChangesRequested,
        revision: submission.revises.is_some(),
    };
    let (recipients, notice) = match action {
        Move::Submit => (Recipients::Editors, Notice::NewSubmission(about(None))),
        Move::RequestChanges => (
            Recipients::FocalPointsOf(submission.entity.as_str()),
            Notice::ChangesRequested(about(submission.editor_message.clone())),
        ),
        Move::Accept => (
            Recipients::FocalPointsOf(submission.entity.as_str()),
            Notice::Accepted(about(submission.decision_note.clone())),
        ),
        Move::Reject => (
            Recipients::FocalPointsOf(submission.entity.as_str()),
            Notice::Rejected(about(submission.decision_note.clone())),
        ),
        Move::Withdraw | Move::Edit => return Ok(()),
    };
    let language = if matches!(recipients, Recipients::Editors) {
        heard.secretariat
    } else {
        heard.focal_points
    };
    super::outbox::notify_each(connection, recipients, language, &notice, now)
}

/// The entity's name, or its code should it be unknown (a list must not
/// fail for one odd row).
fn name_or_code(connection: &mut AnyConnection, code: &EntityCode) -> Result<String, AppError> {
    Ok(organisations::lookup(connection, code)?
        .map(|e| e.name)
        .unwrap_or_else(|| code.to_string()))
}

/// A page of submissions, oldest first, of these entities (`None`: all)
/// and statuses (none: all), with one row more than the page when another
/// page follows.
pub fn list(
    connection: &mut AnyConnection,
    entities: Option<Vec<EntityCode>>,
    statuses: Vec<Status>,
    page: &Page,
) -> Result<Vec<SubmissionSummary>, AppError> {
    if entities.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let filter = ListFilter {
        entities: entities.map(|codes| codes.iter().map(ToString::to_string).collect()),
        statuses,
        ..ListFilter::default()
    };
    summaries(connection, &filter, page)
}

/// The review queue: submitted submissions, oldest first, narrowed by
/// entity, language or annex section.
pub fn queue(
    connection: &mut AnyConnection,
    entity: Option<EntityCode>,
    language: Option<Language>,
    section: Option<SectionId>,
    page: &Page,
) -> Result<Vec<SubmissionSummary>, AppError> {
    let filter = ListFilter {
        entities: entity.map(|code| vec![code.to_string()]),
        statuses: vec![Status::Submitted],
        language,
        section,
    };
    summaries(connection, &filter, page)
}

/// How many submissions of these entities (`None`: all) are in each status.
pub fn counts(
    connection: &mut AnyConnection,
    entities: Option<Vec<EntityCode>>,
) -> Result<Vec<(Status, i64)>, AppError> {
    let codes: Option<Vec<String>> =
        entities.map(|codes| codes.iter().map(ToString::to_string).collect());
    submissions::count_by_status(connection, codes.as_deref())
}

fn summaries(
    connection: &mut AnyConnection,
    filter: &ListFilter,
    page: &Page,
) -> Result<Vec<SubmissionSummary>, AppError> {
    let heads = submissions::list(connection, filter, page)?;
    let mut names: HashMap<EntityCode, String> = HashMap::new();
    let mut items = Vec::with_capacity(heads.len());
    for head in heads {
        let code = head.submission.entity.clone();
        let name = match names.get(&code) {
            Some(name) => name.clone(),
            None => {
                let name = name_or_code(connection, &code)?;
                names.insert(code, name.clone());
                name
            }
        };
        items.push(SubmissionSummary::new(
            head.submission,
            head.practices_count,
            name,
        ));
    }
    Ok(items)
}

/// The submission, if it exists and `guard` lets the caller see it, with
/// its entity's name.
pub fn visible(
    connection: &mut AnyConnection,
    id: &str,
    guard: Guard<'_>,
) -> Result<(Submission, String), AppError> {
    let submission = load(connection, id, guard)?;
    let name = name_or_code(connection, &submission.entity)?;
    Ok((submission, name))
}

/// Every saved version of a submission, oldest first.
pub fn versions(connection: &mut AnyConnection, id: &str) -> Result<Vec<VersionInfo>, AppError> {
    history::versions(connection, id)
}

/// One saved version's document, exactly as it was answered then.
pub fn version_document(
    connection: &mut AnyConnection,
    id: &str,
    version: i64,
) -> Result<Option<String>, AppError> {
    history::version_document(connection, id, version)
}

/// The trail: who did what, when, from which status to which.
pub fn events(connection: &mut AnyConnection, id: &str) -> Result<Vec<Event>, AppError> {
    history::events(connection, id)
}

/// What changed between two saved versions; a version that does not exist
/// is a 404.
pub fn diff(
    connection: &mut AnyConnection,
    id: &str,
    from: i64,
    to: i64,
) -> Result<VersionDiff, AppError> {
    let mut read = |version: i64| -> Result<diff::Version, AppError> {
        let document = history::version_document(connection, id, version)?.ok_or_else(|| {
            AppError::NotFound(format!("submission {id} has no version {version}"))
        })?;
        serde_json::from_str(&document).map_err(|e| {
            AppError::internal(format!("version {version} of {id} is not readable: {e}"))
        })
    };
    let old = read(from)?;
    let new = read(to)?;
    Ok(VersionDiff {
        from,
        to,
        changes: diff::changes(&old, &new),
    })
}
