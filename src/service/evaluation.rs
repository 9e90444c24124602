//! Measuring search against a labelled set (`tests/data/concepts`): its
//! practices are imported into a scratch catalogue and index, each query
//! runs as a reader's search would, and recall at 10 is reported per
//! language, within a language and across languages. The split named is
//! the only one loaded, so figures for the held-out part never see the
//! development part.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::domain::Language;
use crate::error::AppError;
use crate::search::engine::{Filters, SearchRequest, Sort};
use crate::search::query;
use crate::search::SearchIndex;
use crate::store::{catalogue, Store};
use crate::tagging::Tagger;

/// A practice of the labelled set, main item first.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledPractice {
    pub key: String,
    pub entity: String,
    pub language: Language,
    pub title: String,
    pub body: String,
    pub items: Vec<u8>,
    pub source: String,
    pub split: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledQuery {
    pub key: String,
    pub language: Language,
    pub text: String,
    pub relevant: Vec<String>,
    pub cross_lingual: bool,
    pub split: String,
}

fn read_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, AppError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::invalid_field("file", format!("{}: {e}", path.display())))?;
    parse_lines(&text, &path.display().to_string())
}

fn parse_lines<T: for<'de> Deserialize<'de>>(text: &str, source: &str) -> Result<Vec<T>, AppError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map_err(|e| {
                AppError::invalid_field("file", format!("{source} line {}: {e}", n + 1))
            })
        })
        .collect()
}

/// The practices of one split of a labelled set's text.
pub fn split_of(text: &str, source: &str, split: &str) -> Result<Vec<LabelledPractice>, AppError> {
    Ok(parse_lines::<LabelledPractice>(text, source)?
        .into_iter()
        .filter(|p| p.split == split)
        .collect())
}

/// The practices of one split of a labelled set.
pub fn practices_of(path: &Path, split: &str) -> Result<Vec<LabelledPractice>, AppError> {
    Ok(read_lines::<LabelledPractice>(path)?
        .into_iter()
        .filter(|p| p.split == split)
        .collect())
}

/// The practices in the import format, one accepted submission each,
/// received on the day `received(n)` gives the n-th.
pub fn import_lines(practices: &[LabelledPractice], received: impl Fn(usize) -> String) -> String {
    practices
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let line = serde_json::json!({
                "entity": p.entity, "language": p.language.code(), "title": p.title,
                "status": "accepted", "received_at": received(n),
                "practices": [{"title": p.title, "body": p.body, "items": p.items}],
            });
            format!("{line}\n")
        })
        .collect()
}

/// One language's queries: how many, and the mean of their recall at 10.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recall {
    pub queries: usize,
    pub recall: f64,
}

