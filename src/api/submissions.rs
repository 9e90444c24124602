//! Submissions and their workflow: `/api/v1/submissions`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::pagination;
use super::problems::MoveProblems;
use super::shapes::{EntityTags, IdCursor, IdempotencyKey, StatusList};
use crate::auth::{
    authorize, listed_entities, submission_entity, submission_guard, Action, Caller,
    SubmissionAction,
};
use crate::domain::clock;
use crate::domain::diff::VersionDiff;
use crate::domain::entities::EntityCode;
use crate::domain::history::{Event, VersionInfo};
use crate::domain::submission::{optional_note, validate, Submission, SubmissionDraft};
use crate::domain::workflow::{Move, Status};
use crate::error::{AppError, FieldError};
use crate::http::extract::{if_match_version, ApiQuery, JsonBody};
use crate::http::{Answer, AppState, IdPath, State};
use crate::service::idempotency::{self, Key, Once};
use crate::service::revisions;
use crate::service::submissions::{self as intake, MoveRequest, Outcome};
use crate::service::translations;
use crate::service::views::{etag, SubmissionList, SubmissionView};

/// The answer for a saved submission: its document, ETag and Location.
fn saved(status: actix_web::http::StatusCode, outcome: &Outcome) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(outcome.view.version)))
        .insert_header((
            header::LOCATION,
            format!("/api/v1/submissions/{}", outcome.view.id),
        ))
        .content_type("application/json")
        .body(outcome.document.clone())
}

