//! The annex of resolution 64/211: 7 sections (A–G) and 18 items, with short
//! titles and one-sentence summaries in the six UN languages. The text lives
//! in `annex.json` beside this file; it is compiled in and checked by the
//! tests below, so a running service can rely on it being whole.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use crate::domain::language::Translations;

/// The day the General Assembly adopted resolution 64/211 (21 December
/// 2009): nothing in the catalogue can be older, so it bounds every date
/// a feed or a harvester is told when there is nothing yet.
pub fn adopted() -> chrono::DateTime<chrono::Utc> {
    chrono::NaiveDate::from_ymd_opt(2009, 12, 21)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc())
        .unwrap_or_default()
}

/// An item of the annex: a number from 1 to 18, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct AnnexItem(u8);

impl utoipa::PartialSchema for AnnexItem {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(AnnexItem::FIRST))
            .maximum(Some(AnnexItem::LAST))
            .description(Some("An item of the annex, 1 to 18"))
            .into()
    }
}

impl utoipa::ToSchema for AnnexItem {}

/// Item numbers, each at most once, for `#[schema(schema_with)]`.
pub fn item_list_schema() -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(<AnnexItem as utoipa::PartialSchema>::schema())
        .unique_items(true)
}

impl AnnexItem {
    pub const FIRST: u8 = 1;
    pub const LAST: u8 = 18;

    pub fn new(number: u8) -> Option<Self> {
        (Self::FIRST..=Self::LAST)
            .contains(&number)
            .then_some(AnnexItem(number))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn all() -> impl Iterator<Item = AnnexItem> {
        (Self::FIRST..=Self::LAST).map(AnnexItem)
    }

    /// The section the item belongs to, as the annex groups them.
    pub fn section(self) -> SectionId {
        match self.0 {
            1..=4 => SectionId::A,
            5 => SectionId::B,
            6..=7 => SectionId::C,
            8..=9 => SectionId::D,
            10..=12 => SectionId::E,
            13..=17 => SectionId::F,
            _ => SectionId::G,
        }
    }
}

impl<'de> Deserialize<'de> for AnnexItem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = u8::deserialize(deserializer)?;
        AnnexItem::new(number).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "annex item {number} does not exist: items are numbered 1 to 18"
            ))
        })
    }
}

impl fmt::Display for AnnexItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A section of the annex, A to G.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum SectionId {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
}

impl SectionId {
    pub const ALL: [SectionId; 7] = [
        SectionId::A,
        SectionId::B,
        SectionId::C,
        SectionId::D,
        SectionId::E,
        SectionId::F,
        SectionId::G,
    ];

    pub fn letter(self) -> &'static str {
        match self {
            SectionId::A => "A",
            SectionId::B => "B",
            SectionId::C => "C",
            SectionId::D => "D",
            SectionId::E => "E",
            SectionId::F => "F",
            SectionId::G => "G",
        }
    }
}

named_in_text!(SectionId by letter in any case, else UnknownSection(
    "unknown annex section '{0}': sections are A to G"
));

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: SectionId,
    pub title: Translations,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub number: AnnexItem,
    pub title: Translations,
    pub summary: Translations,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annex {
    #[serde(rename = "_comment")]
    _comment: String,
    pub sections: Vec<Section>,
}

impl Annex {
    pub fn item(&self, item: AnnexItem) -> &Item {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .find(|i| i.number == item)
            .expect("annex.json holds every item 1-18 (checked by annex::tests)")
    }

    pub fn section(&self, id: SectionId) -> &Section {
        self.sections
            .iter()
            .find(|s| s.id == id)
            .expect("annex.json holds every section A-G (checked by annex::tests)")
    }
}

/// The annex, parsed once from the compiled-in data file.
pub fn annex() -> &'static Annex {
    static ANNEX: OnceLock<Annex> = OnceLock::new();
    parsed_once(&ANNEX, include_str!("annex.json"))
}

