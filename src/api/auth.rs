//! Sign-in, API tokens and the caller's own account:
//! `/api/v1/auth/token`, `/api/v1/auth/api-tokens`, `/api/v1/me`.

use actix_web::{http::header, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::pagination;
use crate::auth::tokens::Subject;
use crate::auth::{authorize, Action, AuthenticatedUser, Caller};
use crate::domain::account::ApiToken;
use crate::domain::account::{Email, NewPassword, Role, RESET_MINUTES};
use crate::domain::clock;
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::http::api_tokens::mint;
use crate::http::extract::{ApiJson, ApiQuery, JsonBody};
use crate::http::passwords;
use crate::http::sign_in::check_password;
use crate::http::{Answer, IdPath, State};
use crate::service::accounts;
use crate::service::tokens;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[schema(format = "email", example = "focal.point@example.org")]
    email: String,
    #[schema(format = "password")]
    password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    access_token: String,
    #[schema(example = "Bearer")]
    token_type: String,
    /// Seconds until the token expires.
    expires_in: i64,
}

/// Signs in with an email and a password; answers a short-lived access token.
#[utoipa::path(
    post, path = "/api/v1/auth/token", tag = "identity", request_body = TokenRequest,
    responses((status = 200, description = "An access token", body = TokenResponse), (status = 400, description = "Malformed request"), (status = 401, description = "Wrong email or password, or a disabled account"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "The email holds a control character"), (status = 429, description = "Too many failed sign-ins; see Retry-After"))
)]
pub async fn issue_token(
    state: State,
    request: HttpRequest,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Answer {
    let email = Email::parse(&body.email).map_err(|m| AppError::invalid_field("email", m))?;
    let user = check_password(&state, &request, &email, body.password).await?;
    let subject = Subject {
        user_id: &user.id,
        role: user.role,
        entity: user.entity.as_ref().map(|e| e.as_str()),
    };
    let (token, claims) = state.tokens.issue_access(&subject, clock::now())?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token: token,
            token_type: "Bearer".to_owned(),
            expires_in: claims.exp - claims.iat,
        }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiTokenRequest {
    /// What the token is for, e.g. "nightly upload script".
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    name: String,
    /// Lifetime in days: 1 to 730, 365 when absent.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 730)]
    expires_in_days: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewApiToken {
    id: String,
    name: String,
    /// The secret, shown this once: keep it safe.
    token: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

/// Makes a long-lived API token for scripts. Needs a password sign-in.
#[utoipa::path(
    post, path = "/api/v1/auth/api-tokens", tag = "identity", request_body = NewApiTokenRequest, security(("bearer" = [])),
    responses((status = 201, description = "The token, shown once", body = NewApiToken), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Called with an API token"), (status = 409, description = "Too many live tokens"), (status = 422, description = "Name or lifetime out of bounds"))
)]
pub async fn create_api_token(state: State, caller: Caller, body: JsonBody) -> Answer {
    let user = authorize(&caller, Action::CreateApiToken)?.clone();
    let body: NewApiTokenRequest = body.parse()?;
    let (record, token) = mint(&state, &user, &body.name, body.expires_in_days).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(NewApiToken {
            id: record.id,
            name: record.name,
            token,
            created_at: record.created_at,
            expires_at: record.expires_at,
        }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    #[param(value_type = Option<super::shapes::IdCursor>)]
    cursor: Option<String>,
}

impl ListQuery {
    pub fn page(&self) -> Result<crate::domain::page::Page, AppError> {
        pagination::page(self.limit, self.cursor.as_deref())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenList {
    items: Vec<ApiToken>,
    next_cursor: Option<String>,
}

/// The caller's API tokens, without their secrets.
#[utoipa::path(
    get, path = "/api/v1/auth/api-tokens", tag = "identity", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, description = "The caller's tokens, oldest first", body = ApiTokenList), (status = 400, description = "Bad limit or cursor"), (status = 401, description = "No valid token"))
)]
pub async fn list_api_tokens(
    state: State,
    caller: Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Answer {
    let user_id = authorize(&caller, Action::ManageOwnApiTokens)?.id.clone();
    let (items, next_cursor) = pagination::fetch(
        &state,
        query.page()?,
        move |c, page| tokens::api_tokens_of(c, &user_id, page),
        |t| &t.id,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ApiTokenList { items, next_cursor }))
}

/// Revokes one of the caller's API tokens; it stops working at once.
#[utoipa::path(
    delete, path = "/api/v1/auth/api-tokens/{id}", tag = "identity", params(("id" = String, Path, description = "The token's id")), security(("bearer" = [])),
    responses((status = 204, description = "Revoked"), (status = 401, description = "No valid token"), (status = 404, description = "The caller has no such token"))
)]
pub async fn revoke_api_token(state: State, caller: Caller, path: IdPath) -> Answer {
    let user_id = authorize(&caller, Action::ManageOwnApiTokens)?.id.clone();
    let id = path.into_inner();
    let lookup = id.clone();
    let revoked = state
        .store
        .run(move |c| tokens::revoke_api_token(c, &user_id, &lookup, clock::now()))
        .await?;
    if revoked {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(AppError::NotFound(format!("you have no API token {id}")))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    id: String,
    #[schema(format = "email")]
    email: String,
    name: String,
    role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "FRA")]
    entity: Option<String>,
    /// Whether a focal point is mailed the announcement of each new
    /// compilation (the default).
    announcements: bool,
}

