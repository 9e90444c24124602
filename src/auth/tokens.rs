//! Signed tokens. Both kinds are HS256 JWTs with the same claims; `typ`
//! tells an access token (minutes, from a password) from an API token
//! (up to two years, for scripts, revocable by its `jti`). The algorithm is
//! pinned: a token that names another (`none`, RS256, …) is refused.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::keys::{SigningKeys, DEFAULT_KEY_ID};
use crate::domain::account::Role;
use crate::error::AppError;

pub const ISSUER: &str = "compendium";
pub const AUDIENCE: &str = "compendium-api";

/// Clock skew tolerated between replicas (kept in step by NTP): a few
/// seconds, so that an expired token is not honoured for long after.
const LEEWAY_SECONDS: u64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Access,
    Api,
    /// A desk session's cookie: a password sign-in, never a signed token.
    #[serde(skip)]
    Session,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user's id.
    pub sub: String,
    /// The role and entity when the token was made. Authorization uses the
    /// account's current values, so a change takes effect at once.
    pub role: Role,
    pub entity: Option<String>,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
    pub typ: TokenKind,
}

impl Claims {
    /// When the token was issued, to the millisecond: its `jti` is a UUID
    /// v7, whose first 48 bits say so; else the start of `iat`'s second.
    pub fn issued_at_millis(&self) -> i64 {
        uuid::Uuid::parse_str(&self.jti)
            .ok()
            .filter(|id| id.get_version_num() == 7)
            .and_then(|id| id.get_timestamp())
            .map(|stamp| {
                let (seconds, nanos) = stamp.to_unix();
                seconds as i64 * 1000 + i64::from(nanos / 1_000_000)
            })
            .unwrap_or(self.iat * 1000)
    }
}

/// The subject of a new token.
pub struct Subject<'a> {
    pub user_id: &'a str,
    pub role: Role,
    pub entity: Option<&'a str>,
}

pub struct Tokens {
    /// The newest key's id and its signing key.
    signing: (String, EncodingKey),
    /// Every accepted key, by id.
    checking: Vec<(String, DecodingKey)>,
    validation: Validation,
    access_lifetime: Duration,
}

