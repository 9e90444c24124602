//! Counts events (failed sign-ins, subscription requests) per key (an
//! account, a client address) over a sliding minute, exactly, in memory:
//! for a server that is the only one serving (SQLite). Replicas count
//! together in the database instead (see `http::limiter`).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Beyond this many tracked keys, stale ones are swept so that a flood of
/// made-up emails cannot grow memory without bound.
const SWEEP_ABOVE: usize = 10_000;

pub struct Throttle {
    limit: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Throttle {
    pub fn new(failures_per_minute: u32) -> Throttle {
        Throttle {
            limit: failures_per_minute as usize,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds)` when any of the keys has used up its failures: how
    /// long until the oldest one leaves the window.
    pub fn check(&self, keys: &[&str], now: Instant) -> Result<(), u64> {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut wait = None;
        for key in keys {
            if let Some(times) = failures.get_mut(*key) {
                forget_old(times, now);
                if times.len() >= self.limit {
                    let oldest = times.front().copied().unwrap_or(now);
                    let seconds = WINDOW
                        .saturating_sub(now.duration_since(oldest))
                        .as_secs()
                        .max(1);
                    wait = Some(wait.map_or(seconds, |w: u64| w.max(seconds)));
                }
            }
        }
        wait.map_or(Ok(()), Err)
    }

    /// How many events a key has had in the last minute.
    pub fn recent(&self, key: &str) -> usize {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.get_mut(key).map_or(0, |times| {
            forget_old(times, Instant::now());
            times.len()
        })
    }

    pub fn record(&self, keys: &[&str], now: Instant) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| {
                forget_old(times, now);
                !times.is_empty()
            });
        }
        for key in keys {
            let times = failures.entry((*key).to_owned()).or_default();
            forget_old(times, now);
            times.push_back(now);
        }
    }
}

fn forget_old(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_applies_per_key_and_lifts_after_a_minute() {
        let throttle = Throttle::new(3);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(throttle.check(&["a@x.org", "10.0.0.1"], start).is_ok());
            throttle.record(&["a@x.org", "10.0.0.1"], start);
        }
        let wait = throttle.check(&["a@x.org", "10.0.0.2"], start).unwrap_err();
        assert!((59..=60).contains(&wait), "{wait}");
        assert!(
            throttle.check(&["b@x.org", "10.0.0.1"], start).is_err(),
            "the address is limited too"
        );
        assert!(throttle.check(&["b@x.org", "10.0.0.2"], start).is_ok());
        assert!(throttle.check(&["a@x.org"], start + WINDOW).is_ok());
    }
}
