//! The self-assessment's form: the eighteen items of the annex grouped by
//! its seven sections, each under its full text in the reader's language,
//! with the State's answer as fields. What a form posts is read back into
//! the same drafts the API takes, so the two doors share one set of rules.

use maud::{html, Markup, PreEscaped};

use super::form::Form;
use super::frame::{csrf_field, errors_list};
use super::session::Desk;
use crate::domain::annex::{annex, full_text, AnnexItem, SectionId};
use crate::domain::assessment::{Answer, AnswerDraft, AnswerStatus, EvidenceLink};
use crate::error::FieldError;
use crate::i18n::desk;
use crate::text::markdown;

/// One item's fields as typed: kept as text, so that a refused form is
/// shown again exactly as it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFields {
    pub item: AnnexItem,
    pub status: String,
    pub narrative: String,
    /// One link per line.
    pub evidence: String,
    /// Empty, or 1 to 5.
    pub maturity: String,
}

impl ItemFields {
    pub fn of_answer(answer: &Answer) -> ItemFields {
        ItemFields {
            item: answer.item,
            status: answer.status.as_str().to_owned(),
            narrative: answer.narrative.clone(),
            evidence: answer.evidence.join("\n"),
            maturity: answer.maturity.map(|m| m.to_string()).unwrap_or_default(),
        }
    }

    /// The item's fields in a posted form (missing ones empty).
    pub fn of_form(form: &Form, item: AnnexItem) -> ItemFields {
        let field = |name: &str| form.text(&format!("answers.{}.{name}", item.number()));
        ItemFields {
            item,
            status: field("status"),
            narrative: field("narrative"),
            evidence: field("evidence"),
            maturity: field("maturity"),
        }
    }

    /// As the API's draft: evidence one link a line, blank lines dropped;
    /// a maturity that is no number is kept as an impossible one, so that
    /// the rules name it.
    pub fn draft(&self) -> AnswerDraft {
        let evidence = self
            .evidence
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| EvidenceLink(line.to_owned()))
            .collect();
        let maturity = match self.maturity.trim() {
            "" => None,
            text => Some(text.parse::<i64>().unwrap_or(0)),
        };
        AnswerDraft {
            item: i64::from(self.item.number()),
            status: self.status.clone(),
            narrative: Some(self.narrative.clone()),
            evidence: Some(evidence),
            maturity,
        }
    }
}

/// A posted form: every item's fields to show again, in annex order, and
/// the items it answered. An item whose fields the form did not send at
/// all stays as it is (`current`), as the API leaves out items not given.
pub struct Posted {
    pub fields: Vec<ItemFields>,
    pub sent: Vec<AnnexItem>,
}

impl Posted {
    pub fn of_form(form: &Form, current: &[Answer]) -> Posted {
        let mut fields = Vec::with_capacity(current.len());
        let mut sent = Vec::new();
        for answer in current {
            let prefix = format!("answers.{}.", answer.item.number());
            if form.names().any(|name| name.starts_with(&prefix)) {
                fields.push(ItemFields::of_form(form, answer.item));
                sent.push(answer.item);
            } else {
                fields.push(ItemFields::of_answer(answer));
            }
        }
        Posted { fields, sent }
    }

    /// The drafts of the items sent, in annex order.
    pub fn drafts(&self) -> Vec<AnswerDraft> {
        self.fields
            .iter()
            .filter(|f| self.sent.contains(&f.item))
            .map(ItemFields::draft)
            .collect()
    }

    /// A rule's field path (`answers[3].evidence[0]`, an index into
    /// [`Posted::drafts`]) as the reader's words: the item's number and
    /// title.
    pub fn readable(
        &self,
        errors: Vec<FieldError>,
        language: crate::domain::Language,
    ) -> Vec<FieldError> {
        errors
            .into_iter()
            .map(|e| {
                let place = e
                    .field
                    .strip_prefix("answers[")
                    .and_then(|rest| rest.split_once(']'))
                    .and_then(|(n, rest)| Some((*self.sent.get(n.parse::<usize>().ok()?)?, rest)));
                match place {
                    Some((item, rest)) => {
                        let title = annex().item(item).title.get(language);
                        let rest = rest.trim_start_matches('.');
                        FieldError::new(format!("{item}. {title} ({rest})"), e.message)
                    }
                    None => e,
                }
            })
            .collect()
    }
}

