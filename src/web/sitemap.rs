//! `/robots.txt`, `/sitemap.xml` and `/sitemaps/…`: the site as search
//! engines read it. Small sites get one sitemap; past the protocol's
//! 50,000 addresses (or `COMPENDIUM_SITEMAP_URLS_PER_FILE`), an index of
//! the fixed pages and editions, then the practices a file at a time.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::AppError;
use crate::http::{conditional, Answer, State};
use crate::publish::sitemap::{self, Plan, Url};
use crate::service::discovery::{self, Overview};

const FIXED: [&str; 3] = ["/", "/compilations", "/coverage"];

fn xml(request: &HttpRequest, body: String) -> HttpResponse {
    conditional::document(
        request,
        body.into_bytes(),
        "application/xml; charset=utf-8",
        "public, max-age=3600",
    )
}

/// The fixed pages and every published edition.
fn pages(overview: &Overview) -> Vec<Url> {
    let mut urls: Vec<Url> = FIXED
        .iter()
        .map(|path| Url {
            path: (*path).to_owned(),
            last_modified: None,
        })
        .collect();
    urls.extend(overview.editions.iter().map(|edition| Url {
        path: format!("/compilations/{}", edition.id),
        last_modified: edition.published_at,
    }));
    urls
}

fn practice_urls(stamps: Vec<(String, chrono::DateTime<chrono::Utc>)>) -> Vec<Url> {
    stamps
        .into_iter()
        .map(|(id, at)| Url {
            path: format!("/practices/{id}"),
            last_modified: Some(at),
        })
        .collect()
}

/// Addresses a file lists: the setting, held to the protocol's limit.
fn per_file(state: &State) -> usize {
    state
        .settings
        .harvest
        .sitemap_urls_per_file
        .clamp(1, sitemap::MAX_URLS)
}

/// `GET /robots.txt`.
pub async fn robots(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(sitemap::robots(&state.settings.http.public_url))
}

/// Which file of the site's sitemaps is asked for.
#[derive(Clone, Copy)]
enum Asked {
    /// `/sitemap.xml`.
    Root,
    /// `/sitemaps/pages.xml`.
    Pages,
    /// `/sitemaps/practices-N.xml`.
    Practices(usize),
}

/// What the site holds, how its sitemaps split it, and the practices the
/// file asked for lists (none when it lists none, or does not exist).
struct Survey {
    overview: Overview,
    plan: Plan,
    practices: Vec<Url>,
}

async fn survey(state: &State, asked: Asked) -> Result<Survey, AppError> {
    let per_file = per_file(state);
    let (overview, plan, stamps) = state
        .store
        .run(move |c| {
            let overview = discovery::overview(c)?;
            let plan = sitemap::plan(
                FIXED.len() + overview.editions.len(),
                overview.practices,
                per_file,
            );
            let stamps = match (plan, asked) {
                (Plan::Single, Asked::Root) => discovery::practices(c, 0, per_file)?,
                (Plan::Index { practice_files }, Asked::Practices(n)) if n <= practice_files => {
                    discovery::practices(c, (n - 1) * per_file, per_file)?
                }
                _ => Vec::new(),
            };
            Ok((overview, plan, stamps))
        })
        .await?;
    Ok(Survey {
        overview,
        plan,
        practices: practice_urls(stamps),
    })
}

/// `GET /sitemap.xml`: every page, or an index of the files that list them.
pub async fn sitemap(state: State, request: HttpRequest) -> Answer {
    let survey = survey(&state, Asked::Root).await?;
    let base = &state.settings.http.public_url;
    let body = match survey.plan {
        Plan::Single => {
            let mut urls = pages(&survey.overview);
            urls.extend(survey.practices);
            sitemap::urlset(base, &urls)
        }
        Plan::Index { practice_files } => {
            let mut files = vec!["/sitemaps/pages.xml".to_owned()];
            files.extend((1..=practice_files).map(|n| format!("/sitemaps/practices-{n}.xml")));
            sitemap::index(base, &files)
        }
    };
    Ok(xml(&request, body))
}

/// `GET /sitemaps/{file}`: `pages.xml`, or `practices-N.xml`; they exist
/// only while the site needs an index.
pub async fn part(state: State, request: HttpRequest, file: web::Path<String>) -> Answer {
    let file = file.into_inner();
    let missing = || AppError::NotFound(format!("there is no sitemap {file}"));
    let asked = match file.as_str() {
        "pages.xml" => Asked::Pages,
        other => Asked::Practices(
            other
                .strip_prefix("practices-")
                .and_then(|rest| rest.strip_suffix(".xml"))
                .filter(|n| !n.starts_with('0'))
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(missing)?,
        ),
    };
    let survey = survey(&state, asked).await?;
    let urls = match (survey.plan, asked) {
        (Plan::Index { .. }, Asked::Pages) => pages(&survey.overview),
        (Plan::Index { practice_files }, Asked::Practices(n)) if n <= practice_files => {
            survey.practices
        }
        _ => return Err(missing()),
    };
    Ok(xml(
        &request,
        sitemap::urlset(&state.settings.http.public_url, &urls),
    ))
}
