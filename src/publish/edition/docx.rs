//! A compilation as a Word document: a title page, the table of contents,
//! the sections (Heading 1), items (Heading 2) with the annex's text, and
//! each entry (Heading 3) with its citation, translator's note, body and
//! other items. The page, the styles and the bodies are `publish::word`'s.

use super::{citation, other_items, status_line, Reading};
use crate::domain::annex::annex;
use crate::domain::compilation::Compilation;
use crate::domain::compilation::{grouped, Entry};
use crate::publish::word::{Word, WordError};

/// The whole compilation as the bytes of a `.docx` file, in the reading's
/// language. The same edition gives the same bytes (no time of export).
pub fn document(
    reading: &Reading<'_>,
    compilation: &Compilation,
    entries: &[Entry],
) -> Result<Vec<u8>, WordError> {
    let (l, language) = (reading.labels, reading.language);
    let annex = annex();
    let groups = grouped(entries);
    let mut writer = Word::new();

    writer.styled("Title", &compilation.title, language);
    writer.styled("Subtitle", &l.site_tagline, language);
    writer.styled("Normal", &status_line(l, compilation), language);
    writer.page_break(language);
    writer.contents(&l.contents, language);
    if let Some(introduction) = &compilation.introduction {
        writer.styled("Heading1", &l.introduction, language);
        writer.markdown(introduction, language);
    }
    for (section, items) in &groups {
        let heading = format!("{section}. {}", annex.section(*section).title.get(language));
        writer.chapter(&heading, language);
        for (item, listed) in items {
            let text = annex.item(*item);
            writer.styled(
                "Heading2",
                &format!("{item}. {}", text.title.get(language)),
                language,
            );
            writer.italic(text.summary.get(language), language);
            for entry in listed {
                let shown = reading.text(entry);
                writer.styled("Heading3", shown.title, shown.language);
                writer.italic(&citation(reading, entry), language);
                if let Some(note) = reading.translation_note(entry) {
                    writer.italic(&note, language);
                }
                writer.markdown(shown.body, shown.language);
                if let Some(others) = other_items(l, language, entry) {
                    writer.italic(&others, language);
                }
            }
        }
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;
    use crate::publish::edition::fixture;
    use crate::publish::word::tests::part;

    #[test]
    fn sections_items_and_entries_are_headings_one_to_three() {
        let (compilation, entries) = fixture::edition();
        let bytes = document(&Reading::english(), &compilation, &entries).expect("a docx");
        let doc = part(&bytes, "document");
        let at = |text: &str| doc.find(text).unwrap_or_else(|| panic!("{text}"));
        assert!(at("First compilation") < at("Heading1"));
        assert!(doc.contains("KE-CIRT &lt;24/7&gt;"));
        assert!(doc.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(at("A. Taking stock") < at("4. National strategy"));
        assert!(at("4. National strategy") < at("KE-CIRT"));
        assert!(at("KE-CIRT") < at("F. Legal frameworks"));
    }

    #[test]
    fn the_same_edition_gives_the_same_bytes() {
        let (compilation, entries) = fixture::edition();
        let once = document(&Reading::english(), &compilation, &entries).expect("a docx");
        let again = document(&Reading::english(), &compilation, &entries).expect("a docx");
        assert!(once == again);
        let arabic = document(&Reading::new(Language::Ar, &[]), &compilation, &entries);
        assert!(arabic.is_ok_and(|bytes| part(&bytes, "document").contains("<w:bidi />")));
    }
}
