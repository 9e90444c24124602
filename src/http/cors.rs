//! Cross-origin use of the API from browsers: denied unless the origin is
//! listed in `COMPENDIUM_CORS_ORIGINS`. The API authenticates with bearer
//! tokens, never cookies, so CORS guards against other sites' pages
//! reading answers with a token they were handed, not against forged
//! cookies; still, no origin is trusted by default.
//!
//! A preflight (`OPTIONS` with `Access-Control-Request-Method`) from a
//! listed origin gets 204 with what may be sent; from any other origin a
//! 403 problem. Answers to listed origins carry
//! `Access-Control-Allow-Origin` and expose the headers scripts need.

use std::future::Future;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use super::AppState;
use crate::error::AppError;

const ALLOWED_METHODS: &str = "GET, POST, PUT, PATCH, DELETE";
const ALLOWED_HEADERS: &str =
    "authorization, content-type, if-match, if-none-match, idempotency-key";
const EXPOSED_HEADERS: &str = "etag, location, retry-after, idempotent-replayed";
/// How long a browser may reuse a preflight answer.
const PREFLIGHT_MAX_AGE_SECONDS: &str = "600";

fn origin_of(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `OPTIONS /api/…`: the preflight.
pub async fn preflight(
    state: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let origin = origin_of(&request)
        .ok_or_else(|| AppError::bad_request("a preflight request needs an Origin header"))?;
    if !state.settings.http.cors_origins.allows(&origin) {
        return Err(AppError::Forbidden(format!(
            "the origin {origin} may not use this API from a browser"
        )));
    }
    Ok(HttpResponse::NoContent()
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin))
        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS))
        .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS))
        .insert_header((header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS))
        .insert_header((header::VARY, "Origin"))
        .finish())
}

/// For `App::wrap_fn`: marks answers to allowed origins as readable.
pub fn allow_listed_origins<S, B>(
    request: ServiceRequest,
    service: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: super::Next<B>,
    B: MessageBody,
{
    let allowed = origin_of(request.request()).filter(|origin| {
        request
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.settings.http.cors_origins.allows(origin))
    });
    let response = service.call(request);
    async move {
        let mut response = response.await?;
        if let Some(origin) = allowed.and_then(|o| HeaderValue::from_str(&o).ok()) {
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(EXPOSED_HEADERS),
            );
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        Ok(response)
    }
}
