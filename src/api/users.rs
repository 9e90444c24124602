//! Accounts, managed by administrators: `/api/v1/users`. Every change is
//! written to the audit log in the same transaction.

use actix_web::{http::header, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ListQuery;
use super::pagination;
use crate::auth::{authorize, Action, Caller};
use crate::domain::account::User;
use crate::domain::account::{Email, Role};
use crate::domain::clock;
use crate::domain::entities::EntityCode;
use crate::error::AppError;
use crate::http::extract::{double_option, ApiQuery, JsonBody};
use crate::http::{passwords, Answer, IdPath, State};
use crate::service::accounts::{self, AccountPatch, AccountRequest};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    #[schema(value_type = String, format = "email", max_length = 254)]
    email: Email,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    name: String,
    role: Role,
    /// Required for a focal point, refused for other roles.
    #[schema(value_type = Option<EntityCode>)]
    entity: Option<String>,
    /// 12 to 256 characters, not easy to guess. Absent: the person is
    /// mailed an invitation (a link that works once, for 72 hours) to
    /// choose their own, and no one else ever knows it.
    #[schema(format = "password", min_length = 12, max_length = 256)]
    password: Option<String>,
}

/// The binding rule (a focal point speaks for one entity, editors and
/// admins for none) as alternatives on `role` and `entity`, added to the
/// request bodies that carry both: a body that breaks it is invalid in
/// itself (422). A patch that breaks it only with what the account is now
/// (an entity for an admin) is a conflict with its state (409).
pub struct BindingRule;

impl utoipa::Modify for BindingRule {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
        use utoipa::openapi::Ref;

        let role = |roles: &[&str]| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(roles.to_vec()))
        };
        let null = || ObjectBuilder::new().schema_type(Type::Null);
        let focal_point = |entity_required: bool| {
            let branch = ObjectBuilder::new()
                .property("role", role(&["focal_point"]))
                .property("entity", Ref::from_schema_name("EntityCode"))
                .required("role");
            if entity_required {
                branch.required("entity")
            } else {
                branch
            }
        };
        let unbound = || {
            ObjectBuilder::new()
                .property("role", role(&["editor", "admin"]))
                .property("entity", null())
                .required("role")
        };
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let alternatives = [
            (
                "NewUserRequest",
                OneOfBuilder::new().item(focal_point(true)).item(unbound()),
            ),
            (
                "UserPatch",
                OneOfBuilder::new()
                    // No new role: the present one stays, and decides.
                    .item(ObjectBuilder::new().property("role", null()))
                    .item(focal_point(false))
                    .item(unbound()),
            ),
        ];
        for (name, rule) in alternatives {
            if let Some(fields) = components.schemas.remove(name) {
                let schema = AllOfBuilder::new().item(fields).item(rule).build();
                components
                    .schemas
                    .insert(name.to_owned(), Schema::AllOf(schema).into());
            }
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    role: Option<Role>,
    /// An entity code, or null to unbind (when the role is no longer focal point).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<EntityCode>, nullable)]
    entity: Option<Option<String>>,
    /// A disabled account cannot sign in, and its tokens stop working at
    /// once and for good: enabling it again revives none of them.
    disabled: Option<bool>,
    /// A new address for the account (audited); 409 when another account
    /// has it.
    #[schema(value_type = Option<String>, format = "email", max_length = 254)]
    email: Option<Email>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    items: Vec<User>,
    next_cursor: Option<String>,
}

/// Creates an account (admins only).
#[utoipa::path(
    post, path = "/api/v1/users", tag = "identity", request_body = NewUserRequest, security(("bearer" = [])),
    responses((status = 201, description = "The new account", body = User, headers(("Location" = String, description = "The account's URL"))), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Not an admin"), (status = 409, description = "The email is taken"), (status = 422, description = "Breaks a rule: a password too short or easy to guess, an unknown entity, a role and entity mismatch"))
)]
pub async fn create_user(state: State, caller: Caller, body: JsonBody) -> Answer {
    let admin = authorize(&caller, Action::ManageUsers)?.clone();
    let body: NewUserRequest = body.parse()?;
    let account = accounts::check(AccountRequest {
        email: body.email,
        name: body.name,
        role: body.role,
        entity: body.entity,
        password: body.password,
    })?;
    let created = passwords::create_account(&state, account, admin).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", created.id)))
        .json(created))
}

/// Every account, oldest first (admins only).
#[utoipa::path(
    get, path = "/api/v1/users", tag = "identity", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, description = "A page of accounts", body = UserList), (status = 400, description = "Bad limit or cursor"), (status = 401, description = "No valid token"), (status = 403, description = "Not an admin"))
)]
pub async fn list_users(
    state: State,
    caller: Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Answer {
    authorize(&caller, Action::ManageUsers)?;
    let (items, next_cursor) =
        pagination::fetch(&state, query.page()?, accounts::list, |u| &u.id).await?;
    Ok(HttpResponse::Ok().json(UserList { items, next_cursor }))
}

/// One account (admins only).
#[utoipa::path(
    get, path = "/api/v1/users/{id}", tag = "identity", params(("id" = String, Path, description = "The account's id")), security(("bearer" = [])),
    responses((status = 200, description = "The account", body = User), (status = 401, description = "No valid token"), (status = 403, description = "Not an admin"), (status = 404, description = "No such account"))
)]
pub async fn get_user(state: State, caller: Caller, path: IdPath) -> Answer {
    authorize(&caller, Action::ManageUsers)?;
    let id = path.into_inner();
    let lookup = id.clone();
    let user = state.store.run(move |c| accounts::find(c, &lookup)).await?;
    user.map(|u| HttpResponse::Ok().json(u))
        .ok_or_else(|| AppError::NotFound(format!("there is no user {id}")))
}

/// Changes an account's role, entity or disabled flag (admins only). Takes
/// effect on the account's very next request.
#[utoipa::path(
    patch, path = "/api/v1/users/{id}", tag = "identity", params(("id" = String, Path, description = "The account's id")), request_body = UserPatch, security(("bearer" = [])),
    responses((status = 200, description = "The changed account", body = User), (status = 400, description = "Malformed request"), (status = 401, description = "No valid token"), (status = 403, description = "Not an admin"), (status = 404, description = "No such account"), (status = 409, description = "An admin cannot demote or disable their own account; or the change does not fit the account as it is (an entity for an admin)"), (status = 422, description = "Role and entity sent do not fit each other, or the entity is unknown"))
)]
pub async fn update_user(state: State, caller: Caller, path: IdPath, body: JsonBody) -> Answer {
    let admin = authorize(&caller, Action::ManageUsers)?.clone();
    let patch: UserPatch = body.parse()?;
    let id = path.into_inner();
    let change = AccountPatch {
        role: patch.role,
        entity: patch.entity,
        disabled: patch.disabled,
        email: patch.email,
    };
    let updated = state
        .store
        .run(move |c| accounts::update(c, &admin.id, admin.actor(), &id, change, clock::now()))
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}
