//! A compilation as a document: HTML (standalone and print-ready, or the
//! content of a reader page), Word, Markdown and CSV, from its stored
//! entries.
//! The JSON form is the API's own view of it. Every renderer is a pure
//! function of the compilation and its entries: the same edition renders to
//! the same bytes every time (no time of export, a stable order), so an
//! edition's exports can carry an ETag and be compared.

pub mod csv;
pub mod docx;
pub mod html;
pub mod markdown;

use std::collections::HashMap;

use crate::domain::annex::annex;
use crate::domain::compilation::Compilation;
use crate::domain::compilation::Entry;
use crate::domain::entities::names::name_in;
use crate::domain::translation::{Origin, Translation};
use crate::domain::Language;
use crate::i18n::{fill, labels, Labels};

/// An edition as read in one language: the labels, the entities' names and
/// the annex in it, and each entry in its courtesy translation into it
/// where the practice has one (else as written, said so by its language).
pub struct Reading<'a> {
    pub language: Language,
    pub labels: &'static Labels,
    translations: HashMap<&'a str, &'a Translation>,
}

/// An entry's text as a reading shows it.
pub struct Text<'a> {
    pub title: &'a str,
    /// Markdown.
    pub body: &'a str,
    /// The language of `title` and `body`.
    pub language: Language,
    /// Who translated it, when it is a courtesy translation.
    pub translated_by: Option<Origin>,
}

impl<'a> Reading<'a> {
    /// `translations` may hold any language's: those into `language` count.
    pub fn new(language: Language, translations: &'a [Translation]) -> Reading<'a> {
        Reading {
            language,
            labels: labels(language),
            translations: translations
                .iter()
                .filter(|t| t.language == language)
                .map(|t| (t.practice_id.as_str(), t))
                .collect(),
        }
    }

    /// The Secretariat's edition of record: English, the texts as written.
    pub fn english() -> Reading<'static> {
        Reading::new(Language::En, &[])
    }

    pub fn text<'e>(&'e self, entry: &'e Entry) -> Text<'e> {
        let source = &entry.source;
        match self.translations.get(source.practice_id.as_str()) {
            Some(t) if source.language != self.language => Text {
                title: &t.title,
                body: &t.body,
                language: t.language,
                translated_by: Some(t.origin),
            },
            _ => Text {
                title: &source.title,
                body: &source.body,
                language: source.language,
                translated_by: None,
            },
        }
    }

    /// The note a courtesy translation carries, naming the original's
    /// language.
    pub fn translation_note(&self, entry: &Entry) -> Option<String> {
        let l = self.labels;
        let note = match self.text(entry).translated_by? {
            Origin::Secretariat => &l.translation_by_secretariat,
            Origin::FocalPoint => &l.translation_by_focal_point,
        };
        Some(fill(
            note,
            &[("language", l.language(entry.source.language))],
        ))
    }

    /// The entity that shared an entry, named in the reading's language.
    pub fn entity_name<'e>(&self, entry: &'e Entry) -> &'e str {
        name_in(
            &entry.source.entity,
            &entry.source.entity_name,
            self.language,
        )
    }
}

/// The formats of `GET /api/v1/compilations/{id}/export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = ExportFormat, rename_all = "lowercase")]
pub enum Format {
    Json,
    Html,
    #[schema(rename = "md")]
    Markdown,
    Csv,
    Docx,
}

impl Format {
    pub fn parse(value: &str) -> Option<Format> {
        match value {
            "json" => Some(Format::Json),
            "html" => Some(Format::Html),
            "md" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Docx => "docx",
        }
    }
}

/// A file name for a download: `compilation-2027-1.md`, or the draft's id.
pub fn file_name(compilation: &Compilation, format: Format) -> String {
    let stem = match compilation.number {
        Some(number) => format!("compilation-{}-{}", number.year, number.rank),
        None => format!("compilation-draft-{}", compilation.id),
    };
    format!("{stem}.{}", format.extension())
}

pub fn day(time: &chrono::DateTime<chrono::Utc>) -> String {
    time.format("%Y-%m-%d").to_string()
}

