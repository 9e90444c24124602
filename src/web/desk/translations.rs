//! Editors' courtesy translations of an accepted practice: a page per
//! practice and language with the original beside the form, and the
//! links to it from the submission's page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup, PreEscaped};

use super::failure::{field_errors, Failure, OrPage};
use super::frame::{self, csrf_field, errors_list, Place};
use super::session::{Desk, Posted};
use super::submission_page::version_of;
use crate::auth::Action;
use crate::domain::clock;
use crate::domain::submission::Practice;
use crate::domain::translation::Translation;
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::i18n::{desk, fill};
use crate::service::translations::{self, Removal, Translatable, TranslationRequest};
use crate::text::markdown;

fn direction(language: Language) -> &'static str {
    if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    }
}

fn page_path(practice_id: &str, language: Language) -> String {
    format!(
        "/desk/practices/{practice_id}/translations/{}",
        language.code()
    )
}

/// On the submission's page, for an editor: a link per other language, to
/// add the translation into it or edit the one there is.
pub fn links(desk: &Desk, practice: &Practice, original: Language, done: &[Translation]) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let l = reader.labels;
    html! {
        section.translations aria-label=(format!("{} — {}", d.translations_heading, practice.title)) {
            h4 { (d.translations_heading) }
            p.hint { (d.translations_intro) }
            ul.inline {
                @for language in Language::ALL.into_iter().filter(|l| *l != original) {
                    @let named = [("language", l.language(language))];
                    li {
                        a href=(reader.link(&page_path(&practice.id, language))) {
                            @if done.iter().any(|t| t.language == language) {
                                (fill(&d.translation_edit, &named)) " ✓"
                            } @else {
                                (fill(&d.translate_into, &named))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What the form holds: the translation there is, or what was sent.
struct Fields {
    title: String,
    body: String,
}

fn render(
    desk: &Desk,
    practice_id: &str,
    language: Language,
    found: &Translatable,
    fields: &Fields,
    errors: &[FieldError],
) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let l = reader.labels;
    let original = found.language;
    let named = [("language", l.language(language))];
    let exists = found.translations.iter().any(|t| t.language == language);
    let action = reader.link(&page_path(practice_id, language));
    html! {
        p.back { a href=(reader.link(&format!("/desk/submissions/{}", found.submission_id))) { "← " (found.title) } }
        h1 { (fill(&d.translation_page_title, &named)) }
        section.original aria-labelledby="original-heading" {
            h2 #original-heading { (fill(&d.translation_original_heading, &[("language", l.language(original))])) }
            h3 lang=(original.code()) dir=(direction(original)) { (found.title) }
            div.body lang=(original.code()) dir=(direction(original)) {
                (PreEscaped(markdown::to_safe_html(&found.body, 4)))
            }
        }
        (errors_list(errors))
        form.desk-form method="post" action=(action) {
            (csrf_field(desk))
            input type="hidden" name="version" value=(found.version);
            p {
                label for="translation-title" { (fill(&d.translation_title_field, &named)) }
                input #translation-title type="text" name="title" maxlength="300" required
                    lang=(language.code()) dir=(direction(language)) value=(fields.title);
            }
            p {
                label for="translation-body" { (fill(&d.translation_body_field, &named)) }
                textarea #translation-body name="body" rows="14" required
                    lang=(language.code()) dir=(direction(language)) { (fields.body) }
            }
            p { button type="submit" { (d.translation_save) } }
        }
        @if exists {
            form method="post" action=(reader.link(&format!("{}/delete", page_path(practice_id, language)))) {
                (csrf_field(desk))
                input type="hidden" name="version" value=(found.version);
                p { button.secondary type="submit" { (d.translation_remove) } }
            }
        }
    }
}

fn target(desk: &Desk, path: web::Path<(String, String)>) -> Result<(String, Language), Failure> {
    let (practice_id, code) = path.into_inner();
    let language = code
        .parse::<Language>()
        .map_err(|e| AppError::NotFound(e.to_string()))
        .or_page(&desk.reader)?;
    Ok((practice_id, language))
}

async fn load(desk: &Desk, practice_id: &str) -> Result<Translatable, Failure> {
    let id = practice_id.to_owned();
    desk.run(move |c| translations::translatable_practice(c, &id))
        .await
}

fn answer(
    desk: &Desk,
    status: StatusCode,
    practice_id: &str,
    language: Language,
    found: &Translatable,
    fields: &Fields,
    errors: &[FieldError],
) -> HttpResponse {
    let d = desk::labels(desk.reader.language);
    let title = fill(
        &d.translation_page_title,
        &[("language", desk.reader.labels.language(language))],
    );
    let main = render(desk, practice_id, language, found, fields, errors);
    frame::page(desk, status, Place::Other, &title, main)
}

/// `GET /desk/practices/{id}/translations/{lang}`.
pub async fn show(desk: Desk, path: web::Path<(String, String)>) -> Result<HttpResponse, Failure> {
    desk.may(Action::CuratePractices)?;
    let (practice_id, language) = target(&desk, path)?;
    let found = load(&desk, &practice_id).await?;
    let fields = match found.translations.iter().find(|t| t.language == language) {
        Some(t) => Fields {
            title: t.title.clone(),
            body: t.body.clone(),
        },
        None => Fields {
            title: String::new(),
            body: String::new(),
        },
    };
    Ok(answer(
        &desk,
        StatusCode::OK,
        &practice_id,
        language,
        &found,
        &fields,
        &[],
    ))
}

/// `POST /desk/practices/{id}/translations/{lang}`: saves it; a refused
/// text comes back in the form, with why.
pub async fn save(
    Posted(desk, form): Posted,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let editor = desk.may(Action::CuratePractices)?;
    let (practice_id, language) = target(&desk, path)?;
    let reader = &desk.reader;
    let seen = Some(version_of(&form).or_page(reader)?);
    let fields = Fields {
        title: form.get("title").unwrap_or_default().to_owned(),
        body: form.get("body").unwrap_or_default().to_owned(),
    };
    let asked = TranslationRequest {
        practice_id: practice_id.clone(),
        language,
        title: fields.title.clone(),
        body: fields.body.clone(),
        seen,
    };
    let saved = desk
        .attempt(move |c| translations::put(c, &editor.actor(), asked, clock::now()))
        .await;
    match saved {
        Ok((practice, _)) => Ok(back_to_submission(
            &desk,
            &practice.submission_id,
            "translated",
        )),
        Err(error) => {
            let errors = field_errors(error, reader)?;
            let found = load(&desk, &practice_id).await?;
            Ok(answer(
                &desk,
                StatusCode::UNPROCESSABLE_ENTITY,
                &practice_id,
                language,
                &found,
                &fields,
                &errors,
            ))
        }
    }
}

/// `POST /desk/practices/{id}/translations/{lang}/delete`.
pub async fn remove(
    Posted(desk, form): Posted,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    let editor = desk.may(Action::CuratePractices)?;
    let (practice_id, language) = target(&desk, path)?;
    let seen = Some(version_of(&form).or_page(&desk.reader)?);
    let removal = Removal {
        practice_id,
        language,
        seen,
    };
    let (submission_id, _) = desk
        .run(move |c| translations::remove(c, &editor.actor(), &removal, clock::now()))
        .await?;
    Ok(back_to_submission(&desk, &submission_id, "untranslated"))
}

fn back_to_submission(desk: &Desk, submission_id: &str, notice: &str) -> HttpResponse {
    frame::see_other(desk.reader.link_with(
        &format!("/desk/submissions/{submission_id}"),
        &[(notice, "1")],
    ))
}

/// Each practice's translations, by practice id, for the submission page.
pub type ByPractice = HashMap<String, Vec<Translation>>;
