//! Word documents (`.docx`, Office Open XML), which the Secretariat and
//! the ministries edit before a text becomes an official document: A4 with
//! page numbers, Word's own built-in styles (Title, Subtitle, Heading
//! 1–3, so that a template restyles a whole document at once), a table
//! of contents field Word fills in, Markdown bodies as Word paragraphs,
//! and Arabic paragraphs right to left. The compilation's and the
//! self-assessment's documents are written with it.

use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, InstrText, InstrToC, PageMargin,
    PageNum, Paragraph, Run, RunFonts, Style, StyleType,
};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::domain::Language;

/// Why a document could not be written (the package, in memory).
#[derive(Debug, thiserror::Error)]
#[error("the Word document could not be written: {0}")]
pub struct WordError(String);

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

/// A document being written, a paragraph at a time. Each paragraph gets
/// the next id of this document: docx-rs would draw ids from a counter of
/// the thread, so the same text would come out with other ids, other bytes
/// and another ETag from one export to the next.
pub struct Word {
    docx: Docx,
    next_id: u32,
}

impl Default for Word {
    fn default() -> Self {
        Word::new()
    }
}

impl Word {
    /// An empty A4 document with page numbers and the styles.
    pub fn new() -> Word {
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
        Word {
            docx: styles(docx),
            next_id: 0,
        }
    }

    /// Adds a paragraph in `language` (right to left in Arabic).
    pub fn push(&mut self, paragraph: Paragraph, language: Language) {
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

    pub fn styled(&mut self, style: &str, text: &str, language: Language) {
        self.push(
            Paragraph::new()
                .style(style)
                .add_run(Run::new().add_text(text)),
            language,
        );
    }

    pub fn italic(&mut self, text: &str, language: Language) {
        self.push(
            Paragraph::new().add_run(Run::new().add_text(text).italic()),
            language,
        );
    }

    /// A focal point's Markdown as Word paragraphs: emphasis kept, headings
    /// inside a body made bold paragraphs (not Word headings, which would
    /// enter the table of contents), list items bulleted, raw HTML as the
    /// text it is.
    pub fn markdown(&mut self, body: &str, language: Language) {
        let mut paragraph: Option<Paragraph> = None;
        let (mut bold, mut italic, mut code) = (0u32, 0u32, false);
        let mut depth = 0usize;
        let flush = |writer: &mut Word, paragraph: &mut Option<Paragraph>| {
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

    /// A paragraph in bold.
    pub fn bold(&mut self, text: &str, language: Language) {
        self.push(
            Paragraph::new().add_run(Run::new().add_text(text).bold()),
            language,
        );
    }

    /// What follows starts a new page.
    pub fn page_break(&mut self, language: Language) {
        self.push(
            Paragraph::new().add_run(Run::new().add_break(BreakType::Page)),
            language,
        );
    }

    /// A heading 1 at the top of a new page.
    pub fn chapter(&mut self, text: &str, language: Language) {
        self.push(
            Paragraph::new()
                .style("Heading1")
                .page_break_before(true)
                .add_run(Run::new().add_text(text)),
            language,
        );
    }

    /// The table of contents under its label: a field Word fills in from
    /// headings 1 and 2, marked dirty so that Word offers to update it on
    /// opening (until then it shows the label).
    pub fn contents(&mut self, label: &str, language: Language) {
        self.styled("Normal", label, language);
        let field = InstrToC::new().heading_styles_range(1, 2).hyperlink();
        self.push(
            Paragraph::new()
                .add_run(Run::new().add_field_char(FieldCharType::Begin, true))
                .add_run(Run::new().add_instr_text(InstrText::TOC(field)))
                .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
                .add_run(Run::new().add_text(label))
                .add_run(Run::new().add_field_char(FieldCharType::End, false)),
            language,
        );
    }

    /// The document as the bytes of a `.docx` file.
    pub fn finish(self) -> Result<Vec<u8>, WordError> {
        let mut bytes =
            std::io::Cursor::new(Vec::with_capacity(self.next_id as usize * 512 + 16_384));
        self.docx
            .build()
            .pack(&mut bytes)
            .map_err(|e| WordError(e.to_string()))?;
        Ok(bytes.into_inner())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The XML of a part of the package (parts are stored, not
    /// compressed, so their XML is in the bytes).
    pub fn part(bytes: &[u8], name: &str) -> String {
        let text = String::from_utf8_lossy(bytes);
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

    fn sample(language: Language) -> Vec<u8> {
        let mut word = Word::new();
        word.styled("Title", "A <title>", language);
        word.contents("Contents", language);
        word.chapter("A. Section", language);
        word.markdown(
            "# Duty\n\nA *national* **team**.\n\n- one\n- two\n\n<script>x</script>",
            language,
        );
        word.finish().expect("a docx")
    }

    #[test]
    fn a4_word_styles_a_contents_field_and_page_numbers() {
        let bytes = sample(Language::En);
        assert!(bytes.starts_with(b"PK"));
        let doc = part(&bytes, "document");
        assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#));
        assert!(doc.contains("TOC \\o &quot;1-2&quot;") || doc.contains("TOC \\o \"1-2\""));
        assert!(doc.contains("A &lt;title&gt;"));
        assert!(doc.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(doc.contains("• "));
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
    fn the_same_text_gives_the_same_bytes() {
        assert!(sample(Language::Fr) == sample(Language::Fr));
    }

    #[test]
    fn arabic_runs_right_to_left() {
        assert!(part(&sample(Language::Ar), "document").contains("<w:bidi />"));
        assert!(!part(&sample(Language::En), "document").contains("<w:bidi />"));
    }
}
