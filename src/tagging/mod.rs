//! Annex-item suggestions for a practice, in any of the six languages, each
//! with its reasons in the practice's own words.
//!
//! Two sources of evidence: the curated lexicon (`lexicon.rs`), which works
//! with no data at all, and what editors' decisions teach (`model.rs`),
//! which earns a larger share of the score as decisions accumulate. Both
//! read text through the search analyzers, so a suggestion and a search
//! agree on what a word is. Nothing is downloaded, nothing leaves the
//! process.

pub mod evaluation;
pub mod lexicon;
pub mod model;
pub mod stats;
pub mod text;

use std::sync::{Arc, RwLock};

use crate::domain::annex::AnnexItem;
pub use crate::domain::suggestion::{SuggestedConcept, Suggestion};
use crate::domain::Language;
use lexicon::Lexicon;
use model::Model;
use text::{Analysed, Field};

/// The compiled-in lexicon does not compile: a fault of the build, said
/// at start-up rather than at the first suggestion.
#[derive(Debug, thiserror::Error)]
#[error("the tagging lexicon does not compile: {0}")]
pub struct LexiconError(String);

/// At most this many suggestions a practice.
pub const MAX_SUGGESTIONS: usize = 5;
/// Below this score an item is not worth an editor's glance.
const MIN_SCORE: f64 = 0.05;
/// At most this many reasons a suggestion.
const MAX_REASONS: usize = 5;
/// A phrase in the title says more about the practice than one in the body.
const TITLE_WEIGHT: f64 = 2.0;
/// Lexicon evidence at which the score reaches 1 - 1/e.
const EVIDENCE_SCALE: f64 = 2.0;
/// The learned model's share of an item's score grows with the decisions
/// that gave the item: half of `LEARNED_SHARE` after this many.
const DECISIONS_FOR_HALF_SHARE: f64 = 25.0;
const LEARNED_SHARE: f64 = 0.6;

/// The lexicons of the six languages and the latest learned model.
pub struct Tagger {
    lexicons: Vec<(Language, Lexicon)>,
    model: RwLock<Arc<Model>>,
}

impl std::fmt::Debug for Tagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tagger")
            .field("learned_from", &self.model().examples())
            .finish()
    }
}

impl Tagger {
    pub fn new() -> Result<Tagger, LexiconError> {
        // The thesaurus read by the analyzers takes a second or two to
        // build: at start, not in the first request that suggests items.
        crate::text::concepts::concepts();
        Ok(Tagger {
            lexicons: Lexicon::compile_all().map_err(LexiconError)?,
            model: RwLock::new(Arc::new(Model::default())),
        })
    }

    /// The model now in use.
    pub fn model(&self) -> Arc<Model> {
        // A poisoned lock only means a panic elsewhere mid-swap of an Arc:
        // the value inside is whole either way.
        self.model
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Replaces the learned model (after retraining on newer decisions).
    pub fn learn(&self, model: Model) {
        *self
            .model
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(model);
    }

    fn lexicon(&self, language: Language) -> &Lexicon {
        self.lexicons
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, lexicon)| lexicon)
            .unwrap_or_else(|| &self.lexicons[0].1)
    }

    /// The suggestions for a practice, with the current model.
    pub fn suggest(&self, language: Language, title: &str, body: &str) -> Vec<Suggestion> {
        let model = self.model();
        self.suggest_with(&model, language, title, body)
    }

    pub fn suggest_with(
        &self,
        model: &Model,
        language: Language,
        title: &str,
        body: &str,
    ) -> Vec<Suggestion> {
        let practice = Analysed::new(language, title, body);
        let mut candidates = self.lexicon_evidence(language, &practice);
        if model.examples() > 0 {
            let vocabulary = practice.vocabulary();
            let posterior = model.posterior(vocabulary.iter().copied());
            for (candidate, learned) in candidates.iter_mut().zip(posterior) {
                let decided = f64::from(model.examples_of(candidate.item));
                let share = LEARNED_SHARE * decided / (decided + DECISIONS_FOR_HALF_SHARE);
                candidate.score = (1.0 - share) * candidate.score + share * learned;
                if share * learned >= MIN_SCORE {
                    for term in model.evidence(candidate.item, vocabulary.iter().copied(), 3) {
                        if let Some((field, at)) = practice.first_occurrence(term) {
                            candidate.reasons.push(practice.quote(field, at, at + 1));
                        }
                    }
                }
            }
        }
        let mut suggestions: Vec<Suggestion> = candidates
            .into_iter()
            .filter(|c| c.score >= MIN_SCORE)
            .map(|c| c.into_suggestion(language))
            .collect();
        suggestions.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.item.cmp(&b.item)));
        suggestions.truncate(MAX_SUGGESTIONS);
        suggestions
    }

    /// Every item with its lexicon score and reasons (weakest included).
    fn lexicon_evidence(&self, language: Language, practice: &Analysed) -> Vec<Candidate> {
        let lexicon = self.lexicon(language);
        let mut candidates: Vec<Candidate> = AnnexItem::all()
            .map(|item| Candidate {
                item,
                score: 0.0,
                reasons: Vec::new(),
                concepts: Vec::new(),
            })
            .collect();
        // Per phrase: how often it matched, whether in the title, its words.
        let mut found: Vec<(usize, u32, bool, String)> = Vec::new();
        for hit in lexicon.find(practice) {
            let in_title = hit.field == Field::Title;
            match found.iter_mut().find(|f| f.0 == hit.phrase) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 |= in_title;
                }
                None => found.push((
                    hit.phrase,
                    1,
                    in_title,
                    practice.quote(hit.field, hit.from, hit.to),
                )),
            }
        }
        let mut evidence = vec![Vec::<(f64, String)>::new(); candidates.len()];
        let mut named_for = vec![Vec::<(f64, usize)>::new(); candidates.len()];
        concept_evidence(language, practice, &mut evidence, &mut named_for);
        for (phrase, count, in_title, words) in found {
            let phrase = lexicon.phrase(phrase);
            let weight = phrase.weight
                * (1.0 + 0.5 * f64::from(count).ln())
                * if in_title { TITLE_WEIGHT } else { 1.0 };
            evidence[usize::from(phrase.item.number()) - 1].push((weight, words));
        }
        for ((candidate, mut evidence), mut named) in
            candidates.iter_mut().zip(evidence).zip(named_for)
        {
            let total: f64 = evidence.iter().map(|(w, _)| w).sum();
            candidate.score = 1.0 - (-total / EVIDENCE_SCALE).exp();
            evidence.sort_by(|a, b| b.0.total_cmp(&a.0));
            candidate.reasons = evidence.into_iter().map(|(_, words)| words).collect();
            named.sort_by(|a, b| b.0.total_cmp(&a.0));
            candidate.concepts = named.into_iter().map(|(_, concept)| concept).collect();
        }
        candidates
    }
}

