//! Online backups of the embedded database, and their restoration. SQLite
//! writes a consistent copy with `VACUUM INTO` while the server keeps
//! serving (readers are not blocked; writers wait for the copy's read
//! transaction only as long as SQLite's WAL lets them run alongside). The
//! search index is not copied: it is rebuilt from the database at start.
//! PostgreSQL has its own tools (`pg_dump`, `pg_restore`).

use std::path::{Path, PathBuf};

use diesel::RunQueryDsl;
use serde::{Deserialize, Serialize};

use super::{AnyConnection, Store};
use crate::config::Settings;

/// The database file's name in a backup and in a data directory.
const DATABASE: &str = "compendium.sqlite3";
/// The signing key kept in the data directory when none is configured:
/// without it, every token and subscription link of the backup is void.
const KEY_FILE: &str = "jwt-secret";
const MANIFEST: &str = "backup.json";

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    taken_at: chrono::DateTime<chrono::Utc>,
    version: String,
    database: String,
    /// Whether the generated signing key is in the backup.
    signing_key: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the database is PostgreSQL: back it up with pg_dump and restore it with pg_restore (see README)")]
    Postgres,
    #[error("{0} is not empty: a backup goes into a new or empty directory")]
    NotEmpty(PathBuf),
    #[error("{0} already holds a database: restore into an empty data directory")]
    DataDirInUse(PathBuf),
    #[error("{0} is not a Compendium backup (no {MANIFEST})")]
    NotABackup(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Database(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

fn is_empty_or_absent(dir: &Path) -> Result<bool, BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io(dir)(e)),
    }
}

/// What a backup holds.
pub struct BackupReport {
    pub bytes: u64,
    pub signing_key: bool,
}

/// Takes a consistent copy of the SQLite database (and the generated
/// signing key, if any) into `dir`, which must be new or empty.
pub fn backup(store: &Store, settings: &Settings, dir: &Path) -> Result<BackupReport, BackupError> {
    if !is_empty_or_absent(dir)? {
        return Err(BackupError::NotEmpty(dir.to_owned()));
    }
    let mut connection = store
        .blocking_connection()
        .map_err(|e| BackupError::Database(e.to_string()))?;
    let AnyConnection::Sqlite(sqlite) = &mut *connection else {
        return Err(BackupError::Postgres);
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let target = dir.join(DATABASE);
    // SQLite takes the file name as a string; quotes in it are doubled.
    let quoted = target.display().to_string().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{quoted}'"))
        .execute(sqlite)
        .map_err(|e| BackupError::Database(format!("VACUUM INTO failed: {e}")))?;
    let key = settings.storage.data_dir.join(KEY_FILE);
    let signing_key = settings.auth.jwt_secret.is_none() && key.exists();
    if signing_key {
        std::fs::copy(&key, dir.join(KEY_FILE)).map_err(io(&key))?;
    }
    let manifest = Manifest {
        taken_at: crate::domain::clock::now(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: DATABASE.to_owned(),
        signing_key,
    };
    let text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| BackupError::Database(e.to_string()))?;
    std::fs::write(dir.join(MANIFEST), text).map_err(io(dir))?;
    let bytes = std::fs::metadata(&target).map_err(io(&target))?.len();
    Ok(BackupReport { bytes, signing_key })
}

/// Puts a backup into the (empty) data directory of `settings`; the next
/// start rebuilds the search index from it.
pub fn restore(settings: &Settings, dir: &Path) -> Result<(), BackupError> {
    if settings.storage.database_url.is_some() {
        return Err(BackupError::Postgres);
    }
    let manifest_path = dir.join(MANIFEST);
    let manifest: Manifest = std::fs::read_to_string(&manifest_path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .ok_or_else(|| BackupError::NotABackup(dir.to_owned()))?;
    let target = settings.sqlite_path();
    if target.exists() {
        return Err(BackupError::DataDirInUse(target));
    }
    std::fs::create_dir_all(&settings.storage.data_dir).map_err(io(&settings.storage.data_dir))?;
    let source = dir.join(&manifest.database);
    // Copied under another name, then renamed: a half-copied file is never
    // taken for a database.
    let partial = settings
        .storage
        .data_dir
        .join(format!("{DATABASE}.restoring"));
    std::fs::copy(&source, &partial).map_err(io(&source))?;
    std::fs::rename(&partial, &target).map_err(io(&target))?;
    if manifest.signing_key {
        let key = dir.join(KEY_FILE);
        std::fs::copy(&key, settings.storage.data_dir.join(KEY_FILE)).map_err(io(&key))?;
    }
    Ok(())
}
