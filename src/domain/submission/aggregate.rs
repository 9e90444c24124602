//! A submission as the Secretariat keeps it, with its practices, and the
//! changes it allows: an edit, a move through the workflow, a curation.
//! Each is one method that also counts the version, so no use case can
//! change a submission and forget to make it a new version.

use chrono::{DateTime, Utc};

use super::Sector;
use crate::domain::annex::AnnexItem;
use crate::domain::entities::EntityCode;
use crate::domain::suggestion::Suggestion;
use crate::domain::workflow::{InvalidMove, Move, Status};
use crate::domain::Language;

/// A submission as stored, with its practices in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub id: String,
    pub entity: EntityCode,
    pub language: Language,
    pub title: String,
    pub summary: Option<String>,
    pub status: Status,
    /// Counts every saved state from 1 (see [`Submission::bump`]).
    pub version: i64,
    /// The account that made it; none when imported from the command line.
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set by the workflow's moves: last submitted, accepted or rejected.
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What the editor asked to change, and the note of the decision.
    pub editor_message: Option<String>,
    pub decision_note: Option<String>,
    /// The accepted submission this one corrects, when it is a revision.
    pub revises: Option<String>,
    pub practices: Vec<Practice>,
}

/// One practice of a submission, in the submission's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    pub id: String,
    pub submission_id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// What the focal point chose, and what editors curated after.
    pub items: Vec<AnnexItem>,
    pub sectors: Vec<Sector>,
    pub editorial_note: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// The items suggested when the practice was saved: what editors saw.
    pub suggested: Vec<Suggestion>,
    /// In a revision, the published practice this one corrects.
    pub replaces: Option<String>,
}

/// An editor's change to the tags of an accepted practice.
pub struct Curation {
    pub items: Option<Vec<AnnexItem>>,
    pub sectors: Option<Vec<Sector>>,
    /// `Some(None)` clears the note.
    pub editorial_note: Option<Option<String>>,
}

/// Why a practice cannot be curated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurationRefused {
    /// The submission holds no such practice.
    NoSuchPractice,
    /// Only accepted practices are curated; the submission is in this status.
    NotAccepted(Status),
}

impl Practice {
    /// The item the practice is mainly about: of its items, the one the
    /// tagger ranked first for its text when it was saved; else the one
    /// item it has; else the first. `None` for a practice without items.
    pub fn main_item(&self) -> Option<AnnexItem> {
        let ranked = self
            .suggested
            .iter()
            .filter_map(|s| AnnexItem::new(s.item))
            .find(|item| self.items.contains(item));
        ranked.or_else(|| self.items.first().copied())
    }
}

impl Submission {
    /// A new draft at version 1: nothing submitted or decided yet, and no
    /// title, summary or practices until the caller gives them.
    pub fn draft(
        id: String,
        entity: EntityCode,
        language: Language,
        created_by: Option<String>,
        now: DateTime<Utc>,
    ) -> Submission {
        Submission {
            id,
            entity,
            language,
            title: String::new(),
            summary: None,
            status: Status::Draft,
            version: 1,
            created_by,
            created_at: now,
            updated_at: now,
            submitted_at: None,
            decided_at: None,
            editor_message: None,
            decision_note: None,
            revises: None,
            practices: Vec::new(),
        }
    }

    /// Every saved change makes a new version at `now`: the one place the
    /// version counts up, so no use case can forget it.
    pub(super) fn touch(&mut self, now: DateTime<Utc>) {
        self.version += 1;
        self.updated_at = now;
    }

    /// Replaces the content of a draft or of a submission returned for
    /// changes. The entity is fixed at creation and is not the draft's to change.
    pub fn edit(
        &mut self,
        language: Language,
        title: String,
        summary: Option<String>,
        practices: Vec<Practice>,
        now: DateTime<Utc>,
    ) -> Result<(), InvalidMove> {
        self.status.apply(Move::Edit)?;
        self.language = language;
        self.title = title;
        self.summary = summary;
        self.practices = practices;
        self.touch(now);
        Ok(())
    }

