//! Full-text search of the public catalogue: a tantivy index under the data
//! directory, derived from the database and rebuilt from it at will. The
//! indexer applies `catalogue_changes` in order after the last sequence it
//! committed (kept in the index's commit payload), so a crash between a
//! database commit and an index commit loses nothing, and every replica
//! converges on the same catalogue.

mod cache;
pub mod codes;
pub mod coverage;
pub mod engine;
mod expansion;
pub mod facets;
pub mod query;
pub mod recommend;
pub mod schema;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Datelike;
use serde::Serialize;
use tantivy::schema::Term;
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument};

use crate::domain::entities::{Entity, EntityCode};
use crate::domain::Language;
use crate::error::AppError;
use crate::store::catalogue::{self, CatalogueEntry};
use crate::store::{organisations, AnyConnection};
use crate::text::analyzers;
use schema::Fields;

/// Changes applied per index commit.
const CHANGES_PER_COMMIT: i64 = 5_000;
/// How long a searcher is kept for the cursors that point into it.
const SEARCHER_KEPT_FOR: Duration = Duration::from_secs(15 * 60);
const SEARCHERS_KEPT: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index at {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index: closed for writing, the server is stopping")]
    Closed,
    /// Another process (a running server) writes the index.
    #[error("search index at {path}: another process, such as a running server, is writing it")]
    Locked { path: PathBuf },
}

impl From<IndexError> for AppError {
    fn from(error: IndexError) -> Self {
        AppError::internal(error)
    }
}

/// The catalogue change and the rebuild generation a commit's payload
/// holds (`"sequence/generation"`; an index of an earlier version holds
/// the sequence alone).
fn read_payload(payload: Option<&str>) -> (i64, i64) {
    let Some(payload) = payload else {
        return (0, 0);
    };
    let (sequence, generation) = payload.split_once('/').unwrap_or((payload, "0"));
    (
        sequence.parse().unwrap_or(0),
        generation.parse().unwrap_or(0),
    )
}

/// A courtesy translation's title, as a result row keeps it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct TranslatedTitle {
    pub language: Language,
    pub title: String,
}

/// What a result row shows, stored in the index.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Row {
    /// The practice's id, and the reply it came in.
    pub id: String,
    pub submission_id: String,
    pub title: String,
    /// Codes and names as stored: a row is shown without the database.
    pub entity: String,
    pub entity_name: String,
    pub entity_type: String,
    pub language: String,
    /// Annex items and their sections, for the row's badges.
    pub items: Vec<u8>,
    pub sections: Vec<String>,
    /// RFC 3339.
    pub accepted_at: String,
    /// Its courtesy translations' titles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<TranslatedTitle>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    pub fields: Fields,
    /// `None` once closed: a stopping server lets the index go, so that
    /// another one (or `compendium reindex`) may open it at once.
    writer: Mutex<Option<IndexWriter>>,
    /// The last catalogue change the index holds.
    applied: AtomicI64,
    /// The rebuild asked of the servers that the index was last built for
    /// (see `store::index_rebuilds`).
    generation: AtomicI64,
    /// Whether the index has caught up with the database since start.
    caught_up: AtomicBool,
    searchers: Mutex<VecDeque<(u64, Searcher, Instant)>>,
    /// The matches of recent searches, per searcher.
    matches: cache::MatchCache,
    /// Built once: a query clones the one it needs instead of building a
    /// stemmer per word.
    analyzers: Vec<(Language, tantivy::tokenizer::TextAnalyzer)>,
}

const VERSION_FILE: &str = "compendium-schema-version";

