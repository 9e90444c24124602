//! The frame every reader page shares: document head, header with the
//! navigation and the language switcher, landmarks, footer. Pages give it
//! their title and main content.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use maud::{html, Markup, DOCTYPE};

use super::assets;
use crate::domain::Language;
use crate::i18n::{self, Labels};

/// Which entry of the navigation the page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Search,
    Compilations,
    Coverage,
    Other,
}

/// What a page knows of its reader and its own address.
pub struct Reader {
    pub language: Language,
    pub labels: &'static Labels,
    path: String,
    /// The query string's pairs, but `lang`: the switcher keeps them.
    query: Vec<(String, String)>,
    /// The public URL, without a trailing slash: language alternates are
    /// absolute, as search engines require.
    pub base: String,
}

impl Reader {
    /// The reader of a request: `?lang=`, else `Accept-Language`.
    pub fn of(request: &HttpRequest) -> Reader {
        let query: Vec<(String, String)> =
            form_urlencoded::parse(request.query_string().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        let requested = query
            .iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str());
        let accept = request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let language = i18n::negotiate(requested, accept);
        Reader {
            language,
            labels: i18n::labels(language),
            path: request.path().to_owned(),
            query: query.into_iter().filter(|(k, _)| k != "lang").collect(),
            base: request
                .app_data::<crate::http::State>()
                .map(|state| state.settings.http.public_url.clone())
                .unwrap_or_default(),
        }
    }

    /// A parameter of the page's query string (any but `lang`).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter of the page's query string but `lang`, in order.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// A link within the site in the reader's language.
    pub fn link(&self, path: &str) -> String {
        self.link_with(path, &[])
    }

    pub fn link_with(&self, path: &str, pairs: &[(&str, &str)]) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            query.append_pair(key, value);
        }
        query.append_pair("lang", self.language.code());
        format!("{path}?{}", query.finish())
    }

    /// This page in another language (or, without one, in the reader's
    /// browser's).
    fn in_language(&self, language: Option<Language>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.query {
            query.append_pair(key, value);
        }
        if let Some(language) = language {
            query.append_pair("lang", language.code());
        }
        let query = query.finish();
        let separator = if query.is_empty() { "" } else { "?" };
        format!("{}{separator}{query}", self.path)
    }
}

fn navigation(reader: &Reader, current: Section) -> Markup {
    let l = reader.labels;
    let entries = [
        (Section::Search, "/", &l.nav_search),
        (Section::Compilations, "/compilations", &l.nav_compilations),
        (Section::Coverage, "/coverage", &l.nav_coverage),
    ];
    html! {
        nav.site-nav aria-label=(l.nav_label) {
            ul {
                @for (section, path, name) in entries {
                    li {
                        a href=(reader.link(path)) aria-current=[(section == current).then_some("page")] { (name) }
                    }
                }
                li { a href="/docs/" { (l.nav_api) } }
            }
        }
    }
}

fn language_switcher(reader: &Reader) -> Markup {
    html! {
        section.languages aria-labelledby="languages-heading" {
            h2 #languages-heading { (reader.labels.language_menu) }
            ul {
                @for language in Language::ALL {
                    li {
                        a href=(reader.in_language(Some(language)))
                            lang=(language.code())
                            hreflang=(language.code())
                            aria-current=[(language == reader.language).then_some("true")] {
                            (i18n::labels(language).language_name)
                        }
                    }
                }
            }
        }
    }
}

/// A whole page of the reader site.
pub fn page(reader: &Reader, current: Section, title: &str, main: Markup) -> Markup {
    frame(reader, title, navigation(reader, current), main)
}

/// A reader page answered 200.
pub fn ok(reader: &Reader, current: Section, title: &str, main: Markup) -> HttpResponse {
    respond(reader, StatusCode::OK, page(reader, current, title, main))
}

/// The document around a page's navigation and content: the reader site
/// and the desk differ only in their navigation.
pub fn frame(reader: &Reader, title: &str, navigation: Markup, main: Markup) -> Markup {
    let l = reader.labels;
    let direction = if reader.language.is_right_to_left() {
        "rtl"
    } else {
        "ltr"
    };
    let full_title = if title == l.site_name {
        title.to_owned()
    } else {
        format!("{title} · {}", l.site_name)
    };
    html! {
        (DOCTYPE)
        html lang=(reader.language.code()) dir=(direction) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                meta name="description" content=(l.site_tagline);
                link rel="stylesheet" href=(assets::url("site.css"));
                link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
                @for language in Language::ALL {
                    link rel="alternate" hreflang=(language.code()) href={ (reader.base) (reader.in_language(Some(language))) };
                }
                link rel="alternate" hreflang="x-default" href={ (reader.base) (reader.in_language(None)) };
            }
            body {
                a.skip-link href="#main" { (l.skip_to_content) }
                header.site-header {
                    div.bar {
                        a.brand href=(reader.link("/")) {
                            strong { (l.site_name) }
                            span { (l.site_tagline) }
                        }
                        (navigation)
                        (language_switcher(reader))
                    }
                }
                main #main tabindex="-1" { (main) }
                footer.site-footer { p { (l.footer) } }
            }
        }
    }
}

/// An HTML answer. Pages differ by language when no `?lang=` says which,
/// so caches must key on `Accept-Language`; they may keep a page a minute,
/// the time a newly accepted practice takes to reach every replica's index.
pub fn respond(reader: &Reader, status: StatusCode, markup: Markup) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_LANGUAGE, reader.language.code()))
        .insert_header((header::VARY, HeaderValue::from_static("Accept-Language")));
    if status.is_success() {
        response.insert_header((header::CACHE_CONTROL, "public, max-age=60"));
    } else {
        response.insert_header((header::CACHE_CONTROL, "no-store"));
    }
    response.body(markup.into_string())
}

/// A page that only says what went wrong, in the reader's language.
pub fn message_page(
    reader: &Reader,
    status: StatusCode,
    title: &str,
    text: &[&str],
) -> HttpResponse {
    let l = reader.labels;
    let main = html! {
        h1 { (title) }
        @for line in text { p { (line) } }
        p { a href=(reader.link("/")) { (l.not_found_home) } }
    };
    respond(reader, status, page(reader, Section::Other, title, main))
}
