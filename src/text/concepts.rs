//! The thesaurus as text is read: every term of every concept analysed as
//! its language's documents are, so that a reader's words, analysed the
//! same way, are recognised as a concept (a word, a phrase, or inside a
//! Chinese word), and a practice's text is annotated with the concepts it
//! mentions (what search indexes, and what the tagger weighs), in any of
//! the six languages.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

use tantivy::tokenizer::TextAnalyzer;

use crate::domain::thesaurus::{thesaurus, ConceptId};
use crate::domain::Language;
use crate::text::analyzers;

pub struct ConceptIndex {
    /// The Chinese terms as written, to cut a reader's Chinese words.
    han_terms: std::collections::HashSet<String>,
    han_longest: usize,
    /// Per language (in `Language::ALL` order), the tokens of each term of
    /// each concept in that language, and of terms in Latin letters in any.
    tries: [Trie; 6],
}

/// A concept named in a text: which, and where (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub concept: ConceptId,
    pub span: Range<usize>,
}

/// Terms as paths of token numbers, so that annotating a long text costs
/// one lookup for each of its tokens no term begins with.
#[derive(Default)]
struct Trie {
    vocabulary: HashMap<String, u32>,
    next: HashMap<(u32, u32), u32>,
    /// Per node (0 is the root), the concepts whose term ends there.
    ends: Vec<Vec<ConceptId>>,
}

impl Trie {
    fn insert(&mut self, tokens: &[String], concept: ConceptId) {
        if tokens.is_empty() {
            return;
        }
        if self.ends.is_empty() {
            self.ends.push(Vec::new());
        }
        let mut node = 0;
        for token in tokens {
            let size = self.vocabulary.len() as u32;
            let word = *self.vocabulary.entry(token.clone()).or_insert(size);
            let fresh = self.ends.len() as u32;
            node = *self.next.entry((node, word)).or_insert(fresh);
            if node == fresh {
                self.ends.push(Vec::new());
            }
        }
        let ends = &mut self.ends[node as usize];
        if !ends.contains(&concept) {
            ends.push(concept);
        }
    }

    /// Every term at every place, overlaps included (a text on a "national
    /// incident response team" mentions the team and incident response).
    fn mentions<S: AsRef<str>>(&self, tokens: &[(S, Range<usize>)]) -> Vec<Mention> {
        let words: Vec<Option<u32>> = tokens
            .iter()
            .map(|(token, _)| self.vocabulary.get(token.as_ref()).copied())
            .collect();
        let mut found: Vec<Mention> = Vec::new();
        for start in 0..tokens.len() {
            // A concept two of whose terms begin here counts once here.
            let here = found.len();
            let mut node = 0;
            for (at, word) in words.iter().enumerate().skip(start) {
                let Some(next) = word.and_then(|w| self.next.get(&(node, w))) else {
                    break;
                };
                node = *next;
                for &concept in &self.ends[node as usize] {
                    if !found[here..].iter().any(|m| m.concept == concept) {
                        let span = tokens[start].1.start..tokens[at].1.end;
                        found.push(Mention { concept, span });
                    }
                }
            }
        }
        found
    }
}

/// The thesaurus read by the analyzers of the index, built once.
pub fn concepts() -> &'static ConceptIndex {
    static CONCEPTS: OnceLock<ConceptIndex> = OnceLock::new();
    CONCEPTS.get_or_init(|| ConceptIndex::build(analyzers::analyzer))
}

/// Words of the query recognised as concepts: `words` indexes the query's
/// units (words and phrases), `concepts` what they name in any language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    pub words: Range<usize>,
    pub concepts: BTreeSet<ConceptId>,
}

fn slot(language: Language) -> usize {
    Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or_default()
}

