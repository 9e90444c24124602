//! Accounts, managed by administrators: `/api/v1/users`. Every change is
//! written to the audit log in the same transaction.

use actix_web::{http::header, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ListQuery;
use super::extract::{double_option, ApiQuery, JsonBody};
use super::{pagination, AppState};
use crate::auth::accounts::{self, unprocessable, AccountRequest};
use crate::auth::{authorize, Action, Caller};
use crate::domain::account::{check_binding, Email, Role};
use crate::domain::clock;
use crate::entities::EntityCode;
use crate::error::{AppError, FieldError, Problem};
use crate::store::audit;
use crate::store::users::{self, User, UserChange};
use crate::store::write_transaction;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    #[schema(value_type = String, format = "email")]
    email: Email,
    name: String,
    role: Role,
    /// Required for a focal point, refused for other roles.
    #[schema(example = "FRA")]
    entity: Option<String>,
    /// At least 12 characters.
    #[schema(format = "password", min_length = 12)]
    password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    role: Option<Role>,
    /// An entity code, or null to unbind (when the role is no longer focal point).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, example = "FRA")]
    entity: Option<Option<String>>,
    /// A disabled account cannot sign in, and its tokens stop working at once.
    disabled: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    items: Vec<User>,
    next_cursor: Option<String>,
}

fn as_json(user: &User) -> Option<serde_json::Value> {
    serde_json::to_value(user).ok()
}

/// Creates an account (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "identity",
    request_body = NewUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new account", body = User, headers(("Location" = String, description = "The account's URL"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a rule: weak password, unknown entity, role and entity mismatch", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody,
) -> Result<HttpResponse, AppError> {
    let admin = authorize(&caller, Action::ManageUsers)?.clone();
    let body: NewUserRequest = body.parse()?;
    let account = accounts::check(AccountRequest {
        email: body.email,
        name: body.name,
        role: body.role,
        entity: body.entity,
        password: body.password,
    })?;
    let passwords = state.passwords.clone();
    let (account, password_hash) = web::block(move || {
        let hash = passwords.hash(&account.password);
        (account, hash)
    })
    .await
    .map_err(|e| AppError::internal(format!("hashing did not complete: {e}")))?;
    let password_hash = password_hash.map_err(AppError::internal)?;
    let created = state
        .store
        .run(move |c| accounts::create(c, account, password_hash, admin.actor()))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", created.id)))
        .json(created))
}

/// Every account, oldest first (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "identity",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of accounts", body = UserList),
        (status = 400, description = "Bad limit or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    authorize(&caller, Action::ManageUsers)?;
    let page = query.page()?;
    let fetch = page.clone();
    let mut items = state.store.run(move |c| users::list(c, &fetch)).await?;
    let next_cursor = pagination::finish(&mut items, &page, |u| &u.id);
    Ok(HttpResponse::Ok().json(UserList { items, next_cursor }))
}

/// One account (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    tag = "identity",
    params(("id" = String, Path, description = "The account's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = User),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    authorize(&caller, Action::ManageUsers)?;
    let id = path.into_inner();
    let lookup = id.clone();
    let user = state.store.run(move |c| users::find(c, &lookup)).await?;
    user.map(|u| HttpResponse::Ok().json(u))
        .ok_or_else(|| AppError::NotFound(format!("there is no user {id}")))
}

/// Changes an account's role, entity or disabled flag (admins only). Takes
/// effect on the account's very next request.
#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    tag = "identity",
    params(("id" = String, Path, description = "The account's id")),
    request_body = UserPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed account", body = User),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An admin cannot demote or disable their own account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Role and entity do not fit, or the entity is unknown", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody,
) -> Result<HttpResponse, AppError> {
    let admin = authorize(&caller, Action::ManageUsers)?.clone();
    let patch: UserPatch = body.parse()?;
    let id = path.into_inner();
    let updated = state
        .store
        .run(move |c| {
            write_transaction(c, |c| {
                let before = users::find(c, &id)?
                    .ok_or_else(|| AppError::NotFound(format!("there is no user {id}")))?;
                let role = patch.role.unwrap_or(before.role);
                let disabled = patch.disabled.unwrap_or(before.disabled);
                if before.id == admin.id && (role != before.role || disabled) {
                    return Err(AppError::Conflict(
                        "an admin cannot demote or disable their own account: ask another admin"
                            .to_owned(),
                    ));
                }
                let entity = match &patch.entity {
                    Some(requested) => {
                        let code = requested
                            .as_deref()
                            .map(EntityCode::parse)
                            .transpose()
                            .map_err(|e| {
                                unprocessable(vec![FieldError::new("entity", e.to_string())])
                            })?;
                        accounts::known_entity(c, code)?
                    }
                    // A new role that cannot have an entity drops the old one.
                    None if role != Role::FocalPoint => None,
                    None => before.entity.clone(),
                };
                check_binding(role, entity.as_ref()).map_err(|e| unprocessable(vec![e]))?;
                let now = clock::now();
                let after = users::update(
                    c,
                    &id,
                    &UserChange {
                        role,
                        entity,
                        disabled,
                    },
                    now,
                )?;
                audit::record(
                    c,
                    audit::Entry {
                        actor: admin.actor(),
                        action: "user.update",
                        target_type: "user",
                        target_id: &id,
                        before: as_json(&before),
                        after: as_json(&after),
                    },
                    now,
                )?;
                Ok(after)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}
