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
    /// The thesaurus concepts the practice names that point to the item,
    /// strongest first (absent from suggestions saved before there were).
    #[serde(default)]
    pub concepts: Vec<SuggestedConcept>,
}

/// A thesaurus concept behind a suggestion, named in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SuggestedConcept {
    /// The concept's stable name.
    #[schema(example = "csirt")]
    pub concept: String,
    /// Its preferred term in the language asked for.
    #[schema(example = "computer security incident response team")]
    pub label: String,
}

impl SuggestedConcept {
    /// The concept named in `language` (its name alone if the thesaurus no
    /// longer has it).
    pub fn of(concept: &str, language: crate::domain::Language) -> SuggestedConcept {
        let thesaurus = crate::domain::thesaurus::thesaurus();
        let label = thesaurus
            .find(concept)
            .map(|id| thesaurus.concept(id).pref(language).to_owned())
            .unwrap_or_else(|| concept.to_owned());
        SuggestedConcept {
            concept: concept.to_owned(),
            label,
        }
    }
}

impl Suggestion {
    /// The same suggestion with its concepts named in `language`.
    pub fn in_language(mut self, language: crate::domain::Language) -> Suggestion {
        for named in &mut self.concepts {
            *named = SuggestedConcept::of(&named.concept, language);
        }
        self
    }
}