/// Records a submission as a draft.
#[utoipa::path(
    post, path = "/api/v1/submissions", tag = "submissions", request_body = SubmissionDraft, params(("Idempotency-Key" = inline(Option<IdempotencyKey>), Header, description = "Makes a retry answer the first response instead of creating a second submission; kept 48 hours")), security(("bearer" = [])),
    responses((status = 201, description = "The new draft", body = SubmissionView, headers(("Location" = String, description = "The submission's URL"), ("ETag" = String, description = "The version, for If-Match"))), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "A focal point naming another entity"), (status = 409, description = "A practice names a published practice it replaces: only a revision's do"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "Breaks a rule (each field named), or an Idempotency-Key reused for another request"))
)]
pub async fn create_submission(
    state: State,
    caller: Caller,
    request: HttpRequest,
    body: JsonBody,
) -> Answer {
    let user = authorize(&caller, Action::CreateSubmission)?.clone();
    let key = Key::from_header(
        request
            .headers()
            .get(idempotency::HEADER)
            .map(|v| v.as_bytes()),
        body.bytes(),
    )?;
    let draft: SubmissionDraft = body.parse()?;
    let mut valid = validate(draft).map_err(AppError::unprocessable)?;
    let entity = submission_entity(&user, valid.entity.take())?;
    let tagger = state.tagger.clone();
    let created = state
        .store
        .run(move |c| {
            let actor = user.actor();
            intake::create(
                c,
                &actor,
                key.as_ref(),
                entity,
                valid,
                clock::now(),
                &tagger,
            )
        })
        .await?;
    Ok(match created {
        Once::Done(outcome) => saved(actix_web::http::StatusCode::CREATED, &outcome),
        Once::Replayed(stored) => {
            let status = actix_web::http::StatusCode::from_u16(stored.status_code as u16)
                .unwrap_or(actix_web::http::StatusCode::CREATED);
            let mut response = HttpResponse::build(status);
            if let Some(location) = stored.location {
                response.insert_header((header::LOCATION, location));
            }
            if let Some(tag) = stored.etag {
                response.insert_header((header::ETAG, tag));
            }
            response
                .insert_header(("idempotent-replayed", HeaderValue::from_static("true")))
                .content_type("application/json")
                .body(stored.body)
        }
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubmissionListQuery {
    #[param(value_type = Option<StatusList>, example = "submitted,changes_requested")]
    status: Option<String>,
    /// Only this entity's submissions.
    #[param(value_type = Option<EntityCode>)]
    entity: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    #[param(value_type = Option<IdCursor>)]
    cursor: Option<String>,
}

/// Submissions, oldest first: a focal point's own entity's, or all for editors.
#[utoipa::path(
    get, path = "/api/v1/submissions", tag = "submissions", params(SubmissionListQuery), security(("bearer" = [])),
    responses((status = 200, description = "A page of submissions, without their practices", body = SubmissionList), (status = 400, description = "Bad filter, limit or cursor"), (status = 401, description = "No valid token"))
)]
pub async fn list_submissions(
    state: State,
    caller: Caller,
    ApiQuery(query): ApiQuery<SubmissionListQuery>,
) -> Answer {
    let user = authorize(&caller, Action::ListSubmissions)?.clone();
    let page = pagination::page(query.limit, query.cursor.as_deref())?;
    let statuses = match query.status.as_deref() {
        None => Vec::new(),
        Some(text) => text
            .split(',')
            .map(|s| s.trim().parse::<Status>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|m| AppError::invalid_field("status", m))?,
    };
    let requested = query
        .entity
        .as_deref()
        .map(EntityCode::parse)
        .transpose()
        .map_err(|e| AppError::invalid_field("entity", e.to_string()))?;
    let entities = listed_entities(&user, requested);
    let (items, next_cursor) = pagination::fetch(
        &state,
        page,
        move |c, page| intake::list(c, entities, statuses, page),
        |s| &s.id,
    )
    .await?;
    Ok(HttpResponse::Ok().json(SubmissionList { items, next_cursor }))
}

/// Loads a submission the caller may see for `action`, with its entity's name.
async fn visible(
    state: &AppState,
    caller: &Caller,
    action: SubmissionAction,
    id: String,
) -> Result<(Submission, String), AppError> {
    let caller = caller.clone();
    state
        .store
        .run(move |c| intake::visible(c, &id, &submission_guard(&caller, action)))
        .await
}

/// One submission with its practices.
#[utoipa::path(
    get, path = "/api/v1/submissions/{id}", tag = "submissions", params(("id" = String, Path, description = "The submission's id")), security(("bearer" = [])),
    responses((status = 200, description = "The submission", body = SubmissionView, headers(("ETag" = String, description = "The version, for If-Match"))), (status = 401, description = "No valid token"), (status = 404, description = "No such submission, or another entity's"))
)]
pub async fn get_submission(state: State, caller: Caller, path: IdPath) -> Answer {
    if matches!(caller, Caller::Anonymous) {
        authorize(&caller, Action::ListSubmissions)?;
    }
    let (submission, name) =
        visible(&state, &caller, SubmissionAction::Read, path.into_inner()).await?;
    let view = SubmissionView::new(&submission, name);
    let translated = state
        .store
        .run(move |c| translations::of_submission(c, &submission))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(view.version)))
        .json(view.with_translations(&translated)))
}

/// The version an `If-Match` header names: `None` for `*`; required here.
fn expected_version(request: &HttpRequest) -> Result<Option<i64>, AppError> {
    if_match_version(request)?.ok_or_else(|| {
        AppError::PreconditionRequired(
            "send If-Match with the ETag of the version you are changing, so that no one's change is lost".to_owned(),
        )
    })
}

