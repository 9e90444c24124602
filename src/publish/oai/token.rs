//! Resumption tokens: where a list stopped, and what it selects. A list
//! walks the catalogue's change log in order, so the token holds the last
//! change a page answered: practices that arrive or change during a
//! harvest come after it and none is skipped. The token is the whole
//! state (no table of open harvests to expire or share between replicas)
//! and carries its own expiry.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};

use super::request::{ErrorCode, OaiError};
use crate::domain::harvest::{HarvestSet, Selection};

/// How long a harvester has to ask for the next page.
pub const LIFETIME: Duration = Duration::hours(24);

const VERSION: &str = "1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumptionToken {
    pub selection: Selection,
    /// The catalogue change the previous page ended with (0 at the start).
    pub after: i64,
    /// Records answered before this page: the response's `cursor`.
    pub delivered: u64,
}

fn bad(message: &str) -> OaiError {
    OaiError::new(ErrorCode::BadResumptionToken, message)
}

fn seconds(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.timestamp().to_string()).unwrap_or_default()
}

fn time(field: &str) -> Result<Option<DateTime<Utc>>, OaiError> {
    if field.is_empty() {
        return Ok(None);
    }
    field
        .parse::<i64>()
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .map(Some)
        .ok_or_else(|| bad("this token was not issued here"))
}

impl ResumptionToken {
    /// The start of a list.
    pub fn first(selection: Selection) -> ResumptionToken {
        ResumptionToken {
            selection,
            after: 0,
            delivered: 0,
        }
    }

    /// The token for the page after this one, which answered `answered`
    /// records and ended with change `last`.
    pub fn next(&self, last: i64, answered: usize) -> ResumptionToken {
        ResumptionToken {
            selection: self.selection.clone(),
            after: last,
            delivered: self.delivered + answered as u64,
        }
    }

    /// The token as a harvester sends it back, valid until `expires`.
    pub fn encode(&self, expires: DateTime<Utc>) -> String {
        let set = self.selection.set.map(HarvestSet::spec).unwrap_or_default();
        let text = [
            VERSION.to_owned(),
            self.after.to_string(),
            self.delivered.to_string(),
            expires.timestamp().to_string(),
            seconds(self.selection.from),
            seconds(self.selection.until_before),
            set,
        ]
        .join("|");
        URL_SAFE_NO_PAD.encode(text)
    }

    /// Reads a token back; one that is malformed, or expired by `now`, is
    /// the protocol's `badResumptionToken`.
    pub fn decode(token: &str, now: DateTime<Utc>) -> Result<ResumptionToken, OaiError> {
        let text = URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| bad("this token was not issued here"))?;
        let fields: Vec<&str> = text.split('|').collect();
        let [version, after, delivered, expires, from, until, set] = fields.as_slice() else {
            return Err(bad("this token was not issued here"));
        };
        if *version != VERSION {
            return Err(bad(
                "this token was issued by an earlier version: start the list again",
            ));
        }
        let expires = time(expires)?.ok_or_else(|| bad("this token was not issued here"))?;
        if expires <= now {
            return Err(bad("this token has expired: start the list again"));
        }
        let set = if set.is_empty() {
            None
        } else {
            Some(HarvestSet::parse(set).ok_or_else(|| bad("this token was not issued here"))?)
        };
        Ok(ResumptionToken {
            selection: Selection {
                from: time(from)?,
                until_before: time(until)?,
                set,
            },
            after: after
                .parse()
                .map_err(|_| bad("this token was not issued here"))?,
            delivered: delivered
                .parse()
                .map_err(|_| bad("this token was not issued here"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annex::SectionId;

    fn token() -> ResumptionToken {
        ResumptionToken {
            selection: Selection {
                from: DateTime::from_timestamp(1_700_000_000, 0),
                until_before: None,
                set: Some(HarvestSet::Section(SectionId::E)),
            },
            after: 1234,
            delivered: 200,
        }
    }

    #[test]
    fn a_token_reads_back_until_it_expires() {
        let now = Utc::now();
        let encoded = token().encode(now + LIFETIME);
        assert!(encoded
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(ResumptionToken::decode(&encoded, now), Ok(token()));
        let later = ResumptionToken::decode(&encoded, now + LIFETIME + Duration::seconds(1));
        assert_eq!(
            later.map_err(|e| (e.code, e.message.contains("expired"))),
            Err((ErrorCode::BadResumptionToken, true))
        );
    }

    #[test]
    fn the_next_token_moves_on_and_counts() {
        let next = token().next(1300, 50);
        assert_eq!((next.after, next.delivered), (1300, 250));
        assert_eq!(next.selection, token().selection);
    }

    #[test]
    fn anything_else_is_a_bad_token() {
        let now = Utc::now();
        for token in [
            "",
            "not base64!",
            &URL_SAFE_NO_PAD.encode("1|2|3"),
            &URL_SAFE_NO_PAD.encode(format!("2|0|0|{}|||", now.timestamp() + 60)),
            &URL_SAFE_NO_PAD.encode(format!("1|x|0|{}|||", now.timestamp() + 60)),
            &URL_SAFE_NO_PAD.encode(format!("1|0|0|{}|||item:99", now.timestamp() + 60)),
        ] {
            assert_eq!(
                ResumptionToken::decode(token, now).map_err(|e| e.code),
                Err(ErrorCode::BadResumptionToken),
                "{token}"
            );
        }
    }
}
