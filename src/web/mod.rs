//! The reader site: server-rendered HTML pages in the six UN languages,
//! over the same search and store as the API. No page needs JavaScript;
//! the templates are checked at compile time (maud) and every value they
//! print is escaped unless it was made safe on purpose (snippets, bodies).

pub mod assets;
pub mod compilations_page;
pub mod coverage_page;
pub mod desk;
pub mod feeds;
pub mod layout;
pub mod oai;
pub mod practice_page;
pub mod search_page;
pub mod sitemap;
pub mod subscription_pages;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};

use crate::error::AppError;
use crate::http::Answer;
use layout::Reader;

/// Registers the pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(search_page::show)))
        .service(web::resource("/practices/{id}").route(web::get().to(practice_page::show)))
        .service(web::resource("/compilations").route(web::get().to(compilations_page::list)))
        .service(web::resource("/coverage").route(web::get().to(coverage_page::show)))
        .service(web::resource("/compilations/{id}").route(web::get().to(compilations_page::show)))
        .service(
            web::resource("/feeds/compilations.atom")
                .route(web::get().to(feeds::compilations_feed)),
        )
        .service(web::resource("/feeds/practices.atom").route(web::get().to(feeds::practices_feed)))
        .service(
            web::resource("/subscriptions")
                .route(web::get().to(subscription_pages::ask_subscribe))
                .route(web::post().to(subscription_pages::subscribe)),
        )
        .service(
            web::resource("/subscriptions/confirm")
                .route(web::get().to(subscription_pages::ask_confirm))
                .route(web::post().to(subscription_pages::confirm)),
        )
        .service(
            web::resource("/subscriptions/unsubscribe")
                .route(web::get().to(subscription_pages::ask_unsubscribe))
                .route(web::post().to(subscription_pages::unsubscribe)),
        )
        .service(
            web::resource("/oai")
                .route(web::get().to(oai::harvest))
                .route(web::post().to(oai::harvest)),
        )
        .service(web::resource("/robots.txt").route(web::get().to(sitemap::robots)))
        .service(web::resource("/sitemap.xml").route(web::get().to(sitemap::sitemap)))
        .service(web::resource("/sitemaps/{file}").route(web::get().to(sitemap::part)))
        .service(web::resource("/static/{name}").route(web::get().to(assets::serve)))
        .configure(desk::configure);
}

/// The "not found" page in the reader's language.
pub fn not_found_page(request: &HttpRequest) -> HttpResponse {
    let reader = Reader::of(request);
    let l = reader.labels;
    layout::message_page(
        &reader,
        StatusCode::NOT_FOUND,
        &l.not_found_title,
        &[&l.not_found_text],
    )
}

/// What a page shows when its work fails: the reader's mistake explained
/// (a malformed search), or an apology; faults are logged, never shown.
pub fn error_page(reader: &Reader, error: AppError) -> HttpResponse {
    let l = reader.labels;
    match &error {
        AppError::BadRequest { .. } | AppError::Unprocessable { .. } => {
            let mut lines = error.lines();
            lines.push(l.bad_search_text.clone());
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            layout::message_page(reader, StatusCode::BAD_REQUEST, &l.bad_search_title, &lines)
        }
        AppError::NotFound(_) => layout::message_page(
            reader,
            StatusCode::NOT_FOUND,
            &l.not_found_title,
            &[&l.not_found_text],
        ),
        _ => {
            match &error {
                AppError::Internal(context) => tracing::error!(error = %context, "internal error"),
                other => tracing::warn!(error = %other, "a page could not be made"),
            }
            let status = error.status_code();
            let status = if status.is_server_error() {
                status
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            };
            layout::message_page(reader, status, &l.unavailable_title, &[&l.unavailable_text])
        }
    }
}

/// Whether the client asked for a page rather than data: browsers send
/// `text/html` first in `Accept`; API clients do not.
fn wants_html(request: &HttpRequest) -> bool {
    !request.path().starts_with("/api/")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

/// The answer for a path no route matches: a page for a browser, a
/// problem document for everyone else.
pub async fn fallback(request: HttpRequest) -> Answer {
    if wants_html(&request) && request.method() == actix_web::http::Method::GET {
        return Ok(not_found_page(&request));
    }
    Err(AppError::NotFound(format!(
        "there is nothing at {}",
        request.path()
    )))
}
