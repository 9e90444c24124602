//! The password check both front doors share (`POST /api/v1/auth/token`
//! and the desk's `/sign-in`): the same throttle per account and per
//! client address, the same decoy hash for unknown emails so that timing
//! does not tell which addresses have accounts, argon2 off the executor.

use std::time::Instant;

use actix_web::{web, HttpRequest};

use super::client_address::address;
use super::state::AppState;
use crate::domain::account::{Email, NewPassword, User};
use crate::error::AppError;
use crate::service::tokens;

pub const WRONG_CREDENTIALS: &str = "the email or the password is wrong";

/// The account whose password this is (disabled or not: the caller
/// decides what a disabled account is told); a wrong password counts
/// against the throttle and is a 401, a throttled caller a 429.
pub async fn check_password(
    state: &AppState,
    request: &HttpRequest,
    email: &Email,
    password: String,
) -> Result<User, AppError> {
    if password.len() > NewPassword::MAX_BYTES {
        return Err(AppError::invalid_field("password", "too long"));
    }
    let client = address(request, &state.settings.http.trusted_proxies);
    let keys = [format!("account:{email}"), format!("address:{client}")];
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    state
        .login_throttle
        .refuse_if_exhausted(&keys, "too many failed sign-ins")?;

    let found = {
        let email = email.clone();
        state
            .store
            .run(move |c| tokens::credentials(c, &email))
            .await?
    };
    let passwords = state.passwords.clone();
    let verified = web::block(move || match found {
        Some((user, hash)) => passwords.verify(&password, &hash).then_some(user),
        None => {
            passwords.verify_decoy(&password);
            None
        }
    })
    .await
    .map_err(|e| AppError::internal(format!("password check did not complete: {e}")))?;

    verified.ok_or_else(|| {
        state.login_throttle.record(&keys, Instant::now());
        AppError::Unauthorized(WRONG_CREDENTIALS.to_owned())
    })
}
