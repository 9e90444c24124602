//! Small integer codes for the categorical fields of the index: facets
//! count into fixed arrays of [`CODES`] slots instead of hashing strings.

use crate::domain::annex::SectionId;
use crate::domain::entities::{EntityType, Region, RegionalGroup};
use crate::domain::submission::Sector;
use crate::domain::Language;

/// Every code is below this.
pub const CODES: usize = 256;
/// Years are stored as offsets from 1900, to fit [`CODES`].
const YEAR_BASE: i32 = 1900;

pub fn position<T: PartialEq>(all: &[T], value: &T) -> u64 {
    all.iter().position(|v| v == value).unwrap_or(0) as u64
}

pub fn language(l: Language) -> u64 {
    position(&Language::ALL, &l)
}
pub fn entity_type(t: EntityType) -> u64 {
    position(&EntityType::ALL, &t)
}
pub fn region(r: Region) -> u64 {
    position(&Region::ALL, &r)
}
pub fn regional_group(g: RegionalGroup) -> u64 {
    position(&RegionalGroup::ALL, &g)
}
pub fn section(s: SectionId) -> u64 {
    position(&SectionId::ALL, &s)
}
pub fn sector(s: Sector) -> u64 {
    position(&Sector::ALL, &s)
}

/// The code of a year; years outside 1900–2155 share the edge codes.
pub fn year(year: i32) -> u64 {
    (year - YEAR_BASE).clamp(0, CODES as i32 - 1) as u64
}

pub fn year_of(code: u64) -> i32 {
    code as i32 + YEAR_BASE
}

/// Every facet value of a document packed in one number, so that counting
/// facets reads one dense column per document instead of six sparse or
/// multi-valued ones (which took half the time of a broad search):
/// bits 0–6 sections, 7–24 items 1–18, 25–27 entity type, 28–30 region
/// (0 for none, else code + 1), 31–33 language, 34–41 year.
pub mod pack {
    pub const SECTIONS: u32 = 0;
    pub const ITEMS: u32 = 7;
    pub const ENTITY_TYPE: u32 = 25;
    pub const REGION: u32 = 28;
    pub const LANGUAGE: u32 = 31;
    pub const YEAR: u32 = 34;

    pub struct Facets {
        pub sections: Vec<u64>,
        pub items: Vec<u8>,
        pub entity_type: u64,
        pub region: Option<u64>,
        pub language: u64,
        pub year: u64,
    }

    pub fn pack(f: &Facets) -> u64 {
        let mut packed = 0u64;
        for section in &f.sections {
            packed |= 1 << (SECTIONS as u64 + section);
        }
        for item in &f.items {
            packed |= 1 << (ITEMS as u64 + u64::from(*item) - 1);
        }
        packed |= (f.entity_type & 0b111) << ENTITY_TYPE;
        packed |= (f.region.map_or(0, |r| r + 1) & 0b111) << REGION;
        packed |= (f.language & 0b111) << LANGUAGE;
        packed |= (f.year & 0xFF) << YEAR;
        packed
    }

    /// Calls `count` with each code of the bits `[shift, shift + width)`
    /// that are set (a bit set).
    pub fn each_bit(packed: u64, shift: u32, width: u32, mut count: impl FnMut(usize)) {
        let mut bits = (packed >> shift) & ((1 << width) - 1);
        while bits != 0 {
            let bit = bits.trailing_zeros();
            count(bit as usize);
            bits &= bits - 1;
        }
    }

    /// The value in the bits `[shift, shift + width)`.
    pub fn field(packed: u64, shift: u32, width: u32) -> usize {
        ((packed >> shift) & ((1 << width) - 1)) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_fit_and_years_round_trip() {
        assert_eq!(year_of(year(2019)), 2019);
        assert!(year(3000) < CODES as u64);
        assert_eq!(section(SectionId::G), 6);
        assert_eq!(language(Language::Es), 5);
    }

    #[test]
    fn facets_pack_and_unpack() {
        let packed = pack::pack(&pack::Facets {
            sections: vec![4, 5],
            items: vec![1, 11, 18],
            entity_type: 3,
            region: Some(4),
            language: 5,
            year: 255,
        });
        let mut sections = Vec::new();
        pack::each_bit(packed, pack::SECTIONS, 7, |b| sections.push(b));
        assert_eq!(sections, [4, 5]);
        let mut items = Vec::new();
        pack::each_bit(packed, pack::ITEMS, 18, |b| items.push(b + 1));
        assert_eq!(items, [1, 11, 18]);
        assert_eq!(pack::field(packed, pack::ENTITY_TYPE, 3), 3);
        assert_eq!(pack::field(packed, pack::REGION, 3), 5);
        assert_eq!(pack::field(packed, pack::LANGUAGE, 3), 5);
        assert_eq!(pack::field(packed, pack::YEAR, 8), 255);
    }
}
