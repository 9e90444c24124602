//! Compilations: what goes in one and in what order, as pure rules.
//!
//! A compilation gathers the accepted practices in its scope (acceptance
//! dates, annex sections, kinds of contributor), less those the editors
//! excluded. Each practice appears once, under the first of its annex items
//! that is in scope; entries run section → item → contributor (Member
//! States alphabetically, then observer States, then organisations) →
//! date of acceptance. A practice without any annex item cannot be placed:
//! it is left out and reported, so an editor can tag it first.

mod aggregate;

pub use aggregate::{Compilation, CompilationStatus};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::annex::{AnnexItem, SectionId};
use crate::domain::entities::{fold, EntityType};
use crate::domain::Language;
use crate::error::FieldError;

pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_INTRODUCTION_CHARS: usize = 20_000;
pub const MAX_EXCLUDED: usize = 10_000;

/// Which accepted practices a compilation gathers. Dates are of
/// acceptance, both ends included; empty lists mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Accepted on or after this day (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date, example = "2026-01-01")]
    pub from: Option<NaiveDate>,
    /// Accepted on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date, example = "2026-12-31")]
    pub to: Option<NaiveDate>,
    /// Annex sections, A to G; none means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<SectionId>, example = json!(["E", "F"]))]
    pub sections: Vec<SectionId>,
    /// Kinds of contributor; none means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entity_types: Vec<EntityType>,
}

impl Scope {
    /// The scope's own consistency; field paths start at `scope`.
    pub fn check(&self, errors: &mut Vec<FieldError>) {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                errors.push(FieldError::new(
                    "scope.to",
                    format!("ends ({to}) before the scope starts ({from})"),
                ));
            }
        }
    }

    fn admits_date(&self, accepted_at: DateTime<Utc>) -> bool {
        let day = accepted_at.date_naive();
        self.from.is_none_or(|from| day >= from) && self.to.is_none_or(|to| day <= to)
    }

    /// The item a practice is placed under: its first item in scope.
    pub fn placement(&self, items: &[AnnexItem]) -> Option<AnnexItem> {
        items
            .iter()
            .copied()
            .filter(|item| self.sections.is_empty() || self.sections.contains(&item.section()))
            .min()
    }

    /// The scope with its lists sorted and without repeats, as it is kept.
    pub fn normalized(mut self) -> Scope {
        self.sections.sort();
        self.sections.dedup();
        self.entity_types.sort_by_key(|t| contributor_rank(*t));
        self.entity_types.dedup();
        self
    }
}

/// A practice of the catalogue as a compilation cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub practice_id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// Every item it is tagged with: it is cited once under each.
    pub items: Vec<AnnexItem>,
    /// The reply it came in, and the version accepted: the citation.
    pub submission_id: String,
    pub submission_version: i64,
    /// Who sent it, named as the reference list names them.
    pub entity: String,
    pub entity_name: String,
    pub entity_type: EntityType,
    /// The language it was written in.
    pub language: Language,
    /// When the Secretariat received the reply, and when it was accepted.
    pub received_at: DateTime<Utc>,
    pub accepted_at: DateTime<Utc>,
}

/// A practice placed in a compilation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// 1, 2, 3… in the compilation's order.
    pub position: i64,
    /// The annex item it stands under.
    pub item: AnnexItem,
    #[serde(flatten)]
    pub source: Candidate,
}

impl Entry {
    pub fn section(&self) -> SectionId {
        self.item.section()
    }
}

/// The result of an assembly.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Assembly {
    pub entries: Vec<Entry>,
    /// Practices in scope that have no annex item to stand under.
    pub untagged: Vec<String>,
    /// The last catalogue change the candidates had seen (0: not known).
    pub through: i64,
}

impl Assembly {
    /// The assembly of candidates read after catalogue change `through`.
    pub fn as_of(self, through: i64) -> Assembly {
        Assembly { through, ..self }
    }
}

fn contributor_rank(entity_type: EntityType) -> u8 {
    match entity_type {
        EntityType::MemberState => 0,
        EntityType::ObserverState => 1,
        EntityType::RegionalOrg | EntityType::InternationalOrg => 2,
    }
}

