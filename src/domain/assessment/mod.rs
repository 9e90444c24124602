//! A Member State's voluntary self-assessment against the annex (operative
//! paragraph 1 of resolution 64/211): one per State and year, eighteen
//! answers that follow the annex item by item, private to the State until
//! it shares it with the Secretariat. The rules are here, as pure code:
//! what an answer may hold, how a save changes an assessment (only the
//! items given; every save a version), the moves (complete, share,
//! unshare), which items are gaps, and how two years compare.

mod answer;
mod compare;
pub mod stock;

pub use answer::{validate_answers, Answer, AnswerDraft, AnswerStatus, EvidenceLink, MAX_EVIDENCE};
pub use compare::{compare, ItemChange};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::annex::AnnexItem;
use crate::domain::entities::EntityCode;
use crate::domain::Language;

/// Where an assessment stands: being written, or completed by the State
/// (which may still correct it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    Draft,
    Completed,
}

impl AssessmentStatus {
    pub const ALL: [AssessmentStatus; 2] = [AssessmentStatus::Draft, AssessmentStatus::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentStatus::Draft => "draft",
            AssessmentStatus::Completed => "completed",
        }
    }
}

named_in_text!(AssessmentStatus by as_str, |text| -> String {
    format!("unknown assessment status '{text}': use draft or completed")
});

/// The first year an assessment may be for (the resolution's), and how far
/// ahead of this year one may be started.
pub const FIRST_YEAR: i32 = 2010;
pub const YEARS_AHEAD: i32 = 1;

/// A self-assessment as stored: always eighteen answers, in annex order.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub id: String,
    pub entity: EntityCode,
    pub year: i32,
    pub language: Language,
    pub status: AssessmentStatus,
    /// Whether the State lets the Secretariat's editors read it.
    pub shared: bool,
    /// Counts every saved state from 1.
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub answers: Vec<Answer>,
}

/// What may be done to an assessment besides saving answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentMove {
    Complete,
    Share,
    Unshare,
}

impl AssessmentMove {
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentMove::Complete => "complete",
            AssessmentMove::Share => "share",
            AssessmentMove::Unshare => "unshare",
        }
    }
}

/// Why a move does not apply: the assessment is already there. Retries of
/// share and unshare are harmless and answered as done; completing twice
/// is refused, since it would move the date the reminder counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unchanged {
    AlreadyCompleted,
    AlreadyShared,
    AlreadyPrivate,
}