impl SearchIndex {
    /// Opens the index in `dir`, or makes an empty one when there is none
    /// or it was built with another schema (it is then rebuilt from the
    /// database by catching up from sequence 0).
    pub fn open(dir: &Path, writer_memory: usize) -> Result<SearchIndex, IndexError> {
        let failed = |message: String| IndexError::Open {
            path: dir.to_owned(),
            message,
        };
        let version_path = dir.join(VERSION_FILE);
        // The concepts indexed come from the thesaurus: another thesaurus
        // is another index.
        let wanted = format!(
            "{}.{:016x}",
            schema::SCHEMA_VERSION,
            crate::domain::thesaurus::fingerprint()
        );
        let current = std::fs::read_to_string(&version_path).ok();
        if current.as_deref().map(str::trim) != Some(wanted.as_str()) && dir.exists() {
            tracing::info!(path = %dir.display(), "search index missing or of another schema: rebuilding from the database");
            std::fs::remove_dir_all(dir).map_err(|e| failed(e.to_string()))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
        let (schema, fields) = schema::build();
        let directory =
            tantivy::directory::MmapDirectory::open(dir).map_err(|e| failed(e.to_string()))?;
        let index = Index::open_or_create(directory, schema)?;
        std::fs::write(&version_path, &wanted).map_err(|e| failed(e.to_string()))?;
        analyzers::register(index.tokenizers());
        let writer = index
            .writer_with_num_threads(1, writer_memory)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked {
                    path: dir.to_owned(),
                },
                other => failed(other.to_string()),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let (applied, generation) = read_payload(index.load_metas()?.payload.as_deref());
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(Some(writer)),
            applied: AtomicI64::new(applied),
            generation: AtomicI64::new(generation),
            caught_up: AtomicBool::new(false),
            searchers: Mutex::new(VecDeque::new()),
            matches: cache::MatchCache::default(),
            analyzers: Language::ALL
                .into_iter()
                .map(|l| (l, analyzers::analyzer(l)))
                .collect(),
        })
    }

    /// The analyzer of a language's fields.
    pub fn analyzer(&self, language: Language) -> tantivy::tokenizer::TextAnalyzer {
        self.analyzers
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| analyzers::analyzer(language))
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Runs index work on the blocking pool, as [`crate::store::Store::run`]
    /// does database work: a search reads segments from disk and can take
    /// milliseconds of CPU, which an HTTP worker thread must not spend.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&SearchIndex) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let index = Arc::clone(self);
        actix_web::web::block(move || work(&index))
            .await
            .map_err(|e| AppError::internal(format!("index task did not complete: {e}")))?
    }

    pub fn applied_sequence(&self) -> i64 {
        self.applied.load(Ordering::SeqCst)
    }

    /// The rebuild generation the index was built for.
    pub fn generation(&self) -> i64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Takes `generation` as the one this index stands for without a
    /// rebuild: an index that starts empty is built from the whole
    /// catalogue anyway. Kept from the next commit on.
    pub fn adopt_generation(&self, generation: i64) {
        self.generation.store(generation, Ordering::SeqCst);
    }

    pub fn is_caught_up(&self) -> bool {
        self.caught_up.load(Ordering::SeqCst)
    }

    /// The current searcher, remembered for the cursors that will point to it.
    pub fn searcher(&self) -> (u64, Searcher) {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let mut kept = self.searchers.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|(_, _, at)| at.elapsed() < SEARCHER_KEPT_FOR);
        if !kept.iter().any(|(g, _, _)| *g == generation) {
            kept.push_back((generation, searcher.clone(), Instant::now()));
            while kept.len() > SEARCHERS_KEPT {
                kept.pop_front();
            }
        }
        (generation, searcher)
    }

    /// The searcher of an earlier page, if it is still kept.
    pub fn searcher_of(&self, generation: u64) -> Option<Searcher> {
        let kept = self.searchers.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter()
            .find(|(g, _, _)| *g == generation)
            .map(|(_, s, _)| s.clone())
    }

    /// Applies every catalogue change after the last one applied, in
    /// commits of [`CHANGES_PER_COMMIT`]; answers how many were applied.
    /// Blocking: run it off the HTTP workers.
    pub fn catch_up(&self, connection: &mut AnyConnection) -> Result<usize, AppError> {
        let mut applied = 0;
        loop {
            let after = self.applied_sequence();
            let changes = catalogue::changes_after(connection, after, CHANGES_PER_COMMIT)?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let mut ids: Vec<String> = changes.into_iter().map(|c| c.practice_id).collect();
            ids.sort();
            ids.dedup();
            let mut entries = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(500) {
                entries.extend(catalogue::entries(connection, chunk)?);
            }
            let entities = Entities::load(connection)?;
            let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            let writer = guard.as_mut().ok_or(IndexError::Closed)?;
            for id in &ids {
                writer.delete_term(Term::from_field_text(self.fields.id, id));
            }
            for entry in &entries {
                writer
                    .add_document(self.document(entry, &entities)?)
                    .map_err(IndexError::from)?;
            }
            self.commit(guard, last, self.generation())?;
            applied += ids.len();
        }
        self.caught_up.store(true, Ordering::SeqCst);
        Ok(applied)
    }

    /// Rebuilds the whole index from the database, for rebuild
    /// `generation`; answers how many practices it holds. Searches go on
    /// meanwhile on the index as it was: the new segments are written
    /// aside and shown to searches by the one commit at the end, at once.
    pub fn rebuild(
        &self,
        connection: &mut AnyConnection,
        generation: i64,
    ) -> Result<usize, AppError> {
        // Read the sequence first: changes made during the rebuild are
        // applied again afterwards, which is harmless.
        let sequence = catalogue::last_sequence(connection)?;
        let entities = Entities::load(connection)?;
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let writer = guard.as_mut().ok_or(IndexError::Closed)?;
        writer.delete_all_documents().map_err(IndexError::from)?;
        let mut after: Option<String> = None;
        let mut count = 0;
        loop {
            let entries = catalogue::entries_after(connection, after.as_deref(), 2_000)?;
            let Some(last) = entries.last().map(|e| e.practice.id.clone()) else {
                break;
            };
            for entry in &entries {
                writer
                    .add_document(self.document(entry, &entities)?)
                    .map_err(IndexError::from)?;
            }
            count += entries.len();
            after = Some(last);
        }
        self.commit(guard, sequence, generation)?;
        Ok(count)
    }

    /// Lets the index go for writing: waits for a round in progress and
    /// for merges, then releases the index's lock. Searches go on.
    pub fn close(&self) -> Result<(), IndexError> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        match writer {
            Some(writer) => Ok(writer.wait_merging_threads()?),
            None => Ok(()),
        }
    }

    /// Commits what the writer holds as the index up to catalogue change
    /// `sequence`, built for rebuild `generation` (both kept in the
    /// commit's payload), and shows it to searches.
    fn commit(
        &self,
        mut guard: std::sync::MutexGuard<'_, Option<IndexWriter>>,
        sequence: i64,
        generation: i64,
    ) -> Result<(), IndexError> {
        let writer = guard.as_mut().ok_or(IndexError::Closed)?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&format!("{sequence}/{generation}"));
        commit.commit()?;
        drop(guard);
        self.applied.store(sequence, Ordering::SeqCst);
        self.generation.store(generation, Ordering::SeqCst);
        self.reader.reload()?;
        Ok(())
    }

    /// The concepts the practice names, once for each mention (twice in
    /// the title, as its words weigh double): what a search by concept
    /// matches, in whatever language the practice is written.
    fn add_concepts(
        &self,
        document: &mut TantivyDocument,
        language: Language,
        title: &str,
        body: &str,
    ) {
        let mut analyzer = self.analyzer(language);
        let concepts = crate::text::concepts::concepts();
        let thesaurus = crate::domain::thesaurus::thesaurus();
        for (text, times) in [(title, 2), (body, 1)] {
            for mention in concepts.mentions(language, &mut analyzer, text) {
                let concept = thesaurus.concept(mention.concept);
                for _ in 0..times {
                    document.add_text(self.fields.concept, &concept.id);
                    for &broader in &concept.broader {
                        let broader = &thesaurus.concept(broader).id;
                        document.add_text(self.fields.concept_within, broader);
                    }
                }
            }
        }
    }

    fn document(
        &self,
        entry: &CatalogueEntry,
        entities: &Entities,
    ) -> Result<TantivyDocument, AppError> {
        let f = &self.fields;
        let practice = &entry.practice;
        let language: Language = entry.language.parse().map_err(AppError::internal)?;
        let entity = entities.get(&entry.entity)?;
        let sections: std::collections::BTreeSet<_> =
            practice.items.iter().map(|i| i.section()).collect();
        let row = Row {
            id: practice.id.clone(),
            title: practice.title.clone(),
            entity: entity.code.to_string(),
            entity_name: entity.name.clone(),
            entity_type: entity.entity_type.as_str().to_owned(),
            language: language.code().to_owned(),
            items: practice.items.iter().map(|i| i.number()).collect(),
            sections: sections.iter().map(|s| s.to_string()).collect(),
            accepted_at: entry
                .accepted_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            submission_id: practice.submission_id.clone(),
            translations: entry
                .translations
                .iter()
                .map(|t| TranslatedTitle {
                    language: t.language,
                    title: t.title.clone(),
                })
                .collect(),
        };
        // Matched and quoted as a reader sees it, not as Markdown source.
        let body = crate::text::markdown::to_plain_text(&practice.body);
        let text = f.text(language);
        let mut document = doc!(
            f.id => practice.id.clone(),
            f.row => serde_json::to_string(&row).map_err(AppError::internal)?,
            f.body_text => body.clone(),
            f.entity => entity.code.to_string(),
            f.entity_type => codes::entity_type(entity.entity_type),
            f.language => codes::language(language),
            f.year => codes::year(entry.accepted_at.year()),
            f.accepted_at => entry.accepted_at.timestamp(),
            text.title => practice.title.clone(),
            text.body => body.clone(),
            f.words => practice.title.clone(),
            f.words => body.clone(),
        );
        self.add_concepts(&mut document, language, &practice.title, &body);
        // A translation is found with its own language's analyzer, in the
        // fields of that language; its concepts are the original's.
        for translation in entry.translations.iter().filter(|t| t.language != language) {
            let fields = f.text(translation.language);
            let body = crate::text::markdown::to_plain_text(&translation.body);
            document.add_text(fields.title, &translation.title);
            document.add_text(fields.body, &body);
            document.add_text(f.words, &translation.title);
            document.add_text(f.words, &body);
            document.add_u64(f.translated_into, codes::language(translation.language));
            document.add_text(
                f.translation_text,
                format!(
                    "{}{}{body}",
                    translation.language.code(),
                    schema::TRANSLATION_SEPARATOR
                ),
            );
        }
        document.add_u64(
            f.facet_pack,
            codes::pack::pack(&codes::pack::Facets {
                sections: sections.iter().map(|s| codes::section(*s)).collect(),
                items: practice.items.iter().map(|i| i.number()).collect(),
                entity_type: codes::entity_type(entity.entity_type),
                region: entity.region.map(codes::region),
                language: codes::language(language),
                year: codes::year(entry.accepted_at.year()),
            }),
        );
        if let Some(region) = entity.region {
            document.add_u64(f.region, codes::region(region));
        }
        if let Some(group) = entity.regional_group {
            document.add_u64(f.regional_group, codes::regional_group(group));
        }
        for item in &practice.items {
            document.add_u64(f.item, u64::from(item.number()));
        }
        if let Some(main) = practice.main_item() {
            document.add_u64(f.main_item, u64::from(main.number()));
        }
        for section in sections {
            document.add_u64(f.section, codes::section(section));
        }
        for sector in &practice.sectors {
            document.add_u64(f.sector, codes::sector(*sector));
        }
        Ok(document)
    }
}