/// Gathers and orders the entries of a compilation.
pub fn assemble(
    candidates: Vec<Candidate>,
    scope: &Scope,
    excluded: &BTreeSet<String>,
) -> Assembly {
    let mut untagged = Vec::new();
    let mut placed: Vec<(AnnexItem, String, Candidate)> = Vec::new();
    for candidate in candidates {
        if excluded.contains(&candidate.practice_id)
            || !scope.admits_date(candidate.accepted_at)
            || !(scope.entity_types.is_empty()
                || scope.entity_types.contains(&candidate.entity_type))
        {
            continue;
        }
        match scope.placement(&candidate.items) {
            Some(item) => placed.push((item, fold(&candidate.entity_name), candidate)),
            None if candidate.items.is_empty() && scope.sections.is_empty() => {
                untagged.push(candidate.practice_id)
            }
            None => {}
        }
    }
    placed.sort_by(|(item_a, name_a, a), (item_b, name_b, b)| {
        item_a
            .cmp(item_b)
            .then(contributor_rank(a.entity_type).cmp(&contributor_rank(b.entity_type)))
            .then_with(|| name_a.cmp(name_b))
            .then(a.entity.cmp(&b.entity))
            .then(a.accepted_at.cmp(&b.accepted_at))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.practice_id.cmp(&b.practice_id))
    });
    untagged.sort();
    Assembly {
        entries: placed
            .into_iter()
            .enumerate()
            .map(|(i, (item, _, source))| Entry {
                position: i as i64 + 1,
                item,
                source,
            })
            .collect(),
        untagged,
        through: 0,
    }
}

/// What a fresh assembly would change in a draft assembled earlier.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Drift {
    /// In scope now, not in the draft (accepted since, or re-tagged into scope).
    pub added: Vec<String>,
    /// In the draft, no longer in scope (re-tagged out, or out of the catalogue).
    pub removed: Vec<String>,
    /// In both, with other annex items or a newer version of the submission.
    pub changed: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares a draft's entries with what an assembly now gives.
pub fn drift(assembled: &[Entry], now: &[Entry]) -> Drift {
    let then: BTreeMap<&str, &Entry> = assembled
        .iter()
        .map(|e| (e.source.practice_id.as_str(), e))
        .collect();
    let current: BTreeMap<&str, &Entry> = now
        .iter()
        .map(|e| (e.source.practice_id.as_str(), e))
        .collect();
    let mut drift = Drift::default();
    for (id, entry) in &current {
        match then.get(id) {
            None => drift.added.push((*id).to_owned()),
            Some(old) => {
                if old.source.items != entry.source.items
                    || old.item != entry.item
                    || old.source.submission_version != entry.source.submission_version
                {
                    drift.changed.push((*id).to_owned());
                }
            }
        }
    }
    drift.removed = then
        .keys()
        .filter(|id| !current.contains_key(*id))
        .map(|id| (*id).to_owned())
        .collect();
    drift
}

/// A published edition's number: the year of publication and its rank
/// among that year's editions, written `2027/1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EditionNumber {
    pub year: i32,
    pub rank: i64,
}

impl EditionNumber {
    /// The number after the year's highest so far (none: the first).
    pub fn next(published_at: DateTime<Utc>, highest_of_year: Option<i64>) -> EditionNumber {
        EditionNumber {
            year: published_at.year(),
            rank: highest_of_year.unwrap_or(0) + 1,
        }
    }
}

impl fmt::Display for EditionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.year, self.rank)
    }
}

/// The entries of one annex item.
pub type ItemGroup<'a> = (AnnexItem, Vec<&'a Entry>);
/// The items of one section that have entries.
pub type SectionGroup<'a> = (SectionId, Vec<ItemGroup<'a>>);

