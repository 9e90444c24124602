//! How good the suggestions are on practices whose items are known: top-1
//! accuracy (the first suggestion is one of the practice's items), top-3
//! recall (the share of its items among the first three) and micro-F1 of
//! the confident suggestions, overall, per language and per section of the
//! practice's main item (the first listed).

use std::collections::BTreeMap;
use std::io::BufRead;

use serde::Serialize;

use super::model::Model;
use super::{Suggestion, Tagger};
use crate::domain::annex::{AnnexItem, SectionId};
use crate::domain::exchange::Line;
use crate::domain::Language;

/// A suggestion at or above this score counts as the classifier's answer
/// for precision and F1; the first suggestion always does.
pub const CONFIDENT: f64 = 0.5;

/// A practice with the items editors gave it, main item first.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub language: Language,
    pub title: String,
    pub body: String,
    pub items: Vec<AnnexItem>,
}

/// A practice of a labelled set (`tests/data/concepts`): one a line,
/// with the split it belongs to.
#[derive(Debug, serde::Deserialize)]
struct SetLine {
    language: String,
    title: String,
    body: String,
    items: Vec<i64>,
    split: String,
}

/// Reads practices in the import format, or in a labelled set's format
/// (then only those of `split`, when one is named); a line that is
/// neither is an error naming the line.
pub fn read(input: impl BufRead, split: Option<&str>) -> Result<Vec<Labelled>, String> {
    let mut labelled = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| format!("line {number}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let failed = |e: &dyn std::fmt::Display| format!("line {number}: {e}");
        let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| failed(&e))?;
        let practices: Vec<(String, String, String, Vec<i64>)> = if value.get("split").is_some() {
            let set: SetLine = serde_json::from_value(value).map_err(|e| failed(&e))?;
            if split.is_some_and(|wanted| wanted != set.split) {
                continue;
            }
            vec![(set.language, set.title, set.body, set.items)]
        } else {
            let parsed: Line = serde_json::from_value(value).map_err(|e| failed(&e))?;
            let language = parsed.language;
            parsed
                .practices
                .into_iter()
                .map(|p| (language.clone(), p.title, p.body, p.items))
                .collect()
        };
        for (position, (language, title, body, items)) in practices.into_iter().enumerate() {
            let language: Language = language.parse().map_err(|e| failed(&e))?;
            let items = items
                .iter()
                .map(|&n| {
                    u8::try_from(n)
                        .ok()
                        .and_then(AnnexItem::new)
                        .ok_or_else(|| {
                            format!(
                                "line {number}, practice {}: no annex item {n}",
                                position + 1
                            )
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if items.is_empty() {
                return Err(format!(
                    "line {number}, practice {}: no items to compare with",
                    position + 1
                ));
            }
            labelled.push(Labelled {
                language,
                title,
                body,
                items,
            });
        }
    }
    Ok(labelled)
}

/// The practices of several files, measured together.
pub fn read_files(
    files: &[std::path::PathBuf],
    split: Option<&str>,
) -> Result<Vec<Labelled>, String> {
    let mut labelled = Vec::new();
    for path in files {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let read = read(std::io::BufReader::new(file), split)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        labelled.extend(read);
    }
    Ok(labelled)
}

/// The suggestions measured on the practices of `files` (one split of a
/// labelled set, when named), after training the model on `train`'s.
pub fn measure_files(
    (files, split): (&[std::path::PathBuf], Option<&str>),
    train: Option<&std::path::Path>,
) -> Result<Report, String> {
    let labelled = read_files(files, split)?;
    let model = match train {
        Some(path) => self::train(&read_files(&[path.to_owned()], None)?),
        None => Model::default(),
    };
    let tagger = Tagger::new().map_err(|e| e.to_string())?;
    Ok(evaluate(&tagger, &model, &labelled))
}

/// A model of the decisions in a labelled set (to measure what learning adds).
pub fn train(labelled: &[Labelled]) -> Model {
    super::learn(labelled.iter().map(|p| {
        (
            p.language,
            p.title.as_str(),
            p.body.as_str(),
            p.items.as_slice(),
        )
    }))
}

#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub practices: usize,
    /// The first suggestion is one of the practice's items.
    pub top1_correct: usize,
    /// The first suggestion is the main item.
    pub top1_main: usize,
    /// The main item is among the first three suggestions.
    pub main_in_top3: usize,
    pub relevant: usize,
    pub found_in_top3: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// A tally as the JSON report shows it: its counts and its measures.
impl Serialize for Tally {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Figures {
            practices: usize,
            top1: f64,
            top1_main_item: f64,
            main_item_in_top3: f64,
            top3_recall: f64,
            micro_f1: f64,
        }
        Figures {
            practices: self.practices,
            top1: self.top1(),
            top1_main_item: self.top1_main_item(),
            main_item_in_top3: self.main_item_in_top3(),
            top3_recall: self.top3_recall(),
            micro_f1: self.micro_f1(),
        }
        .serialize(serializer)
    }
}

impl Tally {
    fn add(&mut self, items: &[AnnexItem], suggestions: &[Suggestion]) {
        let is_true = |n: u8| items.iter().any(|i| i.number() == n);
        self.practices += 1;
        let first = suggestions.first().map(|s| s.item);
        self.top1_correct += usize::from(first.is_some_and(is_true));
        let main = items.first().map(|i| i.number());
        self.top1_main += usize::from(first == main);
        self.main_in_top3 += usize::from(suggestions.iter().take(3).any(|s| Some(s.item) == main));
        self.relevant += items.len();
        self.found_in_top3 += suggestions
            .iter()
            .take(3)
            .filter(|s| is_true(s.item))
            .count();
        let answered: Vec<u8> = suggestions
            .iter()
            .enumerate()
            .filter(|(rank, s)| *rank == 0 || s.score >= CONFIDENT)
            .map(|(_, s)| s.item)
            .collect();
        let hits = answered.iter().filter(|n| is_true(**n)).count();
        self.true_positives += hits;
        self.false_positives += answered.len() - hits;
        self.false_negatives += items.len() - hits;
    }

    pub fn top1(&self) -> f64 {
        ratio(self.top1_correct, self.practices)
    }

    pub fn top1_main_item(&self) -> f64 {
        ratio(self.top1_main, self.practices)
    }

    pub fn main_item_in_top3(&self) -> f64 {
        ratio(self.main_in_top3, self.practices)
    }

    pub fn top3_recall(&self) -> f64 {
        ratio(self.found_in_top3, self.relevant)
    }

    pub fn micro_f1(&self) -> f64 {
        let precision = ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        );
        let recall = ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        );
        if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub overall: Tally,
    pub by_language: BTreeMap<Language, Tally>,
    pub by_section: BTreeMap<SectionId, Tally>,
    /// Decided practices the learned model saw (0: the lexicon alone).
    pub learned_from: usize,
    /// The practices whose first suggestion is not their main item.
    pub misses: Vec<Miss>,
}

/// A practice the first suggestion got wrong, to read when tuning.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub language: Language,
    pub title: String,
    pub items: Vec<u8>,
    /// The first three suggestions as (item, score).
    pub suggested: Vec<(u8, f64)>,
}

