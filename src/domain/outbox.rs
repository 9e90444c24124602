//! A mail as the outbox keeps it: what it tells whom, and where its
//! sending stands. Mail is only ever born as such a row, in the
//! transaction of the change it tells of.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::notice::Notice;
use super::Language;

/// A mail to send, as the transaction that causes it records it.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub recipient: String,
    pub language: Language,
    /// What the message says; the sender composes it from this.
    pub notice: Notice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    Pending,
    Sending,
    Sent,
    Dead,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Pending => "pending",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Dead => "dead",
        }
    }

    /// The status a text names, if any.
    pub fn from_text(text: &str) -> Option<MailStatus> {
        [
            MailStatus::Pending,
            MailStatus::Sending,
            MailStatus::Sent,
            MailStatus::Dead,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A mail of the outbox.
#[derive(Debug, Clone)]
pub struct Mail {
    pub id: String,
    pub recipient: String,
    pub language: Language,
    /// The kind as stored, shown to admins even when the notice cannot be read.
    pub kind: String,
    /// The notice, or why the stored row is not one this version can read
    /// (a row written by hand or by another version): such a mail fails
    /// its attempts and dies, where an admin sees it, instead of stopping
    /// the sender.
    pub notice: Result<Notice, String>,
    pub status: MailStatus,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}
