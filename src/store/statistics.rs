//! The planner's statistics after a bulk load. PostgreSQL plans from what
//! ANALYZE last saw; after an import of 100,000 practices into tables it
//! last saw nearly empty, it chose a nested loop that took 29 s to read a
//! page of 500 practices by id (1.8 ms once analysed), and autovacuum,
//! where it runs at all, gets to it only later. So an import refreshes the
//! statistics itself. SQLite plans from its indexes alone here.

use diesel::RunQueryDsl;

use super::connection::AnyConnection;
use crate::error::AppError;

/// Refreshes the planner's statistics of every table (PostgreSQL).
pub fn refresh(connection: &mut AnyConnection) -> Result<(), AppError> {
    if let AnyConnection::Postgres(pg) = connection {
        diesel::sql_query("ANALYZE").execute(pg)?;
    }
    Ok(())
}
