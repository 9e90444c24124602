//! Readers' subscriptions to the compilations: a request mails a
//! confirmation link (double opt-in); the link's page confirms; another
//! ends it. The request's answer never tells whether an address is known.

use chrono::{DateTime, Duration, Utc};

use crate::domain::account::Email;
use crate::domain::annex::SectionId;
use crate::domain::notice::{ConfirmationNotice, Notice};
use crate::domain::outbox::NewMail;
use crate::domain::Language;
use crate::error::AppError;
use crate::mail::links::CONFIRM_HOURS;
use crate::store::outbox;
use crate::store::subscriptions::{self, SubscriptionStatus};
use crate::store::{write_transaction, AnyConnection};

/// Records a pending subscription and queues its confirmation mail, in one
/// transaction. A confirmed address is left as it is: a stranger must not
/// change its preferences, nor learn that it exists.
pub fn request(
    connection: &mut AnyConnection,
    email: &Email,
    language: Language,
    sections: &[SectionId],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_transaction(connection, |c| {
        let existing = subscriptions::find_by_email(c, email.as_str())?;
        if existing
            .as_ref()
            .is_some_and(|s| s.status == SubscriptionStatus::Confirmed)
        {
            return Ok(());
        }
        let id = existing
            .map(|s| s.id)
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        subscriptions::save_pending(c, &id, email.as_str(), language, sections, now)?;
        let mail = NewMail {
            recipient: email.as_str().to_owned(),
            language,
            notice: Notice::ConfirmSubscription(ConfirmationNotice {
                subscription_id: id,
                expires: (now + Duration::hours(CONFIRM_HOURS)).timestamp(),
            }),
        };
        outbox::enqueue(c, &[mail], now)
    })
}

/// What a subscription's link may do to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkAction {
    Confirm,
    Unsubscribe,
}

/// Confirms or ends the subscription a signed link names, if it still
/// exists; answers whether it did.
pub fn follow_link(
    connection: &mut AnyConnection,
    id: &str,
    action: LinkAction,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let status = match action {
        LinkAction::Confirm => SubscriptionStatus::Confirmed,
        LinkAction::Unsubscribe => SubscriptionStatus::Unsubscribed,
    };
    write_transaction(connection, |c| {
        if subscriptions::find(c, id)?.is_none() {
            return Ok(false);
        }
        subscriptions::set_status(c, id, status, now)?;
        Ok(true)
    })
}
