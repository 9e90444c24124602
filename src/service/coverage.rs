//! How the catalogue covers the annex: the table both the API's
//! `/coverage` and the coverage page show, counted from the search index,
//! with the entities it groups by and, for editors, the pipeline.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;

use super::catalogue::parse_time;
use crate::domain::coverage::{tabulate, By, Table};
use crate::domain::entities::Entity;
use crate::domain::Language;
use crate::error::AppError;
use crate::search::engine::Filters;
use crate::search::SearchIndex;
use crate::store::{organisations, submissions, Store};

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
    store: &Store,
    search: &Arc<SearchIndex>,
    query: CoverageQuery,
    with_pipeline: bool,
) -> Result<(CoverageView, HashMap<String, Entity>), AppError> {
    let filters = query.filters;
    let counts = search.run(move |index| index.coverage(&filters)).await?;
    let (entities, pipeline) = store
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
