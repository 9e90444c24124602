//! The thesaurus of the field: the concepts of cybersecurity and critical
//! information infrastructure protection (critical infrastructure, risk,
//! incident response, cybercrime law and procedure, cooperation, culture of
//! cybersecurity…), each with its preferred and alternative labels and
//! acronyms in the six languages, its broader concepts, and the annex items
//! it bears on. Search expands a reader's words through it across languages
//! and synonyms; the tagger reads concepts where words differ.
//!
//! The data (`thesaurus.jsonl`, one concept a line) was written for this
//! project from the facts of the UNBIS Thesaurus, EuroVoc, the ENISA and
//! NIST glossaries and ITU-T X.1205. It is compiled in and checked by the
//! tests below: six languages everywhere, one concept per label and
//! language, broader links that resolve and never loop.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::domain::annex::AnnexItem;
use crate::domain::Language;

/// A concept's place in the thesaurus.
pub type ConceptId = usize;

/// A concept's words in one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// The preferred term.
    pub pref: String,
    /// Synonyms, near-synonyms, acronyms and forms readers type.
    pub alt: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelsByLanguage {
    ar: Labels,
    zh: Labels,
    en: Labels,
    fr: Labels,
    ru: Labels,
    es: Labels,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: String,
    items: Vec<u8>,
    broader: Vec<String>,
    labels: LabelsByLanguage,
}

#[derive(Debug)]
pub struct Concept {
    /// A stable name (`incident-response`), as answers show it.
    pub id: String,
    /// The annex items it bears on, most relevant first.
    pub items: Vec<AnnexItem>,
    pub broader: Vec<ConceptId>,
    labels: LabelsByLanguage,
}

impl Concept {
    pub fn labels(&self, language: Language) -> &Labels {
        crate::in_language!(self.labels, language)
    }

    /// The preferred term in `language`.
    pub fn pref(&self, language: Language) -> &str {
        &self.labels(language).pref
    }

    /// Every term of the concept in `language`, the preferred first.
    pub fn terms(&self, language: Language) -> impl Iterator<Item = &str> {
        let labels = self.labels(language);
        std::iter::once(labels.pref.as_str()).chain(labels.alt.iter().map(String::as_str))
    }
}

pub struct Thesaurus {
    concepts: Vec<Concept>,
    by_id: HashMap<String, ConceptId>,
}

/// Why the data cannot be a thesaurus (the tests keep it from happening).
#[derive(Debug, thiserror::Error)]
pub enum ThesaurusError {
    #[error("thesaurus line {line}: {message}")]
    Line { line: usize, message: String },
}

impl Thesaurus {
    /// Reads the JSON Lines of the data file.
    pub fn parse(text: &str) -> Result<Thesaurus, ThesaurusError> {
        let mut lines = Vec::new();
        for (n, text) in text.lines().enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            let line: Line = serde_json::from_str(text).map_err(|e| ThesaurusError::Line {
                line: n + 1,
                message: e.to_string(),
            })?;
            lines.push((n + 1, line));
        }
        let by_id: HashMap<String, ConceptId> = lines
            .iter()
            .enumerate()
            .map(|(index, (_, line))| (line.id.clone(), index))
            .collect();
        let mut concepts = Vec::with_capacity(lines.len());
        for (n, line) in lines {
            let failed = |message: String| ThesaurusError::Line { line: n, message };
            let items = line
                .items
                .iter()
                .map(|&i| AnnexItem::new(i).ok_or_else(|| failed(format!("no annex item {i}"))))
                .collect::<Result<Vec<_>, _>>()?;
            let broader = line
                .broader
                .iter()
                .map(|b| {
                    by_id
                        .get(b)
                        .copied()
                        .ok_or_else(|| failed(format!("no concept {b}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            concepts.push(Concept {
                id: line.id,
                items,
                broader,
                labels: line.labels,
            });
        }
        Ok(Thesaurus { concepts, by_id })
    }

    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    pub fn concept(&self, id: ConceptId) -> &Concept {
        &self.concepts[id]
    }

    pub fn find(&self, id: &str) -> Option<ConceptId> {
        self.by_id.get(id).copied()
    }

    /// The concepts whose broader concept `id` is.
    pub fn narrower(&self, id: ConceptId) -> impl Iterator<Item = ConceptId> + '_ {
        self.concepts
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.broader.contains(&id))
            .map(|(index, _)| index)
    }
}

const DATA: &str = include_str!("thesaurus.jsonl");

/// A number that changes whenever the data does (FNV-1a of the file), so
/// that what was derived from another thesaurus (an index's concepts) is
/// known to be stale.
pub fn fingerprint() -> u64 {
    DATA.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The compiled-in thesaurus.
pub fn thesaurus() -> &'static Thesaurus {
    static THESAURUS: OnceLock<Thesaurus> = OnceLock::new();
    THESAURUS.get_or_init(|| {
        Thesaurus::parse(DATA).expect("thesaurus.jsonl is valid (checked by thesaurus::tests)")
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_field_has_four_hundred_concepts_each_in_all_six_languages() {
        let t = thesaurus();
        assert!(t.concepts().len() >= 400, "{}", t.concepts().len());
        for concept in t.concepts() {
            for language in Language::ALL {
                let labels = concept.labels(language);
                assert!(
                    !labels.pref.trim().is_empty(),
                    "{} has no {} term",
                    concept.id,
                    language.code()
                );
                for term in concept.terms(language) {
                    assert_eq!(term, term.trim(), "{}: {term:?}", concept.id);
                    assert!(
                        !term.is_empty() && term.chars().count() <= 80,
                        "{}: {term:?}",
                        concept.id
                    );
                }
            }
            assert!(concept.items.len() <= 3, "{}", concept.id);
        }
    }

    #[test]
    fn a_term_names_one_concept_in_its_language() {
        let mut seen: HashMap<(Language, String), &str> = HashMap::new();
        for concept in thesaurus().concepts() {
            for language in Language::ALL {
                for term in concept.terms(language) {
                    let key = (language, term.to_lowercase());
                    if let Some(other) = seen.insert(key, &concept.id) {
                        assert_eq!(
                            other,
                            concept.id,
                            "{term:?} ({}) names two concepts",
                            language.code()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn broader_links_resolve_and_never_loop() {
        let t = thesaurus();
        let ids: HashSet<&str> = t.concepts().iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), t.concepts().len(), "ids are unique");
        for (index, concept) in t.concepts().iter().enumerate() {
            // Walking up from any concept never comes back to it (two
            // paths to one ancestor are fine).
            let mut seen = HashSet::new();
            let mut frontier = concept.broader.clone();
            while let Some(up) = frontier.pop() {
                assert_ne!(up, index, "{} is broader than itself", concept.id);
                if seen.insert(up) {
                    frontier.extend(&t.concept(up).broader);
                }
            }
        }
        let incident = t.find("incident-management").expect("a top concept");
        assert!(t.narrower(incident).count() > 0);
    }

    #[test]
    fn a_malformed_line_is_named() {
        let error = Thesaurus::parse("\n{\"id\": \"x\"}\n")
            .err()
            .expect("refused");
        assert!(error.to_string().contains("line 2"), "{error}");
        let unknown = r#"{"id":"a","items":[19],"broader":[],"labels":{}}"#;
        assert!(Thesaurus::parse(unknown).is_err());
    }
}
