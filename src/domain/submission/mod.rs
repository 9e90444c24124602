//! What a submission must be before it is stored: the rules of the
//! contract, checked all at once so the caller sees every problem with its
//! field path (`practices[2].items[0]`). Input types are loose (strings,
//! numbers) so that a wrong value is a rule broken, with a path, rather than
//! a parse error; the output types can only hold valid values.

mod aggregate;
#[cfg(test)]
mod fixtures;
pub mod revision;

pub use aggregate::{Curation, CurationRefused, Practice, Submission};

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Language;
use crate::domain::annex::AnnexItem;
use crate::domain::entities::EntityCode;
use crate::domain::text;
use crate::domain::translation::{self, ValidText};
use crate::error::FieldError;

pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_SUMMARY_CHARS: usize = 5_000;
pub const MAX_BODY_CHARS: usize = 100_000;
pub const MAX_PRACTICES: usize = 50;
pub const MAX_NOTE_CHARS: usize = 5_000;

/// The sectors of critical infrastructure a practice concerns.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    Transport,
    Water,
    Food,
    Health,
    Energy,
    Finance,
    EmergencyServices,
    Ict,
    Government,
    Other,
}

impl Sector {
    pub const ALL: [Sector; 10] = [
        Sector::Transport,
        Sector::Water,
        Sector::Food,
        Sector::Health,
        Sector::Energy,
        Sector::Finance,
        Sector::EmergencyServices,
        Sector::Ict,
        Sector::Government,
        Sector::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Transport => "transport",
            Sector::Water => "water",
            Sector::Food => "food",
            Sector::Health => "health",
            Sector::Energy => "energy",
            Sector::Finance => "finance",
            Sector::EmergencyServices => "emergency_services",
            Sector::Ict => "ict",
            Sector::Government => "government",
            Sector::Other => "other",
        }
    }
}

named_in_text!(Sector by as_str, |text| -> String {
    format!("unknown sector '{text}': use transport, water, food, health, energy, finance, emergency_services, ict, government or other")
});

/// Sectors, each at most once, for `#[schema(schema_with)]`.
pub fn sector_list_schema() -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name("Sector"))
        .unique_items(true)
}

/// A submission as a client sends it (create and update).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionDraft {
    /// The entity the submission is for: a focal point's own (or absent);
    /// required when an editor records a submission.
    #[schema(value_type = Option<EntityCode>)]
    pub entity: Option<String>,
    /// `ar`, `zh`, `en`, `fr`, `ru` or `es`.
    #[schema(value_type = Language, example = "en")]
    pub language: String,
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    #[schema(max_length = 5000)]
    pub summary: Option<String>,
    /// 1 to 50 practices.
    #[serde(deserialize_with = "crate::json::objects")]
    #[schema(min_items = 1, max_items = 50)]
    pub practices: Vec<PracticeDraft>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeDraft {
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    /// Markdown.
    #[schema(min_length = 1, max_length = 100_000, pattern = r"\S")]
    pub body: String,
    /// Annex items 1 to 18, each at most once.
    #[serde(default, deserialize_with = "crate::json::integers")]
    #[schema(schema_with = crate::domain::annex::item_list_schema)]
    pub items: Vec<i64>,
    /// Each at most once.
    #[serde(default)]
    #[schema(schema_with = sector_list_schema)]
    pub sectors: Vec<String>,
    /// In a revision of an accepted submission: the id of the published
    /// practice this one corrects (as the revision was opened with). A
    /// practice without it is new; a published practice no practice
    /// replaces leaves the catalogue when the revision is accepted. On any
    /// other submission, or naming no published practice of the revised
    /// one, it is a 409.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")]
    pub replaces: Option<String>,
    /// The sender's own courtesy translations of the practice into other
    /// UN languages, one per language: once the practice is accepted,
    /// readers in those languages read it in them, told that the original
    /// is the authoritative text.
    #[serde(default, deserialize_with = "crate::json::objects")]
    #[schema(max_items = 5)]
    pub translations: Vec<TranslationDraft>,
}

