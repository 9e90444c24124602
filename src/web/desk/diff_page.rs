//! `/desk/submissions/{id}/diff?from=N&to=M`: what changed between two
//! versions, inserted words in `<ins>` and deleted ones in `<del>`; the
//! review page shows the same since the version last submitted.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::failure::{Failure, OrPage};
use super::frame::{self, Place};
use super::session::Desk;
use crate::auth::{submission_guard, SubmissionAction};
use crate::domain::diff::{Change, OpKind, VersionDiff};
use crate::domain::submission::Submission;
use crate::error::AppError;
use crate::i18n::{self, desk};
use crate::service::submissions as intake;
use crate::web::layout::Reader;

/// A field's name as the reader reads it: "Practice 2: description".
fn field_name(d: &desk::DeskLabels, path: &str) -> String {
    let Some(rest) = path.strip_prefix("practices[") else {
        return match path {
            "title" => d.diff_field_title.clone(),
            "summary" => d.diff_field_summary.clone(),
            "language" => d.diff_field_language.clone(),
            other => other.to_owned(),
        };
    };
    let (index, field) = rest.split_once("].").unwrap_or((rest, ""));
    let number = index.parse::<usize>().map_or(0, |i| i + 1).to_string();
    let template = match field {
        "title" => &d.diff_practice_title,
        "body" => &d.diff_practice_body,
        "items" => &d.diff_practice_items,
        _ => &d.diff_practice_sectors,
    };
    i18n::fill(template, &[("number", &number)])
}

/// The changes as a list of fields, each with its text marked up.
pub fn changes(d: &desk::DeskLabels, changes: &[Change]) -> Markup {
    html! {
        @if changes.is_empty() {
            p { (d.diff_no_changes) }
        } @else {
            dl.diff {
                @for change in changes {
                    dt { (field_name(d, &change.path)) }
                    dd.diff-text {
                        @for op in &change.ops {
                            @match op.op {
                                OpKind::Equal => span { (op.text) },
                                // Said in words too: screen readers do not announce ins and del.
                                OpKind::Insert => ins { span.visually-hidden { "[" (d.diff_inserted) ": " } (op.text) span.visually-hidden { "]" } },
                                OpKind::Delete => del { span.visually-hidden { "[" (d.diff_deleted) ": " } (op.text) span.visually-hidden { "]" } },
                            }
                        }
                    }
                }
            }
        }
    }
}

fn version_in(reader: &Reader, name: &str) -> Result<Option<i64>, AppError> {
    reader
        .param(name)
        .map(|v| {
            v.trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| AppError::invalid_field(name, "a version number from 1"))
        })
        .transpose()
}

pub async fn show(desk: Desk, path: web::Path<String>) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let caller = desk.caller();
    let id = path.into_inner();
    let to = version_in(reader, "to").or_page(reader)?;
    let from = version_in(reader, "from").or_page(reader)?;
    let (submission, diff): (Submission, VersionDiff) = desk
        .run(move |c| {
            let guard = submission_guard(&caller, SubmissionAction::Read);
            let (submission, _) = intake::visible(c, &id, &guard)?;
            let to = to.unwrap_or(submission.version);
            let from = from.unwrap_or(to - 1).max(1);
            let diff = intake::diff(c, &submission.id, from, to)?;
            Ok((submission, diff))
        })
        .await?;
    let title = i18n::fill(
        &d.diff_title,
        &[
            ("from", &diff.from.to_string()),
            ("to", &diff.to.to_string()),
        ],
    );
    let main = html! {
        p.back { a href=(reader.link(&format!("/desk/submissions/{}", submission.id))) { "← " (d.back_to_submission) } }
        h1 { (title) }
        p lang=(submission.language.code()) { (submission.title) }
        (changes(d, &diff.changes))
    };
    frame::ok(&desk, Place::Other, &title, main)
}