/// Replaces the content of a draft or of a submission returned for changes.
#[utoipa::path(
    put, path = "/api/v1/submissions/{id}", tag = "submissions", request_body = SubmissionDraft, params( ("id" = String, Path, description = "The submission's id"), ("If-Match" = inline(EntityTags), Header, description = "The ETag of the version being changed"), ), security(("bearer" = [])),
    responses((status = 200, description = "The new version", body = SubmissionView, headers(("ETag" = String, description = "The new version"))), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 404, description = "No such submission, or another entity's"), (status = 409, description = "Not editable in its status, the draft names another entity than the submission's, or a practice's `replaces` names no published practice of the submission revised"), (status = 412, description = "If-Match names an older version"), (status = 413, description = "Body too large"), (status = 422, description = "Breaks a rule (each field named)"), (status = 428, description = "If-Match is missing"))
)]
pub async fn update_submission(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
    body: JsonBody,
) -> Answer {
    let user = authorize(&caller, Action::CreateSubmission)?.clone();
    // Who may see it first (404), then the precondition (428, 412), then
    // the content (400, 422): a focal point learns nothing of another
    // entity's submissions from the order of the checks.
    let expected = expected_version(&request);
    let valid = body
        .parse::<SubmissionDraft>()
        .and_then(|draft| validate(draft).map_err(AppError::unprocessable));
    let id = path.into_inner();
    let tagger = state.tagger.clone();
    let outcome = state
        .store
        .run(move |c| {
            let guard = submission_guard(&caller, SubmissionAction::Handle);
            let current = intake::load(c, &id, &guard)?;
            // What was sent is checked before whether it was sent in time.
            let valid = valid?;
            let version = expected?.unwrap_or(current.version);
            let now = clock::now();
            intake::update(c, &user.actor(), &id, &guard, version, valid, now, &tagger)
        })
        .await?;
    Ok(saved(actix_web::http::StatusCode::OK, &outcome))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangesRequest {
    /// What the focal point should change.
    #[schema(value_type = String, required = true, max_length = 5000, pattern = r"\S")]
    message: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    #[schema(max_length = 5000)]
    note: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// Why; sent to the focal points.
    #[schema(value_type = String, required = true, max_length = 5000, pattern = r"\S")]
    reason: Option<String>,
}

/// Runs a workflow move for the caller, with its message, if the
/// submission is at the version `If-Match` names (when it names one).
async fn run_move(
    state: State,
    caller: Caller,
    request: HttpRequest,
    id: String,
    action: Move,
    message: Option<String>,
) -> Answer {
    let user = authorize(&caller, Action::ListSubmissions)?.clone();
    let needed = SubmissionAction::for_move(action);
    let seen = if_match_version(&request)?.flatten();
    let asked = MoveRequest {
        action,
        message,
        seen,
    };
    let secretariat = state.secretariat_language;
    let outcome = state
        .store
        .run(move |c| {
            let guard = submission_guard(&caller, needed);
            let actor = user.actor();
            intake::transition(c, &actor, &id, &guard, asked, secretariat, clock::now())
        })
        .await?;
    Ok(saved(actix_web::http::StatusCode::OK, &outcome))
}

fn required_note(field: &str, value: Option<&str>) -> Result<String, AppError> {
    let mut errors = Vec::new();
    match optional_note(field, value, &mut errors) {
        Some(note) if errors.is_empty() => Ok(note),
        None if errors.is_empty() => Err(AppError::unprocessable(vec![FieldError::new(
            field,
            "is required",
        )])),
        _ => Err(AppError::unprocessable(errors)),
    }
}

/// Sends a draft, or a submission returned for changes, to the Secretariat.
#[utoipa::path(
    post, path = "/api/v1/submissions/{id}/submit", tag = "submissions", params(("id" = String, Path, description = "The submission's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version the move was decided on")), security(("bearer" = [])),
    responses((status = 200, description = "Submitted", body = SubmissionView, headers(("ETag" = String, description = "The new version"))), MoveProblems)
)]
pub async fn submit(state: State, caller: Caller, request: HttpRequest, path: IdPath) -> Answer {
    run_move(
        state,
        caller,
        request,
        path.into_inner(),
        Move::Submit,
        None,
    )
    .await
}

/// Withdraws a submission that is not yet decided (its entity's focal points or an editor).
#[utoipa::path(
    post, path = "/api/v1/submissions/{id}/withdraw", tag = "submissions", params(("id" = String, Path, description = "The submission's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version the move was decided on")), security(("bearer" = [])),
    responses((status = 200, description = "Withdrawn", body = SubmissionView, headers(("ETag" = String, description = "The new version"))), MoveProblems)
)]
pub async fn withdraw(state: State, caller: Caller, request: HttpRequest, path: IdPath) -> Answer {
    let id = path.into_inner();
    run_move(state, caller, request, id, Move::Withdraw, None).await
}

