//! `GET /api/v1/practices`: search of the public catalogue. Answers from
//! the search index alone, never the database.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::shapes::{DateOrTime, SearchCursor};
use crate::domain::annex::{AnnexItem, SectionId};
use crate::domain::entities::{EntityCode, EntityType, Region, RegionalGroup};
use crate::domain::submission::Sector;
use crate::domain::Language;
use crate::error::AppError;
use crate::http::{Answer, State};
use crate::search::codes;
use crate::search::engine::{SearchRequest, SearchResults, Sort};
use crate::search::facets::FacetField;
use crate::service::catalogue::CatalogueQuery;

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchItem {
    id: String,
    title: String,
    /// Plain text, HTML-escaped, with the matched terms in `<mark>`.
    snippet: String,
    entity: String,
    entity_name: String,
    entity_type: String,
    /// The language it was written in.
    language: String,
    /// When `title` and `snippet` come from a courtesy translation: its
    /// language (the reader's, `lang`, or the one the words matched in).
    #[serde(skip_serializing_if = "Option::is_none")]
    translation: Option<Language>,
    items: Vec<u8>,
    sections: Vec<String>,
    accepted_at: String,
    submission_id: String,
}

/// Counts of the whole result set by value; each field's counts ignore
/// that field's own filter.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct FacetsView {
    section: BTreeMap<String, u64>,
    item: BTreeMap<String, u64>,
    entity_type: BTreeMap<String, u64>,
    region: BTreeMap<String, u64>,
    language: BTreeMap<String, u64>,
    year: BTreeMap<String, u64>,
}

/// A concept of the thesaurus the words were expanded to.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpandedConcept {
    /// The concept's name in the thesaurus.
    #[schema(example = "incident-response")]
    concept: String,
    /// Its preferred terms in ar, zh, en, fr, ru and es, in that order.
    labels: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The concepts the query was expanded to (absent when it was not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    expanded: Vec<ExpandedConcept>,
    total: usize,
    items: Vec<SearchItem>,
    facets: FacetsView,
    next_cursor: Option<String>,
}

fn label(facet: FacetField, code: usize) -> Option<String> {
    Some(match facet {
        FacetField::Section => SectionId::ALL.get(code)?.to_string(),
        FacetField::Item => AnnexItem::new(u8::try_from(code).ok()?)?.to_string(),
        FacetField::EntityType => EntityType::ALL.get(code)?.as_str().to_owned(),
        FacetField::Region => Region::ALL.get(code)?.as_str().to_owned(),
        FacetField::Language => Language::ALL.get(code)?.code().to_owned(),
        FacetField::Year => codes::year_of(code as u64).to_string(),
    })
}

impl SearchResponse {
    pub fn new(results: SearchResults) -> SearchResponse {
        let thesaurus = crate::domain::thesaurus::thesaurus();
        let expanded = results
            .expanded
            .iter()
            .map(|&id| {
                let concept = thesaurus.concept(id);
                ExpandedConcept {
                    concept: concept.id.clone(),
                    labels: Language::ALL
                        .iter()
                        .map(|l| concept.pref(*l).to_owned())
                        .collect(),
                }
            })
            .collect();
        let mut facets = FacetsView::default();
        for (facet, counts) in results.facets {
            let map = match facet {
                FacetField::Section => &mut facets.section,
                FacetField::Item => &mut facets.item,
                FacetField::EntityType => &mut facets.entity_type,
                FacetField::Region => &mut facets.region,
                FacetField::Language => &mut facets.language,
                FacetField::Year => &mut facets.year,
            };
            for (code, count) in counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                if let Some(label) = label(facet, code) {
                    map.insert(label, count);
                }
            }
        }
        SearchResponse {
            expanded,
            total: results.total,
            items: results
                .hits
                .into_iter()
                .map(|hit| SearchItem {
                    title: hit.title().to_owned(),
                    id: hit.row.id,
                    snippet: hit.snippet,
                    entity: hit.row.entity,
                    entity_name: hit.row.entity_name,
                    entity_type: hit.row.entity_type,
                    language: hit.row.language,
                    translation: hit.translation,
                    items: hit.row.items,
                    sections: hit.row.sections,
                    accepted_at: hit.row.accepted_at,
                    submission_id: hit.row.submission_id,
                })
                .collect(),
            facets,
            next_cursor: results.next_cursor.map(|c| c.encode()),
        }
    }
}

/// The words, filters and order of a catalogue search, for the OpenAPI
/// document: [`CatalogueQuery::parse`] reads them (filters repeat, which a
/// derived reader would not allow), so the fields are never read.
#[allow(dead_code)]
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogueFilters {
    /// Words, "phrases", -excluded, prefix*; case and accents are ignored,
    /// words are stemmed in en, fr, es, ru and ar, Chinese is matched by
    /// character pairs. At most 32 words and phrases.
    #[param(max_length = 1000)]
    q: Option<String>,
    /// Repeat for OR.
    #[param(explode)]
    section: Option<Vec<SectionId>>,
    /// Repeat for OR.
    #[param(explode)]
    item: Option<Vec<AnnexItem>>,
    /// Repeat for OR.
    #[param(explode)]
    entity: Option<Vec<EntityCode>>,
    #[param(explode)]
    entity_type: Option<Vec<EntityType>>,
    #[param(explode)]
    region: Option<Vec<Region>>,
    #[param(explode)]
    regional_group: Option<Vec<RegionalGroup>>,
    #[param(explode)]
    language: Option<Vec<Language>>,
    #[param(explode)]
    sector: Option<Vec<Sector>>,
    /// Accepted on or after this date or time.
    from: Option<DateOrTime>,
    /// Accepted on or before this date or time.
    to: Option<DateOrTime>,
    /// relevance (default with q) or newest (default without).
    sort: Option<Sort>,
    /// Also search for the concepts the words name, in all six languages
    /// and by their synonyms (default true); false keeps to the words.
    expand: Option<bool>,
    /// The reader's language: practices in it rank first, and the words
    /// are read in it first (default: guessed from their script).
    lang: Option<Language>,
}

