//! `/desk/assessments`: a Member State's self-assessments at the desk. Its
//! focal points start one a year, answer the annex item by item (partial
//! answers saved, every save bound to the version the form showed),
//! complete, share and unshare it, and turn an answer into a draft
//! submission; the Secretariat's editors read those shared with them. The
//! same use cases and rules as `/api/v1/assessments`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Datelike;
use maud::{html, Markup};

use super::assessment_form::{self, ItemFields, Posted as PostedAnswers, Shown};
use super::failure::{field_errors, Failure, OrPage};
use super::form::Form;
use super::frame::{self, csrf_field, errors_list, table_head, Place};
use super::session::{Desk, Posted};
use crate::auth::{assessing_state, assessment_guard, Action, AssessmentAction};
use crate::domain::annex::AnnexItem;
use crate::domain::assessment::{
    validate_answers, Assessment, AssessmentMove, AssessmentStatus, FIRST_YEAR, YEARS_AHEAD,
};
use crate::domain::clock;
use crate::domain::entities::names::name_in;
use crate::domain::page::{Page, MAX_LIMIT};
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::http::State;
use crate::i18n::{self, desk};
use crate::publish::assessment::state_line;
use crate::service::assessments::{self, AssessmentEvent, AssessmentView, Listed};

/// An assessment's page at the desk.
pub fn page_of(desk: &Desk, id: &str) -> String {
    desk.reader.link(&format!("/desk/assessments/{id}"))
}

fn when(t: &chrono::DateTime<chrono::Utc>) -> Markup {
    html! { time dir="ltr" datetime=(t.to_rfc3339()) { (t.format("%Y-%m-%d")) } }
}

/// What the list shows this person: their State's assessments and whether
/// it may start one, or, for the Secretariat, those shared with it.
struct Listing {
    assessments: Vec<AssessmentView>,
    /// `None` for the Secretariat; else whether the State is a Member State.
    member_state: Option<bool>,
}

async fn listing(desk: &Desk) -> Result<Listing, Failure> {
    let user = desk.user.clone();
    let page = Page {
        limit: MAX_LIMIT,
        after: None,
    };
    desk.run(move |c| match (&user.entity, user.role.is_editor()) {
        (_, true) => Ok(Listing {
            assessments: assessments::list(c, Listed::Shared, &page)?,
            member_state: None,
        }),
        (Some(entity), false) => Ok(Listing {
            assessments: assessments::list(c, Listed::OfEntity(entity), &page)?,
            member_state: Some(assessments::is_member_state(c, entity)?),
        }),
        (None, false) => Ok(Listing {
            assessments: Vec::new(),
            member_state: Some(false),
        }),
    })
    .await
}

fn new_form(desk: &Desk, errors: &[FieldError]) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let this_year = clock::now().year();
    let years: Vec<i32> = (FIRST_YEAR..=this_year + YEARS_AHEAD).rev().collect();
    html! {
        section aria-labelledby="new-assessment-heading" {
            h2 #new-assessment-heading { (d.new_assessment_heading) }
            (errors_list(errors))
            form.desk-form method="post" action=(reader.link("/desk/assessments")) {
                (csrf_field(desk))
                p {
                    label for="assessment-year" { (d.field_year) }
                    select #assessment-year name="year" {
                        @for year in &years { option value=(year) selected[*year == this_year] { (year) } }
                    }
                }
                p {
                    label for="assessment-language" { (d.field_answer_language) }
                    select #assessment-language name="language" {
                        @for language in Language::ALL {
                            option value=(language.code()) selected[language == reader.language] { (reader.labels.language(language)) }
                        }
                    }
                }
                div.choice {
                    input #assessment-blank type="checkbox" name="blank" value="1";
                    label for="assessment-blank" { (d.start_blank) }
                }
                p { button type="submit" { (d.start_assessment_button) } }
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
    let listing = listing(desk).await?;
    let main = html! {
        h1 { (d.assessments_title) }
        @match listing.member_state {
            None => p { (d.assessments_shared_intro) },
            Some(_) => p { (d.assessments_intro) },
        }
        @if listing.assessments.is_empty() {
            p { (d.assessments_empty) }
        } @else {
            table.submissions {
                (table_head(&d.assessments_title, &[&d.column_year, &d.column_entity, &d.column_status, &d.column_shared, &d.column_updated], None))
                tbody {
                    @for a in &listing.assessments {
                        tr {
                            td { a href=(page_of(desk, &a.id)) { (a.year) } }
                            td { (name_in(&a.entity, &a.entity_name, reader.language)) }
                            td { (state_line(reader.labels, a.status, a.completed_at)) }
                            td { @if a.shared { (d.shared_yes) } @else { (d.shared_no) } }
                            td { (when(&a.updated_at)) }
                        }
                    }
                }
            }
        }
        @match listing.member_state {
            Some(true) => (new_form(desk, errors)),
            Some(false) => p { (d.assessments_not_member_state) },
            None => {},
        }
    };
    Ok(frame::page(
        desk,
        status,
        Place::Assessments,
        &d.assessments_title,
        main,
    ))
}

