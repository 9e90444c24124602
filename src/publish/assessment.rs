//! A self-assessment as a document, in its own language: the annex's full
//! text item by item, grouped by section, each with the State's answer
//! (status, maturity, narrative, evidence). Markdown to edit, a Word
//! document to edit in Word, and a standalone print-ready HTML page to
//! keep or circulate.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::annex::{annex, full_text, SectionId};
use crate::domain::assessment::{Answer, Assessment, AssessmentStatus};
use crate::domain::entities::names::name_in;
use crate::i18n::{fill, labels, Labels};
use crate::publish::word::{Word, WordError};
use crate::text::markdown::to_safe_html;

/// "Kenya: self-assessment 2026", the State named in the document's language.
fn heading(l: &Labels, assessment: &Assessment, entity_name: &str) -> String {
    let entity = assessment.entity.as_str();
    fill(
        &l.assessment_heading,
        &[
            ("entity", name_in(entity, entity_name, assessment.language)),
            ("year", &assessment.year.to_string()),
        ],
    )
}

/// Where an assessment stands, as a line: a draft, or completed on a day.
pub fn state_line(
    l: &Labels,
    status: AssessmentStatus,
    completed_at: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    match (status, completed_at) {
        (AssessmentStatus::Completed, Some(at)) => fill(
            &l.assessment_completed,
            &[("date", &at.format("%Y-%m-%d").to_string())],
        ),
        _ => l.assessment_draft.clone(),
    }
}

fn standing(l: &Labels, answer: &Answer) -> String {
    let mut line = format!(
        "{}: {}",
        l.assessment_status,
        l.answer_status(answer.status)
    );
    if let Some(level) = answer.maturity {
        line.push_str(" · ");
        line.push_str(&fill(
            &l.assessment_maturity,
            &[("level", &level.to_string())],
        ));
    }
    line
}

/// The assessment in Markdown.
pub fn markdown(assessment: &Assessment, entity_name: &str) -> String {
    let language = assessment.language;
    let l = labels(language);
    let text = full_text();
    let mut out = format!(
        "# {}\n\n{}\n\n_{}_\n",
        heading(l, assessment, entity_name),
        text.title.get(language),
        state_line(l, assessment.status, assessment.completed_at)
    );
    for section in SectionId::ALL {
        out.push_str(&format!(
            "\n## {section}. {}\n",
            text.heading(section).get(language)
        ));
        for answer in assessment
            .answers
            .iter()
            .filter(|a| a.item.section() == section)
        {
            let item = answer.item;
            out.push_str(&format!(
                "\n### {item}. {}\n\n",
                annex().item(item).title.get(language)
            ));
            for line in text.item(item).get(language).lines() {
                out.push_str(&format!("> {line}\n"));
            }
            out.push_str(&format!("\n**{}**\n\n", standing(l, answer)));
            match answer.narrative.trim() {
                "" => out.push_str(&format!("_{}_\n", l.assessment_no_narrative)),
                narrative => {
                    out.push_str(narrative);
                    out.push('\n');
                }
            }
            if !answer.evidence.is_empty() {
                out.push_str(&format!("\n{}\n\n", l.assessment_evidence));
                for link in &answer.evidence {
                    out.push_str(&format!("- <{link}>\n"));
                }
            }
        }
    }
    out
}

/// The assessment as a Word document: a title page, the table of
/// contents, each section (Heading 1) on a new page, each item (Heading 2)
/// with the annex's text, the State's standing, narrative and evidence.
pub fn docx(assessment: &Assessment, entity_name: &str) -> Result<Vec<u8>, WordError> {
    let language = assessment.language;
    let l = labels(language);
    let text = full_text();
    let mut word = Word::new();
    word.styled("Title", &heading(l, assessment, entity_name), language);
    word.styled("Subtitle", text.title.get(language), language);
    word.styled(
        "Normal",
        &state_line(l, assessment.status, assessment.completed_at),
        language,
    );
    word.page_break(language);
    word.contents(&l.contents, language);
    for section in SectionId::ALL {
        word.chapter(
            &format!("{section}. {}", text.heading(section).get(language)),
            language,
        );
        for answer in assessment
            .answers
            .iter()
            .filter(|a| a.item.section() == section)
        {
            let item = answer.item;
            word.styled(
                "Heading2",
                &format!("{item}. {}", annex().item(item).title.get(language)),
                language,
            );
            for line in text.item(item).get(language).lines() {
                word.italic(line, language);
            }
            word.bold(&standing(l, answer), language);
            match answer.narrative.trim() {
                "" => word.italic(&l.assessment_no_narrative, language),
                narrative => word.markdown(narrative, language),
            }
            if !answer.evidence.is_empty() {
                word.styled("Normal", &l.assessment_evidence, language);
                for link in &answer.evidence {
                    word.styled("Normal", &format!("• {link}"), language);
                }
            }
        }
    }
    word.finish()
}