/// What the form page is showing.
pub struct Shown<'a> {
    pub id: &'a str,
    pub version: i64,
    pub fields: &'a [ItemFields],
    pub errors: &'a [FieldError],
    /// The items whose saved answer has a narrative: they may become a
    /// draft submission.
    pub may_draft: &'a [AnnexItem],
}

fn status_choice(desk: &Desk, fields: &ItemFields) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let n = fields.item.number();
    html! {
        fieldset.statuses {
            legend { (d.answer_status_legend) }
            @for status in AnswerStatus::ALL {
                @let id = format!("answers-{n}-status-{}", status.as_str());
                div.choice {
                    input type="radio" id=(id) name=(format!("answers.{n}.status")) value=(status.as_str())
                        checked[fields.status == status.as_str()];
                    label for=(id) { (reader.labels.answer_status(status)) }
                }
            }
        }
    }
}

fn maturity_choice(desk: &Desk, fields: &ItemFields) -> Markup {
    let d = desk::labels(desk.reader.language);
    let n = fields.item.number();
    let id = format!("answers-{n}-maturity");
    let levels = [
        ("", &d.maturity_none),
        ("1", &d.maturity_1),
        ("2", &d.maturity_2),
        ("3", &d.maturity_3),
        ("4", &d.maturity_4),
        ("5", &d.maturity_5),
    ];
    html! {
        p {
            label for=(id) { (d.field_maturity) }
            select id=(id) name=(format!("answers.{n}.maturity")) {
                @for (value, name) in levels {
                    option value=(value) selected[fields.maturity.trim() == value] { (name) }
                }
            }
        }
    }
}

fn item_block(desk: &Desk, fields: &ItemFields, may_draft: bool) -> Markup {
    let reader = &desk.reader;
    let language = reader.language;
    let d = desk::labels(language);
    let item = fields.item;
    let n = item.number();
    let heading_id = format!("item-{n}-heading");
    html! {
        section.assessment-item id=(format!("item-{n}")) aria-labelledby=(heading_id) {
            h3 id=(heading_id) { (n) ". " (annex().item(item).title.get(language)) }
            blockquote.annex-text {
                @for line in full_text().item(item).get(language).lines() { p { (line) } }
            }
            (status_choice(desk, fields))
            (maturity_choice(desk, fields))
            p {
                label for=(format!("answers-{n}-narrative")) { (d.field_narrative) }
                textarea id=(format!("answers-{n}-narrative")) name=(format!("answers.{n}.narrative")) rows="5"
                    aria-describedby=(format!("answers-{n}-narrative-hint")) { (fields.narrative) }
                span.hint id=(format!("answers-{n}-narrative-hint")) { (d.field_narrative_hint) }
            }
            p {
                label for=(format!("answers-{n}-evidence")) { (d.field_evidence) }
                textarea id=(format!("answers-{n}-evidence")) name=(format!("answers.{n}.evidence")) rows="2" dir="ltr"
                    aria-describedby=(format!("answers-{n}-evidence-hint")) { (fields.evidence) }
                span.hint id=(format!("answers-{n}-evidence-hint")) { (d.field_evidence_hint) }
            }
            @if may_draft {
                p { button.secondary type="submit" name="command" value=(format!("draft-{n}")) { (d.draft_from_item_button) } }
            }
        }
    }
}

/// The whole form: the annex's sections in order, a save button closing
/// each, so that a long form need not be scrolled to its end to be saved.
pub fn render(desk: &Desk, shown: &Shown<'_>) -> Markup {
    let reader = &desk.reader;
    let language = reader.language;
    let d = desk::labels(language);
    let text = full_text();
    let action = reader.link(&format!("/desk/assessments/{}", shown.id));
    html! {
        p { (d.assessment_form_intro) }
        (errors_list(shown.errors))
        form.desk-form.assessment-form method="post" action=(action) {
            (csrf_field(desk))
            input type="hidden" name="version" value=(shown.version);
            @for section in SectionId::ALL {
                @let heading_id = format!("section-{section}-heading");
                section aria-labelledby=(heading_id) {
                    h2 id=(heading_id) { (section) ". " (text.heading(section).get(language)) }
                    @for fields in shown.fields.iter().filter(|f| f.item.section() == section) {
                        (item_block(desk, fields, shown.may_draft.contains(&fields.item)))
                    }
                    p.actions { button type="submit" name="command" value="save" { (d.save_answers_button) } }
                }
            }
        }
    }
}

