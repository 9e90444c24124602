//! Keeps the search index on the catalogue: applies the catalogue changes
//! after the last sequence it committed, woken by each new change, so a
//! practice accepted through any replica is searchable on every replica
//! moments later. Until its first round has caught up, `/readyz` says the
//! replica is not ready. When `compendium reindex` asks the running servers
//! for a rebuild, the round rebuilds instead, while searches go on (see
//! `SearchIndex::rebuild`), and counts the replica as done.

use std::sync::Arc;

use super::{connect, Worker};
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::store::wakeup::Channel;
use crate::store::{index_rebuilds, Store};

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
        let wanted = index_rebuilds::latest(&mut connection)?;
        if wanted > self.index.generation() {
            if self.index.applied_sequence() == 0 {
                // An empty index is about to be built whole.
                self.index.adopt_generation(wanted);
            } else {
                let count = self.index.rebuild(&mut connection, wanted)?;
                tracing::info!(
                    generation = wanted,
                    practices = count,
                    "search index rebuilt while serving"
                );
            }
            index_rebuilds::complete(&mut connection, wanted)?;
        }
        self.index.catch_up(&mut connection)
    }

    fn progress(&self) -> Option<i64> {
        Some(self.index.applied_sequence())
    }
}
