//! Keeps the learned tagging model on editors' decisions: trains at start,
//! then again whenever the catalogue changed since (an acceptance or a
//! curation appends a catalogue change).

use std::sync::Arc;

use super::{connect, Worker};
use crate::error::AppError;
use crate::store::{catalogue, submissions, Store};
use crate::tagging::{self, Tagger};

pub struct Learner {
    pub store: Store,
    pub tagger: Arc<Tagger>,
    /// The catalogue's sequence when the model was last trained.
    pub learned_at: Option<i64>,
}

impl Worker for Learner {
    const NAME: &'static str = "learner";
    const COUNTED: &'static str = "editors' decisions learned from";

    fn round(&mut self) -> Result<usize, AppError> {
        // The connection is held for the reading only, not the training.
        let (sequence, decisions) = {
            let mut connection = connect(&self.store)?;
            let sequence = catalogue::last_sequence(&mut connection)?;
            if self.learned_at == Some(sequence) {
                return Ok(0);
            }
            let decisions = submissions::decisions(&mut connection, tagging::LEARN_FROM_NEWEST)?;
            (sequence, decisions)
        };
        let model = tagging::learn(decisions.iter().map(|d| {
            (
                d.language,
                d.title.as_str(),
                d.body.as_str(),
                d.items.as_slice(),
            )
        }));
        let examples = model.examples();
        self.tagger.learn(model);
        self.learned_at = Some(sequence);
        Ok(examples)
    }

    fn progress(&self) -> Option<i64> {
        self.learned_at
    }
}
