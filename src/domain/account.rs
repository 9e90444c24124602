//! Accounts: who a user is (an email), what they may be (a role), and the
//! one rule that binds them: a focal point speaks for exactly one entity,
//! nobody else speaks for any.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::entities::EntityCode;
use crate::domain::text;
use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Submits for the one entity the account is bound to.
    FocalPoint,
    /// Reviews, curates and publishes for the Secretariat.
    Editor,
    /// An editor who also manages accounts and organisations.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::FocalPoint, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::FocalPoint => "focal_point",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Admins can do everything an editor can.
    pub fn is_editor(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }
}

named_in_text!(Role by as_str, |text| -> String {
    format!("unknown role '{text}': use focal_point, editor or admin")
});

/// An email address, trimmed and lower-cased, so that one person cannot hold
/// two accounts that differ only in case. One strict grammar for accounts
/// and subscriptions alike, read the same way by every part that stores or
/// mails it: a bare `local@domain` (RFC 5321's dot-atom local part, a
/// domain of letter-digit-hyphen labels in ASCII, internationalised names
/// in their `xn--` form), never a display name, a list or a quoted part.
/// The real test of an address is still a mail that arrives.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// Characters of an RFC 5322 atom, besides letters and digits.
const ATOM_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";

fn is_dot_atom(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ATOM_SPECIALS.contains(c))
        })
}

fn is_domain(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    labels.len() >= 2
        && text.len() <= 253
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|top| {
            top.chars().all(|c| c.is_ascii_alphabetic()) || top.starts_with("xn--")
        })
}

impl Email {
    pub fn parse(input: &str) -> Result<Email, String> {
        let email = input.trim().to_ascii_lowercase();
        let valid = email.len() <= 254
            && match email.split_once('@') {
                Some((local, domain)) => {
                    local.len() <= 64 && is_dot_atom(local) && is_domain(domain)
                }
                None => false,
            };
        if valid {
            Ok(Email(email))
        } else {
            Err(format!(
                "'{}' is not an email address: send a bare address, such as focal.point@gouv.example",
                input.trim()
            ))
        }
    }

