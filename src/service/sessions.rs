//! Desk sessions: opened by a password sign-in, resolved on every desk
//! request, closed by signing out. Ending every session of an account
//! when it is disabled or re-roled is `accounts::update`'s, in the same
//! transaction as the change.

use chrono::{DateTime, Utc};

use crate::auth::secrets;
use crate::domain::account::User;
use crate::error::AppError;
use crate::store::{sessions, users, AnyConnection};

/// What the browser is given: the cookie's secret and the token its forms
/// carry.
pub struct Opened {
    pub secret: String,
    pub csrf_token: String,
}

/// A live session's account, as it is now.
pub struct Live {
    pub user: User,
    pub csrf_token: String,
}

fn random() -> Result<String, AppError> {
    secrets::new_secret()
        .map_err(|e| AppError::internal(format!("no randomness for a session: {e}")))
}

pub fn open(
    connection: &mut AnyConnection,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let opened = Opened {
        secret: random()?,
        csrf_token: random()?,
    };
    sessions::insert(
        connection,
        &secrets::digest(&opened.secret),
        user_id,
        &opened.csrf_token,
        now,
    )?;
    Ok(opened)
}

/// The session a cookie names, if it is still live and its account
/// enabled; a session found dead is forgotten on the way.
pub fn resolve(
    connection: &mut AnyConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<Live>, AppError> {
    let digest = secrets::digest(secret);
    let Some(row) = sessions::find(connection, &digest)? else {
        return Ok(None);
    };
    if !row.times.is_live(now) {
        sessions::delete(connection, &digest)?;
        return Ok(None);
    }
    let Some(user) = users::find(connection, &row.user_id)?.filter(|u| !u.disabled) else {
        sessions::delete(connection, &digest)?;
        return Ok(None);
    };
    if row.times.needs_touch(now) {
        sessions::touch(connection, &digest, now)?;
    }
    Ok(Some(Live {
        user,
        csrf_token: row.csrf_token,
    }))
}

pub fn close(connection: &mut AnyConnection, secret: &str) -> Result<(), AppError> {
    sessions::delete(connection, &secrets::digest(secret))
}
