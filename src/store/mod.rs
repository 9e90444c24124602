//! Where the service remembers: one code base over SQLite (the embedded
//! default) and PostgreSQL, behind a pool. Diesel is synchronous, so every
//! query runs on the blocking thread pool through [`Store::run`], never on
//! an HTTP worker thread.

/// The row of `$table` with this primary key, made a domain value by
/// `$row::$into`, if there is one: every aggregate's `find`.
macro_rules! find_by_key {
    ($connection:expr, $table:ident, $key:expr, $row:ident::$into:ident) => {
        $table::table
            .find($key)
            .select($row::as_select())
            .first($connection)
            .optional()?
            .map($row::$into)
            .transpose()
    };
}

/// Inserts the rows 500 at a time: both backends cap the parameters of
/// one statement.
macro_rules! insert_in_chunks {
    ($connection:expr, $table:path, $rows:expr) => {{
        for chunk in $rows.chunks(500) {
            crate::on_each_backend!(&mut *$connection, |c| diesel::insert_into($table)
                .values(chunk)
                .execute(c))?;
        }
        Ok(())
    }};
}

/// The rows of a boxed query ordered by `$table::id` that come after the
/// page's cursor: one more than the page holds, to know whether another
/// page follows.
macro_rules! page_of {
    ($query:ident, $table:ident, $page:expr, $connection:expr) => {{
        if let Some(after) = &$page.after {
            $query = $query.filter($table::id.gt(after.clone()));
        }
        $query.limit($page.fetch_limit()).load($connection)?
    }};
}

pub mod api_tokens;
pub mod assessments;
pub mod audit;
pub mod backup;
pub mod catalogue;
pub mod compilations;
pub mod connection;
pub mod harvest;
pub mod history;
pub mod idempotency;
pub mod index_rebuilds;
pub mod migrations;
pub mod organisations;
pub mod outbox;
pub mod rate_counts;
pub mod refusal;
pub mod schema;
pub mod sessions;
pub mod statistics;
pub mod submissions;
pub mod subscriptions;
pub mod translations;
pub mod users;
pub mod wakeup;

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;

pub use connection::{AnyConnection, Backend, Pool};
use wakeup::Bells;

use crate::config::Settings;
use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot connect to the {backend}: {source}{}", advice_of(source))]
    Connect {
        backend: String,
        source: diesel::r2d2::PoolError,
    },
    #[error("cannot apply the database migrations: {0}")]
    Migrations(String),
}

/// libpq's reason, followed by what to do about it when that is known.
fn advice_of(source: &diesel::r2d2::PoolError) -> String {
    refusal::advice(&source.to_string())
        .map(|advice| format!(" ({advice})"))
        .unwrap_or_default()
}

/// A transaction that writes. On SQLite it first takes the write lock
/// (see the `write_lock` migration): SQLite answers "database is locked" at
/// once, without waiting, to a transaction that read and then tries to
/// write after another writer committed. PostgreSQL needs nothing of the kind.
pub fn write_transaction<T, E, F>(connection: &mut AnyConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::{Connection, RunQueryDsl};
    connection.transaction(|c| {
        if let AnyConnection::Sqlite(sqlite) = c {
            diesel::sql_query("DELETE FROM write_lock WHERE 0").execute(sqlite)?;
        }
        work(c)
    })
}

/// Times are stored as UTC without a zone (the type both backends share).
pub fn utc(naive: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_naive_utc_and_offset(naive, chrono::Utc)
}

/// What `/readyz` reports of the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    Unreachable(String),
    MigrationsPending(usize),
}

#[derive(Clone)]
pub struct Store {
    pool: Pool,
    backend: Backend,
    bells: Arc<Bells>,
}

impl Store {
    /// Opens the database the settings name: the PostgreSQL URL if one is
    /// set, else the SQLite file in the data directory (created if need be).
    /// Blocking: call it before the server starts or inside `web::block`.
    pub fn open(settings: &Settings) -> Result<Store, StoreError> {
        create_private_dir(&settings.storage.data_dir)?;
        let backend = match &settings.storage.database_url {
            Some(url) => Backend::Postgres(url.clone()),
            None => Backend::Sqlite(settings.sqlite_path()),
        };
        let pool = connection::build_pool(backend.clone(), settings.storage.pool_size).map_err(
            |source| StoreError::Connect {
                backend: backend.describe(),
                source,
            },
        )?;
        Ok(Store {
            pool,
            backend,
            bells: Arc::default(),
        })
    }

    /// The bells that wake the workers (see [`wakeup`]).
    pub fn bells(&self) -> &Arc<Bells> {
        &self.bells
    }

    /// On PostgreSQL, starts relaying the replicas' wake-ups to this
    /// store's bells; SQLite has one process, whose writes ring directly.
    pub fn listen_for_wakeups(&self) -> std::io::Result<()> {
        match &self.backend {
            Backend::Postgres(url) => wakeup::spawn_listener(url.clone(), &self.bells),
            Backend::Sqlite(_) => Ok(()),
        }
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Applies pending migrations (blocking); answers the versions applied.
    pub fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let mut connection = self.blocking_connection()?;
        migrations::run_pending(&mut connection).map_err(|e| StoreError::Migrations(e.to_string()))
    }

    /// Runs database work on the blocking pool. A pool with no free
    /// connection for [`connection::CHECKOUT_TIMEOUT`] answers 503.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let bells = Arc::clone(&self.bells);
        web::block(move || {
            let mut connection = pool.get().map_err(|e| {
                tracing::warn!(error = %e, "no database connection available");
                AppError::Unavailable(
                    "The database is busy or unreachable; try again shortly.".to_owned(),
                )
            })?;
            let done = work(&mut connection);
            // The work's transactions are over: wake the workers it left work for.
            bells.ring_announced();
            done
        })
        .await
        .map_err(|e| AppError::internal(format!("database task did not complete: {e}")))?
    }

    /// A connection for blocking callers: commands of the command line and
    /// tests, never a request handler (use [`Store::run`] there).
    pub fn blocking_connection(&self) -> Result<connection::PooledConnection, StoreError> {
        self.pool.get().map_err(|source| StoreError::Connect {
            backend: self.backend.describe(),
            source,
        })
    }

    /// Whether the database answers within `timeout` and has every migration.
    pub async fn readiness(&self, timeout: Duration) -> Readiness {
        let pool = self.pool.clone();
        let checked = web::block(move || {
            let mut connection = pool.get_timeout(timeout).map_err(|e| e.to_string())?;
            migrations::pending_count(&mut connection).map_err(|e| e.to_string())
        })
        .await;
        match checked {
            Ok(Ok(0)) => Readiness::Ready,
            Ok(Ok(pending)) => Readiness::MigrationsPending(pending),
            Ok(Err(error)) => Readiness::Unreachable(error),
            Err(error) => Readiness::Unreachable(error.to_string()),
        }
    }
}

/// The data directory holds the signing key and the mail; only the
/// service's own user may read it.
fn create_private_dir(path: &std::path::Path) -> Result<(), StoreError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(|source| StoreError::DataDir {
        path: path.to_owned(),
        source,
    })
}
