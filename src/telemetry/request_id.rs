//! The id of the request being served, kept task-local so that a log line
//! or a problem body anywhere below the HTTP edge can quote it without
//! being handed it.

use std::future::Future;

use actix_web::http::header::HeaderName;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The header that carries the id in answers.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served on this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `work` now with `id` as the current request id.
pub fn sync_scope<R>(id: String, work: impl FnOnce() -> R) -> R {
    REQUEST_ID.sync_scope(id, work)
}

/// Runs the future with `id` as the current request id.
pub fn scope<F: Future>(id: String, work: F) -> impl Future<Output = F::Output> {
    REQUEST_ID.scope(id, work)
}
