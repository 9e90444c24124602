//! Rebuilds of the search index asked of the running servers (see
//! `compendium reindex`): numbered generations, and how many replicas have
//! completed each.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::index_rebuilds;
use super::wakeup::{self, Channel};
use super::write_transaction;
use crate::error::AppError;

/// Asks for a rebuild: answers its generation, one above the last. The
/// indexers are woken as by a catalogue change.
pub fn request(connection: &mut AnyConnection, now: DateTime<Utc>) -> Result<i64, AppError> {
    write_transaction(connection, |c| {
        let generation = latest(c)? + 1;
        diesel::insert_into(index_rebuilds::table)
            .values((
                index_rebuilds::generation.eq(generation),
                index_rebuilds::requested_at.eq(now.naive_utc()),
                index_rebuilds::completed.eq(0_i64),
            ))
            .execute(c)?;
        wakeup::announce(c, Channel::Catalogue)?;
        Ok(generation)
    })
}

/// The last generation asked for; 0 when none ever was.
pub fn latest(connection: &mut AnyConnection) -> Result<i64, AppError> {
    let latest: Option<i64> = index_rebuilds::table
        .select(diesel::dsl::max(index_rebuilds::generation))
        .get_result(connection)?;
    Ok(latest.unwrap_or(0))
}

/// Counts one more replica that rebuilt its index for `generation`.
pub fn complete(connection: &mut AnyConnection, generation: i64) -> Result<(), AppError> {
    diesel::update(index_rebuilds::table.find(generation))
        .set(index_rebuilds::completed.eq(index_rebuilds::completed + 1))
        .execute(connection)?;
    Ok(())
}

/// How many replicas have rebuilt their index for `generation`.
pub fn completed(connection: &mut AnyConnection, generation: i64) -> Result<i64, AppError> {
    Ok(index_rebuilds::table
        .find(generation)
        .select(index_rebuilds::completed)
        .first::<i64>(connection)
        .optional()?
        .unwrap_or(0))
}