pub async fn list(desk: Desk) -> Result<HttpResponse, Failure> {
    desk.may(Action::SelfAssess)?;
    list_page(&desk, StatusCode::OK, &[]).await
}

pub async fn create(Posted(desk, form): Posted) -> Result<HttpResponse, Failure> {
    let user = desk.may(Action::SelfAssess)?;
    let year: i64 = form.text("year").trim().parse().unwrap_or(0);
    let language = form.text("language").parse::<Language>();
    let blank = form.get("blank").is_some();
    let created = desk
        .attempt(move |c| {
            let member = match &user.entity {
                Some(code) => assessments::is_member_state(c, code)?,
                None => false,
            };
            let entity = assessing_state(&user, member)?;
            let year = assessments::year_of(year, clock::now())?;
            let language =
                language.map_err(|e| AppError::invalid_field("language", e.to_string()))?;
            let actor = user.actor();
            assessments::create(c, &actor, entity, year, language, blank, clock::now())
        })
        .await;
    match created {
        Ok(outcome) => Ok(frame::see_other(page_of(&desk, &outcome.view.id))),
        Err(error) => {
            let errors = field_errors(error, &desk.reader)?;
            list_page(&desk, StatusCode::UNPROCESSABLE_ENTITY, &errors).await
        }
    }
}

/// Everything an assessment's page shows, read in one go.
struct Loaded {
    assessment: Assessment,
    entity_name: String,
    events: Vec<AssessmentEvent>,
    /// The State's other assessments this person may read: (id, year).
    others: Vec<(String, i32)>,
}

async fn load(desk: &Desk, id: String) -> Result<Loaded, Failure> {
    let caller = desk.caller();
    let editor = desk.user.role.is_editor();
    desk.run(move |c| {
        let guard = assessment_guard(&caller, AssessmentAction::Read);
        let assessment = assessments::load(c, &id, &guard)?;
        let entity_name = crate::service::submissions::entity_name(c, &assessment.entity)?;
        let events = assessments::events(c, &id)?;
        let page = Page {
            limit: MAX_LIMIT,
            after: None,
        };
        let others = assessments::list(c, Listed::OfEntity(&assessment.entity), &page)?
            .into_iter()
            .filter(|a| a.id != assessment.id && (a.shared || !editor))
            .map(|a| (a.id, a.year))
            .collect();
        Ok(Loaded {
            assessment,
            entity_name,
            events,
            others,
        })
    })
    .await
}

fn moves(desk: &Desk, assessment: &Assessment) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let id = &assessment.id;
    let mut buttons: Vec<(&str, &String)> = Vec::new();
    if assessment.status == AssessmentStatus::Draft {
        buttons.push(("complete", &d.complete_button));
    }
    match assessment.shared {
        true => buttons.push(("unshare", &d.unshare_button)),
        false => buttons.push(("share", &d.share_button)),
    }
    html! {
        div.actions {
            @for (action, label) in buttons {
                form.inline method="post" action=(reader.link(&format!("/desk/assessments/{id}/{action}"))) {
                    (csrf_field(desk))
                    input type="hidden" name="version" value=(assessment.version);
                    button.secondary type="submit" { (label) }
                }
            }
        }
    }
}

