//! Submissions and their workflow: `/api/v1/submissions`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::formats::{EntityTags, IdCursor, IdempotencyKey, StatusList};
use super::pagination;
use crate::auth::{
    authorize, authorize_submission, Action, AuthenticatedUser, Caller, SubmissionAction,
};
use crate::domain::account::Role;
use crate::domain::clock;
use crate::domain::entities::EntityCode;
use crate::domain::history::Event;
use crate::domain::history::VersionInfo;
use crate::domain::submission::Submission;
use crate::domain::submission::{optional_note, validate, SubmissionDraft, ValidSubmission};
use crate::domain::workflow::{Move, Status};
use crate::domain::Language;
use crate::error::{AppError, FieldError, Problem};
use crate::http::extract::{if_match_version, ApiQuery, JsonBody};
use crate::http::AppState;
use crate::service::submissions::{self as intake, Outcome};
use crate::service::views::{etag, SubmissionView};
use crate::store::history;
use crate::store::idempotency::{self, StoredAnswer};
use crate::store::submissions::{self, ListFilter};
use crate::store::write_transaction;
use crate::store::{organisations, AnyConnection};
use crate::tagging::Tagger;

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

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

/// The entity a submission is for: a focal point's own, or the one an
/// editor names.
fn entity_for(
    user: &AuthenticatedUser,
    requested: Option<EntityCode>,
) -> Result<EntityCode, AppError> {
    match (user.role, &user.entity, requested) {
        (Role::FocalPoint, Some(own), None) => Ok(own.clone()),
        (Role::FocalPoint, Some(own), Some(requested)) if requested == *own => Ok(requested),
        (Role::FocalPoint, _, Some(requested)) => Err(AppError::Forbidden(format!(
            "a focal point submits for its own entity only, not for {requested}"
        ))),
        (_, _, Some(requested)) => Ok(requested),
        (_, _, None) => Err(AppError::unprocessable(vec![FieldError::new(
            "entity",
            "an editor recording a submission must name its entity",
        )])),
    }
}

fn idempotency_key(request: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = request.headers().get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::BadRequest {
            detail: "Idempotency-Key must be 1 to 255 visible ASCII characters".to_owned(),
            errors: vec![FieldError::new(
                "Idempotency-Key",
                "1 to 255 visible ASCII characters",
            )],
        });
    }
    Ok(Some(key.to_owned()))
}

fn digest(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(Sha256::digest(bytes))
}

enum Created {
    New(Outcome),
    Replay(StoredAnswer),
}

enum CreateError {
    App(AppError),
    /// Another request with the same key committed first.
    KeyTaken,
}

impl From<diesel::result::Error> for CreateError {
    fn from(error: diesel::result::Error) -> Self {
        CreateError::App(error.into())
    }
}

impl From<AppError> for CreateError {
    fn from(error: AppError) -> Self {
        CreateError::App(error)
    }
}

fn replay(stored: StoredAnswer, hash: &str) -> Result<Created, AppError> {
    if stored.request_hash == hash {
        Ok(Created::Replay(stored))
    } else {
        Err(AppError::unprocessable(vec![FieldError::new(
            "Idempotency-Key",
            "this key was used for a different request: use a new key for a new submission",
        )]))
    }
}

/// Creates the submission once per key: a retry gets the first answer.
#[allow(clippy::too_many_arguments)]
fn create_once(
    connection: &mut AnyConnection,
    user: &AuthenticatedUser,
    key: Option<(String, String)>,
    entity: EntityCode,
    valid: ValidSubmission,
    now: DateTime<Utc>,
    tagger: &Tagger,
) -> Result<Created, AppError> {
    if let Some((key, hash)) = &key {
        if let Some(stored) = idempotency::find(connection, &user.id, key, now)? {
            return replay(stored, hash);
        }
    }
    let attempt = write_transaction::<_, CreateError, _>(connection, |c| {
        let outcome = intake::create(c, &user.actor(), entity, valid, now, tagger)?;
        if let Some((key, hash)) = &key {
            let answer = StoredAnswer {
                request_hash: hash.clone(),
                status_code: 201,
                location: Some(format!("/api/v1/submissions/{}", outcome.view.id)),
                etag: Some(etag(outcome.view.version)),
                body: outcome.document.clone(),
            };
            if !idempotency::remember(c, &user.id, key, &answer, now)? {
                return Err(CreateError::KeyTaken);
            }
        }
        Ok(outcome)
    });
    match attempt {
        Ok(outcome) => Ok(Created::New(outcome)),
        Err(CreateError::App(error)) => Err(error),
        Err(CreateError::KeyTaken) => {
            let (key, hash) = key.ok_or_else(|| AppError::internal("a key race without a key"))?;
            let stored = idempotency::find(connection, &user.id, &key, now)?
                .ok_or_else(|| AppError::internal("an idempotency key vanished"))?;
            replay(stored, &hash)
        }
    }
}

