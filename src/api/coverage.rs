//! `GET /api/v1/coverage`: how the catalogue covers each annex item, by
//! region, regional group, kind of contributor or contributor; editors also
//! see what is waiting for review. Counted from the search index.

use actix_web::{HttpRequest, HttpResponse};

use super::shapes::DateOrTime;
use crate::auth::{sees_editorial_work, Caller};
use crate::domain::annex::annex;
use crate::domain::coverage::{By, Table};
use crate::domain::Language;
use crate::http::{Answer, State};
use crate::service::coverage::{coverage_of, CoverageQuery, CoverageView};

/// How the catalogue covers each annex item: accepted practices and
/// distinct contributors per item and group, totals, and the Member States
/// of each region or group that have contributed nothing.
#[utoipa::path(
    get, path = "/api/v1/coverage", tag = "catalogue", params( ("by" = Option<By>, Query, description = "region (default), regional_group, entity_type or entity"), ("from" = Option<DateOrTime>, Query, description = "Accepted on or after this date (2024-05-01) or time"), ("to" = Option<DateOrTime>, Query, description = "Accepted on or before this date or time"), ("language" = Option<Language>, Query, description = "Only practices in this language"), ), security((), ("bearer" = [])),
    responses((status = 200, description = "The coverage table; the pipeline for editors", body = CoverageView), (status = 401, description = "A token was sent and is not valid (readers need none)"), (status = 400, description = "An unknown parameter or value"))
)]
pub async fn get_coverage(state: State, caller: Caller, request: HttpRequest) -> Answer {
    let query = CoverageQuery::parse(request.query_string())?;
    let (view, _) = coverage_of(
        &state.store,
        &state.search,
        query,
        sees_editorial_work(&caller),
    )
    .await?;
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
    crate::publish::csv::header(header.iter().map(String::as_str), &mut out);
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
    get, path = "/api/v1/coverage.csv", tag = "catalogue", params( ("by" = Option<By>, Query), ("from" = Option<DateOrTime>, Query), ("to" = Option<DateOrTime>, Query), ("language" = Option<Language>, Query), ), security((), ("bearer" = [])),
    responses((status = 200, description = "One row per annex item", content_type = "text/csv", body = String), (status = 401, description = "A token was sent and is not valid (readers need none)"), (status = 400, description = "An unknown parameter or value"))
)]
pub async fn get_coverage_csv(state: State, request: HttpRequest) -> Answer {
    let query = CoverageQuery::parse(request.query_string())?;
    let by = query.by;
    let (view, _) = coverage_of(&state.store, &state.search, query, false).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"coverage-by-{by}.csv\""),
        ))
        .body(table_csv(&view.table)))
}
