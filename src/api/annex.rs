//! `GET /api/v1/annex`: the sections and items of the annex in one language.

use actix_web::{http::header, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::annex::{annex, Annex, Item, Section};
use crate::domain::Language;
use crate::http::extract::ApiQuery;
use crate::http::Answer;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AnnexQuery {
    /// The language of titles and summaries (default `en`).
    lang: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnnexResponse {
    language: Language,
    sections: Vec<SectionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionView {
    /// `A` to `G`.
    #[schema(example = "E")]
    id: String,
    title: String,
    items: Vec<ItemView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemView {
    #[schema(minimum = 1, maximum = 18, example = 11)]
    number: u8,
    title: String,
    summary: String,
}

impl AnnexResponse {
    pub fn new(annex: &Annex, language: Language) -> AnnexResponse {
        let sections = annex.sections.iter();
        AnnexResponse {
            language,
            sections: sections.map(|s| SectionView::new(s, language)).collect(),
        }
    }
}

impl SectionView {
    fn new(section: &Section, language: Language) -> SectionView {
        SectionView {
            id: section.id.to_string(),
            title: section.title.get(language).to_owned(),
            items: section
                .items
                .iter()
                .map(|i| ItemView::new(i, language))
                .collect(),
        }
    }
}

impl ItemView {
    fn new(item: &Item, language: Language) -> ItemView {
        ItemView {
            number: item.number.number(),
            title: item.title.get(language).to_owned(),
            summary: item.summary.get(language).to_owned(),
        }
    }
}

/// The annex of resolution 64/211: 7 sections, 18 items.
#[utoipa::path(
    get, path = "/api/v1/annex", tag = "reference", params(AnnexQuery),
    responses((status = 200, description = "The annex in the asked language", body = AnnexResponse), (status = 400, description = "Unknown language or parameter"))
)]
pub async fn get_annex(ApiQuery(query): ApiQuery<AnnexQuery>) -> Answer {
    let language = query.lang.unwrap_or_default();
    Ok(HttpResponse::Ok()
        // The annex only changes with a new release of the service.
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .json(AnnexResponse::new(annex(), language)))
}
