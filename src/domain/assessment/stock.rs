//! Taking stock without exposure: per annex item and region, how many
//! States say the item is in place, counted from shared assessments only
//! (each State's latest) and shown only where at least [`MIN_STATES`]
//! States of the region shared one, so that no cell points at one State.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::{AnswerStatus, Assessment};
use crate::domain::annex::AnnexItem;
use crate::domain::entities::Region;

/// The fewest States a cell counts before it is shown.
pub const MIN_STATES: usize = 3;

/// One region's figures for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StockCell {
    pub region: Region,
    /// States of the region whose latest shared assessment is counted.
    pub states: usize,
    /// Of those, how many have the item in place; absent when fewer than
    /// the minimum of States shared one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_place: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ItemStock {
    #[schema(value_type = u8, minimum = 1, maximum = 18)]
    pub item: AnnexItem,
    pub cells: Vec<StockCell>,
}

/// The figures of every item, from each State's latest shared assessment
/// and its region (`None`: not a State of a region, left out).
pub fn take_stock(latest: &[(Assessment, Option<Region>)]) -> Vec<ItemStock> {
    let mut by_region: BTreeMap<Region, Vec<&Assessment>> = BTreeMap::new();
    for (assessment, region) in latest {
        if let Some(region) = region {
            by_region.entry(*region).or_default().push(assessment);
        }
    }
    AnnexItem::all()
        .map(|item| ItemStock {
            item,
            cells: by_region
                .iter()
                .map(|(region, assessments)| {
                    let states = assessments.len();
                    let in_place = assessments
                        .iter()
                        .filter(|a| a.answer_to(item).status == AnswerStatus::InPlace)
                        .count();
                    StockCell {
                        region: *region,
                        states,
                        in_place: (states >= MIN_STATES).then_some(in_place),
                    }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::super::Answer;
    use super::*;
    use crate::domain::entities::EntityCode;
    use crate::domain::Language;

    fn state(code: &str, in_place: &[u8]) -> Assessment {
        let at = DateTime::from_timestamp(1_790_000_000, 0).expect("a time");
        let code = EntityCode::parse(code).expect("a code");
        let mut a = Assessment::new(code.to_string(), code, 2026, Language::En, None, None, at);
        let answers = in_place
            .iter()
            .map(|n| Answer {
                status: AnswerStatus::InPlace,
                ..Answer::not_started(AnnexItem::new(*n).expect("an item"))
            })
            .collect();
        a.answer(answers, at);
        a
    }

    #[test]
    fn a_region_shows_its_figures_only_from_three_states() {
        let latest = vec![
            (state("KEN", &[11]), Some(Region::Africa)),
            (state("GHA", &[11, 4]), Some(Region::Africa)),
            (state("SEN", &[]), Some(Region::Africa)),
            (state("FRA", &[11]), Some(Region::Europe)),
            (state("DEU", &[11]), Some(Region::Europe)),
        ];
        let stock = take_stock(&latest);
        assert_eq!(stock.len(), 18);
        let eleven = &stock[10];
        assert_eq!(
            eleven.cells,
            vec![
                StockCell {
                    region: Region::Africa,
                    states: 3,
                    in_place: Some(2)
                },
                StockCell {
                    region: Region::Europe,
                    states: 2,
                    in_place: None
                },
            ]
        );
        assert_eq!(stock[3].cells[0].in_place, Some(1));
    }
}