/// Records a submission as a draft.
#[utoipa::path(
    post,
    path = "/api/v1/submissions",
    tag = "submissions",
    request_body = SubmissionDraft,
    params(("Idempotency-Key" = inline(Option<IdempotencyKey>), Header, description = "Makes a retry answer the first response instead of creating a second submission; kept 48 hours")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new draft", body = SubmissionView,
            headers(("Location" = String, description = "The submission's URL"), ("ETag" = String, description = "The version, for If-Match"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A focal point naming another entity", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a rule (each field named), or an Idempotency-Key reused for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_submission(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: JsonBody,
) -> Result<HttpResponse, AppError> {
    let user = authorize(&caller, Action::CreateSubmission)?.clone();
    let key = idempotency_key(&request)?.map(|key| (key, digest(body.bytes())));
    let draft: SubmissionDraft = body.parse()?;
    let mut valid = validate(draft).map_err(AppError::unprocessable)?;
    let entity = entity_for(&user, valid.entity.take())?;
    let tagger = state.tagger.clone();
    let created = state
        .store
        .run(move |c| create_once(c, &user, key, entity, valid, clock::now(), &tagger))
        .await?;
    Ok(match created {
        Created::New(outcome) => saved(actix_web::http::StatusCode::CREATED, &outcome),
        Created::Replay(stored) => {
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

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionSummary {
    id: String,
    entity: String,
    entity_name: String,
    language: Language,
    title: String,
    status: Status,
    version: i64,
    practices_count: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    submitted_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionList {
    items: Vec<SubmissionSummary>,
    next_cursor: Option<String>,
}

/// The entity's name, or its code should it be unknown (a list must not
/// fail for one odd row).
fn name_of(connection: &mut AnyConnection, code: &EntityCode) -> Result<String, AppError> {
    Ok(organisations::lookup(connection, code)?
        .map(|e| e.name)
        .unwrap_or_else(|| code.to_string()))
}

/// Submissions, oldest first: a focal point's own entity's, or all for editors.
#[utoipa::path(
    get,
    path = "/api/v1/submissions",
    tag = "submissions",
    params(SubmissionListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of submissions, without their practices", body = SubmissionList),
        (status = 400, description = "Bad filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_submissions(
    state: web::Data<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SubmissionListQuery>,
) -> Result<HttpResponse, AppError> {
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
    let entities = match (user.role, &user.entity, requested) {
        // Another entity's submissions do not exist for a focal point.
        (Role::FocalPoint, own, Some(requested)) if own.as_ref() != Some(&requested) => {
            Some(Vec::new())
        }
        (Role::FocalPoint, own, _) => Some(own.iter().map(ToString::to_string).collect()),
        (_, _, requested) => requested.map(|r| vec![r.to_string()]),
    };
    let filter = ListFilter { entities, statuses };
    let fetch = page.clone();
    let (mut heads, names) = state
        .store
        .run(move |c| {
            if filter.entities.as_ref().is_some_and(Vec::is_empty) {
                return Ok((Vec::new(), Default::default()));
            }
            let heads = submissions::list(c, &filter, &fetch)?;
            let mut names = std::collections::HashMap::new();
            for head in &heads {
                let code = &head.submission.entity;
                if !names.contains_key(code) {
                    names.insert(code.clone(), name_of(c, code)?);
                }
            }
            Ok((heads, names))
        })
        .await?;
    let next_cursor = pagination::finish(&mut heads, &page, |h| &h.submission.id);
    let items = heads
        .into_iter()
        .map(|head| {
            let s = head.submission;
            SubmissionSummary {
                entity_name: names
                    .get(&s.entity)
                    .cloned()
                    .unwrap_or_else(|| s.entity.to_string()),
                id: s.id,
                entity: s.entity.to_string(),
                language: s.language,
                title: s.title,
                status: s.status,
                version: s.version,
                practices_count: head.practices_count,
                created_at: s.created_at,
                updated_at: s.updated_at,
                submitted_at: s.submitted_at,
                decided_at: s.decided_at,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(SubmissionList { items, next_cursor }))
}

/// Loads a submission the caller may see for `action`.
async fn visible(
    state: &AppState,
    caller: &Caller,
    action: SubmissionAction,
    id: String,
) -> Result<(Submission, String), AppError> {
    let caller = caller.clone();
    state
        .store
        .run(move |c| {
            let submission = submissions::find(c, &id)?
                .ok_or_else(|| AppError::NotFound(format!("there is no submission {id}")))?;
            authorize_submission(&caller, action, &submission.entity, &id)?;
            let name = name_of(c, &submission.entity)?;
            Ok((submission, name))
        })
        .await
}

/// One submission with its practices.
#[utoipa::path(
    get,
    path = "/api/v1/submissions/{id}",
    tag = "submissions",
    params(("id" = String, Path, description = "The submission's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The submission", body = SubmissionView, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_submission(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if matches!(caller, Caller::Anonymous) {
        authorize(&caller, Action::ListSubmissions)?;
    }
    let (submission, name) =
        visible(&state, &caller, SubmissionAction::Read, path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(submission.version)))
        .json(SubmissionView::new(&submission, name)))
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
    put,
    path = "/api/v1/submissions/{id}",
    tag = "submissions",
    request_body = SubmissionDraft,
    params(
        ("id" = String, Path, description = "The submission's id"),
        ("If-Match" = inline(EntityTags), Header, description = "The ETag of the version being changed"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new version", body = SubmissionView, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not editable in its status, or the draft names another entity than the submission's", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match names an older version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a rule (each field named)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_submission(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, AppError> {
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
            let guard = |s: &Submission| {
                authorize_submission(&caller, SubmissionAction::Handle, &s.entity, &s.id)
                    .map(|_| ())
            };
            let current = submissions::find(c, &id)?
                .ok_or_else(|| AppError::NotFound(format!("there is no submission {id}")))?;
            guard(&current)?;
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

/// Runs a workflow move for the caller, with its message.
async fn run_move(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    action: Move,
    message: Option<String>,
) -> Result<HttpResponse, AppError> {
    let user = authorize(&caller, Action::ListSubmissions)?.clone();
    let needed = match action {
        Move::RequestChanges | Move::Accept | Move::Reject => SubmissionAction::Review,
        _ => SubmissionAction::Handle,
    };
    let outcome = state
        .store
        .run(move |c| {
            let guard = |s: &Submission| {
                authorize_submission(&caller, needed, &s.entity, &s.id).map(|_| ())
            };
            intake::transition(c, &user.actor(), &id, &guard, action, message, clock::now())
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
    post,
    path = "/api/v1/submissions/{id}/submit",
    tag = "submissions",
    params(("id" = String, Path, description = "The submission's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted", body = SubmissionView, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the caller's to do", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in its status; the detail names what is", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required message or reason is missing, or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    run_move(state, caller, path.into_inner(), Move::Submit, None).await
}

/// Withdraws a submission that is not yet decided (its entity's focal points or an editor).
#[utoipa::path(
    post,
    path = "/api/v1/submissions/{id}/withdraw",
    tag = "submissions",
    params(("id" = String, Path, description = "The submission's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = SubmissionView, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the caller's to do", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in its status; the detail names what is", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required message or reason is missing, or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    run_move(state, caller, path.into_inner(), Move::Withdraw, None).await
}

/// Returns a submitted submission to its focal points with a message (editors).
#[utoipa::path(
    post,
    path = "/api/v1/submissions/{id}/request-changes",
    tag = "submissions",
    request_body(content = ChangesRequest, description = "Required"),
    params(("id" = String, Path, description = "The submission's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Returned for changes", body = SubmissionView, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in its status; the detail names what is", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required message or reason is missing, or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request_changes(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, AppError> {
    authorize(&caller, Action::ListSubmissions)?;
    let request: ChangesRequest = body.parse_or_default()?;
    let message = required_note("message", request.message.as_deref())?;
    run_move(
        state,
        caller,
        path.into_inner(),
        Move::RequestChanges,
        Some(message),
    )
    .await
}

/// Accepts a submitted submission (editors): its practices enter the public catalogue.
#[utoipa::path(
    post,
    path = "/api/v1/submissions/{id}/accept",
    tag = "submissions",
    request_body(content = Option<Acceptance>, description = "Optional; may be empty"),
    params(("id" = String, Path, description = "The submission's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Accepted", body = SubmissionView, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in its status; the detail names what is", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required message or reason is missing, or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn accept(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, AppError> {
    authorize(&caller, Action::ListSubmissions)?;
    let acceptance: Acceptance = body.parse_or_default()?;
    let mut errors = Vec::new();
    let note = optional_note("note", acceptance.note.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(AppError::unprocessable(errors));
    }
    run_move(state, caller, path.into_inner(), Move::Accept, note).await
}

/// Rejects a submitted submission with a reason (editors).
#[utoipa::path(
    post,
    path = "/api/v1/submissions/{id}/reject",
    tag = "submissions",
    request_body(content = Rejection, description = "Required"),
    params(("id" = String, Path, description = "The submission's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Rejected", body = SubmissionView, headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in its status; the detail names what is", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required message or reason is missing, or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn reject(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, AppError> {
    authorize(&caller, Action::ListSubmissions)?;
    let rejection: Rejection = body.parse_or_default()?;
    let reason = required_note("reason", rejection.reason.as_deref())?;
    run_move(state, caller, path.into_inner(), Move::Reject, Some(reason)).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    items: Vec<VersionInfo>,
}

/// Every saved version of a submission, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/submissions/{id}/versions",
    tag = "submissions",
    params(("id" = String, Path, description = "The submission's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The versions", body = VersionList),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_versions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    authorize(&caller, Action::ListSubmissions)?;
    let id = path.into_inner();
    let (submission, _) = visible(&state, &caller, SubmissionAction::Read, id).await?;
    let items = state
        .store
        .run(move |c| history::versions(c, &submission.id))
        .await?;
    Ok(HttpResponse::Ok().json(VersionList { items }))
}

/// One saved version, exactly as it was answered then.
#[utoipa::path(
    get,
    path = "/api/v1/submissions/{id}/versions/{n}",
    tag = "submissions",
    params(("id" = String, Path, description = "The submission's id"), ("n" = i64, Path, description = "The version, from 1")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The submission as it was saved at that version", body = SubmissionView),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_version(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    authorize(&caller, Action::ListSubmissions)?;
    let (id, n) = path.into_inner();
    let (submission, _) = visible(&state, &caller, SubmissionAction::Read, id).await?;
    let not_found =
        || AppError::NotFound(format!("submission {} has no version {n}", submission.id));
    let version: i64 = n.parse().map_err(|_| not_found())?;
    let lookup = submission.id.clone();
    let document = state
        .store
        .run(move |c| history::version_document(c, &lookup, version))
        .await?
        .ok_or_else(not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .content_type("application/json")
        .body(document))
}

/// The audit trail: who did what, when, from which status to which.
#[utoipa::path(
    get,
    path = "/api/v1/submissions/{id}/events",
    tag = "submissions",
    params(("id" = String, Path, description = "The submission's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The events, oldest first", body = Vec<Event>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or another entity's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_events(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    authorize(&caller, Action::ListSubmissions)?;
    let (submission, _) =
        visible(&state, &caller, SubmissionAction::Read, path.into_inner()).await?;
    let events = state
        .store
        .run(move |c| history::events(c, &submission.id))
        .await?;
    Ok(HttpResponse::Ok().json(events))
}
