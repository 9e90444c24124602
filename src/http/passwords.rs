//! New passwords, as both front doors take them: argon2 takes tens of
//! milliseconds of CPU, so the hash is made on the blocking pool and the
//! account is written after, without holding a connection meanwhile.

use actix_web::{web, HttpRequest};

use super::client_address::address;
use super::state::AppState;
use crate::auth::AuthenticatedUser;
use crate::domain::account::{Email, NewPassword, User};
use crate::domain::clock;
use crate::domain::Language;
use crate::error::AppError;
use crate::service::accounts::{self, CheckedAccount};

/// The stored form of a new password.
pub async fn hash(state: &AppState, password: NewPassword) -> Result<String, AppError> {
    let passwords = state.passwords.clone();
    web::block(move || passwords.hash(&password))
        .await
        .map_err(|e| AppError::internal(format!("hashing did not complete: {e}")))?
        .map_err(AppError::internal)
}

/// Asks for a link to choose a new password to be mailed to `email`: the
/// same limit per client address as subscriptions (both mail strangers),
/// and no word of whether the address has an account.
pub async fn ask_reset(
    state: &AppState,
    request: &HttpRequest,
    email: Email,
    language: Language,
) -> Result<(), AppError> {
    let client = address(request, &state.settings.http.trusted_proxies);
    let key = format!("reset:{client}");
    state
        .subscribe_throttle
        .admit(&[&key], "too many requests for password links")
        .await?;
    state
        .store
        .run(move |c| accounts::request_reset(c, &email, language, clock::now()))
        .await
}

/// Creates a checked account on an admin's word: with its first password,
/// or, without one, inviting its owner to choose their own.
pub async fn create_account(
    state: &AppState,
    account: CheckedAccount,
    admin: AuthenticatedUser,
) -> Result<User, AppError> {
    let passwords = state.passwords.clone();
    let (account, hash) = web::block(move || {
        let hash = account
            .password
            .as_ref()
            .map(|p| passwords.hash(p))
            .transpose();
        (account, hash)
    })
    .await
    .map_err(|e| AppError::internal(format!("hashing did not complete: {e}")))?;
    let hash = hash.map_err(AppError::internal)?;
    state
        .store
        .run(move |c| accounts::create(c, account, hash, admin.actor()))
        .await
}
