//! One connection type over both backends, and the pool that hands it out.
//! The backend is chosen from the settings, never guessed from a URL by
//! trying each driver in turn (diesel's default for `MultiConnection`),
//! which could turn a mistyped PostgreSQL URL into a new SQLite file.

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs the same diesel expression on the concrete connection inside an
/// [`AnyConnection`]. For the few statements `MultiConnection` cannot
/// express, such as multi-row inserts (SQLite and PostgreSQL each need
/// their own dialect for them).
#[macro_export]
macro_rules! on_each_backend {
    ($connection:expr, |$concrete:ident| $body:expr) => {
        match $connection {
            $crate::store::AnyConnection::Postgres($concrete) => $body,
            $crate::store::AnyConnection::Sqlite($concrete) => $body,
        }
    };
}

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// A description fit for logs: the file, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Backend::Sqlite(path) => format!("SQLite file {}", path.display()),
            Backend::Postgres(url) => {
                format!("PostgreSQL at {}", crate::config::redact_password(url))
            }
        }
    }
}

/// How long a writer waits for SQLite's lock before giving up: longer than
/// any single write transaction we make, short enough to answer a client.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

pub struct Manager {
    backend: Backend,
}

impl Manager {
    pub fn new(backend: Backend) -> Manager {
        Manager { backend }
    }
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        match &self.backend {
            Backend::Postgres(url) => PgConnection::establish(url)
                .map(AnyConnection::Postgres)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite(path) => {
                let mut connection = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers go on while one writer writes; FULL sync
                // makes an acknowledged write survive a power cut, not only a
                // crash; foreign keys are off in SQLite unless asked for.
                connection
                    .batch_execute(&format!(
                        "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                         PRAGMA journal_mode = WAL;
                         PRAGMA synchronous = FULL;
                         PRAGMA foreign_keys = ON;"
                    ))
                    .map_err(r2d2::Error::QueryError)?;
                Ok(AnyConnection::Sqlite(connection))
            }
        }
    }

    fn is_valid(&self, connection: &mut AnyConnection) -> Result<(), r2d2::Error> {
        connection.ping().map_err(r2d2::Error::QueryError)
    }

    /// A connection left inside a failed transaction (a panic mid-way) is
    /// dropped rather than handed to the next request.
    fn has_broken(&self, connection: &mut AnyConnection) -> bool {
        std::thread::panicking() || connection.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// How long a request waits for a free connection before it is told the
/// service is busy (503) rather than hanging.
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(10);

pub fn build_pool(backend: Backend, size: u32) -> Result<Pool, r2d2::PoolError> {
    r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(CHECKOUT_TIMEOUT)
        .test_on_check_out(false)
        .build(Manager::new(backend))
}
