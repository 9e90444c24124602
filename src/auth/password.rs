//! Password hashing with argon2id. Hashing is deliberately slow: callers
//! run it on the blocking pool, never on an HTTP worker.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::Settings;
use crate::domain::account::NewPassword;

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// A hash of a random password with the same cost, verified when an
    /// email is unknown, so that a wrong email and a wrong password take
    /// the same time and give nothing away.
    decoy: String,
}

#[derive(Debug, thiserror::Error)]
#[error("argon2: {0}")]
pub struct PasswordError(String);

impl Passwords {
    pub fn new(settings: &Settings) -> Result<Passwords, PasswordError> {
        let params = Params::new(
            settings.auth.argon2_memory_kib,
            settings.auth.argon2_iterations,
            settings.auth.argon2_parallelism,
            None,
        )
        .map_err(|e| PasswordError(e.to_string()))?;
        let mut passwords = Passwords {
            params,
            decoy: String::new(),
        };
        let mut random = [0u8; 24];
        getrandom::fill(&mut random).map_err(|e| PasswordError(e.to_string()))?;
        passwords.decoy = passwords.hash_bytes(&random)?;
        Ok(passwords)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    fn hash_bytes(&self, password: &[u8]) -> Result<String, PasswordError> {
        self.argon2()
            .hash_password(password)
            .map(|hash| hash.to_string())
            .map_err(|e| PasswordError(e.to_string()))
    }

    /// The PHC string (`$argon2id$v=19$m=…`) to store.
    pub fn hash(&self, password: &NewPassword) -> Result<String, PasswordError> {
        self.hash_bytes(password.expose().as_bytes())
    }

    /// Whether `password` matches `stored`; an unreadable stored hash never matches.
    pub fn verify(&self, password: &str, stored: &str) -> bool {
        match PasswordHash::new(stored) {
            Ok(parsed) => self
                .argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }

    /// Spends the time a real verification would, for an unknown account.
    pub fn verify_decoy(&self, password: &str) {
        let _ = self.verify(password, &self.decoy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Passwords {
        let mut settings = Settings::default();
        settings.auth.argon2_memory_kib = 64;
        settings.auth.argon2_iterations = 1;
        Passwords::new(&settings).unwrap()
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let passwords = cheap();
        let hash = passwords
            .hash(&NewPassword::parse("correct horse battery".into(), &[]).unwrap())
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(passwords.verify("correct horse battery", &hash));
        assert!(!passwords.verify("correct horse battery!", &hash));
        assert!(!passwords.verify("anything", "not a hash"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let passwords = cheap();
        let password = NewPassword::parse("correct horse battery".into(), &[]).unwrap();
        assert_ne!(
            passwords.hash(&password).unwrap(),
            passwords.hash(&password).unwrap()
        );
    }
}
