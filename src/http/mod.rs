//! The HTTP edge both front doors stand on: the shared state, the caller
//! extractor, request bodies and conditional answers, and the middleware
//! every request passes (request ids and metrics, CORS, security headers).
//! It knows actix-web and the layers below; it knows neither `api/` nor `web/`.

pub mod caller;
pub mod client;
pub mod conditional;
pub mod cors;
pub mod extract;
pub mod headers;
pub mod observe;
pub mod state;

pub use state::AppState;
