//! Readers subscribed to the compilations by mail, with the double opt-in
//! state: pending until the confirmation link is opened.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::subscriptions;
use super::utc;
use crate::domain::annex::SectionId;
use crate::domain::Language;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionStatus {
    Pending,
    Confirmed,
    Unsubscribed,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "pending",
            SubscriptionStatus::Confirmed => "confirmed",
            SubscriptionStatus::Unsubscribed => "unsubscribed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub email: String,
    pub language: Language,
    /// Empty: every section.
    pub sections: Vec<SectionId>,
    pub status: SubscriptionStatus,
    pub created_at: DateTime<Utc>,
    /// What its links name; replaced by a new request and by leaving, so
    /// that earlier links do nothing.
    pub link_nonce: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = subscriptions)]
struct SubscriptionRow {
    id: String,
    email: String,
    language: String,
    sections: String,
    status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    link_nonce: String,
}

impl SubscriptionRow {
    fn into_subscription(self) -> Result<Subscription, AppError> {
        let corrupt =
            |what: String| AppError::internal(format!("stored subscription {}: {what}", self.id));
        let status = match self.status.as_str() {
            "pending" => SubscriptionStatus::Pending,
            "confirmed" => SubscriptionStatus::Confirmed,
            "unsubscribed" => SubscriptionStatus::Unsubscribed,
            other => return Err(corrupt(format!("status {other}"))),
        };
        Ok(Subscription {
            language: self.language.parse().map_err(|e| corrupt(format!("{e}")))?,
            sections: serde_json::from_str(&self.sections).map_err(|e| corrupt(e.to_string()))?,
            status,
            created_at: utc(self.created_at),
            id: self.id,
            email: self.email,
            link_nonce: self.link_nonce,
        })
    }
}

pub fn find_by_email(
    connection: &mut AnyConnection,
    email: &str,
) -> Result<Option<Subscription>, AppError> {
    subscriptions::table
        .filter(subscriptions::email.eq(email))
        .select(SubscriptionRow::as_select())
        .first(connection)
        .optional()?
        .map(SubscriptionRow::into_subscription)
        .transpose()
}

pub fn find(connection: &mut AnyConnection, id: &str) -> Result<Option<Subscription>, AppError> {
    find_by_key!(
        connection,
        subscriptions,
        id,
        SubscriptionRow::into_subscription
    )
}

/// A new pending subscription, or an existing one made pending again with
/// these preferences, its links named by `nonce`.
pub fn save_pending(
    connection: &mut AnyConnection,
    id: &str,
    email: &str,
    language: Language,
    sections: &[SectionId],
    nonce: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let sections = serde_json::to_string(sections).map_err(AppError::internal)?;
    let changed = diesel::update(subscriptions::table.find(id))
        .set((
            subscriptions::language.eq(language.code()),
            subscriptions::sections.eq(&sections),
            subscriptions::status.eq(SubscriptionStatus::Pending.as_str()),
            subscriptions::updated_at.eq(now.naive_utc()),
            subscriptions::link_nonce.eq(nonce),
        ))
        .execute(connection)?;
    if changed == 0 {
        let row = SubscriptionRow {
            id: id.to_owned(),
            email: email.to_owned(),
            language: language.code().to_owned(),
            sections,
            status: SubscriptionStatus::Pending.as_str().to_owned(),
            created_at: now.naive_utc(),
            updated_at: now.naive_utc(),
            link_nonce: nonce.to_owned(),
        };
        crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(
            subscriptions::table
        )
        .values(&row)
        .execute(c))?;
    }
    Ok(())
}

/// Moves a subscription to `status`, its links now named by `nonce`.
pub fn set_status(
    connection: &mut AnyConnection,
    id: &str,
    status: SubscriptionStatus,
    nonce: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    diesel::update(subscriptions::table.find(id))
        .set((
            subscriptions::status.eq(status.as_str()),
            subscriptions::updated_at.eq(now.naive_utc()),
            subscriptions::link_nonce.eq(nonce),
        ))
        .execute(connection)?;
    Ok(())
}

/// Every confirmed subscription.
pub fn confirmed(connection: &mut AnyConnection) -> Result<Vec<Subscription>, AppError> {
    subscriptions::table
        .filter(subscriptions::status.eq(SubscriptionStatus::Confirmed.as_str()))
        .order(subscriptions::id)
        .select(SubscriptionRow::as_select())
        .load(connection)?
        .into_iter()
        .map(SubscriptionRow::into_subscription)
        .collect()
}
