//! The counts behind rate limits shared by replicas (see `domain::rate`):
//! one row a throttle, key and minute.

use std::collections::HashMap;

use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::rate_counts;
use crate::domain::rate::Counts;
use crate::error::AppError;

/// Each key's counts in `minute` and the minute before (zero when none).
pub fn counts(
    connection: &mut AnyConnection,
    throttle: &str,
    keys: &[&str],
    minute: i64,
) -> Result<HashMap<String, Counts>, AppError> {
    let rows: Vec<(String, i64, i64)> = rate_counts::table
        .filter(rate_counts::throttle.eq(throttle))
        .filter(rate_counts::key.eq_any(keys))
        .filter(rate_counts::minute.eq_any([minute - 1, minute]))
        .select((rate_counts::key, rate_counts::minute, rate_counts::count))
        .load(connection)?;
    let mut counts: HashMap<String, Counts> = HashMap::new();
    for (key, at, count) in rows {
        let entry = counts.entry(key).or_default();
        if at == minute {
            entry.current = count;
        } else {
            entry.previous = count;
        }
    }
    Ok(counts)
}

/// Counts one event against each key in `minute`.
pub fn add(
    connection: &mut AnyConnection,
    throttle: &str,
    keys: &[&str],
    minute: i64,
) -> Result<(), AppError> {
    for key in keys {
        crate::on_each_backend!(&mut *connection, |c| diesel::insert_into(
            rate_counts::table
        )
        .values((
            rate_counts::throttle.eq(throttle),
            rate_counts::key.eq(*key),
            rate_counts::minute.eq(minute),
            rate_counts::count.eq(1_i64),
        ))
        .on_conflict((rate_counts::throttle, rate_counts::key, rate_counts::minute))
        .do_update()
        .set(rate_counts::count.eq(rate_counts::count + 1))
        .execute(c))?;
    }
    Ok(())
}

/// Forgets the minutes before `minute`: no estimate reads them.
pub fn sweep(connection: &mut AnyConnection, minute: i64) -> Result<usize, AppError> {
    Ok(
        diesel::delete(rate_counts::table.filter(rate_counts::minute.lt(minute)))
            .execute(connection)?,
    )
}