    /// Moves the submission through the workflow, recording when it was
    /// submitted or decided and what the editor said. `message` is the
    /// request for changes, the acceptance note or the rejection reason.
    /// Answers the status it left.
    pub fn apply(
        &mut self,
        action: Move,
        message: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Status, InvalidMove> {
        let from = self.status;
        let to = from.apply(action)?;
        match action {
            Move::Submit => self.submitted_at = Some(now),
            Move::RequestChanges => self.editor_message = message,
            Move::Accept | Move::Reject => {
                self.decided_at = Some(now);
                self.decision_note = message;
            }
            Move::Withdraw | Move::Edit => {}
        }
        self.status = to;
        self.touch(now);
        Ok(from)
    }

    /// Re-tags one accepted practice; answers the practice as it now is and
    /// what changed, in words for the trail.
    pub fn curate(
        &mut self,
        practice_id: &str,
        curation: Curation,
        now: DateTime<Utc>,
    ) -> Result<(Practice, String), CurationRefused> {
        let practice = self.accepted_practice(practice_id)?;
        let mut changed = Vec::new();
        if let Some(items) = curation.items {
            let numbers: Vec<String> = items.iter().map(|i| i.to_string()).collect();
            changed.push(format!("items: {}", numbers.join(", ")));
            practice.items = items;
        }
        if let Some(sectors) = curation.sectors {
            let names: Vec<&str> = sectors.iter().map(|s| s.as_str()).collect();
            changed.push(format!("sectors: {}", names.join(", ")));
            practice.sectors = sectors;
        }
        if let Some(note) = curation.editorial_note {
            changed.push("editorial note".to_owned());
            practice.editorial_note = note;
        }
        practice.updated_at = now;
        let practice = practice.clone();
        self.touch(now);
        Ok((practice, changed.join("; ")))
    }

    /// Notes that one accepted practice's translations changed: what
    /// readers see of it changed, so it and its submission are new
    /// versions. Answers the practice as it now is.
    pub fn retranslate(
        &mut self,
        practice_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Practice, CurationRefused> {
        let practice = self.accepted_practice(practice_id)?;
        practice.updated_at = now;
        let practice = practice.clone();
        self.touch(now);
        Ok(practice)
    }

    fn accepted_practice(&mut self, practice_id: &str) -> Result<&mut Practice, CurationRefused> {
        if self.status != Status::Accepted {
            return Err(CurationRefused::NotAccepted(self.status));
        }
        self.practices
            .iter_mut()
            .find(|p| p.id == practice_id)
            .ok_or(CurationRefused::NoSuchPractice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::submission::fixtures::{at, draft, practice};

    #[test]
    fn the_main_item_is_the_best_suggested_of_its_items_else_the_first() {
        let suggested = |item: u8| Suggestion {
            item,
            score: 1.0,
            reasons: Vec::new(),
            concepts: Vec::new(),
        };
        let mut p = practice("p1", "National CSIRT");
        p.items = vec![AnnexItem::new(4).unwrap(), AnnexItem::new(11).unwrap()];
        p.suggested = vec![suggested(2), suggested(11), suggested(4)];
        assert_eq!(p.main_item(), AnnexItem::new(11));
        p.suggested.clear();
        assert_eq!(p.main_item(), AnnexItem::new(4));
        p.items.clear();
        assert_eq!(p.main_item(), None);
    }

    #[test]
    fn every_change_is_a_new_version_at_its_time() {
        let mut submission = draft();
        submission
            .edit(
                Language::Fr,
                "Pratiques".into(),
                None,
                vec![practice("p2", "National CSIRT")],
                at(1),
            )
            .expect("a draft is editable");
        assert_eq!((submission.version, submission.updated_at), (2, at(1)));
        let left = submission
            .apply(Move::Submit, None, at(2))
            .expect("a draft is submitted");
        assert_eq!(left, Status::Draft);
        assert_eq!(submission.status, Status::Submitted);
        assert_eq!(
            (submission.version, submission.submitted_at),
            (3, Some(at(2)))
        );
    }

    #[test]
    fn a_decision_keeps_its_note_and_time_and_a_refused_move_changes_nothing() {
        let mut submission = draft();
        let before = submission.clone();
        assert!(submission
            .apply(Move::Accept, Some("ok".into()), at(1))
            .is_err());
        assert_eq!(submission, before);
        submission
            .apply(Move::Submit, None, at(1))
            .expect("submitted");
        submission
            .apply(Move::Accept, Some("Well documented".into()), at(2))
            .expect("accepted");
        assert_eq!(submission.decision_note.as_deref(), Some("Well documented"));
        assert_eq!(submission.decided_at, Some(at(2)));
        assert!(submission
            .edit(Language::En, "x".into(), None, Vec::new(), at(3))
            .is_err());
        assert_eq!(submission.version, 3);
    }

    #[test]
    fn only_accepted_practices_are_curated_and_the_trail_says_what_changed() {
        let mut submission = draft();
        let curation = || Curation {
            items: Some(vec![AnnexItem::new(2).expect("an item")]),
            sectors: None,
            editorial_note: Some(Some("Seen".into())),
        };
        assert_eq!(
            submission.curate("p1", curation(), at(1)).unwrap_err(),
            CurationRefused::NotAccepted(Status::Draft)
        );
        submission.status = Status::Accepted;
        assert_eq!(
            submission.curate("nope", curation(), at(1)).unwrap_err(),
            CurationRefused::NoSuchPractice
        );
        let (practice, changed) = submission.curate("p1", curation(), at(2)).expect("curated");
        assert_eq!(changed, "items: 2; editorial note");
        assert_eq!(practice.editorial_note.as_deref(), Some("Seen"));
        assert_eq!(submission.practices[0], practice);
        assert_eq!(submission.version, 2);
    }

    #[test]
    fn a_translation_changes_an_accepted_practice_and_only_one() {
        let mut submission = draft();
        assert_eq!(
            submission.retranslate("p1", at(1)).unwrap_err(),
            CurationRefused::NotAccepted(Status::Draft)
        );
        submission.status = Status::Accepted;
        assert_eq!(
            submission.retranslate("nope", at(1)).unwrap_err(),
            CurationRefused::NoSuchPractice
        );
        let practice = submission.retranslate("p1", at(3)).expect("noted");
        assert_eq!((practice.updated_at, submission.version), (at(3), 2));
        assert_eq!(practice.items, submission.practices[0].items);
    }
}
