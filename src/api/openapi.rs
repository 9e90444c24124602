//! The OpenAPI document, collected from the handlers' annotations. The
//! committed copy in `openapi/openapi.json` is checked against it by the
//! test suite; `compendium openapi > openapi/openapi.json` regenerates it.

use utoipa::OpenApi;

use super::{annex, entities, health};
use crate::domain::Language;
use crate::entities::{Entity, EntityType, Region, RegionalGroup};
use crate::error::{FieldError, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Compendium",
        description = "Best practices and measures for cybersecurity and the protection of critical information infrastructures, sent to the UN Secretary-General under General Assembly resolution 64/211, curated, tagged by the items of the resolution's annex, and compiled for dissemination to Member States.\n\nEvery error is `application/problem+json` (RFC 9457) with a stable `type` URN.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        annex::get_annex,
        entities::list_entities,
        health::healthz,
        health::readyz,
        health::metrics,
    ),
    components(schemas(Problem, FieldError, Language, Entity, EntityType, Region, RegionalGroup)),
    tags(
        (name = "reference", description = "The annex of the resolution and the entities that may contribute"),
        (name = "operations", description = "Probes and metrics"),
    )
)]
pub struct ApiDoc;

/// The document as committed: pretty JSON with a final newline.
pub fn document_json() -> String {
    let mut json = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes");
    json.push('\n');
    json
}
