//! Mail leaves the service through the outbox (`store::outbox`): the
//! transaction that causes a mail writes its row; the sender here claims
//! due rows, composes each message (`compose`) and hands it to SMTP, or,
//! with no SMTP configured, writes it as an `.eml` file under the data
//! directory. A failed delivery is retried with exponential backoff; after
//! the last attempt the mail is dead until an admin retries it.

pub mod compose;
pub mod links;

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::{SmtpTransport, Transport as _};

use crate::config::Settings;
use crate::domain::clock;
use crate::domain::outbox::Mail;
use crate::store::outbox;
use crate::store::AnyConnection;
use links::Links;

/// How mail leaves this process.
pub enum Transport {
    Smtp(SmtpTransport),
    /// One `.eml` file a message in this folder.
    Files(PathBuf),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Transport, lettre::transport::smtp::Error> {
        match &settings.mail.smtp_url {
            Some(url) => SmtpTransport::from_url(url).map(|builder| {
                Transport::Smtp(builder.timeout(Some(Duration::from_secs(30))).build())
            }),
            None => Ok(Transport::Files(settings.storage.data_dir.join("mail"))),
        }
    }

    fn deliver(&self, mail: &Mail, message: &lettre::Message) -> Result<(), String> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).map(|_| ()).map_err(|e| e.to_string()),
            Transport::Files(folder) => {
                std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
                let name = format!("{}.eml", mail.id);
                // Written whole, then renamed: a reader never sees half a mail.
                let partial = folder.join(format!(".{name}.part"));
                std::fs::write(&partial, message.formatted()).map_err(|e| e.to_string())?;
                std::fs::rename(&partial, folder.join(name)).map_err(|e| e.to_string())
            }
        }
    }
}

/// Mails claimed at a time, and how long a claim holds.
const BATCH: i64 = 50;
const LEASE_SECONDS: i64 = 120;
/// The longest the sender waits for a wake-up or a due retry before it
/// looks for due mail anyway (mail written by another process on SQLite).
pub const PERIOD: Duration = Duration::from_secs(10);
/// The longest wait between two attempts.
const MAX_BACKOFF_SECONDS: u64 = 3600;

/// When to try again after `attempts` failed attempts, if at all.
pub fn next_attempt(
    settings: &Settings,
    attempts: i64,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if attempts >= i64::from(settings.mail.max_attempts) {
        return None;
    }
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(u32::MAX)
        .min(20);
    let wait = settings
        .mail
        .retry_seconds
        .saturating_mul(1u64 << exponent)
        .min(MAX_BACKOFF_SECONDS);
    Some(now + chrono::Duration::seconds(i64::try_from(wait).unwrap_or(i64::MAX)))
}

/// One round: claims what is due and tries each; answers how many were
/// sent. A claim is a lease, so a sender that dies mid-round loses nothing.
pub fn send_due(
    connection: &mut AnyConnection,
    settings: &Settings,
    transport: &Transport,
    links: &Links,
) -> Result<usize, crate::error::AppError> {
    let claimed = outbox::claim(
        connection,
        clock::now(),
        chrono::Duration::seconds(LEASE_SECONDS),
        BATCH,
    )?;
    let mut sent = 0;
    for mail in claimed {
        let outcome =
            compose::compose(&mail, &settings.mail.from, &settings.http.public_url, links)
                .and_then(|message| transport.deliver(&mail, &message));
        let now = clock::now();
        match outcome {
            Ok(()) => {
                outbox::mark_sent(connection, &mail.id, now)?;
                sent += 1;
            }
            Err(error) => {
                let retry_at = next_attempt(settings, mail.attempts + 1, now);
                tracing::warn!(mail = %mail.id, kind = %mail.kind, attempts = mail.attempts + 1, dead = retry_at.is_none(), %error, "mail not delivered");
                outbox::mark_failed(connection, &mail.id, &error, now, retry_at)?;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_then_stop() {
        let mut settings = Settings::default();
        settings.mail.retry_seconds = 30;
        settings.mail.max_attempts = 4;
        let now = clock::now();
        let waits: Vec<Option<i64>> = (1..=4)
            .map(|attempts| next_attempt(&settings, attempts, now).map(|t| (t - now).num_seconds()))
            .collect();
        assert_eq!(waits, [Some(30), Some(60), Some(120), None]);
        let mut patient = Settings::default();
        patient.mail.retry_seconds = 600;
        patient.mail.max_attempts = 20;
        assert_eq!(
            next_attempt(&patient, 10, now).map(|t| (t - now).num_seconds()),
            Some(3600)
        );
    }
}
