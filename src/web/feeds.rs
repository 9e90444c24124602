//! `/feeds/compilations.atom` and `/feeds/practices.atom`: Atom feeds of
//! the published editions and of the newest accepted practices, for feed
//! readers and for other sites that follow the catalogue.

use actix_web::{HttpRequest, HttpResponse};

use crate::domain::annex::annex;
use crate::domain::Language;
use crate::http::conditional;
use crate::http::{Answer, State};
use crate::i18n::{fill, labels};
use crate::publish::atom::{Feed, FeedEntry};
use crate::service::{catalogue, compilations};
use crate::text::markdown::to_plain_text;
use crate::text::shortened;

/// Entries a feed holds: feed readers poll, they do not page back.
const FEED_ENTRIES: i64 = 50;
const SUMMARY_CHARS: usize = 400;

/// The feed's language: `?lang=`, else English. Not the browser's
/// preference: a feed reader polls the address it was given, and a cached
/// feed must not change language with whoever asked first.
fn language_of(request: &HttpRequest) -> Language {
    form_urlencoded::parse(request.query_string().as_bytes())
        .find(|(key, _)| key == "lang")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(Language::En)
}

/// `path` with the feed's language, which English, the default, leaves
/// out: the English feeds keep the ids they were first published with.
fn in_language(path: String, language: Language) -> String {
    match language {
        Language::En => path,
        other => format!("{path}?lang={}", other.code()),
    }
}

fn atom(request: &HttpRequest, xml: String) -> HttpResponse {
    conditional::document(
        request,
        xml.into_bytes(),
        "application/atom+xml; charset=utf-8",
        "public, max-age=300",
    )
}

/// `GET /feeds/compilations.atom`.
pub async fn compilations_feed(state: State, request: HttpRequest) -> Answer {
    // Without a trailing slash: the settings trim it when they are read.
    let base = state.settings.http.public_url.clone();
    let editions = state
        .store
        .run(|c| compilations::published(c, FEED_ENTRIES))
        .await?;
    let language = language_of(&request);
    let l = labels(language);
    let entries = editions
        .into_iter()
        .filter_map(|edition| {
            let (number, published) = (edition.number?, edition.published_at?);
            let count = fill(
                &l.entries_count,
                &[("count", &l.number(edition.entries_count.max(0) as u64))],
            );
            let introduction = edition
                .introduction
                .as_deref()
                .map(to_plain_text)
                .unwrap_or_default();
            Some(FeedEntry {
                id: edition.id.clone(),
                title: format!(
                    "{}: {}",
                    fill(&l.edition_number, &[("number", &number.to_string())]),
                    edition.title
                ),
                language: None,
                link: in_language(format!("{base}/compilations/{}", edition.id), language),
                updated: published,
                published: Some(published),
                author: "United Nations Secretariat".to_owned(),
                summary: shortened(format!("{count}. {introduction}").trim(), SUMMARY_CHARS),
                categories: Vec::new(),
            })
        })
        .collect();
    let feed = Feed {
        self_link: in_language(format!("{base}/feeds/compilations.atom"), language),
        language,
        alternate: in_language(format!("{base}/compilations"), language),
        title: format!("{}: {}", l.site_name, l.compilations_heading),
        subtitle: l.compilations_intro.clone(),
        entries,
    };
    Ok(atom(&request, feed.render()))
}

/// `GET /feeds/practices.atom`.
pub async fn practices_feed(state: State, request: HttpRequest) -> Answer {
    // Without a trailing slash: the settings trim it when they are read.
    let base = state.settings.http.public_url.clone();
    let (newest, entities) = state
        .store
        .run(|c| catalogue::newest(c, FEED_ENTRIES))
        .await?;
    let language = language_of(&request);
    let l = labels(language);
    let annex = annex();
    let entries = newest
        .into_iter()
        .map(|entry| {
            let practice = entry.practice;
            let author = entities
                .get(&entry.entity)
                .map_or(entry.entity.as_str(), |e| e.name_in(language))
                .to_owned();
            FeedEntry {
                link: in_language(format!("{base}/practices/{}", practice.id), language),
                title: practice.title,
                language: entry.language.parse().ok(),
                updated: entry.accepted_at.max(practice.updated_at),
                published: Some(entry.accepted_at),
                author,
                summary: shortened(&to_plain_text(&practice.body), SUMMARY_CHARS),
                categories: practice
                    .items
                    .iter()
                    .map(|&item| {
                        (
                            item.to_string(),
                            annex.item(item).title.get(language).to_owned(),
                        )
                    })
                    .collect(),
                id: practice.id,
            }
        })
        .collect();
    let feed = Feed {
        self_link: in_language(format!("{base}/feeds/practices.atom"), language),
        language,
        alternate: in_language(format!("{base}/"), language),
        title: l.site_name.clone(),
        subtitle: l.site_tagline.clone(),
        entries,
    };
    Ok(atom(&request, feed.render()))
}