impl Recall {
    fn add(&mut self, recall: f64) {
        self.recall = (self.recall * self.queries as f64 + recall) / (self.queries + 1) as f64;
        self.queries += 1;
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchReport {
    pub split: String,
    pub expand: bool,
    pub practices: usize,
    pub within: Recall,
    pub cross: Recall,
    /// By the query's language.
    pub within_by_language: BTreeMap<String, Recall>,
    pub cross_by_language: BTreeMap<String, Recall>,
    /// The queries that found less than all they should, for tuning on
    /// the development part: (key, text, recall).
    pub misses: Vec<(String, String, f64)>,
}

impl SearchReport {
    /// The figures below these floors, said in words (none: all met).
    pub fn shortfalls(&self, within: f64, cross: f64) -> Vec<String> {
        let mut shortfalls = Vec::new();
        if self.within.recall < within {
            shortfalls.push(format!(
                "recall within a language {:.3} < {within}",
                self.within.recall
            ));
        }
        if self.cross.recall < cross {
            shortfalls.push(format!(
                "recall across languages {:.3} < {cross}",
                self.cross.recall
            ));
        }
        shortfalls
    }

    pub fn to_table(&self) -> String {
        let mut out = format!(
            "search recall@10 on the {} split ({} practices, expansion {}):\n",
            self.split,
            self.practices,
            if self.expand { "on" } else { "off" }
        );
        out.push_str(&format!(
            "  within a language: {:.3} ({} queries)\n  across languages:  {:.3} ({} queries)\n",
            self.within.recall, self.within.queries, self.cross.recall, self.cross.queries
        ));
        for language in Language::ALL {
            let code = language.code();
            let within = self
                .within_by_language
                .get(code)
                .cloned()
                .unwrap_or_default();
            let cross = self
                .cross_by_language
                .get(code)
                .cloned()
                .unwrap_or_default();
            out.push_str(&format!(
                "  {code}: within {:.3} ({}), across {:.3} ({})\n",
                within.recall, within.queries, cross.recall, cross.queries
            ));
        }
        out
    }
}

/// Imports the split's practices into a scratch store and index (in a
/// directory of its own under the system's temporary one, removed after),
/// then runs the split's queries.
pub fn measure_search(
    practices: &Path,
    queries: &Path,
    split: &str,
    expand: bool,
) -> Result<SearchReport, AppError> {
    let work = std::env::temp_dir().join(format!("compendium-search-eval-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let measured = measure_in(&work, practices, queries, split, expand);
    let _ = std::fs::remove_dir_all(&work);
    measured
}

fn measure_in(
    work: &Path,
    practices: &Path,
    queries: &Path,
    split: &str,
    expand: bool,
) -> Result<SearchReport, AppError> {
    let labelled = practices_of(practices, split)?;
    let queries: Vec<LabelledQuery> = read_lines::<LabelledQuery>(queries)?
        .into_iter()
        .filter(|q| q.split == split)
        .collect();
    let mut settings = Settings::default();
    settings.storage.data_dir = work.to_owned();
    let store = Store::open(&settings).map_err(AppError::internal)?;
    store.migrate().map_err(AppError::internal)?;
    let mut connection = store.blocking_connection().map_err(AppError::internal)?;
    let lines = import_lines(&labelled, |_| "2026-01-15T12:00:00Z".to_owned());
    let tagger = Tagger::new().map_err(AppError::internal)?;
    let report =
        super::exchange::import(&mut connection, lines.as_bytes(), false, &tagger, |_| {})?;
    if report.practices != labelled.len() {
        return Err(AppError::internal(format!(
            "{} of {} practices imported: {:?}",
            report.practices,
            labelled.len(),
            report
        )));
    }
    let index = SearchIndex::open(&settings.index_dir(), 50_000_000).map_err(AppError::internal)?;
    index.catch_up(&mut connection)?;
    // Practice ids to labelled keys, through their texts.
    let keys: HashMap<(&str, &str), &str> = labelled
        .iter()
        .map(|p| ((p.title.as_str(), p.body.as_str()), p.key.as_str()))
        .collect();
    let mut key_of: HashMap<String, String> = HashMap::new();
    for entry in catalogue::entries_after(&mut connection, None, 10_000)? {
        let practice = &entry.practice;
        if let Some(key) = keys.get(&(practice.title.as_str(), practice.body.as_str())) {
            key_of.insert(practice.id.clone(), (*key).to_owned());
        }
    }
    let language_of: HashMap<&str, Language> = labelled
        .iter()
        .map(|p| (p.key.as_str(), p.language))
        .collect();
    let mut out = SearchReport {
        split: split.to_owned(),
        expand,
        practices: labelled.len(),
        ..SearchReport::default()
    };
    for q in &queries {
        let request = SearchRequest {
            query: query::parse(&q.text).map_err(|m| AppError::invalid_field("q", m))?,
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: 10,
            cursor: None,
            offset: 0,
            snippets: false,
            expand,
            language: Some(q.language),
            remember: false,
        };
        let found = index.search(&request)?;
        let top: Vec<&str> = found
            .hits
            .iter()
            .filter_map(|h| key_of.get(&h.row.id).map(String::as_str))
            .collect();
        // Within a language, the practices in the query's own language.
        let wanted: Vec<&str> = q
            .relevant
            .iter()
            .map(String::as_str)
            .filter(|k| q.cross_lingual || language_of.get(k) == Some(&q.language))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let recall = wanted.iter().filter(|k| top.contains(k)).count() as f64 / wanted.len() as f64;
        let code = q.language.code().to_owned();
        if q.cross_lingual {
            out.cross.add(recall);
            out.cross_by_language.entry(code).or_default().add(recall);
        } else {
            out.within.add(recall);
            out.within_by_language.entry(code).or_default().add(recall);
        }
        if recall < 1.0 {
            let thesaurus = crate::domain::thesaurus::thesaurus();
            let concepts: Vec<&str> = found
                .expanded
                .iter()
                .map(|c| thesaurus.concept(*c).id.as_str())
                .collect();
            let text = format!("{} [{}]", q.text, concepts.join(", "));
            out.misses.push((q.key.clone(), text, recall));
        }
    }
    Ok(out)
}
