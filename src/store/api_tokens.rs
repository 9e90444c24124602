//! Long-lived API tokens. Only the token's id (its `jti`) and its metadata
//! are kept; the signed token is shown once, when it is made.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::api_tokens;
use super::utc;
use crate::domain::account::ApiToken;
use crate::domain::page::Page;
use crate::error::AppError;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
struct ApiTokenRow {
    id: String,
    name: String,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(row: ApiTokenRow) -> Self {
        ApiToken {
            id: row.id,
            name: row.name,
            created_at: utc(row.created_at),
            expires_at: utc(row.expires_at),
            revoked_at: row.revoked_at.map(utc),
        }
    }
}

pub fn insert(
    connection: &mut AnyConnection,
    user_id: &str,
    token: &ApiToken,
) -> Result<(), AppError> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(&token.id),
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(&token.name),
            api_tokens::created_at.eq(token.created_at.naive_utc()),
            api_tokens::expires_at.eq(token.expires_at.naive_utc()),
        ))
        .execute(connection)?;
    Ok(())
}

/// Tokens of one user that still work.
pub fn count_active(
    connection: &mut AnyConnection,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.gt(now.naive_utc()))
        .count()
        .get_result(connection)?)
}

pub fn list_for_user(
    connection: &mut AnyConnection,
    user_id: &str,
    page: &Page,
) -> Result<Vec<ApiToken>, AppError> {
    let mut query = api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .select(ApiTokenRow::as_select())
        .order(api_tokens::id)
        .into_boxed();
    let rows: Vec<ApiTokenRow> = page_of!(query, api_tokens, page, connection);
    Ok(rows.into_iter().map(ApiToken::from).collect())
}

/// Revokes one of the user's tokens; `false` when the user has no such token.
/// Revoking twice keeps the first time.
pub fn revoke(
    connection: &mut AnyConnection,
    user_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let owned = api_tokens::table
        .filter(api_tokens::id.eq(id))
        .filter(api_tokens::user_id.eq(user_id))
        .count()
        .get_result::<i64>(connection)?;
    if owned == 0 {
        return Ok(false);
    }
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now.naive_utc()))
    .execute(connection)?;
    Ok(true)
}

/// Revokes every live token of an account; answers how many.
pub fn revoke_all(
    connection: &mut AnyConnection,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    Ok(diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now.naive_utc()))
    .execute(connection)?)
}

/// Whether the token is the user's, unrevoked and unexpired: checked on
/// every request, so a revocation takes effect at once.
pub fn is_active(
    connection: &mut AnyConnection,
    user_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let count: i64 = api_tokens::table
        .filter(api_tokens::id.eq(id))
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.gt(now.naive_utc()))
        .count()
        .get_result(connection)?;
    Ok(count > 0)
}