/// A courtesy translation of a practice, as its sender wrote it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TranslationDraft {
    /// A UN language other than the submission's.
    #[schema(value_type = Language)]
    pub language: String,
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    /// Markdown.
    #[schema(min_length = 1, max_length = 100_000, pattern = r"\S")]
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidSubmission {
    pub entity: Option<EntityCode>,
    pub language: Language,
    pub title: String,
    pub summary: Option<String>,
    pub practices: Vec<ValidPractice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidPractice {
    pub title: String,
    pub body: String,
    /// Sorted, unique.
    pub items: Vec<AnnexItem>,
    /// Sorted, unique.
    pub sectors: Vec<Sector>,
    /// The published practice it corrects (revisions only; see
    /// [`revision::check_replaces`]).
    pub replaces: Option<String>,
    /// Its sender's translations, checked, one per language.
    pub translations: Vec<(Language, ValidText)>,
}

/// Checks every rule that needs no database; whether the entity exists is
/// the caller's to check.
pub fn validate(draft: SubmissionDraft) -> Result<ValidSubmission, Vec<FieldError>> {
    let mut errors = Vec::new();
    let entity = match draft.entity.as_deref().map(EntityCode::parse).transpose() {
        Ok(entity) => entity,
        Err(error) => {
            errors.push(FieldError::new("entity", error.to_string()));
            None
        }
    };
    let language = draft
        .language
        .parse::<Language>()
        .map_err(|e| errors.push(FieldError::new("language", e.to_string())))
        .ok();
    let title = text("title", &draft.title, MAX_TITLE_CHARS, &mut errors);
    let summary = draft
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.chars().count() > MAX_SUMMARY_CHARS {
                errors.push(FieldError::new(
                    "summary",
                    format!("at most {MAX_SUMMARY_CHARS} characters"),
                ));
            }
            text::multi_line("summary", s, &mut errors)
        });
    if draft.practices.is_empty() || draft.practices.len() > MAX_PRACTICES {
        errors.push(FieldError::new(
            "practices",
            format!(
                "a submission holds 1 to {MAX_PRACTICES} practices, not {}",
                draft.practices.len()
            ),
        ));
    }
    let practices: Vec<ValidPractice> = draft
        .practices
        .iter()
        .enumerate()
        .map(|(index, practice)| {
            let path = format!("practices[{index}]");
            ValidPractice {
                title: text(
                    &format!("{path}.title"),
                    &practice.title,
                    MAX_TITLE_CHARS,
                    &mut errors,
                ),
                body: body(&format!("{path}.body"), &practice.body, &mut errors),
                items: items(&format!("{path}.items"), &practice.items, &mut errors),
                sectors: sectors(&format!("{path}.sectors"), &practice.sectors, &mut errors),
                replaces: revision::practice_reference(
                    &format!("{path}.replaces"),
                    practice.replaces.as_deref(),
                    &mut errors,
                ),
                translations: translations(&path, language, &practice.translations, &mut errors),
            }
        })
        .collect();
    match (language, errors.is_empty()) {
        (Some(language), true) => Ok(ValidSubmission {
            entity,
            language,
            title,
            summary,
            practices,
        }),
        _ => Err(errors),
    }
}

/// A practice's translations (at `path`), each into another UN language
/// than `original` (when that one is known), one per language.
fn translations(
    path: &str,
    original: Option<Language>,
    sent: &[TranslationDraft],
    errors: &mut Vec<FieldError>,
) -> Vec<(Language, ValidText)> {
    let mut valid: Vec<(Language, ValidText)> = Vec::new();
    for (index, draft) in sent.iter().enumerate() {
        let at = format!("{path}.translations[{index}]");
        let language = match draft.language.parse::<Language>() {
            Ok(language) => language,
            Err(e) => {
                errors.push(FieldError::new(format!("{at}.language"), e.to_string()));
                continue;
            }
        };
        if valid.iter().any(|(l, _)| *l == language) {
            errors.push(FieldError::new(
                format!("{at}.language"),
                format!("a second translation into {language}: send one per language"),
            ));
            continue;
        }
        // The same-language rule needs the original's; without it (an
        // invalid language, reported already) the texts are still checked.
        let checked = translation::check(
            original.unwrap_or(language),
            language,
            &draft.title,
            &draft.body,
        );
        let checked = match (original, checked) {
            (None, Err(refused)) => Err(refused
                .into_iter()
                .filter(|e| e.field != "lang")
                .collect::<Vec<_>>()),
            (_, other) => other,
        };
        match checked {
            Ok(text) => valid.push((language, text)),
            Err(refused) => errors.extend(refused.into_iter().map(|e| {
                let field = if e.field == "lang" {
                    "language".to_owned()
                } else {
                    e.field
                };
                FieldError::new(format!("{at}.{field}"), e.message)
            })),
        }
    }
    valid
}

