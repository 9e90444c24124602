//! Writing a submission at the desk: `/desk/submissions/new` and
//! `/desk/submissions/{id}/edit` show the form; posting it either changes
//! the form (a practice block added or removed, a preview) and shows it
//! again, or saves through the same use cases as the API, with the same
//! rules and the same errors, shown beside their fields.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::failure::{field_errors, Failure};
use super::frame::{self, Place};
use super::session::{Desk, Posted};
use super::submission_form::{self, Command, Fields, Shown};
use super::translations::ByPractice;
use crate::auth::{submission_entity, submission_guard, Action, SubmissionAction};
use crate::domain::clock;
use crate::domain::submission::{validate, Submission};
use crate::error::{AppError, FieldError};
use crate::http::State;
use crate::i18n::desk;
use crate::service::idempotency::Once;
use crate::service::submissions as intake;
use crate::service::translations;

fn form_page(
    desk: &Desk,
    status: StatusCode,
    fields: &Fields,
    errors: &[FieldError],
    command: Command,
    edit_of: Option<&str>,
) -> HttpResponse {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let (heading, action, place) = match edit_of {
        Some(id) => (
            &d.edit_title,
            reader.link(&format!("/desk/submissions/{id}/edit")),
            Place::Other,
        ),
        None => (
            &d.new_title,
            reader.link("/desk/submissions"),
            Place::NewSubmission,
        ),
    };
    let shown = Shown {
        heading,
        action,
        errors,
        preview: command == Command::Preview,
        ask_entity: edit_of.is_none() && desk.user.role.is_editor(),
    };
    let main = submission_form::render(desk, fields, &shown);
    frame::page(desk, status, place, heading, main)
}

pub async fn new_form(desk: Desk) -> Result<HttpResponse, Failure> {
    desk.may(Action::CreateSubmission)?;
    let fields = Fields::new(desk.reader.language);
    let form = form_page(&desk, StatusCode::OK, &fields, &[], Command::Save, None);
    Ok(form)
}

pub async fn create(state: State, Posted(desk, form): Posted) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let user = desk.may(Action::CreateSubmission)?;
    let (fields, command) = Fields::of_form(&form);
    if command != Command::Save {
        let form = form_page(&desk, StatusCode::OK, &fields, &[], command, None);
        return Ok(form);
    }
    let checked = validate(fields.draft(user.role.is_editor()))
        .map_err(AppError::unprocessable)
        .and_then(|mut valid| Ok((submission_entity(&user, valid.entity.take())?, valid)));
    let created = match checked {
        Ok((entity, valid)) => {
            let tagger = state.tagger.clone();
            let actor = user.clone();
            desk.attempt(move |c| {
                intake::create(
                    c,
                    &actor.actor(),
                    None,
                    entity,
                    valid,
                    clock::now(),
                    &tagger,
                )
            })
            .await
        }
        Err(error) => Err(error),
    };
    match created {
        Ok(Once::Done(outcome)) => Ok(frame::see_other(reader.link_with(
            &format!("/desk/submissions/{}", outcome.view.id),
            &[("saved", "1")],
        ))),
        // A form sends no idempotency key, so there is nothing to replay.
        Ok(Once::Replayed(_)) => Err(Failure::page(
            reader,
            AppError::internal("a form create was replayed"),
        )),
        Err(error) => {
            let errors = field_errors(error, reader)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(form_page(&desk, status, &fields, &errors, command, None))
        }
    }
}

/// The submission, and its practices' translations, to edit.
async fn editable(desk: &Desk, id: String) -> Result<(Submission, ByPractice), Failure> {
    let caller = desk.caller();
    desk.run(move |c| {
        let submission =
            intake::load(c, &id, &submission_guard(&caller, SubmissionAction::Handle))?;
        let translated = translations::of_submission(c, &submission)?;
        Ok((submission, translated))
    })
    .await
}

pub async fn edit_form(desk: Desk, path: web::Path<String>) -> Result<HttpResponse, Failure> {
    let (submission, translated) = editable(&desk, path.into_inner()).await?;
    if !submission.status.is_editable() {
        return Ok(frame::see_other(
            desk.reader
                .link(&format!("/desk/submissions/{}", submission.id)),
        ));
    }
    let fields = Fields::of_submission(&submission, &translated);
    let id = Some(submission.id.as_str());
    let form = form_page(&desk, StatusCode::OK, &fields, &[], Command::Save, id);
    Ok(form)
}

pub async fn update(
    state: State,
    Posted(desk, form): Posted,
    path: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    // Who may change it first (404 for another entity's), then the form.
    let (current, _) = editable(&desk, path.into_inner()).await?;
    let id = current.id.clone();
    let (fields, command) = Fields::of_form(&form);
    if command != Command::Save {
        let form = form_page(&desk, StatusCode::OK, &fields, &[], command, Some(&id));
        return Ok(form);
    }
    let valid = match validate(fields.draft(false)) {
        Ok(valid) => valid,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let form = form_page(&desk, status, &fields, &errors, command, Some(&id));
            return Ok(form);
        }
    };
    let version = fields.version.unwrap_or(current.version);
    let caller = desk.caller();
    let user = desk.user.clone();
    let tagger = state.tagger.clone();
    let target = id.clone();
    let outcome = desk
        .run(move |c| {
            let guard = submission_guard(&caller, SubmissionAction::Handle);
            intake::update(
                c,
                &user.actor(),
                &target,
                &guard,
                version,
                valid,
                clock::now(),
                &tagger,
            )
        })
        .await?;
    Ok(frame::see_other(reader.link_with(
        &format!("/desk/submissions/{}", outcome.view.id),
        &[("saved", &outcome.view.version.to_string())],
    )))
}
