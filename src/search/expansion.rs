//! The text part of a search, through the concept layer. The reader's
//! words are matched as written (in every language's fields, each with its
//! analyzer); where some of them name a concept of the thesaurus, those
//! words may instead be met by any of the concept's terms in any of the six
//! languages, at a lower weight than the words themselves. When concepts
//! cover most of the words, the words left over only rank (a query in
//! French then finds an English practice on the same concepts); practices
//! in the reader's language rank first.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Term};

use std::collections::BTreeSet;

use super::engine::{boolean, SearchRequest};
use super::query::{Clause, ParsedQuery};
use super::{codes, SearchIndex};
use crate::domain::thesaurus::ConceptId;
use crate::domain::Language;
use crate::text::concepts::{concepts, Recognised};

/// A concept's terms weigh this much against the reader's own words.
const CONCEPT_WEIGHT: f32 = 1.0;

/// A practice that names a narrower concept (a tabletop exercise, for
/// cyber exercises) weighs this much against one that names the concept.
const NARROWER_WEIGHT: f32 = 0.5;

/// A concept with more narrower concepts than this is a broad one (incident
/// response: recovery, containment, lessons learned…): its narrower ones
/// would bring in much of the catalogue, and a search pays for every
/// practice it matches. Its practices are found by its own terms.
const NARROWER_AT_MOST: usize = 10;

/// What being in the reader's language adds to a practice's score.
const OWN_LANGUAGE_BOOST: f32 = 1.0;
/// Of a query's parts (its words; or the runs of words that name
/// concepts), a practice must match one in this many, rounded up.
const MATCH_ONE_IN: usize = 2;

/// Function words of the five languages written with spaces: in a query
/// that is expanded they are no part of their own (they would match
/// nearly every practice in their language), though phrases keep them.
const FUNCTION_WORDS: &[&str] = &[
    // en
    "a", "an", "and", "the", "of", "in", "on", "for", "to", "by", "with", "from", "at", "or", "its",
    // fr
    "le", "la", "les", "l", "de", "des", "du", "d", "et", "en", "au", "aux", "un", "une", "sur",
    "pour", "par", "dans", "avec", "ou", // es
    "el", "los", "las", "del", "y", "e", "o", "u", "por", "para", "con", "al", "una", "unos",
    "unas", "sobre", "entre", // ru
    "и", "в", "во", "на", "по", "с", "со", "к", "о", "об", "от", "для", "из", "за", "при", "или",
    // ar
    "في", "من", "على", "إلى", "عن", "و", "أو", "مع", "ضد",
];

fn is_function_word(word: &str) -> bool {
    let word = word.to_lowercase();
    FUNCTION_WORDS.contains(&word.as_str())
}

