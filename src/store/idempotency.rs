//! Remembered answers to creates sent with an `Idempotency-Key`.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::connection::AnyConnection;
use super::schema::idempotency_keys;
use crate::error::AppError;

/// Keys are kept at least a day (the contract), and swept after two.
pub const KEEP_FOR: Duration = Duration::hours(48);

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StoredAnswer {
    pub request_hash: String,
    pub status_code: i64,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub body: String,
}

pub fn find(
    connection: &mut AnyConnection,
    user_id: &str,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<StoredAnswer>, AppError> {
    Ok(idempotency_keys::table
        .find((user_id, key))
        .filter(idempotency_keys::created_at.gt((now - KEEP_FOR).naive_utc()))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status_code,
            idempotency_keys::location,
            idempotency_keys::etag,
            idempotency_keys::body,
        ))
        .first(connection)
        .optional()?)
}

/// Remembers an answer; `false` when another request with the same key
/// got there first (the caller then replays that one).
pub fn remember(
    connection: &mut AnyConnection,
    user_id: &str,
    key: &str,
    answer: &StoredAnswer,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::key.eq(key))
            .filter(idempotency_keys::created_at.le((now - KEEP_FOR).naive_utc())),
    )
    .execute(connection)?;
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(&answer.request_hash),
            idempotency_keys::status_code.eq(answer.status_code),
            idempotency_keys::location.eq(&answer.location),
            idempotency_keys::etag.eq(&answer.etag),
            idempotency_keys::body.eq(&answer.body),
            idempotency_keys::created_at.eq(now.naive_utc()),
        ))
        .execute(connection);
    match inserted {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// Forgets keys older than [`KEEP_FOR`]; run now and then, not per request.
pub fn sweep(connection: &mut AnyConnection, now: DateTime<Utc>) -> Result<usize, AppError> {
    Ok(diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.le((now - KEEP_FOR).naive_utc())),
    )
    .execute(connection)?)
}