/// The annex's full text, as the self-assessment form shows it: its
/// title, each section's heading and each item's text, in the six
/// languages (`annex_text.json`, compiled in and checked below).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullText {
    #[serde(rename = "_comment")]
    _comment: String,
    pub title: Translations,
    sections: Vec<SectionHeading>,
    items: Vec<ItemText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionHeading {
    id: SectionId,
    heading: Translations,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemText {
    number: AnnexItem,
    text: Translations,
}

impl FullText {
    pub fn heading(&self, id: SectionId) -> &Translations {
        self.sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| &s.heading)
            .expect("annex_text.json heads every section A-G (checked by annex::tests)")
    }

    /// An item's full text; a list in it is a line per entry, each
    /// beginning with "• ".
    pub fn item(&self, item: AnnexItem) -> &Translations {
        self.items
            .iter()
            .find(|i| i.number == item)
            .map(|i| &i.text)
            .expect("annex_text.json holds every item 1-18 (checked by annex::tests)")
    }
}

/// The annex's full text, parsed once from the compiled-in data file.
pub fn full_text() -> &'static FullText {
    static TEXT: OnceLock<FullText> = OnceLock::new();
    parsed_once(&TEXT, include_str!("annex_text.json"))
}

/// A compiled-in data file of this folder, parsed on first use; the tests
/// below parse both, so the `expect` cannot fire in a build that passed.
fn parsed_once<T: serde::de::DeserializeOwned>(
    cell: &'static OnceLock<T>,
    json: &str,
) -> &'static T {
    cell.get_or_init(|| {
        serde_json::from_str(json)
            .expect("the annex's data files are valid (checked by annex::tests)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    #[test]
    fn the_full_text_has_every_section_and_item_in_all_six_languages() {
        let text = full_text();
        let sections: Vec<SectionId> = text.sections.iter().map(|s| s.id).collect();
        assert_eq!(sections, SectionId::ALL);
        let items: Vec<u8> = text.items.iter().map(|i| i.number.number()).collect();
        assert_eq!(items, (1..=18).collect::<Vec<_>>());
        for language in Language::ALL {
            assert!(!text.title.get(language).trim().is_empty());
            for id in SectionId::ALL {
                assert!(!text.heading(id).get(language).trim().is_empty());
            }
            for item in AnnexItem::all() {
                let full = text.item(item).get(language);
                let title = annex().item(item).title.get(language);
                assert!(
                    full.chars().count() > title.chars().count(),
                    "{item} {language}"
                );
            }
        }
        // The English is the resolution's own.
        let eleven = text.item(AnnexItem::new(11).unwrap()).get(Language::En);
        assert!(eleven.starts_with(
            "Separately, identify national-level computer incident response capacity"
        ));
    }

    #[test]
    fn the_data_file_has_seven_sections_and_eighteen_items_in_order() {
        let annex = annex();
        let ids: Vec<_> = annex.sections.iter().map(|s| s.id).collect();
        assert_eq!(ids, SectionId::ALL);
        let numbers: Vec<u8> = annex
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.number.number()))
            .collect();
        assert_eq!(numbers, (1..=18).collect::<Vec<_>>());
    }

    #[test]
    fn every_item_sits_in_the_section_the_resolution_gives_it() {
        for section in &annex().sections {
            for item in &section.items {
                assert_eq!(item.number.section(), section.id, "item {}", item.number);
            }
        }
    }

    #[test]
    fn every_text_exists_in_all_six_languages() {
        for section in &annex().sections {
            for language in Language::ALL {
                assert!(!section.title.get(language).trim().is_empty());
            }
            for item in &section.items {
                for language in Language::ALL {
                    assert!(!item.title.get(language).trim().is_empty());
                    let summary = item.summary.get(language);
                    assert!(summary.len() > item.title.get(language).len());
                }
            }
        }
    }

    #[test]
    fn items_outside_one_to_eighteen_do_not_exist() {
        assert!(AnnexItem::new(0).is_none());
        assert!(AnnexItem::new(19).is_none());
        assert_eq!(AnnexItem::all().count(), 18);
        assert!(serde_json::from_str::<AnnexItem>("19").is_err());
        assert_eq!(
            serde_json::from_str::<AnnexItem>("11").unwrap(),
            AnnexItem::new(11).unwrap()
        );
    }

    #[test]
    fn sections_parse_from_their_letter() {
        assert_eq!("e".parse::<SectionId>(), Ok(SectionId::E));
        assert!("H".parse::<SectionId>().is_err());
        assert_eq!(
            annex().item(AnnexItem::new(11).unwrap()).number.section(),
            SectionId::E
        );
    }
}
