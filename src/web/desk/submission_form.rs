//! The form of a submission, new or returned for changes: its title,
//! language and summary, then one block per practice (1 to 50) with the
//! annex items as boxes grouped by section, each with its summary, and the
//! sectors. Blocks are added and removed with buttons that post the form
//! back as it is, and the preview renders the Markdown on the server: the
//! form needs no script. Nothing is saved until "Save the draft".

use std::collections::HashMap;

use maud::{html, Markup, PreEscaped};

use super::form::Form;
use super::session::Desk;
use crate::domain::annex::{annex, AnnexItem};
use crate::domain::submission::{
    PracticeDraft, Sector, Submission, SubmissionDraft, TranslationDraft, MAX_PRACTICES,
};
use crate::domain::translation::Translation;
use crate::domain::Language;
use crate::error::FieldError;
use crate::i18n::{self, desk};
use crate::text::markdown;

/// What the person asked the form to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Save,
    Preview,
    AddPractice,
    RemovePractice(usize),
}

impl Command {
    fn of(form: &Form) -> Command {
        match form.get("action").unwrap_or("save") {
            "preview" => Command::Preview,
            "add" => Command::AddPractice,
            other => other
                .strip_prefix("remove-")
                .and_then(|n| n.parse().ok())
                .map_or(Command::Save, Command::RemovePractice),
        }
    }
}

/// One practice block of the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PracticeFields {
    pub title: String,
    /// Markdown, as typed.
    pub body: String,
    /// The ticked annex items and sectors.
    pub items: Vec<u8>,
    pub sectors: Vec<String>,
    /// In a revision: the published practice the block corrects (kept in
    /// a hidden field, so a removed block takes its reference with it).
    pub replaces: Option<String>,
    /// The sender's own translations: (language, title, body), those with
    /// any text, in the order of [`Language::ALL`].
    pub translations: Vec<(Language, String, String)>,
}

impl PracticeFields {
    fn translation(&self, language: Language) -> (&str, &str) {
        self.translations
            .iter()
            .find(|(l, _, _)| *l == language)
            .map_or(("", ""), |(_, title, body)| (title, body))
    }

    /// The error path of the translation into `language`: its place
    /// among those sent.
    fn translation_path(&self, index: usize, language: Language) -> Option<String> {
        let place = self
            .translations
            .iter()
            .position(|(l, _, _)| *l == language)?;
        Some(name(index, &format!("translations[{place}]")))
    }
}

/// The form's fields as typed, valid or not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    /// Asked of editors only: a focal point writes for its own entity.
    pub entity: String,
    pub language: String,
    pub title: String,
    pub summary: String,
    pub practices: Vec<PracticeFields>,
    /// The version being edited (none for a new submission).
    pub version: Option<i64>,
}

fn name(index: usize, field: &str) -> String {
    format!("practices[{index}].{field}")
}

fn id(index: usize, field: &str) -> String {
    format!("practices-{index}-{field}")
}

impl Fields {
    pub fn new(language: Language) -> Fields {
        Fields {
            language: language.code().to_owned(),
            practices: vec![PracticeFields::default()],
            ..Fields::default()
        }
    }

    pub fn of_submission(
        submission: &Submission,
        translated: &HashMap<String, Vec<Translation>>,
    ) -> Fields {
        Fields {
            entity: submission.entity.to_string(),
            language: submission.language.code().to_owned(),
            title: submission.title.clone(),
            summary: submission.summary.clone().unwrap_or_default(),
            practices: submission
                .practices
                .iter()
                .map(|p| PracticeFields {
                    title: p.title.clone(),
                    body: p.body.clone(),
                    items: p.items.iter().map(|i| i.number()).collect(),
                    sectors: p.sectors.iter().map(|s| s.as_str().to_owned()).collect(),
                    replaces: p.replaces.clone(),
                    translations: translated
                        .get(&p.id)
                        .into_iter()
                        .flatten()
                        .map(|t| (t.language, t.title.clone(), t.body.clone()))
                        .collect(),
                })
                .collect(),
            version: Some(submission.version),
        }
    }

