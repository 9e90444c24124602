//! Keeps the search index on the catalogue: applies the catalogue changes
//! after the last sequence it committed, woken by each new change, so a
//! practice accepted through any replica is searchable on every replica
//! moments later. Until its first round has caught up, `/readyz` says the
//! replica is not ready. When `compendium reindex` asks the running servers
//! for a rebuild, the round rebuilds instead, while searches go on (see
//! `SearchIndex::rebuild`), and counts the replica as done.

use std::sync::Arc;

use super::{connect, give_back_freed_memory, Worker};
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::store::wakeup::Channel;
use crate::store::{index_rebuilds, AnyConnection, Store};

/// A round that applied this many changes (or rebuilt) leaves megabytes
/// freed, given back at once rather than at the trimmer's next period.
const LARGE_ROUND: usize = 1_000;

pub struct Indexer {
    pub store: Store,
    pub index: Arc<SearchIndex>,
}

impl Worker for Indexer {
    const NAME: &'static str = "indexer";
    const COUNTED: &'static str = "practices indexed";
    const BELL: Option<Channel> = Some(Channel::Catalogue);

    fn round(&mut self) -> Result<usize, AppError> {
        let mut connection = connect(&self.store)?;
        let (applied, rebuilt) = self.apply(&mut connection)?;
        if rebuilt || applied >= LARGE_ROUND {
            give_back_freed_memory();
        }
        Ok(applied)
    }

    fn progress(&self) -> Option<i64> {
        Some(self.index.applied_sequence())
    }
}

impl Indexer {
    /// Rebuilds if a rebuild was asked for, then applies the changes the
    /// index lacks: how many, and whether it rebuilt.
    fn apply(&self, connection: &mut AnyConnection) -> Result<(usize, bool), AppError> {
        let wanted = index_rebuilds::latest(connection)?;
        let rebuilt = wanted > self.index.generation();
        if rebuilt {
            if self.index.applied_sequence() == 0 {
                // An empty index is about to be built whole.
                self.index.adopt_generation(wanted);
            } else {
                let count = self.index.rebuild(connection, wanted)?;
                tracing::info!(
                    generation = wanted,
                    practices = count,
                    "search index rebuilt while serving"
                );
            }
            index_rebuilds::complete(connection, wanted)?;
        }
        Ok((self.index.catch_up(connection)?, rebuilt))
    }
}
