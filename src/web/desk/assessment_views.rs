//! The pages that read a self-assessment: its gaps with the practices
//! other States shared for them (operative paragraph 1 leading to
//! paragraph 2), two years compared item by item, and the assessment as a
//! document to download or print.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::html;

use super::assessments::{page_of, readable};
use super::failure::{Failure, OrPage};
use super::frame::{self, table_head, Place};
use super::session::Desk;
use crate::auth::{assessment_guard, Action, AssessmentAction};
use crate::domain::annex::annex;
use crate::domain::assessment::AnswerStatus;
use crate::domain::entities::names::name_in;
use crate::error::AppError;
use crate::http::State;
use crate::i18n::{self, desk};
use crate::search::recommend::Why;
use crate::service::assessments;

pub async fn gaps(
    state: State,
    desk: Desk,
    path: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    desk.may(Action::SelfAssess)?;
    let reader = &desk.reader;
    let language = reader.language;
    let d = desk::labels(language);
    let (assessment, name) = readable(&desk, path.into_inner()).await?;
    let index = state.search.clone();
    let copy = assessment.clone();
    let gaps = web::block(move || assessments::gaps(&copy, &index, language))
        .await
        .map_err(AppError::internal)
        .and_then(|gaps| gaps)
        .or_page(reader)?;
    let title = format!("{} · {name} {}", d.gaps_title, assessment.year);
    let main = html! {
        p.back { a href=(page_of(&desk, &assessment.id)) { "← " (name) ", " (assessment.year) } }
        h1 { (d.gaps_title) }
        p { (d.gaps_intro) }
        @if gaps.is_empty() {
            p { (d.gaps_none) }
        }
        @for gap in &gaps {
            @let n = gap.item.number();
            section.gap aria-labelledby=(format!("gap-{n}-heading")) {
                h2 id=(format!("gap-{n}-heading")) { (n) ". " (annex().item(gap.item).title.get(language)) }
                p { span.status data-status=(gap.status.as_str()) { (reader.labels.answer_status(gap.status)) } }
                @if gap.recommended.is_empty() {
                    p { (d.gaps_no_practice) }
                } @else {
                    ul.recommended {
                        @for r in &gap.recommended {
                            li {
                                a href=(reader.link(&format!("/practices/{}", r.row.id))) lang=(r.row.language) { (r.row.title) }
                                " · " (name_in(&r.row.entity, &r.row.entity_name, reader.language))
                                br;
                                span.hint { (i18n::why_recommended(r.why == Why::MainItem, gap.item, r.in_reader_language, language)) }
                            }
                        }
                    }
                }
            }
        }
    };
    frame::ok(&desk, Place::Assessments, &title, main)
}

pub async fn compare(desk: Desk, path: web::Path<String>) -> Result<HttpResponse, Failure> {
    desk.may(Action::SelfAssess)?;
    let reader = &desk.reader;
    let l = reader.labels;
    let d = desk::labels(reader.language);
    let id = path.into_inner();
    let with = reader.param("with").unwrap_or_default().to_owned();
    let caller = desk.caller();
    let (earlier, later, items) = desk
        .run(move |c| {
            let guard = assessment_guard(&caller, AssessmentAction::Read);
            assessments::compare(c, &id, &with, &guard)
        })
        .await?;
    let (from, to) = (earlier.year.to_string(), later.year.to_string());
    let title = i18n::fill(&d.compare_title, &[("from", &from), ("to", &to)]);
    let standing = |status: AnswerStatus, maturity: Option<u8>| match maturity {
        Some(level) => format!("{} · {level}/5", l.answer_status(status)),
        None => l.answer_status(status).to_owned(),
    };
    let main = html! {
        p.back { a href=(page_of(&desk, &later.id)) { "← " (to) } }
        h1 { (title) }
        table.submissions {
            (table_head(&title, &[&d.column_item, &from, &to, &d.column_change], None))
            tbody {
                @for change in &items {
                    tr data-changed=(change.changed) {
                        td { (change.item.number()) ". " (annex().item(change.item).title.get(reader.language)) }
                        td { (standing(change.from_status, change.from_maturity)) }
                        td { (standing(change.to_status, change.to_maturity)) }
                        td { @if change.changed { strong { (d.compare_changed) } } @else { (d.compare_same) } }
                    }
                }
            }
        }
    };
    frame::ok(&desk, Place::Assessments, &title, main)
}

/// The assessment as a document: Markdown or Word to edit, HTML to print. Private,
/// as every desk answer is (`no-store`).
pub async fn export(desk: Desk, path: web::Path<String>) -> Result<HttpResponse, Failure> {
    desk.may(Action::SelfAssess)?;
    let reader = &desk.reader;
    let format = reader.param("format").unwrap_or("html").to_owned();
    let (assessment, name) = readable(&desk, path.into_inner()).await?;
    let file = format!("assessment-{}-{}", assessment.entity, assessment.year);
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    match format.as_str() {
        "md" => Ok(response
            .content_type("text/markdown; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.md\""),
            ))
            .body(crate::publish::assessment::markdown(&assessment, &name))),
        "html" => Ok(response
            .content_type("text/html; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}.html\""),
            ))
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                crate::http::headers::EXPORT_POLICY,
            ))
            .body(crate::publish::assessment::html(&assessment, &name))),
        "docx" => {
            let bytes = crate::publish::assessment::docx(&assessment, &name)
                .map_err(AppError::internal)
                .or_page(reader)?;
            Ok(response
                .content_type(crate::publish::edition::Format::Docx.content_type())
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}.docx\""),
                ))
                .body(bytes))
        }
        other => Err(Failure::page(
            reader,
            AppError::invalid_field("format", format!("md, html or docx, not {other}")),
        )),
    }
}
