//! Creates that a client may retry without making two: a request sent with
//! an `Idempotency-Key` is done once, and a retry with the same key and the
//! same body gets the first answer again. The shape is zero2prod's: look
//! for a saved answer; if none, do the work and save its answer in the same
//! transaction; if another request with the key won the race, answer its.

use base64::Engine;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::domain::account::Actor;
use crate::error::{AppError, FieldError};
use crate::store::idempotency::{self, StoredAnswer};
use crate::store::{write_transaction, AnyConnection};

/// The header a client names its key in.
pub const HEADER: &str = "idempotency-key";

/// A client's key for one request, bound to a digest of that request's body
/// (so a reused key with another body is refused, not replayed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    key: String,
    request_hash: String,
}

impl Key {
    /// The key sent, if any, checked: 1 to 255 visible ASCII characters.
    pub fn from_header(value: Option<&[u8]>, body: &[u8]) -> Result<Option<Key>, AppError> {
        let Some(value) = value else {
            return Ok(None);
        };
        let key = std::str::from_utf8(value).unwrap_or("").trim();
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::BadRequest {
                detail: "Idempotency-Key must be 1 to 255 visible ASCII characters".to_owned(),
                errors: vec![FieldError::new(
                    "Idempotency-Key",
                    "1 to 255 visible ASCII characters",
                )],
            });
        }
        Ok(Some(Key {
            key: key.to_owned(),
            request_hash: base64::engine::general_purpose::STANDARD_NO_PAD
                .encode(Sha256::digest(body)),
        }))
    }
}

/// The answer a created resource gives, as it is saved for replays.
pub struct Answer {
    pub status_code: u16,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub body: String,
}

/// Whether the work was done now, or a saved answer is replayed.
pub enum Once<T> {
    Done(T),
    Replayed(StoredAnswer),
}

enum Attempt {
    App(AppError),
    /// Another request with the same key committed first.
    KeyTaken,
}

impl From<diesel::result::Error> for Attempt {
    fn from(error: diesel::result::Error) -> Self {
        Attempt::App(error.into())
    }
}

impl From<AppError> for Attempt {
    fn from(error: AppError) -> Self {
        Attempt::App(error)
    }
}

fn replay(stored: StoredAnswer, key: &Key) -> Result<StoredAnswer, AppError> {
    if stored.request_hash == key.request_hash {
        Ok(stored)
    } else {
        Err(AppError::unprocessable(vec![FieldError::new(
            "Idempotency-Key",
            "this key was used for a different request: use a new key for a new submission",
        )]))
    }
}

/// Keys belong to accounts: a caller without one (the command line) has
/// nothing to key its retries by.
fn owner(actor: &Actor<'_>) -> Result<String, AppError> {
    actor
        .user_id()
        .ok_or_else(|| AppError::bad_request("an Idempotency-Key needs a signed-in account"))
}

/// Runs `work` in one transaction, once per `(owner, key)`: the work's
/// answer is saved with it, and a retry gets that answer back. `prepare`
/// is the work that needs no database (tagging a text): it runs before the
/// transaction takes the write lock, and not at all for a retry.
pub fn run_once<P, T>(
    connection: &mut AnyConnection,
    actor: &Actor<'_>,
    key: Option<&Key>,
    now: DateTime<Utc>,
    prepare: impl FnOnce() -> P,
    work: impl FnOnce(&mut AnyConnection, P) -> Result<(T, Answer), AppError>,
) -> Result<Once<T>, AppError> {
    let Some(key) = key else {
        let prepared = prepare();
        return write_transaction(connection, |c| {
            work(c, prepared).map(|(done, _)| Once::Done(done))
        });
    };
    let owner = owner(actor)?;
    if let Some(stored) = idempotency::find(connection, &owner, &key.key, now)? {
        return replay(stored, key).map(Once::Replayed);
    }
    let prepared = prepare();
    let attempt = write_transaction::<_, Attempt, _>(connection, |c| {
        let (done, answer) = work(c, prepared)?;
        let stored = StoredAnswer {
            request_hash: key.request_hash.clone(),
            status_code: i64::from(answer.status_code),
            location: answer.location,
            etag: answer.etag,
            body: answer.body,
        };
        if !idempotency::remember(c, &owner, &key.key, &stored, now)? {
            return Err(Attempt::KeyTaken);
        }
        Ok(done)
    });
    match attempt {
        Ok(done) => Ok(Once::Done(done)),
        Err(Attempt::App(error)) => Err(error),
        Err(Attempt::KeyTaken) => {
            let stored = idempotency::find(connection, &owner, &key.key, now)?
                .ok_or_else(|| AppError::internal("an idempotency key vanished"))?;
            replay(stored, key).map(Once::Replayed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_visible_ascii_and_bound_to_the_body() {
        assert_eq!(Key::from_header(None, b"{}").unwrap(), None);
        for bad in [&b""[..], b"   ", "clé".as_bytes(), &[b'a'; 256]] {
            assert!(Key::from_header(Some(bad), b"{}").is_err(), "{bad:?}");
        }
        let one = Key::from_header(Some(b" abc-123 "), b"{\"a\":1}")
            .unwrap()
            .unwrap();
        let same = Key::from_header(Some(b"abc-123"), b"{\"a\":1}")
            .unwrap()
            .unwrap();
        let other = Key::from_header(Some(b"abc-123"), b"{\"a\":2}")
            .unwrap()
            .unwrap();
        assert_eq!(one, same);
        assert_eq!(one.key, "abc-123");
        assert_ne!(one.request_hash, other.request_hash);
    }
}
