//! The editors' compilations: the list (drafts and editions), a new draft
//! from a scope, the draft's entries with the practices left out and put
//! back, what changed in the catalogue since it was assembled, reassembly,
//! and publishing after a page that asks to confirm. Every change is bound
//! to the version the page showed.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use maud::{html, Markup};

use super::failure::{field_errors, Failure};
use super::form::Form;
use super::frame::{self, csrf_field, errors_list, table_head, Place};
use super::session::{Desk, Posted};
use crate::auth::Action;
use crate::domain::annex::{annex, SectionId};
use crate::domain::clock;
use crate::domain::compilation::{CompilationStatus, Drift, Entry, Scope};
use crate::domain::entities::names::name_in;
use crate::domain::entities::EntityType;
use crate::domain::page::{Page, MAX_LIMIT};
use crate::error::{AppError, FieldError};
use crate::i18n::{self, desk};
use crate::service::compilations::{self as editions, Changes, NewCompilation};

fn heading_of(
    d: &desk::DeskLabels,
    compilation: &crate::domain::compilation::Compilation,
) -> String {
    match compilation.number {
        Some(number) => i18n::fill(&d.compilation_published, &[("number", &number.to_string())]),
        None => d.compilation_draft.clone(),
    }
}

fn scope_form(desk: &Desk, errors: &[FieldError]) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    html! {
        section aria-labelledby="new-compilation-heading" {
            h2 #new-compilation-heading { (d.new_compilation_heading) }
            (errors_list(errors))
            form.desk-form method="post" action=(reader.link("/desk/compilations")) {
                (csrf_field(desk))
                p { label for="compilation-title" { (d.field_compilation_title) } input #compilation-title type="text" name="title" maxlength="300" required; }
                p { label for="compilation-introduction" { (d.field_introduction) } textarea #compilation-introduction name="introduction" rows="4" {} }
                fieldset {
                    legend { (d.scope_heading) }
                    p { label for="scope-from" { (d.scope_from) } input #scope-from type="text" name="from" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" dir="ltr"; }
                    p { label for="scope-to" { (d.scope_to) } input #scope-to type="text" name="to" inputmode="numeric" pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" dir="ltr"; }
                    fieldset {
                        legend { (d.scope_sections) }
                        @for section in &annex().sections {
                            @let id = format!("scope-section-{}", section.id);
                            div.choice {
                                input type="checkbox" id=(id) name="sections" value=(section.id);
                                label for=(id) { (section.id) ". " (section.title.get(reader.language)) }
                            }
                        }
                    }
                    fieldset {
                        legend { (d.scope_entity_types) }
                        @for t in EntityType::ALL {
                            @let id = format!("scope-type-{}", t.as_str());
                            div.choice {
                                input type="checkbox" id=(id) name="entity_types" value=(t.as_str());
                                label for=(id) { (reader.labels.entity_type(t)) }
                            }
                        }
                    }
                }
                p { button type="submit" { (d.create_compilation_button) } }
            }
        }
    }
}

async fn list_page(
    desk: &Desk,
    status: StatusCode,
    errors: &[FieldError],
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let page = Page {
        limit: MAX_LIMIT,
        after: None,
    };
    let list = desk.run(move |c| editions::list(c, true, &page)).await?;
    let main = html! {
        h1 { (d.compilations_title) }
        @if !list.is_empty() {
            table.submissions {
                (table_head(&d.compilations_title, &[&d.field_compilation_title, &d.column_status, &d.entries_heading, &d.column_updated], None))
                tbody {
                    @for c in &list {
                        tr {
                            td { a href=(reader.link(&format!("/desk/compilations/{}", c.id))) { (c.title) } }
                            td { (heading_of(d, c)) }
                            td { (c.entries_count) }
                            td { time dir="ltr" datetime=(c.updated_at.to_rfc3339()) { (c.updated_at.format("%Y-%m-%d")) } }
                        }
                    }
                }
            }
        }
        (scope_form(desk, errors))
    };
    let title = &d.compilations_title;
    Ok(frame::page(desk, status, Place::Compilations, title, main))
}

pub async fn list(desk: Desk) -> Result<HttpResponse, Failure> {
    desk.may(Action::ManageCompilations)?;
    list_page(&desk, StatusCode::OK, &[]).await
}

/// The scope a form asks for; a malformed date is a field error.
fn scope_of(form: &Form) -> Result<Scope, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut date = |field: &str| {
        let text = form.text(field);
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| {
                errors.push(FieldError::new(
                    format!("scope.{field}"),
                    "a day as YYYY-MM-DD",
                ))
            })
            .ok()
    };
    let from = date("from");
    let to = date("to");
    let sections: Vec<SectionId> = form
        .all("sections")
        .filter_map(|s| s.parse().ok())
        .collect();
    let entity_types: Vec<EntityType> = form
        .all("entity_types")
        .filter_map(|t| t.parse().ok())
        .collect();
    if errors.is_empty() {
        Ok(Scope {
            from,
            to,
            sections,
            entity_types,
        })
    } else {
        Err(errors)
    }
}

pub async fn create(Posted(desk, form): Posted) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let editor = desk.may(Action::ManageCompilations)?;
    let scope = match scope_of(&form) {
        Ok(scope) => scope,
        Err(errors) => return list_page(&desk, StatusCode::UNPROCESSABLE_ENTITY, &errors).await,
    };
    let new = NewCompilation {
        title: form.text("title"),
        introduction: Some(form.text("introduction")),
        scope,
    };
    let created = desk
        .attempt(move |c| editions::create(c, &editor.actor(), new, clock::now()).map(|(c, _)| c))
        .await;
    match created {
        Ok(compilation) => Ok(frame::see_other(
            reader.link(&format!("/desk/compilations/{}", compilation.id)),
        )),
        Err(error) => {
            let errors = field_errors(error, reader)?;
            list_page(&desk, StatusCode::UNPROCESSABLE_ENTITY, &errors).await
        }
    }
}

