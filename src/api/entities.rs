//! `GET /api/v1/entities`: the States and organisations that may contribute.

use actix_web::{http::header, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{authorize, Action, Caller};
use crate::domain::clock;
use crate::domain::entities::{Entity, EntityCode, EntityType};
use crate::domain::Language;
use crate::error::AppError;
use crate::http::extract::{ApiQuery, JsonBody};
use crate::http::{Answer, State};
use crate::service::organisations;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EntitiesQuery {
    /// Only entities of this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    entity_type: Option<EntityType>,
    /// Part of the name in any of the six languages, or the whole code;
    /// case and accents are ignored.
    #[param(max_length = 200)]
    q: Option<String>,
    /// The language of the names, and of their alphabetical order
    /// (default English).
    lang: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityList {
    items: Vec<Entity>,
}

/// Member States, observer States and organisations, filtered by type and
/// name, each named in the language asked for and sorted as that language
/// sorts.
#[utoipa::path(
    get, path = "/api/v1/entities", tag = "reference", params(EntitiesQuery),
    responses((status = 200, description = "The matching entities: Member States, then observer States, then organisations, each group in the alphabetical order of the language asked for", body = EntityList), (status = 400, description = "Unknown type or parameter"))
)]
pub async fn list_entities(state: State, ApiQuery(query): ApiQuery<EntitiesQuery>) -> Answer {
    if query.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::invalid_field("q", "at most 200 characters"));
    }
    let language = query.lang.unwrap_or(Language::En);
    let items = state
        .store
        .run(move |c| organisations::listed(c, query.entity_type, query.q.as_deref(), language))
        .await?;
    Ok(HttpResponse::Ok().json(EntityList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisationRequest {
    #[schema(schema_with = new_code_schema)]
    code: EntityCode,
    #[schema(
        example = "Global Forum on Cyber Expertise",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    name: String,
    /// States come from the reference list; only organisations are added.
    #[serde(rename = "type")]
    #[schema(value_type = OrganisationType)]
    entity_type: EntityType,
}

/// A code not on the reference list yet, in the shape of every code.
fn new_code_schema() -> utoipa::openapi::schema::ObjectBuilder {
    crate::domain::entities::entity_code_shape().examples(["GFCE"])
}

/// The entity types an admin may add, for the OpenAPI document (the body
/// is read as an [`EntityType`] and refused with a named field otherwise).
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum OrganisationType {
    RegionalOrg,
    InternationalOrg,
}

/// Adds a regional or international organisation (admins only).
#[utoipa::path(
    post, path = "/api/v1/entities", tag = "reference", request_body = NewOrganisationRequest, security(("bearer" = [])),
    responses((status = 201, description = "The organisation", body = Entity), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Not an admin"), (status = 409, description = "The code is taken"), (status = 413, description = "Body too large"), (status = 422, description = "Not an organisation type, or an empty name"))
)]
pub async fn add_organisation(state: State, caller: Caller, body: JsonBody) -> Answer {
    let admin = authorize(&caller, Action::AddOrganisation)?.clone();
    let body: NewOrganisationRequest = body.parse()?;
    let organisation = organisations::check(body.code, &body.name, body.entity_type)?;
    let entity = state
        .store
        .run(move |c| organisations::add(c, admin.actor(), &organisation, clock::now()))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/entities?q={}", entity.code),
        ))
        .json(entity))
}
