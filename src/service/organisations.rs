//! The organisations administrators add to the reference list of States
//! and organisations, each with its audit entry.

use chrono::{DateTime, Utc};

use crate::domain::account::Actor;
use crate::domain::entities::{Entity, NewOrganisation};
use crate::error::AppError;
use crate::store::audit;
use crate::store::{organisations, write_transaction, AnyConnection};

/// The organisations added to the compiled-in list, by administrators.
pub fn added(connection: &mut AnyConnection) -> Result<Vec<Entity>, AppError> {
    organisations::list(connection)
}

/// Adds an organisation and its audit entry in one transaction.
pub fn add(
    connection: &mut AnyConnection,
    actor: Actor<'_>,
    organisation: &NewOrganisation,
    now: DateTime<Utc>,
) -> Result<Entity, AppError> {
    write_transaction(connection, |c| {
        organisations::insert(c, organisation, now)?;
        let entity = organisations::find(c, &organisation.code)?
            .ok_or_else(|| AppError::internal("an organisation vanished after insert"))?;
        audit::record(
            c,
            audit::Entry {
                actor,
                action: "entity.create",
                target_type: "entity",
                target_id: entity.code.as_str(),
                before: None,
                after: serde_json::to_value(&entity).ok(),
            },
            now,
        )?;
        Ok(entity)
    })
}
