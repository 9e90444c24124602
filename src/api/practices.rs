//! Practices of the public catalogue: `/api/v1/practices/{id}`, and editors'
//! curation of their tags.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::shapes::EntityTags;
use crate::auth::{authorize, Action, Caller};
use crate::domain::clock;
use crate::domain::submission::Curation;
use crate::domain::submission::{items, optional_note, sector_list_schema, sectors};
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::http::extract::{double_option, if_match_version, ApiQuery, JsonBody};
use crate::http::{Answer, IdPath, State};
use crate::service::curation;
use crate::service::curation::Withdrawal;
use crate::service::practices::{find_public, CataloguePractice};
use crate::service::views::etag;
use utoipa::openapi::schema::{ArrayBuilder, SchemaType, Type};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PracticeQuery {
    /// The language to read it in: its courtesy translation into that
    /// language where it has one (`translated: true`), else the original.
    lang: Option<Language>,
}

/// A practice of an accepted submission; anyone may read it.
#[utoipa::path(
    get, path = "/api/v1/practices/{id}", tag = "catalogue", params(("id" = String, Path, description = "The practice's id"), PracticeQuery),
    responses((status = 200, description = "The practice", body = CataloguePractice, headers(("ETag" = String, description = "The version of its submission, for If-Match"))), (status = 400, description = "An unknown language or parameter"), (status = 404, description = "No such practice in the catalogue"), (status = 410, description = "Withdrawn from the catalogue; the detail gives the reason"))
)]
pub async fn get_practice(
    state: State,
    path: IdPath,
    ApiQuery(query): ApiQuery<PracticeQuery>,
) -> Answer {
    let id = path.into_inner();
    let lookup = id.clone();
    let practice = state
        .store
        .run(move |c| find_public(c, &lookup, query.lang))
        .await?;
    practice
        .map(|p| answer(&p))
        .ok_or_else(|| AppError::NotFound(format!("there is no practice {id} in the catalogue")))
}

/// A practice with the ETag of its submission's version.
pub(super) fn answer(practice: &CataloguePractice) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(practice.version)))
        .json(practice)
}

/// `null` (or absence) keeps the present list.
fn or_null(list: ArrayBuilder) -> ArrayBuilder {
    list.schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
}

fn items_or_null() -> ArrayBuilder {
    or_null(crate::domain::annex::item_list_schema())
}

fn sectors_or_null() -> ArrayBuilder {
    or_null(sector_list_schema())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeCuration {
    /// The annex items, replacing the present ones.
    #[serde(default, deserialize_with = "crate::json::optional_integers")]
    #[schema(schema_with = items_or_null, example = json!([10, 11]))]
    items: Option<Vec<i64>>,
    /// The sectors, replacing the present ones.
    #[schema(schema_with = sectors_or_null)]
    sectors: Option<Vec<String>>,
    /// A note of the Secretariat; null removes it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 5000)]
    editorial_note: Option<Option<String>>,
}

/// Re-tags a practice of an accepted submission (editors); audited.
#[utoipa::path(
    patch, path = "/api/v1/practices/{id}", tag = "catalogue", params(("id" = String, Path, description = "The practice's id"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the practice as read")), request_body = PracticeCuration, security(("bearer" = [])),
    responses((status = 200, description = "The practice as now tagged", body = CataloguePractice), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"), (status = 404, description = "No such practice"), (status = 409, description = "Its submission is not accepted"), (status = 412, description = "If-Match names another version: someone re-tagged it since"), (status = 422, description = "Unknown items or sectors, or a note too long"))
)]
pub async fn curate_practice(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: IdPath,
    body: JsonBody,
) -> Answer {
    let editor = authorize(&caller, Action::CuratePractices)?.clone();
    let seen = if_match_version(&request)?.flatten();
    let patch: PracticeCuration = body.parse()?;
    let mut errors = Vec::new();
    let curation = Curation {
        items: patch
            .items
            .as_deref()
            .map(|values| items("items", values, &mut errors)),
        sectors: patch
            .sectors
            .as_deref()
            .map(|values| sectors("sectors", values, &mut errors)),
        editorial_note: patch
            .editorial_note
            .map(|note| optional_note("editorial_note", note.as_deref(), &mut errors)),
    };
    if !errors.is_empty() {
        return Err(AppError::unprocessable(errors));
    }
    let id = path.into_inner();
    let view = state
        .store
        .run(move |c| curation::curate(c, &editor.actor(), &id, curation, seen, clock::now()))
        .await?;
    Ok(answer(&view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeWithdrawal {
    /// Why; shown to readers who follow a link to the practice.
    #[schema(value_type = String, required = true, max_length = 5000, pattern = r"\S")]
    reason: Option<String>,
}

/// Takes a practice out of the public catalogue, with a reason (editors;
/// audited): its page and `GET` then answer 410 with the reason, search
/// and new compilations leave it out; its submission keeps it.
#[utoipa::path(
    post, path = "/api/v1/practices/{id}/withdraw", tag = "catalogue", params(("id" = String, Path, description = "The practice's id")), request_body = PracticeWithdrawal, security(("bearer" = [])),
    responses((status = 200, description = "Withdrawn", body = Withdrawal), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"), (status = 404, description = "No such practice"), (status = 409, description = "Not in the catalogue, or withdrawn already"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "The reason is missing or too long"))
)]
pub async fn withdraw_practice(
    state: State,
    caller: Caller,
    path: IdPath,
    body: JsonBody,
) -> Answer {
    let editor = authorize(&caller, Action::CuratePractices)?.clone();
    let asked: PracticeWithdrawal = body.parse()?;
    let mut errors = Vec::new();
    let reason = optional_note("reason", asked.reason.as_deref(), &mut errors);
    let reason = match (reason, errors.is_empty()) {
        (Some(reason), true) => reason,
        (None, true) => {
            return Err(AppError::unprocessable(vec![FieldError::new(
                "reason",
                "is required",
            )]))
        }
        _ => return Err(AppError::unprocessable(errors)),
    };
    let id = path.into_inner();
    let withdrawn = state
        .store
        .run(move |c| curation::withdraw(c, &editor.actor(), &id, reason, clock::now()))
        .await?;
    Ok(HttpResponse::Ok().json(withdrawn))
}