/// Opens a revision of an accepted submission (its entity's focal points
/// or an editor): a new draft holding a copy of what is published, each
/// practice with `replaces` naming the public practice it corrects. The
/// accepted submission stays public, unchanged, until the revision is
/// accepted; then its practices take the corrections in place (same ids),
/// new ones join and the ones the revision dropped leave the catalogue.
#[utoipa::path(
    post, path = "/api/v1/submissions/{id}/revise", tag = "submissions", params(("id" = String, Path, description = "The accepted submission's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version the revision starts from")), security(("bearer" = [])),
    responses((status = 201, description = "The revision, a draft", body = SubmissionView, headers(("Location" = String, description = "The revision's URL"), ("ETag" = String, description = "Its version, for If-Match"))), (status = 400, description = "Malformed If-Match"), (status = 401, description = "No valid token"), (status = 404, description = "No such submission, or another entity's"), (status = 409, description = "Not accepted, itself a revision, nothing of it published, or a revision of it is in progress (the detail names it)"), (status = 412, description = "If-Match names another version than the present one"))
)]
pub async fn revise(state: State, caller: Caller, request: HttpRequest, path: IdPath) -> Answer {
    let user = authorize(&caller, Action::CreateSubmission)?.clone();
    let seen = if_match_version(&request)?.flatten();
    let id = path.into_inner();
    let outcome = state
        .store
        .run(move |c| {
            let guard = |s: &Submission| {
                submission_guard(&caller, SubmissionAction::Handle)(s)?;
                intake::at_version(s, seen)
            };
            revisions::revise(c, &user.actor(), &id, &guard, clock::now())
        })
        .await?;
    Ok(saved(actix_web::http::StatusCode::CREATED, &outcome))
}

/// Returns a submitted submission to its focal points with a message (editors).
#[utoipa::path(
    post, path = "/api/v1/submissions/{id}/request-changes", tag = "submissions", request_body(content = ChangesRequest, description = "Required"), params(("id" = String, Path, description = "The submission's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version the move was decided on")), security(("bearer" = [])),
    responses((status = 200, description = "Returned for changes", body = SubmissionView, headers(("ETag" = String, description = "The new version"))), MoveProblems)
)]
pub async fn request_changes(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
    body: JsonBody,
) -> Answer {
    authorize(&caller, Action::ListSubmissions)?;
    let asked: ChangesRequest = body.parse_or_default()?;
    let message = required_note("message", asked.message.as_deref())?;
    let id = path.into_inner();
    run_move(
        state,
        caller,
        request,
        id,
        Move::RequestChanges,
        Some(message),
    )
    .await
}

/// Accepts a submitted submission (editors): its practices enter the public catalogue.
#[utoipa::path(
    post, path = "/api/v1/submissions/{id}/accept", tag = "submissions", request_body(content = Option<Acceptance>, description = "Optional; may be empty"), params(("id" = String, Path, description = "The submission's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version the move was decided on")), security(("bearer" = [])),
    responses((status = 200, description = "Accepted", body = SubmissionView, headers(("ETag" = String, description = "The new version"))), MoveProblems)
)]
pub async fn accept(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
    body: JsonBody,
) -> Answer {
    authorize(&caller, Action::ListSubmissions)?;
    let acceptance: Acceptance = body.parse_or_default()?;
    let mut errors = Vec::new();
    let note = optional_note("note", acceptance.note.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(AppError::unprocessable(errors));
    }
    run_move(
        state,
        caller,
        request,
        path.into_inner(),
        Move::Accept,
        note,
    )
    .await
}

/// Rejects a submitted submission with a reason (editors).
#[utoipa::path(
    post, path = "/api/v1/submissions/{id}/reject", tag = "submissions", request_body(content = Rejection, description = "Required"), params(("id" = String, Path, description = "The submission's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version the move was decided on")), security(("bearer" = [])),
    responses((status = 200, description = "Rejected", body = SubmissionView, headers(("ETag" = String, description = "The new version"))), MoveProblems)
)]
pub async fn reject(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
    body: JsonBody,
) -> Answer {
    authorize(&caller, Action::ListSubmissions)?;
    let rejection: Rejection = body.parse_or_default()?;
    let reason = required_note("reason", rejection.reason.as_deref())?;
    let id = path.into_inner();
    run_move(state, caller, request, id, Move::Reject, Some(reason)).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    items: Vec<VersionInfo>,
}

