//! The password check both front doors share (`POST /api/v1/auth/token`
//! and the desk's `/sign-in`): the same throttle per account and per
//! client address, the same decoy hash for unknown emails so that timing
//! does not tell which addresses have accounts, argon2 off the executor.

use std::time::Duration;

use actix_web::{web, HttpRequest};

use super::client_address::address;
use super::state::AppState;
use crate::domain::account::{Email, NewPassword, User};
use crate::error::AppError;
use crate::service::tokens;

pub const WRONG_CREDENTIALS: &str = "the email or the password is wrong";

/// How long a sign-in to an account waits after `failures` failed ones in
/// the last minute, from any address: nothing up to the limit, then a
/// quarter of a second more each, up to three seconds. Guessing from many
/// addresses becomes slow; the owner still gets in.
pub fn slowdown(failures: usize, limit: usize) -> Duration {
    let over = failures.saturating_sub(limit.max(1) - 1) as u32;
    (Duration::from_millis(250) * over).min(Duration::from_secs(3))
}

/// The enabled account whose password this is. A wrong password, an
/// unknown address and a disabled account are told the same (401) and
/// count alike against the throttle, so that no answer tells whether a
/// password is right; a throttled caller gets a 429.
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
    // Guessing is refused per account from one address and per address;
    // across addresses an account is only slowed down, so that strangers
    // failing on purpose cannot lock its owner out.
    let account = format!("account:{email}");
    let refused = [
        format!("pair:{email}|{client}"),
        format!("address:{client}"),
    ];
    let refused: Vec<&str> = refused.iter().map(String::as_str).collect();
    let throttle = &state.login_throttle;
    throttle
        .refuse_if_exhausted(&refused, "too many failed sign-ins")
        .await?;
    let delay = slowdown(throttle.recent(&account).await?, throttle.limit());
    if !delay.is_zero() {
        actix_web::rt::time::sleep(delay).await;
    }
    let keys: Vec<&str> = refused.iter().copied().chain([account.as_str()]).collect();

    let found = {
        let email = email.clone();
        state
            .store
            .run(move |c| tokens::credentials(c, &email))
            .await?
    };
    let passwords = state.passwords.clone();
    let verified = web::block(move || match found {
        Some((user, hash)) => passwords
            .verify(&password, &hash)
            .then_some(user)
            .filter(|user| !user.disabled),
        None => {
            passwords.verify_decoy(&password);
            None
        }
    })
    .await
    .map_err(|e| AppError::internal(format!("password check did not complete: {e}")))?;

    match verified {
        Some(user) => Ok(user),
        None => {
            state.login_throttle.record(&keys).await?;
            Err(AppError::Unauthorized(WRONG_CREDENTIALS.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_slowed_past_the_limit_and_never_locked() {
        assert_eq!(slowdown(0, 10), Duration::ZERO);
        assert_eq!(slowdown(9, 10), Duration::ZERO);
        assert_eq!(slowdown(10, 10), Duration::from_millis(250));
        assert_eq!(slowdown(13, 10), Duration::from_millis(1000));
        assert_eq!(slowdown(10_000, 10), Duration::from_secs(3));
        assert_eq!(slowdown(1, 0), Duration::from_millis(250));
    }
}
