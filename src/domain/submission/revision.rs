//! Revisions: how a focal point corrects a submission that is already in
//! the catalogue. A revision is a submission of its own (a draft that
//! follows the whole workflow) whose practices name the published practice
//! each one corrects; the accepted submission stays public, unchanged,
//! until the revision is accepted. Then the original adopts it: each
//! published practice takes its correction in place (same id, so links,
//! citations and harvesters keep following it), new practices join, and
//! the published practices the revision dropped leave the catalogue.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{Practice, Submission};
use crate::domain::workflow::Status;
use crate::error::FieldError;

/// Why a revision cannot be opened or adopted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionRefused {
    /// Only an accepted submission is revised; this one is in this status.
    NotAccepted(Status),
    /// This submission is itself a revision (of that one): revise that.
    IsARevision(String),
    /// Every practice of the submission was withdrawn: nothing to correct.
    NothingPublished,
    /// The revision corrects a practice that has left the catalogue since.
    ReplacedGone(String),
}

impl RevisionRefused {
    /// The refusal as the caller reads it (a 409: the states do not fit).
    pub fn explain(&self, id: &str) -> String {
        match self {
            RevisionRefused::NotAccepted(status) => format!(
                "submission {id} is {status}: only an accepted submission is revised (edit a draft or one returned for changes)"
            ),
            RevisionRefused::IsARevision(original) => format!(
                "submission {id} is a revision of {original}: open a revision of {original} instead"
            ),
            RevisionRefused::NothingPublished => format!(
                "every practice of submission {id} was withdrawn from the catalogue: send a new submission instead"
            ),
            RevisionRefused::ReplacedGone(practice) => format!(
                "the revision corrects practice {practice}, which has left the catalogue since: request changes so that the focal point drops it"
            ),
        }
    }
}

/// The shape of a practice id, as the API document states it: a UUID,
/// hyphenated (8-4-4-4-12 hexadecimal digits).
pub const PRACTICE_ID_PATTERN: &str =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

fn is_practice_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks the form of a `replaces` reference: a practice id, exactly as
/// [`PRACTICE_ID_PATTERN`] says. Whether it names a practice the revision
/// may correct is [`check_replaces`]'s to say, with the database's answer.
pub fn practice_reference(
    field: &str,
    given: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let given = given?;
    if !is_practice_id(given) {
        errors.push(FieldError::new(
            field,
            "is not a practice id: send the id of the published practice this one corrects",
        ));
        return None;
    }
    Some(given.to_ascii_lowercase())
}

/// The rules on `replaces`, given each practice's in order: only a
/// revision's practices name one (`published` is `None` for any other
/// submission), each a practice the original still has in the catalogue,
/// and each at most once.
pub fn check_replaces<'a>(
    replaces: impl IntoIterator<Item = Option<&'a str>>,
    published: Option<&HashSet<String>>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (index, replaced) in replaces.into_iter().enumerate() {
        let Some(replaced) = replaced else {
            continue;
        };
        let field = format!("practices[{index}].replaces");
        match published {
            None => errors.push(FieldError::new(
                field,
                "only the practices of a revision replace a published practice: leave it out",
            )),
            Some(published) if !published.contains(replaced) => errors.push(FieldError::new(
                field,
                format!(
                    "{replaced} is not a practice of the revised submission that is in the catalogue"
                ),
            )),
            Some(_) if !seen.insert(replaced) => errors.push(FieldError::new(
                field,
                format!("{replaced} is corrected by an earlier practice already"),
            )),
            Some(_) => {}
        }
    }
    errors
}

/// The draft that opens a revision of `original`: its content as published,
/// each live practice copied with a reference to the one it will correct.
/// `live` says which practices are still in the catalogue; `new_id` makes
/// the ids (the revision's, then one per practice).
pub fn open(
    original: &Submission,
    live: &HashSet<String>,
    mut new_id: impl FnMut() -> String,
    created_by: Option<String>,
    now: DateTime<Utc>,
) -> Result<Submission, RevisionRefused> {
    if let Some(revised) = &original.revises {
        return Err(RevisionRefused::IsARevision(revised.clone()));
    }
    if original.status != Status::Accepted {
        return Err(RevisionRefused::NotAccepted(original.status));
    }
    let id = new_id();
    let practices: Vec<Practice> = original
        .practices
        .iter()
        .filter(|p| live.contains(&p.id))
        .map(|p| Practice {
            id: new_id(),
            submission_id: id.clone(),
            title: p.title.clone(),
            body: p.body.clone(),
            items: p.items.clone(),
            sectors: p.sectors.clone(),
            editorial_note: None,
            updated_at: now,
            suggested: p.suggested.clone(),
            replaces: Some(p.id.clone()),
        })
        .collect();
    if practices.is_empty() {
        return Err(RevisionRefused::NothingPublished);
    }
    Ok(Submission {
        title: original.title.clone(),
        summary: original.summary.clone(),
        revises: Some(original.id.clone()),
        practices,
        ..Submission::draft(
            id,
            original.entity.clone(),
            original.language,
            created_by,
            now,
        )
    })
}

