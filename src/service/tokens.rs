//! What sign-in and API tokens need of the database: the credentials to
//! check, and each account's long-lived API tokens (recorded, listed,
//! revoked). Signing and verifying tokens is `auth::tokens`'s.

use chrono::{DateTime, Utc};

use crate::domain::account::{ApiToken, Email, User};
use crate::domain::page::Page;
use crate::error::AppError;
use crate::store::{api_tokens, users, write_transaction, AnyConnection};

/// Live API tokens an account may hold: enough for every script of a
/// ministry, few enough that a leaked account cannot mint without bound.
pub const MAX_ACTIVE_API_TOKENS: i64 = 100;

/// The account and its password hash, for sign-in only.
pub fn credentials(
    connection: &mut AnyConnection,
    email: &Email,
) -> Result<Option<(User, String)>, AppError> {
    users::find_credentials(connection, email)
}

/// Records a new API token, unless the account already holds as many live
/// ones as it may. Counted and written in one transaction, so two requests
/// at once cannot both pass the count.
pub fn record_api_token(
    connection: &mut AnyConnection,
    user_id: &str,
    token: &ApiToken,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_transaction(connection, |c| {
        if api_tokens::count_active(c, user_id, now)? >= MAX_ACTIVE_API_TOKENS {
            return Err(AppError::Conflict(format!(
                "this account already has {MAX_ACTIVE_API_TOKENS} live API tokens: revoke one first"
            )));
        }
        api_tokens::insert(c, user_id, token)
    })
}

/// A page of the account's API tokens (never their secrets).
pub fn api_tokens_of(
    connection: &mut AnyConnection,
    user_id: &str,
    page: &Page,
) -> Result<Vec<ApiToken>, AppError> {
    api_tokens::list_for_user(connection, user_id, page)
}

/// Revokes one of the account's API tokens; answers whether it had it.
pub fn revoke_api_token(
    connection: &mut AnyConnection,
    user_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    api_tokens::revoke(connection, user_id, id, now)
}
