//! What the tagger proposes for a practice: an annex item, a confidence
//! and the practice's own words that point to it. A value of the domain,
//! since a practice keeps the suggestions made when it was saved.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One suggested item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Suggestion {
    /// Annex item, 1 to 18.
    #[schema(example = 11)]
    pub item: u8,
    /// Confidence in 0 to 1; suggestions come best first.
    #[schema(example = 0.86)]
    pub score: f64,
    /// The practice's words that point to the item, strongest first.
    #[schema(example = json!(["national computer incident response team", "government networks"]))]
    pub reasons: Vec<String>,
}
