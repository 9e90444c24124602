//! A compilation as CSV: one row per entry, in the compilation's order,
//! with the annex item it stands under and its full source citation.

use super::{day, Reading};
use crate::domain::annex::annex;
use crate::domain::compilation::Entry;
use crate::publish::csv::{header, line};

pub const COLUMNS: [&str; 18] = [
    "position",
    "section",
    "item",
    "item_title",
    "practice_id",
    "title",
    "entity",
    "entity_name",
    "entity_type",
    "language",
    "submission_id",
    "submission_version",
    "received_at",
    "accepted_at",
    "items",
    "body",
    "edition",
    // The language of title and body when they are a courtesy translation.
    "translation",
];

/// The whole table, header first, in the reading's language; `edition` is
/// the number (or empty for a draft) repeated on each row, so rows keep
/// their edition when mixed.
pub fn document(reading: &Reading<'_>, edition: Option<String>, entries: &[Entry]) -> String {
    let edition = edition.unwrap_or_default();
    let mut out = String::with_capacity(entries.len() * 1200 + 256);
    header(COLUMNS, &mut out);
    for entry in entries {
        let source = &entry.source;
        let text = reading.text(entry);
        let items: Vec<String> = source.items.iter().map(ToString::to_string).collect();
        let cells = [
            entry.position.to_string(),
            entry.section().to_string(),
            entry.item.to_string(),
            annex()
                .item(entry.item)
                .title
                .get(reading.language)
                .to_owned(),
            source.practice_id.clone(),
            text.title.to_owned(),
            source.entity.clone(),
            reading.entity_name(entry).to_owned(),
            source.entity_type.as_str().to_owned(),
            source.language.code().to_owned(),
            source.submission_id.clone(),
            source.submission_version.to_string(),
            day(&source.received_at),
            day(&source.accepted_at),
            items.join(" "),
            text.body.to_owned(),
            edition.clone(),
            text.translated_by
                .map(|_| text.language.code().to_owned())
                .unwrap_or_default(),
        ];
        line(cells.iter().map(String::as_str), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::edition::fixture;

    #[test]
    fn one_row_per_entry_and_no_live_formula() {
        let (_, entries) = fixture::edition();
        let csv = document(&Reading::english(), Some("2027/1".to_owned()), &entries);
        let body = csv
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark first");
        let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines[0].starts_with("position,section,item,item_title,practice_id"));
        assert!(lines[1].starts_with("1,A,4,National strategy and its goals,p2,"));
        assert!(csv.contains("'=SUM(A1)"), "{csv}");
        assert!(csv.contains(",2027/1,\r\n"));
    }
}
