//! A practice as terms: the search analyzers (folded, stemmed, Chinese in
//! bigrams), each term keeping where it stands in the text so that a reason
//! can quote the practice's own words.

use tantivy::tokenizer::TextAnalyzer;

use crate::domain::Language;
use crate::text::analyzers;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    /// Byte offsets in the analysed text.
    pub from: usize,
    pub to: usize,
}

fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Term> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(Term {
            text: token.text.clone(),
            from: token.offset_from,
            to: token.offset_to,
        });
    }
    terms
}

/// A practice's two fields, analysed. The body is Markdown: it is read as
/// the plain text a reader sees, so link targets and markup never count.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub title: String,
    pub body: String,
    pub title_terms: Vec<Term>,
    pub body_terms: Vec<Term>,
}

impl Analysed {
    pub fn new(language: Language, title: &str, body_markdown: &str) -> Analysed {
        let body = crate::text::markdown::to_plain_text(body_markdown);
        let mut analyzer = analyzers::analyzer(language);
        Analysed {
            title_terms: terms(&mut analyzer, title),
            body_terms: terms(&mut analyzer, &body),
            title: title.to_owned(),
            body,
        }
    }

    /// The distinct terms of both fields.
    pub fn vocabulary(&self) -> std::collections::BTreeSet<&str> {
        self.title_terms
            .iter()
            .chain(&self.body_terms)
            .map(|t| t.text.as_str())
            .collect()
    }

    /// The words of the text a run of terms came from, as written.
    pub fn quote(&self, field: Field, from: usize, to: usize) -> String {
        let (text, terms) = match field {
            Field::Title => (&self.title, &self.title_terms),
            Field::Body => (&self.body, &self.body_terms),
        };
        let (Some(first), Some(last)) = (terms.get(from), terms.get(to.saturating_sub(1))) else {
            return String::new();
        };
        text.get(first.from..last.to)
            .map(|words| words.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }

    /// Where a term first appears, for quoting a learned term.
    pub fn first_occurrence(&self, term: &str) -> Option<(Field, usize)> {
        let find = |terms: &[Term]| terms.iter().position(|t| t.text == term);
        find(&self.title_terms)
            .map(|i| (Field::Title, i))
            .or_else(|| find(&self.body_terms).map(|i| (Field::Body, i)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Body,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_keep_the_practice_s_own_words() {
        let analysed = Analysed::new(
            Language::Fr,
            "Équipes nationales",
            "Nos **équipes de réponse** aux incidents.",
        );
        let start = analysed
            .body_terms
            .iter()
            .position(|t| t.text == "equip")
            .expect("stemmed, folded term");
        assert_eq!(
            analysed.quote(Field::Body, start, start + 3),
            "équipes de réponse"
        );
    }

    #[test]
    fn markdown_link_targets_are_not_read() {
        let analysed = Analysed::new(
            Language::En,
            "t",
            "[our plan](https://cert.example/awareness)",
        );
        assert!(!analysed.vocabulary().contains("awar"));
    }
}
