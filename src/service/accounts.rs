//! Making an account, the same way from the API and from the command line:
//! the rules checked, the password hashed, the row and its audit entry
//! written in one transaction.

use crate::domain::account::Actor;
use chrono::{DateTime, Duration, Utc};

use crate::domain::account::{check_binding, parse_name, Email, NewPassword, Role};
use crate::domain::account::{User, UserChange};
use crate::domain::account::{INVITATION_HOURS, RESETS_A_DAY, RESET_MINUTES};
use crate::domain::clock;
use crate::domain::entities::EntityCode;
use crate::domain::notice::{Notice, PasswordNotice};
use crate::domain::outbox::NewMail;
use crate::domain::page::Page;
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::store::outbox;
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
    /// None: the person is invited to choose their own.
    pub password: Option<String>,
}

/// An account whose fields obey the rules that need no database.
pub struct CheckedAccount {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub entity: Option<EntityCode>,
    pub password: Option<NewPassword>,
}

pub fn check(request: AccountRequest) -> Result<CheckedAccount, AppError> {
    let mut errors = Vec::new();
    let name = parse_name(&request.name)
        .map_err(|m| errors.push(FieldError::new("name", m)))
        .ok();
    let known = [request.email.as_str(), request.name.as_str()];
    let password = match request.password {
        Some(password) => NewPassword::parse(password, &known)
            .map(Some)
            .map_err(|m| errors.push(FieldError::new("password", m)))
            .ok(),
        None => Some(None),
    };
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

/// The stored hash of an account whose owner has not chosen a password
/// yet: not a PHC string, so that no password ever matches it.
const NO_PASSWORD: &str = "!";

/// Writes the account and its audit entry in one transaction. Without a
/// password, the owner is mailed an invitation to choose one.
pub fn create(
    connection: &mut AnyConnection,
    account: CheckedAccount,
    password_hash: Option<String>,
    actor: Actor<'_>,
) -> Result<User, AppError> {
    write_transaction(connection, |c| {
        let invited = password_hash.is_none();
        let new = NewUser {
            entity: known_entity(c, account.entity)?,
            email: account.email,
            name: account.name,
            role: account.role,
            password_hash: password_hash.unwrap_or_else(|| NO_PASSWORD.to_owned()),
        };
        let now = clock::now();
        let user = users::insert(c, new, now)?;
        if invited {
            send_password_link(c, &user, Link::Invitation, Language::En, now)?;
        }
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
    pub email: Option<Email>,
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
        if let Some(email) = patch.email.as_ref().filter(|e| **e != before.email) {
            users::set_email(c, id, email, now)?;
        }
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
        // Disabling ends every token for good: re-enabling revives none.
        if after.disabled && !before.disabled {
            api_tokens::revoke_all(c, id, now)?;
            users::end_tokens(c, id)?;
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
    write_transaction(connection, |c| replace_password(c, actor, id, hash, now))
}

/// A new password and the end of what the old one opened, in the caller's
/// transaction.
fn replace_password(
    c: &mut AnyConnection,
    actor: Actor<'_>,
    id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    users::set_password_hash(c, id, hash, now)?;
    let sessions = sessions::delete_of_user(c, id)?;
    let tokens = api_tokens::revoke_all(c, id, now)?;
    users::end_tokens(c, id)?;
    // A password link sent before (an invitation, a reset) dies too.
    users::renew_link_nonce(c, id, &crate::auth::secrets::nonce()?)?;
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
}

/// Which password link a mail carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Invitation,
    Reset,
}

/// Queues a mail with a link to choose the account's password; every
/// link sent before dies.
fn send_password_link(
    connection: &mut AnyConnection,
    user: &User,
    link: Link,
    language: Language,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let nonce = crate::auth::secrets::nonce()?;
    users::renew_link_nonce(connection, &user.id, &nonce)?;
    let notice = PasswordNotice {
        user_id: user.id.clone(),
        name: user.name.clone(),
        nonce,
        expires: match link {
            Link::Invitation => now + Duration::hours(INVITATION_HOURS),
            Link::Reset => now + Duration::minutes(RESET_MINUTES),
        }
        .timestamp(),
    };
    let mail = NewMail {
        recipient: user.email.as_str().to_owned(),
        language,
        notice: match link {
            Link::Invitation => Notice::Invitation(notice),
            Link::Reset => Notice::PasswordReset(notice),
        },
    };
    outbox::enqueue(connection, &[mail], now)
}

/// Mails a link to choose a new password to the enabled account with this
/// address, if there is one and it has not had its resets of the day. The
/// caller answers the same whatever happened, so that nobody learns
/// which addresses have accounts.
pub fn request_reset(
    connection: &mut AnyConnection,
    email: &Email,
    language: Language,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_transaction(connection, |c| {
        let Some(user) = users::find_by_email(c, email)?.filter(|u| !u.disabled) else {
            return Ok(());
        };
        let sent =
            outbox::count_since(c, email.as_str(), "password_reset", now - Duration::days(1))?;
        if sent >= RESETS_A_DAY {
            return Ok(());
        }
        send_password_link(c, &user, Link::Reset, language, now)
    })
}

/// The enabled account a password link names, if the link is still the
/// newest one it was sent (a link works once: setting the password
/// replaces the nonce).
pub fn linked_account(
    connection: &mut AnyConnection,
    id: &str,
    nonce: &str,
) -> Result<Option<User>, AppError> {
    Ok(users::standing(connection, id)?
        .filter(|s| !s.user.disabled && !s.link_nonce.is_empty())
        .filter(|s| crate::auth::secrets::same(nonce, &s.link_nonce))
        .map(|s| s.user))
}

/// Sets the password a link's owner chose (checked and hashed by the
/// caller), if the link is still good, ending every session and token as a
/// password change does; the person acts on their own account.
pub fn set_password_by_link(
    connection: &mut AnyConnection,
    id: &str,
    nonce: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<User, AppError> {
    write_transaction(connection, |c| {
        let user = linked_account(c, id, nonce)?.ok_or_else(|| {
            AppError::Conflict(
                "this link has been used or replaced by a newer one: ask for a new one".to_owned(),
            )
        })?;
        let actor = Actor::User {
            id: &user.id,
            email: user.email.as_str(),
        };
        replace_password(c, actor, &user.id, hash, now)?;
        Ok(user)
    })
}

/// Whether the account is mailed the announcements of new compilations.
pub fn announcements(connection: &mut AnyConnection, id: &str) -> Result<bool, AppError> {
    users::announcements(connection, id)
}

/// A person's own choice about the announcements of new compilations.
pub fn choose_announcements(
    connection: &mut AnyConnection,
    id: &str,
    wanted: bool,
) -> Result<(), AppError> {
    users::set_announcements(connection, id, wanted)
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
            password: Some(password.into()),
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

    #[test]
    fn easy_passwords_are_refused_and_no_password_invites() {
        for easy in [
            "password1234",
            "aaaaaaaaaaaaaaaa",
            "qwertyuiop1234",
            "a@example.org1234",
        ] {
            let error = check(request(Role::Editor, None, easy)).err().unwrap();
            assert_eq!(fields(error), ["password"], "{easy}");
        }
        let mut invited = request(Role::Editor, None, "");
        invited.password = None;
        assert!(check(invited).unwrap().password.is_none());
    }
}
