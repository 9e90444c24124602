//! The token signing key: from `COMPENDIUM_JWT_SECRET` when set, otherwise
//! generated on first start and kept in the data directory, readable by the
//! service's user only. Replicas behind one load balancer must share a key,
//! so they must be given the same secret.

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
}

pub fn signing_secret(settings: &Settings) -> Result<Vec<u8>, KeyError> {
    match &settings.jwt_secret {
        Some(secret) if secret.len() < MIN_SECRET_BYTES => Err(KeyError::TooShort),
        Some(secret) => Ok(secret.as_bytes().to_vec()),
        None => load_or_generate(&settings.data_dir.join(KEY_FILE)),
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
    fn a_generated_key_is_private_and_kept_across_starts() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_owned(),
            ..Settings::default()
        };
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
        let settings = Settings {
            jwt_secret: Some("short".into()),
            ..Settings::default()
        };
        assert!(matches!(signing_secret(&settings), Err(KeyError::TooShort)));
        let settings = Settings {
            jwt_secret: Some("a".repeat(40)),
            ..Settings::default()
        };
        assert_eq!(
            signing_secret(&settings).unwrap(),
            "a".repeat(40).into_bytes()
        );
    }
}
