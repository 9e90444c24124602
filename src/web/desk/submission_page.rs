//! `/desk/submissions/{id}`: a submission as the people who handle it see
//! it: the Secretariat's message on top when it asks for changes, the
//! practices rendered with the items chosen and those suggested (and why),
//! for an editor the changes since the version last submitted, one form
//! per move this person may make now, the versions and the history.

use actix_web::{web, HttpResponse};
use maud::{html, Markup, PreEscaped};

use super::diff_page;
use super::failure::{Failure, OrPage};
use super::form::Form;
use super::frame::{self, csrf_field, Place};
use super::session::{Desk, Posted};
use super::translations;
use crate::auth::{authorize_submission, submission_guard, SubmissionAction};
use crate::domain::annex::annex;
use crate::domain::clock;
use crate::domain::diff::VersionDiff;
use crate::domain::entities::names::name_in;
use crate::domain::history::{previously_submitted, Event, VersionInfo};
use crate::domain::submission::{optional_note, Practice, Submission};
use crate::domain::workflow::{Move, Status};
use crate::error::{AppError, FieldError};
use crate::i18n::{self, desk};
use crate::service::revisions;
use crate::service::submissions::{self as intake, MoveRequest};
use crate::service::translations as translation_service;
use crate::text::markdown;

/// Everything the page shows, read in one go.
struct Loaded {
    submission: Submission,
    entity_name: String,
    versions: Vec<VersionInfo>,
    events: Vec<Event>,
    since_submitted: Option<VersionDiff>,
    /// The revision of this (accepted) submission in the workflow, if any.
    open_revision: Option<String>,
    /// For an editor of an accepted submission: its practices' courtesy
    /// translations.
    translations: Option<translations::ByPractice>,
}

fn when(t: &chrono::DateTime<chrono::Utc>) -> Markup {
    html! { time dir="ltr" datetime=(t.to_rfc3339()) { (t.format("%Y-%m-%d %H:%M UTC")) } }
}

/// An editor's form for the annex items of an accepted practice.
fn retag_form(desk: &Desk, practice: &Practice, index: usize, version: i64) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let annex = annex();
    html! {
        form.desk-form.retag method="post" action=(reader.link(&format!("/desk/practices/{}/items", practice.id))) {
            (csrf_field(desk))
            input type="hidden" name="version" value=(version);
            fieldset {
                legend { (d.retag_heading) }
                @for section in &annex.sections {
                    @for item in &section.items {
                        @let n = item.number.number();
                        @let id = format!("retag-{index}-{n}");
                        div.choice {
                            input type="checkbox" id=(id) name="items" value=(n) checked[practice.items.contains(&item.number)];
                            label for=(id) { (n) ". " (item.title.get(reader.language)) }
                        }
                    }
                }
            }
            p { button type="submit" { (d.retag_button) } }
        }
    }
}

