//! Compendium: best practices for cybersecurity and the protection of
//! critical information infrastructures, compiled under UN General Assembly
//! resolution 64/211. This crate builds the whole service; `main.rs` is only
//! its command line.
//!
//! `api/` speaks HTTP to programs and `web/` to readers' browsers;
//! `domain/` decides, `store/` remembers; `annex/` and `entities/` are the
//! reference data; `telemetry/` tells operators what happens.

pub mod api;
pub mod auth;
pub mod config;
pub mod domain;

pub mod error;
pub mod http;
pub mod i18n;

pub mod json;
pub mod mail;
pub mod publish;
pub mod search;
pub mod service;
pub mod store;
pub mod tagging;
pub mod telemetry;
#[cfg(test)]
mod testing;
pub mod text;
pub mod web;
pub mod workers;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::ErrorHandlers;
use actix_web::{middleware, App, HttpServer};

use crate::auth::password::Passwords;
use crate::auth::tokens::Tokens;
use crate::config::Settings;
use crate::http::extract::BodyLimit;
use crate::http::limiter::Limiter;
use crate::http::AppState;
use crate::search::SearchIndex;
use crate::store::{Store, StoreError};
use crate::telemetry::Metrics;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] auth::keys::KeyError),
    #[error(transparent)]
    Index(#[from] search::IndexError),
    #[error("cannot set up password hashing: {0}")]
    Passwords(#[from] auth::password::PasswordError),
    #[error("cannot set up token signing: {0}")]
    Tokens(#[from] jsonwebtoken::errors::Error),
    #[error("COMPENDIUM_SMTP_URL is not usable: {0}")]
    Mail(#[from] lettre::transport::smtp::Error),
    #[error(transparent)]
    Tagging(#[from] tagging::LexiconError),
    #[error("COMPENDIUM_SECRETARIAT_LANGUAGE is not valid: {0}")]
    SecretariatLanguage(String),
    #[error("start-up was interrupted: {0}")]
    Interrupted(#[from] actix_web::error::BlockingError),
    #[error("cannot start the listener of the replicas' wake-ups: {0}")]
    Listener(std::io::Error),
}

/// Seconds the server gives requests in flight to finish after SIGTERM or
/// SIGINT before it stops: a load balancer's usual drain time.
const SHUTDOWN_GRACE_SECONDS: u64 = 30;

/// How often old idempotency keys are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Subscription requests a client address may make a minute: enough for a
/// person, too few to flood strangers' mailboxes with confirmations.
const SUBSCRIPTIONS_PER_MINUTE: u32 = 5;

/// The indexer's memory budget in a server: small, as it applies a few
/// changes at a time (a rebuild from the command line gets more).
const SERVER_INDEX_MEMORY: usize = 32 * 1024 * 1024;
/// The longest the indexer waits for a wake-up before it looks for new
/// catalogue changes anyway: what a change written by another process on
/// SQLite (an import while the server runs) may wait.
const INDEXER_PERIOD: Duration = Duration::from_secs(10);

/// A running service: the database opened and migrated, the port bound.
pub struct Application {
    server: Server,
    port: u16,
    search: Arc<SearchIndex>,
}

impl Application {
    /// Opens the store, applies migrations, binds the listener. Nothing is
    /// served until [`Application::run_until_stopped`].
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let secretariat_language = settings.mail.secretariat_language.trim().parse().map_err(
            |e: domain::language::UnknownLanguage| StartupError::SecretariatLanguage(e.to_string()),
        )?;
        let settings = Arc::new(settings);
        let (store, secret, passwords, search) = {
            let settings = Arc::clone(&settings);
            actix_web::web::block(move || -> Result<_, StartupError> {
                let store = Store::open(&settings)?;
                let applied = store.migrate()?;
                tracing::info!(database = %store.backend().describe(), applied = applied.len(), "database ready");
                let secret = auth::keys::signing_keys(&settings)?;
                let passwords = Passwords::new(&settings)?;
                let search = SearchIndex::open(&settings.index_dir(), SERVER_INDEX_MEMORY)?;
                Ok((store, secret, passwords, Arc::new(search)))
            })
            .await??
        };
        let tokens = Tokens::new(&secret, settings.auth.access_token_minutes)?;
        let listener =
            TcpListener::bind(settings.http.bind).map_err(|source| StartupError::Bind {
                address: settings.http.bind,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartupError::Bind {
            address: settings.http.bind,
            source,
        })?;

        store.listen_for_wakeups().map_err(StartupError::Listener)?;
        let links = mail::links::Links::new(&secret);
        let tagger = Arc::new(tagging::Tagger::new()?);
        let sender = workers::Sender {
            store: store.clone(),
            settings: Arc::clone(&settings),
            transport: mail::Transport::from_settings(&settings)?,
            links: links.clone(),
            due_at: None,
        };
        workers::spawn(sender, mail::PERIOD, store.bells());
        workers::spawn(
            workers::Sweeper {
                store: store.clone(),
            },
            SWEEP_EVERY,
            store.bells(),
        );
        workers::spawn(workers::Trimmer, workers::Trimmer::PERIOD, store.bells());
        let indexer = workers::Indexer {
            store: store.clone(),
            index: Arc::clone(&search),
        };
        let held_index = Arc::clone(&search);
        workers::spawn(indexer, INDEXER_PERIOD, store.bells());
        let learner = workers::Learner {
            store: store.clone(),
            tagger: Arc::clone(&tagger),
            learned_at: None,
        };
        workers::spawn(
            workers::Reminder {
                store: store.clone(),
            },
            Duration::from_secs(settings.mail.reminder_check_seconds),
            store.bells(),
        );
        let learn_every = Duration::from_secs(settings.tagging.learn_seconds);
        workers::spawn(learner, learn_every, store.bells());
        // Counted together by the replicas when they share PostgreSQL.
        let login_throttle =
            Limiter::new("sign_in", settings.auth.login_attempts_per_minute, &store);
        let subscribe_throttle =
            Limiter::new("mail_to_strangers", SUBSCRIPTIONS_PER_MINUTE, &store);
        let write_throttle = Limiter::new("writes", settings.http.writes_per_minute, &store);
        let state = actix_web::web::Data::new(AppState {
            store,
            settings: Arc::clone(&settings),
            tokens,
            passwords,
            login_throttle,
            subscribe_throttle,
            search,
            links,
            tagger,
            write_throttle,
            secretariat_language,
        });
        let metrics = actix_web::web::Data::new(Metrics::new());
        let client_timeout = Duration::from_secs(settings.http.client_timeout_seconds);
        let body_limit = BodyLimit(settings.http.max_body_bytes, client_timeout);
        let payload_limit = settings.http.max_body_bytes;
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(body_limit)
                .app_data(actix_web::web::PayloadConfig::new(payload_limit))
                .configure(api::configure)
                .configure(web::configure)
                .default_service(actix_web::web::to(web::fallback))
                .wrap(ErrorHandlers::new().default_handler(api::problem_for_bare_error))
                .wrap_fn(http::headers::secure)
                .wrap_fn(http::cors::allow_listed_origins)
                .wrap(middleware::Compress::default())
                .wrap_fn(http::observe::observe_request)
        })
        .shutdown_timeout(SHUTDOWN_GRACE_SECONDS)
        // A client that opens a connection and sends its request head
        // slowly (slowloris) is cut off; so is one that never closes.
        .client_request_timeout(client_timeout)
        .client_disconnect_timeout(Duration::from_secs(2))
        .max_connections(settings.http.max_connections);
        if let Some(workers) = settings.http.workers {
            server = server.workers(workers);
        }
        let server = server
            .listen(listener)
            .map_err(|source| StartupError::Bind {
                address: settings.http.bind,
                source,
            })?
            .run();
        tracing::info!(%address, "listening");
        Ok(Application {
            server,
            port: address.port(),
            search: held_index,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server gracefully from elsewhere.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGTERM, SIGINT or [`ServerHandle::stop`], then lets
    /// requests in flight finish.
    /// The search index is let go at the end, so that a server started
    /// next (or `compendium reindex`) can open it without waiting for
    /// this one's threads to wind down.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        let search = self.search;
        match actix_web::web::block(move || search.close()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "closing the search index"),
            Err(error) => tracing::warn!(%error, "closing the search index"),
        }
        served
    }
}