/// The language a text's script tells, where it tells one.
pub fn script_language(text: &str) -> Option<Language> {
    let (mut arabic, mut han, mut cyrillic, mut latin) = (0, 0, 0, 0);
    for c in text.chars() {
        match c as u32 {
            0x0600..=0x06FF | 0x0750..=0x077F => arabic += 1,
            0x4E00..=0x9FFF | 0x3400..=0x4DBF => han += 1,
            0x0400..=0x04FF => cyrillic += 1,
            _ if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
    let most = [
        (arabic, Some(Language::Ar)),
        (han, Some(Language::Zh)),
        (cyrillic, Some(Language::Ru)),
        (latin, None),
    ]
    .into_iter()
    .max_by_key(|(count, _)| *count)?;
    if most.0 == 0 {
        None
    } else {
        most.1
    }
}

/// The concepts of each run of words that no longer run holds ("incident
/// response", not "incident" within it): the concepts-only alternative
/// asks for these, so that a word's own narrower reading does not widen it.
fn outermost(recognised: &[Recognised]) -> Vec<&BTreeSet<ConceptId>> {
    // `recognise` answers in order of start, longest first: a run inside
    // another comes after it.
    let mut groups: Vec<&Recognised> = Vec::new();
    for found in recognised {
        let inside = |outer: &&Recognised| {
            outer.words.start <= found.words.start && found.words.end <= outer.words.end
        };
        if !groups.iter().any(inside) {
            groups.push(found);
        }
    }
    groups.into_iter().map(|group| &group.concepts).collect()
}

impl SearchIndex {
    /// The text part of a search and the concepts it was expanded to;
    /// `None` when there is no text to match.
    pub(super) fn text_query(
        &self,
        request: &SearchRequest,
    ) -> (Option<Box<dyn Query>>, Vec<ConceptId>) {
        let parsed = &request.query;
        if !request.expand {
            return (self.literal_query(parsed), Vec::new());
        }
        // Chinese words cut at the field's terms: each part counts alone.
        let required: Vec<Clause> = parsed
            .required
            .iter()
            .flat_map(|clause| match clause {
                Clause::Word(word) => concepts()
                    .segment(word)
                    .into_iter()
                    .map(Clause::Word)
                    .collect(),
                other => vec![other.clone()],
            })
            .collect();
        let units: Vec<String> = required
            .iter()
            .map(|clause| match clause {
                Clause::Word(text) | Clause::Phrase(text) => text.clone(),
                Clause::Prefix(_) => String::new(),
            })
            .collect();
        let reader = request
            .language
            .or_else(|| script_language(&units.join(" ")));
        let recognised = match units.is_empty() {
            false => concepts().recognise(&units, |l| self.analyzer(l), reader),
            true => Vec::new(),
        };
        // One part per word: met by the word itself, or by the concepts
        // named by the widest run of words that holds it, in whatever
        // language and term, or one level narrower ("cyber exercises" is
        // met by a tabletop exercise too). Narrower runs inside it are
        // left out: "incident" inside "incident response" would match
        // nearly every practice on incidents, and every search pays for
        // what it matches.
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        // The concepts searched for, as the answer lists them.
        let mut expanded: Vec<ConceptId> = Vec::new();
        for (unit, clause) in required.iter().enumerate() {
            let function_word = matches!(clause, Clause::Word(w) if is_function_word(w));
            if function_word && units.len() > 1 {
                continue;
            }
            let holding: Vec<&Recognised> = recognised
                .iter()
                .filter(|group| group.words.contains(&unit))
                .collect();
            let widest = holding.iter().map(|g| g.words.len()).max().unwrap_or(0);
            let named: BTreeSet<ConceptId> = holding
                .iter()
                .filter(|g| g.words.len() == widest)
                .flat_map(|group| group.concepts.iter().copied())
                .collect();
            for concept in &named {
                if !expanded.contains(concept) {
                    expanded.push(*concept);
                }
            }
            let word = self.required(clause);
            parts.push(match named.is_empty() {
                true => word,
                // The better of the two, not their sum: a practice in the
                // reader's language would otherwise count each word twice,
                // and one in another language on the same concepts never
                // catch up.
                false => Box::new(DisjunctionMaxQuery::new(vec![
                    word,
                    Box::new(BoostQuery::new(
                        self.concepts_query(&named, true),
                        CONCEPT_WEIGHT,
                    )),
                ])),
            });
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let most = parts.len();
        if most > 1 {
            // The best matches first, not only those with every part (but
            // both of two); and practices on half the concepts named, in
            // whatever language, though they lack the words no concept
            // covers.
            let at_least = most.div_ceil(MATCH_ONE_IN).max(2);
            let parts = parts.into_iter().map(|p| (Occur::Should, p)).collect();
            let parts = BooleanQuery::with_minimum_required_clauses(parts, at_least);
            let mut either: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, Box::new(parts))];
            let groups = outermost(&recognised);
            if !groups.is_empty() {
                let concepts: Vec<(Occur, Box<dyn Query>)> = groups
                    .iter()
                    .map(|group| (Occur::Should, self.concepts_query(group, false)))
                    .collect();
                let at_least = concepts.len().div_ceil(MATCH_ONE_IN);
                let concepts = BooleanQuery::with_minimum_required_clauses(concepts, at_least);
                let concepts = BoostQuery::new(Box::new(concepts), CONCEPT_WEIGHT);
                either.push((Occur::Should, Box::new(concepts)));
            }
            clauses.push((Occur::Must, boolean(either)));
        } else {
            clauses.extend(parts.into_iter().map(|p| (Occur::Must, p)));
        }
        for clause in &parsed.excluded {
            if let Some(query) = self.clause_query(clause) {
                clauses.push((Occur::MustNot, query));
            }
        }
        if clauses.is_empty() {
            return (None, Vec::new());
        }
        if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        if let Some(language) = reader {
            // Written in the reader's language, or translated into it.
            let code = codes::language(language);
            let own: Box<dyn Query> = boolean(
                [self.fields.language, self.fields.translated_into]
                    .into_iter()
                    .map(|field| {
                        let term = Term::from_field_u64(field, code);
                        let query: Box<dyn Query> =
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                        (Occur::Should, query)
                    })
                    .collect(),
            );
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(own, OWN_LANGUAGE_BOOST)),
            ));
        }
        (Some(boolean(clauses)), expanded)
    }

    /// The words alone, every one required (what `expand=false` searches).
    pub(super) fn literal_query(&self, parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = parsed
            .required
            .iter()
            .map(|clause| (Occur::Must, self.required(clause)))
            .collect();
        for clause in &parsed.excluded {
            if let Some(query) = self.clause_query(clause) {
                clauses.push((Occur::MustNot, query));
            }
        }
        if clauses.is_empty() {
            return None;
        }
        if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Some(boolean(clauses))
    }

    /// A required word, phrase or prefix; one that no language can index
    /// (only symbols, say) matches nothing rather than everything.
    fn required(&self, clause: &Clause) -> Box<dyn Query> {
        self.clause_query(clause)
            .unwrap_or_else(|| boolean(Vec::new()))
    }

    /// Practices that name any of the concepts, in any language and any of
    /// its terms (annotated when indexed), or (with `narrower`, unless the
    /// concept is a broad one) a concept one level narrower at a lower
    /// weight. Deeper ones are left out: a concept's subtree matches much
    /// of the catalogue, and every search pays for what it matches.
    fn concepts_query(&self, concepts: &BTreeSet<ConceptId>, narrower: bool) -> Box<dyn Query> {
        let thesaurus = crate::domain::thesaurus::thesaurus();
        let alternatives = concepts
            .iter()
            .flat_map(|&concept| {
                let id = &thesaurus.concept(concept).id;
                let named = Term::from_field_text(self.fields.concept, id);
                let named: Box<dyn Query> =
                    Box::new(TermQuery::new(named, IndexRecordOption::WithFreqs));
                let mut either = vec![(Occur::Should, named)];
                if narrower && thesaurus.narrower(concept).count() <= NARROWER_AT_MOST {
                    let within = Term::from_field_text(self.fields.concept_within, id);
                    let within = TermQuery::new(within, IndexRecordOption::WithFreqs);
                    let within = BoostQuery::new(Box::new(within), NARROWER_WEIGHT);
                    either.push((Occur::Should, Box::new(within) as Box<dyn Query>));
                }
                either
            })
            .collect();
        boolean(alternatives)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_tells_arabic_chinese_and_russian_not_latin_languages() {
        assert_eq!(script_language("الجرائم السيبرانية"), Some(Language::Ar));
        assert_eq!(script_language("勒索软件"), Some(Language::Zh));
        assert_eq!(script_language("атаки CERT"), Some(Language::Ru));
        assert_eq!(script_language("exercice de crise"), None);
        assert_eq!(script_language("2026"), None);
    }
}
