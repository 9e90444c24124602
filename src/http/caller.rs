//! Who is calling, read from the request: an anonymous reader, or a user
//! whose token checked out. Every request with a token costs one indexed
//! lookup, so that a disabled account, a changed role or a revoked API
//! token takes effect on the very next request.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::state::AppState;
use crate::auth::tokens::{Claims, TokenKind};
use crate::auth::{AuthenticatedUser, Caller};
use crate::domain::clock;
use crate::error::AppError;
use crate::store::{api_tokens, users, AnyConnection};

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, AppError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let writes = !request.method().is_safe();
        let credentials = request
            .headers()
            .get(header::AUTHORIZATION)
            .map(|value| value.to_str().map(str::to_owned));
        Box::pin(async move {
            let Some(credentials) = credentials else {
                return Ok(Caller::Anonymous);
            };
            let state =
                state.ok_or_else(|| AppError::internal("the app state is not registered"))?;
            let credentials = credentials.map_err(|_| {
                AppError::Unauthorized("the Authorization header is not readable".to_owned())
            })?;
            let token = bearer_token(&credentials)?;
            let claims = state.tokens.verify(token)?;
            let user = state
                .store
                .run(move |connection| resolve(connection, claims))
                .await?;
            if writes {
                // A script in a loop gets 429 instead of crowding out
                // everyone else; all the account's tokens count together,
                // so that minting tokens does not multiply the allowance.
                state
                    .write_throttle
                    .admit(
                        &[&user.id],
                        "this account has made its writes for this minute",
                    )
                    .await?;
            }
            Ok(Caller::User(user))
        })
    }
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer_token(header: &str) -> Result<&str, AppError> {
    let (scheme, token) = header.trim().split_once(' ').ok_or_else(|| {
        AppError::Unauthorized("use the header Authorization: Bearer <token>".to_owned())
    })?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(AppError::Unauthorized(
            "use the header Authorization: Bearer <token>".to_owned(),
        ));
    }
    Ok(token)
}

fn resolve(connection: &mut AnyConnection, claims: Claims) -> Result<AuthenticatedUser, AppError> {
    let standing = users::standing(connection, &claims.sub)?
        .filter(|standing| !standing.user.disabled)
        .ok_or_else(|| {
            AppError::Unauthorized("the account is disabled or no longer exists".to_owned())
        })?;
    // A password change or disabling ends every token issued before it.
    if standing
        .tokens_valid_after
        .is_some_and(|cutoff| claims.issued_at_millis() < cutoff)
    {
        return Err(AppError::Unauthorized(
            "the token was issued before the account's password changed: sign in again".to_owned(),
        ));
    }
    let user = standing.user;
    if claims.typ == TokenKind::Api
        && !api_tokens::is_active(connection, &user.id, &claims.jti, clock::now())?
    {
        return Err(AppError::Unauthorized(
            "the API token was revoked or has expired".to_owned(),
        ));
    }
    Ok(AuthenticatedUser {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        entity: user.entity,
        via: claims.typ,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bearer_credentials_are_read() {
        assert_eq!(bearer_token("Bearer abc").unwrap(), "abc");
        assert_eq!(bearer_token("bearer   abc ").unwrap(), "abc");
        assert!(bearer_token("Basic dXNlcjpwYXNz").is_err());
        assert!(bearer_token("Bearer").is_err());
        assert!(bearer_token("Bearer ").is_err());
        assert!(bearer_token("abc").is_err());
    }
}
