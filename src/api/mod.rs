//! The HTTP surface: routes, shared state, and the fallbacks that make every
//! error answer a problem document. Handlers are thin: parse, authorize,
//! call the domain and the store, answer.

pub mod annex;
pub mod assessments;
pub mod auth;
pub mod catalogue;
pub mod compilations;
pub mod coverage;
pub mod entities;
pub mod health;
pub mod openapi;
pub mod outbox;
pub mod pagination;
pub mod practices;
pub mod problems;
pub mod shapes;
pub mod submissions;
pub mod subscriptions;
pub mod tagging;
pub mod translations;
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

/// The route table: one line a resource, each method with its handler.
macro_rules! routes {
    ($scope:expr; $($path:literal => $($method:ident($handler:path)),+;)*) => {
        $scope$(.service(web::resource($path)$(.route(web::$method().to($handler)))+))*
    };
}

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
        routes!(web::scope("/api/v1");
            "/annex" => get(annex::get_annex);
            "/entities" => get(entities::list_entities), post(entities::add_organisation);
            "/auth/token" => post(auth::issue_token);
            "/auth/api-tokens" => get(auth::list_api_tokens), post(auth::create_api_token);
            "/auth/api-tokens/{id}" => delete(auth::revoke_api_token);
            "/me" => get(auth::me), patch(auth::update_me);
            "/me/password" => post(auth::change_password);
            "/auth/password-reset" => post(auth::request_password_reset);
            "/users" => get(users::list_users), post(users::create_user);
            "/users/{id}" => get(users::get_user), patch(users::update_user);
            "/submissions" => get(submissions::list_submissions), post(submissions::create_submission);
            "/submissions/{id}" => get(submissions::get_submission), put(submissions::update_submission);
            "/submissions/{id}/submit" => post(submissions::submit);
            "/submissions/{id}/withdraw" => post(submissions::withdraw);
            "/submissions/{id}/revise" => post(submissions::revise);
            "/submissions/{id}/request-changes" => post(submissions::request_changes);
            "/submissions/{id}/accept" => post(submissions::accept);
            "/submissions/{id}/reject" => post(submissions::reject);
            "/submissions/{id}/versions" => get(submissions::list_versions);
            "/submissions/{id}/versions/{n}" => get(submissions::get_version);
            "/submissions/{id}/events" => get(submissions::list_events);
            "/submissions/{id}/diff" => get(submissions::get_diff);
            "/practices" => get(catalogue::search_practices);
            "/assessments" => get(assessments::list_assessments), post(assessments::create_assessment);
            "/assessments/{id}" => get(assessments::get_assessment), put(assessments::answer_assessment);
            "/assessments/{id}/complete" => post(assessments::complete);
            "/assessments/{id}/share" => post(assessments::share);
            "/assessments/{id}/unshare" => post(assessments::unshare);
            "/assessments/{id}/events" => get(assessments::list_events);
            "/assessments/{id}/gaps" => get(assessments::get_gaps);
            "/assessments/{id}/compare" => get(assessments::compare);
            "/assessments/{id}/export" => get(assessments::export_assessment);
            "/assessments/{id}/items/{n}/draft" => post(assessments::draft_from_item);
            "/subscriptions" => post(subscriptions::subscribe);
            "/outbox" => get(outbox::list_outbox);
            "/tagging/suggest" => post(tagging::suggest);
            "/tagging/stats" => get(tagging::tagging_stats);
            "/outbox/{id}/retry" => post(outbox::retry_mail);
            "/coverage" => get(coverage::get_coverage);
            "/coverage.csv" => get(coverage::get_coverage_csv);
            "/coverage/self-assessments" => get(assessments::get_stock);
            "/practices.csv" => get(catalogue::export_csv);
            "/compilations" => get(compilations::list_compilations), post(compilations::create_compilation);
            "/compilations/{id}" => get(compilations::get_compilation), put(compilations::update_compilation);
            "/compilations/{id}/publish" => post(compilations::publish_compilation);
            "/compilations/{id}/export" => get(compilations::export_compilation);
            "/practices/{id}/withdraw" => post(practices::withdraw_practice);
            "/practices/{id}/translations/{lang}" => put(translations::put_translation), delete(translations::delete_translation);
            "/practices/{id}" => get(practices::get_practice), patch(practices::curate_practice);
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
