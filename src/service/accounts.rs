//! Making an account, the same way from the API and from the command line:
//! the rules checked, the password hashed, the row and its audit entry
//! written in one transaction.

use crate::domain::account::Actor;
use chrono::{DateTime, Utc};

use crate::domain::account::{check_binding, parse_name, Email, NewPassword, Role};
use crate::domain::account::{User, UserChange};
use crate::domain::clock;
use crate::domain::entities::EntityCode;
use crate::domain::page::Page;
use crate::error::{AppError, FieldError};
use crate::store::users::{self, NewUser};
use crate::store::write_transaction;
use crate::store::{api_tokens, audit, sessions};
use crate::store::{organisations, AnyConnection};

/// An account as asked for, before any check.
pub struct AccountRequest {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub entity: Option<String>,
    pub password: String,
}

/// An account whose fields obey the rules that need no database.
pub struct CheckedAccount {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub entity: Option<EntityCode>,
    pub password: NewPassword,
}

pub fn check(request: AccountRequest) -> Result<CheckedAccount, AppError> {
    let mut errors = Vec::new();
    let name = parse_name(&request.name)
        .map_err(|m| errors.push(FieldError::new("name", m)))
        .ok();
    let password = NewPassword::parse(request.password)
        .map_err(|m| errors.push(FieldError::new("password", m)))
        .ok();
    let entity = match request.entity.as_deref().map(EntityCode::parse).transpose() {
        Ok(entity) => {
            if let Err(error) = check_binding(request.role, entity.as_ref()) {
                errors.push(error);
            }
            entity
        }
        Err(error) => {
            errors.push(FieldError::new("entity", error.to_string()));
            None
        }
    };
    match (name, password, errors.is_empty()) {
        (Some(name), Some(password), true) => Ok(CheckedAccount {
            email: request.email,
            name,
            role: request.role,
            entity,
            password,
        }),
        _ => Err(AppError::unprocessable(errors)),
    }
}

/// The entity, if the code names a known one; a 422 otherwise.
pub fn known_entity(
    connection: &mut AnyConnection,
    code: Option<EntityCode>,
) -> Result<Option<EntityCode>, AppError> {
    let Some(code) = code else { return Ok(None) };
    match organisations::lookup(connection, &code)? {
        Some(_) => Ok(Some(code)),
        None => Err(AppError::unprocessable(vec![FieldError::new(
            "entity",
            format!("there is no entity {code}: see GET /api/v1/entities"),
        )])),
    }
}

/// Writes the account and its audit entry in one transaction.
pub fn create(
    connection: &mut AnyConnection,
    account: CheckedAccount,
    password_hash: String,
    actor: Actor<'_>,
) -> Result<User, AppError> {
    write_transaction(connection, |c| {
        let new = NewUser {
            entity: known_entity(c, account.entity)?,
            email: account.email,
            name: account.name,
            role: account.role,
            password_hash,
        };
        let now = clock::now();
        let user = users::insert(c, new, now)?;
        audit::record(
            c,
            audit::Entry {
                actor,
                action: "user.create",
                target_type: "user",
                target_id: &user.id,
                before: None,
                after: serde_json::to_value(&user).ok(),
            },
            now,
        )?;
        Ok(user)
    })
}

/// What an administrator may change of an account; each field absent
/// keeps what is there. `entity: Some(None)` unbinds.
pub struct AccountPatch {
    pub role: Option<Role>,
    pub entity: Option<Option<String>>,
    pub disabled: Option<bool>,
}

