//! `/compilations`: the published editions of the compilation. None exist
//! until editors can publish them; the page says so rather than showing an
//! empty list.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use maud::html;

use super::layout::{self, Reader, Section};

/// `GET /compilations`.
pub async fn list(request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let main = html! {
        h1 { (l.compilations_heading) }
        p { (l.compilations_intro) }
        section.empty { p { (l.compilations_none) } }
    };
    layout::respond(
        &reader,
        StatusCode::OK,
        layout::page(
            &reader,
            Section::Compilations,
            &l.compilations_heading,
            main,
        ),
    )
}
