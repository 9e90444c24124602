//! What editors' decisions teach: a multinomial naive Bayes model over the
//! analysed terms of accepted practices and the items editors gave them.
//! Transparent on purpose: every term's pull towards an item is a count
//! one can read, and the terms that pulled are the reasons shown.

use std::collections::{BTreeSet, HashMap};

use crate::domain::annex::AnnexItem;

const ITEMS: usize = AnnexItem::LAST as usize;

/// Terms seen in fewer practices than this are noise for the model.
const MIN_DOCUMENTS: u32 = 2;

/// One decided practice: its distinct terms and the items it was given.
pub struct Example<'a> {
    pub terms: BTreeSet<&'a str>,
    pub items: &'a [AnnexItem],
}

#[derive(Debug, Clone, Default)]
pub struct Model {
    examples: usize,
    /// Practices that carry each item.
    item_documents: [u32; ITEMS],
    /// Per term, in how many practices of each item it appears.
    term_documents: HashMap<String, [u32; ITEMS]>,
    /// Sum of the counts above, per item.
    item_terms: [u64; ITEMS],
}

fn slot(item: AnnexItem) -> usize {
    usize::from(item.number()) - 1
}

impl Model {
    pub fn train<'a>(examples: impl IntoIterator<Item = Example<'a>>) -> Model {
        let mut model = Model::default();
        for example in examples {
            if example.items.is_empty() {
                continue;
            }
            model.examples += 1;
            for &item in example.items {
                model.item_documents[slot(item)] += 1;
            }
            for term in example.terms {
                let counts = model
                    .term_documents
                    .entry(term.to_owned())
                    .or_insert([0; ITEMS]);
                for &item in example.items {
                    counts[slot(item)] += 1;
                }
            }
        }
        model
            .term_documents
            .retain(|_, counts| counts.iter().sum::<u32>() >= MIN_DOCUMENTS);
        for counts in model.term_documents.values() {
            for (total, count) in model.item_terms.iter_mut().zip(counts) {
                *total += u64::from(*count);
            }
        }
        model
    }

    /// How many decided practices it learned from.
    pub fn examples(&self) -> usize {
        self.examples
    }

    /// How many decided practices carried the item.
    pub fn examples_of(&self, item: AnnexItem) -> u32 {
        self.item_documents[slot(item)]
    }

    fn log_likelihood(&self, term: &[u32; ITEMS], slot: usize) -> f64 {
        let vocabulary = self.term_documents.len() as f64;
        ((f64::from(term[slot]) + 1.0) / (self.item_terms[slot] as f64 + vocabulary)).ln()
    }

    /// The probability of each item (index 0 is item 1) given the terms,
    /// among the items editors have given at least once: of an item never
    /// decided the model knows nothing, and says 0. Naive Bayes is
    /// overconfident on long texts; the evidence is scaled down with the
    /// number of terms so that a long reply does not drown the lexicon.
    pub fn posterior<'t>(&self, terms: impl IntoIterator<Item = &'t str>) -> [f64; ITEMS] {
        let mut posterior = [0.0; ITEMS];
        if self.examples == 0 {
            return posterior;
        }
        let known: Vec<&[u32; ITEMS]> = terms
            .into_iter()
            .filter_map(|t| self.term_documents.get(t))
            .collect();
        let scale = 1.0 / (known.len().max(1) as f64).sqrt();
        let mut scores = [f64::NEG_INFINITY; ITEMS];
        for (slot, score) in scores.iter_mut().enumerate() {
            if self.item_documents[slot] == 0 {
                continue;
            }
            let prior = (f64::from(self.item_documents[slot]) + 1.0)
                / (self.examples as f64 + ITEMS as f64);
            let evidence: f64 = known.iter().map(|t| self.log_likelihood(t, slot)).sum();
            *score = prior.ln() + scale * evidence;
        }
        let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut total = 0.0;
        for (p, score) in posterior.iter_mut().zip(scores) {
            *p = (score - top).exp();
            total += *p;
        }
        for p in &mut posterior {
            *p /= total;
        }
        posterior
    }

    /// The terms that most favour an item over the others (most of their
    /// practices carry it), strongest first.
    pub fn evidence<'t>(
        &self,
        item: AnnexItem,
        terms: impl IntoIterator<Item = &'t str>,
        limit: usize,
    ) -> Vec<&'t str> {
        let slot = slot(item);
        let mut pulls: Vec<(f64, &str)> = terms
            .into_iter()
            .filter_map(|term| {
                let counts = self.term_documents.get(term)?;
                if counts[slot] < MIN_DOCUMENTS {
                    return None;
                }
                // How typical of the item (share of its practices that
                // have the term) times how specific to it (share of the
                // term's practices that carry the item).
                let here = f64::from(counts[slot]);
                let typical = here / f64::from(self.item_documents[slot].max(1));
                let specific = here / f64::from(counts.iter().sum::<u32>().max(1));
                (specific > 0.5).then_some((typical * specific, term))
            })
            .collect();
        pulls.sort_by(|a, b| b.0.total_cmp(&a.0));
        pulls.into_iter().take(limit).map(|(_, t)| t).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: u8) -> AnnexItem {
        AnnexItem::new(n).expect("an item")
    }

    #[test]
    fn learns_which_terms_go_with_which_items() {
        let eleven = [item(11)];
        let eighteen = [item(18)];
        let examples = (0..5).flat_map(|_| {
            [
                Example {
                    terms: ["csirt", "team", "report"].into_iter().collect(),
                    items: &eleven,
                },
                Example {
                    terms: ["campaign", "school", "report"].into_iter().collect(),
                    items: &eighteen,
                },
            ]
        });
        let model = Model::train(examples);
        assert_eq!(model.examples(), 10);
        let posterior = model.posterior(["school", "campaign"]);
        assert!(posterior[17] > 0.8, "{posterior:?}");
        assert_eq!(
            model.evidence(item(18), ["report", "school"], 3),
            ["school"]
        );
    }

    #[test]
    fn an_untrained_model_has_no_opinion() {
        let model = Model::train(std::iter::empty());
        assert!(model.posterior(["anything"]).iter().all(|p| *p == 0.0));
    }
}
