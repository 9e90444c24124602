//! Forgets idempotency keys past their keeping time, desk sessions that
//! can no longer be used and rate counts no limit reads any more:
//! housekeeping no request should pay for. The deletes are idempotent, so
//! every replica may run them.

use super::{connect, Worker};
use crate::domain::clock;
use crate::domain::{rate, session};
use crate::error::AppError;
use crate::store::{idempotency, rate_counts, sessions, Store};

pub struct Sweeper {
    pub store: Store,
}

impl Worker for Sweeper {
    const NAME: &'static str = "sweeper";
    const COUNTED: &'static str = "expired idempotency keys, sessions and rate counts forgotten";

    fn round(&mut self) -> Result<usize, AppError> {
        let mut connection = connect(&self.store)?;
        let now = clock::now();
        let (idle_before, created_before) = session::cutoffs(now);
        let (minute, _) = rate::window_of(now.timestamp());
        Ok(idempotency::sweep(&mut connection, now)?
            + sessions::sweep(&mut connection, idle_before, created_before)?
            + rate_counts::sweep(&mut connection, minute - 1)?)
    }
}
