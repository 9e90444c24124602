//! The sample catalogue for a newcomer's first start: the development part
//! of the labelled set (`tests/data/concepts`, realistic practices in the
//! six languages, paraphrasing public documents), accepted and tagged, and
//! a first published compilation of them, so that search, facets, coverage
//! and an edition show something within a minute. Only into an empty
//! catalogue: sample practices must never mix with real ones.

use chrono::{DateTime, Utc};

use super::compilations::{self, NewCompilation};
use super::evaluation::{import_lines, split_of};
use super::exchange;
use crate::domain::account::Actor;
use crate::domain::compilation::Scope;
use crate::error::AppError;
use crate::store::{catalogue, AnyConnection};
use crate::tagging::Tagger;

const SAMPLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/concepts/practices.jsonl"
));

#[derive(Debug)]
pub struct SampleReport {
    pub practices: usize,
    /// The number of the edition published.
    pub edition: String,
}

/// Loads the sample into an empty catalogue (409 otherwise).
pub fn load(
    connection: &mut AnyConnection,
    tagger: &Tagger,
    now: DateTime<Utc>,
) -> Result<SampleReport, AppError> {
    if catalogue::last_sequence(connection)? > 0 {
        return Err(AppError::Conflict(
            "the catalogue is not empty: the sample goes only into a new database".to_owned(),
        ));
    }
    let practices = split_of(SAMPLE, "the sample", "dev")?;
    // Spread over the years, so that the year facet has something to show.
    let lines = import_lines(&practices, |n| {
        format!("{}-{:02}-15T12:00:00Z", 2019 + n % 8, 1 + n % 12)
    });
    let report = exchange::import(connection, lines.as_bytes(), false, tagger, |_| {})?;
    if !report.refused.is_empty() {
        return Err(AppError::internal(format!(
            "the sample has refused lines: {:?}",
            report.refused
        )));
    }
    let actor = Actor::CommandLine;
    let new = NewCompilation {
        title: "Sample compilation of best practices".to_owned(),
        introduction: Some(
            "Practices of the sample catalogue, grouped by the items of the annex to resolution 64/211."
                .to_owned(),
        ),
        scope: Scope::default(),
    };
    let (draft, _) = compilations::create(connection, &actor, new, now)?;
    let (published, _) = compilations::publish(connection, &actor, &draft.id, None, now)?;
    Ok(SampleReport {
        practices: report.practices,
        edition: published.number.map(|n| n.to_string()).unwrap_or_default(),
    })
}