/// Assessments completed at or before this instant are due for their
/// reminder: a year (twelve calendar months) has passed since.
pub fn reminder_due_before(now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_months(chrono::Months::new(12))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Why a year cannot have an assessment.
pub fn check_year(year: i64, this_year: i32) -> Result<i32, String> {
    let last = this_year + YEARS_AHEAD;
    match i32::try_from(year) {
        Ok(year) if (FIRST_YEAR..=last).contains(&year) => Ok(year),
        _ => Err(format!("a year from {FIRST_YEAR} to {last}")),
    }
}

impl Assessment {
    /// A new draft: every item not started, or, when `previous` is given
    /// (the State's latest earlier assessment), its answers to start from.
    pub fn new(
        id: String,
        entity: EntityCode,
        year: i32,
        language: Language,
        previous: Option<&Assessment>,
        created_by: Option<String>,
        now: DateTime<Utc>,
    ) -> Assessment {
        let answers = match previous {
            Some(previous) => previous.answers.clone(),
            None => AnnexItem::all().map(Answer::not_started).collect(),
        };
        Assessment {
            id,
            entity,
            year,
            language,
            status: AssessmentStatus::Draft,
            shared: false,
            version: 1,
            created_by,
            created_at: now,
            updated_at: now,
            completed_at: None,
            answers,
        }
    }

    fn touch(&mut self, now: DateTime<Utc>) {
        self.version += 1;
        self.updated_at = now;
    }

    /// Saves the answers given, each replacing its item's; the others stay.
    /// Answers which items changed (none: nothing saved, no new version).
    pub fn answer(&mut self, given: Vec<Answer>, now: DateTime<Utc>) -> Vec<AnnexItem> {
        let mut changed = Vec::new();
        for answer in given {
            if let Some(slot) = self.answers.iter_mut().find(|a| a.item == answer.item) {
                if *slot != answer {
                    changed.push(answer.item);
                    *slot = answer;
                }
            }
        }
        if !changed.is_empty() {
            self.touch(now);
        }
        changed
    }

    /// Completes, shares or unshares; a new version when it changes.
    pub fn apply(&mut self, action: AssessmentMove, now: DateTime<Utc>) -> Result<(), Unchanged> {
        match action {
            AssessmentMove::Complete if self.status == AssessmentStatus::Completed => {
                return Err(Unchanged::AlreadyCompleted)
            }
            AssessmentMove::Complete => {
                self.status = AssessmentStatus::Completed;
                self.completed_at = Some(now);
            }
            AssessmentMove::Share if self.shared => return Err(Unchanged::AlreadyShared),
            AssessmentMove::Unshare if !self.shared => return Err(Unchanged::AlreadyPrivate),
            AssessmentMove::Share | AssessmentMove::Unshare => {
                self.shared = action == AssessmentMove::Share;
            }
        }
        self.touch(now);
        Ok(())
    }

    /// The items that call for further action: neither in place nor
    /// inapplicable, in annex order.
    pub fn gaps(&self) -> Vec<&Answer> {
        self.answers.iter().filter(|a| a.status.is_gap()).collect()
    }

    pub fn answer_to(&self, item: AnnexItem) -> &Answer {
        self.answers
            .iter()
            .find(|a| a.item == item)
            .expect("an assessment holds an answer to every item")
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_reminder_is_due_twelve_months_after_completion() {
        let now: DateTime<Utc> = "2027-03-01T10:00:00Z".parse().unwrap();
        let due = reminder_due_before(now);
        assert_eq!(
            due,
            "2026-03-01T10:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        // The 29th of February becomes the last day of a common February.
        let leap: DateTime<Utc> = "2028-02-29T00:00:00Z".parse().unwrap();
        assert_eq!(
            reminder_due_before(leap),
            "2027-02-28T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    use super::*;

    fn at(second: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + second, 0).expect("a valid time")
    }

    fn item(n: u8) -> AnnexItem {
        AnnexItem::new(n).expect("an item")
    }

    fn assessment() -> Assessment {
        let kenya = EntityCode::parse("KEN").expect("a code");
        Assessment::new("a1".into(), kenya, 2026, Language::En, None, None, at(0))
    }

    fn answered(n: u8, status: AnswerStatus) -> Answer {
        Answer {
            status,
            narrative: format!("On item {n}."),
            ..Answer::not_started(item(n))
        }
    }

    #[test]
    fn a_new_assessment_answers_every_item_as_not_started_or_as_last_year() {
        let mut first = assessment();
        let items: Vec<u8> = first.answers.iter().map(|a| a.item.number()).collect();
        assert_eq!(items, (1..=18).collect::<Vec<u8>>());
        assert!(first
            .answers
            .iter()
            .all(|a| a.status == AnswerStatus::NotStarted));
        first.answer(vec![answered(11, AnswerStatus::InPlace)], at(1));
        let next = Assessment::new(
            "a2".into(),
            first.entity.clone(),
            2027,
            Language::Fr,
            Some(&first),
            None,
            at(2),
        );
        assert_eq!(next.answers, first.answers);
        assert_eq!(
            (next.version, next.status, next.shared),
            (1, AssessmentStatus::Draft, false)
        );
    }

    #[test]
    fn a_save_changes_only_the_items_given_and_only_a_change_is_a_version() {
        let mut a = assessment();
        let changed = a.answer(
            vec![
                answered(3, AnswerStatus::InProgress),
                answered(11, AnswerStatus::InPlace),
            ],
            at(1),
        );
        assert_eq!(changed, vec![item(3), item(11)]);
        assert_eq!((a.version, a.updated_at), (2, at(1)));
        assert_eq!(a.answer_to(item(4)).status, AnswerStatus::NotStarted);
        let again = a.answer(vec![answered(3, AnswerStatus::InProgress)], at(2));
        assert!(again.is_empty());
        assert_eq!(a.version, 2);
    }

    #[test]
    fn moves_change_the_state_once_and_count_a_version() {
        let mut a = assessment();
        assert_eq!(
            a.apply(AssessmentMove::Unshare, at(1)),
            Err(Unchanged::AlreadyPrivate)
        );
        a.apply(AssessmentMove::Share, at(1)).expect("shared");
        assert!(a.shared);
        assert_eq!(
            a.apply(AssessmentMove::Share, at(2)),
            Err(Unchanged::AlreadyShared)
        );
        a.apply(AssessmentMove::Complete, at(3)).expect("completed");
        assert_eq!(a.completed_at, Some(at(3)));
        assert_eq!(
            a.apply(AssessmentMove::Complete, at(4)),
            Err(Unchanged::AlreadyCompleted)
        );
        a.apply(AssessmentMove::Unshare, at(5))
            .expect("private again");
        assert_eq!((a.version, a.shared), (4, false));
    }

    #[test]
    fn gaps_are_the_items_neither_in_place_nor_inapplicable() {
        let mut a = assessment();
        a.answer(
            vec![
                answered(1, AnswerStatus::InPlace),
                answered(2, AnswerStatus::NotApplicable),
                answered(3, AnswerStatus::InProgress),
            ],
            at(1),
        );
        let gaps: Vec<u8> = a.gaps().iter().map(|g| g.item.number()).collect();
        assert_eq!(gaps, (3..=18).collect::<Vec<u8>>());
    }

    #[test]
    fn years_run_from_the_resolution_to_next_year() {
        assert_eq!(check_year(2026, 2026), Ok(2026));
        assert_eq!(check_year(2027, 2026), Ok(2027));
        assert!(check_year(2028, 2026).is_err());
        assert!(check_year(2009, 2026).is_err());
        assert!(check_year(i64::MAX, 2026).is_err());
    }
}
