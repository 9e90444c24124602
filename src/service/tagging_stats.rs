//! How well the tagger's suggestions match what editors decided, per
//! language: measured from every accepted practice's saved suggestions.

use crate::error::AppError;
use crate::store::{submissions, AnyConnection};
use crate::tagging::stats::{self, TaggingStats};

/// The statistics now, with how many decisions the model learned from.
pub fn measure(
    connection: &mut AnyConnection,
    learned_from: usize,
) -> Result<TaggingStats, AppError> {
    let outcomes = submissions::suggestion_outcomes(connection)?;
    Ok(stats::tabulate(
        outcomes.iter().map(|(language, items, suggested)| {
            (*language, items.as_slice(), suggested.as_slice())
        }),
        learned_from,
    ))
}
