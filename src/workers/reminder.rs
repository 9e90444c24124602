//! Reminds States of their self-assessment a year after they completed it
//! (see `service::reminders`); each assessment is marked in the same
//! transaction as its mails, so every replica may run it.

use super::{connect, Worker};
use crate::domain::clock;
use crate::error::AppError;
use crate::service::reminders;
use crate::store::Store;

pub struct Reminder {
    pub store: Store,
}

impl Worker for Reminder {
    const NAME: &'static str = "reminder";
    const COUNTED: &'static str = "self-assessments a year old reminded of";
    const DRAINS: bool = true;

    fn round(&mut self) -> Result<usize, AppError> {
        let mut connection = connect(&self.store)?;
        reminders::remind_due(&mut connection, clock::now())
    }
}
