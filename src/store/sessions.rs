//! Desk sessions: one row per signed-in browser, keyed by the SHA-256 of
//! the cookie's secret (see `auth::secrets`).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::sessions;
use super::utc;
use crate::domain::session::Times;
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user_id: String,
    pub csrf_token: String,
    pub times: Times,
}

pub fn insert(
    connection: &mut AnyConnection,
    digest: &str,
    user_id: &str,
    csrf_token: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(digest),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(csrf_token),
            sessions::created_at.eq(now.naive_utc()),
            sessions::last_seen_at.eq(now.naive_utc()),
        ))
        .execute(connection)?;
    Ok(())
}

pub fn find(connection: &mut AnyConnection, digest: &str) -> Result<Option<SessionRow>, AppError> {
    let row: Option<(String, String, NaiveDateTime, NaiveDateTime)> = sessions::table
        .filter(sessions::id.eq(digest))
        .select((
            sessions::user_id,
            sessions::csrf_token,
            sessions::created_at,
            sessions::last_seen_at,
        ))
        .first(connection)
        .optional()?;
    Ok(row.map(
        |(user_id, csrf_token, created_at, last_seen_at)| SessionRow {
            user_id,
            csrf_token,
            times: Times {
                created_at: utc(created_at),
                last_seen_at: utc(last_seen_at),
            },
        },
    ))
}

pub fn touch(
    connection: &mut AnyConnection,
    digest: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    diesel::update(sessions::table.filter(sessions::id.eq(digest)))
        .set(sessions::last_seen_at.eq(now.naive_utc()))
        .execute(connection)?;
    Ok(())
}

pub fn delete(connection: &mut AnyConnection, digest: &str) -> Result<(), AppError> {
    diesel::delete(sessions::table.filter(sessions::id.eq(digest))).execute(connection)?;
    Ok(())
}

/// Ends every session of an account; answers how many there were.
pub fn delete_of_user(connection: &mut AnyConnection, user_id: &str) -> Result<usize, AppError> {
    Ok(
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
            .execute(connection)?,
    )
}

/// Forgets sessions that can no longer be used.
pub fn sweep(
    connection: &mut AnyConnection,
    idle_before: DateTime<Utc>,
    created_before: DateTime<Utc>,
) -> Result<usize, AppError> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::last_seen_at
                .lt(idle_before.naive_utc())
                .or(sessions::created_at.lt(created_before.naive_utc())),
        ),
    )
    .execute(connection)?)
}