/// Entries a page shows: a draft of the whole catalogue has thousands.
const ENTRIES_A_PAGE: usize = 100;

fn entries_table(
    desk: &Desk,
    entries: &[Entry],
    total: usize,
    version: i64,
    id: &str,
    draft: bool,
) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let annex = annex();
    let count = i18n::fill(&d.entries_count, &[("count", &total.to_string())]);
    let caption = format!("{} — {count}", d.entries_heading);
    html! {
        table.submissions {
            (table_head(&caption, &["#", &d.items_label, &d.column_title, &d.column_entity], draft.then_some(d.exclude_button.as_str())))
            tbody {
                @for entry in entries {
                    tr {
                        td { (entry.position) }
                        td { (entry.item.number()) ". " (annex.item(entry.item).title.get(reader.language)) }
                        td lang=(entry.source.language.code()) { (entry.source.title) }
                        td { (name_in(&entry.source.entity, &entry.source.entity_name, reader.language)) }
                        @if draft {
                            td {
                                form method="post" action=(reader.link(&format!("/desk/compilations/{id}/exclude"))) {
                                    (csrf_field(desk))
                                    input type="hidden" name="version" value=(version);
                                    input type="hidden" name="practice" value=(entry.source.practice_id);
                                    button.secondary type="submit" aria-label=(format!("{} — {}", d.exclude_button, entry.source.title)) { (d.exclude_button) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn drift_section(d: &desk::DeskLabels, drift: &Drift) -> Markup {
    html! {
        section aria-labelledby="drift-heading" {
            h2 #drift-heading { (d.drift_heading) }
            @if drift.is_empty() {
                p { (d.drift_none) }
            } @else {
                dl.facts {
                    dt { (d.drift_added) } dd dir="ltr" { (drift.added.join(", ")) }
                    dt { (d.drift_removed) } dd dir="ltr" { (drift.removed.join(", ")) }
                }
            }
        }
    }
}

pub async fn show(desk: Desk, path: web::Path<String>) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    desk.may(Action::ManageCompilations)?;
    let id = path.into_inner();
    let check_drift = reader.param("drift").is_some();
    let start = reader
        .param("from")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let (compilation, shown, drift) = desk
        .run(move |c| {
            let (compilation, shown) =
                editions::visible_window(c, &id, start as i64 + 1, ENTRIES_A_PAGE as i64)?;
            // Comparing with the catalogue reassembles it: only when asked.
            let drift = if check_drift {
                Some(editions::drift_of(c, &id)?)
            } else {
                None
            };
            Ok((compilation, shown, drift))
        })
        .await?;
    let total = compilation.entries_count.max(0) as usize;
    let draft = compilation.status == CompilationStatus::Draft;
    let confirming = draft && reader.param("confirm").is_some();
    let id = &compilation.id;
    let main = html! {
        p.back { a href=(reader.link("/desk/compilations")) { "← " (d.compilations_title) } }
        h1 { (compilation.title) }
        p { span.status { (heading_of(d, &compilation)) } " · " (d.version_label) " " (compilation.version) }
        @if !draft {
            p { a href=(reader.link(&format!("/compilations/{id}"))) { (d.public_page_link) } }
        }
        @if confirming {
            section.editor-message aria-labelledby="confirm-heading" {
                h2 #confirm-heading { (d.publish_confirm_title) }
                p { (d.publish_confirm_text) }
                form method="post" action=(reader.link(&format!("/desk/compilations/{id}/publish"))) {
                    (csrf_field(&desk))
                    input type="hidden" name="version" value=(compilation.version);
                    p.actions {
                        button type="submit" { (d.publish_confirm_button) }
                        a href=(reader.link(&format!("/desk/compilations/{id}"))) { (d.cancel) }
                    }
                }
            }
        } @else if draft {
            p.actions {
                a.button href=(reader.link_with(&format!("/desk/compilations/{id}"), &[("confirm", "1")])) { (d.publish_button) }
            }
            form method="post" action=(reader.link(&format!("/desk/compilations/{id}/reassemble"))) {
                (csrf_field(&desk))
                input type="hidden" name="version" value=(compilation.version);
                button.secondary type="submit" { (d.reassemble_button) }
            }
            @match &drift {
                Some(drift) => (drift_section(d, drift)),
                None => p { a href=(reader.link_with(&format!("/desk/compilations/{id}"), &[("drift", "1")])) { (d.drift_check) } },
            }
        }
        (entries_table(&desk, &shown, total, compilation.version, id, draft))
        @if total > ENTRIES_A_PAGE {
            nav.pages aria-label=(reader.labels.pagination_label) {
                @if start > 0 {
                    a rel="prev" href=(reader.link_with(&format!("/desk/compilations/{id}"), &[("from", &start.saturating_sub(ENTRIES_A_PAGE).to_string())])) { (reader.labels.previous_page) }
                    " "
                }
                @if start + ENTRIES_A_PAGE < total {
                    a rel="next" href=(reader.link_with(&format!("/desk/compilations/{id}"), &[("from", &(start + ENTRIES_A_PAGE).to_string())])) { (reader.labels.next_page) }
                }
            }
        }
        @if !compilation.excluded.is_empty() {
            section aria-labelledby="excluded-heading" {
                h2 #excluded-heading { (d.excluded_heading) }
                ul {
                    @for practice in &compilation.excluded {
                        li {
                            code dir="ltr" { (practice) } " "
                            @if draft {
                                form.inline method="post" action=(reader.link(&format!("/desk/compilations/{id}/include"))) {
                                    (csrf_field(&desk))
                                    input type="hidden" name="version" value=(compilation.version);
                                    input type="hidden" name="practice" value=(practice);
                                    button.secondary type="submit" aria-label=(format!("{} — {practice}", d.include_button)) { (d.include_button) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !compilation.untagged.is_empty() {
            section aria-labelledby="untagged-heading" {
                h2 #untagged-heading { (d.untagged_heading) }
                ul { @for practice in &compilation.untagged { li { code dir="ltr" { (practice) } } } }
            }
        }
    };
    frame::ok(&desk, Place::Compilations, &compilation.title, main)
}

/// The version a form was made from.
fn version_of(form: &Form) -> Option<i64> {
    form.get("version").and_then(|v| v.parse().ok())
}

/// `POST /desk/compilations/{id}/{change}`: reassemble, exclude, include.
pub async fn change(
    Posted(desk, form): Posted,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let editor = desk.may(Action::ManageCompilations)?;
    let (id, change) = path.into_inner();
    let version = version_of(&form);
    let practice = form.text("practice");
    let target = id.clone();
    desk.run(move |c| {
        let actor = editor.actor();
        let now = clock::now();
        match change.as_str() {
            "publish" => editions::publish(c, &actor, &target, version, now).map(|_| ()),
            "reassemble" | "exclude" | "include" => {
                let (current, _) = editions::visible(c, &target, true)?;
                let mut excluded: BTreeSet<String> = current.excluded.clone();
                match change.as_str() {
                    "exclude" => {
                        excluded.insert(practice);
                    }
                    "include" => {
                        excluded.remove(&practice);
                    }
                    _ => {}
                }
                let changes = Changes {
                    excluded: Some(excluded.into_iter().collect()),
                    ..Changes::default()
                };
                editions::update(c, &actor, &target, version, changes, now).map(|_| ())
            }
            other => Err(AppError::NotFound(format!("there is no change {other}"))),
        }
    })
    .await?;
    Ok(frame::see_other(
        desk.reader.link(&format!("/desk/compilations/{id}")),
    ))
}
