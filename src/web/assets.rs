//! The pages' few static files, compiled into the binary. Each is linked
//! with a fingerprint of its content (`?v=`), so a browser may keep it for a
//! year and still sees a new version the moment one is deployed; ETag and
//! Last-Modified let it revalidate cheaply when it has no fingerprint.

use std::sync::OnceLock;
use std::time::SystemTime;

use actix_web::http::header::{self, EntityTag, HttpDate};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
    fingerprint: String,
}

fn assets() -> &'static [Asset] {
    static ALL: OnceLock<Vec<Asset>> = OnceLock::new();
    ALL.get_or_init(|| {
        [
            (
                "site.css",
                "text/css; charset=utf-8",
                include_bytes!("static/site.css").as_slice(),
            ),
            (
                "favicon.svg",
                "image/svg+xml",
                include_bytes!("static/favicon.svg").as_slice(),
            ),
        ]
        .into_iter()
        .map(|(name, content_type, bytes)| {
            let digest = Sha256::digest(bytes);
            let fingerprint = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
            Asset {
                name,
                content_type,
                bytes,
                fingerprint,
            }
        })
        .collect()
    })
}

fn find(name: &str) -> Option<&'static Asset> {
    assets().iter().find(|a| a.name == name)
}

/// The address of an asset, with its fingerprint.
pub fn url(name: &str) -> String {
    match find(name) {
        Some(asset) => format!("/static/{}?v={}", asset.name, asset.fingerprint),
        None => format!("/static/{name}"),
    }
}

/// When the files last changed: they are part of the binary, so the
/// binary's own time (the same on every replica deployed from one build).
fn last_modified() -> SystemTime {
    static WHEN: OnceLock<SystemTime> = OnceLock::new();
    *WHEN.get_or_init(|| {
        let exact = std::env::current_exe()
            .and_then(std::fs::metadata)
            .and_then(|m| m.modified())
            .unwrap_or_else(|_| SystemTime::now());
        // HTTP dates have whole seconds; a revalidation compares with one.
        let seconds = exact
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(seconds)
    })
}

/// `GET /static/{name}`.
pub async fn serve(request: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(asset) = find(&name) else {
        return super::not_found_page(&request);
    };
    let tag = EntityTag::new_strong(asset.fingerprint.clone());
    let modified = HttpDate::from(last_modified());
    let fingerprinted = form_urlencoded::parse(request.query_string().as_bytes())
        .any(|(k, v)| k == "v" && v == asset.fingerprint.as_str());
    let cache = if fingerprinted {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    let unchanged = if request.headers().contains_key(header::IF_NONE_MATCH) {
        crate::http::conditional::client_has(&request, &tag.to_string())
    } else {
        request
            .headers()
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<HttpDate>().ok())
            .is_some_and(|since| SystemTime::from(since) >= SystemTime::from(modified))
    };
    let mut response = HttpResponse::build(if unchanged {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    });
    response
        .insert_header(header::ETag(tag))
        .insert_header(header::LastModified(modified))
        .insert_header((header::CACHE_CONTROL, cache));
    if unchanged {
        response.finish()
    } else {
        response.content_type(asset.content_type).body(asset.bytes)
    }
}
