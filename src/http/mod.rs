//! The HTTP edge both front doors stand on: the shared state, the caller
//! extractor, request bodies and conditional answers, and the middleware
//! every request passes (request ids and metrics, CORS, security headers).
//! It knows actix-web and the layers below; it knows neither `api/` nor `web/`.

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::Error;

pub mod api_tokens;
pub mod caller;
pub mod client_address;
pub mod conditional;
pub mod cors;
pub mod extract;
pub mod headers;
pub mod limiter;
pub mod observe;
pub mod passwords;
pub mod sign_in;
pub mod state;
pub mod subscriptions;

pub use state::AppState;

/// The shared state as a handler takes it.
pub type State = actix_web::web::Data<AppState>;

/// The connection a use case works on, as a front door hands it over
/// (from `Store::run`) without reaching into the store itself.
pub type Connection = crate::store::AnyConnection;

/// The one id a resource's path names (`/…/{id}`).
pub type IdPath = actix_web::web::Path<String>;

/// What a handler answers: a response, or an error that becomes a problem
/// document.
pub type Answer = Result<actix_web::HttpResponse, crate::error::AppError>;

/// The rest of the app as a `wrap_fn` middleware sees it: what it calls
/// with the request, and whose answer it may change.
pub trait Next<B>:
    Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error, Future: 'static>
{
}

impl<B, S> Next<B> for S where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error, Future: 'static>
{
}