/// A required single-line text: trimmed, not empty, at most `max`
/// characters, one line without control characters.
pub fn text(field: &str, given: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    // Counted as sent, as the document's `maxLength` counts; kept trimmed.
    let value = given.trim();
    if value.is_empty() {
        errors.push(FieldError::new(field, "cannot be empty"));
    } else if given.chars().count() > max {
        errors.push(FieldError::new(field, format!("at most {max} characters")));
    }
    text::one_line(field, value, errors)
}

/// A required Markdown body: not blank, at most `MAX_BODY_CHARS`
/// (counted as JSON Schema's `maxLength` counts, so the document can say it).
pub fn body(field: &str, value: &str, errors: &mut Vec<FieldError>) -> String {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, "cannot be empty"));
    } else if value.chars().count() > MAX_BODY_CHARS {
        errors.push(FieldError::new(
            field,
            format!("at most {MAX_BODY_CHARS} characters"),
        ));
    }
    text::multi_line(field, value, errors)
}

/// Annex items: each 1 to 18, none twice; answered sorted.
pub fn items(field: &str, values: &[i64], errors: &mut Vec<FieldError>) -> Vec<AnnexItem> {
    let mut seen = BTreeSet::new();
    for (index, value) in values.iter().enumerate() {
        match u8::try_from(*value).ok().and_then(AnnexItem::new) {
            Some(item) if !seen.insert(item) => {
                errors.push(FieldError::new(
                    format!("{field}[{index}]"),
                    format!("item {value} is listed twice"),
                ));
            }
            Some(_) => {}
            None => errors.push(FieldError::new(
                format!("{field}[{index}]"),
                format!("annex item {value} does not exist: items are numbered 1 to 18"),
            )),
        }
    }
    seen.into_iter().collect()
}

/// Sectors from the contract's list, none twice; answered sorted.
pub fn sectors(field: &str, values: &[String], errors: &mut Vec<FieldError>) -> Vec<Sector> {
    let mut seen = BTreeSet::new();
    for (index, value) in values.iter().enumerate() {
        match value.parse::<Sector>() {
            Ok(sector) if !seen.insert(sector) => {
                errors.push(FieldError::new(
                    format!("{field}[{index}]"),
                    format!("sector {value} is listed twice"),
                ));
            }
            Ok(_) => {}
            Err(message) => errors.push(FieldError::new(format!("{field}[{index}]"), message)),
        }
    }
    seen.into_iter().collect()
}

