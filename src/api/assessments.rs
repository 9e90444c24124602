//! Self-assessments against the annex (operative paragraph 1):
//! `/api/v1/assessments`. A State's own, private until it shares it.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::pagination;
use super::shapes::{EntityTags, IdCursor};
use crate::auth::{assessing_state, assessment_guard, authorize, Action, AssessmentAction, Caller};
use crate::domain::annex::AnnexItem;
use crate::domain::assessment::{
    validate_answers, AnswerDraft, AnswerStatus, AssessmentMove, ItemChange,
};
use crate::domain::clock;
use crate::domain::Language;
use crate::error::AppError;
use crate::http::extract::{if_match_version, ApiQuery, JsonBody};
use crate::http::{Answer, IdPath, State};
use crate::i18n;
use crate::search::recommend::{Recommendation, Why};
use crate::service::assessments::{
    self as assessments, AssessmentEvent, AssessmentView, Gap, Listed, Outcome,
};
use crate::service::views::etag;

/// The answer for a saved assessment: its document, ETag and Location.
fn saved(status: actix_web::http::StatusCode, outcome: &Outcome) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(outcome.view.version)))
        .insert_header((
            header::LOCATION,
            format!("/api/v1/assessments/{}", outcome.view.id),
        ))
        .content_type("application/json")
        .body(outcome.document.clone())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssessment {
    /// The year assessed, from 2010 to next year.
    #[serde(deserialize_with = "crate::json::integer")]
    #[schema(minimum = 2010, example = 2026)]
    year: i64,
    /// The language the State answers in.
    language: Language,
    /// Start with every item not started, rather than from the State's
    /// latest earlier assessment (the default).
    #[serde(default)]
    blank: bool,
}

/// Starts the caller's State's self-assessment of a year.
#[utoipa::path(
    post, path = "/api/v1/assessments", tag = "assessments", request_body = NewAssessment, security(("bearer" = [])),
    responses((status = 201, description = "The new draft, from last year's answers unless `blank`", body = AssessmentView, headers(("Location" = String, description = "Its URL"), ("ETag" = String, description = "Its version, for If-Match"))), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Not a focal point"), (status = 409, description = "The State has an assessment for that year"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "A year out of range, or the caller's entity is not a Member State"))
)]
pub async fn create_assessment(state: State, caller: Caller, body: JsonBody) -> Answer {
    let user = authorize(&caller, Action::SelfAssess)?.clone();
    let asked: NewAssessment = body.parse()?;
    let now = clock::now();
    let outcome = state
        .store
        .run(move |c| {
            let member = match &user.entity {
                Some(code) => assessments::is_member_state(c, code)?,
                None => false,
            };
            let entity = assessing_state(&user, member)?;
            let year = assessments::year_of(asked.year, now)?;
            let actor = user.actor();
            assessments::create(c, &actor, entity, year, asked.language, asked.blank, now)
        })
        .await?;
    Ok(saved(actix_web::http::StatusCode::CREATED, &outcome))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AssessmentListQuery {
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    #[param(value_type = Option<IdCursor>)]
    cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentList {
    items: Vec<AssessmentView>,
    next_cursor: Option<String>,
}

/// The caller's State's assessments; for editors, those States share.
#[utoipa::path(
    get, path = "/api/v1/assessments", tag = "assessments", params(AssessmentListQuery), security(("bearer" = [])),
    responses((status = 200, description = "A page of assessments, oldest first", body = AssessmentList), (status = 400, description = "Bad limit or cursor"), (status = 401, description = "No valid token"))
)]
pub async fn list_assessments(
    state: State,
    caller: Caller,
    ApiQuery(query): ApiQuery<AssessmentListQuery>,
) -> Answer {
    let user = authorize(&caller, Action::SelfAssess)?.clone();
    let page = pagination::page(query.limit, query.cursor.as_deref())?;
    let (items, next_cursor) = pagination::fetch(
        &state,
        page,
        move |c, page| match (&user.entity, user.role.is_editor()) {
            (_, true) => assessments::list(c, Listed::Shared, page),
            (Some(entity), false) => assessments::list(c, Listed::OfEntity(entity), page),
            (None, false) => Ok(Vec::new()),
        },
        |a| &a.id,
    )
    .await?;
    Ok(HttpResponse::Ok().json(AssessmentList { items, next_cursor }))
}