/// Every saved version of a submission, oldest first.
#[utoipa::path(
    get, path = "/api/v1/submissions/{id}/versions", tag = "submissions", params(("id" = String, Path, description = "The submission's id")), security(("bearer" = [])),
    responses((status = 200, description = "The versions", body = VersionList), (status = 401, description = "No valid token"), (status = 404, description = "No such submission, or another entity's"))
)]
pub async fn list_versions(state: State, caller: Caller, path: IdPath) -> Answer {
    authorize(&caller, Action::ListSubmissions)?;
    let id = path.into_inner();
    let (submission, _) = visible(&state, &caller, SubmissionAction::Read, id).await?;
    let items = state
        .store
        .run(move |c| intake::versions(c, &submission.id))
        .await?;
    Ok(HttpResponse::Ok().json(VersionList { items }))
}

/// One saved version, exactly as it was answered then.
#[utoipa::path(
    get, path = "/api/v1/submissions/{id}/versions/{n}", tag = "submissions", params(("id" = String, Path, description = "The submission's id"), ("n" = i64, Path, description = "The version, from 1")), security(("bearer" = [])),
    responses((status = 200, description = "The submission as it was saved at that version", body = SubmissionView), (status = 401, description = "No valid token"), (status = 404, description = "No such submission or version"))
)]
pub async fn get_version(
    state: State,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Answer {
    authorize(&caller, Action::ListSubmissions)?;
    let (id, n) = path.into_inner();
    let (submission, _) = visible(&state, &caller, SubmissionAction::Read, id).await?;
    let not_found =
        || AppError::NotFound(format!("submission {} has no version {n}", submission.id));
    let version: i64 = n.parse().map_err(|_| not_found())?;
    let lookup = submission.id.clone();
    let document = state
        .store
        .run(move |c| intake::version_document(c, &lookup, version))
        .await?
        .ok_or_else(not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .content_type("application/json")
        .body(document))
}

/// The audit trail: who did what, when, from which status to which.
#[utoipa::path(
    get, path = "/api/v1/submissions/{id}/events", tag = "submissions", params(("id" = String, Path, description = "The submission's id")), security(("bearer" = [])),
    responses((status = 200, description = "The events, oldest first", body = Vec<Event>), (status = 401, description = "No valid token"), (status = 404, description = "No such submission, or another entity's"))
)]
pub async fn list_events(state: State, caller: Caller, path: IdPath) -> Answer {
    authorize(&caller, Action::ListSubmissions)?;
    let (submission, _) =
        visible(&state, &caller, SubmissionAction::Read, path.into_inner()).await?;
    let events = state
        .store
        .run(move |c| intake::events(c, &submission.id))
        .await?;
    Ok(HttpResponse::Ok().json(events))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older version; the one before `to` when absent.
    #[param(minimum = 1)]
    from: Option<i64>,
    /// The newer version; the current one when absent.
    #[param(minimum = 1)]
    to: Option<i64>,
}

/// What changed between two versions, word by word.
#[utoipa::path(
    get, path = "/api/v1/submissions/{id}/diff", tag = "submissions", params(("id" = String, Path, description = "The submission's id"), DiffQuery), security(("bearer" = [])),
    responses((status = 200, description = "The fields that differ, each as a run of equal, inserted and deleted text", body = VersionDiff), (status = 400, description = "A version that is not a whole number"), (status = 401, description = "No valid token"), (status = 404, description = "No such submission or version"))
)]
pub async fn get_diff(
    state: State,
    caller: Caller,
    path: IdPath,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Answer {
    authorize(&caller, Action::ListSubmissions)?;
    for (name, value) in [("from", query.from), ("to", query.to)] {
        if value.is_some_and(|v| v < 1) {
            return Err(AppError::invalid_field(name, "versions count from 1"));
        }
    }
    let (submission, _) =
        visible(&state, &caller, SubmissionAction::Read, path.into_inner()).await?;
    let to = query.to.unwrap_or(submission.version);
    let from = query.from.unwrap_or(to - 1).max(1);
    let diff = state
        .store
        .run(move |c| intake::diff(c, &submission.id, from, to))
        .await?;
    Ok(HttpResponse::Ok().json(diff))
}
