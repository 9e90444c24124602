//! `/compilations` and `/compilations/{id}`: the published editions of the
//! compilation, listed and read, in the reader's language around the
//! practices' own. Drafts are not pages: they exist only for editors, in
//! the API.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, PreEscaped};

use super::layout::{self, Reader, Section};
use crate::domain::compilation::{Compilation, Entry};
use crate::http::State;
use crate::i18n::fill;
use crate::publish::edition::{self, html::contents, status_line, Format, Reading};
use crate::publish::linked_data::{self, EditionFacts};
use crate::service::compilations as editions;

/// Editions a page lists: more than the Secretariat publishes in years.
const LISTED: i64 = 500;

/// `GET /compilations`.
pub async fn list(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let editions = match state.store.run(|c| editions::published(c, LISTED)).await {
        Ok(editions) => editions,
        Err(error) => return super::error_page(&reader, error),
    };
    let main = html! {
        h1 { (l.compilations_heading) }
        p { (l.compilations_intro) }
        @if editions.is_empty() {
            section.empty { p { (l.compilations_none) } }
        } @else {
            table.editions {
                thead { tr {
                    th scope="col" { (l.column_edition) }
                    th scope="col" { (l.column_title) }
                    th scope="col" { (l.column_published) }
                    th scope="col" { (l.column_practices) }
                } }
                tbody {
                    @for compilation in &editions {
                        tr {
                            td { (compilation.number.map(|n| n.to_string()).unwrap_or_default()) }
                            td { a href=(reader.link(&format!("/compilations/{}", compilation.id))) { (compilation.title) } }
                            td { time dir="ltr" { (compilation.published_at.as_ref().map(edition::day).unwrap_or_default()) } }
                            td.number { (l.number(compilation.entries_count.max(0) as u64)) }
                        }
                    }
                }
            }
        }
        p {
            a href=(reader.link("/subscriptions")) { (l.subscribe_link) }
            " · "
            a href="/feeds/compilations.atom" type="application/atom+xml" { "Atom" }
        }
    };
    layout::ok(
        &reader,
        Section::Compilations,
        &l.compilations_heading,
        main,
    )
}

/// `GET /compilations/{id}`: an edition, whole.
pub async fn show(state: State, request: HttpRequest, id: web::Path<String>) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let id = id.into_inner();
    // Drafts are never pages: an editor reviews them through the API.
    let language = reader.language;
    let found = state
        .store
        .run(move |c| {
            let (compilation, entries) = editions::visible(c, &id, false)?;
            let translations = editions::translations_of(c, &entries, language)?;
            Ok((compilation, entries, translations))
        })
        .await;
    let (compilation, entries, translations) = match found {
        Ok(found) => found,
        Err(error) => return super::error_page(&reader, error),
    };
    let link =
        |entry: &Entry| Some(reader.link(&format!("/practices/{}", entry.source.practice_id)));
    let export = |format: &str| {
        format!(
            "/api/v1/compilations/{}/export?format={format}&lang={}",
            compilation.id,
            language.code()
        )
    };
    let title = match compilation.number {
        Some(number) => format!(
            "{} · {}",
            fill(&l.edition_number, &[("number", &number.to_string())]),
            compilation.title
        ),
        None => compilation.title.clone(),
    };
    let main = html! {
        article.compilation {
            h1 { (compilation.title) }
            p.total { (status_line(l, &compilation)) }
            nav.downloads aria-label=(l.downloads) {
                (l.downloads) ": "
                a href=(export("html")) { "HTML" } " · "
                a href=(export("docx")) { "Word" } " · "
                a href=(export("md")) { "Markdown" } " · "
                a href=(export("csv")) { "CSV" } " · "
                a href=(export("json")) { "JSON" }
            }
            (contents(&Reading::new(language, &translations), &compilation, &entries, &link))
            script type="application/ld+json" { (PreEscaped(edition_data(&reader, &compilation, &export))) }
        }
    };
    layout::ok(&reader, Section::Compilations, &title, main)
}

/// What the edition page is, for search engines: schema.org JSON-LD.
fn edition_data(
    reader: &Reader,
    compilation: &Compilation,
    export: &dyn Fn(&str) -> String,
) -> String {
    let base = &reader.base;
    let url = format!("{base}/compilations/{}", compilation.id);
    linked_data::edition(&EditionFacts {
        url: &url,
        site_name: &reader.labels.site_name,
        site_url: &format!("{base}/"),
        name: &compilation.title,
        number: compilation.number.map(|n| n.to_string()),
        published: compilation.published_at,
        language: reader.language.code(),
        downloads: [
            Format::Html,
            Format::Docx,
            Format::Markdown,
            Format::Csv,
            Format::Json,
        ]
        .into_iter()
        .map(|format| {
            (
                format.content_type(),
                format!("{base}{}", export(format.extension())),
            )
        })
        .collect(),
    })
}
