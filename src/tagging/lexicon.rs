//! The curated lexicon (`lexicon.toml`): for each annex item and language,
//! the phrases that name its concepts. Compiled once per language with the
//! same analyzer as the practice, so a phrase matches its inflections and
//! folded spellings, and matched against a practice's terms in order.

use std::collections::HashMap;

use serde::Deserialize;

use super::text::{Analysed, Field, Term};
use crate::domain::annex::AnnexItem;
use crate::domain::Language;
use crate::text::analyzers;

const SOURCE: &str = include_str!("lexicon.toml");

/// A phrase that names an item's concept on its own.
pub const STRONG: f64 = 1.0;
/// A phrase that only leans towards an item.
pub const WEAK: f64 = 0.35;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    items: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    number: u8,
    #[serde(default)]
    strong: Phrases,
    #[serde(default)]
    weak: Phrases,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Phrases {
    #[serde(default)]
    any: Vec<String>,
    #[serde(default)]
    ar: Vec<String>,
    #[serde(default)]
    zh: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    fr: Vec<String>,
    #[serde(default)]
    ru: Vec<String>,
    #[serde(default)]
    es: Vec<String>,
}

impl Phrases {
    fn of(&self, language: Language) -> &[String] {
        crate::in_language!(self, language)
    }

    fn for_language(&self, language: Language) -> impl Iterator<Item = &String> {
        self.any.iter().chain(self.of(language))
    }
}

#[derive(Debug, Clone)]
pub struct Phrase {
    pub item: AnnexItem,
    pub weight: f64,
    terms: Vec<String>,
}

/// Where a phrase matched: a run of terms in one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub phrase: usize,
    pub field: Field,
    pub from: usize,
    pub to: usize,
}

/// One language's lexicon, its phrases indexed by their first term.
#[derive(Debug)]
pub struct Lexicon {
    phrases: Vec<Phrase>,
    by_first_term: HashMap<String, Vec<usize>>,
}

impl Lexicon {
    /// Every language's lexicon, from the compiled-in file; an error names
    /// the entry at fault (a test keeps the file valid).
    pub fn compile_all() -> Result<Vec<(Language, Lexicon)>, String> {
        let file: File = toml::from_str(SOURCE).map_err(|e| format!("tagging lexicon: {e}"))?;
        let mut seen = [false; AnnexItem::LAST as usize + 1];
        for entry in &file.items {
            let item = AnnexItem::new(entry.number)
                .ok_or_else(|| format!("tagging lexicon: there is no item {}", entry.number))?;
            if std::mem::replace(&mut seen[usize::from(item.number())], true) {
                return Err(format!("tagging lexicon: item {} twice", entry.number));
            }
        }
        if let Some(missing) = AnnexItem::all().find(|i| !seen[usize::from(i.number())]) {
            return Err(format!(
                "tagging lexicon: item {} is missing",
                missing.number()
            ));
        }
        Language::ALL
            .into_iter()
            .map(|language| Ok((language, Lexicon::compile(&file, language)?)))
            .collect()
    }

    fn compile(file: &File, language: Language) -> Result<Lexicon, String> {
        let mut lexicon = Lexicon {
            phrases: Vec::new(),
            by_first_term: HashMap::new(),
        };
        let mut analyzer = analyzers::analyzer(language);
        for entry in &file.items {
            let item = AnnexItem::new(entry.number)
                .ok_or_else(|| format!("tagging lexicon: there is no item {}", entry.number))?;
            for (phrases, weight) in [(&entry.strong, STRONG), (&entry.weak, WEAK)] {
                for phrase in phrases.for_language(language) {
                    let terms = analyzers::terms(&mut analyzer, phrase);
                    let Some(first) = terms.first() else {
                        return Err(format!(
                            "tagging lexicon: item {}, {language}: '{phrase}' has no words",
                            entry.number
                        ));
                    };
                    lexicon
                        .by_first_term
                        .entry(first.clone())
                        .or_default()
                        .push(lexicon.phrases.len());
                    lexicon.phrases.push(Phrase {
                        item,
                        weight,
                        terms,
                    });
                }
            }
        }
        Ok(lexicon)
    }

