//! The work no request should wait for, each in its own loop beside the
//! server: the search indexer, the mail sender, the tagging learner, the
//! idempotency sweeper, the self-assessment reminder and the memory
//! trimmer. They share one shape: a round on the blocking pool (database
//! and SMTP calls block), the count logged or the error logged and the
//! round tried again later. A round runs at start, then when the worker's
//! bell rings (a write left it work, on this replica or, through
//! PostgreSQL, another: see `store::wakeup`), when work it knows of falls
//! due, or at its period at the latest. Every replica runs them all; each
//! round is safe to run on several replicas at once.

mod indexer;
mod learner;
mod reminder;
mod sender;
mod sweeper;
mod trimmer;

pub use indexer::Indexer;
pub use learner::Learner;
pub use reminder::Reminder;
pub use sender::Sender;
pub use sweeper::Sweeper;
use trimmer::give_back_freed_memory;
pub use trimmer::Trimmer;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::error::AppError;
use crate::store::wakeup::{Bells, Channel};
use crate::store::{connection::PooledConnection, Store};

/// A background worker: what one round does.
pub trait Worker: Send + 'static {
    /// Names the worker in the log.
    const NAME: &'static str;
    /// What a round's count counts, for the log line.
    const COUNTED: &'static str;
    /// Whether a round that did something is followed at once by another
    /// (work may be queued behind it) rather than by the next wait.
    const DRAINS: bool = false;
    /// The channel whose announcements wake the worker before its period.
    const BELL: Option<Channel> = None;

    /// One round, on the blocking pool: how much it did.
    fn round(&mut self) -> Result<usize, AppError>;

    /// Where the worker stands after a round, for the log: the indexer's
    /// catalogue sequence, by which replicas are seen to converge.
    fn progress(&self) -> Option<i64> {
        None
    }

    /// How soon, after its last round, work the worker knows of falls due
    /// (a mail's next attempt), when that may be sooner than its period.
    fn due_in(&self) -> Option<Duration> {
        None
    }
}

/// Starts the worker's loop; it lives as long as the server's runtime.
/// `every` is the longest it waits between rounds.
pub fn spawn<W: Worker>(worker: W, every: Duration, bells: &Arc<Bells>) {
    // Shared with each round's blocking task, so that a round that panics
    // loses the round, not the worker.
    let worker = Arc::new(Mutex::new(worker));
    let bells = Arc::clone(bells);
    let bell = W::BELL.map(|channel| bells.bell(channel));
    actix_web::rt::spawn(async move {
        loop {
            let mut round = run_round(&worker, &bells).await;
            while round.did_work && W::DRAINS {
                round = run_round(&worker, &bells).await;
            }
            let wait = round.due_in.map_or(every, |due| due.min(every));
            let sleep = std::pin::pin!(actix_web::rt::time::sleep(wait));
            match &bell {
                // A ring during the round was kept: `notified` is ready at once.
                Some(bell) => {
                    let rung = std::pin::pin!(bell.notified());
                    futures_util::future::select(sleep, rung).await;
                }
                None => sleep.await,
            }
        }
    });
}

/// What a round leaves the loop to decide on.
struct Round {
    did_work: bool,
    due_in: Option<Duration>,
}

/// Runs and logs one round, then rings what the round announced (the
/// reminder's mail wakes the sender).
async fn run_round<W: Worker>(worker: &Arc<Mutex<W>>, bells: &Arc<Bells>) -> Round {
    let started = Instant::now();
    let shared = Arc::clone(worker);
    let rung = Arc::clone(bells);
    let done = actix_web::web::block(move || {
        let mut worker = shared.lock().unwrap_or_else(PoisonError::into_inner);
        let done = worker.round();
        rung.ring_announced();
        done.map(|count| (count, worker.progress(), worker.due_in()))
    })
    .await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match done {
        Ok(Ok((count, progress, due_in))) => {
            if count > 0 {
                tracing::info!(
                    worker = W::NAME,
                    count,
                    progress,
                    elapsed_ms,
                    "{}",
                    W::COUNTED
                );
            }
            Round {
                did_work: count > 0,
                due_in,
            }
        }
        Ok(Err(error)) => {
            tracing::warn!(worker = W::NAME, %error, "round failed; trying again");
            Round::failed()
        }
        Err(error) => {
            tracing::warn!(worker = W::NAME, %error, "round interrupted; trying again");
            Round::failed()
        }
    }
}

impl Round {
    /// A failed round is tried again at the period, not at once: the
    /// database or the relay may need the time.
    fn failed() -> Round {
        Round {
            did_work: false,
            due_in: None,
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