/// Changes an account's role, entity or disabled flag, with its audit
/// entry, in one transaction. An admin cannot demote or disable their own
/// account (someone must be left to manage the others).
pub fn update(
    connection: &mut AnyConnection,
    admin_id: &str,
    actor: Actor<'_>,
    id: &str,
    patch: AccountPatch,
    now: DateTime<Utc>,
) -> Result<User, AppError> {
    write_transaction(connection, |c| {
        let before = users::find(c, id)?
            .ok_or_else(|| AppError::NotFound(format!("there is no user {id}")))?;
        let role = patch.role.unwrap_or(before.role);
        let disabled = patch.disabled.unwrap_or(before.disabled);
        if before.id == admin_id && (role != before.role || disabled) {
            return Err(AppError::Conflict(
                "an admin cannot demote or disable their own account: ask another admin".to_owned(),
            ));
        }
        let entity = match &patch.entity {
            Some(requested) => {
                let code = requested
                    .as_deref()
                    .map(EntityCode::parse)
                    .transpose()
                    .map_err(|e| {
                        AppError::unprocessable(vec![FieldError::new("entity", e.to_string())])
                    })?;
                known_entity(c, code)?
            }
            // A new role that cannot have an entity drops the old one.
            None if role != Role::FocalPoint => None,
            None => before.entity.clone(),
        };
        check_binding(role, entity.as_ref()).map_err(|e| {
            if patch.role.is_some() && patch.entity.is_some() {
                // The patch contradicts itself.
                AppError::unprocessable(vec![e])
            } else {
                // The patch is fine; the account as it is now is not.
                AppError::Conflict(format!(
                    "{}: {} (the account is {}{})",
                    e.field,
                    e.message,
                    before.role.as_str().replace('_', " "),
                    before
                        .entity
                        .as_ref()
                        .map(|code| format!(" for {code}"))
                        .unwrap_or_default()
                ))
            }
        })?;
        let after = users::update(
            c,
            id,
            &UserChange {
                role,
                entity,
                disabled,
            },
            now,
        )?;
        // A desk session speaks for the account as it was at sign-in: a
        // disabled account, a new role or entity ends it at once.
        if after.disabled || after.role != before.role || after.entity != before.entity {
            sessions::delete_of_user(c, id)?;
        }
        audit::record(
            c,
            audit::Entry {
                actor,
                action: "user.update",
                target_type: "user",
                target_id: id,
                before: serde_json::to_value(&before).ok(),
                after: serde_json::to_value(&after).ok(),
            },
            now,
        )?;
        Ok(after)
    })
}

/// Sets a new password (already checked and hashed by the caller, who
/// checked the old one too) and ends what the old one opened: every desk
/// session and every API token of the account, in one transaction. The
/// caller opens a fresh session for the browser that made the change.
pub fn change_password(
    connection: &mut AnyConnection,
    actor: Actor<'_>,
    id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_transaction(connection, |c| {
        users::set_password_hash(c, id, hash, now)?;
        let sessions = sessions::delete_of_user(c, id)?;
        let tokens = api_tokens::revoke_all(c, id, now)?;
        audit::record(
            c,
            audit::Entry {
                actor,
                action: "user.password",
                target_type: "user",
                target_id: id,
                before: None,
                after: Some(
                    serde_json::json!({"sessions_ended": sessions, "api_tokens_revoked": tokens}),
                ),
            },
            now,
        )
    })
}

/// A page of the accounts, oldest first.
pub fn list(connection: &mut AnyConnection, page: &Page) -> Result<Vec<User>, AppError> {
    users::list(connection, page)
}

/// One account, if it exists.
pub fn find(connection: &mut AnyConnection, id: &str) -> Result<Option<User>, AppError> {
    users::find(connection, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(role: Role, entity: Option<&str>, password: &str) -> AccountRequest {
        AccountRequest {
            email: Email::parse("a@example.org").unwrap(),
            name: "A".into(),
            role,
            entity: entity.map(str::to_owned),
            password: password.into(),
        }
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Unprocessable { errors, .. } => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        let error = check(request(Role::FocalPoint, None, "short"))
            .err()
            .unwrap();
        assert_eq!(fields(error), ["password", "entity"]);
        let error = check(request(Role::Editor, Some("fra"), "long enough password"))
            .err()
            .unwrap();
        assert_eq!(fields(error), ["entity"]);
        assert!(check(request(
            Role::FocalPoint,
            Some("FRA"),
            "long enough password"
        ))
        .is_ok());
    }
}