/// What one mention of a concept weighs for the first item it bears on,
/// against a lexicon phrase's `lexicon::STRONG`.
const CONCEPT_WEIGHT: f64 = 0.3;
/// Each further item a concept bears on gets this share of the one before.
const FURTHER_ITEM_SHARE: f64 = 0.5;

/// The thesaurus's concepts the practice names, each counting towards the
/// items it bears on (in any language: the thesaurus has all six), with the
/// practice's words that named it.
fn concept_evidence(
    language: Language,
    practice: &Analysed,
    evidence: &mut [Vec<(f64, String)>],
    named_for: &mut [Vec<(f64, usize)>],
) {
    let concepts = crate::text::concepts::concepts();
    let thesaurus = crate::domain::thesaurus::thesaurus();
    // Per concept: mentions, whether in the title, the first words. The
    // practice is already analysed: its terms are read, not its text again.
    let mut named: Vec<(usize, u32, bool, String)> = Vec::new();
    let fields = [
        (&practice.title, &practice.title_terms, true),
        (&practice.body, &practice.body_terms, false),
    ];
    for (text, terms, in_title) in fields {
        let tokens: Vec<(&str, std::ops::Range<usize>)> = terms
            .iter()
            .map(|t| (t.text.as_str(), t.from..t.to))
            .collect();
        for mention in concepts.mentions_in_tokens(language, &tokens) {
            let words = text.get(mention.span.clone()).unwrap_or_default();
            match named.iter_mut().find(|n| n.0 == mention.concept) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 |= in_title;
                }
                None => named.push((mention.concept, 1, in_title, words.to_owned())),
            }
        }
    }
    for (concept, count, in_title, words) in named {
        let mut weight = CONCEPT_WEIGHT
            * (1.0 + 0.5 * f64::from(count).ln())
            * if in_title { TITLE_WEIGHT } else { 1.0 };
        for item in &thesaurus.concept(concept).items {
            let slot = usize::from(item.number()) - 1;
            evidence[slot].push((weight, words.clone()));
            named_for[slot].push((weight, concept));
            weight *= FURTHER_ITEM_SHARE;
        }
    }
}

/// Editors' decisions the model learns from, newest first: recent
/// practice says most about how editors tag now, and the bound keeps a
/// retraining to seconds and bounded memory on any catalogue.
pub const LEARN_FROM_NEWEST: i64 = 20_000;

/// A model of decided practices: `(language, title, body, items)`.
pub fn learn<'a>(
    decided: impl IntoIterator<Item = (Language, &'a str, &'a str, &'a [AnnexItem])>,
) -> Model {
    let analysed: Vec<(Analysed, &[AnnexItem])> = decided
        .into_iter()
        .map(|(language, title, body, items)| (Analysed::new(language, title, body), items))
        .collect();
    Model::train(analysed.iter().map(|(a, items)| model::Example {
        terms: a.vocabulary(),
        items,
    }))
}

struct Candidate {
    item: AnnexItem,
    score: f64,
    reasons: Vec<String>,
    /// The thesaurus concepts that pointed to the item, strongest first.
    concepts: Vec<usize>,
}

