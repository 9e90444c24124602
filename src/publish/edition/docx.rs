//! A compilation as a Word document (`.docx`, Office Open XML), because the
//! Secretariat edits its reports in Word before they become official
//! documents: a title page, a table of contents field Word fills in, the
//! sections (Heading 1), items (Heading 2) with the annex's text, and each
//! entry (Heading 3) with its citation and body, on A4 with page numbers.
//! Styles are Word's own built-in names (Title, Heading 1–3), so a
//! document template restyles the whole edition at once. Arabic paragraphs
//! run right to left.

use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, InstrText, InstrToC, PageMargin,
    PageNum, Paragraph, Run, RunFonts, Style, StyleType,
};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{citation, other_items, status_line, Reading};
use crate::domain::annex::annex;
use crate::domain::compilation::Compilation;
use crate::domain::compilation::{grouped, Entry};
use crate::domain::Language;
use crate::error::AppError;

/// A4 in twentieths of a point (210 × 297 mm).
const A4: (u32, u32) = (11_906, 16_838);
/// 2 cm margins, 1.25 cm to the header and footer.
const MARGIN: i32 = 1_134;
const HEADER_FOOTER: i32 = 709;

/// Word's built-in styles by id, with the names Word and python-docx know
/// them by, their outline level (what the table of contents gathers) and
/// size in half-points.
const HEADINGS: [(&str, &str, usize, usize); 3] = [
    ("Heading1", "heading 1", 0, 32),
    ("Heading2", "heading 2", 1, 28),
    ("Heading3", "heading 3", 2, 24),
];

fn styles(docx: Docx) -> Docx {
    let mut docx = docx
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .size(22),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .size(52)
                .bold(),
        )
        .add_style(
            Style::new("Subtitle", StyleType::Paragraph)
                .name("Subtitle")
                .based_on("Normal")
                .next("Normal")
                .size(28)
                .italic(),
        );
    for (id, name, level, size) in HEADINGS {
        docx = docx.add_style(
            Style::new(id, StyleType::Paragraph)
                .name(name)
                .based_on("Normal")
                .next("Normal")
                .outline_lvl(level)
                .size(size)
                .bold(),
        );
    }
    docx
}

/// Writes paragraphs, each with the next id: docx-rs would draw ids from
/// a counter of the thread, so the same edition would come out with other
/// ids, other bytes and another ETag, from one export to the next.
struct Writer {
    docx: Docx,
    next_id: u32,
}

impl Writer {
    /// Adds a paragraph in `language` (right to left in Arabic).
    fn push(&mut self, paragraph: Paragraph, language: Language) {
        self.next_id += 1;
        let mut paragraph = paragraph.id(format!("{:08X}", self.next_id));
        // Named, not left to a default: readers differ on the default.
        if paragraph.property.style.is_none() {
            paragraph = paragraph.style("Normal");
        }
        let paragraph = if language.is_right_to_left() {
            let mut paragraph = paragraph;
            paragraph.property = paragraph.property.bidi(true);
            paragraph
        } else {
            paragraph
        };
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(paragraph);
    }

    fn styled(&mut self, style: &str, text: &str, language: Language) {
        self.push(
            Paragraph::new()
                .style(style)
                .add_run(Run::new().add_text(text)),
            language,
        );
    }

    fn italic(&mut self, text: &str, language: Language) {
        self.push(
            Paragraph::new().add_run(Run::new().add_text(text).italic()),
            language,
        );
    }

    /// A focal point's Markdown as Word paragraphs: emphasis kept, headings
    /// inside a body made bold paragraphs (not Word headings, which would
    /// enter the table of contents), list items bulleted, raw HTML as the
    /// text it is.
    fn markdown(&mut self, body: &str, language: Language) {
        let mut paragraph: Option<Paragraph> = None;
        let (mut bold, mut italic, mut code) = (0u32, 0u32, false);
        let mut depth = 0usize;
        let flush = |writer: &mut Writer, paragraph: &mut Option<Paragraph>| {
            if let Some(done) = paragraph.take() {
                writer.push(done, language);
            }
        };
        for event in Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
            match event {
                Event::Start(Tag::Heading { .. }) => bold += 1,
                Event::End(TagEnd::Heading(_)) => {
                    bold = bold.saturating_sub(1);
                    flush(self, &mut paragraph);
                }
                Event::Start(Tag::Strong) => bold += 1,
                Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
                Event::Start(Tag::Emphasis) => italic += 1,
                Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
                Event::Start(Tag::List(_)) => depth += 1,
                Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
                Event::Start(Tag::Item) => {
                    flush(self, &mut paragraph);
                    let indent = 360 * depth.max(1) as i32;
                    paragraph = Some(
                        Paragraph::new()
                            .indent(Some(indent), None, None, None)
                            .add_run(Run::new().add_text("• ")),
                    );
                }
                Event::Start(Tag::CodeBlock(_)) => code = true,
                Event::End(TagEnd::CodeBlock) => {
                    code = false;
                    flush(self, &mut paragraph);
                }
                Event::End(
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::TableRow,
                ) => flush(self, &mut paragraph),
                Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                    let mut run = Run::new().add_text(text.trim_end_matches('\n'));
                    if bold > 0 {
                        run = run.bold();
                    }
                    if italic > 0 {
                        run = run.italic();
                    }
                    if code {
                        run =
                            run.fonts(RunFonts::new().ascii("Courier New").hi_ansi("Courier New"));
                    }
                    paragraph = Some(paragraph.take().unwrap_or_default().add_run(run));
                }
                Event::Code(text) => {
                    let run = Run::new()
                        .add_text(text.as_ref())
                        .fonts(RunFonts::new().ascii("Courier New").hi_ansi("Courier New"));
                    paragraph = Some(paragraph.take().unwrap_or_default().add_run(run));
                }
                Event::SoftBreak => {
                    paragraph = Some(
                        paragraph
                            .take()
                            .unwrap_or_default()
                            .add_run(Run::new().add_text(" ")),
                    );
                }
                Event::HardBreak => {
                    paragraph = Some(
                        paragraph
                            .take()
                            .unwrap_or_default()
                            .add_run(Run::new().add_break(BreakType::TextWrapping)),
                    );
                }
                Event::End(TagEnd::TableCell) => {
                    paragraph = Some(
                        paragraph
                            .take()
                            .unwrap_or_default()
                            .add_run(Run::new().add_text(" | ")),
                    );
                }
                _ => {}
            }
        }
        flush(self, &mut paragraph);
    }
}

