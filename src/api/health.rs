//! Probes and metrics for operators: `/healthz`, `/readyz`, `/metrics`.

use std::time::Duration;

use actix_web::{http::header, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::http::{Answer, State};
use crate::store::Readiness;
use crate::telemetry::Metrics;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    status: String,
}

/// Liveness: the process answers. It touches nothing else, so a database
/// outage does not get the process restarted.
#[utoipa::path(
    get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process is alive", body = Health))
)]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Health {
            status: "ok".to_owned(),
        })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    #[schema(example = "ready")]
    status: String,
    /// `sqlite` or `postgres`.
    database: String,
}

/// How long readiness waits for a connection: a load balancer polls often
/// and must not pile up waiting probes.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// Readiness: the database answers and has every migration, and the search
/// index has caught up with the catalogue since start.
#[utoipa::path(
    get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "Ready to serve", body = Ready), (status = 503, description = "Not ready; the detail says why"))
)]
pub async fn readyz(state: State) -> Answer {
    match state.store.readiness(READINESS_TIMEOUT).await {
        Readiness::Ready if !state.search.is_caught_up() => Err(AppError::Unavailable(
            "the search index is still catching up with the database".to_owned(),
        )),
        Readiness::Ready => Ok(HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(Ready {
                status: "ready".to_owned(),
                database: state.store.backend().name().to_owned(),
            })),
        Readiness::MigrationsPending(count) => Err(AppError::Unavailable(format!(
            "the database lacks {count} migration(s): run `compendium migrate`"
        ))),
        Readiness::Unreachable(error) => {
            tracing::warn!(%error, "readiness: database unreachable");
            Err(AppError::Unavailable(
                "the database does not answer".to_owned(),
            ))
        }
    }
}

/// Request counts and latency histograms in the Prometheus text format.
#[utoipa::path(
    get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"))
)]
pub async fn metrics(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(metrics.render())
}
