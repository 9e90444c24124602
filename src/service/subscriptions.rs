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

/// Confirmation mails one address receives in a day at most, whoever
/// asks and from wherever: nobody can flood an inbox through the form.
pub const CONFIRMATIONS_A_DAY: i64 = 3;

/// Records a pending subscription and queues its confirmation mail, in one
/// transaction; the new link replaces every earlier one. A confirmed
/// address is left as it is: a stranger must not change its preferences,
/// nor learn that it exists. Past its mails of the day, an address gets no
/// more, and the answer does not say so.
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
        let kind = "confirm_subscription";
        let sent = outbox::count_since(c, email.as_str(), kind, now - Duration::days(1))?;
        if sent >= CONFIRMATIONS_A_DAY {
            return Ok(());
        }
        let id = existing
            .map(|s| s.id)
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        let nonce = crate::auth::secrets::nonce()?;
        subscriptions::save_pending(c, &id, email.as_str(), language, sections, &nonce, now)?;
        let notice = Notice::ConfirmSubscription(ConfirmationNotice {
            subscription_id: id,
            nonce,
            expires: (now + Duration::hours(CONFIRM_HOURS)).timestamp(),
        });
        debug_assert_eq!(notice.kind(), kind);
        let mail = NewMail {
            recipient: email.as_str().to_owned(),
            language,
            notice,
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

/// Confirms or ends the subscription a signed link names, if the link is
/// still its present one and the move fits its state (a confirmation link
/// confirms a pending subscription once; leaving ends every link); answers
/// whether it did.
pub fn follow_link(
    connection: &mut AnyConnection,
    id: &str,
    nonce: &str,
    action: LinkAction,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    write_transaction(connection, |c| {
        let Some(subscription) = subscriptions::find(c, id)? else {
            return Ok(false);
        };
        if !crate::auth::secrets::same(nonce, &subscription.link_nonce) {
            return Ok(false);
        }
        let (fits, status, nonce) = match action {
            LinkAction::Confirm => (
                subscription.status == SubscriptionStatus::Pending,
                SubscriptionStatus::Confirmed,
                subscription.link_nonce,
            ),
            LinkAction::Unsubscribe => (
                subscription.status != SubscriptionStatus::Unsubscribed,
                SubscriptionStatus::Unsubscribed,
                crate::auth::secrets::nonce()?,
            ),
        };
        if fits {
            subscriptions::set_status(c, id, status, &nonce, now)?;
        }
        Ok(fits)
    })
}
