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
pub mod text;
pub mod web;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::ErrorHandlers;
use actix_web::{middleware, App, HttpServer};

use crate::auth::password::Passwords;
use crate::auth::throttle::Throttle;
use crate::auth::tokens::Tokens;
use crate::config::Settings;
use crate::http::extract::BodyLimit;
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
    #[error("cannot set up authentication: {0}")]
    Auth(String),
    #[error("cannot set up mail: {0}")]
    Mail(String),
    #[error("cannot load the tagging lexicon: {0}")]
    Tagging(String),
    #[error("start-up was interrupted: {0}")]
    Interrupted(String),
}

/// Seconds the server gives requests in flight to finish after SIGTERM or
/// SIGINT before it stops: a load balancer's usual drain time.
const SHUTDOWN_GRACE_SECONDS: u64 = 30;

/// How often old idempotency keys are swept.
const MAINTENANCE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Housekeeping that no request should pay for: forgetting idempotency
/// keys past their keeping time. Every replica may run it; the delete is
/// idempotent.
fn spawn_maintenance(store: Store) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(MAINTENANCE_EVERY);
        loop {
            interval.tick().await;
            let swept = store
                .run(|c| store::idempotency::sweep(c, domain::clock::now()))
                .await;
            match swept {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "forgot expired idempotency keys"),
                Err(error) => tracing::warn!(%error, "idempotency sweep failed"),
            }
        }
    });
}

/// Subscription requests a client address may make a minute: enough for a
/// person, too few to flood strangers' mailboxes with confirmations.
const SUBSCRIPTIONS_PER_MINUTE: u32 = 5;

/// The indexer's memory budget in a server: small, as it applies a few
/// changes at a time (a rebuild from the command line gets more).
const SERVER_INDEX_MEMORY: usize = 32 * 1024 * 1024;
/// How often the indexer looks for new catalogue changes: a practice
/// accepted through any replica is searchable on every replica within it.
const INDEXER_POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// Keeps the search index on the catalogue: catches up at start (until
/// then `/readyz` says not ready), then polls for new changes.
fn spawn_indexer(store: Store, search: Arc<SearchIndex>) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(INDEXER_POLL);
        loop {
            interval.tick().await;
            let index = Arc::clone(&search);
            let started = std::time::Instant::now();
            match store.run(move |c| index.catch_up(c)).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(
                    practices = count,
                    sequence = search.applied_sequence(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "search index updated"
                ),
                Err(error) => tracing::warn!(%error, "search index update failed; retrying"),
            }
        }
    });
}

/// Keeps the learned tagging model on editors' decisions: trains at start,
/// then, every `tagging_learn_seconds`, again if the catalogue changed
/// (an acceptance or a curation appends a catalogue change).
fn spawn_learner(store: Store, tagger: Arc<tagging::Tagger>, every: std::time::Duration) {
    actix_web::rt::spawn(async move {
        let mut interval = actix_web::rt::time::interval(every);
        let mut learned_at_sequence = None;
        loop {
            interval.tick().await;
            let started = std::time::Instant::now();
            let seen = learned_at_sequence;
            // The connection is held for the reading only, not the training.
            let read = store
                .run(move |c| {
                    let sequence = store::catalogue::last_sequence(c)?;
                    if seen == Some(sequence) {
                        return Ok((sequence, None));
                    }
                    let decisions = store::submissions::decisions(c, tagging::LEARN_FROM_NEWEST)?;
                    Ok((sequence, Some(decisions)))
                })
                .await;
            let (sequence, decisions) = match read {
                Ok(read) => read,
                Err(error) => {
                    tracing::warn!(%error, "reading editors' decisions failed; retrying");
                    continue;
                }
            };
            let Some(decisions) = decisions else {
                continue;
            };
            let learner = Arc::clone(&tagger);
            let trained = actix_web::web::block(move || {
                let model = tagging::learn(decisions.iter().map(|d| {
                    (
                        d.language,
                        d.title.as_str(),
                        d.body.as_str(),
                        d.items.as_slice(),
                    )
                }));
                let examples = model.examples();
                learner.learn(model);
                examples
            })
            .await;
            match trained {
                Ok(examples) => {
                    learned_at_sequence = Some(sequence);
                    tracing::info!(
                        examples,
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "tagging model trained on editors' decisions"
                    );
                }
                Err(error) => tracing::warn!(%error, "tagging model training failed; retrying"),
            }
        }
    });
}

/// A running service: the database opened and migrated, the port bound.
pub struct Application {
    server: Server,
    port: u16,
}

impl Application {
    /// Opens the store, applies migrations, binds the listener. Nothing is
    /// served until [`Application::run_until_stopped`].
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let settings = Arc::new(settings);
        let (store, secret, passwords, search) = {
            let settings = Arc::clone(&settings);
            actix_web::web::block(move || -> Result<_, StartupError> {
                let store = Store::open(&settings)?;
                let applied = store.migrate()?;
                tracing::info!(database = %store.backend().describe(), applied = applied.len(), "database ready");
                let secret = auth::keys::signing_keys(&settings)?;
                let passwords = Passwords::new(&settings).map_err(|e| StartupError::Auth(e.to_string()))?;
                let search = SearchIndex::open(&settings.index_dir(), SERVER_INDEX_MEMORY)?;
                Ok((store, secret, passwords, Arc::new(search)))
            })
            .await
            .map_err(|e| StartupError::Interrupted(e.to_string()))??
        };
        let tokens =
            Tokens::new(&secret, settings.auth.access_token_minutes).map_err(StartupError::Auth)?;
        let listener =
            TcpListener::bind(settings.http.bind).map_err(|source| StartupError::Bind {
                address: settings.http.bind,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartupError::Bind {
            address: settings.http.bind,
            source,
        })?;

        let transport = mail::Transport::from_settings(&settings).map_err(StartupError::Mail)?;
        let links = mail::links::Links::new(&secret);
        mail::spawn_sender(
            store.clone(),
            Arc::clone(&settings),
            transport,
            links.clone(),
        )
        .map_err(StartupError::Mail)?;
        spawn_maintenance(store.clone());
        spawn_indexer(store.clone(), Arc::clone(&search));
        let tagger = Arc::new(tagging::Tagger::new().map_err(StartupError::Tagging)?);
        spawn_learner(
            store.clone(),
            Arc::clone(&tagger),
            std::time::Duration::from_secs(settings.tagging.learn_seconds),
        );
        let state = actix_web::web::Data::new(AppState {
            store,
            settings: Arc::clone(&settings),
            tokens,
            passwords,
            login_throttle: Throttle::new(settings.auth.login_attempts_per_minute),
            subscribe_throttle: Throttle::new(SUBSCRIPTIONS_PER_MINUTE),
            search,
            links,
            trusted_proxies: settings.http.trusted_proxies.0.clone(),
            tagger,
            cors: settings.http.cors_origins.clone(),
            write_throttle: Throttle::new(settings.http.writes_per_minute),
        });
        let metrics = actix_web::web::Data::new(Metrics::new());
        let client_timeout = std::time::Duration::from_secs(settings.http.client_timeout_seconds);
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
        .client_disconnect_timeout(std::time::Duration::from_secs(2))
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
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
