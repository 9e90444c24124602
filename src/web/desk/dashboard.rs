//! `/desk`: where a person starts. A focal point sees its entity's
//! submissions by status, those returned for changes first; an editor the
//! counts of every status and the way to the review queue.

use actix_web::HttpResponse;
use maud::{html, Markup};

use super::failure::Failure;
use super::frame::{self, table_head, Place};
use super::session::Desk;
use crate::domain::entities::names::name_in;
use crate::domain::page::{Page, MAX_LIMIT};
use crate::domain::workflow::Status;
use crate::i18n::{self, desk};
use crate::service::submissions as intake;
use crate::service::views::SubmissionSummary;

/// The order a focal point's work comes in: what needs them first.
const ORDER: [Status; 6] = [
    Status::ChangesRequested,
    Status::Draft,
    Status::Submitted,
    Status::Accepted,
    Status::Rejected,
    Status::Withdrawn,
];

/// A table of submissions, each linked to its page.
pub fn table(
    desk: &Desk,
    caption: &str,
    items: &[&SubmissionSummary],
    with_entity: bool,
) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let mut columns = vec![d.column_title.as_str()];
    if with_entity {
        columns.push(&d.column_entity);
    }
    columns.extend([
        d.column_language.as_str(),
        &d.column_practices,
        &d.column_status,
        &d.column_updated,
    ]);
    html! {
        table.submissions {
            (table_head(caption, &columns, None))
            tbody {
                @for s in items {
                    tr {
                        td lang=(s.language.code()) { a href=(reader.link(&format!("/desk/submissions/{}", s.id))) { (s.title) } }
                        @if with_entity { td { (name_in(&s.entity, &s.entity_name, reader.language)) } }
                        td { (reader.labels.language(s.language)) }
                        td { (s.practices_count) }
                        td { (d.status(s.status)) }
                        td { time dir="ltr" datetime=(s.updated_at.to_rfc3339()) { (s.updated_at.format("%Y-%m-%d")) } }
                    }
                }
            }
        }
    }
}

pub async fn show(desk: Desk) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let entity = desk.user.entity.clone();
    let editor = desk.user.role.is_editor();
    let page = Page {
        limit: MAX_LIMIT,
        after: None,
    };
    let language = desk.reader.language;
    let (counts, mine, entity_name) = desk
        .run(move |c| {
            let entities = entity.clone().map(|e| vec![e]);
            let counts = intake::counts(c, entities.clone())?;
            // A focal point's own submissions; an editor works from the queue.
            let mine = match &entities {
                Some(_) => intake::list(c, entities, Vec::new(), &page)?,
                None => Vec::new(),
            };
            let name = match &entity {
                Some(code) => {
                    let stored = intake::entity_name(c, code)?;
                    Some(name_in(code.as_str(), &stored, language).to_owned())
                }
                None => None,
            };
            Ok((counts, mine, name))
        })
        .await?;
    let count_of = |status: Status| {
        counts
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    };
    let heading = match &entity_name {
        Some(name) => i18n::fill(&d.dashboard_entity, &[("entity", name)]),
        None => d.dashboard_all.clone(),
    };
    let main = html! {
        h1 { (d.dashboard_title) }
        h2 { (heading) }
        ul.counts {
            @for status in ORDER {
                li { span.status data-status=(status.as_str()) { (d.status(status)) } ": " (reader.labels.number(count_of(status) as u64)) }
            }
        }
        @if editor {
            p { a href=(reader.link("/desk/review")) {
                (i18n::fill(&d.dashboard_review, &[("count", &reader.labels.number(count_of(Status::Submitted) as u64))]))
            } }
        }
        @if !editor {
            p { a.button href=(reader.link("/desk/submissions/new")) { (d.new_submission_link) } }
            @if mine.is_empty() {
                p { (d.dashboard_empty) }
            }
            @for status in ORDER {
                @let of_status: Vec<&SubmissionSummary> = mine.iter().filter(|s| s.status == status).collect();
                @if !of_status.is_empty() {
                    (table(&desk, d.status(status), &of_status, false))
                }
            }
        }
    };
    frame::ok(&desk, Place::Dashboard, &d.dashboard_title, main)
}
