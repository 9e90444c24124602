//! What search engines are told of the site: how many practices the
//! catalogue holds, which editions are published, and the practices a
//! sitemap file lists.

use chrono::{DateTime, Utc};

use crate::domain::compilation::Compilation;
use crate::error::AppError;
use crate::store::{catalogue, compilations, AnyConnection};

/// Editions a sitemap lists: more than the Secretariat publishes in decades.
const EDITIONS: i64 = 10_000;

/// The site's size, to plan its sitemaps.
pub struct Overview {
    pub practices: usize,
    pub editions: Vec<Compilation>,
}

pub fn overview(connection: &mut AnyConnection) -> Result<Overview, AppError> {
    Ok(Overview {
        practices: catalogue::count_live(connection)?.max(0) as usize,
        editions: compilations::published(connection, EDITIONS)?,
    })
}

/// Practices `skip` onwards in the order of their ids, at most `limit`,
/// with when each last changed.
pub fn practices(
    connection: &mut AnyConnection,
    skip: usize,
    limit: usize,
) -> Result<Vec<(String, DateTime<Utc>)>, AppError> {
    catalogue::live_stamps(connection, skip as i64, limit as i64)
}
