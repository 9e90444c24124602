//! The work no request should wait for, each in its own loop beside the
//! server: the search indexer, the mail sender, the tagging learner, the
//! idempotency sweeper and the self-assessment reminder. They share one shape: every period, one round on
//! the blocking pool (database and SMTP calls block), the count logged or
//! the error logged and the round tried again next period. Every replica
//! runs them all; each round is safe to run on several replicas at once.

mod indexer;
mod learner;
mod reminder;
mod sender;
mod sweeper;

pub use indexer::Indexer;
pub use learner::Learner;
pub use reminder::Reminder;
pub use sender::Sender;
pub use sweeper::Sweeper;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::error::AppError;
use crate::store::{connection::PooledConnection, Store};

/// A background worker: what one round does.
pub trait Worker: Send + 'static {
    /// Names the worker in the log.
    const NAME: &'static str;
    /// What a round's count counts, for the log line.
    const COUNTED: &'static str;
    /// Whether a round that did something is followed at once by another
    /// (work may be queued behind it) rather than by the next period.
    const DRAINS: bool = false;

    /// One round, on the blocking pool: how much it did.
    fn round(&mut self) -> Result<usize, AppError>;

    /// Where the worker stands after a round, for the log: the indexer's
    /// catalogue sequence, by which replicas are seen to converge.
    fn progress(&self) -> Option<i64> {
        None
    }
}

/// Starts the worker's loop; it lives as long as the server's runtime.
pub fn spawn<W: Worker>(worker: W, every: Duration) {
    // Shared with each round's blocking task, so that a round that panics
    // loses the round, not the worker.
    let worker = Arc::new(Mutex::new(worker));
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(every);
        loop {
            interval.tick().await;
            while run_round(&worker).await && W::DRAINS {}
        }
    });
}

/// Runs and logs one round; answers whether it did anything.
async fn run_round<W: Worker>(worker: &Arc<Mutex<W>>) -> bool {
    let started = Instant::now();
    let shared = Arc::clone(worker);
    let done = actix_web::web::block(move || {
        let mut worker = shared.lock().unwrap_or_else(PoisonError::into_inner);
        worker.round().map(|count| (count, worker.progress()))
    })
    .await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match done {
        Ok(Ok((0, _))) => false,
        Ok(Ok((count, progress))) => {
            tracing::info!(
                worker = W::NAME,
                count,
                progress,
                elapsed_ms,
                "{}",
                W::COUNTED
            );
            true
        }
        Ok(Err(error)) => {
            tracing::warn!(worker = W::NAME, %error, "round failed; trying again");
            false
        }
        Err(error) => {
            tracing::warn!(worker = W::NAME, %error, "round interrupted; trying again");
            false
        }
    }
}

/// A connection for a round: a pool with none free is a round that waits
/// for the next period, not an error worth more than a warning.
fn connect(store: &Store) -> Result<PooledConnection, AppError> {
    store
        .blocking_connection()
        .map_err(|e| AppError::Unavailable(e.to_string()))
}