pub fn evaluate(tagger: &Tagger, model: &Model, labelled: &[Labelled]) -> Report {
    let mut report = Report {
        learned_from: model.examples(),
        ..Report::default()
    };
    for practice in labelled {
        let suggestions =
            tagger.suggest_with(model, practice.language, &practice.title, &practice.body);
        report.overall.add(&practice.items, &suggestions);
        if suggestions.first().map(|s| s.item) != practice.items.first().map(|i| i.number()) {
            report.misses.push(Miss {
                language: practice.language,
                title: practice.title.clone(),
                items: practice.items.iter().map(|i| i.number()).collect(),
                suggested: suggestions
                    .iter()
                    .take(3)
                    .map(|s| (s.item, s.score))
                    .collect(),
            });
        }
        report
            .by_language
            .entry(practice.language)
            .or_default()
            .add(&practice.items, &suggestions);
        if let Some(main) = practice.items.first() {
            report
                .by_section
                .entry(main.section())
                .or_default()
                .add(&practice.items, &suggestions);
        }
    }
    report
}

impl Report {
    /// The practices missed, one a line.
    pub fn misses_table(&self) -> String {
        self.misses
            .iter()
            .map(|m| {
                format!(
                    "  miss {} items {:?} suggested {:?} {}\n",
                    m.language, m.items, m.suggested, m.title
                )
            })
            .collect()
    }

