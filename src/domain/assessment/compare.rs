//! Two years of a State's self-assessment side by side, item by item: what
//! moved (status, maturity), so that progress and setbacks show.

use serde::Serialize;
use utoipa::ToSchema;

use super::{AnswerStatus, Assessment};
use crate::domain::annex::AnnexItem;

/// One item in two assessments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ItemChange {
    #[schema(value_type = u8, minimum = 1, maximum = 18)]
    pub item: AnnexItem,
    pub from_status: AnswerStatus,
    pub to_status: AnswerStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_maturity: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_maturity: Option<u8>,
    /// Whether the status or the maturity differs.
    pub changed: bool,
}

/// Every item of `earlier` and `later`, in annex order.
pub fn compare(earlier: &Assessment, later: &Assessment) -> Vec<ItemChange> {
    AnnexItem::all()
        .map(|item| {
            let (from, to) = (earlier.answer_to(item), later.answer_to(item));
            ItemChange {
                item,
                from_status: from.status,
                to_status: to.status,
                from_maturity: from.maturity,
                to_maturity: to.maturity,
                changed: from.status != to.status || from.maturity != to.maturity,
            }
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

    #[test]
    fn every_item_is_compared_and_a_move_in_status_or_maturity_is_a_change() {
        let at = DateTime::from_timestamp(1_790_000_000, 0).expect("a time");
        let kenya = EntityCode::parse("KEN").expect("a code");
        let item = |n| AnnexItem::new(n).expect("an item");
        let mut earlier = Assessment::new("a".into(), kenya, 2025, Language::En, None, None, at);
        earlier.answer(
            vec![Answer {
                status: AnswerStatus::InProgress,
                maturity: Some(2),
                ..Answer::not_started(item(11))
            }],
            at,
        );
        let mut later = Assessment::new(
            "b".into(),
            earlier.entity.clone(),
            2026,
            Language::En,
            Some(&earlier),
            None,
            at,
        );
        later.answer(
            vec![
                Answer {
                    status: AnswerStatus::InPlace,
                    maturity: Some(3),
                    ..Answer::not_started(item(11))
                },
                Answer {
                    narrative: "Reworded only.".into(),
                    ..Answer::not_started(item(4))
                },
            ],
            at,
        );
        let changes = compare(&earlier, &later);
        assert_eq!(changes.len(), 18);
        let changed: Vec<u8> = changes
            .iter()
            .filter(|c| c.changed)
            .map(|c| c.item.number())
            .collect();
        assert_eq!(
            changed,
            [11],
            "a narrative alone is not a change of standing"
        );
        let eleven = &changes[10];
        assert_eq!(
            (
                eleven.from_status,
                eleven.to_status,
                eleven.from_maturity,
                eleven.to_maturity
            ),
            (
                AnswerStatus::InProgress,
                AnswerStatus::InPlace,
                Some(2),
                Some(3)
            )
        );
    }
}
