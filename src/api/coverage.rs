//! `GET /api/v1/coverage`: how the catalogue covers each annex item, by
//! region, regional group, kind of contributor or contributor; editors also
//! see what is waiting for review. Counted from the search index.

use std::collections::{BTreeMap, HashMap};

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::catalogue::parse_time;
use super::formats::DateOrTime;
use crate::auth::{sees_editorial_work, Caller};
use crate::domain::annex::annex;
use crate::domain::coverage::{tabulate, By, Table};
use crate::domain::entities::Entity;
use crate::domain::Language;
use crate::error::{AppError, Problem};
use crate::http::AppState;
use crate::search::engine::Filters;
use crate::store::{organisations, submissions};

/// What a coverage table is asked for.
pub struct CoverageQuery {
    pub by: By,
    pub filters: Filters,
}

impl CoverageQuery {
    /// Reads `by`, `from`, `to` and `language` (each once); anything else
    /// is refused.
    pub fn parse(query_string: &str) -> Result<CoverageQuery, AppError> {
        let mut by = None;
        let mut filters = Filters::default();
        let invalid = |field: &str, message: &str| AppError::invalid_field(field, message);
        for (key, value) in form_urlencoded::parse(query_string.as_bytes()) {
            let value = value.trim();
            let repeated = match key.as_ref() {
                "by" => by
                    .replace(value.parse::<By>().map_err(|m| invalid("by", &m))?)
                    .is_some(),
                "from" => filters
                    .from
                    .replace(parse_time("from", value, false)?)
                    .is_some(),
                "to" => filters
                    .until
                    .replace(parse_time("to", value, true)?)
                    .is_some(),
                "language" => {
                    let language = value
                        .parse::<Language>()
                        .map_err(|e| invalid("language", &e.to_string()))?;
                    filters.languages.push(language);
                    filters.languages.len() > 1
                }
                other => {
                    return Err(invalid(
                        other,
                        "unknown parameter: use by, from, to or language",
                    ))
                }
            };
            if repeated {
                return Err(invalid(&key, "may be given once"));
            }
        }
        Ok(CoverageQuery {
            by: by.unwrap_or(By::Region),
            filters,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoverageView {
    #[serde(flatten)]
    pub table: Table,
    /// Editors only: practices submitted or returned for changes, per
    /// annex item ("0": all of them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<BTreeMap<String, u64>>,
}

/// Builds the table (and, for editors, the pipeline), with the entities it
/// was grouped by, which a page needs again for their names.
pub async fn coverage_of(
    state: &AppState,
    query: CoverageQuery,
    with_pipeline: bool,
) -> Result<(CoverageView, HashMap<String, Entity>), AppError> {
    let search = std::sync::Arc::clone(&state.search);
    let filters = query.filters;
    let counts = web::block(move || search.coverage(&filters))
        .await
        .map_err(|e| AppError::internal(format!("coverage did not complete: {e}")))??;
    let (entities, pipeline) = state
        .store
        .run(move |c| {
            let entities = organisations::all_by_code(c)?;
            let pipeline = if with_pipeline {
                Some(submissions::pipeline(c)?)
            } else {
                None
            };
            Ok((entities, pipeline))
        })
        .await?;
    let view = CoverageView {
        table: tabulate(query.by, &counts, &entities),
        pipeline: pipeline.map(|counts| {
            counts
                .iter()
                .enumerate()
                .map(|(item, n)| (item.to_string(), *n))
                .collect()
        }),
    };
    Ok((view, entities))
}

/// How the catalogue covers each annex item: accepted practices and
/// distinct contributors per item and group, totals, and the Member States
/// of each region or group that have contributed nothing.
#[utoipa::path(
    get,
    path = "/api/v1/coverage",
    tag = "catalogue",
    params(
        ("by" = Option<By>, Query, description = "region (default), regional_group, entity_type or entity"),
        ("from" = Option<DateOrTime>, Query, description = "Accepted on or after this date (2024-05-01) or time"),
        ("to" = Option<DateOrTime>, Query, description = "Accepted on or before this date or time"),
        ("language" = Option<Language>, Query, description = "Only practices in this language"),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The coverage table; the pipeline for editors", body = CoverageView),
        (status = 401, description = "A token was sent and is not valid (readers need none)", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "An unknown parameter or value", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_coverage(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = CoverageQuery::parse(request.query_string())?;
    let (view, _) = coverage_of(&state, query, sees_editorial_work(&caller)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The coverage table as CSV: one row per annex item, two columns
/// (practices, contributors) per group, and the row's total.
pub fn table_csv(table: &Table) -> String {
    let mut out = String::new();
    let mut header = vec!["item".to_owned(), "section".to_owned(), "title".to_owned()];
    for column in &table.columns {
        header.push(format!("{column} practices"));
        header.push(format!("{column} contributors"));
    }
    header.push("total".to_owned());
    crate::publish::csv::line(header.iter().map(String::as_str), &mut out);
    for row in &table.rows {
        let mut cells = vec![
            row.item.to_string(),
            row.section.clone(),
            annex().item(row.item).title.get(Language::En).to_owned(),
        ];
        for column in &table.columns {
            let cell = row.cells.get(column).copied().unwrap_or_default();
            cells.push(cell.practices.to_string());
            cells.push(cell.entities.to_string());
        }
        cells.push(row.total.to_string());
        crate::publish::csv::line(cells.iter().map(String::as_str), &mut out);
    }
    out
}

/// The same table as CSV, for spreadsheets.
#[utoipa::path(
    get,
    path = "/api/v1/coverage.csv",
    tag = "catalogue",
    params(
        ("by" = Option<By>, Query),
        ("from" = Option<DateOrTime>, Query),
        ("to" = Option<DateOrTime>, Query),
        ("language" = Option<Language>, Query),
    ),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "One row per annex item", content_type = "text/csv", body = String),
        (status = 401, description = "A token was sent and is not valid (readers need none)", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "An unknown parameter or value", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_coverage_csv(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = CoverageQuery::parse(request.query_string())?;
    let by = query.by;
    let (view, _) = coverage_of(&state, query, false).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"coverage-by-{by}.csv\""),
        ))
        .body(table_csv(&view.table)))
}
