//! `GET /api/v1/entities`: the States and organisations that may contribute.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::ApiQuery;
use super::AppState;
use crate::entities::{registry, Entity, EntityType};
use crate::error::{AppError, Problem};
use crate::store::organisations;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EntitiesQuery {
    /// Only entities of this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    entity_type: Option<EntityType>,
    /// Part of the name, or the whole code; case and accents are ignored.
    #[param(max_length = 200)]
    q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityList {
    items: Vec<Entity>,
}

/// Member States, observer States and organisations, filtered by type and name.
#[utoipa::path(
    get,
    path = "/api/v1/entities",
    tag = "reference",
    params(EntitiesQuery),
    responses(
        (status = 200, description = "The matching entities: Member States alphabetically, then observer States, then organisations", body = EntityList),
        (status = 400, description = "Unknown type or parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_entities(
    state: web::Data<AppState>,
    ApiQuery(query): ApiQuery<EntitiesQuery>,
) -> Result<HttpResponse, AppError> {
    if query.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::invalid_field("q", "at most 200 characters"));
    }
    let added = state.store.run(organisations::list).await?;
    let matches = |entity: &&Entity| {
        query.entity_type.is_none_or(|t| entity.entity_type == t)
            && query.q.as_deref().is_none_or(|q| entity.matches(q))
    };
    let items = registry()
        .all()
        .iter()
        .chain(added.iter())
        .filter(matches)
        .cloned()
        .collect();
    Ok(HttpResponse::Ok().json(EntityList { items }))
}