/// The signed-in account, as `PATCH /api/v1/me` and `GET` answer it.
async fn me_of(state: &State, user: &AuthenticatedUser) -> Answer {
    let id = user.id.clone();
    let announcements = state
        .store
        .run(move |c| accounts::announcements(c, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Me {
            id: user.id.clone(),
            email: user.email.to_string(),
            name: user.name.clone(),
            role: user.role,
            entity: user.entity.as_ref().map(ToString::to_string),
            announcements,
        }))
}

/// The signed-in account.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "identity", security(("bearer" = [])),
    responses((status = 200, description = "The caller's account", body = Me), (status = 401, description = "No valid token"))
)]
pub async fn me(state: State, caller: Caller) -> Answer {
    let user = authorize(&caller, Action::ReadOwnAccount)?;
    me_of(&state, user).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyChoices {
    /// false: no mail when a new compilation is published.
    announcements: Option<bool>,
}

/// Changes the caller's own choices: whether they are mailed the
/// announcements of new compilations.
#[utoipa::path(
    patch, path = "/api/v1/me", tag = "identity", request_body = MyChoices, security(("bearer" = [])),
    responses((status = 200, description = "The caller's account", body = Me), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"))
)]
pub async fn update_me(state: State, caller: Caller, body: JsonBody) -> Answer {
    let user = authorize(&caller, Action::ReadOwnAccount)?.clone();
    let choices: MyChoices = body.parse()?;
    if let Some(wanted) = choices.announcements {
        let id = user.id.clone();
        state
            .store
            .run(move |c| accounts::choose_announcements(c, &id, wanted))
            .await?;
    }
    me_of(&state, &user).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The present password, asked again.
    #[schema(max_length = 256)]
    current_password: String,
    /// At least 12 characters and not easy to guess (not a common
    /// password, a keyboard walk, or the account's own name or address).
    #[schema(min_length = 12, max_length = 256)]
    new_password: String,
}

/// Changes the caller's own password. Every desk session, API token and
/// access token issued before ends, the one of this request too: sign in
/// again with the new password.
#[utoipa::path(
    post, path = "/api/v1/me/password", tag = "identity", request_body = PasswordChange, security(("bearer" = [])),
    responses((status = 204, description = "Changed; every earlier token and session has ended"), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "The present password is wrong, or the new one is too short, too long or too easy to guess"), (status = 429, description = "Too many wrong passwords; see Retry-After"))
)]
pub async fn change_password(
    state: State,
    caller: Caller,
    request: HttpRequest,
    body: JsonBody,
) -> Answer {
    let user = authorize(&caller, Action::ReadOwnAccount)?.clone();
    let change: PasswordChange = body.parse()?;
    let wrong = || {
        AppError::unprocessable(vec![FieldError::new(
            "current_password",
            "is not this account's password",
        )])
    };
    // The same check, and the same throttle, as signing in.
    match check_password(&state, &request, &user.email, change.current_password).await {
        Ok(found) if found.id == user.id => {}
        Ok(_) | Err(AppError::Unauthorized(_)) => return Err(wrong()),
        Err(other) => return Err(other),
    }
    let new = NewPassword::parse(change.new_password, &[user.email.as_str(), &user.name])
        .map_err(|m| AppError::unprocessable(vec![FieldError::new("new_password", m)]))?;
    let hash = passwords::hash(&state, new).await?;
    state
        .store
        .run(move |c| accounts::change_password(c, user.actor(), &user.id, &hash, clock::now()))
        .await?;
    Ok(HttpResponse::NoContent()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(format = "email", max_length = 254)]
    email: String,
    /// The language of the mail; English when absent.
    language: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordResetAccepted {
    detail: String,
}

/// Asks for a link to choose a new password. The answer is the same
/// whether or not the address has an account; an enabled account's owner
/// is mailed a link that works once, for 30 minutes (three a day at most).
#[utoipa::path(
    post, path = "/api/v1/auth/password-reset", tag = "identity", request_body = PasswordResetRequest,
    responses((status = 202, description = "If the address has an account, a link is on its way", body = PasswordResetAccepted), (status = 400, description = "Malformed request"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 422, description = "Not an email address"), (status = 429, description = "Too many requests from this address; see Retry-After"))
)]
pub async fn request_password_reset(state: State, request: HttpRequest, body: JsonBody) -> Answer {
    let asked: PasswordResetRequest = body.parse()?;
    let email = Email::parse(&asked.email)
        .map_err(|m| AppError::unprocessable(vec![FieldError::new("email", m)]))?;
    let language = asked.language.unwrap_or_default();
    passwords::ask_reset(&state, &request, email, language).await?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(PasswordResetAccepted {
            detail: format!(
                "if this address has an account, a link to choose a new password is on its way; it works for {RESET_MINUTES} minutes"
            ),
        }))
}
