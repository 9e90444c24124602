//! Sign-in, API tokens and the caller's own account:
//! `/api/v1/auth/token`, `/api/v1/auth/api-tokens`, `/api/v1/me`.

use actix_web::{http::header, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::pagination;
use crate::auth::tokens::Subject;
use crate::auth::{authorize, Action, Caller};
use crate::domain::account::ApiToken;
use crate::domain::account::{Email, Role};
use crate::domain::clock;
use crate::error::AppError;
use crate::http::api_tokens::mint;
use crate::http::extract::{ApiJson, ApiQuery, JsonBody};
use crate::http::sign_in::check_password;
use crate::http::{Answer, IdPath, State};
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
    responses((status = 200, description = "An access token", body = TokenResponse), (status = 400, description = "Malformed request"), (status = 401, description = "Wrong email or password, or a disabled account"), (status = 413, description = "Body too large"), (status = 415, description = "Body is not JSON"), (status = 429, description = "Too many failed sign-ins; see Retry-After"))
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
    let page = query.page()?;
    let fetch = page.clone();
    let mut items = state
        .store
        .run(move |c| tokens::api_tokens_of(c, &user_id, &fetch))
        .await?;
    let next_cursor = pagination::finish(&mut items, &page, |t| &t.id);
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
}

/// The signed-in account.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "identity", security(("bearer" = [])),
    responses((status = 200, description = "The caller's account", body = Me), (status = 401, description = "No valid token"))
)]
pub async fn me(caller: Caller) -> Answer {
    let user = authorize(&caller, Action::ReadOwnAccount)?;
    Ok(HttpResponse::Ok().json(Me {
        id: user.id.clone(),
        email: user.email.to_string(),
        name: user.name.clone(),
        role: user.role,
        entity: user.entity.as_ref().map(ToString::to_string),
    }))
}