    /// An address as stored: checked when it was written, under the rules
    /// of that day, and not refused now that they are stricter.
    pub fn from_stored(stored: String) -> Email {
        Email(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::domain::checked_text!(Email);

/// How long an invitation's link to choose a password works.
pub const INVITATION_HOURS: i64 = 72;
/// How long a reset's link to choose a new password works.
pub const RESET_MINUTES: i64 = 30;
/// Password resets one address receives in a day at most, whoever asks.
pub const RESETS_A_DAY: i64 = 3;

/// A new password, before hashing. Long enough to resist guessing, short
/// enough that hashing it cannot be used to burn the server's CPU.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    /// zxcvbn's score a password needs: 3 stands for about 10^8 guesses
    /// and more, out of reach of online guessing under the sign-in throttle.
    const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;
    /// Counted as JSON Schema's `maxLength` counts, so the document can say it.
    pub const MAX_CHARS: usize = 256;
    /// What sign-in reads at most (4 bytes a character, any password made here).
    pub const MAX_BYTES: usize = 4 * Self::MAX_CHARS;

    /// A password a person chose: long enough, not too long, and not easy
    /// to guess by zxcvbn's estimate (a common password, a word and a
    /// year, a keyboard walk, one character repeated, or the person's own
    /// name or address all fall short). `known` is what anyone knows of
    /// the person: their address, their name.
    pub fn parse(password: String, known: &[&str]) -> Result<NewPassword, String> {
        if password.chars().count() < Self::MIN_CHARS {
            return Err(format!(
                "a password needs at least {} characters",
                Self::MIN_CHARS
            ));
        }
        if password.chars().count() > Self::MAX_CHARS {
            return Err(format!(
                "a password may have at most {} characters",
                Self::MAX_CHARS
            ));
        }
        let words: Vec<&str> = known
            .iter()
            .flat_map(|k| k.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().count() >= 3)
            .chain(known.iter().copied())
            .collect();
        let estimate = zxcvbn::zxcvbn(&password, &words);
        if estimate.score() < Self::MIN_SCORE {
            let why = estimate
                .feedback()
                .and_then(|f| f.warning())
                .map(|w| format!(" ({})", w.to_string().trim_end_matches('.').to_lowercase()))
                .unwrap_or_default();
            return Err(format!(
                "this password is too easy to guess{why}: a few uncommon words, or a longer phrase, will do"
            ));
        }
        Ok(NewPassword(password))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A display name: trimmed, 1 to 200 characters, one line.
pub fn parse_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if let Some(fault) = text::one_line_fault(name) {
        return Err(format!("a name {fault}"));
    }
    match name.chars().count() {
        0 => Err("a name cannot be empty".to_owned()),
        1..=200 => Ok(text::composed(name)),
        _ => Err("a name may have at most 200 characters".to_owned()),
    }
}

/// The binding rule: a focal point has an entity, other roles have none.
pub fn check_binding(role: Role, entity: Option<&EntityCode>) -> Result<(), FieldError> {
    match (role, entity) {
        (Role::FocalPoint, None) => Err(FieldError::new(
            "entity",
            "a focal point must be bound to the entity it speaks for",
        )),
        (Role::Editor | Role::Admin, Some(_)) => Err(FieldError::new(
            "entity",
            format!(
                "an {} is not bound to an entity",
                role.as_str().replace('_', " ")
            ),
        )),
        _ => Ok(()),
    }
}

/// An account as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    #[schema(value_type = String, format = "email")]
    pub email: Email,
    pub name: String,
    pub role: Role,
    /// The entity a focal point speaks for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "FRA")]
    pub entity: Option<EntityCode>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The new values of the fields an administrator may change.
pub struct UserChange {
    pub role: Role,
    pub entity: Option<EntityCode>,
    pub disabled: bool,
}

/// An API token as its owner sees it in a list: never the secret.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    pub const DEFAULT_DAYS: i64 = 365;
    pub const MAX_DAYS: i64 = 730;

    /// A new token's name and lifetime, as asked (the name trimmed, the
    /// lifetime a year when not said), or what is wrong with them.
    pub fn check_request(name: &str, days: Option<i64>) -> Result<(String, i64), Vec<FieldError>> {
        let days = days.unwrap_or(Self::DEFAULT_DAYS);
        let mut errors = Vec::new();
        let name = text::one_line("name", name.trim(), &mut errors);
        if !(1..=100).contains(&name.chars().count()) {
            errors.push(FieldError::new("name", "must have 1 to 100 characters"));
        }
        if !(1..=Self::MAX_DAYS).contains(&days) {
            errors.push(FieldError::new(
                "expires_in_days",
                format!("must be from 1 to {}", Self::MAX_DAYS),
            ));
        }
        if errors.is_empty() {
            Ok((name, days))
        } else {
            Err(errors)
        }
    }

    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// Who acted: an account, or the command line run on the server itself.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    User { id: &'a str, email: &'a str },
    CommandLine,
}

impl Actor<'_> {
    /// The account's id, for the columns that record who made a thing.
    pub fn user_id(&self) -> Option<String> {
        match self {
            Actor::User { id, .. } => Some((*id).to_owned()),
            Actor::CommandLine => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_requests_are_checked_and_defaulted() {
        assert_eq!(
            ApiToken::check_request("  nightly ", None).unwrap(),
            ("nightly".to_owned(), 365)
        );
        assert_eq!(ApiToken::check_request("x", Some(730)).unwrap().1, 730);
        let errors = ApiToken::check_request(" ", Some(0)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "expires_in_days"]);
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Focal.Point@Gouv.FR ").unwrap().as_str(),
            "focal.point@gouv.fr"
        );
        for bad in [
            "",
            "no-at-sign",
            "@gouv.fr",
            "a@b",
            "a@.fr",
            "a@fr.",
            "a b@gouv.fr",
            "a@b@c.fr",
            // What the probe slipped through: a display name, a list, a
            // quoted local part with markup.
            "alias<victim@example.test>",
            "Alias <victim@example.test>",
            "a@example.test,postmaster",
            "a\"<script>@evil.test",
            "\"quoted\"@example.test",
            "a..b@example.test",
            ".a@example.test",
            "a@-example.test",
            "a@example-.test",
            "a@example.t3st",
            "a@exa_mple.test",
            "a\r\nbcc:x@example.test",
            "üser@example.test",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        for good in [
            "first.last+compendium@mofa.gov.example",
            "o'brien@example.ie",
            "x@xn--mgbh0fb.xn--kgbechtv",
            "focal_point-2@sub.domain.example",
        ] {
            assert_eq!(Email::parse(good).unwrap().as_str(), good);
        }
    }

    #[test]
    fn a_focal_point_needs_an_entity_and_nobody_else_may_have_one() {
        let fra = EntityCode::parse("FRA").unwrap();
        assert!(check_binding(Role::FocalPoint, Some(&fra)).is_ok());
        assert!(check_binding(Role::FocalPoint, None).is_err());
        assert!(check_binding(Role::Editor, None).is_ok());
        assert!(check_binding(Role::Editor, Some(&fra)).is_err());
        assert!(check_binding(Role::Admin, Some(&fra)).is_err());
    }

    #[test]
    fn passwords_have_bounds_and_never_show_in_debug_output() {
        assert!(NewPassword::parse("short".into(), &[]).is_err());
        assert!(NewPassword::parse("x".repeat(2000), &[]).is_err());
        let password = NewPassword::parse("correct horse battery".into(), &[]).unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn admins_are_editors_and_roles_round_trip() {
        assert!(
            Role::Admin.is_editor() && Role::Editor.is_editor() && !Role::FocalPoint.is_editor()
        );
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Ada  ").unwrap(), "Ada");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"n".repeat(201)).is_err());
    }
}
