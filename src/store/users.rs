//! Accounts. The password hash is read only by sign-in and never leaves
//! this module inside a [`User`].

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::connection::AnyConnection;
use super::schema::users;
use super::utc;
use crate::domain::account::{Email, Role};
use crate::domain::account::{User, UserChange};
use crate::domain::entities::EntityCode;
use crate::domain::page::Page;
use crate::error::AppError;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: String,
    email: String,
    name: String,
    role: String,
    entity: Option<String>,
    disabled: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl UserRow {
    fn into_user(self) -> Result<User, AppError> {
        let corrupt = |what: String| AppError::internal(format!("stored user {}: {what}", self.id));
        Ok(User {
            email: Email::from_stored(self.email),
            role: self.role.parse().map_err(corrupt)?,
            entity: self
                .entity
                .as_deref()
                .map(EntityCode::parse)
                .transpose()
                .map_err(|e| corrupt(e.to_string()))?,
            name: self.name,
            disabled: self.disabled,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            id: self.id,
        })
    }
}

pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub entity: Option<EntityCode>,
    pub password_hash: String,
}

/// Creates an account; an email already taken is a conflict.
pub fn insert(
    connection: &mut AnyConnection,
    new: NewUser,
    now: DateTime<Utc>,
) -> Result<User, AppError> {
    let id = uuid::Uuid::now_v7().to_string();
    let inserted = diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(new.email.as_str()),
            users::name.eq(&new.name),
            users::role.eq(new.role.as_str()),
            users::entity.eq(new.entity.as_ref().map(EntityCode::as_str)),
            users::password_hash.eq(&new.password_hash),
            users::disabled.eq(false),
            users::created_at.eq(now.naive_utc()),
            users::updated_at.eq(now.naive_utc()),
        ))
        .execute(connection);
    match inserted {
        Ok(_) => {
            find(connection, &id)?.ok_or_else(|| AppError::internal("a user vanished after insert"))
        }
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Err(AppError::Conflict(format!(
                "an account with the email {} already exists",
                new.email
            )))
        }
        Err(other) => Err(other.into()),
    }
}

pub fn find(connection: &mut AnyConnection, id: &str) -> Result<Option<User>, AppError> {
    find_by_key!(connection, users, id, UserRow::into_user)
}

/// An account as a token's bearer is checked against it: the account, the
/// moment before which its tokens are no longer honoured, and the nonce
/// its password links name.
pub struct Standing {
    pub user: User,
    /// Milliseconds since the epoch.
    pub tokens_valid_after: Option<i64>,
    pub link_nonce: String,
}

pub fn standing(connection: &mut AnyConnection, id: &str) -> Result<Option<Standing>, AppError> {
    let found = users::table
        .find(id)
        .select((
            UserRow::as_select(),
            users::tokens_valid_after,
            users::link_nonce,
        ))
        .first::<(UserRow, Option<i64>, String)>(connection)
        .optional()?;
    found
        .map(|(row, cutoff, link_nonce)| {
            Ok(Standing {
                user: row.into_user()?,
                tokens_valid_after: cutoff,
                link_nonce,
            })
        })
        .transpose()
}

/// Honours no token of the account issued before this moment. The moment
/// it is written, to the millisecond, rather than a request's
/// whole-second `now`: a token issued earlier in that second ends too.
pub fn end_tokens(connection: &mut AnyConnection, id: &str) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set(users::tokens_valid_after.eq(Utc::now().timestamp_millis()))
        .execute(connection)?;
    Ok(())
}

/// Whether the account is mailed the announcements of new compilations.
pub fn announcements(connection: &mut AnyConnection, id: &str) -> Result<bool, AppError> {
    Ok(users::table
        .find(id)
        .select(users::announcements)
        .first::<bool>(connection)
        .optional()?
        .unwrap_or(false))
}

pub fn set_announcements(
    connection: &mut AnyConnection,
    id: &str,
    wanted: bool,
) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set(users::announcements.eq(wanted))
        .execute(connection)?;
    Ok(())
}

