//! The HTTP surface: routes, shared state, and the fallbacks that make every
//! error answer a problem document. Handlers are thin: parse, authorize,
//! call the domain and the store, answer.

pub mod annex;
pub mod auth;
pub mod catalogue;
pub mod compilations;
pub mod coverage;
pub mod entities;
pub mod formats;
pub mod health;
pub mod openapi;
pub mod outbox;
pub mod pagination;
pub mod practices;
pub mod problems;
pub mod submissions;
pub mod subscriptions;
pub mod tagging;
pub mod users;

use actix_web::body::EitherBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, ResponseError};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::{problem_response, problem_type, AppError, Problem, PROBLEM_CONTENT_TYPE};
use crate::http::cors;

/// Registers every route of the service.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // Before the API's scope, which would answer an OPTIONS with 405.
    cfg.service(
        web::resource("/api/{tail:.*}")
            .guard(actix_web::guard::Options())
            .to(cors::preflight),
    )
    .service(web::resource("/healthz").route(web::get().to(health::healthz)))
    .service(web::resource("/readyz").route(web::get().to(health::readyz)))
    .service(web::resource("/metrics").route(web::get().to(health::metrics)))
    .service(web::resource("/docs").route(web::get().to(docs_redirect)))
    .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi::ApiDoc::openapi()))
    .service(
        web::scope("/api/v1")
            .service(web::resource("/annex").route(web::get().to(annex::get_annex)))
            .service(
                web::resource("/entities")
                    .route(web::get().to(entities::list_entities))
                    .route(web::post().to(entities::add_organisation)),
            )
            .service(web::resource("/auth/token").route(web::post().to(auth::issue_token)))
            .service(
                web::resource("/auth/api-tokens")
                    .route(web::get().to(auth::list_api_tokens))
                    .route(web::post().to(auth::create_api_token)),
            )
            .service(
                web::resource("/auth/api-tokens/{id}")
                    .route(web::delete().to(auth::revoke_api_token)),
            )
            .service(web::resource("/me").route(web::get().to(auth::me)))
            .service(
                web::resource("/users")
                    .route(web::get().to(users::list_users))
                    .route(web::post().to(users::create_user)),
            )
            .service(
                web::resource("/users/{id}")
                    .route(web::get().to(users::get_user))
                    .route(web::patch().to(users::update_user)),
            )
            .service(
                web::resource("/submissions")
                    .route(web::get().to(submissions::list_submissions))
                    .route(web::post().to(submissions::create_submission)),
            )
            .service(
                web::resource("/submissions/{id}")
                    .route(web::get().to(submissions::get_submission))
                    .route(web::put().to(submissions::update_submission)),
            )
            .service(
                web::resource("/submissions/{id}/submit")
                    .route(web::post().to(submissions::submit)),
            )
            .service(
                web::resource("/submissions/{id}/withdraw")
                    .route(web::post().to(submissions::withdraw)),
            )
            .service(
                web::resource("/submissions/{id}/request-changes")
                    .route(web::post().to(submissions::request_changes)),
            )
            .service(
                web::resource("/submissions/{id}/accept")
                    .route(web::post().to(submissions::accept)),
            )
            .service(
                web::resource("/submissions/{id}/reject")
                    .route(web::post().to(submissions::reject)),
            )
            .service(
                web::resource("/submissions/{id}/versions")
                    .route(web::get().to(submissions::list_versions)),
            )
            .service(
                web::resource("/submissions/{id}/versions/{n}")
                    .route(web::get().to(submissions::get_version)),
            )
            .service(
                web::resource("/submissions/{id}/events")
                    .route(web::get().to(submissions::list_events)),
            )
            .service(web::resource("/practices").route(web::get().to(catalogue::search_practices)))
            .service(
                web::resource("/subscriptions").route(web::post().to(subscriptions::subscribe)),
            )
            .service(web::resource("/outbox").route(web::get().to(outbox::list_outbox)))
            .service(web::resource("/tagging/suggest").route(web::post().to(tagging::suggest)))
            .service(web::resource("/tagging/stats").route(web::get().to(tagging::tagging_stats)))
            .service(web::resource("/outbox/{id}/retry").route(web::post().to(outbox::retry_mail)))
            .service(web::resource("/coverage").route(web::get().to(coverage::get_coverage)))
            .service(
                web::resource("/coverage.csv").route(web::get().to(coverage::get_coverage_csv)),
            )
            .service(web::resource("/practices.csv").route(web::get().to(catalogue::export_csv)))
            .service(
                web::resource("/compilations")
                    .route(web::get().to(compilations::list_compilations))
                    .route(web::post().to(compilations::create_compilation)),
            )
            .service(
                web::resource("/compilations/{id}")
                    .route(web::get().to(compilations::get_compilation))
                    .route(web::put().to(compilations::update_compilation)),
            )
            .service(
                web::resource("/compilations/{id}/publish")
                    .route(web::post().to(compilations::publish_compilation)),
            )
            .service(
                web::resource("/compilations/{id}/export")
                    .route(web::get().to(compilations::export_compilation)),
            )
            .service(
                web::resource("/practices/{id}")
                    .route(web::get().to(practices::get_practice))
                    .route(web::patch().to(practices::curate_practice)),
            ),
    );
}

/// `/docs` without the slash: Swagger UI's files are relative to `/docs/`.
async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// Turns any error answer that is not yet a problem document (a 405 from
/// routing, a 404 from the documentation's file server) into one, so that
/// clients only ever parse one error shape.
pub fn problem_for_bare_error<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Problem documents, and the reader pages' own error pages, are
    // already what the client should see.
    let finished = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes().starts_with(PROBLEM_CONTENT_TYPE.as_bytes())
                || v.as_bytes().starts_with(b"text/html")
        });
    if finished {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let request = response.request();
    let replacement = match status {
        StatusCode::NOT_FOUND => {
            AppError::NotFound(format!("there is nothing at {}", request.path())).error_response()
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            let mut response = AppError::MethodNotAllowed {
                method: request.method().to_string(),
                path: request.path().to_owned(),
            }
            .error_response();
            // RFC 9110: a 405 says which methods the resource has.
            if let Some(allowed) = openapi::allowed_methods(request.path()) {
                if let Ok(value) = header::HeaderValue::from_str(&allowed) {
                    response.headers_mut().insert(header::ALLOW, value);
                }
            }
            response
        }
        other => {
            let reason = other.canonical_reason().unwrap_or("Error");
            problem_response(&Problem {
                problem_type: problem_type(&reason.to_ascii_lowercase().replace(' ', "-")),
                title: reason.to_owned(),
                status: other.as_u16(),
                detail: reason.to_owned(),
                errors: None,
                request_id: crate::telemetry::current_request_id(),
            })
        }
    };
    let (request, _) = response.into_parts();
    let response: ServiceResponse<EitherBody<B>> =
        ServiceResponse::new(request, replacement).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(response))
}