/// The entries grouped for a table of contents: section → item → entries.
pub fn grouped(entries: &[Entry]) -> Vec<SectionGroup<'_>> {
    let mut sections: Vec<SectionGroup<'_>> = Vec::new();
    for entry in entries {
        let section = entry.section();
        if sections.last().is_none_or(|(s, _)| *s != section) {
            sections.push((section, Vec::new()));
        }
        let Some((_, items)) = sections.last_mut() else {
            continue;
        };
        if items.last().is_none_or(|(i, _)| *i != entry.item) {
            items.push((entry.item, Vec::new()));
        }
        if let Some((_, list)) = items.last_mut() {
            list.push(entry);
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn item(n: u8) -> AnnexItem {
        AnnexItem::new(n).unwrap()
    }

    fn candidate(
        id: &str,
        entity: &str,
        name: &str,
        kind: EntityType,
        items: &[u8],
        day: u32,
    ) -> Candidate {
        let at = Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap();
        Candidate {
            practice_id: id.to_owned(),
            title: format!("Practice {id}"),
            body: "Body".to_owned(),
            items: items.iter().map(|&n| item(n)).collect(),
            submission_id: format!("s-{id}"),
            submission_version: 1,
            entity: entity.to_owned(),
            entity_name: name.to_owned(),
            entity_type: kind,
            language: Language::En,
            received_at: at,
            accepted_at: at,
        }
    }

    fn ids(assembly: &Assembly) -> Vec<&str> {
        assembly
            .entries
            .iter()
            .map(|e| e.source.practice_id.as_str())
            .collect()
    }

    fn sample() -> Vec<Candidate> {
        vec![
            candidate(
                "itu",
                "ITU",
                "International Telecommunication Union",
                EntityType::InternationalOrg,
                &[11],
                1,
            ),
            candidate("zmb", "ZMB", "Zambia", EntityType::MemberState, &[11], 2),
            candidate(
                "aut",
                "AUT",
                "Austria",
                EntityType::MemberState,
                &[11, 4],
                3,
            ),
            candidate("alb", "ALB", "Albania", EntityType::MemberState, &[13], 4),
            candidate(
                "vat",
                "VAT",
                "Holy See",
                EntityType::ObserverState,
                &[11],
                5,
            ),
            candidate(
                "cot",
                "CIV",
                "Côte d’Ivoire",
                EntityType::MemberState,
                &[11],
                6,
            ),
            candidate("none", "FRA", "France", EntityType::MemberState, &[], 7),
        ]
    }

    #[test]
    fn entries_run_section_item_then_member_states_observers_organisations() {
        let assembly = assemble(sample(), &Scope::default(), &BTreeSet::new());
        // Austria's practice stands under its first item, 4 (section A).
        assert_eq!(ids(&assembly), ["aut", "cot", "zmb", "vat", "itu", "alb"]);
        assert_eq!(assembly.entries[0].item, item(4));
        assert_eq!(
            assembly
                .entries
                .iter()
                .map(|e| e.position)
                .collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
        assert_eq!(assembly.untagged, ["none"]);
    }

    #[test]
    fn scope_limits_dates_sections_and_contributors() {
        let scope = Scope {
            from: NaiveDate::from_ymd_opt(2026, 3, 2),
            to: NaiveDate::from_ymd_opt(2026, 3, 5),
            sections: vec![SectionId::E],
            entity_types: vec![],
        };
        // Austria is placed under 11 now: its item 4 is out of scope.
        let assembly = assemble(sample(), &scope, &BTreeSet::new());
        assert_eq!(ids(&assembly), ["aut", "zmb", "vat"]);
        assert_eq!(assembly.entries[0].item, item(11));
        assert!(
            assembly.untagged.is_empty(),
            "a section scope says nothing of untagged practices"
        );

        let scope = Scope {
            entity_types: vec![EntityType::InternationalOrg, EntityType::RegionalOrg],
            ..Scope::default()
        };
        assert_eq!(ids(&assemble(sample(), &scope, &BTreeSet::new())), ["itu"]);
    }

    #[test]
    fn excluded_practices_are_left_out() {
        let excluded: BTreeSet<String> = ["zmb".to_owned(), "itu".to_owned()].into();
        let assembly = assemble(sample(), &Scope::default(), &excluded);
        assert_eq!(ids(&assembly), ["aut", "cot", "vat", "alb"]);
    }

    #[test]
    fn a_scope_that_ends_before_it_starts_is_refused() {
        let mut errors = Vec::new();
        Scope {
            from: NaiveDate::from_ymd_opt(2026, 5, 1),
            to: NaiveDate::from_ymd_opt(2026, 4, 1),
            ..Scope::default()
        }
        .check(&mut errors);
        assert_eq!(errors[0].field, "scope.to");
    }

    #[test]
    fn drift_names_what_was_added_removed_and_retagged() {
        let before = assemble(sample(), &Scope::default(), &BTreeSet::new());
        let mut later = sample();
        later.retain(|c| c.practice_id != "zmb");
        later[0].items = vec![item(12)];
        later.push(candidate(
            "new",
            "KEN",
            "Kenya",
            EntityType::MemberState,
            &[18],
            9,
        ));
        let after = assemble(later, &Scope::default(), &BTreeSet::new());
        let drift = drift(&before.entries, &after.entries);
        assert_eq!(drift.added, ["new"]);
        assert_eq!(drift.removed, ["zmb"]);
        assert_eq!(drift.changed, ["itu"]);
        let same = super::drift(&after.entries, &after.entries);
        assert!(same.is_empty());
    }

    #[test]
    fn editions_count_up_within_a_year() {
        let at = Utc.with_ymd_and_hms(2027, 1, 5, 0, 0, 0).unwrap();
        assert_eq!(EditionNumber::next(at, None).to_string(), "2027/1");
        assert_eq!(EditionNumber::next(at, Some(4)).to_string(), "2027/5");
    }

    #[test]
    fn entries_group_by_section_and_item() {
        let assembly = assemble(sample(), &Scope::default(), &BTreeSet::new());
        let groups = grouped(&assembly.entries);
        let shape: Vec<(SectionId, Vec<(u8, usize)>)> = groups
            .iter()
            .map(|(s, items)| {
                (
                    *s,
                    items.iter().map(|(i, e)| (i.number(), e.len())).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (SectionId::A, vec![(4, 1)]),
                (SectionId::E, vec![(11, 4)]),
                (SectionId::F, vec![(13, 1)])
            ]
        );
    }
}
