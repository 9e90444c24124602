//! Forgets idempotency keys past their keeping time: housekeeping no
//! request should pay for. The delete is idempotent, so every replica may
//! run it.

use super::{connect, Worker};
use crate::domain::clock;
use crate::error::AppError;
use crate::store::{idempotency, Store};

pub struct Sweeper {
    pub store: Store,
}

impl Worker for Sweeper {
    const NAME: &'static str = "sweeper";
    const COUNTED: &'static str = "expired idempotency keys forgotten";

    fn round(&mut self) -> Result<usize, AppError> {
        let mut connection = connect(&self.store)?;
        idempotency::sweep(&mut connection, clock::now())
    }
}
