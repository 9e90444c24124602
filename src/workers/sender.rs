//! Sends the outbox: claims the mail that is due and hands each to the
//! transport (see `mail`). Woken by new mail, and again when the earliest
//! retry falls due. A round that sent something is followed at once by
//! another, so a burst of mail drains without waiting a period a batch.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{connect, Worker};
use crate::config::Settings;
use crate::domain::clock;
use crate::error::AppError;
use crate::mail::links::Links;
use crate::mail::{self, Transport};
use crate::store::wakeup::Channel;
use crate::store::{outbox, Store};

/// The shortest wait before a round for mail that is already due: the
/// round that just ran left it, so something (a lapsed claim of another
/// replica) will not be cured by trying again at once.
const RETRY_AT_LEAST: Duration = Duration::from_millis(200);

pub struct Sender {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub transport: Transport,
    pub links: Links,
    /// When the earliest mail not sent yet falls due, as of the last round.
    pub due_at: Option<DateTime<Utc>>,
}

impl Worker for Sender {
    const NAME: &'static str = "sender";
    const COUNTED: &'static str = "mail sent";
    const DRAINS: bool = true;
    const BELL: Option<Channel> = Some(Channel::Outbox);

    fn round(&mut self) -> Result<usize, AppError> {
        let mut connection = connect(&self.store)?;
        let sent = mail::send_due(
            &mut connection,
            &self.settings,
            &self.transport,
            &self.links,
        )?;
        self.due_at = outbox::next_due(&mut connection)?;
        Ok(sent)
    }

    fn due_in(&self) -> Option<Duration> {
        // Already due (a claim lapsing now): run again, but not in a spin.
        let due_in = (self.due_at? - clock::now()).to_std().unwrap_or_default();
        Some(due_in.max(RETRY_AT_LEAST))
    }
}
