//! Practices to recommend for an annex item a State has yet to put in
//! place: other entities' practices from the catalogue, those whose main
//! item it is first, then those also tagged with it; within each, those in
//! the reader's language first, then the newest. The index answers: four
//! small queries at most, each a term lookup sorted by a fast column.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term, Value};
use tantivy::{Order, TantivyDocument};

use super::{codes, entity_term, Row, SearchIndex};
use crate::domain::annex::AnnexItem;
use crate::domain::entities::EntityCode;
use crate::domain::Language;
use crate::error::AppError;

/// Why a practice is recommended for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The item is what the practice is mainly about.
    MainItem,
    /// The practice is tagged with the item among others.
    AlsoTagged,
}

#[derive(Debug, Clone)]
pub struct Recommendation {
    pub row: Row,
    pub why: Why,
    /// Written in the language the reader asked for.
    pub in_reader_language: bool,
}

fn term(query: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(query, IndexRecordOption::Basic))
}

impl SearchIndex {
    /// Up to `limit` practices for `item`, none of `exclude`'s (a State is
    /// never recommended its own practices).
    pub fn recommend(
        &self,
        item: AnnexItem,
        language: Language,
        exclude: &EntityCode,
        limit: usize,
    ) -> Result<Vec<Recommendation>, AppError> {
        let failed = |e: tantivy::TantivyError| AppError::internal(format!("recommend: {e}"));
        let f = &self.fields;
        let (_, searcher) = self.searcher();
        let number = u64::from(item.number());
        let main = || term(Term::from_field_u64(f.main_item, number));
        let tagged = || term(Term::from_field_u64(f.item, number));
        let in_language = || term(Term::from_field_u64(f.language, codes::language(language)));
        let mut found: Vec<Recommendation> = Vec::with_capacity(limit);
        for (why, in_reader_language) in [
            (Why::MainItem, true),
            (Why::MainItem, false),
            (Why::AlsoTagged, true),
            (Why::AlsoTagged, false),
        ] {
            let wanted = limit.saturating_sub(found.len());
            if wanted == 0 {
                break;
            }
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Must, tagged()),
                (Occur::MustNot, term(entity_term(f, exclude))),
            ];
            clauses.push(match why {
                Why::MainItem => (Occur::Must, main()),
                Why::AlsoTagged => (Occur::MustNot, main()),
            });
            clauses.push(match in_reader_language {
                true => (Occur::Must, in_language()),
                false => (Occur::MustNot, in_language()),
            });
            let query = BooleanQuery::new(clauses);
            let top = searcher
                .search(
                    &query,
                    &TopDocs::with_limit(wanted)
                        .order_by_fast_field::<i64>("accepted_at", Order::Desc),
                )
                .map_err(failed)?;
            for (_, address) in top {
                let document: TantivyDocument = searcher.doc(address).map_err(failed)?;
                let stored = document
                    .get_first(f.row)
                    .and_then(|v| v.as_str())
                    .unwrap_or("{}");
                let row: Row = serde_json::from_str(stored)
                    .map_err(|e| AppError::internal(format!("stored row: {e}")))?;
                found.push(Recommendation {
                    row,
                    why,
                    in_reader_language,
                });
            }
        }
        Ok(found)
    }
}
