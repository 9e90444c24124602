//! The schema migrations of both backends, embedded in the binary. The two
//! folders under `migrations/` have the same meaning in each dialect.

use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::sql_types::BigInt;
use diesel::sqlite::Sqlite;
use diesel::RunQueryDsl;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::connection::AnyConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The key of the PostgreSQL advisory lock held while migrating, so that
/// replicas starting together apply each migration exactly once. Any
/// constant that no other application on the database uses: "64211".
const MIGRATION_LOCK: i64 = 64_211;

type MigrationResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Applies the pending migrations; answers the versions it applied.
pub fn run_pending(connection: &mut AnyConnection) -> MigrationResult<Vec<String>> {
    let applied = match connection {
        // IMMEDIATE takes SQLite's write lock first, so a second process
        // waits for the first to finish instead of failing half-way.
        AnyConnection::Sqlite(sqlite) => sqlite.immediate_transaction(|c| {
            c.run_pending_migrations(SQLITE)
                .map(|versions| versions.iter().map(ToString::to_string).collect())
        })?,
        AnyConnection::Postgres(pg) => {
            diesel::sql_query("SELECT pg_advisory_lock($1)")
                .bind::<BigInt, _>(MIGRATION_LOCK)
                .execute(pg)?;
            let result = pg
                .run_pending_migrations(POSTGRES)
                .map(|versions| versions.iter().map(ToString::to_string).collect());
            diesel::sql_query("SELECT pg_advisory_unlock($1)")
                .bind::<BigInt, _>(MIGRATION_LOCK)
                .execute(pg)?;
            result?
        }
    };
    Ok(applied)
}

/// How many migrations the database still lacks.
pub fn pending_count(connection: &mut AnyConnection) -> MigrationResult<usize> {
    Ok(match connection {
        AnyConnection::Sqlite(sqlite) => sqlite.pending_migrations(SQLITE)?.len(),
        AnyConnection::Postgres(pg) => pg.pending_migrations(POSTGRES)?.len(),
    })
}

/// How many migrations this binary knows.
pub fn known_count() -> usize {
    let sqlite = MigrationSource::<Sqlite>::migrations(&SQLITE)
        .map(|m| m.len())
        .unwrap_or(0);
    let postgres = MigrationSource::<Pg>::migrations(&POSTGRES)
        .map(|m| m.len())
        .unwrap_or(0);
    debug_assert_eq!(sqlite, postgres, "both backends have the same migrations");
    sqlite
}
