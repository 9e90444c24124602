//! Making an API token, for both front doors (`POST /api/v1/auth/api-tokens`
//! and the desk's account page): the request checked, the token signed
//! with its own id, the record kept (within the account's allowance).

use chrono::Duration;

use super::state::AppState;
use crate::auth::tokens::Subject;
use crate::auth::AuthenticatedUser;
use crate::domain::account::ApiToken;
use crate::domain::clock;
use crate::error::AppError;
use crate::service::tokens;

/// The token's record and its secret, which is shown once and never kept.
pub async fn mint(
    state: &AppState,
    user: &AuthenticatedUser,
    name: &str,
    days: Option<i64>,
) -> Result<(ApiToken, String), AppError> {
    let (name, days) =
        ApiToken::check_request(name, days).map_err(|errors| AppError::Unprocessable {
            detail: "the token cannot be made as asked".to_owned(),
            errors,
        })?;
    let now = clock::now();
    let record = ApiToken {
        id: uuid::Uuid::now_v7().to_string(),
        name,
        created_at: now,
        expires_at: now + Duration::days(days),
        revoked_at: None,
    };
    let subject = Subject {
        user_id: &user.id,
        role: user.role,
        entity: user.entity.as_ref().map(|e| e.as_str()),
    };
    let token = state
        .tokens
        .issue_api(&subject, &record.id, now, record.expires_at)?;
    let stored = record.clone();
    let owner = user.id.clone();
    state
        .store
        .run(move |c| tokens::record_api_token(c, &owner, &stored, now))
        .await?;
    Ok((record, token))
}
