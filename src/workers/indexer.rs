//! Keeps the search index on the catalogue: applies the catalogue changes
//! after the last sequence it committed, woken by each new change, so a
//! practice accepted through any replica is searchable on every replica
//! moments later. Until its first
//! round has caught up, `/readyz` says the replica is not ready.

use std::sync::Arc;

use super::{connect, Worker};
use crate::error::AppError;
use crate::search::SearchIndex;
use crate::store::wakeup::Channel;
use crate::store::Store;

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
        self.index.catch_up(&mut connection)
    }

    fn progress(&self) -> Option<i64> {
        Some(self.index.applied_sequence())
    }
}
