//! Conditional GET for documents whose bytes are known before sending:
//! a strong ETag of the content, and 304 when the client has it already.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// A strong entity tag of the bytes.
pub fn tag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether `If-None-Match` names the tag (or `*`).
pub fn client_has(request: &HttpRequest, tag: &str) -> bool {
    request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

/// A whole document with its ETag and caching policy, or 304 when the
/// client has these bytes already. Callers may add headers to the answer.
pub fn document(
    request: &HttpRequest,
    body: Vec<u8>,
    content_type: &str,
    cache_control: &'static str,
) -> HttpResponse {
    let tag = tag_of(&body);
    let unchanged = client_has(request, &tag);
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, cache_control));
    if unchanged {
        response.finish()
    } else {
        response.content_type(content_type).body(body)
    }
}
