//! The middleware every request goes through: it gives the request an id
//! (answered in `X-Request-Id` and quoted in problem bodies), runs the
//! request inside a tracing span, writes one access-log line and records the
//! route's metrics.

use std::future::Future;
use std::time::Instant;

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::web;
use tracing::Instrument;

use super::client_address::address;
use super::state::AppState;
use crate::telemetry::{request_id, Metrics};

/// Probes are polled every few seconds; logging each would drown the log.
fn is_probe(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// For `App::wrap_fn`.
pub fn observe_request<S, B>(
    request: ServiceRequest,
    service: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: super::Next<B>,
{
    let id = uuid::Uuid::now_v7().to_string();
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();
    let method = request.method().clone();
    let path = request.path().to_owned();
    let client = request
        .app_data::<web::Data<AppState>>()
        .map(|state| address(request.request(), &state.settings.http.trusted_proxies))
        .unwrap_or_default();
    let span = tracing::info_span!("request", request_id = %id, %method, %path, %client);
    let started = Instant::now();
    // The call itself may already answer (an extractor failing at once), so
    // it runs with the id in scope as well as the future it returns.
    let response = request_id::sync_scope(id.clone(), || span.in_scope(|| service.call(request)));
    let scoped_id = id.clone();
    request_id::scope(
        scoped_id,
        async move {
            let mut response = response.await?;
            let status = response.status().as_u16();
            let route = response
                .request()
                .match_pattern()
                .unwrap_or_else(|| "unmatched".to_owned());
            let seconds = started.elapsed().as_secs_f64();
            if let Some(metrics) = metrics {
                metrics.observe(method.as_str(), &route, status, seconds);
            }
            if is_probe(&path) {
                tracing::debug!(status, %route, elapsed_ms = seconds * 1000.0, "answered");
            } else {
                tracing::info!(status, %route, elapsed_ms = seconds * 1000.0, "answered");
            }
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert(request_id::HEADER, value);
            }
            Ok(response)
        }
        .instrument(span),
    )
}
