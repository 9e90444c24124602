//! Submissions and practices the domain's tests start from.

use chrono::{DateTime, Utc};

use super::{Practice, Submission};
use crate::domain::annex::AnnexItem;
use crate::domain::entities::EntityCode;
use crate::domain::Language;

/// A fixed moment, `second`s after a day in 2026.
pub fn at(second: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000 + second, 0).expect("a valid time")
}

/// A practice of submission `s1` under item 11.
pub fn practice(id: &str, title: &str) -> Practice {
    Practice {
        id: id.to_owned(),
        submission_id: "s1".to_owned(),
        title: title.to_owned(),
        body: "Coordinates incident response.".to_owned(),
        items: vec![AnnexItem::new(11).expect("an item")],
        sectors: Vec::new(),
        editorial_note: None,
        updated_at: at(0),
        suggested: Vec::new(),
        replaces: None,
    }
}

/// France's draft `s1` with one practice, `p1`.
pub fn draft() -> Submission {
    Submission {
        title: "Practices".to_owned(),
        practices: vec![practice("p1", "National CSIRT")],
        ..Submission::draft(
            "s1".to_owned(),
            EntityCode::parse("FRA").expect("a code"),
            Language::En,
            None,
            at(0),
        )
    }
}