const STYLE: &str = r#"
@page { size: A4; margin: 20mm 18mm 22mm; @bottom-center { content: counter(page); font-size: 9pt; color: #555; } }
body { font-family: "Noto Serif", "DejaVu Serif", Georgia, serif; font-size: 11pt; line-height: 1.5; max-width: 170mm; margin: 0 auto; padding: 12mm 0; color: #111; }
:lang(ar) { font-family: "Noto Naskh Arabic", "DejaVu Sans", serif; }
:lang(zh) { font-family: "Noto Serif CJK SC", "WenQuanYi Micro Hei", serif; }
h1, h2, h3 { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; line-height: 1.25; break-after: avoid; }
h1 { color: #00476b; border-block-start: 6px solid #009edb; padding-block-start: 4mm; }
h2 { color: #00476b; border-block-end: 1px solid #999; margin-top: 10mm; }
.annex-text { font-style: italic; color: #333; white-space: pre-line; }
.standing { font-weight: bold; }
.answer { break-inside: avoid-page; }
@media screen { body { padding: 12mm 8mm; } }
"#;

fn answer_html(l: &Labels, answer: &Answer) -> Markup {
    html! {
        p.standing { (standing(l, answer)) }
        @match answer.narrative.trim() {
            "" => p { em { (l.assessment_no_narrative) } },
            narrative => div.narrative { (PreEscaped(to_safe_html(narrative, 4))) },
        }
        @if !answer.evidence.is_empty() {
            p { (l.assessment_evidence) }
            ul {
                @for link in &answer.evidence {
                    li { a href=(link) { (link) } }
                }
            }
        }
    }
}

/// The assessment as a standalone, print-ready HTML document.
pub fn html(assessment: &Assessment, entity_name: &str) -> String {
    let language = assessment.language;
    let l = labels(language);
    let text = full_text();
    let direction = if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let title = heading(l, assessment, entity_name);
    html! {
        (DOCTYPE)
        html lang=(language.code()) dir=(direction) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    p { (text.title.get(language)) }
                    p { (state_line(l, assessment.status, assessment.completed_at)) }
                }
                main {
                    @for section in SectionId::ALL {
                        section aria-labelledby=(format!("section-{section}")) {
                            h2 #(format!("section-{section}")) { (section) ". " (text.heading(section).get(language)) }
                            @for answer in assessment.answers.iter().filter(|a| a.item.section() == section) {
                                article.answer aria-labelledby=(format!("item-{}", answer.item)) {
                                    h3 #(format!("item-{}", answer.item)) {
                                        (answer.item) ". " (annex().item(answer.item).title.get(language))
                                    }
                                    p.annex-text { (text.item(answer.item).get(language)) }
                                    (answer_html(l, answer))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::domain::annex::AnnexItem;
    use crate::domain::assessment::AnswerStatus;
    use crate::domain::entities::EntityCode;
    use crate::domain::Language;

    fn assessment(language: Language) -> Assessment {
        let at = DateTime::from_timestamp(1_790_000_000, 0).expect("a time");
        let mut a = Assessment::new(
            "a1".into(),
            EntityCode::parse("KEN").expect("a code"),
            2026,
            language,
            None,
            None,
            at,
        );
        a.answer(
            vec![Answer {
                status: AnswerStatus::InPlace,
                narrative: "KE-CIRT/CC <b>coordinates</b> the response.".into(),
                evidence: vec!["https://www.ke-cirt.go.ke/".into()],
                maturity: Some(4),
                ..Answer::not_started(AnnexItem::new(11).expect("an item"))
            }],
            at,
        );
        a
    }

    #[test]
    fn markdown_follows_the_annex_with_each_answer() {
        let md = markdown(&assessment(Language::En), "Kenya");
        assert!(md.starts_with("# Self-assessment: Kenya, 2026\n"));
        let section_e = md.find("\n## E. ").expect("section E");
        let eleven = md.find("\n### 11. ").expect("item 11");
        assert!(section_e < eleven);
        assert!(md
            .contains("> Separately, identify national-level computer incident response capacity"));
        assert!(md.contains("**Status: In place · Maturity: 4 of 5**"));
        assert!(md.contains("- <https://www.ke-cirt.go.ke/>"));
        assert_eq!(md.matches("\n### ").count(), 18);
        assert_eq!(md.matches("_No narrative yet._").count(), 17);
    }

    #[test]
    fn html_is_standalone_escaped_and_right_to_left_in_arabic() {
        let page = html(&assessment(Language::Ar), "كينيا");
        assert!(page.starts_with("<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\">"));
        assert_eq!(page.matches("<h3 ").count(), 18);
        assert!(page.contains("href=\"https://www.ke-cirt.go.ke/\""));
        assert!(
            !page.contains("<b>coordinates</b>"),
            "the narrative is sanitized"
        );
        let english = html(&assessment(Language::En), "Kenya");
        assert!(english.contains("Status: In place · Maturity: 4 of 5"));
    }

    #[test]
    fn word_has_every_item_under_its_section_right_to_left_in_arabic() {
        use crate::publish::word::tests::part;
        let bytes = docx(&assessment(Language::En), "Kenya").expect("a docx");
        let doc = part(&bytes, "document");
        assert_eq!(doc.matches(r#"<w:pStyle w:val="Heading2" />"#).count(), 18);
        assert_eq!(doc.matches(r#"<w:pStyle w:val="Heading1" />"#).count(), 7);
        assert!(doc.contains("Status: In place · Maturity: 4 of 5"));
        assert!(doc.contains("• https://www.ke-cirt.go.ke/"));
        // Raw HTML in a narrative is text, never markup.
        assert!(doc.contains("&lt;b&gt;") && doc.contains("coordinates"));
        let arabic = docx(&assessment(Language::Ar), "كينيا").expect("a docx");
        assert!(part(&arabic, "document").contains("<w:bidi />"));
    }
}