/// One assessment with its eighteen answers.
#[utoipa::path(
    get, path = "/api/v1/assessments/{id}", tag = "assessments", params(("id" = String, Path, description = "The assessment's id")), security(("bearer" = [])),
    responses((status = 200, description = "The assessment", body = AssessmentView, headers(("ETag" = String, description = "The version, for If-Match"))), (status = 401, description = "No valid token"), (status = 404, description = "No such assessment, another State's, or not shared (editors)"))
)]
pub async fn get_assessment(state: State, caller: Caller, path: IdPath) -> Answer {
    authorize(&caller, Action::SelfAssess)?;
    let id = path.into_inner();
    let view = state
        .store
        .run(move |c| {
            assessments::visible(c, &id, &assessment_guard(&caller, AssessmentAction::Read))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(view.version)))
        .json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersDraft {
    /// The answers to save, at most one per item; the items left out stay
    /// as they are.
    #[serde(deserialize_with = "crate::json::objects")]
    #[schema(max_items = 18)]
    answers: Vec<AnswerDraft>,
}

/// Saves answers: only the items given change. Every change is a version.
#[utoipa::path(
    put, path = "/api/v1/assessments/{id}", tag = "assessments", request_body = AnswersDraft, params(("id" = String, Path, description = "The assessment's id"), ("If-Match" = inline(EntityTags), Header, description = "The ETag of the version being changed")), security(("bearer" = [])),
    responses((status = 200, description = "The assessment as saved", body = AssessmentView, headers(("ETag" = String, description = "The new version"))), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "An editor: the Secretariat changes no State's assessment"), (status = 404, description = "No such assessment, or another State's"), (status = 412, description = "If-Match names an older version"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "Breaks a rule (each field named)"), (status = 428, description = "If-Match is missing"))
)]
pub async fn answer_assessment(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
    body: JsonBody,
) -> Answer {
    let user = authorize(&caller, Action::SelfAssess)?.clone();
    // Who may change it first (404), then the precondition, then the body.
    let expected = if_match_version(&request).and_then(|v| {
        v.ok_or_else(|| {
            AppError::PreconditionRequired(
                "send If-Match with the ETag of the version you are changing, so that no one's answers are lost".to_owned(),
            )
        })
    });
    let valid = body
        .parse::<AnswersDraft>()
        .and_then(|draft| validate_answers(&draft.answers).map_err(AppError::unprocessable));
    let id = path.into_inner();
    let outcome = state
        .store
        .run(move |c| {
            let guard = assessment_guard(&caller, AssessmentAction::Handle);
            let current = assessments::load(c, &id, &guard)?;
            let seen = expected?.unwrap_or(current.version);
            let answers = valid?;
            let actor = user.actor();
            assessments::answer(c, &actor, &id, &guard, seen, answers, clock::now())
        })
        .await?;
    Ok(saved(actix_web::http::StatusCode::OK, &outcome))
}

async fn run_move(
    state: State,
    caller: Caller,
    request: HttpRequest,
    id: String,
    action: AssessmentMove,
) -> Answer {
    let user = authorize(&caller, Action::SelfAssess)?.clone();
    let seen = if_match_version(&request)?.flatten();
    let outcome = state
        .store
        .run(move |c| {
            let guard = assessment_guard(&caller, AssessmentAction::Handle);
            let actor = user.actor();
            assessments::apply(c, &actor, &id, &guard, action, seen, clock::now())
        })
        .await?;
    Ok(saved(actix_web::http::StatusCode::OK, &outcome))
}