    pub fn phrase(&self, index: usize) -> &Phrase {
        &self.phrases[index]
    }

    /// How many phrases an item has in this language.
    pub fn phrases_of(&self, item: AnnexItem) -> usize {
        self.phrases.iter().filter(|p| p.item == item).count()
    }

    /// Every phrase found in the practice. Where phrases of one item
    /// overlap, only the longest counts: "national computer incident
    /// response team" is one piece of evidence, not four.
    pub fn find(&self, practice: &Analysed) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (field, terms) in [
            (Field::Title, &practice.title_terms),
            (Field::Body, &practice.body_terms),
        ] {
            self.find_in(field, terms, &mut hits);
        }
        hits
    }

    fn find_in(&self, field: Field, terms: &[Term], hits: &mut Vec<Hit>) {
        let mut found: Vec<Hit> = Vec::new();
        for start in 0..terms.len() {
            let Some(candidates) = self.by_first_term.get(&terms[start].text) else {
                continue;
            };
            for &index in candidates {
                let phrase = &self.phrases[index];
                let end = start + phrase.terms.len();
                let matches = terms.get(start..end).is_some_and(|run| {
                    run.iter()
                        .zip(&phrase.terms)
                        .all(|(term, want)| term.text == *want)
                });
                if matches {
                    found.push(Hit {
                        phrase: index,
                        field,
                        from: start,
                        to: end,
                    });
                }
            }
        }
        // Longest first, so that a shorter phrase inside a longer one of
        // the same item is dropped.
        found.sort_by_key(|h| (std::cmp::Reverse(h.to - h.from), h.from));
        let mut kept: Vec<Hit> = Vec::new();
        for hit in found {
            let item = self.phrases[hit.phrase].item;
            let covered = kept.iter().any(|k| {
                self.phrases[k.phrase].item == item && k.from <= hit.from && hit.to <= k.to
            });
            if !covered {
                kept.push(hit);
            }
        }
        kept.sort_by_key(|h| h.from);
        hits.extend(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(language: Language) -> Lexicon {
        Lexicon::compile_all()
            .expect("the lexicon compiles")
            .into_iter()
            .find(|(l, _)| *l == language)
            .map(|(_, lexicon)| lexicon)
            .expect("every language")
    }

    #[test]
    fn every_item_has_strong_phrases_in_every_language() {
        let file: File = toml::from_str(SOURCE).expect("valid TOML");
        for entry in &file.items {
            for language in Language::ALL {
                assert!(
                    entry.strong.for_language(language).count() >= 3,
                    "item {} has too few strong phrases in {language}",
                    entry.number
                );
            }
        }
    }

    #[test]
    fn a_phrase_matches_its_inflections_and_keeps_the_original_words() {
        let ru = lexicon(Language::Ru);
        let practice = Analysed::new(
            Language::Ru,
            "Группа",
            "Создана национальная группа реагирования на компьютерные инциденты.",
        );
        let hits = ru.find(&practice);
        let quoted: Vec<String> = hits
            .iter()
            .filter(|h| ru.phrase(h.phrase).item.number() == 11)
            .map(|h| practice.quote(h.field, h.from, h.to))
            .collect();
        assert!(
            quoted.contains(&"группа реагирования на компьютерные инциденты".to_owned()),
            "{quoted:?}"
        );
    }

    #[test]
    fn a_shorter_phrase_inside_a_longer_one_of_the_same_item_is_not_counted_again() {
        let en = lexicon(Language::En);
        let practice = Analysed::new(
            Language::En,
            "",
            "The computer incident response team answers.",
        );
        let of_11: Vec<Hit> = en
            .find(&practice)
            .into_iter()
            .filter(|h| en.phrase(h.phrase).item.number() == 11)
            .collect();
        assert_eq!(of_11.len(), 1, "{of_11:?}");
    }

    #[test]
    fn chinese_phrases_match_inside_longer_runs() {
        let zh = lexicon(Language::Zh);
        let practice = Analysed::new(Language::Zh, "", "国家计算机应急响应小组负责处置事件");
        assert!(zh
            .find(&practice)
            .iter()
            .any(|h| zh.phrase(h.phrase).item.number() == 11));
    }
}
