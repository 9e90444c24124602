//! New passwords, as both front doors take them: argon2 takes tens of
//! milliseconds of CPU, so the hash is made on the blocking pool and the
//! account is written after, without holding a connection meanwhile.

use actix_web::web;

use super::state::AppState;
use crate::auth::AuthenticatedUser;
use crate::domain::account::{NewPassword, User};
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

/// Creates a checked account with its first password, on an admin's word.
pub async fn create_account(
    state: &AppState,
    account: CheckedAccount,
    admin: AuthenticatedUser,
) -> Result<User, AppError> {
    let passwords = state.passwords.clone();
    let (account, hash) = web::block(move || {
        let hash = passwords.hash(&account.password);
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