impl Tokens {
    pub fn new(
        keys: &SigningKeys,
        access_minutes: u32,
    ) -> Result<Tokens, jsonwebtoken::errors::Error> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        let newest = keys.newest();
        Ok(Tokens {
            signing: (newest.id.clone(), EncodingKey::from_secret(&newest.secret)?),
            checking: keys
                .all()
                .iter()
                .map(|key| {
                    DecodingKey::from_secret(&key.secret).map(|decoding| (key.id.clone(), decoding))
                })
                .collect::<Result<_, _>>()?,
            validation,
            access_lifetime: Duration::minutes(i64::from(access_minutes)),
        })
    }

    pub fn access_lifetime(&self) -> Duration {
        self.access_lifetime
    }

    /// A short-lived access token; answers the token and its claims.
    pub fn issue_access(
        &self,
        subject: &Subject<'_>,
        now: DateTime<Utc>,
    ) -> Result<(String, Claims), AppError> {
        let jti = uuid::Uuid::now_v7().to_string();
        self.issue(
            subject,
            TokenKind::Access,
            jti,
            now,
            now + self.access_lifetime,
        )
    }

    /// A long-lived API token whose `jti` is the stored token id.
    pub fn issue_api(
        &self,
        subject: &Subject<'_>,
        token_id: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<String, AppError> {
        self.issue(
            subject,
            TokenKind::Api,
            token_id.to_owned(),
            now,
            expires_at,
        )
        .map(|(token, _)| token)
    }

    fn issue(
        &self,
        subject: &Subject<'_>,
        typ: TokenKind,
        jti: String,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(String, Claims), AppError> {
        let claims = Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: subject.user_id.to_owned(),
            role: subject.role,
            entity: subject.entity.map(str::to_owned),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: expires_at.timestamp(),
            jti,
            typ,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.signing.0.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.signing.1)
            .map_err(|e| AppError::internal(format!("signing a token: {e}")))?;
        Ok((token, claims))
    }

    /// The claims of a token whose signature, algorithm, issuer, audience
    /// and times are all right; anything else is a 401.
    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| AppError::Unauthorized("the token is malformed".to_owned()))?;
        // Tokens made before keys had ids carry none: the default key's.
        let kid = header.kid.as_deref().unwrap_or(DEFAULT_KEY_ID);
        let (_, key) = self
            .checking
            .iter()
            .find(|(id, _)| id == kid)
            .ok_or_else(|| {
                AppError::Unauthorized(
                    "the token is signed with a key this service no longer accepts: sign in again"
                        .to_owned(),
                )
            })?;
        jsonwebtoken::decode::<Claims>(token, key, &self.validation)
            .map(|data| data.claims)
            .map_err(|error| {
                use jsonwebtoken::errors::ErrorKind;
                let reason = match error.kind() {
                    ErrorKind::ExpiredSignature => "the token has expired",
                    ErrorKind::ImmatureSignature => "the token is not valid yet",
                    ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience => {
                        "the token was not issued for this service"
                    }
                    ErrorKind::InvalidSignature => "the token's signature does not match",
                    ErrorKind::InvalidAlgorithm => "the token is not signed with HS256",
                    ErrorKind::MissingRequiredClaim(_) => "the token lacks a required claim",
                    _ => "the token is malformed",
                };
                AppError::Unauthorized(reason.to_owned())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn keys(secret: &[u8]) -> SigningKeys {
        SigningKeys::single(secret.to_vec())
    }

    fn subject() -> Subject<'static> {
        Subject {
            user_id: "u1",
            role: Role::FocalPoint,
            entity: Some("FRA"),
        }
    }

    #[test]
    fn an_access_token_round_trips_with_every_claim() {
        let tokens = Tokens::new(&keys(SECRET), 15).unwrap();
        let now = crate::domain::clock::now();
        let (token, issued) = tokens.issue_access(&subject(), now).unwrap();
        let claims = tokens.verify(&token).unwrap();
        assert_eq!(claims, issued);
        assert_eq!(claims.exp - claims.iat, 15 * 60);
        assert_eq!(
            (claims.iss.as_str(), claims.aud.as_str()),
            (ISSUER, AUDIENCE)
        );
        assert_eq!(claims.typ, TokenKind::Access);
        assert_eq!(claims.entity.as_deref(), Some("FRA"));
    }

    #[test]
    fn another_key_expired_tokens_and_future_tokens_are_refused() {
        let tokens = Tokens::new(&keys(SECRET), 15).unwrap();
        let other = Tokens::new(&keys(b"another-secret-another-secret-xx"), 15).unwrap();
        let now = crate::domain::clock::now();
        let (foreign, _) = other.issue_access(&subject(), now).unwrap();
        assert!(tokens.verify(&foreign).is_err());
        let expired = tokens
            .issue_api(
                &subject(),
                "t1",
                now - Duration::hours(3),
                now - Duration::hours(1),
            )
            .unwrap();
        assert!(tokens
            .verify(&expired)
            .unwrap_err()
            .to_string()
            .contains("expired"));
        let (future, _) = tokens
            .issue_access(&subject(), now + Duration::hours(1))
            .unwrap();
        assert!(tokens
            .verify(&future)
            .unwrap_err()
            .to_string()
            .contains("not valid yet"));
    }

    #[test]
    fn rotating_keys_keeps_old_tokens_valid_until_their_key_is_removed() {
        let old = "o".repeat(32);
        let new = "n".repeat(32);
        let before = Tokens::new(&keys(old.as_bytes()), 15).unwrap();
        let now = crate::domain::clock::now();
        let (token, _) = before.issue_access(&subject(), now).unwrap();
        let rotated = Tokens::new(
            &SigningKeys::parse(&format!("default:{old},2027:{new}")).unwrap(),
            15,
        )
        .unwrap();
        assert!(rotated.verify(&token).is_ok(), "old tokens still work");
        let (fresh, _) = rotated.issue_access(&subject(), now).unwrap();
        assert_eq!(
            jsonwebtoken::decode_header(&fresh).unwrap().kid.as_deref(),
            Some("2027")
        );
        let retired =
            Tokens::new(&SigningKeys::parse(&format!("2027:{new}")).unwrap(), 15).unwrap();
        assert!(retired.verify(&fresh).is_ok());
        assert!(retired
            .verify(&token)
            .unwrap_err()
            .to_string()
            .contains("no longer accepts"));
    }
}
