//! How long a desk session lives. A session ends after 30 minutes without
//! a request (someone left a shared computer) and 12 hours after sign-in
//! whatever happens (a stolen cookie does not work for ever). Its
//! last-seen time is written at most once a minute, so reading pages does
//! not cost a write each.

use chrono::{DateTime, Duration, Utc};

pub const IDLE: Duration = Duration::minutes(30);
pub const ABSOLUTE: Duration = Duration::hours(12);
const TOUCH_EVERY: Duration = Duration::minutes(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl Times {
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        now - self.last_seen_at < IDLE && now - self.created_at < ABSOLUTE
    }

    /// Whether this request should move the idle clock forward.
    pub fn needs_touch(&self, now: DateTime<Utc>) -> bool {
        now - self.last_seen_at >= TOUCH_EVERY
    }
}

/// Sessions last seen before this have idled out; created before the
/// second, they have reached their end.
pub fn cutoffs(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (now - IDLE, now - ABSOLUTE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 6, 8, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn a_session_idles_out_after_thirty_minutes() {
        let times = Times {
            created_at: at(0),
            last_seen_at: at(0),
        };
        assert!(times.is_live(at(29)));
        assert!(!times.is_live(at(30)));
    }

    #[test]
    fn a_busy_session_still_ends_after_twelve_hours() {
        let times = Times {
            created_at: at(0),
            last_seen_at: at(12 * 60 - 1),
        };
        assert!(times.is_live(at(12 * 60 - 1)));
        assert!(!times.is_live(at(12 * 60)));
    }

    #[test]
    fn the_idle_clock_moves_at_most_once_a_minute() {
        let times = Times {
            created_at: at(0),
            last_seen_at: at(5),
        };
        assert!(!times.needs_touch(at(5)));
        assert!(times.needs_touch(at(6)));
    }
}
