//! What a harvester of the catalogue (OAI-PMH) selects: the sets, in the
//! protocol's hierarchy (a colon descends): `section` and its
//! `section:A`…`section:G`, `item` and its `item:1`…`item:18`, `type` and
//! its `type:member_state`…, a parent holding every record of its
//! children; and the span of time its records last changed in.

use chrono::{DateTime, Utc};

use crate::domain::annex::{annex, AnnexItem, SectionId};
use crate::domain::entities::EntityType;
use crate::domain::Language;

/// Which part of the catalogue a harvest selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Records changed at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Records changed before this time (the protocol's inclusive `until`
    /// made exclusive: the end of its second, or of its day).
    pub until_before: Option<DateTime<Utc>>,
    pub set: Option<HarvestSet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HarvestSet {
    Sections,
    Section(SectionId),
    Items,
    Item(AnnexItem),
    Types,
    Type(EntityType),
}

impl HarvestSet {
    /// Every set, parents before their children: what ListSets answers.
    pub fn all() -> Vec<HarvestSet> {
        let mut sets = vec![HarvestSet::Sections];
        sets.extend(SectionId::ALL.map(HarvestSet::Section));
        sets.push(HarvestSet::Items);
        sets.extend(AnnexItem::all().map(HarvestSet::Item));
        sets.push(HarvestSet::Types);
        sets.extend(EntityType::ALL.map(HarvestSet::Type));
        sets
    }

    pub fn parse(spec: &str) -> Option<HarvestSet> {
        match spec.split_once(':') {
            None => match spec {
                "section" => Some(HarvestSet::Sections),
                "item" => Some(HarvestSet::Items),
                "type" => Some(HarvestSet::Types),
                _ => None,
            },
            Some(("section", letter)) if letter.len() == 1 && letter == letter.to_uppercase() => {
                letter.parse().ok().map(HarvestSet::Section)
            }
            Some(("item", number)) if !number.starts_with('0') => number
                .parse::<u8>()
                .ok()
                .and_then(AnnexItem::new)
                .map(HarvestSet::Item),
            Some(("type", kind)) => kind.parse().ok().map(HarvestSet::Type),
            _ => None,
        }
    }

    pub fn spec(self) -> String {
        match self {
            HarvestSet::Sections => "section".to_owned(),
            HarvestSet::Section(id) => format!("section:{}", id.letter()),
            HarvestSet::Items => "item".to_owned(),
            HarvestSet::Item(item) => format!("item:{}", item.number()),
            HarvestSet::Types => "type".to_owned(),
            HarvestSet::Type(kind) => format!("type:{}", kind.as_str()),
        }
    }

    /// The set's name, in English: the annex's own titles for sections
    /// and items.
    pub fn name(self) -> String {
        let en = Language::En;
        match self {
            HarvestSet::Sections => "Sections of the annex to resolution 64/211".to_owned(),
            HarvestSet::Section(id) => format!(
                "Section {}: {}",
                id.letter(),
                annex().section(id).title.get(en)
            ),
            HarvestSet::Items => "Items of the annex to resolution 64/211".to_owned(),
            HarvestSet::Item(item) => format!(
                "Item {}: {}",
                item.number(),
                annex().item(item).title.get(en)
            ),
            HarvestSet::Types => "Kinds of contributor".to_owned(),
            HarvestSet::Type(kind) => match kind {
                EntityType::MemberState => "Member States",
                EntityType::ObserverState => "Observer States",
                EntityType::RegionalOrg => "Regional organizations",
                EntityType::InternationalOrg => "International organizations",
            }
            .to_owned(),
        }
    }

    /// Whether the set holds the records of `set`: itself, or one of its
    /// children.
    pub fn includes(self, set: HarvestSet) -> bool {
        matches!(
            (self, set),
            (HarvestSet::Sections, HarvestSet::Section(_))
                | (HarvestSet::Items, HarvestSet::Item(_))
                | (HarvestSet::Types, HarvestSet::Type(_))
        ) || self == set
    }

    /// The most specific sets such a practice belongs to, as its record's
    /// header lists them.
    pub fn of(items: &[AnnexItem], kind: Option<EntityType>) -> Vec<HarvestSet> {
        let mut sets: Vec<HarvestSet> = SectionId::ALL
            .into_iter()
            .filter(|&id| items.iter().any(|item| item.section() == id))
            .map(HarvestSet::Section)
            .collect();
        let mut sorted = items.to_vec();
        sorted.sort();
        sorted.dedup();
        sets.extend(sorted.into_iter().map(HarvestSet::Item));
        sets.extend(kind.map(HarvestSet::Type));
        sets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: u8) -> AnnexItem {
        AnnexItem::new(n).expect("an item of the annex")
    }

    #[test]
    fn every_spec_reads_back_as_its_set() {
        let all = HarvestSet::all();
        assert_eq!(all.len(), 3 + 7 + 18 + 4);
        for set in all {
            assert_eq!(HarvestSet::parse(&set.spec()), Some(set), "{}", set.spec());
            assert!(!set.name().is_empty());
        }
    }

    #[test]
    fn specs_are_exact() {
        for spec in [
            "",
            "section:",
            "section:a",
            "section:H",
            "item:0",
            "item:19",
            "item:01",
            "type:state",
            "sections",
            "item:1:x",
        ] {
            assert_eq!(HarvestSet::parse(spec), None, "{spec}");
        }
    }

    #[test]
    fn parents_hold_what_their_children_hold() {
        let items = [item(1), item(7)];
        let kind = Some(EntityType::MemberState);
        let sets = HarvestSet::of(&items, kind);
        let specs: Vec<String> = sets.iter().map(|s| s.spec()).collect();
        assert_eq!(
            specs,
            [
                "section:A",
                "section:C",
                "item:1",
                "item:7",
                "type:member_state"
            ]
        );
        let includes = |spec: &str| {
            let set = HarvestSet::parse(spec).expect("a set");
            sets.iter().any(|&of| set.includes(of))
        };
        for spec in [
            "section",
            "section:A",
            "section:C",
            "item",
            "item:7",
            "type",
            "type:member_state",
        ] {
            assert!(includes(spec), "{spec}");
        }
        for spec in ["section:B", "item:2", "type:regional_org"] {
            assert!(!includes(spec), "{spec}");
        }
    }
}