/// An answer as the Secretariat reads a shared assessment.
pub fn read_only(desk: &Desk, answers: &[Answer]) -> Markup {
    let reader = &desk.reader;
    let language = reader.language;
    let l = reader.labels;
    let d = desk::labels(language);
    let text = full_text();
    html! {
        @for section in SectionId::ALL {
            @let heading_id = format!("section-{section}-heading");
            section aria-labelledby=(heading_id) {
                h2 id=(heading_id) { (section) ". " (text.heading(section).get(language)) }
                @for answer in answers.iter().filter(|a| a.item.section() == section) {
                    @let n = answer.item.number();
                    section.assessment-item aria-labelledby=(format!("item-{n}-heading")) {
                        h3 id=(format!("item-{n}-heading")) { (n) ". " (annex().item(answer.item).title.get(language)) }
                        dl.facts {
                            dt { (l.assessment_status) } dd { (l.answer_status(answer.status)) }
                            @if let Some(level) = answer.maturity {
                                dt { (d.field_maturity) } dd { (level) " / 5" }
                            }
                        }
                        @if answer.narrative.trim().is_empty() {
                            p { em { (l.assessment_no_narrative) } }
                        } @else {
                            div.narrative { (PreEscaped(markdown::to_safe_html(&answer.narrative, 4))) }
                        }
                        @if !answer.evidence.is_empty() {
                            p { (l.assessment_evidence) }
                            ul { @for link in &answer.evidence { li { a href=(link) rel="nofollow noopener" dir="ltr" { (link) } } } }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    fn item(n: u8) -> AnnexItem {
        AnnexItem::new(n).unwrap()
    }

    #[test]
    fn a_posted_item_reads_back_as_the_apis_draft() {
        let form = Form::parse(
            b"answers.4.status=in_place&answers.4.narrative=A+law&answers.4.evidence=%0Ahttps://a.example/1%0D%0A++https://a.example/2++%0A&answers.4.maturity=3",
        );
        let draft = ItemFields::of_form(&form, item(4)).draft();
        assert_eq!(draft.item, 4);
        assert_eq!(draft.status, "in_place");
        assert_eq!(draft.narrative.as_deref(), Some("A law"));
        let links: Vec<String> = draft.evidence.unwrap().into_iter().map(|l| l.0).collect();
        assert_eq!(links, ["https://a.example/1", "https://a.example/2"]);
        assert_eq!(draft.maturity, Some(3));
        // Nothing chosen is no maturity; a word is an impossible one.
        let blank = ItemFields::of_form(&Form::parse(b"answers.4.maturity="), item(4));
        assert_eq!(blank.draft().maturity, None);
        let word = ItemFields::of_form(&Form::parse(b"answers.4.maturity=high"), item(4));
        assert_eq!(word.draft().maturity, Some(0));
    }

    #[test]
    fn an_answer_shown_and_posted_back_is_the_same_answer() {
        let answer = Answer {
            item: item(11),
            status: AnswerStatus::InProgress,
            narrative: "A *team*.".to_owned(),
            evidence: vec![
                "https://a.example".to_owned(),
                "http://b.example/x".to_owned(),
            ],
            maturity: Some(2),
        };
        let fields = ItemFields::of_answer(&answer);
        let valid = crate::domain::assessment::validate_answers(&[fields.draft()]).unwrap();
        assert_eq!(valid, [answer]);
    }

    #[test]
    fn only_the_items_sent_are_answered_and_rule_paths_name_them() {
        let current: Vec<Answer> = AnnexItem::all().map(Answer::not_started).collect();
        let form =
            Form::parse(b"answers.11.status=in_place&answers.11.evidence=x&answers.12.narrative=y");
        let posted = Posted::of_form(&form, &current);
        assert_eq!(posted.fields.len(), 18);
        assert_eq!(posted.sent, [item(11), item(12)]);
        assert_eq!(posted.fields[0].status, "not_started", "kept as it is");
        assert_eq!(posted.drafts().len(), 2);
        let errors = posted.readable(
            vec![
                FieldError::new("answers[0].evidence[0]", "an http or https link"),
                FieldError::new("version", "stale"),
            ],
            Language::En,
        );
        assert!(errors[0].field.starts_with("11. "), "{}", errors[0].field);
        assert!(
            errors[0].field.ends_with("(evidence[0])"),
            "{}",
            errors[0].field
        );
        assert_eq!(errors[1].field, "version");
    }
}
