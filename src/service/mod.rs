//! The use cases: every change of state the service knows, each in one
//! transaction that asks the policy, writes the rows, the version, the
//! audit event, the catalogue change and the outbox row together; and the
//! read models both front doors (the JSON API and the HTML pages) show.
//! A front door parses, calls one function here, and renders.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod catalogue;
pub mod compilations;
pub mod coverage;
pub mod curation;
pub mod discovery;
pub mod evaluation;
pub mod exchange;
pub mod harvest;
pub mod idempotency;
pub mod organisations;
pub mod outbox;
pub mod practices;
pub mod reindex;
pub mod reminders;
pub mod revisions;
pub mod sample;
pub mod sessions;
pub mod submissions;
pub mod subscriptions;
pub mod tagging_stats;
pub mod tokens;
pub mod translations;
pub mod views;

use crate::error::AppError;

/// Decides, with the thing a use case works on loaded, whether the caller
/// may go on.
pub type Guard<'a, T> = &'a dyn Fn(&T) -> Result<(), AppError>;

/// What was `found` of the `what` named `id`, if it exists and `guard`
/// lets the caller on.
fn guarded<T>(found: Option<T>, what: &str, id: &str, guard: Guard<'_, T>) -> Result<T, AppError> {
    let found = found.ok_or_else(|| AppError::NotFound(format!("there is no {what} {id}")))?;
    guard(&found)?;
    Ok(found)
}