/// What adopting a revision changed in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    /// Published practices corrected in place, and new ones: to index.
    pub changed: Vec<String>,
    /// Published practices the revision dropped: to take out.
    pub removed: Vec<String>,
}

impl Submission {
    /// Takes the accepted `revision`'s content: title, summary, language,
    /// and its practices in its order, each correcting the published one it
    /// names in place (keeping that practice's id and editorial note) or
    /// joining as new under an id from `new_id`. `live` says which of this
    /// submission's practices are in the catalogue; those the revision does
    /// not name are answered as removed. One new version.
    pub fn adopt(
        &mut self,
        revision: &Submission,
        live: &HashSet<String>,
        mut new_id: impl FnMut() -> String,
        now: DateTime<Utc>,
    ) -> Result<Adopted, RevisionRefused> {
        if self.status != Status::Accepted {
            return Err(RevisionRefused::NotAccepted(self.status));
        }
        if let Some(gone) = revision
            .practices
            .iter()
            .filter_map(|p| p.replaces.as_ref())
            .find(|replaced| !live.contains(*replaced))
        {
            return Err(RevisionRefused::ReplacedGone(gone.clone()));
        }
        let mut before: Vec<Practice> = std::mem::take(&mut self.practices);
        let mut changed = Vec::with_capacity(revision.practices.len());
        for corrected in &revision.practices {
            let kept = corrected
                .replaces
                .as_ref()
                .and_then(|replaced| before.iter().position(|p| p.id == *replaced))
                .map(|at| before.remove(at));
            let practice = Practice {
                id: kept.as_ref().map_or_else(&mut new_id, |p| p.id.clone()),
                submission_id: self.id.clone(),
                title: corrected.title.clone(),
                body: corrected.body.clone(),
                items: corrected.items.clone(),
                sectors: corrected.sectors.clone(),
                editorial_note: kept.and_then(|p| p.editorial_note),
                updated_at: now,
                suggested: corrected.suggested.clone(),
                replaces: None,
            };
            changed.push(practice.id.clone());
            self.practices.push(practice);
        }
        // What the revision left out stays with the submission (its
        // history, its withdrawal notice), after the practices it keeps.
        let removed = before
            .iter()
            .filter(|p| live.contains(&p.id))
            .map(|p| p.id.clone())
            .collect();
        self.practices.extend(before);
        self.language = revision.language;
        self.title = revision.title.clone();
        self.summary = revision.summary.clone();
        self.touch(now);
        Ok(Adopted { changed, removed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    use crate::domain::submission::fixtures::{at, draft, practice};

    fn accepted() -> Submission {
        let mut with_note = practice("p1", "CSIRT");
        with_note.editorial_note = Some("Exemplary".to_owned());
        Submission {
            status: Status::Accepted,
            version: 3,
            submitted_at: Some(at(0)),
            decided_at: Some(at(0)),
            practices: vec![
                with_note,
                practice("p2", "Exercises"),
                practice("p3", "Withdrawn"),
            ],
            ..draft()
        }
    }

    fn live(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|id| (*id).to_owned()).collect()
    }

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("n{n}")
        }
    }