impl ConceptIndex {
    pub fn build(analyzer: impl Fn(Language) -> TextAnalyzer) -> ConceptIndex {
        let mut analyzers: Vec<TextAnalyzer> = Language::ALL.into_iter().map(&analyzer).collect();
        let mut tries: [Trie; 6] = Default::default();
        let mut han_terms = std::collections::HashSet::new();
        for (id, concept) in thesaurus().concepts().iter().enumerate() {
            for language in Language::ALL {
                let s = slot(language);
                for term in concept.terms(language) {
                    if language == Language::Zh && term.chars().all(analyzers::is_han) {
                        han_terms.insert(term.to_owned());
                    }
                    tries[s].insert(&analyzers::terms(&mut analyzers[s], term), id);
                }
            }
            // Terms in Latin letters are written so in texts of every
            // language: acronyms (a French text's CSIRT, a Russian one's
            // CERT) and loanwords (ransomware, phishing).
            for term in Language::ALL.into_iter().flat_map(|l| concept.terms(l)) {
                if !term.chars().any(|c| c.is_ascii_alphabetic()) {
                    continue;
                }
                for language in Language::ALL {
                    let s = slot(language);
                    tries[s].insert(&analyzers::terms(&mut analyzers[s], term), id);
                }
            }
        }
        let han_longest = han_terms
            .iter()
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0);
        ConceptIndex {
            han_terms,
            han_longest,
            tries,
        }
    }

    /// The concepts a text in `language` names, through that language's
    /// analyzer (and acronyms and loanwords in Latin letters from any
    /// language), each time it names them.
    pub fn mentions(
        &self,
        language: Language,
        analyzer: &mut TextAnalyzer,
        text: &str,
    ) -> Vec<Mention> {
        self.mentions_in_tokens(language, &analyzers::tokens(analyzer, text))
    }

    /// The same, for a text already analysed by `language`'s analyzer:
    /// its tokens and where each was read.
    pub fn mentions_in_tokens<S: AsRef<str>>(
        &self,
        language: Language,
        tokens: &[(S, Range<usize>)],
    ) -> Vec<Mention> {
        self.tries[slot(language)].mentions(tokens)
    }

    /// A reader's Chinese word cut into the field's terms it holds and the
    /// characters between them (longest term first, left to right), so
    /// that each part is matched on its own; other words stay whole.
    pub fn segment(&self, word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() <= 2 || !chars.iter().all(|c| analyzers::is_han(*c)) {
            return vec![word.to_owned()];
        }
        let mut parts: Vec<String> = Vec::new();
        let mut rest = String::new();
        let mut at = 0;
        while at < chars.len() {
            let most = self.han_longest.min(chars.len() - at);
            let term = (2..=most).rev().find_map(|length| {
                let candidate: String = chars[at..at + length].iter().collect();
                self.han_terms.contains(&candidate).then_some(candidate)
            });
            match term {
                Some(term) => {
                    if !rest.is_empty() {
                        parts.push(std::mem::take(&mut rest));
                    }
                    at += term.chars().count();
                    parts.push(term);
                }
                None => {
                    rest.push(chars[at]);
                    at += 1;
                }
            }
        }
        if !rest.is_empty() {
            parts.push(rest);
        }
        // What no term covers is cut in pairs, the commonest length of a
        // Chinese word, so that its words need not come in the reader's
        // order (数据分级分类 meets 分类分级).
        let parts: Vec<String> = parts
            .into_iter()
            .flat_map(|part| {
                let chars: Vec<char> = part.chars().collect();
                match chars.len() >= 4 && !self.han_terms.contains(&part) {
                    true => chars.chunks(2).map(|c| c.iter().collect()).collect(),
                    false => vec![part],
                }
            })
            .collect();
        // A lone character says little alone: it goes with its neighbour.
        let mut joined: Vec<String> = Vec::new();
        for part in parts {
            match joined.last_mut() {
                Some(last) if part.chars().count() == 1 || last.chars().count() == 1 => {
                    last.push_str(&part)
                }
                _ => joined.push(part),
            }
        }
        joined
    }

    /// The concepts the query's units name, read in each language: every
    /// term at every place, so that "international cyber exercises" names
    /// international cyber exercises and cyber exercises both. Of the
    /// languages' readings, the one that covers the most units wins (the
    /// reader's language on a tie); concepts other languages see in
    /// exactly the same units join it. One entry per run of units, in
    /// order of where it starts, longest first.
    pub fn recognise(
        &self,
        units: &[String],
        analyzer: impl Fn(Language) -> TextAnalyzer,
        reader: Option<Language>,
    ) -> Vec<Recognised> {
        let mut readings: Vec<(Language, Vec<Recognised>)> = Vec::new();
        for language in Language::ALL {
            let mut analyzer = analyzer(language);
            let mut tokens: Vec<(String, Range<usize>)> = Vec::new();
            for (unit, text) in units.iter().enumerate() {
                for token in analyzers::terms(&mut analyzer, text) {
                    tokens.push((token, unit..unit + 1));
                }
            }
            let mut found: Vec<Recognised> = Vec::new();
            for mention in self.tries[slot(language)].mentions(&tokens) {
                match found.iter_mut().find(|r| r.words == mention.span) {
                    Some(known) => {
                        known.concepts.insert(mention.concept);
                    }
                    None => found.push(Recognised {
                        words: mention.span,
                        concepts: BTreeSet::from([mention.concept]),
                    }),
                }
            }
            if !found.is_empty() {
                readings.push((language, found));
            }
        }
        let covered = |found: &[Recognised]| -> usize {
            (0..units.len())
                .filter(|unit| found.iter().any(|r| r.words.contains(unit)))
                .count()
        };
        let Some(mut best) = readings
            .iter()
            .max_by_key(|(language, found)| {
                let preferred = Some(*language) == reader;
                (covered(found), preferred, *language == Language::En)
            })
            .map(|(_, found)| found.clone())
        else {
            return Vec::new();
        };
        for recognised in &mut best {
            for (_, found) in &readings {
                for other in found.iter().filter(|o| o.words == recognised.words) {
                    recognised.concepts.extend(other.concepts.iter().copied());
                }
            }
        }
        best.sort_by_key(|r| (r.words.start, std::cmp::Reverse(r.words.end)));
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> ConceptIndex {
        ConceptIndex::build(analyzers::analyzer)
    }

    fn named(
        index: &ConceptIndex,
        query: &str,
        reader: Option<Language>,
    ) -> Vec<(Range<usize>, Vec<String>)> {
        let units: Vec<String> = query.split_whitespace().map(str::to_owned).collect();
        index
            .recognise(&units, analyzers::analyzer, reader)
            .into_iter()
            .map(|r| {
                let ids = r
                    .concepts
                    .iter()
                    .map(|c| thesaurus().concept(*c).id.clone())
                    .collect();
                (r.words, ids)
            })
            .collect()
    }

    #[test]
    fn a_phrase_of_the_field_is_one_concept_in_any_language() {
        let index = index();
        let csirt = thesaurus().find("csirt").expect("a concept");
        for (query, language) in [
            ("national CSIRT", Language::En),
            ("équipes CERT", Language::Fr),
        ] {
            let found = index.recognise(
                &query
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect::<Vec<_>>(),
                analyzers::analyzer,
                Some(language),
            );
            assert!(
                found.iter().any(|r| r
                    .concepts
                    .iter()
                    .any(|c| *c == csirt || thesaurus().concept(*c).broader.contains(&csirt))),
                "{query}: {:?}",
                named(&index, query, Some(language))
            );
        }
        // Words the thesaurus does not know are left alone.
        assert!(named(&index, "Kenya Nairobi", Some(Language::En)).is_empty());
    }

    #[test]
    fn concepts_inside_a_longer_one_are_recognised_too() {
        let index = index();
        let found = named(&index, "international cyber exercises", Some(Language::En));
        let has = |words: Range<usize>, id: &str| {
            found
                .iter()
                .any(|(w, ids)| *w == words && ids.iter().any(|i| i == id))
        };
        assert!(has(0..3, "international-cyber-exercise"), "{found:?}");
        assert!(has(1..3, "cyber-exercise"), "{found:?}");
        // Longest first where two runs start at the same word.
        assert_eq!(found[0].0, 0..3, "{found:?}");
    }

    #[test]
    fn inflected_and_plural_forms_are_recognised_through_the_analyzer() {
        let index = index();
        let ransomware = named(&index, "ransomware attacks", Some(Language::En));
        assert!(
            ransomware
                .iter()
                .any(|(_, ids)| ids.iter().any(|i| i == "ransomware")),
            "{ransomware:?}"
        );
        let ru = named(&index, "атаки программ-вымогателей", Some(Language::Ru));
        assert!(!ru.is_empty(), "{ru:?}");
    }

    fn mentioned(language: Language, text: &str) -> Vec<(String, String)> {
        let mut analyzer = analyzers::analyzer(language);
        concepts()
            .mentions(language, &mut analyzer, text)
            .into_iter()
            .map(|m| {
                let id = thesaurus().concept(m.concept).id.clone();
                (id, text[m.span].to_owned())
            })
            .collect()
    }

    #[test]
    fn no_two_concepts_read_alike_once_analysed() {
        // A stemmer can make two words one ("ciberseguro", cyber insurance,
        // and "ciberseguridad" both end as "cibersegur"); a label that
        // does so would name a concept wherever the other is meant.
        let mut seen: HashMap<(Language, Vec<String>), (ConceptId, String)> = HashMap::new();
        let mut clashes = Vec::new();
        for (id, concept) in thesaurus().concepts().iter().enumerate() {
            for language in Language::ALL {
                let mut analyzer = analyzers::analyzer(language);
                for term in concept.terms(language) {
                    let tokens = analyzers::terms(&mut analyzer, term);
                    match seen.get(&(language, tokens.clone())) {
                        Some((other, written)) if *other != id => clashes.push(format!(
                            "{language}: {} \"{term}\" reads as {} \"{written}\"",
                            concept.id,
                            thesaurus().concept(*other).id
                        )),
                        _ => {
                            seen.insert((language, tokens), (id, term.to_owned()));
                        }
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{}", clashes.join("\n"));
    }

    #[test]
    fn a_text_is_annotated_with_every_concept_it_names_where_it_names_it() {
        let found = mentioned(
            Language::En,
            "The national incident response team handled two ransomware attacks.",
        );
        let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        assert!(ids.contains(&"incident-response"), "{found:?}");
        assert!(ids.contains(&"ransomware"), "{found:?}");
        let (_, words) = found
            .iter()
            .find(|(id, _)| id == "incident-response")
            .expect("incident response");
        assert_eq!(words, "incident response");
        // Inflected, in another language, and inside a Chinese word.
        let ru = mentioned(Language::Ru, "Реагирование на инциденты в банках");
        assert!(ru.iter().any(|(id, _)| id == "incident-response"), "{ru:?}");
        let zh = mentioned(Language::Zh, "防范勒索软件攻击");
        assert!(
            zh.iter()
                .any(|(id, w)| id == "ransomware" && w == "勒索软件"),
            "{zh:?}"
        );
        // An acronym in Latin letters counts in any language's text.
        let fr = mentioned(Language::Fr, "Le CSIRT national coordonne");
        assert!(fr.iter().any(|(id, _)| id == "csirt"), "{fr:?}");
        assert!(mentioned(Language::En, "Kenya Nairobi").is_empty());
    }

    #[test]
    fn a_chinese_word_is_cut_at_the_terms_it_holds() {
        let index = index();
        assert_eq!(index.segment("勒索软件僵尸网络"), ["勒索软件", "僵尸网络"]);
        assert_eq!(index.segment("网络"), ["网络"]);
        assert_eq!(index.segment("数据分级分类"), ["数据", "分级", "分类"]);
        assert_eq!(index.segment("ransomware"), ["ransomware"]);
    }

    #[test]
    fn a_concept_inside_a_chinese_word_is_found() {
        let index = index();
        let found = named(&index, "勒索软件攻击", Some(Language::Zh));
        assert!(
            found
                .iter()
                .any(|(_, ids)| ids.iter().any(|i| i == "ransomware")),
            "{found:?}"
        );
        assert_eq!(found[0].0, 0..1);
    }
}
