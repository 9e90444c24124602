//! The outbox as administrators see it: the mail and where its sending
//! stands, and a new series of attempts for a mail that died.

use chrono::{DateTime, Utc};

use crate::domain::notice::Notice;
use crate::domain::outbox::{Mail, MailStatus, NewMail};
use crate::domain::page::Page;
use crate::domain::Language;
use crate::error::AppError;
use crate::store::users::{self, Recipients};
use crate::store::{outbox, write_transaction, AnyConnection};

/// Queues one notice to each of the recipients, in one language, in the
/// caller's transaction.
pub fn notify_each(
    connection: &mut AnyConnection,
    recipients: Recipients<'_>,
    language: Language,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mails: Vec<NewMail> = users::emails_of(connection, recipients)?
        .into_iter()
        .map(|recipient| NewMail {
            recipient,
            language,
            notice: notice.clone(),
        })
        .collect();
    outbox::enqueue(connection, &mails, now)
}

/// A page of the mail, oldest first, of one status or all.
pub fn list(
    connection: &mut AnyConnection,
    status: Option<MailStatus>,
    page: &Page,
) -> Result<Vec<Mail>, AppError> {
    outbox::list(connection, status, page)
}

/// Gives a dead mail a new series of attempts, starting now; a mail the
/// sender is still on is left to it.
pub fn retry(
    connection: &mut AnyConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Mail, AppError> {
    write_transaction(connection, |c| {
        let mail = outbox::find(c, id)?
            .ok_or_else(|| AppError::NotFound(format!("there is no mail {id}")))?;
        if !outbox::revive(c, id, now)? {
            return Err(AppError::Conflict(format!(
                "mail {id} is {}, not dead: the sender is still on it",
                mail.status.as_str()
            )));
        }
        outbox::find(c, id)?.ok_or_else(|| AppError::NotFound(format!("there is no mail {id}")))
    })
}
