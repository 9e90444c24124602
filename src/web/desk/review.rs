//! `/desk/review`: the editors' queue of submitted replies, oldest first
//! (the one waiting longest is read first), narrowed by entity, language
//! or annex section, a page at a time.

use actix_web::HttpResponse;
use maud::html;

use super::dashboard;
use super::failure::{Failure, OrPage};
use super::frame::{self, Place};
use super::session::Desk;
use crate::auth::Action;
use crate::domain::annex::{annex, SectionId};
use crate::domain::entities::EntityCode;
use crate::domain::page::{Page, DEFAULT_LIMIT};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{self, desk};
use crate::service::submissions as intake;
use crate::web::layout::Reader;

/// The queue's filters, as the form sends them; an empty field is no filter.
#[derive(Debug, Default)]
struct Filters {
    entity: Option<EntityCode>,
    language: Option<Language>,
    section: Option<SectionId>,
    after: Option<String>,
}

impl Filters {
    fn of(reader: &Reader) -> Result<Filters, AppError> {
        let mut filters = Filters::default();
        for (key, value) in reader.params() {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "entity" => {
                    filters.entity = Some(
                        EntityCode::parse(value)
                            .map_err(|e| AppError::invalid_field("entity", e.to_string()))?,
                    )
                }
                "language" => {
                    filters.language = Some(value.parse().map_err(
                        |e: crate::domain::language::UnknownLanguage| {
                            AppError::invalid_field("language", e.to_string())
                        },
                    )?)
                }
                "section" => {
                    filters.section = Some(value.parse().map_err(
                        |e: crate::domain::annex::UnknownSection| {
                            AppError::invalid_field("section", e.to_string())
                        },
                    )?)
                }
                "after" => filters.after = Some(value.to_owned()),
                _ => {}
            }
        }
        Ok(filters)
    }
}

pub async fn show(desk: Desk) -> Result<HttpResponse, Failure> {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    desk.may(Action::CuratePractices)?;
    let filters = Filters::of(reader).or_page(reader)?;
    let page = Page {
        limit: DEFAULT_LIMIT * 2,
        after: filters.after.clone(),
    };
    let (entity, language, section) = (filters.entity.clone(), filters.language, filters.section);
    let fetch = page.clone();
    let mut items = desk
        .run(move |c| intake::queue(c, entity, language, section, &fetch))
        .await?;
    let more = items.len() > page.limit as usize;
    items.truncate(page.limit as usize);
    let next = more.then(|| items.last().map(|s| s.id.clone())).flatten();
    let entity_text = filters
        .entity
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let section_text = filters.section.map(|s| s.to_string()).unwrap_or_default();
    let next_link = next.map(|after| {
        let mut pairs = vec![("after", after.as_str())];
        if !entity_text.is_empty() {
            pairs.push(("entity", entity_text.as_str()));
        }
        if let Some(l) = filters.language {
            pairs.push(("language", l.code()));
        }
        if !section_text.is_empty() {
            pairs.push(("section", section_text.as_str()));
        }
        reader.link_with("/desk/review", &pairs)
    });
    let annex = annex();
    let rows: Vec<_> = items.iter().collect();
    let main = html! {
        h1 { (d.review_title) }
        p { (d.review_intro) }
        form.filters-inline method="get" action="/desk/review" {
            input type="hidden" name="lang" value=(reader.language.code());
            label for="filter-entity" { (d.filter_entity) }
            input #filter-entity type="text" name="entity" size="8" value=(entity_text);
            label for="filter-language" { (d.filter_language) }
            select #filter-language name="language" {
                option value="" { (d.filter_any) }
                @for l in Language::ALL {
                    option value=(l.code()) selected[filters.language == Some(l)] { (reader.labels.language(l)) }
                }
            }
            label for="filter-section" { (d.filter_section) }
            select #filter-section name="section" {
                option value="" { (d.filter_any) }
                @for s in &annex.sections {
                    option value=(s.id) selected[filters.section == Some(s.id)] { (s.id) ". " (s.title.get(reader.language)) }
                }
            }
            button type="submit" { (d.filter_button) }
        }
        @if items.is_empty() {
            p { (d.review_empty) }
        } @else {
            (dashboard::table(&desk, &i18n::fill(&d.review_count, &[("count", &reader.labels.number(items.len() as u64))]), &rows, true))
        }
        @if let Some(link) = &next_link {
            p { a rel="next" href=(link) { (reader.labels.next_page) } }
        }
    };
    frame::ok(&desk, Place::Review, &d.review_title, main)
}
