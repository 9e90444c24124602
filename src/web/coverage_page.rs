//! `/coverage`: the coverage table as a heat map. Every cell says its
//! numbers in words as well as in shade, so colour never carries meaning
//! alone; the table reads in the reader's language and direction.

use actix_web::{HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::layout::{self, Reader, Section};
use crate::domain::annex::annex;
use crate::domain::coverage::{By, Table, OTHER};
use crate::domain::entities::{Entity, EntityType, Region, RegionalGroup};
use crate::domain::Language;
use crate::error::AppError;
use crate::http::{AppState, State};
use crate::i18n::fill;
use crate::service::coverage::{coverage_of, CoverageQuery};
use crate::text::collation;

/// Shades of the heat map: 0 for an empty cell, then four steps up to
/// the largest cell.
fn shade(practices: u64, largest: u64) -> u64 {
    if practices == 0 || largest == 0 {
        0
    } else {
        1 + (practices * 3 / largest).min(3)
    }
}

fn column_name(
    reader: &Reader,
    by: By,
    column: &str,
    names: &std::collections::HashMap<String, Entity>,
) -> String {
    let l = reader.labels;
    if column == OTHER {
        return l.column_other.clone();
    }
    let name = match by {
        By::Region => column
            .parse::<Region>()
            .ok()
            .map(|r| l.region(r).to_owned()),
        By::RegionalGroup => column
            .parse::<RegionalGroup>()
            .ok()
            .map(|g| l.regional_group(g).to_owned()),
        By::EntityType => column
            .parse::<EntityType>()
            .ok()
            .map(|t| l.entity_type(t).to_owned()),
        By::Entity => names
            .get(column)
            .map(|e| e.name_in(reader.language).to_owned()),
    };
    name.unwrap_or_else(|| column.to_owned())
}

fn by_label(reader: &Reader, by: By) -> &str {
    let l = reader.labels;
    match by {
        By::Region => &l.by_region,
        By::RegionalGroup => &l.by_regional_group,
        By::EntityType => &l.by_entity_type,
        By::Entity => &l.by_entity,
    }
}

fn heat_map(
    reader: &Reader,
    table: &Table,
    pipeline: Option<&std::collections::BTreeMap<String, u64>>,
    names: &std::collections::HashMap<String, Entity>,
) -> Markup {
    let l = reader.labels;
    let largest = table.largest_cell();
    let annex = annex();
    // Each column with its name; contributors in the reader's alphabetical
    // order (the other groupings keep the order of their own lists).
    let mut columns: Vec<(String, &String)> = table
        .columns
        .iter()
        .map(|column| (column_name(reader, table.by, column, names), column))
        .collect();
    if table.by == By::Entity {
        collation::sort_by_name(&mut columns, reader.language, |(name, _)| name);
    }
    html! {
        // A region that scrolls sideways must be reachable from the
        // keyboard, and named for screen readers (WCAG 2.1.1, 4.1.2).
        div.table-scroll tabindex="0" role="region" aria-label=(by_label(reader, table.by)) {
            table.heat-map {
                caption { (by_label(reader, table.by)) }
                thead { tr {
                    th scope="col" { (l.facet_item) }
                    @for (name, _) in &columns {
                        th scope="col" { (name) }
                    }
                    th scope="col" { (l.column_total) }
                    @if pipeline.is_some() { th scope="col" { (l.pipeline_heading) } }
                } }
                tbody {
                    @for row in &table.rows {
                        tr {
                            th scope="row" {
                                span.item-number { (row.item) ". " }
                                (annex.item(row.item).title.get(reader.language))
                            }
                            @for (_, column) in &columns {
                                @let cell = row.cells.get(*column).copied().unwrap_or_default();
                                @let words = fill(&l.cell_label, &[("practices", &l.number(cell.practices)), ("contributors", &l.number(cell.entities))]);
                                td class=(format!("heat-{}", shade(cell.practices, largest))) title=(words) {
                                    span.practices { (l.number(cell.practices)) }
                                    @if cell.practices > 0 { span.contributors { " · " (l.number(cell.entities)) } }
                                    span.visually-hidden { (words) }
                                }
                            }
                            td.total { (l.number(row.total)) }
                            @if let Some(pipeline) = pipeline {
                                td.total { (l.number(pipeline.get(&row.item.to_string()).copied().unwrap_or(0))) }
                            }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { (l.column_total) }
                    @for (_, column) in &columns {
                        td.total { (l.number(table.totals.get(*column).copied().unwrap_or(0))) }
                    }
                    td.total { (l.number(table.total)) }
                    @if let Some(pipeline) = pipeline {
                        td.total { (l.number(pipeline.get("0").copied().unwrap_or(0))) }
                    }
                } }
            }
        }
    }
}

fn filters_form(reader: &Reader, action: &str, query: &str, by: By) -> Markup {
    let l = reader.labels;
    let value_of = |key: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let language = value_of("language");
    html! {
        form.coverage-filters method="get" action=(action) {
            input type="hidden" name="lang" value=(reader.language.code());
            div.field {
                label for="by" { (l.coverage_by) }
                select #by name="by" {
                    @for choice in By::ALL {
                        option value=(choice.as_str()) selected[choice == by] { (by_label(reader, choice)) }
                    }
                }
            }
            div.field {
                label for="from" { (l.period_from) }
                input #from type="date" name="from" value=(value_of("from"));
            }
            div.field {
                label for="to" { (l.period_to) }
                input #to type="date" name="to" value=(value_of("to"));
            }
            div.field {
                label for="language" { (l.facet_language) }
                select #language name="language" {
                    option value="" { (l.any_language) }
                    @for choice in Language::ALL {
                        option value=(choice.code()) selected[language == choice.code()] { (l.language(choice)) }
                    }
                }
            }
            button type="submit" { (l.show_table) }
        }
    }
}

