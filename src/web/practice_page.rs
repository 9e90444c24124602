//! `/practices/{id}`: one practice of the catalogue, whole, with where it
//! came from and a link that will always find it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup, PreEscaped};

use super::layout::{self, Reader, Section};
use crate::domain::annex::{annex, AnnexItem};
use crate::domain::entities::names::name_in;
use crate::domain::translation::Origin;
use crate::error::AppError;
use crate::http::State;
use crate::i18n::fill;
use crate::publish::linked_data::{self, PracticeFacts};
use crate::service::practices::{find_public, withdrawal, CataloguePractice};
use crate::text::{markdown, shortened};

/// How much of the body a search engine's description quotes.
const DESCRIPTION_CHARS: usize = 300;

/// The page of a practice; its text is in its own language, or in a
/// courtesy translation into the reader's (said so, with a link to the
/// original); the frame is in the reader's language.
pub fn render(reader: &Reader, practice: &CataloguePractice, permalink: &str) -> Markup {
    let l = reader.labels;
    let language = practice.language;
    let path = format!("/practices/{}", practice.id);
    let original = practice.original_language;
    let translation_note = practice.translated_by.map(|origin| match origin {
        Origin::Secretariat => &l.translation_by_secretariat,
        Origin::FocalPoint => &l.translation_by_focal_point,
    });
    // Reading the original while a translation into the reader's language
    // exists: offer it.
    let offered = (!practice.translated && practice.translations.contains(&reader.language))
        .then_some(reader.language);
    let direction = if language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let annex = annex();
    let day = |t: &chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d").to_string();
    let main = html! {
        article.practice aria-labelledby="practice-title" {
            p.back { a href=(reader.link("/")) { "← " (l.back_to_search) } }
            h1 #practice-title lang=(language.code()) dir=(direction) { (practice.title) }
            @if let Some(note) = translation_note {
                div.translation-note role="note" {
                    p { (fill(note, &[("language", l.language(original))])) }
                    p { a href=(reader.link_with(&path, &[("original", "1")])) lang=(original.code()) hreflang=(original.code()) { (fill(&l.read_original, &[("language", l.language(original))])) } }
                }
            }
            @if let Some(wanted) = offered {
                p.translation-note { a href=(reader.link(&path)) { (fill(&l.read_translation, &[("language", l.language(wanted))])) } }
            }
            dl.facts {
                dt { (l.practice_from) }
                dd { (name_in(&practice.entity, &practice.entity_name, reader.language)) " (" (l.entity_type(practice.entity_type)) ")" }
                dt { (l.practice_language) }
                dd { (l.language(original)) }
                dt { (l.practice_received) }
                dd { time dir="ltr" datetime=(practice.received_at.to_rfc3339()) { (day(&practice.received_at)) } }
                dt { (l.practice_accepted) }
                dd { time dir="ltr" datetime=(practice.accepted_at.to_rfc3339()) { (day(&practice.accepted_at)) } }
                dt { (l.practice_submission) }
                dd { code dir="ltr" { (practice.submission_id) } }
                dt { (l.permalink) }
                dd { a dir="ltr" href=(permalink) { (permalink) } }
            }
            div.body lang=(language.code()) dir=(direction) {
                (PreEscaped(markdown::to_safe_html(&practice.body, 3)))
            }
            @if let Some(note) = &practice.editorial_note {
                section.note aria-labelledby="note-heading" {
                    h2 #note-heading { (l.practice_note) }
                    p { (note) }
                }
            }
            script type="application/ld+json" { (PreEscaped(linked_data(reader, practice, permalink))) }
            section aria-labelledby="items-heading" {
                h2 #items-heading { (l.practice_items) }
                ul.annex-items {
                    @for item in practice.items.iter().filter_map(|&n| AnnexItem::new(n)) {
                        @let text = annex.item(item);
                        li {
                            a href=(reader.link_with("/", &[("item", &item.to_string())])) {
                                strong { (item) ". " (text.title.get(reader.language)) }
                            }
                            " — " (text.summary.get(reader.language))
                        }
                    }
                }
            }
        }
    };
    layout::page(reader, Section::Search, &practice.title, main)
}

/// What the page is, for search engines: schema.org JSON-LD.
fn linked_data(reader: &Reader, practice: &CataloguePractice, permalink: &str) -> String {
    let l = reader.labels;
    let annex = annex();
    let description = shortened(&markdown::to_plain_text(&practice.body), DESCRIPTION_CHARS);
    linked_data::practice(&PracticeFacts {
        url: permalink,
        site_name: &l.site_name,
        site_url: &format!("{}/", reader.base),
        name: &practice.title,
        description: &description,
        language: practice.language.code(),
        translated_from: practice
            .translated
            .then_some(practice.original_language.code()),
        author: name_in(&practice.entity, &practice.entity_name, practice.language),
        author_is_organisation: practice.entity_type.is_organisation(),
        published: practice.accepted_at,
        items: practice
            .items
            .iter()
            .filter_map(|&n| AnnexItem::new(n))
            .map(|item| (item.number(), annex.item(item).title.get(practice.language)))
            .collect(),
    })
}

/// `GET /practices/{id}`.
pub async fn show(state: State, request: HttpRequest, id: web::Path<String>) -> HttpResponse {
    let reader = Reader::of(&request);
    let id = id.into_inner();
    let lookup = id.clone();
    // `?original=1`: the text of record, whatever translations there are.
    let wanted = (!asks_for_original(&request)).then_some(reader.language);
    match state
        .store
        .run(move |c| find_public(c, &lookup, wanted))
        .await
    {
        Ok(Some(practice)) => {
            let permalink = format!(
                "{}/practices/{}",
                state.settings.http.public_url, practice.id
            );
            layout::respond(
                &reader,
                StatusCode::OK,
                render(&reader, &practice, &permalink),
            )
        }
        Ok(None) => super::not_found_page(&request),
        Err(AppError::Gone(_)) => withdrawn_page(&state, &reader, id).await,
        Err(error) => super::error_page(&reader, error),
    }
}

fn asks_for_original(request: &HttpRequest) -> bool {
    form_urlencoded::parse(request.query_string().as_bytes())
        .any(|(key, value)| key == "original" && value == "1")
}

/// A practice the Secretariat withdrew: 410, and its reason.
async fn withdrawn_page(state: &State, reader: &Reader, id: String) -> HttpResponse {
    let l = reader.labels;
    match state.store.run(move |c| withdrawal(c, &id)).await {
        Ok(Some((_, reason))) => layout::message_page(
            reader,
            StatusCode::GONE,
            &l.practice_withdrawn_title,
            &[&l.practice_withdrawn_text, &reason],
        ),
        Ok(None) => super::error_page(reader, AppError::internal("a withdrawal vanished")),
        Err(error) => super::error_page(reader, error),
    }
}
