//! Courtesy translations of a practice into the other UN languages, as the
//! UN's own clearing-houses publish them: the original stays the text of
//! record, a translation says whose it is, and a reader is always told
//! which of the two they read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::submission::{body, text, MAX_TITLE_CHARS};
use crate::domain::Language;
use crate::error::FieldError;

/// Who made a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// An editor of the Secretariat.
    Secretariat,
    /// The State or organisation that shared the practice, with it.
    FocalPoint,
}

impl Origin {
    pub const ALL: [Origin; 2] = [Origin::Secretariat, Origin::FocalPoint];

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Secretariat => "secretariat",
            Origin::FocalPoint => "focal_point",
        }
    }
}

named_in_text!(Origin by as_str, |text| -> String {
    format!("unknown translation origin '{text}'")
});

/// A practice's title and body in another language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub practice_id: String,
    pub language: Language,
    pub title: String,
    /// Markdown, as the original's body.
    pub body: String,
    pub origin: Origin,
    /// The account that wrote it last.
    pub updated_by: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A translation's texts, checked as a practice's are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidText {
    pub title: String,
    pub body: String,
}

/// Checks a translation of a practice written in `original` into `into`:
/// a practice is not translated into its own language, and a translation's
/// title and body obey the rules of a practice's.
pub fn check(
    original: Language,
    into: Language,
    title: &str,
    body_text: &str,
) -> Result<ValidText, Vec<FieldError>> {
    let mut errors = Vec::new();
    if into == original {
        errors.push(FieldError::new(
            "lang",
            format!(
                "the practice is written in {}: a translation is into one of the other five UN languages",
                original.code()
            ),
        ));
    }
    let title = text("title", title, MAX_TITLE_CHARS, &mut errors);
    let body = body("body", body_text, &mut errors);
    if errors.is_empty() {
        Ok(ValidText { title, body })
    } else {
        Err(errors)
    }
}

/// What a reader gets of a practice in `wanted`: the translation into it
/// when there is one, else the original (`None`).
pub fn for_reader(translations: &[Translation], wanted: Language) -> Option<&Translation> {
    translations.iter().find(|t| t.language == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_translation_is_into_another_language_and_checked_as_a_practice() {
        let valid = check(
            Language::Fr,
            Language::En,
            "  National CSIRT ",
            "The *team*.",
        )
        .expect("valid");
        assert_eq!(valid.title, "National CSIRT");
        assert_eq!(valid.body, "The *team*.");
        let refused = check(Language::Fr, Language::Fr, "Titre", "Corps").unwrap_err();
        assert_eq!(fields(refused), ["lang"]);
        let refused = check(Language::Ar, Language::Ru, "Line\nbreak", " ").unwrap_err();
        assert_eq!(fields(refused), ["title", "body"]);
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(
            fields(check(Language::Ar, Language::Zh, &long, "b").unwrap_err()),
            ["title"]
        );
    }

    #[test]
    fn a_reader_gets_the_translation_into_their_language_or_the_original() {
        let at = DateTime::from_timestamp(1_790_000_000, 0).expect("a time");
        let spanish = Translation {
            practice_id: "p1".to_owned(),
            language: Language::Es,
            title: "Equipo nacional".to_owned(),
            body: "El equipo.".to_owned(),
            origin: Origin::Secretariat,
            updated_by: None,
            updated_at: at,
        };
        let all = [spanish];
        assert_eq!(
            for_reader(&all, Language::Es).map(|t| t.title.as_str()),
            Some("Equipo nacional")
        );
        assert_eq!(for_reader(&all, Language::Zh), None);
        assert_eq!("focal_point".parse::<Origin>(), Ok(Origin::FocalPoint));
    }
}