fn compare_form(desk: &Desk, id: &str, others: &[(String, i32)]) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    html! {
        @if !others.is_empty() {
            form.desk-form method="get" action=(format!("/desk/assessments/{id}/compare")) {
                input type="hidden" name="lang" value=(reader.language.code());
                p {
                    label for="compare-with" { (d.compare_with) }
                    select #compare-with name="with" {
                        @for (other, year) in others { option value=(other) { (year) } }
                    }
                    " "
                    button.secondary type="submit" { (d.compare_button) }
                }
            }
        }
    }
}

fn history(desk: &Desk, events: &[AssessmentEvent]) -> Markup {
    let d = desk::labels(desk.reader.language);
    html! {
        section aria-labelledby="history-heading" {
            h2 #history-heading { (d.history_heading) }
            ol.history {
                @for e in events {
                    li {
                        (when(&e.at)) " · " (e.actor) " · " (d.action(&e.action))
                        @if let Some(message) = &e.message { " (" (message) ")" }
                    }
                }
            }
        }
    }
}

fn assessment_page(
    desk: &Desk,
    status: StatusCode,
    loaded: &Loaded,
    fields: Option<&[ItemFields]>,
    errors: &[FieldError],
) -> HttpResponse {
    let reader = &desk.reader;
    let l = reader.labels;
    let d = desk::labels(reader.language);
    let a = &loaded.assessment;
    let id = &a.id;
    let title = i18n::fill(
        &l.assessment_heading,
        &[
            (
                "entity",
                name_in(
                    loaded.assessment.entity.as_str(),
                    &loaded.entity_name,
                    reader.language,
                ),
            ),
            ("year", &a.year.to_string()),
        ],
    );
    let editable = !desk.user.role.is_editor();
    let saved = reader.param("saved");
    let shown_fields: Vec<ItemFields> = match fields {
        Some(fields) => fields.to_vec(),
        None => a.answers.iter().map(ItemFields::of_answer).collect(),
    };
    let may_draft: Vec<AnnexItem> = a
        .answers
        .iter()
        .filter(|answer| !answer.narrative.trim().is_empty())
        .map(|answer| answer.item)
        .collect();
    let export = |format: &str| {
        reader.link_with(
            &format!("/desk/assessments/{id}/export"),
            &[("format", format)],
        )
    };
    let main = html! {
        p.back { a href=(reader.link("/desk/assessments")) { "← " (d.assessments_title) } }
        h1 { (title) }
        p {
            span.status data-status=(a.status.as_str()) { (state_line(l, a.status, a.completed_at)) }
            " · " (d.version_label) " " (a.version) " · "
            @if a.shared { (d.shared_note) } @else { (d.private_note) }
        }
        @if let Some(version) = saved {
            p.notice role="status" { (i18n::fill(&d.answers_saved, &[("version", version)])) }
        }
        ul.links {
            li { a href=(reader.link(&format!("/desk/assessments/{id}/gaps"))) { (d.gaps_link) } }
            li { a href=(export("md")) { (d.export_markdown) } }
            li { a href=(export("docx")) { (d.export_word) } }
            li { a href=(export("html")) { (d.export_html) } }
        }
        @if editable { (moves(desk, a)) }
        (compare_form(desk, id, &loaded.others))
        @if editable {
            (assessment_form::render(desk, &Shown {
                id,
                version: a.version,
                fields: &shown_fields,
                errors,
                may_draft: &may_draft,
            }))
        } @else {
            (assessment_form::read_only(desk, &a.answers))
        }
        (history(desk, &loaded.events))
    };
    frame::page(desk, status, Place::Assessments, &title, main)
}

pub async fn show(desk: Desk, path: web::Path<String>) -> Result<HttpResponse, Failure> {
    desk.may(Action::SelfAssess)?;
    let loaded = load(&desk, path.into_inner()).await?;
    Ok(assessment_page(&desk, StatusCode::OK, &loaded, None, &[]))
}