    /// The fields of a posted form, with the command applied (a block
    /// added or removed).
    pub fn of_form(form: &Form) -> (Fields, Command) {
        let count = form
            .get("practices")
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, MAX_PRACTICES);
        let mut practices: Vec<PracticeFields> = (0..count)
            .map(|i| PracticeFields {
                title: form.text(&name(i, "title")),
                body: form.text(&name(i, "body")),
                items: form
                    .all(&name(i, "items"))
                    .filter_map(|v| v.parse().ok())
                    .collect(),
                sectors: form.all(&name(i, "sectors")).map(str::to_owned).collect(),
                replaces: form.get(&name(i, "replaces")).map(str::to_owned),
                translations: Language::ALL
                    .into_iter()
                    .map(|language| {
                        let field = |part: &str| {
                            form.text(&name(
                                i,
                                &format!("translations.{}.{part}", language.code()),
                            ))
                        };
                        (language, field("title"), field("body"))
                    })
                    .filter(|(_, title, body)| !title.trim().is_empty() || !body.trim().is_empty())
                    .collect(),
            })
            .collect();
        let command = Command::of(form);
        match command {
            Command::AddPractice if practices.len() < MAX_PRACTICES => {
                practices.push(PracticeFields::default())
            }
            Command::RemovePractice(i) if i < practices.len() && practices.len() > 1 => {
                practices.remove(i);
            }
            _ => {}
        }
        let fields = Fields {
            entity: form.text("entity").trim().to_owned(),
            language: form.text("language"),
            title: form.text("title"),
            summary: form.text("summary"),
            practices,
            version: form.get("version").and_then(|v| v.parse().ok()),
        };
        (fields, command)
    }

    /// The draft the use case validates, as the API would receive it.
    pub fn draft(&self, with_entity: bool) -> SubmissionDraft {
        SubmissionDraft {
            entity: (with_entity && !self.entity.is_empty()).then(|| self.entity.clone()),
            language: self.language.clone(),
            title: self.title.clone(),
            summary: Some(self.summary.clone()).filter(|s| !s.trim().is_empty()),
            practices: self
                .practices
                .iter()
                .map(|p| PracticeDraft {
                    title: p.title.clone(),
                    body: p.body.clone(),
                    items: p.items.iter().map(|&i| i64::from(i)).collect(),
                    sectors: p.sectors.clone(),
                    replaces: p.replaces.clone(),
                    translations: p
                        .translations
                        .iter()
                        .map(|(language, title, body)| TranslationDraft {
                            language: language.code().to_owned(),
                            title: title.clone(),
                            body: body.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// What the form shows besides the fields.
pub struct Shown<'a> {
    pub heading: &'a str,
    pub action: String,
    pub errors: &'a [FieldError],
    pub preview: bool,
    /// Editors record submissions for any entity; a focal point's is fixed.
    pub ask_entity: bool,
}

fn errors_of<'a>(
    errors: &'a [FieldError],
    field: &'a str,
) -> impl Iterator<Item = &'a FieldError> + 'a {
    errors.iter().filter(move |e| e.field == field)
}

/// The id a field's error message has, for `aria-describedby`.
fn error_id(field: &str) -> String {
    format!("error-{}", field.replace(['[', ']', '.'], "-"))
}

fn field_errors(errors: &[FieldError], field: &str) -> Markup {
    let mut found = errors_of(errors, field).peekable();
    html! {
        @if found.peek().is_some() {
            span.field-error id=(error_id(field)) {
                @for error in found { (error.message) " " }
            }
        }
    }
}

fn described_by(errors: &[FieldError], field: &str, hint: Option<&str>) -> Option<String> {
    let mut ids: Vec<String> = hint.map(str::to_owned).into_iter().collect();
    if errors_of(errors, field).next().is_some() {
        ids.push(error_id(field));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn practice_block(desk: &Desk, fields: &Fields, index: usize, shown: &Shown<'_>) -> Markup {
    let reader = &desk.reader;
    let language = reader.language;
    let d = desk::labels(language);
    let practice = &fields.practices[index];
    let errors = shown.errors;
    let annex = annex();
    let number = (index + 1).to_string();
    let heading = i18n::fill(&d.practice_heading, &[("number", &number)]);
    let hint_id = id(index, "body-hint");
    html! {
        fieldset.practice #(id(index, "block")) {
            legend { (heading) }
            @if let Some(replaced) = &practice.replaces {
                input type="hidden" name=(name(index, "replaces")) value=(replaced);
                p.hint { (d.corrects_published) }
                (field_errors(errors, &name(index, "replaces")))
            }
            p {
                label for=(id(index, "title")) { (d.field_practice_title) }
                input id=(id(index, "title")) name=(name(index, "title")) type="text" maxlength="300" required
                    value=(practice.title) aria-describedby=[described_by(errors, &name(index, "title"), None)];
                (field_errors(errors, &name(index, "title")))
            }
            p {
                label for=(id(index, "body")) { (d.field_body) }
                textarea id=(id(index, "body")) name=(name(index, "body")) rows="10" required
                    aria-describedby=[described_by(errors, &name(index, "body"), Some(&hint_id))] { (practice.body) }
                span.hint id=(hint_id) { (d.field_body_hint) }
                (field_errors(errors, &name(index, "body")))
            }
            @if shown.preview && !practice.body.trim().is_empty() {
                section.preview aria-label=(format!("{} — {heading}", d.preview_heading)) {
                    h2 { (d.preview_heading) }
                    div.body { (PreEscaped(markdown::to_safe_html(&practice.body, 4))) }
                }
            }
            fieldset.items {
                legend { (d.field_items) }
                (field_errors(errors, &name(index, "items")))
                @for section in &annex.sections {
                    div.annex-section {
                        p.section-title { (section.id) ". " (section.title.get(language)) }
                        @for item in &section.items {
                            @let n = item.number.number();
                            @let box_id = format!("{}-{n}", id(index, "item"));
                            div.choice {
                                input type="checkbox" id=(box_id) name=(name(index, "items")) value=(n)
                                    checked[practice.items.contains(&n)]
                                    aria-describedby=(format!("{box_id}-summary"));
                                label for=(box_id) { (n) ". " (item.title.get(language)) }
                                span.hint id=(format!("{box_id}-summary")) { (item.summary.get(language)) }
                            }
                        }
                    }
                }
            }
            fieldset.sectors {
                legend { (d.field_sectors) }
                (field_errors(errors, &name(index, "sectors")))
                @for sector in Sector::ALL {
                    @let box_id = format!("{}-{}", id(index, "sector"), sector.as_str());
                    div.choice {
                        input type="checkbox" id=(box_id) name=(name(index, "sectors")) value=(sector.as_str())
                            checked[practice.sectors.iter().any(|s| s == sector.as_str())];
                        label for=(box_id) { (d.sector(sector)) }
                    }
                }
            }
            (own_translations(desk, practice, index, errors))
            @if fields.practices.len() > 1 {
                p { button.secondary type="submit" name="action" value=(format!("remove-{index}")) formnovalidate {
                    (d.remove_practice) " (" (number) ")"
                } }
            }
        }
    }
}

/// The sender's own translations of a practice: a title and a text per UN
/// language, folded away until opened (or holding something).
fn own_translations(
    desk: &Desk,
    practice: &PracticeFields,
    index: usize,
    errors: &[FieldError],
) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let l = reader.labels;
    let open = !practice.translations.is_empty();
    html! {
        details.own-translations open[open] {
            summary { (d.own_translations_legend) }
            p.hint { (d.own_translations_hint) }
            @for language in Language::ALL {
                @let (title, body) = practice.translation(language);
                @let path = practice.translation_path(index, language);
                @let named = [("language", l.language(language))];
                @let field = |part: &str| name(index, &format!("translations.{}.{part}", language.code()));
                @let key = |part: &str| id(index, &format!("translation-{}-{part}", language.code()));
                @let dir = if language.is_right_to_left() { "rtl" } else { "ltr" };
                p {
                    label for=(key("title")) { (i18n::fill(&d.translation_title_field, &named)) }
                    input id=(key("title")) name=(field("title")) type="text" maxlength="300"
                        lang=(language.code()) dir=(dir) value=(title);
                    @if let Some(path) = &path {
                        (field_errors(errors, &format!("{path}.language")))
                        (field_errors(errors, &format!("{path}.title")))
                    }
                }
                p {
                    label for=(key("body")) { (i18n::fill(&d.translation_body_field, &named)) }
                    textarea id=(key("body")) name=(field("body")) rows="4"
                        lang=(language.code()) dir=(dir) { (body) }
                    @if let Some(path) = &path {
                        (field_errors(errors, &format!("{path}.body")))
                    }
                }
            }
        }
    }
}

pub fn render(desk: &Desk, fields: &Fields, shown: &Shown<'_>) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let errors = shown.errors;
    let field_label = |field: &str| -> String {
        match field {
            "entity" => d.field_entity.clone(),
            "language" => d.field_language.clone(),
            "title" => d.field_title.clone(),
            "summary" => d.field_summary.clone(),
            other => other.to_owned(),
        }
    };
    html! {
        h1 { (shown.heading) }
        @if !errors.is_empty() {
            section.form-errors role="alert" aria-labelledby="errors-heading" {
                h2 #errors-heading { (d.errors_heading) }
                ul {
                    @for error in errors {
                        li { (field_label(&error.field)) ": " (error.message) }
                    }
                }
            }
        }
        form.desk-form method="post" action=(shown.action) {
            // Enter in a text box saves, rather than pressing the first
            // button of the form (which may remove a practice).
            button type="submit" name="action" value="save" hidden { (d.save_button) }
            (super::frame::csrf_field(desk))
            input type="hidden" name="practices" value=(fields.practices.len());
            @if let Some(version) = fields.version {
                input type="hidden" name="version" value=(version);
            }
            @if shown.ask_entity {
                p {
                    label for="entity" { (d.field_entity) }
                    input #entity name="entity" type="text" required maxlength="10" value=(fields.entity)
                        aria-describedby=[described_by(errors, "entity", Some("entity-hint"))];
                    span.hint #entity-hint { (d.field_entity_hint) }
                    (field_errors(errors, "entity"))
                }
            }
            p {
                label for="language" { (d.field_language) }
                select #language name="language" {
                    @for language in Language::ALL {
                        option value=(language.code()) selected[fields.language == language.code()] {
                            (reader.labels.language(language))
                        }
                    }
                }
            }
            p {
                label for="title" { (d.field_title) }
                input #title name="title" type="text" maxlength="300" required value=(fields.title)
                    aria-describedby=[described_by(errors, "title", None)];
                (field_errors(errors, "title"))
            }
            p {
                label for="summary" { (d.field_summary) }
                textarea #summary name="summary" rows="3" aria-describedby=[described_by(errors, "summary", None)] { (fields.summary) }
                (field_errors(errors, "summary"))
            }
            (field_errors(errors, "practices"))
            @for index in 0..fields.practices.len() {
                (practice_block(desk, fields, index, shown))
            }
            p.actions {
                @if fields.practices.len() < MAX_PRACTICES {
                    button.secondary type="submit" name="action" value="add" formnovalidate { (d.add_practice) }
                }
                button.secondary type="submit" name="action" value="preview" formnovalidate { (d.preview_button) }
                button type="submit" name="action" value="save" { (d.save_button) }
            }
        }
    }
}

/// The annex items a practice was given, for lists on other pages.
pub fn item_numbers(items: &[AnnexItem]) -> String {
    items
        .iter()
        .map(|i| i.number().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_every_block_and_applies_its_command() {
        let form = Form::parse(
            b"practices=2&title=T&language=fr&practices%5B0%5D.title=A&practices%5B0%5D.items=4\
              &practices%5B0%5D.items=11&practices%5B1%5D.title=B&practices%5B1%5D.sectors=energy&action=remove-0",
        );
        let (fields, command) = Fields::of_form(&form);
        assert_eq!(command, Command::RemovePractice(0));
        assert_eq!(fields.practices.len(), 1);
        assert_eq!(fields.practices[0].title, "B");
        assert_eq!(fields.practices[0].sectors, ["energy"]);

        // A revision's block takes the practice it corrects with it.
        let (fields, _) = Fields::of_form(&Form::parse(
            b"practices=2&practices%5B0%5D.replaces=p0&practices%5B1%5D.replaces=p1&action=remove-0",
        ));
        assert_eq!(fields.practices[0].replaces.as_deref(), Some("p1"));
        assert_eq!(
            fields.draft(false).practices[0].replaces.as_deref(),
            Some("p1")
        );

        let (fields, command) = Fields::of_form(&Form::parse(
            b"practices=1&practices%5B0%5D.items=4&practices%5B0%5D.items=11&action=add",
        ));
        assert_eq!(command, Command::AddPractice);
        assert_eq!(fields.practices.len(), 2);
        assert_eq!(fields.practices[0].items, [4, 11]);
        let draft = fields.draft(false);
        assert_eq!(draft.practices[0].items, [4, 11]);
        assert!(draft.entity.is_none());
    }

    #[test]
    fn a_form_cannot_ask_for_more_than_fifty_blocks_or_none() {
        let (fields, _) = Fields::of_form(&Form::parse(b"practices=100000&action=add"));
        assert_eq!(fields.practices.len(), MAX_PRACTICES);
        let (fields, _) = Fields::of_form(&Form::parse(b"practices=1&action=remove-0"));
        assert_eq!(fields.practices.len(), 1);
        let (fields, command) = Fields::of_form(&Form::parse(b"practices=x&action=whatever"));
        assert_eq!((fields.practices.len(), command), (1, Command::Save));
    }
}
