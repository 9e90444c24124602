//! The six official languages of the United Nations, the only languages the
//! catalogue, its labels and its mail speak.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An official UN language, by its ISO 639-1 code.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ar,
    Zh,
    /// English is the default where a caller names no language.
    #[default]
    En,
    Fr,
    Ru,
    Es,
}

impl Language {
    /// In the order the UN lists them (Arabic, Chinese, English, French,
    /// Russian, Spanish): the order of every language menu.
    pub const ALL: [Language; 6] = [
        Language::Ar,
        Language::Zh,
        Language::En,
        Language::Fr,
        Language::Ru,
        Language::Es,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Language::Ar => "ar",
            Language::Zh => "zh",
            Language::En => "en",
            Language::Fr => "fr",
            Language::Ru => "ru",
            Language::Es => "es",
        }
    }

    /// Arabic is written right to left; pages and mail must say so.
    pub fn is_right_to_left(self) -> bool {
        self == Language::Ar
    }
}

named_in_text!(Language by code in any case, else UnknownLanguage(
    "unknown language '{0}': use one of ar, zh, en, fr, ru, es"
));

/// A text in each of the six languages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translations {
    ar: String,
    zh: String,
    en: String,
    fr: String,
    ru: String,
    es: String,
}

/// The field named by the language's code (`ar`, `zh`, …) of a value that
/// holds one for each of the six: the one way such values are read.
#[macro_export]
macro_rules! in_language {
    ($value:expr, $language:expr) => {
        match $language {
            $crate::domain::Language::Ar => &$value.ar,
            $crate::domain::Language::Zh => &$value.zh,
            $crate::domain::Language::En => &$value.en,
            $crate::domain::Language::Fr => &$value.fr,
            $crate::domain::Language::Ru => &$value.ru,
            $crate::domain::Language::Es => &$value.es,
        }
    };
}

impl Translations {
    /// One text for each language, in the order of [`Language::ALL`].
    pub fn from_ordered([ar, zh, en, fr, ru, es]: [String; 6]) -> Translations {
        Translations {
            ar,
            zh,
            en,
            fr,
            ru,
            es,
        }
    }

    pub fn get(&self, language: Language) -> &str {
        crate::in_language!(self, language)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        Language::ALL.into_iter().map(|language| self.get(language))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for language in Language::ALL {
            assert_eq!(language.code().parse::<Language>(), Ok(language));
            assert_eq!(
                serde_json::to_string(&language).unwrap(),
                format!("\"{}\"", language.code())
            );
        }
    }

    #[test]
    fn codes_are_case_insensitive_but_nothing_else_is_accepted() {
        assert_eq!("FR".parse::<Language>(), Ok(Language::Fr));
        assert!("de".parse::<Language>().is_err());
        assert!("".parse::<Language>().is_err());
        assert!("english".parse::<Language>().is_err());
    }

    #[test]
    fn only_arabic_is_right_to_left() {
        let rtl: Vec<_> = Language::ALL
            .into_iter()
            .filter(|l| l.is_right_to_left())
            .collect();
        assert_eq!(rtl, vec![Language::Ar]);
    }
}