/// Every entity by code, for a batch of documents.
struct Entities(HashMap<String, Entity>);

impl Entities {
    fn load(connection: &mut AnyConnection) -> Result<Entities, AppError> {
        organisations::all_by_code(connection).map(Entities)
    }

    fn get(&self, code: &str) -> Result<&Entity, AppError> {
        self.0.get(code).ok_or_else(|| {
            AppError::internal(format!(
                "a catalogue practice names the unknown entity {code}"
            ))
        })
    }
}

/// Used by `EntityCode` filters.
pub fn entity_term(fields: &Fields, code: &EntityCode) -> Term {
    Term::from_field_text(fields.entity, code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_index_can_be_opened_again_at_once_and_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let first = SearchIndex::open(dir.path(), 16 * 1024 * 1024).unwrap();
        assert!(
            matches!(
                SearchIndex::open(dir.path(), 16 * 1024 * 1024),
                Err(IndexError::Locked { .. })
            ),
            "one writer at a time"
        );
        first.close().unwrap();
        let guard = first.writer.lock().unwrap();
        assert!(matches!(first.commit(guard, 1, 0), Err(IndexError::Closed)));
        SearchIndex::open(dir.path(), 16 * 1024 * 1024).expect("the lock was let go");
    }

    #[test]
    fn a_commit_remembers_its_change_and_its_rebuild_generation() {
        assert_eq!(read_payload(Some("1234/7")), (1234, 7));
        // An index committed before generations were kept.
        assert_eq!(read_payload(Some("1234")), (1234, 0));
        assert_eq!(read_payload(None), (0, 0));
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path(), 16 * 1024 * 1024).unwrap();
        let guard = index.writer.lock().unwrap();
        index.commit(guard, 42, 3).unwrap();
        index.close().unwrap();
        let again = SearchIndex::open(dir.path(), 16 * 1024 * 1024).unwrap();
        assert_eq!((again.applied_sequence(), again.generation()), (42, 3));
    }
}
