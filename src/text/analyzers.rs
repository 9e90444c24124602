//! How text becomes terms, per language: lower-case, diacritics folded,
//! stemmed for en, fr, es, ru, ar; Chinese cut into overlapping bigrams of
//! Han characters (no dictionary to ship or load). The same analyzer reads
//! a language's documents and the queries run against them.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language as Stemming, LowerCaser, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager,
};

use crate::domain::Language;

/// The tokenizer name of a language, as the schema refers to it.
pub fn name(language: Language) -> String {
    format!("compendium_{}", language.code())
}

/// Tokens longer than this are noise (hashes, URLs) and dropped.
const LONGEST_TOKEN: usize = 64;

pub fn analyzer(language: Language) -> TextAnalyzer {
    let stemming = match language {
        Language::En => Some(Stemming::English),
        Language::Fr => Some(Stemming::French),
        Language::Es => Some(Stemming::Spanish),
        Language::Ru => Some(Stemming::Russian),
        Language::Ar => Some(Stemming::Arabic),
        Language::Zh => None,
    };
    match (language, stemming) {
        (Language::Zh, _) => TextAnalyzer::builder(HanBigramTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
        (_, Some(stemming)) => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
            .filter(LowerCaser)
            .filter(FoldFilter)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(stemming))
            .build(),
        (_, None) => TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    }
}

/// The analyzer for prefixes (`secur*`): folded like the documents, but
/// not stemmed, since a stemmer would cut a prefix as if it were a word.
pub const PREFIX: &str = "compendium_prefix";

pub fn register(manager: &TokenizerManager) {
    for language in Language::ALL {
        manager.register(&name(language), analyzer(language));
    }
    manager.register(
        PREFIX,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(FoldFilter)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// Folds what ASCII folding leaves alone: Russian ё to е, and Arabic
/// diacritics (tashkil, tatweel) and the forms of alef with hamza to bare
/// alef, so that vowelled and unvowelled spellings meet.
#[derive(Clone, Copy, Default)]
pub struct FoldFilter;

impl tantivy::tokenizer::TokenFilter for FoldFilter {
    type Tokenizer<T: Tokenizer> = FoldFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldFilterWrapper<T> {
        FoldFilterWrapper(tokenizer)
    }
}

#[derive(Clone)]
pub struct FoldFilterWrapper<T>(T);

impl<T: Tokenizer> Tokenizer for FoldFilterWrapper<T> {
    type TokenStream<'a> = FoldStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldStream(self.0.token_stream(text))
    }
}

pub struct FoldStream<S>(S);

fn fold_char(c: char) -> Option<char> {
    match c {
        'ё' => Some('е'),
        // Arabic tashkil (fathatan … sukun), superscript alef, tatweel.
        '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' => None,
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        other => Some(other),
    }
}

/// The Arabic definite article, alone or after a one-letter conjunction
/// or preposition (و، ف، ب، ك، ل), longest first.
const ARTICLES: [&str; 6] = ["وال", "فال", "بال", "كال", "لل", "ال"];

/// An Arabic word without its article, when at least three letters
/// remain. The stemmer strips it too, but then cuts the word's ending by
/// other rules than without it (التمرين → تمر, تمرين → تمرين): taken off
/// first, both spellings stem alike.
fn without_article(word: &str) -> Option<&str> {
    ARTICLES.iter().find_map(|article| {
        word.strip_prefix(article)
            .filter(|rest| rest.chars().count() >= 3)
    })
}

impl<S: TokenStream> TokenStream for FoldStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if token.text.chars().any(|c| fold_char(c) != Some(c)) {
            token.text = token.text.chars().filter_map(fold_char).collect();
        }
        if let Some(bare) = without_article(&token.text) {
            token.text = bare.to_owned();
        }
        if let Some(noun) = token.text.strip_suffix("пись") {
            // Russian nouns in -пись (подпись, запись): Snowball takes their
            // -ись for a reflexive verb's ending and cuts them shorter than
            // their other cases (подпись → подп, подписи → подпис); read
            // as the genitive, every case stems alike.
            token.text = format!("{noun}писи");
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// A Han character, as the Chinese analyzer cuts them in pairs.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF)
}

/// Splits text into words of letters and digits, and runs of Han
/// characters into overlapping bigrams (`应急响应` → `应急`, `急响`, `响应`); a
/// lone Han character is its own token.
#[derive(Clone, Default)]
pub struct HanBigramTokenizer {
    token: Token,
}

pub struct HanBigramStream<'a> {
    text: &'a str,
    tokens: std::vec::IntoIter<(usize, usize)>,
    token: &'a mut Token,
    position: usize,
}

