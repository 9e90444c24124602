//! Signed links of mail: `<id>.<nonce>.<expiry>.<mac>` to confirm a
//! subscription or to choose an account's password, `<id>.<nonce>.<mac>`
//! to unsubscribe. The MAC (HMAC-SHA256
//! under a key derived from the service's signing secret) covers the
//! purpose, so a link for one purpose is worthless for the other. The
//! nonce is the subscription's at the time of the mail: a new request and
//! leaving replace it, so an earlier link does nothing (see
//! `service::subscriptions::follow_link`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::auth::keys::SigningKeys;

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;

/// What a link names: a subscription or an account, and its nonce when
/// the mail went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub nonce: String,
}

impl Named {
    fn of(text: &str) -> Result<Named, LinkError> {
        let (id, nonce) = text.split_once('.').ok_or(LinkError::Invalid)?;
        Ok(Named {
            id: id.to_owned(),
            nonce: nonce.to_owned(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Not one of ours: malformed or forged.
    Invalid,
    Expired,
}

/// Signs with the newest of the service's keys and accepts any of them, so
/// links in mail already sent survive a key rotation until the key goes.
#[derive(Clone)]
pub struct Links {
    /// Oldest first; the last signs.
    keys: Vec<Vec<u8>>,
}

/// A key of its own for links, derived from a signing secret.
fn link_key(secret: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(b"compendium subscription links\0");
    hasher.update(secret);
    hasher.finalize().to_vec()
}

impl Links {
    pub fn new(keys: &SigningKeys) -> Links {
        Links {
            keys: keys.all().iter().map(|k| link_key(&k.secret)).collect(),
        }
    }

    fn mac_with(key: &[u8], purpose: &str, message: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(message.as_bytes());
        mac
    }

    fn sign(&self, purpose: &str, message: &str) -> String {
        let newest = self.keys.last().map(Vec::as_slice).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(
            Self::mac_with(newest, purpose, message)
                .finalize()
                .into_bytes(),
        )
    }

    fn verify(&self, purpose: &str, message: &str, signature: &str) -> bool {
        URL_SAFE_NO_PAD.decode(signature).is_ok_and(|bytes| {
            self.keys.iter().any(|key| {
                Self::mac_with(key, purpose, message)
                    .verify_slice(&bytes)
                    .is_ok()
            })
        })
    }

    /// A link for `purpose` naming `id` and its nonce, alive until `expires`.
    fn expiring_token(
        &self,
        purpose: &str,
        id: &str,
        nonce: &str,
        expires: DateTime<Utc>,
    ) -> String {
        let message = format!("{id}.{nonce}.{}", expires.timestamp());
        format!("{message}.{}", self.sign(purpose, &message))
    }

    /// What an expiring link for `purpose` names, if it is ours and alive.
    fn check_expiring(
        &self,
        purpose: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Named, LinkError> {
        let (message, signature) = token.rsplit_once('.').ok_or(LinkError::Invalid)?;
        if !self.verify(purpose, message, signature) {
            return Err(LinkError::Invalid);
        }
        let (named, expires) = message.rsplit_once('.').ok_or(LinkError::Invalid)?;
        let expires: i64 = expires.parse().map_err(|_| LinkError::Invalid)?;
        if now.timestamp() > expires {
            return Err(LinkError::Expired);
        }
        Named::of(named)
    }

    pub fn confirm_token(&self, subscription: &str, nonce: &str, expires: DateTime<Utc>) -> String {
        self.expiring_token("confirm", subscription, nonce, expires)
    }

    /// The subscription and nonce a confirmation link names, if it is ours
    /// and alive.
    pub fn check_confirm(&self, token: &str, now: DateTime<Utc>) -> Result<Named, LinkError> {
        self.check_expiring("confirm", token, now)
    }

    /// A link to choose an account's password (an invitation or a reset).
    pub fn password_token(&self, user: &str, nonce: &str, expires: DateTime<Utc>) -> String {
        self.expiring_token("password", user, nonce, expires)
    }

    /// The account and nonce a password link names, if it is ours and alive.
    pub fn check_password(&self, token: &str, now: DateTime<Utc>) -> Result<Named, LinkError> {
        self.check_expiring("password", token, now)
    }

    pub fn unsubscribe_token(&self, subscription: &str, nonce: &str) -> String {
        let message = format!("{subscription}.{nonce}");
        format!("{message}.{}", self.sign("unsubscribe", &message))
    }

    /// The subscription and nonce an unsubscribe link names, if it is ours.
    pub fn check_unsubscribe(&self, token: &str) -> Result<Named, LinkError> {
        let (message, signature) = token.rsplit_once('.').ok_or(LinkError::Invalid)?;
        if self.verify("unsubscribe", message, signature) {
            Named::of(message)
        } else {
            Err(LinkError::Invalid)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn links_verify_for_their_purpose_only() {
        let links = Links::new(&SigningKeys::single(
            b"a secret of the service, long enough".to_vec(),
        ));
        let now = Utc::now();
        let confirm = links.confirm_token("sub-1", "n0nce", now + Duration::hours(1));
        let named = Named {
            id: "sub-1".to_owned(),
            nonce: "n0nce".to_owned(),
        };
        assert_eq!(links.check_confirm(&confirm, now), Ok(named.clone()));
        assert_eq!(
            links.check_confirm(&confirm, now + Duration::hours(2)),
            Err(LinkError::Expired)
        );
        let leave = links.unsubscribe_token("sub-1", "n0nce");
        assert_eq!(links.check_unsubscribe(&leave), Ok(named));
        // Another nonce cannot be put in a signed link.
        let renamed = leave.replacen("n0nce", "other", 1);
        assert_eq!(links.check_unsubscribe(&renamed), Err(LinkError::Invalid));
        // Purposes do not mix; forgeries and other keys fail.
        assert_eq!(links.check_unsubscribe(&confirm), Err(LinkError::Invalid));
        assert_eq!(links.check_confirm(&leave, now), Err(LinkError::Invalid));
        assert_eq!(
            links.check_unsubscribe("sub-2.n.AAAA"),
            Err(LinkError::Invalid)
        );
        let other = Links::new(&SigningKeys::single(
            b"another service's secret, long enough".to_vec(),
        ));
        assert_eq!(other.check_unsubscribe(&leave), Err(LinkError::Invalid));
        // A longer life cannot be granted by editing the expiry.
        let forged = confirm.replacen(
            &format!("{}", (now + Duration::hours(1)).timestamp()),
            "9999999999",
            1,
        );
        assert_eq!(links.check_confirm(&forged, now), Err(LinkError::Invalid));
        assert_eq!(links.check_confirm("garbage", now), Err(LinkError::Invalid));
        // A password link is worthless as a confirmation, and the reverse.
        let password = links.password_token("u1", "n", now + Duration::minutes(30));
        assert!(links.check_password(&password, now).is_ok());
        assert_eq!(links.check_confirm(&password, now), Err(LinkError::Invalid));
        assert_eq!(links.check_password(&confirm, now), Err(LinkError::Invalid));
    }
}
