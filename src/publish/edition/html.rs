//! A compilation in HTML: its contents (introduction, table of contents,
//! then each section and item with the annex text above its entries), which
//! the reader site shows inside its frame, and a standalone document around
//! them: a title page and A4 print styles, to print or keep as a file.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{citation, day, other_items, status_line, Reading};
use crate::domain::annex::annex;
use crate::domain::compilation::Compilation;
use crate::domain::compilation::{grouped, Entry};
use crate::domain::Language;
use crate::i18n::fill;
use crate::text::markdown::to_safe_html;

/// How an entry's title links to the practice, if it does.
pub type PracticeLink<'a> = &'a dyn Fn(&Entry) -> Option<String>;

fn direction(language: Language) -> &'static str {
    if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    }
}

/// The contents of a compilation, headings from h2 down, in the reading's
/// language around the practices' own (or their translations into it).
pub fn contents(
    reading: &Reading<'_>,
    compilation: &Compilation,
    entries: &[Entry],
    link: PracticeLink<'_>,
) -> Markup {
    let (l, language) = (reading.labels, reading.language);
    let annex = annex();
    let groups = grouped(entries);
    html! {
        @if let Some(introduction) = &compilation.introduction {
            section.introduction aria-labelledby="introduction" {
                h2 #introduction { (l.introduction) }
                (PreEscaped(to_safe_html(introduction, 3)))
            }
        }
        nav.toc aria-labelledby="contents" {
            h2 #contents { (l.contents) }
            ol {
                @for (section, items) in &groups {
                    li {
                        a href=(format!("#section-{section}")) { (section) ". " (annex.section(*section).title.get(language)) }
                        ol {
                            @for (item, listed) in items {
                                li {
                                    a href=(format!("#item-{item}")) { (item) ". " (annex.item(*item).title.get(language)) }
                                    " (" (l.number(listed.len() as u64)) ")"
                                }
                            }
                        }
                    }
                }
            }
        }
        @for (section, items) in &groups {
            section.annex-section #(format!("section-{section}")) {
                h2 { (section) ". " (annex.section(*section).title.get(language)) }
                @for (item, listed) in items {
                    section.annex-item #(format!("item-{item}")) {
                        h3 { (item) ". " (annex.item(*item).title.get(language)) }
                        p.annex-text { (annex.item(*item).summary.get(language)) }
                        @for entry in listed {
                            @let text = reading.text(entry);
                            article.entry #(format!("practice-{}", entry.source.practice_id)) {
                                h4 lang=(text.language.code()) dir=(direction(text.language)) {
                                    @match link(entry) {
                                        Some(href) => a href=(href) { (text.title) },
                                        None => (text.title),
                                    }
                                }
                                p.citation { (citation(reading, entry)) }
                                @if let Some(note) = reading.translation_note(entry) {
                                    p.translation-note { (note) }
                                }
                                div.body lang=(text.language.code()) dir=(direction(text.language)) {
                                    (PreEscaped(to_safe_html(text.body, 5)))
                                }
                                @if let Some(others) = other_items(l, language, entry) {
                                    p.also { (others) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Print styles for A4: a title page, each section on a new page, headings
/// kept with what follows them.
const DOCUMENT_STYLE: &str = r#"
@page { size: A4; margin: 20mm 18mm 22mm; @bottom-center { content: counter(page); font-size: 9pt; color: #555; } }
:root { color: #111; background: #fff; }
body { font-family: "Noto Serif", "DejaVu Serif", "Liberation Serif", Georgia, serif; font-size: 11pt; line-height: 1.5; max-width: 170mm; margin: 0 auto; padding: 12mm 0; }
:lang(ar) { font-family: "Noto Naskh Arabic", "DejaVu Sans", serif; }
:lang(zh) { font-family: "Noto Serif CJK SC", "WenQuanYi Micro Hei", serif; }
h1, h2, h3, h4 { font-family: "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; line-height: 1.25; break-after: avoid; }
.title-page { min-height: 230mm; display: flex; flex-direction: column; justify-content: center; border-block-start: 6px solid #009edb; break-after: page; }
.title-page .issuer { text-transform: uppercase; letter-spacing: 0.08em; font-size: 10pt; color: #444; }
.title-page h1 { font-size: 24pt; margin: 6mm 0; color: #00476b; }
.title-page .tagline { font-size: 12pt; max-width: 140mm; }
.title-page .status { margin-top: 10mm; font-weight: bold; }
.toc { break-after: page; }
.toc ol { list-style: none; padding-inline-start: 0; }
.toc ol ol { padding-inline-start: 6mm; margin-bottom: 2mm; }
.toc a { color: inherit; text-decoration: none; }
.annex-section { break-before: page; }
.annex-section > h2 { font-size: 16pt; color: #00476b; border-block-end: 1px solid #999; padding-block-end: 2mm; }
.annex-item > h3 { font-size: 13pt; margin-top: 8mm; }
.annex-text { font-style: italic; color: #333; }
.entry { margin: 6mm 0; padding-inline-start: 4mm; border-inline-start: 2px solid #c9d6df; }
.entry h4 { font-size: 11.5pt; margin: 0 0 1mm; }
.entry h4 a { color: inherit; }
.citation, .also, .translation-note { font-size: 9pt; color: #444; margin: 1mm 0; }
.translation-note { font-style: italic; }
.body h5, .body h6 { font-size: 10.5pt; }
a { color: #00587f; }
@media screen { body { padding: 12mm 8mm; } }
"#;

/// A standalone, print-ready document of the compilation in the reading's
/// language (English, the Secretariat's edition of record, by default).
/// Titles link to the public catalogue, in that language.
pub fn document(
    reading: &Reading<'_>,
    compilation: &Compilation,
    entries: &[Entry],
    public_url: &str,
) -> String {
    let (l, language) = (reading.labels, reading.language);
    let base = public_url.trim_end_matches('/');
    let link = |entry: &Entry| {
        Some(format!(
            "{base}/practices/{}?lang={}",
            entry.source.practice_id,
            language.code()
        ))
    };
    let title = match compilation.number {
        Some(number) => format!(
            "{} ({})",
            compilation.title,
            fill(&l.edition_number, &[("number", &number.to_string())])
        ),
        None => compilation.title.clone(),
    };
    html! {
        (DOCTYPE)
        html lang=(language.code()) dir=(direction(language)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                @if let Some(at) = compilation.published_at {
                    meta name="dcterms.issued" content=(day(&at));
                }
                style { (PreEscaped(DOCUMENT_STYLE)) }
            }
            body {
                header.title-page {
                    p.issuer { (l.united_nations) " · " (l.site_name) }
                    h1 { (compilation.title) }
                    p.tagline { (l.site_tagline) }
                    p.status { (status_line(l, compilation)) }
                }
                main { (contents(reading, compilation, entries, &link)) }
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::translation::{Origin, Translation};
    use crate::publish::edition::fixture;

    #[test]
    fn the_document_has_a_title_page_contents_annex_text_and_citations() {
        let (compilation, entries) = fixture::edition();
        let html = document(
            &Reading::english(),
            &compilation,
            &entries,
            "https://compendium.example/",
        );
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\" dir=\"ltr\">"));
        assert!(html.contains("<title>First compilation (Edition 2027/1)</title>"));
        assert!(html.contains("Edition 2027/1 · Published on 2027-01-05 · Practices: 2"));
        assert!(html.contains("size: A4"));
        // Contents by section and item, then the annex text above the entries.
        let toc = html.find("id=\"contents\"").unwrap();
        let section_a = html.find("id=\"section-A\"").unwrap();
        let section_f = html.find("id=\"section-F\"").unwrap();
        assert!(toc < section_a && section_a < section_f);
        assert!(
            html.contains("<h3>4. National strategy and its goals</h3><p class=\"annex-text\">")
        );
        assert!(html.contains("Kenya (Member State) · submission sub-p2, version 2 · received 2027-01-05 · accepted 2027-01-05 · English"));
        assert!(html.contains("Also relevant to: 11. National computer incident response capacity"));
        assert!(html.contains("href=\"https://compendium.example/practices/p2?lang=en\""));
        // Bodies and titles are safe, headings below the entry's.
        assert!(html.contains("KE-CIRT &lt;24/7&gt;"));
        assert!(html.contains("<h5>Duty</h5>"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn rendering_twice_gives_the_same_bytes() {
        let (compilation, entries) = fixture::edition();
        let english = Reading::english();
        assert_eq!(
            document(&english, &compilation, &entries, "https://x"),
            document(&english, &compilation, &entries, "https://x")
        );
    }

    #[test]
    fn in_arabic_the_document_runs_right_to_left_with_each_entry_translated_where_it_can_be() {
        let (compilation, entries) = fixture::edition();
        let at = entries[0].source.accepted_at;
        let translation = Translation {
            practice_id: entries[0].source.practice_id.clone(),
            language: Language::Ar,
            title: "الفريق الوطني".to_owned(),
            body: "نص **مترجم**.".to_owned(),
            origin: Origin::Secretariat,
            updated_by: None,
            updated_at: at,
        };
        let translations = [translation];
        let reading = Reading::new(Language::Ar, &translations);
        let html = document(&reading, &compilation, &entries, "https://x");
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\">"));
        assert!(html.contains("الأمم المتحدة · "));
        assert!(html.contains("<h4 lang=\"ar\" dir=\"rtl\"><a href=\"https://x/practices/p2?lang=ar\">الفريق الوطني</a></h4>"), "{html}");
        assert!(html.contains("<strong>مترجم</strong>"));
        assert!(html.contains("ترجمة غير رسمية أعدتها الأمانة العامة"));
        // The other entry has no translation: as written, in its language.
        assert!(html.contains("<h4 lang=\"en\" dir=\"ltr\">"), "{html}");
        assert!(html.contains("كينيا"), "the State is named in Arabic");
    }
}