/// Marks the assessment completed (its answers may still be corrected).
#[utoipa::path(
    post, path = "/api/v1/assessments/{id}/complete", tag = "assessments", params(("id" = String, Path, description = "The assessment's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version completed")), security(("bearer" = [])),
    responses((status = 200, description = "Completed", body = AssessmentView), (status = 400, description = "Malformed If-Match"), (status = 401, description = "No valid token"), (status = 403, description = "An editor"), (status = 404, description = "No such assessment, or another State's"), (status = 409, description = "Completed already"), (status = 412, description = "If-Match names an older version"))
)]
pub async fn complete(state: State, caller: Caller, request: HttpRequest, path: IdPath) -> Answer {
    run_move(
        state,
        caller,
        request,
        path.into_inner(),
        AssessmentMove::Complete,
    )
    .await
}

/// Lets the Secretariat's editors read the assessment (again a 200 when it is shared already).
#[utoipa::path(
    post, path = "/api/v1/assessments/{id}/share", tag = "assessments", params(("id" = String, Path, description = "The assessment's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version shared")), security(("bearer" = [])),
    responses((status = 200, description = "Shared", body = AssessmentView), (status = 400, description = "Malformed If-Match"), (status = 401, description = "No valid token"), (status = 403, description = "An editor"), (status = 404, description = "No such assessment, or another State's"), (status = 412, description = "If-Match names an older version"))
)]
pub async fn share(state: State, caller: Caller, request: HttpRequest, path: IdPath) -> Answer {
    run_move(
        state,
        caller,
        request,
        path.into_inner(),
        AssessmentMove::Share,
    )
    .await
}

/// Makes the assessment private to the State again.
#[utoipa::path(
    post, path = "/api/v1/assessments/{id}/unshare", tag = "assessments", params(("id" = String, Path, description = "The assessment's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the version unshared")), security(("bearer" = [])),
    responses((status = 200, description = "Private to the State", body = AssessmentView), (status = 400, description = "Malformed If-Match"), (status = 401, description = "No valid token"), (status = 403, description = "An editor"), (status = 404, description = "No such assessment, another State's, or not shared (editors)"), (status = 412, description = "If-Match names an older version"))
)]
pub async fn unshare(state: State, caller: Caller, request: HttpRequest, path: IdPath) -> Answer {
    run_move(
        state,
        caller,
        request,
        path.into_inner(),
        AssessmentMove::Unshare,
    )
    .await
}