fn missing_lists(
    reader: &Reader,
    table: &Table,
    names: &std::collections::HashMap<String, Entity>,
) -> Markup {
    let l = reader.labels;
    html! {
        @if matches!(table.by, By::Region | By::RegionalGroup) {
            section.missing aria-labelledby="missing-heading" {
                h2 #missing-heading { (l.missing_heading) }
                @for column in table.columns.iter().filter(|c| c.as_str() != OTHER) {
                    h3 { (column_name(reader, table.by, column, names)) }
                    @match table.missing.get(column) {
                        Some(codes) if !codes.is_empty() => p.silent {
                            @for (i, code) in codes.iter().enumerate() {
                                @if i > 0 { ", " }
                                (names.get(code).map(|e| e.name.as_str()).unwrap_or(code))
                            }
                        },
                        _ => p { (l.missing_none) },
                    }
                }
            }
        }
    }
}

/// The table and its filters under a page's heading: the reader page's,
/// and the desk's, which adds the column of practices still in review.
pub struct Coverage<'a> {
    pub heading: &'a str,
    pub intro: &'a str,
    /// Where the filters form goes.
    pub action: &'a str,
    pub pipeline: bool,
}

pub async fn content(
    state: &AppState,
    reader: &Reader,
    query_string: &str,
    page: Coverage<'_>,
) -> Result<Markup, AppError> {
    let l = reader.labels;
    // Untouched form fields arrive empty: they mean "any".
    let asked: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form_urlencoded::parse(query_string.as_bytes())
                .filter(|(k, v)| k != "lang" && !v.trim().is_empty()),
        )
        .finish();
    let query = CoverageQuery::parse(&asked)?;
    let by = query.by;
    let (view, names) = coverage_of(&state.store, &state.search, query, page.pipeline).await?;
    let csv = if asked.is_empty() {
        "/api/v1/coverage.csv".to_owned()
    } else {
        format!("/api/v1/coverage.csv?{asked}")
    };
    Ok(html! {
        h1 { (page.heading) }
        p.lead { (page.intro) }
        (filters_form(reader, page.action, &asked, by))
        (heat_map(reader, &view.table, view.pipeline.as_ref(), &names))
        p { a href=(csv) download { (l.download_csv) } }
        (missing_lists(reader, &view.table, &names))
    })
}

/// `GET /coverage`.
pub async fn show(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let page = Coverage {
        heading: &l.coverage_heading,
        intro: &l.coverage_intro,
        action: "/coverage",
        pipeline: false,
    };
    match content(&state, &reader, request.query_string(), page).await {
        Ok(main) => layout::ok(&reader, Section::Coverage, &l.coverage_heading, main),
        Err(error) => super::error_page(&reader, error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annex::AnnexItem;

    #[test]
    fn shades_run_from_empty_to_the_largest_cell() {
        assert_eq!(shade(0, 10), 0);
        assert_eq!(shade(1, 10), 1);
        assert_eq!(shade(5, 10), 2);
        assert_eq!(shade(9, 10), 3);
        assert_eq!(shade(10, 10), 4);
        assert_eq!(shade(3, 0), 0);
    }

    #[test]
    fn every_item_has_a_title() {
        for item in AnnexItem::all() {
            assert!(!annex().item(item).title.get(Language::Ar).is_empty());
        }
    }
}
