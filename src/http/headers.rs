//! Security headers on every answer, pages and API alike. The pages run no
//! script at all, so their policy forbids every script; the interactive
//! API documentation (Swagger UI, served from this binary) needs its own
//! script files and inline styles, and gets a policy that allows just that.

use std::future::Future;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};

const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// The policy of a standalone HTML export: its own inline styles, nothing
/// else (the pages' policy forbids inline styles).
pub const EXPORT_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// For `App::wrap_fn`.
pub fn secure<S, B>(
    request: ServiceRequest,
    service: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: super::Next<B>,
    B: MessageBody,
{
    let docs = request.path().starts_with("/docs");
    // An answer to a signed-in request may hold what only that caller may
    // see: no cache, shared or private, keeps it.
    let signed_in = request.headers().contains_key(header::AUTHORIZATION);
    let response = service.call(request);
    async move {
        let mut response = response.await?;
        let headers = response.headers_mut();
        if signed_in {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        let policy = if docs { DOCS_POLICY } else { PAGE_POLICY };
        let fixed = [
            (header::CONTENT_SECURITY_POLICY, policy),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin",
            ),
            (
                HeaderName::from_static("permissions-policy"),
                "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            ),
        ];
        for (name, value) in fixed {
            // A handler that set its own (a standalone document's policy)
            // knows better.
            if !headers.contains_key(&name) {
                headers.insert(name, HeaderValue::from_static(value));
            }
        }
        Ok(response)
    }
}