/// An optional note or message: trimmed; empty counts as absent.
pub fn optional_note(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > MAX_NOTE_CHARS {
        errors.push(FieldError::new(
            field,
            format!("at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    Some(text::multi_line(field, value, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice(items: Vec<i64>, sectors: &[&str]) -> PracticeDraft {
        PracticeDraft {
            title: "National CSIRT".into(),
            body: "The national **CSIRT** coordinates incident response.".into(),
            items,
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            replaces: None,
            translations: Vec::new(),
        }
    }

    fn translation(language: &str, title: &str, body: &str) -> TranslationDraft {
        TranslationDraft {
            language: language.into(),
            title: title.into(),
            body: body.into(),
        }
    }

    #[test]
    fn a_practice_may_carry_its_senders_translations_one_per_other_language() {
        let mut with = practice(vec![11], &[]);
        with.translations = vec![
            translation("en", " National CSIRT ", "The team."),
            translation("es", "CSIRT nacional", "El equipo."),
        ];
        let valid = validate(draft(vec![with])).expect("valid");
        let languages: Vec<(Language, &str)> = valid.practices[0]
            .translations
            .iter()
            .map(|(l, t)| (*l, t.title.as_str()))
            .collect();
        assert_eq!(
            languages,
            [
                (Language::En, "National CSIRT"),
                (Language::Es, "CSIRT nacional")
            ]
        );

        let mut bad = practice(vec![11], &[]);
        bad.translations = vec![
            translation("fr", "Même langue", "Corps."),
            translation("de", "Deutsch", "Text."),
            translation("es", "Uno", "Texto."),
            translation("es", "Dos", "Texto."),
            translation("ru", "Строка\nразрыв", " "),
        ];
        assert_eq!(
            fields(validate(draft(vec![bad])).unwrap_err()),
            [
                "practices[0].translations[0].language",
                "practices[0].translations[1].language",
                "practices[0].translations[3].language",
                "practices[0].translations[4].title",
                "practices[0].translations[4].body"
            ]
        );
    }

    fn draft(practices: Vec<PracticeDraft>) -> SubmissionDraft {
        SubmissionDraft {
            entity: Some("FRA".into()),
            language: "fr".into(),
            title: "  Bonnes pratiques  ".into(),
            summary: Some("   ".into()),
            practices,
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_valid_draft_is_normalised() {
        let valid = validate(draft(vec![practice(vec![11, 10], &["ict", "government"])])).unwrap();
        assert_eq!(valid.language, Language::Fr);
        assert_eq!(valid.title, "Bonnes pratiques");
        assert_eq!(valid.summary, None, "a blank summary is no summary");
        let numbers: Vec<u8> = valid.practices[0]
            .items
            .iter()
            .map(|i| i.number())
            .collect();
        assert_eq!(numbers, [10, 11]);
        assert_eq!(
            valid.practices[0].sectors,
            [Sector::Ict, Sector::Government]
        );
    }

    #[test]
    fn every_broken_rule_is_reported_with_its_path() {
        let mut bad = draft(vec![
            practice(vec![0, 11, 11, 19], &["ict", "space", "ict"]),
            PracticeDraft {
                title: "t".repeat(301),
                body: " ".into(),
                items: vec![],
                sectors: vec![],
                replaces: Some("not an id".into()),
                translations: Vec::new(),
            },
        ]);
        bad.language = "de".into();
        bad.entity = Some("france".into());
        let errors = fields(validate(bad).unwrap_err());
        assert_eq!(
            errors,
            [
                "entity",
                "language",
                "practices[0].items[0]",
                "practices[0].items[2]",
                "practices[0].items[3]",
                "practices[0].sectors[1]",
                "practices[0].sectors[2]",
                "practices[1].title",
                "practices[1].body",
                "practices[1].replaces",
            ]
        );
    }

    #[test]
    fn a_submission_has_one_to_fifty_practices_and_bounded_bodies() {
        assert_eq!(fields(validate(draft(vec![])).unwrap_err()), ["practices"]);
        let many = (0..51).map(|_| practice(vec![1], &[])).collect();
        assert_eq!(fields(validate(draft(many)).unwrap_err()), ["practices"]);
        let mut big = practice(vec![1], &[]);
        big.body = "x".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            fields(validate(draft(vec![big])).unwrap_err()),
            ["practices[0].body"]
        );
        let mut fits = practice(vec![1], &[]);
        fits.body = "é".repeat(MAX_BODY_CHARS);
        assert!(validate(draft(vec![fits])).is_ok());
    }

    #[test]
    fn practices_may_wait_for_their_tags() {
        assert!(validate(draft(vec![practice(vec![], &[])])).is_ok());
    }
}

#[cfg(test)]
mod schema_tests {
    /// The document states the same shape the domain checks.
    #[test]
    fn the_documented_practice_id_pattern_is_the_one_checked() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(super::PracticeDraft::schema()).expect("a schema");
        assert_eq!(
            schema["properties"]["replaces"]["pattern"],
            super::revision::PRACTICE_ID_PATTERN
        );
    }
}