/// Gives the account's password links a new nonce: every earlier one dies.
pub fn renew_link_nonce(
    connection: &mut AnyConnection,
    id: &str,
    nonce: &str,
) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set(users::link_nonce.eq(nonce))
        .execute(connection)?;
    Ok(())
}

/// The account with this address, enabled or not.
pub fn find_by_email(
    connection: &mut AnyConnection,
    email: &Email,
) -> Result<Option<User>, AppError> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(UserRow::as_select())
        .first::<UserRow>(connection)
        .optional()?
        .map(UserRow::into_user)
        .transpose()
}

/// A new address for the account; one taken by another account is a conflict.
pub fn set_email(
    connection: &mut AnyConnection,
    id: &str,
    email: &Email,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let changed = diesel::update(users::table.find(id))
        .set((
            users::email.eq(email.as_str()),
            users::updated_at.eq(now.naive_utc()),
        ))
        .execute(connection);
    match changed {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Err(
            AppError::Conflict(format!("an account with the email {email} already exists")),
        ),
        Err(other) => Err(other.into()),
    }
}

/// The account and its password hash, for sign-in.
pub fn find_credentials(
    connection: &mut AnyConnection,
    email: &Email,
) -> Result<Option<(User, String)>, AppError> {
    let found = users::table
        .filter(users::email.eq(email.as_str()))
        .select((UserRow::as_select(), users::password_hash))
        .first::<(UserRow, String)>(connection)
        .optional()?;
    found
        .map(|(row, hash)| row.into_user().map(|user| (user, hash)))
        .transpose()
}

/// Accounts in the order they were made, a page at a time.
pub fn list(connection: &mut AnyConnection, page: &Page) -> Result<Vec<User>, AppError> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::id)
        .into_boxed();
    let rows: Vec<_> = page_of!(query, users, page, connection);
    rows.into_iter().map(UserRow::into_user).collect()
}

pub fn update(
    connection: &mut AnyConnection,
    id: &str,
    change: &UserChange,
    now: DateTime<Utc>,
) -> Result<User, AppError> {
    diesel::update(users::table.find(id))
        .set((
            users::role.eq(change.role.as_str()),
            users::entity.eq(change.entity.as_ref().map(EntityCode::as_str)),
            users::disabled.eq(change.disabled),
            users::updated_at.eq(now.naive_utc()),
        ))
        .execute(connection)?;
    find(connection, id)?.ok_or_else(|| AppError::NotFound(format!("there is no user {id}")))
}

pub fn set_password_hash(
    connection: &mut AnyConnection,
    id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::updated_at.eq(now.naive_utc()),
        ))
        .execute(connection)?;
    Ok(())
}

/// Who a mail goes to.
pub enum Recipients<'a> {
    /// The focal points of an entity.
    FocalPointsOf(&'a str),
    /// The Secretariat: editors and admins.
    Editors,
    /// Every focal point of every entity.
    AllFocalPoints,
}

/// The addresses of the enabled accounts of a kind, in a stable order.
pub fn emails_of(
    connection: &mut AnyConnection,
    recipients: Recipients<'_>,
) -> Result<Vec<String>, AppError> {
    let mut query = users::table
        .filter(users::disabled.eq(false))
        .order(users::email)
        .select(users::email)
        .into_boxed();
    query = match recipients {
        Recipients::FocalPointsOf(entity) => query
            .filter(users::role.eq(Role::FocalPoint.as_str()))
            .filter(users::entity.eq(entity)),
        // Those who chose not to be told of new compilations are not.
        Recipients::AllFocalPoints => query
            .filter(users::role.eq(Role::FocalPoint.as_str()))
            .filter(users::announcements.eq(true)),
        Recipients::Editors => {
            query.filter(users::role.eq_any([Role::Editor.as_str(), Role::Admin.as_str()]))
        }
    };
    Ok(query.load(connection)?)
}
