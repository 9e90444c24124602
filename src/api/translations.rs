//! `PUT` and `DELETE /api/v1/practices/{id}/translations/{lang}`: editors'
//! courtesy translations of the catalogue's practices.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::shapes::EntityTags;
use crate::auth::{authorize, Action, Caller};
use crate::domain::clock;
use crate::domain::Language;
use crate::error::AppError;
use crate::http::extract::{if_match_version, JsonBody};
use crate::http::{Answer, State};
use crate::service::practices::CataloguePractice;
use crate::service::translations::{self, Removal, TranslationRequest};
use crate::service::views::etag;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationBody {
    /// One line.
    #[schema(
        example = "Équipe nationale d'intervention en cas d'incident informatique",
        min_length = 1,
        max_length = 300,
        pattern = r"\S"
    )]
    title: String,
    /// Markdown, as the original's body.
    #[schema(
        example = "L'équipe nationale coordonne la **réponse** aux incidents.",
        min_length = 1,
        max_length = 100_000,
        pattern = r"\S"
    )]
    body: String,
}

/// The practice and the language a path names; a language that is not a
/// UN language is a bad request, as in a query.
fn target(path: web::Path<(String, String)>) -> Result<(String, Language), AppError> {
    let (id, code) = path.into_inner();
    let language = code
        .parse()
        .map_err(|e: crate::domain::language::UnknownLanguage| {
            AppError::invalid_field("lang", e.to_string())
        })?;
    Ok((id, language))
}

/// Adds or replaces the Secretariat's courtesy translation of a practice
/// into another UN language (editors; audited): its submission takes a new
/// version, and search finds the practice in that language.
#[utoipa::path(
    put, path = "/api/v1/practices/{id}/translations/{lang}", tag = "catalogue", params(("id" = String, Path, description = "The practice's id"), ("lang" = Language, Path, description = "The language of the translation: not the practice's own"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the practice as read")), request_body = TranslationBody, security(("bearer" = [])),
    responses((status = 200, description = "Replaced; the practice as readers in that language see it", body = CataloguePractice, headers(("ETag" = String, description = "The new version"))), (status = 201, description = "Added; the practice as readers in that language see it", body = CataloguePractice, headers(("ETag" = String, description = "The new version"), ("Location" = String, description = "The practice in that language"))), (status = 400, description = "Malformed request or not a UN language"), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"), (status = 404, description = "No such practice in the catalogue"), (status = 409, description = "Not in the catalogue, or withdrawn"), (status = 412, description = "If-Match names another version"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "The practice's own language, or a title or body that breaks a practice's rules"))
)]
pub async fn put_translation(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(String, String)>,
    body: JsonBody,
) -> Answer {
    let editor = authorize(&caller, Action::CuratePractices)?.clone();
    let (practice_id, language) = target(path)?;
    let seen = if_match_version(&request)?.flatten();
    let sent: TranslationBody = body.parse()?;
    let asked = TranslationRequest {
        practice_id,
        language,
        title: sent.title,
        body: sent.body,
        seen,
    };
    let (practice, created): (CataloguePractice, bool) = state
        .store
        .run(move |c| translations::put(c, &editor.actor(), asked, clock::now()))
        .await?;
    let mut answer = super::practices::answer(&practice);
    if created {
        answer.head_mut().status = actix_web::http::StatusCode::CREATED;
        let location = format!("/api/v1/practices/{}?lang={}", practice.id, language.code());
        if let Ok(value) = header::HeaderValue::from_str(&location) {
            answer.headers_mut().insert(header::LOCATION, value);
        }
    }
    Ok(answer)
}

/// Removes a practice's courtesy translation into a language (editors;
/// audited); readers in that language then read the original.
#[utoipa::path(
    delete, path = "/api/v1/practices/{id}/translations/{lang}", tag = "catalogue", params(("id" = String, Path, description = "The practice's id"), ("lang" = Language, Path, description = "The language of the translation"), ("If-Match" = inline(Option<EntityTags>), Header, description = "The ETag of the practice as read")), security(("bearer" = [])),
    responses((status = 204, description = "Removed", headers(("ETag" = String, description = "The new version"))), (status = 400, description = "Not a UN language, or a malformed If-Match"), (status = 401, description = "No valid token"), (status = 403, description = "Not an editor"), (status = 404, description = "No such practice, or no translation into that language"), (status = 409, description = "Not in the catalogue, or withdrawn"), (status = 412, description = "If-Match names another version"))
)]
pub async fn delete_translation(
    state: State,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(String, String)>,
) -> Answer {
    let editor = authorize(&caller, Action::CuratePractices)?.clone();
    let (practice_id, language) = target(path)?;
    let seen = if_match_version(&request)?.flatten();
    let removal = Removal {
        practice_id,
        language,
        seen,
    };
    let (_, version) = state
        .store
        .run(move |c| translations::remove(c, &editor.actor(), &removal, clock::now()))
        .await?;
    Ok(HttpResponse::NoContent()
        .insert_header((header::ETAG, etag(version)))
        .finish())
}