fn practice_view(
    desk: &Desk,
    practice: &Practice,
    index: usize,
    language: crate::domain::Language,
    // The submission's version, when this person may re-tag the practice.
    retag_at: Option<i64>,
    // Its translations, when this person may translate it.
    translated: Option<&translations::ByPractice>,
) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let annex = annex();
    let direction = if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let number = (index + 1).to_string();
    html! {
        article.practice-card aria-labelledby=(format!("practice-{index}")) {
            h3 id=(format!("practice-{index}")) {
                (i18n::fill(&d.practice_heading, &[("number", &number)])) ": "
                span lang=(language.code()) dir=(direction) { (practice.title) }
            }
            div.body lang=(language.code()) dir=(direction) {
                (PreEscaped(markdown::to_safe_html(&practice.body, 4)))
            }
            dl.facts {
                dt { (d.items_label) }
                dd {
                    @if practice.items.is_empty() { (d.no_items) }
                    ul.inline {
                        @for item in &practice.items {
                            li { (item.number()) ". " (annex.item(*item).title.get(reader.language)) }
                        }
                    }
                }
                dt { (d.sectors_label) }
                dd {
                    @if practice.sectors.is_empty() { (d.no_items) }
                    ul.inline {
                        @for sector in &practice.sectors { li { (d.sector(*sector)) } }
                    }
                }
            }
            @if let Some(version) = retag_at {
                (retag_form(desk, practice, index, version))
            }
            @if let Some(translated) = translated {
                (translations::links(desk, practice, language, translated.get(&practice.id).map_or(&[][..], Vec::as_slice)))
            }
            @if !practice.suggested.is_empty() {
                section.suggested aria-label=(format!("{} — {number}", d.suggested_heading)) {
                    h4 { (d.suggested_heading) }
                    ul {
                        @for suggestion in &practice.suggested {
                            @if let Some(item) = crate::domain::annex::AnnexItem::new(suggestion.item) {
                                li {
                                    strong { (suggestion.item) ". " (annex.item(item).title.get(reader.language)) }
                                    @if practice.items.contains(&item) { " ✓" }
                                    @if !suggestion.reasons.is_empty() {
                                        " — " span.reasons lang=(language.code()) {
                                            (i18n::fill(&d.suggested_reason, &[("words", &suggestion.reasons.join(", "))]))
                                        }
                                    }
                                    @if !suggestion.concepts.is_empty() {
                                        " — " span.concepts {
                                            (i18n::fill(&d.suggested_concepts, &[("concepts", &concept_labels(suggestion, reader.language))]))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How a move's form asks for it: the last part of its path, its button,
/// whether it is a secondary choice, and the text it takes (the field the
/// use case reads, its label, its height, whether it is required).
struct MoveForm<'a> {
    path: &'static str,
    button: &'a str,
    secondary: bool,
    text: Option<(&'static str, &'a str, u8, bool)>,
}

fn move_form(d: &desk::DeskLabels, m: Move) -> Option<MoveForm<'_>> {
    let (path, button, secondary, text) = match m {
        Move::Edit => return None,
        Move::Submit => ("submit", &d.submit_button, false, None),
        Move::Withdraw => ("withdraw", &d.withdraw_button, true, None),
        Move::RequestChanges => (
            "request-changes",
            &d.request_changes_button,
            false,
            Some(("message", d.request_changes_message.as_str(), 4, true)),
        ),
        Move::Accept => (
            "accept",
            &d.accept_button,
            false,
            Some(("note", d.accept_note.as_str(), 2, false)),
        ),
        Move::Reject => (
            "reject",
            &d.reject_button,
            true,
            Some(("reason", d.reject_reason.as_str(), 3, true)),
        ),
    };
    Some(MoveForm {
        path,
        button,
        secondary,
        text,
    })
}

/// One form per move this person may make now.
fn moves(desk: &Desk, submission: &Submission) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let caller = desk.caller();
    let allowed: Vec<Move> = submission
        .status
        .allowed_moves()
        .into_iter()
        .filter(|m| {
            authorize_submission(
                &caller,
                SubmissionAction::for_move(*m),
                &submission.entity,
                &submission.id,
            )
            .is_ok()
        })
        .collect();
    let page = format!("/desk/submissions/{}", submission.id);
    html! {
        @if !allowed.is_empty() {
            section.moves aria-labelledby="moves-heading" {
                h2 #moves-heading { (d.actions_heading) }
                @for m in &allowed {
                    @if let Some(form) = move_form(d, *m) {
                        form method="post" action=(reader.link(&format!("{page}/{}", form.path))) {
                            (csrf_field(desk))
                            input type="hidden" name="version" value=(submission.version);
                            @if let Some((field, label, rows, required)) = form.text {
                                p {
                                    label for=(field) { (label) }
                                    textarea id=(field) name=(field) rows=(rows) required[required] {}
                                }
                            }
                            button.secondary[form.secondary] type="submit" { (form.button) }
                        }
                    } @else {
                        p { a.button href=(reader.link(&format!("{page}/edit"))) { (d.edit_link) } }
                    }
                }
            }
        }
    }
}

/// Where a revision stands with the accepted submission it corrects: on a
/// revision, which one it revises; on an accepted submission, the revision
/// in progress or, for those who handle it, the form that opens one.
fn revision(desk: &Desk, loaded: &Loaded) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let s = &loaded.submission;
    let handles =
        authorize_submission(&desk.caller(), SubmissionAction::Handle, &s.entity, &s.id).is_ok();
    let may_open = s.status == Status::Accepted && s.revises.is_none() && handles;
    html! {
        @if let Some(original) = &s.revises {
            p.notice {
                (d.revision_of_note) " "
                a href=(reader.link(&format!("/desk/submissions/{original}"))) { (d.revision_of_link) }
            }
        }
        @if let Some(open) = &loaded.open_revision {
            p.notice {
                (d.revision_open_note) " "
                a href=(reader.link(&format!("/desk/submissions/{open}"))) { (d.revision_open_link) }
            }
        } @else if may_open {
            form method="post" action=(reader.link(&format!("/desk/submissions/{}/revise", s.id))) {
                (csrf_field(desk))
                input type="hidden" name="version" value=(s.version);
                button.secondary type="submit" { (d.revise_button) }
            }
        }
    }
}

fn history(desk: &Desk, loaded: &Loaded) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let id = &loaded.submission.id;
    let last = loaded.versions.last().map_or(1, |v| v.version);
    html! {
        section aria-labelledby="versions-heading" {
            h2 #versions-heading { (d.versions_heading) }
            ol.versions {
                @for v in &loaded.versions {
                    li {
                        (v.version) " · "
                        (v.status.parse::<Status>().map_or(v.status.as_str(), |s| d.status(s))) " · "
                        (when(&v.saved_at))
                        @if v.version > 1 {
                            " · " a href=(reader.link_with(&format!("/desk/submissions/{id}/diff"), &[("from", &(v.version - 1).to_string()), ("to", &v.version.to_string())])) {
                                (i18n::fill(&d.diff_title, &[("from", &(v.version - 1).to_string()), ("to", &v.version.to_string())]))
                            }
                        }
                    }
                }
            }
            @if last > 1 {
                form.compare method="get" action=(format!("/desk/submissions/{id}/diff")) {
                    input type="hidden" name="lang" value=(reader.language.code());
                    h3 { (d.compare_heading) }
                    label for="compare-from" { (d.compare_from) }
                    select #compare-from name="from" {
                        @for v in &loaded.versions { option value=(v.version) selected[v.version == last - 1] { (v.version) } }
                    }
                    label for="compare-to" { (d.compare_to) }
                    select #compare-to name="to" {
                        @for v in &loaded.versions { option value=(v.version) selected[v.version == last] { (v.version) } }
                    }
                    button.secondary type="submit" { (d.compare_button) }
                }
            }
        }
        section aria-labelledby="events-heading" {
            h2 #events-heading { (d.events_heading) }
            ol.events {
                @for event in &loaded.events {
                    li {
                        @let who = if event.actor == "command line" { d.event_by_command_line.clone() } else { event.actor.clone() };
                        @let at = event.at.format("%Y-%m-%d %H:%M UTC").to_string();
                        (i18n::fill(&d.event_line, &[("when", &at), ("who", &who), ("action", d.action(&event.action))]))
                        @if let Some(message) = &event.message { blockquote { (message) } }
                    }
                }
            }
        }
    }
}

fn render(desk: &Desk, loaded: &Loaded, saved: Option<i64>, retagged: bool) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let s = &loaded.submission;
    let direction = if s.language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let retaggable = s.status == Status::Accepted && desk.user.role.is_editor();
    html! {
        p.back { a href=(reader.link("/desk")) { "← " (d.nav_dashboard) } }
        h1 lang=(s.language.code()) dir=(direction) { (s.title) }
        @if let Some(version) = saved {
            p.notice role="status" { (i18n::fill(&d.saved_notice, &[("version", &version.to_string())])) }
        }
        @if retagged {
            p.notice role="status" { (d.retag_saved) }
        }
        @if reader.param("translated").is_some() {
            p.notice role="status" { (d.translation_saved) }
        }
        @if reader.param("untranslated").is_some() {
            p.notice role="status" { (d.translation_removed) }
        }
        @if s.status == Status::ChangesRequested {
            @if let Some(message) = &s.editor_message {
                section.editor-message aria-labelledby="editor-message-heading" {
                    h2 #editor-message-heading { (d.editor_message_heading) }
                    p { (message) }
                }
            }
        }
        @if s.status.is_final() {
            @if let Some(note) = &s.decision_note {
                section.editor-message aria-labelledby="decision-heading" {
                    h2 #decision-heading { (d.decision_note_heading) }
                    p { (note) }
                }
            }
        }
        dl.facts {
            dt { (d.status_label) }
            dd { span.status data-status=(s.status.as_str()) { (d.status(s.status)) } }
            dt { (d.version_label) }
            dd { (s.version) }
            dt { (d.entity_label) }
            dd { (name_in(s.entity.as_str(), &loaded.entity_name, reader.language)) }
            dt { (d.column_language) }
            dd { (reader.labels.language(s.language)) }
        }
        @if let Some(summary) = &s.summary { p.summary lang=(s.language.code()) dir=(direction) { (summary) } }
        (moves(desk, s))
        (revision(desk, loaded))
        @if let Some(diff) = &loaded.since_submitted {
            section.since aria-labelledby="since-heading" {
                h2 #since-heading { (d.diff_since_submitted) " (" (diff.from) " → " (diff.to) ")" }
                (diff_page::changes(d, &diff.changes))
            }
        }
        section aria-labelledby="practices-heading" {
            h2 #practices-heading { (d.practices_heading) }
            @for (index, practice) in s.practices.iter().enumerate() {
                (practice_view(desk, practice, index, s.language, retaggable.then_some(s.version), loaded.translations.as_ref()))
            }
        }
        (history(desk, loaded))
    }
}

pub async fn show(desk: Desk, path: web::Path<String>) -> Result<HttpResponse, Failure> {
    let caller = desk.caller();
    let editor = desk.user.role.is_editor();
    let id = path.into_inner();
    let loaded = desk
        .run(move |c| {
            let guard = submission_guard(&caller, SubmissionAction::Read);
            let (submission, entity_name) = intake::visible(c, &id, &guard)?;
            let versions = intake::versions(c, &submission.id)?;
            let events = intake::events(c, &submission.id)?;
            // The reviewer's question: what changed since I last read it?
            let since_submitted = match previously_submitted(&versions) {
                Some(from) if editor && submission.status == Status::Submitted => {
                    Some(intake::diff(c, &submission.id, from, submission.version)?)
                }
                _ => None,
            };
            let open_revision = match submission.status {
                Status::Accepted => revisions::open_revision(c, &submission.id)?,
                _ => None,
            };
            // A revision's practices are never public, so never translated.
            let translatable =
                editor && submission.status == Status::Accepted && submission.revises.is_none();
            let translations = match translatable {
                true => Some(translation_service::of_submission(c, &submission)?),
                false => None,
            };
            Ok(Loaded {
                submission,
                entity_name,
                versions,
                events,
                since_submitted,
                open_revision,
                translations,
            })
        })
        .await?;
    let saved = desk.reader.param("saved").and_then(|v| v.parse().ok());
    let retagged = desk.reader.param("retagged").is_some();
    let title = loaded.submission.title.clone();
    let main = render(&desk, &loaded, saved, retagged);
    frame::ok(&desk, Place::Other, &title, main)
}

/// The version a form was made from: every form that changes a submission
/// carries it, so a decision is about the version that was read.
pub fn version_of(form: &Form) -> Result<i64, AppError> {
    form.get("version")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(missing_version)
}

fn missing_version() -> AppError {
    AppError::invalid_field("version", "the form lacks the version it was made from")
}

/// The message a move carries, checked as the API checks it.
fn message_of(action: Move, form: &Form) -> Result<Option<String>, AppError> {
    let (field, required) = match action {
        Move::RequestChanges => ("message", true),
        Move::Reject => ("reason", true),
        Move::Accept => ("note", false),
        Move::Submit | Move::Withdraw | Move::Edit => return Ok(None),
    };
    let mut errors = Vec::new();
    let note = optional_note(field, form.get(field), &mut errors);
    if note.is_none() && required && errors.is_empty() {
        errors.push(FieldError::new(field, "is required"));
    }
    if errors.is_empty() {
        Ok(note)
    } else {
        Err(AppError::unprocessable(errors))
    }
}

fn move_named(name: &str) -> Option<Move> {
    match name {
        "submit" => Some(Move::Submit),
        "withdraw" => Some(Move::Withdraw),
        "request-changes" => Some(Move::RequestChanges),
        "accept" => Some(Move::Accept),
        "reject" => Some(Move::Reject),
        _ => None,
    }
}

/// `POST /desk/submissions/{id}/{move}`: the move, bound to the version
/// the page showed, so that a decision is about what was read.
pub async fn run_move(
    Posted(desk, form): Posted,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let (id, name) = path.into_inner();
    let action = move_named(&name)
        .ok_or_else(|| AppError::NotFound(format!("there is no move {name}")))
        .or_page(reader)?;
    let message = message_of(action, &form).or_page(reader)?;
    let seen = version_of(&form).ok();
    let asked = MoveRequest {
        action,
        message,
        seen,
    };
    let caller = desk.caller();
    let user = desk.user.clone();
    let needed = SubmissionAction::for_move(action);
    let secretariat = desk.secretariat_language();
    let outcome = desk
        .run(move |c| {
            // Who may first (404 for another entity's, 403 for a focal
            // point deciding), then whether the form says what it saw.
            let guard = |s: &Submission| {
                submission_guard(&caller, needed)(s)?;
                seen.map(|_| ()).ok_or_else(missing_version)
            };
            let actor = user.actor();
            intake::transition(c, &actor, &id, &guard, asked, secretariat, clock::now())
        })
        .await?;
    Ok(frame::see_other(reader.link_with(
        &format!("/desk/submissions/{}", outcome.view.id),
        &[("saved", &outcome.view.version.to_string())],
    )))
}

/// `POST /desk/submissions/{id}/revise`: opens a revision of the accepted
/// submission the page showed, and goes on to its form.
pub async fn revise(
    Posted(desk, form): Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let id = path.into_inner();
    let seen = version_of(&form).or_page(reader)?;
    let caller = desk.caller();
    let user = desk.user.clone();
    let outcome = desk
        .run(move |c| {
            let guard = |s: &Submission| {
                submission_guard(&caller, SubmissionAction::Handle)(s)?;
                intake::at_version(s, Some(seen))
            };
            revisions::revise(c, &user.actor(), &id, &guard, clock::now())
        })
        .await?;
    Ok(frame::see_other(reader.link(&format!(
        "/desk/submissions/{}/edit",
        outcome.view.id
    ))))
}

/// The concepts behind a suggestion, named in the reader's language.
fn concept_labels(
    suggestion: &crate::domain::suggestion::Suggestion,
    language: crate::domain::Language,
) -> String {
    suggestion
        .concepts
        .iter()
        .map(|named| {
            crate::domain::suggestion::SuggestedConcept::of(&named.concept, language).label
        })
        .collect::<Vec<_>>()
        .join(", ")
}
