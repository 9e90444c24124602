//! Time as the service records it.

use chrono::{DateTime, SubsecRound, Utc};

/// Now, in whole seconds. Every time the service stores is cut to one
/// precision here, so SQLite (seconds) and PostgreSQL (microseconds) give
/// the same answers, ETags and orderings.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

#[cfg(test)]
mod tests {
    use chrono::Timelike;

    #[test]
    fn now_has_no_fraction_of_a_second() {
        assert_eq!(super::now().nanosecond(), 0);
    }
}
