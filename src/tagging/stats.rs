//! How the suggestions fared with editors: for accepted practices, was the
//! top suggestion (as shown when the practice was saved) among the items
//! editors kept, and how many of the kept items were in the first three.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::Suggestion;
use crate::domain::annex::AnnexItem;
use crate::domain::Language;

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Uptake {
    /// Accepted practices that had suggestions when saved.
    pub decisions: usize,
    /// Of those, how many kept the top suggestion among their items.
    pub top_accepted: usize,
    /// `top_accepted / decisions` (0 when there are none).
    pub top_acceptance_rate: f64,
    /// Share of the kept items that were among the first three suggestions.
    pub top3_recall: f64,
    #[serde(skip)]
    kept: usize,
    #[serde(skip)]
    kept_in_top3: usize,
}

impl Uptake {
    fn add(&mut self, items: &[AnnexItem], suggested: &[Suggestion]) {
        let kept = |n: u8| items.iter().any(|i| i.number() == n);
        self.decisions += 1;
        self.top_accepted += usize::from(suggested.first().is_some_and(|s| kept(s.item)));
        self.kept += items.len();
        self.kept_in_top3 += suggested.iter().take(3).filter(|s| kept(s.item)).count();
        self.top_acceptance_rate = rounded(self.top_accepted, self.decisions);
        self.top3_recall = rounded(self.kept_in_top3, self.kept);
    }
}

fn rounded(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64 * 1000.0).round() / 1000.0
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct TaggingStats {
    #[serde(flatten)]
    pub overall: Uptake,
    /// Accepted practices saved without suggestions (before tagging
    /// existed, or whose text matched nothing): not counted above.
    pub without_suggestions: usize,
    pub by_language: BTreeMap<Language, Uptake>,
    /// Decided practices the learned model in use was trained on.
    pub learned_from: usize,
}

pub fn tabulate<'a>(
    outcomes: impl IntoIterator<Item = (Language, &'a [AnnexItem], &'a [Suggestion])>,
    learned_from: usize,
) -> TaggingStats {
    let mut stats = TaggingStats {
        learned_from,
        ..TaggingStats::default()
    };
    for (language, items, suggested) in outcomes {
        if suggested.is_empty() {
            stats.without_suggestions += 1;
            continue;
        }
        stats.overall.add(items, suggested);
        stats
            .by_language
            .entry(language)
            .or_default()
            .add(items, suggested);
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(numbers: &[u8]) -> Vec<AnnexItem> {
        numbers.iter().filter_map(|n| AnnexItem::new(*n)).collect()
    }

    fn suggested(numbers: &[u8]) -> Vec<Suggestion> {
        numbers
            .iter()
            .map(|&item| Suggestion {
                item,
                score: 0.5,
                reasons: Vec::new(),
                concepts: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn counts_the_top_suggestions_editors_kept() {
        let kept = [items(&[11]), items(&[18, 5]), items(&[2])];
        let shown = [suggested(&[11, 10]), suggested(&[5, 4, 18]), suggested(&[])];
        let stats = tabulate(
            [Language::En, Language::Fr, Language::En]
                .into_iter()
                .zip(&kept)
                .zip(&shown)
                .map(|((l, k), s)| (l, k.as_slice(), s.as_slice())),
            7,
        );
        assert_eq!(stats.overall.decisions, 2);
        assert_eq!(stats.overall.top_accepted, 2);
        assert_eq!(stats.overall.top_acceptance_rate, 1.0);
        assert_eq!(stats.overall.top3_recall, 1.0);
        assert_eq!(stats.without_suggestions, 1);
        assert_eq!(stats.by_language[&Language::Fr].decisions, 1);
        assert_eq!(stats.learned_from, 7);
    }
}
