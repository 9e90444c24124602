//! Rate limits as the front doors apply them: failed sign-ins, requests
//! that mail strangers, writes per account. On SQLite one process serves,
//! and counts in memory exactly ([`Throttle`]). On PostgreSQL several
//! replicas may serve, and a limit counted by each would multiply by their
//! number: the events are counted in the database instead, in one-minute
//! windows (see `domain::rate`). Two replicas admitting the same key at the
//! same instant may both pass its last place: a limit is overshot by at
//! most the replicas less one, never multiplied.

use std::time::Instant;

use crate::auth::throttle::Throttle;
use crate::domain::{clock, rate};
use crate::error::AppError;
use crate::store::{rate_counts, Backend, Store};

pub struct Limiter {
    /// Names the limit's rows in the shared table.
    name: &'static str,
    limit: u32,
    counted: Counted,
}

enum Counted {
    InMemory(Throttle),
    InDatabase(Store),
}

impl Limiter {
    /// `limit` events a key a minute, counted where `store`'s replicas
    /// all see them.
    pub fn new(name: &'static str, limit: u32, store: &Store) -> Limiter {
        let counted = match store.backend() {
            Backend::Postgres(_) => Counted::InDatabase(store.clone()),
            Backend::Sqlite(_) => Counted::InMemory(Throttle::new(limit)),
        };
        Limiter {
            name,
            limit,
            counted,
        }
    }

    /// The events a key may have in a minute.
    pub fn limit(&self) -> usize {
        self.limit as usize
    }

    /// A 429 (with `Retry-After`) when a key has used up its events:
    /// "`refusal`; try again in N s". Counts nothing, for events counted
    /// only when they fail (sign-ins).
    pub async fn refuse_if_exhausted(&self, keys: &[&str], refusal: &str) -> Result<(), AppError> {
        self.count(keys, refusal, false).await
    }

    /// Refuses as [`Limiter::refuse_if_exhausted`] does, and else, when
    /// `record`, counts one event against every key: in the database, on
    /// one connection and one trip to the blocking pool.
    async fn count(&self, keys: &[&str], refusal: &str, record: bool) -> Result<(), AppError> {
        let wait = match &self.counted {
            Counted::InMemory(throttle) => {
                let wait = throttle.check(keys, Instant::now()).err();
                if wait.is_none() && record {
                    throttle.record(keys, Instant::now());
                }
                wait
            }
            Counted::InDatabase(store) => {
                let (name, limit, keys) = (self.name, self.limit, owned(keys));
                store
                    .run(move |c| {
                        let (minute, elapsed) = rate::window_of(clock::now().timestamp());
                        let keys = borrowed(&keys);
                        let counts = rate_counts::counts(c, name, &keys, minute)?;
                        let wait = counts.values().filter_map(|k| k.wait(elapsed, limit)).max();
                        if wait.is_none() && record {
                            rate_counts::add(c, name, &keys, minute)?;
                        }
                        Ok(wait)
                    })
                    .await?
            }
        };
        match wait {
            None => Ok(()),
            Some(seconds) => Err(AppError::TooManyRequests {
                detail: format!("{refusal}; try again in {seconds} s"),
                retry_after_seconds: seconds,
            }),
        }
    }

    /// Counts one event against every key.
    pub async fn record(&self, keys: &[&str]) -> Result<(), AppError> {
        match &self.counted {
            Counted::InMemory(throttle) => {
                throttle.record(keys, Instant::now());
                Ok(())
            }
            Counted::InDatabase(store) => {
                let (name, keys) = (self.name, owned(keys));
                store
                    .run(move |c| {
                        let (minute, _) = rate::window_of(clock::now().timestamp());
                        rate_counts::add(c, name, &borrowed(&keys), minute)
                    })
                    .await
            }
        }
    }

    /// Counts one event against every key, unless one has used up its
    /// events: then the 429 of [`Limiter::refuse_if_exhausted`].
    pub async fn admit(&self, keys: &[&str], refusal: &str) -> Result<(), AppError> {
        self.count(keys, refusal, true).await
    }

    /// How many events a key has had in the last minute (estimated, when
    /// counted in the database).
    pub async fn recent(&self, key: &str) -> Result<usize, AppError> {
        match &self.counted {
            Counted::InMemory(throttle) => Ok(throttle.recent(key)),
            Counted::InDatabase(store) => {
                let (name, key) = (self.name, key.to_owned());
                store
                    .run(move |c| {
                        let (minute, elapsed) = rate::window_of(clock::now().timestamp());
                        let counts = rate_counts::counts(c, name, &[key.as_str()], minute)?;
                        let recent = counts.get(&key).map_or(0.0, |k| k.recent(elapsed));
                        Ok(recent.floor() as usize)
                    })
                    .await
            }
        }
    }
}

fn owned(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| (*k).to_owned()).collect()
}

fn borrowed(keys: &[String]) -> Vec<&str> {
    keys.iter().map(String::as_str).collect()
}