/// What a posted form asks for besides saving.
fn drafting(form: &Form) -> Option<AnnexItem> {
    form.get("command")
        .and_then(|c| c.strip_prefix("draft-"))
        .and_then(|n| n.parse::<u8>().ok())
        .and_then(AnnexItem::new)
}

/// `POST /desk/assessments/{id}`: saves the answers (a new version only
/// when something changed), then, when asked, drafts a submission from
/// one item, so what was typed is never lost on the way.
pub async fn save(
    state: State,
    Posted(desk, form): Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let user = desk.may(Action::SelfAssess)?;
    let id = path.into_inner();
    // Who may change it first (404 for another State's, 403 for editors).
    let caller = desk.caller();
    let target = id.clone();
    let current = desk
        .run(move |c| {
            assessments::load(
                c,
                &target,
                &assessment_guard(&caller, AssessmentAction::Handle),
            )
        })
        .await?;
    let posted = PostedAnswers::of_form(&form, &current.answers);
    let answers = match validate_answers(&posted.drafts()) {
        Ok(answers) => answers,
        Err(errors) => {
            let errors = posted.readable(errors, desk.reader.language);
            let loaded = load(&desk, id).await?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(assessment_page(
                &desk,
                status,
                &loaded,
                Some(&posted.fields),
                &errors,
            ));
        }
    };
    let seen = form
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(current.version);
    let item = drafting(&form);
    let caller = desk.caller();
    let tagger = state.tagger.clone();
    let target = id.clone();
    let (saved, drafted) = desk
        .run(move |c| {
            let guard = assessment_guard(&caller, AssessmentAction::Handle);
            let actor = user.actor();
            let now = clock::now();
            let saved = assessments::answer(c, &actor, &target, &guard, seen, answers, now)?;
            let drafted = match item {
                Some(item) => {
                    let heading = |language| i18n::labels(language).assessment_evidence.clone();
                    let outcome = assessments::draft_from_item(
                        c, &actor, &target, &guard, item, &heading, &tagger, now,
                    )?;
                    Some(outcome.view.id)
                }
                None => None,
            };
            Ok((saved.view.version, drafted))
        })
        .await?;
    let reader = &desk.reader;
    Ok(frame::see_other(match drafted {
        Some(submission) => reader.link(&format!("/desk/submissions/{submission}")),
        None => reader.link_with(
            &format!("/desk/assessments/{id}"),
            &[("saved", &saved.to_string())],
        ),
    }))
}

/// `POST /desk/assessments/{id}/{move}`: complete, share, unshare.
pub async fn run_move(
    Posted(desk, form): Posted,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let user = desk.may(Action::SelfAssess)?;
    let (id, name) = path.into_inner();
    let action = match name.as_str() {
        "complete" => AssessmentMove::Complete,
        "share" => AssessmentMove::Share,
        "unshare" => AssessmentMove::Unshare,
        other => {
            return Err(Failure::page(
                &desk.reader,
                AppError::NotFound(format!("there is no move {other}")),
            ))
        }
    };
    let seen = form.get("version").and_then(|v| v.parse().ok());
    let caller = desk.caller();
    let target = id.clone();
    desk.run(move |c| {
        let guard = assessment_guard(&caller, AssessmentAction::Handle);
        let actor = user.actor();
        assessments::apply(c, &actor, &target, &guard, action, seen, clock::now())
    })
    .await?;
    Ok(frame::see_other(page_of(&desk, &id)))
}

/// The assessment, for the pages that only read it.
pub async fn readable(desk: &Desk, id: String) -> Result<(Assessment, String), Failure> {
    let caller = desk.caller();
    desk.attempt(move |c| {
        let guard = assessment_guard(&caller, AssessmentAction::Read);
        let assessment = assessments::load(c, &id, &guard)?;
        let name = crate::service::submissions::entity_name(c, &assessment.entity)?;
        Ok((assessment, name))
    })
    .await
    .or_page(&desk.reader)
}
