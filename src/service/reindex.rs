//! Rebuilding the search index from the database (`compendium reindex`):
//! here and now when no server holds the index, else by the running
//! servers, each aside and while searching goes on (see the indexer
//! worker), waited for through the database.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::domain::clock;
use crate::error::AppError;
use crate::search::{IndexError, SearchIndex};
use crate::store::{index_rebuilds, Store, StoreError};

/// Memory for a rebuild: more than a server's indexer, for fewer merges.
const REINDEX_MEMORY: usize = 256 * 1024 * 1024;
/// How often the command looks whether the servers are done.
const LOOK_EVERY: Duration = Duration::from_millis(200);

#[derive(Debug, thiserror::Error)]
pub enum ReindexError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("{0}")]
    App(#[from] AppError),
    #[error("{done} of {replicas} replica(s) rebuilt generation {generation} within {} s; each does when its indexer next runs (at once on PostgreSQL, within 10 s on SQLite)", waited.as_secs())]
    NotYet {
        done: i64,
        replicas: i64,
        generation: i64,
        waited: Duration,
    },
}

/// What was rebuilt, and where.
pub enum Reindexed {
    /// By this process: the practices indexed, up to which catalogue change.
    Here { practices: usize, sequence: i64 },
    /// By the running servers, asked for `generation`.
    ByServers { generation: i64, replicas: i64 },
}

/// Rebuilds the index in `index_dir`, or has the servers that hold it
/// rebuild theirs and waits (at most `wait`) for `replicas` of them;
/// `asked` is told the generation asked for before the wait.
pub fn reindex(
    store: &Store,
    index_dir: &Path,
    replicas: i64,
    wait: Duration,
    asked: impl FnOnce(i64),
) -> Result<Reindexed, ReindexError> {
    let started = Instant::now();
    let mut connection = store.blocking_connection()?;
    match SearchIndex::open(index_dir, REINDEX_MEMORY) {
        Ok(index) => {
            // Built for the last rebuild asked of the servers: the next
            // server to open it has nothing more to do.
            let generation = index_rebuilds::latest(&mut connection)?;
            let practices = index.rebuild(&mut connection, generation)?;
            Ok(Reindexed::Here {
                practices,
                sequence: index.applied_sequence(),
            })
        }
        Err(IndexError::Locked { .. }) => {
            let generation = index_rebuilds::request(&mut connection, clock::now())?;
            asked(generation);
            loop {
                let done = index_rebuilds::completed(&mut connection, generation)?;
                if done >= replicas {
                    return Ok(Reindexed::ByServers {
                        generation,
                        replicas: done,
                    });
                }
                if started.elapsed() > wait {
                    return Err(ReindexError::NotYet {
                        done,
                        replicas,
                        generation,
                        waited: wait,
                    });
                }
                std::thread::sleep(LOOK_EVERY);
            }
        }
        Err(error) => Err(error.into()),
    }
}