/// "Edition 2027/1 · Published on 2027-01-05 · Practices: 12", or the
/// draft's equivalent.
pub fn status_line(l: &Labels, compilation: &Compilation) -> String {
    let count = fill(
        &l.entries_count,
        &[("count", &l.number(compilation.entries_count.max(0) as u64))],
    );
    match (compilation.number, compilation.published_at) {
        (Some(number), Some(at)) => format!(
            "{} · {} · {count}",
            fill(&l.edition_number, &[("number", &number.to_string())]),
            fill(&l.published_on, &[("date", &day(&at))]),
        ),
        _ => format!("{} · {count}", l.draft),
    }
}

/// Where an entry comes from, in a line.
pub fn citation(reading: &Reading<'_>, entry: &Entry) -> String {
    let l = reading.labels;
    let source = &entry.source;
    fill(
        &l.citation,
        &[
            ("entity", reading.entity_name(entry)),
            ("type", l.entity_type(source.entity_type)),
            ("submission", &source.submission_id),
            ("version", &source.submission_version.to_string()),
            ("received", &day(&source.received_at)),
            ("accepted", &day(&source.accepted_at)),
            ("language", l.language(source.language)),
        ],
    )
}

/// The entry's other annex items ("4. National strategy…"), if any.
pub fn other_items(l: &Labels, language: Language, entry: &Entry) -> Option<String> {
    let others: Vec<String> = entry
        .source
        .items
        .iter()
        .filter(|&&item| item != entry.item)
        .map(|&item| format!("{item}. {}", annex().item(item).title.get(language)))
        .collect();
    (!others.is_empty()).then(|| fill(&l.also_items, &[("items", &others.join("; "))]))
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small published edition for the renderers' tests.

    use chrono::{TimeZone, Utc};

    use crate::domain::annex::AnnexItem;
    use crate::domain::compilation::Compilation;
    use crate::domain::compilation::CompilationStatus;
    use crate::domain::compilation::{assemble, Candidate, EditionNumber, Entry, Scope};
    use crate::domain::entities::EntityType;
    use crate::domain::Language;

    pub fn edition() -> (Compilation, Vec<Entry>) {
        let at = Utc.with_ymd_and_hms(2027, 1, 5, 10, 0, 0).unwrap();
        let candidate =
            |id: &str, entity: &str, name: &str, items: &[u8], title: &str, body: &str| Candidate {
                practice_id: id.to_owned(),
                title: title.to_owned(),
                body: body.to_owned(),
                items: items.iter().filter_map(|&n| AnnexItem::new(n)).collect(),
                submission_id: format!("sub-{id}"),
                submission_version: 2,
                entity: entity.to_owned(),
                entity_name: name.to_owned(),
                entity_type: EntityType::MemberState,
                language: Language::En,
                received_at: at,
                accepted_at: at,
            };
        let assembly = assemble(
            vec![
                candidate(
                    "p2",
                    "KEN",
                    "Kenya",
                    &[11, 4],
                    "KE-CIRT <24/7>",
                    "# Duty\n\nA *national* team.\n\n<script>alert(1)</script>",
                ),
                candidate(
                    "p1",
                    "FRA",
                    "France",
                    &[13],
                    "=SUM(A1) \"law\"",
                    "Penal code, article 323-1.",
                ),
            ],
            &Scope::default(),
            &Default::default(),
        );
        let compilation = Compilation {
            id: "c1".to_owned(),
            status: CompilationStatus::Published,
            title: "First compilation".to_owned(),
            introduction: Some("Practices received in **2026**.".to_owned()),
            scope: Scope::default(),
            excluded: Default::default(),
            untagged: Vec::new(),
            entries_count: assembly.entries.len() as i64,
            version: 3,
            number: Some(EditionNumber {
                year: 2027,
                rank: 1,
            }),
            created_by: None,
            created_at: at,
            updated_at: at,
            assembled_at: at,
            published_at: Some(at),
            published_by: None,
            assembled_through: 0,
        };
        (compilation, assembly.entries)
    }
}