    /// The report as a table for a terminal.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "{:<10} {:>9} {:>7} {:>10} {:>11} {:>12} {:>9}\n",
            "", "practices", "top-1", "top-1 main", "main top-3", "top-3 recall", "micro-F1"
        );
        let mut row = |name: String, tally: &Tally| {
            out.push_str(&format!(
                "{:<10} {:>9} {:>7.3} {:>10.3} {:>11.3} {:>12.3} {:>9.3}\n",
                name,
                tally.practices,
                tally.top1(),
                tally.top1_main_item(),
                tally.main_item_in_top3(),
                tally.top3_recall(),
                tally.micro_f1()
            ));
        };
        row("all".to_owned(), &self.overall);
        for (language, tally) in &self.by_language {
            row(format!("lang {language}"), tally);
        }
        for (section, tally) in &self.by_section {
            row(format!("section {}", section.letter()), tally);
        }
        out.push_str(&format!(
            "learned model: {} decided practices\n",
            self.learned_from
        ));
        out
    }

    /// The thresholds not met, each as a sentence (empty: all met).
    pub fn shortfalls(&self, top1: f64, top3: f64, language_top1: f64) -> Vec<String> {
        let mut shortfalls = Vec::new();
        if self.overall.top1() < top1 {
            shortfalls.push(format!(
                "top-1 accuracy {:.3} is below {top1}",
                self.overall.top1()
            ));
        }
        if self.overall.top3_recall() < top3 {
            shortfalls.push(format!(
                "top-3 recall {:.3} is below {top3}",
                self.overall.top3_recall()
            ));
        }
        for (language, tally) in &self.by_language {
            if tally.top1() < language_top1 {
                shortfalls.push(format!(
                    "top-1 accuracy in {language} {:.3} is below {language_top1}",
                    tally.top1()
                ));
            }
        }
        shortfalls
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(numbers: &[u8]) -> Vec<AnnexItem> {
        numbers.iter().filter_map(|n| AnnexItem::new(*n)).collect()
    }

    fn suggested(pairs: &[(u8, f64)]) -> Vec<Suggestion> {
        pairs
            .iter()
            .map(|&(item, score)| Suggestion {
                item,
                score,
                reasons: Vec::new(),
                concepts: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn the_measures_count_what_they_say() {
        let mut tally = Tally::default();
        // Right first, one of two items in the top three.
        tally.add(
            &items(&[11, 10]),
            &suggested(&[(11, 0.9), (3, 0.6), (4, 0.1)]),
        );
        // Wrong first, the item second.
        tally.add(&items(&[18]), &suggested(&[(5, 0.4), (18, 0.3)]));
        assert_eq!(tally.top1(), 0.5);
        assert_eq!(tally.top1_main_item(), 0.5);
        assert_eq!(tally.main_item_in_top3(), 1.0);
        assert_eq!(tally.top3_recall(), 2.0 / 3.0);
        // Answered: {11, 3} and {5}; true: {11, 10} and {18}.
        assert_eq!(
            (
                tally.true_positives,
                tally.false_positives,
                tally.false_negatives
            ),
            (1, 2, 2)
        );
        assert!((tally.micro_f1() - (2.0 * (1.0 / 3.0) * (1.0 / 3.0) / (2.0 / 3.0))).abs() < 1e-9);
    }

    #[test]
    fn a_practice_without_suggestions_counts_as_missed() {
        let mut tally = Tally::default();
        tally.add(&items(&[2]), &[]);
        assert_eq!(
            (tally.top1(), tally.top3_recall(), tally.micro_f1()),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn lines_without_items_or_with_bad_items_are_refused_by_number() {
        let no_items = r#"{"entity":"FRA","language":"fr","title":"t","practices":[{"title":"a","body":"b"}]}"#;
        assert!(read(no_items.as_bytes(), None)
            .err()
            .is_some_and(|e| e.contains("line 1")));
        let bad = format!(
            "\n{}",
            no_items.replace(r#""body":"b""#, r#""body":"b","items":[19]"#)
        );
        assert!(read(bad.as_bytes(), None)
            .err()
            .is_some_and(|e| e.contains("line 2") && e.contains("19")));
    }

    #[test]
    fn a_labelled_set_is_read_split_by_split() {
        let line = |split: &str, item: u8| {
            format!(
                r#"{{"key":"k","entity":"FRA","language":"fr","title":"t","body":"b","items":[{item}],"split":"{split}","source":"s"}}"#
            )
        };
        let text = [line("dev", 3), line("heldout", 4), line("dev", 5)].join("\n");
        let dev = read(text.as_bytes(), Some("dev")).expect("read");
        assert_eq!(
            dev.iter().map(|p| p.items[0].number()).collect::<Vec<_>>(),
            [3, 5]
        );
        assert_eq!(read(text.as_bytes(), None).expect("read").len(), 3);
        let bad = line("dev", 19);
        assert!(read(bad.as_bytes(), None)
            .err()
            .is_some_and(|e| e.contains("line 1") && e.contains("19")));
    }
}
