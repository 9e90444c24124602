//! The catalogue's search as a query string asks it: one grammar, read
//! by the API's `/practices` (and its CSV) and by the reader's search page.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::annex::{AnnexItem, SectionId};
use crate::domain::entities::{Entity, EntityCode, EntityType, Region, RegionalGroup};
use crate::domain::page::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::domain::submission::Sector;
use crate::domain::Language;
use crate::error::AppError;
use crate::search::engine::{Cursor, Filters, SearchRequest, Sort};
use crate::search::query;
use crate::store::catalogue::{self, CatalogueEntry};
use crate::store::{organisations, AnyConnection};

/// A search as the query string asks it.
pub struct CatalogueQuery {
    pub request: SearchRequest,
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::invalid_field(field, message)
}

fn parse_value<T, E: std::fmt::Display>(
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<T, AppError> {
    parse(value).map_err(|e| invalid(field, e.to_string()))
}

/// A date (`2024-05-01`, the whole day) or a time (RFC 3339).
pub fn parse_time(field: &str, value: &str, end_of_day: bool) -> Result<i64, AppError> {
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let date = if end_of_day {
            date + Duration::days(1)
        } else {
            date
        };
        return Ok(date
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp())
            .unwrap_or(0));
    }
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc).timestamp() + i64::from(end_of_day))
        .map_err(|_| invalid(field, "use a date (2024-05-01) or an RFC 3339 time"))
}

impl CatalogueQuery {
    /// Reads the query string: filters repeat for OR within a field and
    /// combine with AND across fields; anything unknown is refused.
    pub fn parse(query_string: &str, snippets: bool) -> Result<CatalogueQuery, AppError> {
        CatalogueQuery::from_pairs(form_urlencoded::parse(query_string.as_bytes()), snippets)
    }

    /// Reads the parameters as pairs, already decoded: what a page that
    /// keeps some parameters for itself hands on, with no round trip
    /// through text.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (Cow<'a, str>, Cow<'a, str>)>,
        snippets: bool,
    ) -> Result<CatalogueQuery, AppError> {
        let mut filters = Filters::default();
        let mut q: Option<String> = None;
        let mut sort: Option<Sort> = None;
        let mut limit: Option<usize> = None;
        let mut cursor: Option<Cursor> = None;
        let mut expand: Option<bool> = None;
        let mut language: Option<Language> = None;
        let once = |field: &str, present: bool| {
            if present {
                Err(invalid(field, "may be given once"))
            } else {
                Ok(())
            }
        };
        for (key, raw) in pairs {
            let value = raw.trim();
            match key.as_ref() {
                // As sent: the query parser bounds its length as the document
                // does, and spaces separate nothing more at its ends.
                "q" => {
                    once("q", q.is_some())?;
                    q = Some(raw.into_owned());
                }
                "section" => filters.sections.push(parse_value("section", value, str::parse::<SectionId>)?),
                "item" => filters.items.push(parse_value("item", value, |v| {
                    v.parse::<u8>().ok().and_then(AnnexItem::new).ok_or("annex items are numbered 1 to 18")
                })?),
                "entity" => filters.entities.push(parse_value("entity", value, EntityCode::parse)?),
                "entity_type" => filters.entity_types.push(parse_value("entity_type", value, str::parse::<EntityType>)?),
                "region" => filters.regions.push(parse_value("region", value, str::parse::<Region>)?),
                "regional_group" => filters
                    .regional_groups
                    .push(parse_value("regional_group", value, str::parse::<RegionalGroup>)?),
                "language" => filters.languages.push(parse_value("language", value, str::parse::<Language>)?),
                "sector" => filters.sectors.push(parse_value("sector", value, str::parse::<Sector>)?),
                "from" => {
                    once("from", filters.from.is_some())?;
                    filters.from = Some(parse_time("from", value, false)?);
                }
                "to" => {
                    once("to", filters.until.is_some())?;
                    filters.until = Some(parse_time("to", value, true)?);
                }
                "sort" => {
                    once("sort", sort.is_some())?;
                    sort = Some(match value {
                        "relevance" => Sort::Relevance,
                        "newest" => Sort::Newest,
                        _ => return Err(invalid("sort", "use relevance or newest")),
                    });
                }
                "limit" => {
                    once("limit", limit.is_some())?;
                    limit = Some(
                        value
                            .parse::<usize>()
                            .ok()
                            .filter(|l| (1..=MAX_LIMIT as usize).contains(l))
                            .ok_or_else(|| invalid("limit", format!("must be from 1 to {MAX_LIMIT}")))?,
                    );
                }
                "cursor" => {
                    once("cursor", cursor.is_some())?;
                    cursor = Some(Cursor::decode(value).ok_or_else(|| invalid("cursor", "not a cursor this service gave out"))?);
                }
                "expand" => {
                    once("expand", expand.is_some())?;
                    expand = Some(match value {
                        "true" => true,
                        "false" => false,
                        _ => return Err(invalid("expand", "use true or false")),
                    });
                }
                "lang" => {
                    once("lang", language.is_some())?;
                    language = Some(parse_value("lang", value, str::parse::<Language>)?);
                }
                other => {
                    return Err(invalid(
                        other,
                        "unknown parameter: use q, section, item, entity, entity_type, region, regional_group, language, sector, from, to, sort, expand, lang, limit or cursor",
                    ))
                }
            }
        }
        let parsed = query::parse(q.as_deref().unwrap_or("")).map_err(|m| invalid("q", m))?;
        // Without words to rank by, relevance means nothing: newest first.
        let sort = sort.unwrap_or(if parsed.required.is_empty() {
            Sort::Newest
        } else {
            Sort::Relevance
        });
        Ok(CatalogueQuery {
            request: SearchRequest {
                query: parsed,
                filters,
                sort,
                limit: limit.unwrap_or(DEFAULT_LIMIT as usize),
                cursor,
                offset: 0,
                snippets,
                expand: expand.unwrap_or(true),
                language,
                remember: true,
            },
        })
    }
}

/// The newest practices of the catalogue, with the entities that sent them
/// (by code): what the catalogue's feed shows.
pub fn newest(
    connection: &mut AnyConnection,
    limit: i64,
) -> Result<(Vec<CatalogueEntry>, HashMap<String, Entity>), AppError> {
    Ok((
        catalogue::newest(connection, limit)?,
        organisations::all_by_code(connection)?,
    ))
}
