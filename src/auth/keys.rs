//! The token signing keys. `COMPENDIUM_JWT_KEYS` lists several, each with
//! an id (`kid`), oldest first: new tokens are signed with the last, tokens
//! of every listed key are accepted, so a key can be rotated without
//! signing anyone out. Otherwise one key (id `default`): from
//! `COMPENDIUM_JWT_SECRET`, or generated on first start and kept in the data
//! directory, readable by the service's user only. Replicas behind one load
//! balancer must be given the same keys.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;

use crate::config::Settings;

const KEY_FILE: &str = "jwt-secret";
/// 256 bits: the size of an HS256 key.
const GENERATED_BYTES: usize = 32;
/// A configured secret shorter than this is refused: HS256 with a short
/// secret can be brute-forced offline from any token.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("COMPENDIUM_JWT_SECRET must have at least {MIN_SECRET_BYTES} bytes")]
    TooShort,
    #[error("cannot read or write the signing key {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot generate a signing key: {0}")]
    Random(String),
    #[error("COMPENDIUM_JWT_KEYS: {0}")]
    Keys(String),
}

/// The id of the one key of a service that lists none (and of tokens made
/// before keys had ids).
pub const DEFAULT_KEY_ID: &str = "default";

#[derive(Clone)]
pub struct SigningKey {
    pub id: String,
    pub secret: Vec<u8>,
}

/// Every key tokens may be signed with, oldest first; the last signs.
#[derive(Clone)]
pub struct SigningKeys {
    keys: Vec<SigningKey>,
}

impl SigningKeys {
    pub fn single(secret: Vec<u8>) -> SigningKeys {
        SigningKeys {
            keys: vec![SigningKey {
                id: DEFAULT_KEY_ID.to_owned(),
                secret,
            }],
        }
    }

    /// `id:secret,id:secret`, oldest first.
    pub fn parse(text: &str) -> Result<SigningKeys, KeyError> {
        let mut keys: Vec<SigningKey> = Vec::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, secret) = entry
                .split_once(':')
                .ok_or_else(|| KeyError::Keys("write each key as id:secret".to_owned()))?;
            let id = id.trim();
            let valid_id = !id.is_empty()
                && id.len() <= 64
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
            if !valid_id {
                return Err(KeyError::Keys(format!(
                    "key id {id:?}: use 1 to 64 letters, digits, '.', '_' or '-'"
                )));
            }
            if secret.len() < MIN_SECRET_BYTES {
                return Err(KeyError::Keys(format!(
                    "key {id}: a secret needs at least {MIN_SECRET_BYTES} bytes"
                )));
            }
            if keys.iter().any(|k| k.id == id) {
                return Err(KeyError::Keys(format!("key id {id} is listed twice")));
            }
            keys.push(SigningKey {
                id: id.to_owned(),
                secret: secret.as_bytes().to_vec(),
            });
        }
        if keys.is_empty() {
            return Err(KeyError::Keys("lists no key".to_owned()));
        }
        Ok(SigningKeys { keys })
    }

    /// The key new tokens are signed with.
    pub fn newest(&self) -> &SigningKey {
        // `parse` and `single` never make an empty list.
        &self.keys[self.keys.len() - 1]
    }

    pub fn all(&self) -> &[SigningKey] {
        &self.keys
    }
}

/// The keys of the settings: `COMPENDIUM_JWT_KEYS`, else the one secret.
pub fn signing_keys(settings: &Settings) -> Result<SigningKeys, KeyError> {
    match &settings.auth.jwt_keys {
        Some(text) => SigningKeys::parse(text),
        None => signing_secret(settings).map(SigningKeys::single),
    }
}

pub fn signing_secret(settings: &Settings) -> Result<Vec<u8>, KeyError> {
    match &settings.auth.jwt_secret {
        Some(secret) if secret.len() < MIN_SECRET_BYTES => Err(KeyError::TooShort),
        Some(secret) => Ok(secret.as_bytes().to_vec()),
        None => load_or_generate(&settings.storage.data_dir.join(KEY_FILE)),
    }
}

fn load_or_generate(path: &Path) -> Result<Vec<u8>, KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let key = text.trim().as_bytes().to_vec();
            if key.len() < MIN_SECRET_BYTES {
                return Err(KeyError::TooShort);
            }
            Ok(key)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let mut random = [0u8; GENERATED_BYTES];
            getrandom::fill(&mut random).map_err(|e| KeyError::Random(e.to_string()))?;
            let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random);
            let mut options = std::fs::OpenOptions::new();
            // create_new: two processes starting at once cannot both write;
            // the loser reads the winner's key.
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                Ok(mut file) => {
                    file.write_all(text.as_bytes()).map_err(io)?;
                    file.sync_all().map_err(io)?;
                    tracing::info!(path = %path.display(), "generated a new token signing key");
                    Ok(text.into_bytes())
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    load_or_generate(path)
                }
                Err(error) => Err(io(error)),
            }
        }
        Err(error) => Err(io(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_keys_are_checked_and_the_last_signs() {
        let long = "k".repeat(32);
        let keys =
            SigningKeys::parse(&format!("2026-01:{long}, 2027-01:{}", "n".repeat(40))).unwrap();
        assert_eq!(keys.all().len(), 2);
        assert_eq!(keys.newest().id, "2027-01");
        for bad in [
            String::new(),
            "nocolon".to_owned(),
            format!("a:{}", "short"),
            format!("a b:{long}"),
            format!("a:{long},a:{long}"),
        ] {
            assert!(SigningKeys::parse(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_generated_key_is_private_and_kept_across_starts() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings::default();
        settings.storage.data_dir = dir.path().to_owned();
        let first = signing_secret(&settings).unwrap();
        let second = signing_secret(&settings).unwrap();
        assert_eq!(first, second);
        assert!(first.len() >= MIN_SECRET_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_configured_secret_wins_and_must_be_long_enough() {
        let mut settings = Settings::default();
        settings.auth.jwt_secret = Some("short".into());
        assert!(matches!(signing_secret(&settings), Err(KeyError::TooShort)));
        let mut settings = Settings::default();
        settings.auth.jwt_secret = Some("a".repeat(40));
        assert_eq!(
            signing_secret(&settings).unwrap(),
            "a".repeat(40).into_bytes()
        );
    }
}