fn han_bigram_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i + 1).map_or(text.len(), |(offset, _)| *offset);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_han(c) {
            let mut j = i;
            while j + 1 < chars.len() && is_han(chars[j + 1].1) {
                j += 1;
            }
            if i == j {
                spans.push((start, end_of(i)));
            } else {
                for (k, (offset, _)) in chars.iter().enumerate().take(j).skip(i) {
                    spans.push((*offset, end_of(k + 1)));
                }
            }
            i = j + 1;
        } else if c.is_alphanumeric() {
            let mut j = i;
            while j + 1 < chars.len() && chars[j + 1].1.is_alphanumeric() && !is_han(chars[j + 1].1)
            {
                j += 1;
            }
            spans.push((start, end_of(j)));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    spans
}

impl Tokenizer for HanBigramTokenizer {
    type TokenStream<'a> = HanBigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HanBigramStream<'a> {
        self.token.reset();
        HanBigramStream {
            text,
            tokens: han_bigram_spans(text).into_iter(),
            token: &mut self.token,
            position: 0,
        }
    }
}

impl TokenStream for HanBigramStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((from, to)) = self.tokens.next() else {
            return false;
        };
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The terms an analyzer makes of a text (for queries and tests).
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(token.text.clone());
    }
    terms
}

/// The terms of a text with where each was read (byte offsets).
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push((token.text.clone(), token.offset_from..token.offset_to));
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_terms(language: Language, a: &str, b: &str) {
        let mut analyzer = analyzer(language);
        assert_eq!(
            terms(&mut analyzer, a),
            terms(&mut analyzer, b),
            "{language}: {a} ~ {b}"
        );
    }

    #[test]
    fn english_is_stemmed() {
        same_terms(Language::En, "Incidents responded", "incident respond");
    }

    #[test]
    fn french_ignores_accents_and_inflection() {
        same_terms(Language::Fr, "cybersécurité", "cybersecurite");
        same_terms(Language::Fr, "CYBERSÉCURITÉ", "cybersecurite");
    }

    #[test]
    fn russian_is_stemmed_and_yo_folded() {
        same_terms(Language::Ru, "инцидентов", "инцидент");
        same_terms(Language::Ru, "ещё", "еще");
    }

    #[test]
    fn russian_nouns_in_soft_sign_meet_their_other_cases() {
        let mut ru = analyzer(Language::Ru);
        for words in [
            ["подпись", "подписи", "подписью"],
            ["сеть", "сети", "сетью"],
            ["безопасность", "безопасности", "безопасностью"],
            ["связь", "связи", "связью"],
        ] {
            let stems: Vec<Vec<String>> = words.iter().map(|w| terms(&mut ru, w)).collect();
            assert!(
                stems.windows(2).all(|w| w[0] == w[1]),
                "{words:?}: {stems:?}"
            );
        }
    }

    #[test]
    fn arabic_is_stemmed_and_unvowelled() {
        same_terms(Language::Ar, "الإلكترونية", "الإلكتروني");
        same_terms(Language::Ar, "الأمنُ", "الامن");
        // With or without the article (and a preposition before it), a
        // word stems alike.
        same_terms(Language::Ar, "التمرين السيبراني", "تمرين سيبراني");
        same_terms(Language::Ar, "للأمن", "أمن");
        // A word that only begins like the article keeps its letters.
        same_terms(Language::Ar, "الم", "الم");
    }

    #[test]
    fn chinese_is_cut_into_overlapping_bigrams() {
        let mut zh = analyzer(Language::Zh);
        assert_eq!(terms(&mut zh, "应急响应"), ["应急", "急响", "响应"]);
        assert_eq!(terms(&mut zh, "国家CERT小组"), ["国家", "cert", "小组"]);
        assert_eq!(terms(&mut zh, "网"), ["网"]);
    }
}