impl Candidate {
    /// The suggestion, its concepts named in `language`.
    fn into_suggestion(self, language: Language) -> Suggestion {
        let mut reasons: Vec<String> = Vec::new();
        for reason in self.reasons {
            let known = reasons
                .iter()
                .any(|r| r.to_lowercase() == reason.to_lowercase());
            if !reason.is_empty() && !known {
                reasons.push(reason);
            }
        }
        reasons.truncate(MAX_REASONS);
        let mut concepts: Vec<usize> = Vec::new();
        for concept in self.concepts {
            if !concepts.contains(&concept) {
                concepts.push(concept);
            }
        }
        concepts.truncate(MAX_REASONS);
        let thesaurus = crate::domain::thesaurus::thesaurus();
        Suggestion {
            item: self.item.number(),
            score: (self.score * 1000.0).round() / 1000.0,
            reasons,
            concepts: concepts
                .into_iter()
                .map(|c| SuggestedConcept::of(&thesaurus.concept(c).id, language))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagger() -> Tagger {
        Tagger::new().expect("the lexicon compiles")
    }

    #[test]
    fn a_csirt_practice_is_item_11_with_its_words_as_reasons() {
        let suggestions = tagger().suggest(
            Language::En,
            "National CSIRT",
            "Our national computer incident response team protects government networks.",
        );
        let top = &suggestions[0];
        assert_eq!(top.item, 11, "{suggestions:?}");
        assert!(top.score > 0.5 && top.score <= 1.0);
        assert!(top
            .reasons
            .contains(&"computer incident response team".to_owned()));
    }

    #[test]
    fn every_language_is_understood() {
        let tagger = tagger();
        for (language, title, body) in [
            (Language::Fr, "Équipe nationale", "L'équipe de réponse aux incidents informatiques protège les réseaux de l'administration."),
            (Language::Es, "Equipo nacional", "El equipo de respuesta a incidentes atiende incidentes del sector público."),
            (Language::Ru, "Группа реагирования", "Национальная группа реагирования на компьютерные инциденты."),
            (Language::Ar, "فريق الاستجابة", "الفريق الوطني للاستجابة لطوارئ الحاسب الآلي يحمي الشبكات الحكومية."),
            (Language::Zh, "应急响应", "国家计算机应急响应小组保护政府网络。"),
        ] {
            let suggestions = tagger.suggest(language, title, body);
            assert_eq!(suggestions.first().map(|s| s.item), Some(11), "{language}: {suggestions:?}");
        }
    }

    #[test]
    fn suggestions_name_the_concepts_behind_them_in_any_language() {
        // Russian text, the concepts named in the practice's language and
        // then in the reader's.
        let suggestions = tagger().suggest(
            Language::Ru,
            "Программы-вымогатели",
            "Национальная группа реагирования на компьютерные инциденты помогает \
             больницам после атак программ-вымогателей.",
        );
        let named: Vec<&SuggestedConcept> = suggestions.iter().flat_map(|s| &s.concepts).collect();
        let ransomware = named
            .iter()
            .find(|c| c.concept == "ransomware")
            .unwrap_or_else(|| panic!("{suggestions:?}"));
        assert!(
            ransomware.label.chars().any(|c| ('а'..='я').contains(&c)),
            "{ransomware:?}"
        );
        let in_english = suggestions[0].clone().in_language(Language::En);
        assert!(
            in_english.concepts.iter().all(|c| c.label.is_ascii()),
            "{in_english:?}"
        );
        assert_eq!(in_english.concepts.len(), suggestions[0].concepts.len());
    }

    #[test]
    fn text_about_nothing_gets_no_suggestion() {
        assert!(tagger()
            .suggest(Language::En, "Hello", "The weather was fine.")
            .is_empty());
    }

    #[test]
    fn suggestions_are_bounded_sorted_and_scored_in_zero_to_one() {
        let suggestions = tagger().suggest(
            Language::En,
            "Everything",
            "Risk assessment, vulnerabilities, the national cybersecurity strategy, stakeholders, \
             public consultation, an advisory council, information sharing, interdependencies, \
             the national coordinator, the CSIRT, bilateral cooperation, the cybercrime act, \
             prosecutors, adequacy, a 24/7 point of contact, mutual legal assistance and awareness.",
        );
        assert_eq!(suggestions.len(), MAX_SUGGESTIONS);
        assert!(suggestions.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(suggestions.iter().all(|s| (0.0..=1.0).contains(&s.score)));
    }

    #[test]
    fn decisions_teach_terms_the_lexicon_does_not_know() {
        let tagger = tagger();
        let seventeen = [AnnexItem::new(17).expect("item")];
        let texts: Vec<Analysed> = (0..40)
            .map(|i| {
                Analysed::new(
                    Language::En,
                    "Case",
                    &format!("Operation Zephyr number {i}"),
                )
            })
            .collect();
        let model = Model::train(texts.iter().map(|a| model::Example {
            terms: a.vocabulary(),
            items: &seventeen,
        }));
        tagger.learn(model);
        let suggestions = tagger.suggest(Language::En, "Zephyr", "Operation Zephyr again");
        assert_eq!(
            suggestions.first().map(|s| s.item),
            Some(17),
            "{suggestions:?}"
        );
        assert!(suggestions[0].reasons.iter().any(|r| r == "Zephyr"));
    }
}
