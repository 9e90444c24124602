//! Wake-ups: a write that leaves work for a background worker (a catalogue
//! change for the indexer, a mail for the sender) announces it, and the
//! worker runs at once instead of at its next period.
//!
//! On PostgreSQL the announcement is a `NOTIFY` in the writing transaction:
//! the database delivers it to every replica's listener when, and only if,
//! the transaction commits. In the process that wrote, the announcement is
//! also noted on the writing thread and rung once the work that wrote it is
//! over ([`Bells::ring_announced`], called by `Store::run` and after every
//! worker round), which is all SQLite, one process, needs. A transaction
//! that rolled back rings for nothing: the worker finds no work.

use std::cell::Cell;
use std::sync::{Arc, Weak};
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use tokio::sync::Notify;

use super::AnyConnection;

/// What a worker can be woken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// New catalogue changes: the indexer.
    Catalogue,
    /// New mail in the outbox: the sender.
    Outbox,
}

impl Channel {
    const ALL: [Channel; 2] = [Channel::Catalogue, Channel::Outbox];

    /// The PostgreSQL channel.
    fn name(self) -> &'static str {
        match self {
            Channel::Catalogue => "compendium_catalogue",
            Channel::Outbox => "compendium_outbox",
        }
    }

    fn from_name(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.name() == name)
    }

    fn bit(self) -> u8 {
        match self {
            Channel::Catalogue => 1,
            Channel::Outbox => 2,
        }
    }
}

thread_local! {
    /// The channels announced on this thread since they were last rung.
    static ANNOUNCED: Cell<u8> = const { Cell::new(0) };
}

/// Announces, inside the transaction that leaves it, work on `channel`.
pub fn announce(
    connection: &mut AnyConnection,
    channel: Channel,
) -> Result<(), diesel::result::Error> {
    if let AnyConnection::Postgres(pg) = connection {
        diesel::sql_query("SELECT pg_notify($1, '')")
            .bind::<diesel::sql_types::Text, _>(channel.name())
            .execute(pg)?;
    }
    ANNOUNCED.with(|announced| announced.set(announced.get() | channel.bit()));
    Ok(())
}

/// One bell a channel, shared by the store's clones and the workers.
#[derive(Debug, Default)]
pub struct Bells {
    catalogue: Arc<Notify>,
    outbox: Arc<Notify>,
}

impl Bells {
    /// What the worker of `channel` waits on.
    pub fn bell(&self, channel: Channel) -> Arc<Notify> {
        Arc::clone(match channel {
            Channel::Catalogue => &self.catalogue,
            Channel::Outbox => &self.outbox,
        })
    }

    /// Wakes the worker of `channel`; a worker in a round runs one more
    /// round after it (the bell keeps one ring for it).
    pub fn ring(&self, channel: Channel) {
        self.bell(channel).notify_one();
    }

    /// Rings what this thread announced, and forgets it.
    pub fn ring_announced(&self) {
        let announced = ANNOUNCED.with(|announced| announced.replace(0));
        for channel in Channel::ALL {
            if announced & channel.bit() != 0 {
                self.ring(channel);
            }
        }
    }
}

/// How often the listener reads what arrived on its connection. diesel
/// offers no way to block on the socket; reading it sends nothing to the
/// database, so this costs a system call, not a query.
const LISTEN_CHECK: Duration = Duration::from_millis(25);
/// The longest wait before connecting again after the listener lost its
/// connection.
const RECONNECT_AT_MOST: Duration = Duration::from_secs(30);

/// Listens on PostgreSQL for the other replicas' announcements (and this
/// one's) and rings `bells`, on a thread of its own, until the store that
/// owns them is gone.
pub fn spawn_listener(url: String, bells: &Arc<Bells>) -> std::io::Result<()> {
    let bells = Arc::downgrade(bells);
    std::thread::Builder::new()
        .name("compendium-listener".to_owned())
        .spawn(move || listen(&url, &bells))
        .map(drop)
}

fn listen(url: &str, bells: &Weak<Bells>) {
    let mut retry = Duration::from_secs(1);
    while bells.strong_count() > 0 {
        match listening_connection(url) {
            Ok(mut connection) => {
                retry = Duration::from_secs(1);
                // Announcements made while nobody listened are lost: look.
                if let Some(bells) = bells.upgrade() {
                    Channel::ALL.into_iter().for_each(|c| bells.ring(c));
                }
                if let Err(error) = relay(&mut connection, bells) {
                    tracing::warn!(%error, "the wake-up listener lost its connection; connecting again");
                }
            }
            Err(error) => {
                tracing::warn!(%error, retry_in_s = retry.as_secs(), "the wake-up listener cannot connect; the workers run at their periods meanwhile");
                std::thread::sleep(retry);
                retry = (retry * 2).min(RECONNECT_AT_MOST);
            }
        }
    }
}

fn listening_connection(url: &str) -> Result<PgConnection, diesel::ConnectionError> {
    let mut connection = PgConnection::establish(url)?;
    for channel in Channel::ALL {
        // Channel names are ours and plain: nothing to quote.
        diesel::sql_query(format!("LISTEN {}", channel.name()))
            .execute(&mut connection)
            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
    }
    Ok(connection)
}

/// Rings a bell for each notification until the connection fails or the
/// bells are gone.
fn relay(connection: &mut PgConnection, bells: &Weak<Bells>) -> diesel::QueryResult<()> {
    loop {
        let Some(bells) = bells.upgrade() else {
            return Ok(());
        };
        for notification in connection.notifications_iter() {
            if let Some(channel) = Channel::from_name(&notification?.channel) {
                bells.ring(channel);
            }
        }
        drop(bells);
        std::thread::sleep(LISTEN_CHECK);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_are_named_for_postgresql_and_read_back() {
        for channel in Channel::ALL {
            assert!(channel.name().starts_with("compendium_"));
            assert_eq!(Channel::from_name(channel.name()), Some(channel));
        }
        assert_eq!(Channel::from_name("other"), None);
    }

    #[test]
    fn what_a_thread_announced_is_rung_once() {
        let bells = Bells::default();
        ANNOUNCED.with(|a| a.set(Channel::Outbox.bit()));
        bells.ring_announced();
        assert_eq!(ANNOUNCED.with(Cell::get), 0);
        // The outbox's bell kept its ring; the catalogue's has none.
        let outbox = bells.bell(Channel::Outbox);
        let catalogue = bells.bell(Channel::Catalogue);
        actix_web::rt::System::new().block_on(async {
            outbox.notified().await;
            let waited =
                actix_web::rt::time::timeout(Duration::from_millis(20), catalogue.notified()).await;
            assert!(waited.is_err());
        });
    }
}
