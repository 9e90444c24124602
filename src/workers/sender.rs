//! Sends the outbox: claims the mail that is due and hands each to the
//! transport (see `mail`). A round that sent something is followed at once
//! by another, so a burst of mail drains without waiting a period a batch.

use std::sync::Arc;

use super::{connect, Worker};
use crate::config::Settings;
use crate::error::AppError;
use crate::mail::links::Links;
use crate::mail::{self, Transport};
use crate::store::Store;

pub struct Sender {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub transport: Transport,
    pub links: Links,
}

impl Worker for Sender {
    const NAME: &'static str = "sender";
    const COUNTED: &'static str = "mail sent";
    const DRAINS: bool = true;

    fn round(&mut self) -> Result<usize, AppError> {
        let mut connection = connect(&self.store)?;
        mail::send_due(
            &mut connection,
            &self.settings,
            &self.transport,
            &self.links,
        )
    }
}