    #[test]
    fn a_revision_opens_as_a_draft_copy_of_what_is_published() {
        let original = accepted();
        let revision = open(&original, &live(&["p1", "p2"]), ids(), None, at(5))
            .expect("an accepted submission is revised");
        assert_eq!(revision.id, "n1");
        assert_eq!(revision.status, Status::Draft);
        assert_eq!(revision.version, 1);
        assert_eq!(revision.revises.as_deref(), Some("s1"));
        let copied: Vec<(&str, Option<&str>, &str)> = revision
            .practices
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.replaces.as_deref(),
                    p.submission_id.as_str(),
                )
            })
            .collect();
        assert_eq!(
            copied,
            vec![("n2", Some("p1"), "n1"), ("n3", Some("p2"), "n1")]
        );
        // The Secretariat's note belongs to the published practice.
        assert_eq!(revision.practices[0].editorial_note, None);
    }

    #[test]
    fn only_an_accepted_original_with_something_published_is_revised() {
        let mut draft = accepted();
        draft.status = Status::Submitted;
        assert_eq!(
            open(&draft, &live(&["p1"]), ids(), None, at(1)),
            Err(RevisionRefused::NotAccepted(Status::Submitted))
        );
        let mut revision = accepted();
        revision.revises = Some("s0".to_owned());
        assert_eq!(
            open(&revision, &live(&["p1"]), ids(), None, at(1)),
            Err(RevisionRefused::IsARevision("s0".to_owned()))
        );
        assert_eq!(
            open(&accepted(), &live(&[]), ids(), None, at(1)),
            Err(RevisionRefused::NothingPublished)
        );
    }

    #[test]
    fn adopting_corrects_in_place_adds_the_new_and_removes_the_dropped() {
        let mut original = accepted();
        let mut revision =
            open(&original, &live(&["p1", "p2"]), ids(), None, at(1)).expect("opened");
        revision.title = "Practices, corrected".to_owned();
        revision.language = Language::Fr;
        // The focal point corrects p1, drops p2 and adds a practice.
        revision.practices.truncate(1);
        revision.practices[0].title = "CSIRT, corrected".to_owned();
        let mut added = practice("r9", "New practice");
        added.submission_id = revision.id.clone();
        revision.practices.push(added);
        let adopted = original
            .adopt(&revision, &live(&["p1", "p2"]), ids(), at(9))
            .expect("adopted");
        assert_eq!(
            adopted,
            Adopted {
                changed: vec!["p1".to_owned(), "n1".to_owned()],
                removed: vec!["p2".to_owned()],
            }
        );
        let order: Vec<&str> = original.practices.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, vec!["p1", "n1", "p2", "p3"]);
        assert_eq!(original.practices[0].title, "CSIRT, corrected");
        assert_eq!(
            original.practices[0].editorial_note.as_deref(),
            Some("Exemplary")
        );
        assert!(original.practices[..2]
            .iter()
            .all(|p| p.submission_id == "s1" && p.replaces.is_none()));
        assert_eq!(
            (original.title.as_str(), original.language),
            ("Practices, corrected", Language::Fr)
        );
        assert_eq!((original.version, original.updated_at), (4, at(9)));
        assert_eq!(original.status, Status::Accepted);
    }

    #[test]
    fn a_correction_of_a_practice_withdrawn_meanwhile_is_refused_unchanged() {
        let mut original = accepted();
        let revision = open(&original, &live(&["p1", "p2"]), ids(), None, at(1)).expect("opened");
        let before = original.clone();
        assert_eq!(
            original.adopt(&revision, &live(&["p1"]), ids(), at(2)),
            Err(RevisionRefused::ReplacedGone("p2".to_owned()))
        );
        assert_eq!(original, before);
    }

    #[test]
    fn replaces_is_for_revisions_names_a_published_practice_and_each_once() {
        let fields = |errors: Vec<FieldError>| -> Vec<String> {
            errors.into_iter().map(|e| e.field).collect()
        };
        let practices = [None, Some("p1")];
        assert_eq!(
            fields(check_replaces(practices, None)),
            vec!["practices[1].replaces"]
        );
        assert!(check_replaces(practices, Some(&live(&["p1"]))).is_empty());
        let twice = [Some("p1"), Some("p1"), Some("p7")];
        assert_eq!(
            fields(check_replaces(twice, Some(&live(&["p1"])))),
            vec!["practices[1].replaces", "practices[2].replaces"]
        );
        let mut errors = Vec::new();
        assert_eq!(
            practice_reference("r", Some("not-an-id"), &mut errors),
            None
        );
        assert_eq!(errors.len(), 1);
        for odd in [
            " 0190a2b4-7c6d-7e8f-9a0b-1c2d3e4f5a6b",
            "0190a2b47c6d7e8f9a0b1c2d3e4f5a6b",
        ] {
            assert_eq!(practice_reference("r", Some(odd), &mut errors), None);
        }
        assert_eq!(errors.len(), 3);
        let id = "0190A2B4-7C6D-7E8F-9A0B-1C2D3E4F5A6B";
        assert_eq!(
            practice_reference("r", Some(id), &mut errors).as_deref(),
            Some(id.to_ascii_lowercase().as_str())
        );
    }
}
