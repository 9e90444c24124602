//! Small integer codes for the categorical fields of the index: facets
//! count into fixed arrays of [`CODES`] slots instead of hashing strings.

use crate::annex::SectionId;
use crate::domain::submission::Sector;
use crate::domain::Language;
use crate::entities::{EntityType, Region, RegionalGroup};

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
}