/// Searches the accepted practices in any of the six languages.
#[utoipa::path(
    get, path = "/api/v1/practices", tag = "catalogue", params( CatalogueFilters, ("limit" = Option<u32>, Query, minimum = 1, maximum = 100), ("cursor" = Option<SearchCursor>, Query), ),
    responses((status = 200, description = "The matching practices, their total and facet counts", body = SearchResponse), (status = 400, description = "An unknown parameter or value, or a query too long"))
)]
pub async fn search_practices(state: State, request: HttpRequest) -> Answer {
    let query = CatalogueQuery::parse(request.query_string(), true)?;
    let results = state
        .search
        .run(move |index| index.search(&query.request))
        .await?;
    Ok(HttpResponse::Ok().json(SearchResponse::new(results)))
}

/// Rows fetched from the index per step of a CSV export.
const CSV_PAGE: usize = 500;
const CSV_COLUMNS: [&str; 16] = [
    "id",
    "title",
    "entity",
    "entity_name",
    "entity_type",
    "language",
    "items",
    "sections",
    "accepted_at",
    "submission_id",
    // The title in each UN language: the original in its own, a courtesy
    // translation in the others where there is one.
    "title_ar",
    "title_zh",
    "title_en",
    "title_fr",
    "title_ru",
    "title_es",
];

fn csv_rows(results: &SearchResults, out: &mut String) {
    for hit in &results.hits {
        let row = &hit.row;
        let items: Vec<String> = row.items.iter().map(ToString::to_string).collect();
        let items = items.join(" ");
        let sections = row.sections.join(" ");
        let title_in = |language: Language| -> &str {
            if row.language == language.code() {
                return &row.title;
            }
            row.translations
                .iter()
                .find(|t| t.language == language)
                .map_or("", |t| &t.title)
        };
        let titles = Language::ALL.map(title_in);
        crate::publish::csv::line(
            [
                row.id.as_str(),
                &row.title,
                &row.entity,
                &row.entity_name,
                &row.entity_type,
                &row.language,
                &items,
                &sections,
                &row.accepted_at,
                &row.submission_id,
            ]
            .into_iter()
            .chain(titles),
            out,
        );
    }
}

/// The matching practices as CSV (UTF-8, a header row), streamed a page at
/// a time from one searcher, so the whole result is never in memory.
#[utoipa::path(
    get, path = "/api/v1/practices.csv", tag = "catalogue", params(CatalogueFilters),
    responses((status = 200, description = "Every matching practice, one a line", content_type = "text/csv", body = String), (status = 400, description = "An unknown parameter or value"))
)]
pub async fn export_csv(state: State, request: HttpRequest) -> Answer {
    let mut query = CatalogueQuery::parse(request.query_string(), false)?;
    if query.request.cursor.is_some() {
        return Err(AppError::invalid_field(
            "cursor",
            "the CSV export has every result; it takes no cursor",
        ));
    }
    query.request.limit = CSV_PAGE;
    query.request.remember = false;
    let request = std::sync::Arc::new(query.request);
    let search = std::sync::Arc::clone(&state.search);
    let first = {
        let request = std::sync::Arc::clone(&request);
        search.run(move |index| index.search(&request)).await?
    };
    let mut head = String::new();
    crate::publish::csv::header(CSV_COLUMNS, &mut head);
    csv_rows(&first, &mut head);
    let pages = futures_util::stream::unfold(first.next_cursor, move |cursor| {
        let (search, request) = (
            std::sync::Arc::clone(&search),
            std::sync::Arc::clone(&request),
        );
        async move {
            let cursor = cursor?;
            let page = search
                .run(move |index| {
                    let next = SearchRequest {
                        query: request.query.clone(),
                        filters: request.filters.clone(),
                        sort: request.sort,
                        limit: CSV_PAGE,
                        cursor: Some(cursor),
                        offset: 0,
                        snippets: false,
                        expand: request.expand,
                        language: request.language,
                        remember: false,
                    };
                    index.search(&next)
                })
                .await;
            match page {
                Ok(results) => {
                    let mut chunk = String::new();
                    csv_rows(&results, &mut chunk);
                    Some((
                        Ok::<_, actix_web::Error>(web::Bytes::from(chunk)),
                        results.next_cursor,
                    ))
                }
                Err(error) => {
                    tracing::error!(%error, "CSV export stopped");
                    None
                }
            }
        }
    });
    let body =
        futures_util::stream::once(
            async move { Ok::<_, actix_web::Error>(web::Bytes::from(head)) },
        )
        .chain(pages);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"practices.csv\"",
        ))
        .streaming(body))
}