/// The whole compilation as the bytes of a `.docx` file, in the reading's
/// language. The same edition gives the same bytes (no time of export).
pub fn document(
    reading: &Reading<'_>,
    compilation: &Compilation,
    entries: &[Entry],
) -> Result<Vec<u8>, AppError> {
    let (l, language) = (reading.labels, reading.language);
    let annex = annex();
    let groups = grouped(entries);
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .id("7FFFFFFF")
            .align(AlignmentType::Center)
            .add_page_num(PageNum::new()),
    );
    let docx = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(HEADER_FOOTER)
                .footer(HEADER_FOOTER),
        )
        .footer(footer);
    let mut writer = Writer {
        docx: styles(docx),
        next_id: 0,
    };

    writer.styled("Title", &compilation.title, language);
    writer.styled("Subtitle", &l.site_tagline, language);
    writer.styled("Normal", &status_line(l, compilation), language);
    writer.push(
        Paragraph::new().add_run(Run::new().add_break(BreakType::Page)),
        language,
    );
    // A field Word fills in from the headings (sections and items, not
    // every entry), marked dirty so that Word offers to update it on
    // opening; until then it shows the label.
    writer.styled("Normal", &l.contents, language);
    let field = InstrToC::new().heading_styles_range(1, 2).hyperlink();
    writer.push(
        Paragraph::new()
            .add_run(Run::new().add_field_char(FieldCharType::Begin, true))
            .add_run(Run::new().add_instr_text(InstrText::TOC(field)))
            .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
            .add_run(Run::new().add_text(l.contents.as_str()))
            .add_run(Run::new().add_field_char(FieldCharType::End, false)),
        language,
    );
    if let Some(introduction) = &compilation.introduction {
        writer.styled("Heading1", &l.introduction, language);
        writer.markdown(introduction, language);
    }
    for (section, items) in &groups {
        let heading = format!("{section}. {}", annex.section(*section).title.get(language));
        writer.push(
            Paragraph::new()
                .style("Heading1")
                .page_break_before(true)
                .add_run(Run::new().add_text(heading)),
            language,
        );
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
    let mut bytes = std::io::Cursor::new(Vec::with_capacity(entries.len() * 2048 + 16_384));
    writer
        .docx
        .build()
        .pack(&mut bytes)
        .map_err(AppError::internal)?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::edition::fixture;

    /// The text of a part of the package.
    fn part(bytes: &[u8], name: &str) -> String {
        let text = String::from_utf8_lossy(bytes);
        // Parts are stored, not compressed: their XML is in the bytes.
        let marker = match name {
            "document" => "<w:document",
            "styles" => "<w:styles",
            _ => "<w:ftr",
        };
        let start = text
            .find(marker)
            .unwrap_or_else(|| panic!("{name} is in the package"));
        text[start..].to_owned()
    }

    #[test]
    fn the_document_has_word_styles_a4_and_page_numbers() {
        let (compilation, entries) = fixture::edition();
        let bytes = document(&Reading::english(), &compilation, &entries).expect("a docx");
        assert!(bytes.starts_with(b"PK"));
        let doc = part(&bytes, "document");
        assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#));
        assert!(doc.contains("TOC \\o &quot;1-2&quot;") || doc.contains("TOC \\o \"1-2\""));
        assert!(doc.contains("KE-CIRT &lt;24/7&gt;"));
        assert!(doc.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let styles = part(&bytes, "styles");
        for name in ["Title", "heading 1", "heading 2", "heading 3"] {
            assert!(
                styles.contains(&format!(r#"<w:name w:val="{name}" />"#)),
                "{name}"
            );
        }
        assert!(part(&bytes, "footer").contains("PAGE"));
    }

    #[test]
    fn the_same_edition_gives_the_same_bytes() {
        let (compilation, entries) = fixture::edition();
        let once = document(&Reading::english(), &compilation, &entries).expect("a docx");
        let again = document(&Reading::english(), &compilation, &entries).expect("a docx");
        assert!(once == again);
    }

    #[test]
    fn arabic_runs_right_to_left() {
        let (compilation, entries) = fixture::edition();
        let bytes =
            document(&Reading::new(Language::Ar, &[]), &compilation, &entries).expect("a docx");
        assert!(part(&bytes, "document").contains("<w:bidi />"));
        let english = document(&Reading::english(), &compilation, &entries).expect("a docx");
        assert!(!part(&english, "document").contains("<w:bidi />"));
    }
}
