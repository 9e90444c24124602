//! The reader's query language: words, `"phrases"`, `-excluded` words or
//! phrases, and `prefix*`. Parsing never fails on odd input: an unbalanced
//! quote runs to the end, stray signs are ignored. Only size is refused.

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Clause {
    Word(String),
    Phrase(String),
    Prefix(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ParsedQuery {
    pub required: Vec<Clause>,
    pub excluded: Vec<Clause>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.excluded.is_empty()
    }
}

pub const MAX_QUERY_CHARS: usize = 1_000;
pub const MAX_CLAUSES: usize = 32;
/// Shorter prefixes would match half the dictionary.
pub const MIN_PREFIX_CHARS: usize = 2;

pub fn parse(q: &str) -> Result<ParsedQuery, String> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "a query may have at most {MAX_QUERY_CHARS} characters"
        ));
    }
    let mut parsed = ParsedQuery::default();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-';
        if negated {
            chars.next();
        }
        let clause = if chars.peek() == Some(&'"') {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|c| *c != '"').collect();
            let phrase = phrase.trim().to_owned();
            (!phrase.is_empty()).then_some(Clause::Phrase(phrase))
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            word_clause(&word)
        };
        if let Some(clause) = clause {
            if negated {
                parsed.excluded.push(clause);
            } else {
                parsed.required.push(clause);
            }
        }
    }
    if parsed.required.len() + parsed.excluded.len() > MAX_CLAUSES {
        return Err(format!(
            "a query may have at most {MAX_CLAUSES} words and phrases"
        ));
    }
    Ok(parsed)
}

fn word_clause(word: &str) -> Option<Clause> {
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '*');
    if let Some(prefix) = trimmed.strip_suffix('*') {
        let prefix = prefix.trim_end_matches('*');
        if prefix.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_PREFIX_CHARS {
            return Some(Clause::Prefix(prefix.to_owned()));
        }
        return (!prefix.is_empty()).then(|| Clause::Word(prefix.to_owned()));
    }
    let trimmed = trimmed.trim_end_matches('*');
    trimmed
        .chars()
        .any(char::is_alphanumeric)
        .then(|| Clause::Word(trimmed.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Clause::*;

    fn words(q: &str) -> (Vec<Clause>, Vec<Clause>) {
        let parsed = parse(q).unwrap();
        (parsed.required, parsed.excluded)
    }

    #[test]
    fn words_phrases_exclusions_and_prefixes() {
        assert_eq!(
            words(r#"incident "Budapest Convention" -children secur*"#),
            (
                vec![
                    Word("incident".into()),
                    Phrase("Budapest Convention".into()),
                    Prefix("secur".into())
                ],
                vec![Word("children".into())]
            )
        );
        assert_eq!(
            words(r#"-"awareness week""#),
            (vec![], vec![Phrase("awareness week".into())])
        );
    }

    #[test]
    fn odd_input_is_read_sensibly() {
        assert_eq!(
            words(r#""unbalanced quote"#),
            (vec![Phrase("unbalanced quote".into())], vec![])
        );
        assert_eq!(words("- * ** \"\" ,"), (vec![], vec![]));
        assert_eq!(words("a*"), (vec![Word("a".into())], vec![]));
        assert_eq!(words("(CERT)."), (vec![Word("CERT".into())], vec![]));
        assert_eq!(words("应急响应"), (vec![Word("应急响应".into())], vec![]));
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn only_size_is_refused() {
        assert!(parse(&"x".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert!(parse(&"word ".repeat(MAX_CLAUSES + 1)).is_err());
        assert!(parse(&"word ".repeat(MAX_CLAUSES)).is_ok());
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn query_like() -> impl Strategy<Value = String> {
            const PIECES: &[&str] = &[
                "\"",
                "-",
                "*",
                " ",
                "  ",
                "a",
                "ab",
                "é",
                "инцидент",
                "应急响应",
                "(",
                ":",
                "~",
                "\t",
                "-\"",
                "*\"",
                "\u{0}",
                "🙂",
                "الأمن",
            ];
            crate::testing::texts_of(PIECES, 80)
        }

        proptest! {
            #![proptest_config(crate::testing::config())]

            #[test]
            fn any_text_is_parsed_or_refused_never_a_panic(q in any::<String>()) {
                let _ = parse(&q);
            }

            #[test]
            fn parsed_queries_stay_within_their_limits(q in query_like()) {
                if let Ok(parsed) = parse(&q) {
                    prop_assert!(parsed.required.len() + parsed.excluded.len() <= MAX_CLAUSES);
                }
            }
        }
    }
}