/// Who did what to the assessment, oldest first.
#[utoipa::path(
    get, path = "/api/v1/assessments/{id}/events", tag = "assessments", params(("id" = String, Path, description = "The assessment's id")), security(("bearer" = [])),
    responses((status = 200, description = "The trail", body = [AssessmentEvent]), (status = 401, description = "No valid token"), (status = 404, description = "No such assessment, another State's, or not shared (editors)"))
)]
pub async fn list_events(state: State, caller: Caller, path: IdPath) -> Answer {
    authorize(&caller, Action::SelfAssess)?;
    let id = path.into_inner();
    let events = state
        .store
        .run(move |c| {
            assessments::load(c, &id, &assessment_guard(&caller, AssessmentAction::Read))?;
            assessments::events(c, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(events))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LanguageQuery {
    /// The reader's language: recommendations in it come first, and the
    /// reasons are written in it (default: the assessment's).
    lang: Option<Language>,
}

/// A practice recommended for an open item.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recommended {
    id: String,
    title: String,
    #[schema(example = "EST")]
    entity: String,
    entity_name: String,
    language: String,
    /// Why it is recommended, in the reader's language.
    why: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GapView {
    #[schema(minimum = 1, maximum = 18)]
    item: u8,
    status: AnswerStatus,
    recommended: Vec<Recommended>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Gaps {
    items: Vec<GapView>,
}

fn why(recommendation: &Recommendation, item: AnnexItem, reader: Language) -> String {
    i18n::why_recommended(
        recommendation.why == Why::MainItem,
        item,
        recommendation.in_reader_language,
        reader,
    )
}

fn gap_view(gap: Gap, reader: Language) -> GapView {
    GapView {
        item: gap.item.number(),
        status: gap.status,
        recommended: gap
            .recommended
            .iter()
            .map(|r| Recommended {
                why: why(r, gap.item, reader),
                id: r.row.id.clone(),
                title: r.row.title.clone(),
                entity: r.row.entity.clone(),
                entity_name: r.row.entity_name.clone(),
                language: r.row.language.clone(),
            })
            .collect(),
    }
}

/// The items not in place (and not inapplicable), each with practices
/// other entities shared for it: mainly about it first, then tagged with
/// it; in the reader's language first; never the State's own.
#[utoipa::path(
    get, path = "/api/v1/assessments/{id}/gaps", tag = "assessments", params(("id" = String, Path, description = "The assessment's id"), LanguageQuery), security(("bearer" = [])),
    responses((status = 200, description = "The open items, in annex order", body = Gaps), (status = 400, description = "An unknown language"), (status = 401, description = "No valid token"), (status = 404, description = "No such assessment, another State's, or not shared (editors)"))
)]
pub async fn get_gaps(
    state: State,
    caller: Caller,
    path: IdPath,
    ApiQuery(query): ApiQuery<LanguageQuery>,
) -> Answer {
    authorize(&caller, Action::SelfAssess)?;
    let id = path.into_inner();
    let assessment = state
        .store
        .run(move |c| assessments::load(c, &id, &assessment_guard(&caller, AssessmentAction::Read)))
        .await?;
    let reader = query.lang.unwrap_or(assessment.language);
    let index = state.search.clone();
    let gaps = web::block(move || assessments::gaps(&assessment, &index, reader))
        .await
        .map_err(AppError::internal)??;
    let items = gaps.into_iter().map(|g| gap_view(g, reader)).collect();
    Ok(HttpResponse::Ok().json(Gaps { items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// The other assessment of the same State.
    with: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison {
    from_year: i32,
    to_year: i32,
    /// Every item, in annex order.
    items: Vec<ItemChange>,
}

/// Two years of the State's assessment side by side, item by item.
#[utoipa::path(
    get, path = "/api/v1/assessments/{id}/compare", tag = "assessments", params(("id" = String, Path, description = "The assessment's id"), CompareQuery), security(("bearer" = [])),
    responses((status = 200, description = "The earlier year against the later", body = Comparison), (status = 400, description = "`with` is missing"), (status = 401, description = "No valid token"), (status = 404, description = "Either is no assessment of the caller's State (or not shared, for editors), or they are of two States"))
)]
pub async fn compare(
    state: State,
    caller: Caller,
    path: IdPath,
    ApiQuery(query): ApiQuery<CompareQuery>,
) -> Answer {
    authorize(&caller, Action::SelfAssess)?;
    let id = path.into_inner();
    let (earlier, later, items) = state
        .store
        .run(move |c| {
            assessments::compare(
                c,
                &id,
                &query.with,
                &assessment_guard(&caller, AssessmentAction::Read),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(Comparison {
        from_year: earlier.year,
        to_year: later.year,
        items,
    }))
}

/// Turns an answered item into a draft submission of the State: one
/// practice titled after the item, its body the narrative and evidence,
/// tagged with the item. It then follows the normal workflow.
#[utoipa::path(
    post, path = "/api/v1/assessments/{id}/items/{n}/draft", tag = "assessments", params(("id" = String, Path, description = "The assessment's id"), ("n" = u8, Path, minimum = 1, maximum = 18, description = "The annex item")), security(("bearer" = [])),
    responses((status = 201, description = "The draft submission", body = crate::service::views::SubmissionView, headers(("Location" = String, description = "The submission's URL"), ("ETag" = String, description = "Its version"))), (status = 400, description = "An item that is not 1 to 18"), (status = 401, description = "No valid token"), (status = 403, description = "An editor"), (status = 404, description = "No such assessment, or another State's"), (status = 409, description = "The item has no narrative yet"))
)]
pub async fn draft_from_item(
    state: State,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Answer {
    let user = authorize(&caller, Action::SelfAssess)?.clone();
    let (id, n) = path.into_inner();
    let item = n
        .parse::<u8>()
        .ok()
        .and_then(AnnexItem::new)
        .ok_or_else(|| AppError::invalid_field("n", "an annex item, 1 to 18"))?;
    let tagger = state.tagger.clone();
    let outcome = state
        .store
        .run(move |c| {
            let guard = assessment_guard(&caller, AssessmentAction::Handle);
            let heading = |language| i18n::labels(language).assessment_evidence.clone();
            let actor = user.actor();
            assessments::draft_from_item(
                c,
                &actor,
                &id,
                &guard,
                item,
                &heading,
                &tagger,
                clock::now(),
            )
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(outcome.view.version)))
        .insert_header((
            header::LOCATION,
            format!("/api/v1/submissions/{}", outcome.view.id),
        ))
        .content_type("application/json")
        .body(outcome.document))
}

/// The formats an assessment is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AssessmentFormat {
    /// Markdown, to edit.
    Md,
    /// A standalone, print-ready HTML page.
    Html,
    /// A Word document.
    Docx,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AssessmentExportQuery {
    format: AssessmentFormat,
}

/// The assessment as a document in its own language: the annex's full
/// text item by item with the State's answers.
#[utoipa::path(
    get, path = "/api/v1/assessments/{id}/export", tag = "assessments", params(("id" = String, Path, description = "The assessment's id"), AssessmentExportQuery), security(("bearer" = [])),
    responses((status = 200, description = "md: Markdown; html: a standalone, print-ready document; docx: a Word document", content((String = "text/markdown"), (String = "text/html"), (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document")), headers(("Content-Disposition" = String))), (status = 400, description = "An unknown format"), (status = 401, description = "No valid token"), (status = 404, description = "No such assessment, another State's, or not shared (editors)"))
)]
pub async fn export_assessment(
    state: State,
    caller: Caller,
    path: IdPath,
    ApiQuery(query): ApiQuery<AssessmentExportQuery>,
) -> Answer {
    authorize(&caller, Action::SelfAssess)?;
    let id = path.into_inner();
    let (assessment, name) = state
        .store
        .run(move |c| {
            let guard = assessment_guard(&caller, AssessmentAction::Read);
            let assessment = assessments::load(c, &id, &guard)?;
            let name = crate::service::submissions::entity_name(c, &assessment.entity)?;
            Ok((assessment, name))
        })
        .await?;
    let file = format!("assessment-{}-{}", assessment.entity, assessment.year);
    // A private document: the answer to a signed-in request is never
    // stored (`Cache-Control: no-store`, set for every such answer).
    let mut response = HttpResponse::Ok();
    Ok(match query.format {
        AssessmentFormat::Md => response
            .content_type("text/markdown; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.md\""),
            ))
            .body(crate::publish::assessment::markdown(&assessment, &name)),
        AssessmentFormat::Html => response
            .content_type("text/html; charset=utf-8")
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                crate::http::headers::EXPORT_POLICY,
            ))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}.html\""),
            ))
            .body(crate::publish::assessment::html(&assessment, &name)),
        AssessmentFormat::Docx => response
            .content_type(crate::publish::edition::Format::Docx.content_type())
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.docx\""),
            ))
            .body(
                crate::publish::assessment::docx(&assessment, &name).map_err(AppError::internal)?,
            ),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentStock {
    /// The fewest States a cell counts before its figure is shown.
    min_states: usize,
    /// Every annex item, in order, with a cell per region.
    items: Vec<crate::domain::assessment::stock::ItemStock>,
}

/// Taking stock without exposure (editors): per annex item and region, how
/// many States say the item is in place, from each State's latest shared
/// assessment, shown only in cells of at least three States.
#[utoipa::path(
    get, path = "/api/v1/coverage/self-assessments", tag = "assessments", security(("bearer" = [])),
    responses((status = 200, description = "The figures", body = AssessmentStock), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"))
)]
pub async fn get_stock(state: State, caller: Caller) -> Answer {
    authorize(&caller, Action::ReadAssessmentStock)?;
    let items = state.store.run(assessments::stock).await?;
    Ok(HttpResponse::Ok().json(AssessmentStock {
        min_states: crate::domain::assessment::stock::MIN_STATES,
        items,
    }))
}
