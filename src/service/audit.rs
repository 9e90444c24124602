//! Reading the administrators' audit log (written by each use case in its
//! own transaction): the whole log newest first, or one record's history.

use crate::domain::history::AuditRecord;
use crate::error::AppError;
use crate::store::{audit, AnyConnection};

/// A page of the log, newest first, and the cursor of the next page.
pub fn log(
    connection: &mut AnyConnection,
    before: Option<&str>,
    limit: u32,
) -> Result<(Vec<AuditRecord>, Option<String>), AppError> {
    let mut rows = audit::recent(connection, before, i64::from(limit) + 1)?;
    let next = (rows.len() > limit as usize).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|(id, _)| id.clone())
    });
    Ok((rows.into_iter().map(|(_, r)| r).collect(), next.flatten()))
}

/// One record's history, oldest first.
pub fn of(
    connection: &mut AnyConnection,
    target_type: &str,
    target_id: &str,
) -> Result<Vec<AuditRecord>, AppError> {
    audit::for_target(connection, target_type, target_id)
}
