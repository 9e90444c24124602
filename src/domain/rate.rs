//! Rate limits shared by replicas: events are counted in one-minute
//! windows in the database, and the last sixty seconds are estimated as the
//! current window's count plus the previous window's, weighted by the part
//! of it still inside those sixty seconds. One row a key a minute instead
//! of one a event; exact when events are spread evenly, and never more
//! than the previous minute's count away from exact.

/// A window's length.
pub const WINDOW_SECONDS: i64 = 60;

/// The window a moment (Unix seconds) falls in, and how far into it.
pub fn window_of(unix_seconds: i64) -> (i64, i64) {
    (
        unix_seconds.div_euclid(WINDOW_SECONDS),
        unix_seconds.rem_euclid(WINDOW_SECONDS),
    )
}

/// A key's events in the window before the current one and in the current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub previous: i64,
    pub current: i64,
}

impl Counts {
    /// The events estimated in the sixty seconds up to `elapsed` seconds
    /// into the current window.
    pub fn recent(self, elapsed: i64) -> f64 {
        let left_of_previous = (WINDOW_SECONDS - elapsed.clamp(0, WINDOW_SECONDS)) as f64;
        self.previous as f64 * left_of_previous / WINDOW_SECONDS as f64 + self.current as f64
    }

    /// `None` when one more event fits under `limit` now; else the whole
    /// seconds until it does (at least 1), if no other event comes, and
    /// never more than a minute: by then every event counted now has left
    /// the exact sixty seconds, and a client the estimate still holds back
    /// is told again, for the moment that is left.
    pub fn wait(self, elapsed: i64, limit: u32) -> Option<u64> {
        let limit = f64::from(limit);
        if self.recent(elapsed) < limit {
            return None;
        }
        let elapsed = elapsed.clamp(0, WINDOW_SECONDS) as f64;
        let window = WINDOW_SECONDS as f64;
        let seconds = if (self.current as f64) < limit && self.previous > 0 {
            // Within this window, as the previous one's weight runs out.
            window - elapsed - window * (limit - self.current as f64) / self.previous as f64
        } else {
            // In the next window, as this one's weight runs out.
            let into_next = if self.current > 0 {
                window * (1.0 - limit / self.current as f64)
            } else {
                0.0
            };
            window - elapsed + into_next.max(0.0)
        };
        // Past the moment, not at it: the estimate must fall below the limit.
        Some((seconds.floor() as u64 + 1).clamp(1, WINDOW_SECONDS as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_fall_in_minute_windows() {
        assert_eq!(window_of(0), (0, 0));
        assert_eq!(window_of(119), (1, 59));
        assert_eq!(window_of(120), (2, 0));
    }

    #[test]
    fn the_previous_minute_weighs_what_is_left_of_it() {
        let counts = Counts {
            previous: 10,
            current: 2,
        };
        assert_eq!(counts.recent(0), 12.0);
        assert_eq!(counts.recent(30), 7.0);
        assert_eq!(counts.recent(60), 2.0);
    }

    #[test]
    fn an_event_fits_while_the_estimate_is_under_the_limit() {
        let counts = Counts {
            previous: 0,
            current: 4,
        };
        assert_eq!(counts.wait(10, 5), None);
        let full = Counts {
            previous: 0,
            current: 5,
        };
        // Until the next window, and all of it: 5 events weigh 5 at its start.
        let wait = full.wait(10, 5).unwrap();
        assert_eq!(wait, 51);
        // Full from the window's first second: a minute, not a second more.
        let at_once = Counts {
            previous: 0,
            current: 5,
        };
        assert_eq!(at_once.wait(0, 5), Some(60));
        assert_eq!(
            Counts {
                previous: 5,
                current: 0
            }
            .wait(0, 5),
            Some(1)
        );
    }

    #[test]
    fn the_wait_ends_where_the_estimate_drops_below_the_limit() {
        for (previous, current, elapsed, limit) in [
            (10, 2, 0, 5),
            (10, 4, 30, 5),
            (0, 12, 5, 10),
            (7, 7, 59, 7),
            (3, 0, 0, 3),
            (0, 3, 0, 3),
        ] {
            let counts = Counts { previous, current };
            // The estimate `at` seconds into the current window, or past it.
            let recent_at = |at: i64| {
                if at < WINDOW_SECONDS {
                    counts.recent(at)
                } else {
                    let next = Counts {
                        previous: current,
                        current: 0,
                    };
                    next.recent(at - WINDOW_SECONDS)
                }
            };
            let wait = counts.wait(elapsed, limit).expect("full") as i64;
            assert!((1..=WINDOW_SECONDS).contains(&wait), "{counts:?}: {wait}");
            if wait == WINDOW_SECONDS {
                // Held to a minute; the estimate may still be at the limit.
                continue;
            }
            let then = recent_at(elapsed + wait);
            assert!(then < f64::from(limit), "{counts:?} after {wait} s: {then}");
            let earlier = recent_at(elapsed + wait - 1);
            assert!(
                earlier >= f64::from(limit) || wait == 1,
                "{counts:?}: a second sooner would do ({earlier})"
            );
        }
    }
}
