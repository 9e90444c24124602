//! Forgets idempotency keys past their keeping time and desk sessions that
//! can no longer be used: housekeeping no request should pay for. The delete is idempotent, so every replica may
//! run it.

use super::{connect, Worker};
use crate::domain::clock;
use crate::domain::session;
use crate::error::AppError;
use crate::store::{idempotency, sessions, Store};

pub struct Sweeper {
    pub store: Store,
}

impl Worker for Sweeper {
    const NAME: &'static str = "sweeper";
    const COUNTED: &'static str = "expired idempotency keys and sessions forgotten";

    fn round(&mut self) -> Result<usize, AppError> {
        let mut connection = connect(&self.store)?;
        let now = clock::now();
        let (idle_before, created_before) = session::cutoffs(now);
        Ok(idempotency::sweep(&mut connection, now)?
            + sessions::sweep(&mut connection, idle_before, created_before)?)
    }
}
