//! Running a search: the reader's query and filters become one tantivy
//! query; the top hits, the total and the facet counts come from one pass,
//! plus one pass per facet whose own filter is set (disjunctive facets: a
//! field's counts ignore that field's filter, so a reader can widen it).

use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

use super::cache::{MatchKey, Matches};
use super::facets::{Counts, FacetCounts, FacetField};
use super::query::{Clause, ParsedQuery};
use super::{codes, Row, SearchIndex};
use crate::domain::annex::{AnnexItem, SectionId};
use crate::domain::entities::{EntityCode, EntityType, Region, RegionalGroup};
use crate::domain::submission::Sector;
use crate::domain::Language;
use crate::error::AppError;
use crate::text::analyzers;
use crate::text::{escape_html, shortened};

/// Matches in a title weigh this much more than in a body.
pub(super) const TITLE_BOOST: f32 = 2.0;
const SNIPPET_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub sections: Vec<SectionId>,
    pub items: Vec<AnnexItem>,
    pub entities: Vec<EntityCode>,
    pub entity_types: Vec<EntityType>,
    pub regions: Vec<Region>,
    pub regional_groups: Vec<RegionalGroup>,
    pub languages: Vec<Language>,
    pub sectors: Vec<Sector>,
    /// Accepted at or after, in seconds since the epoch.
    pub from: Option<i64>,
    /// Accepted before, in seconds since the epoch.
    pub until: Option<i64>,
}

impl Filters {
    /// Whether the facet's own field is filtered (its counts then come
    /// from a search without that filter).
    fn filters(&self, facet: FacetField) -> bool {
        match facet {
            FacetField::Section => !self.sections.is_empty(),
            FacetField::Item => !self.items.is_empty(),
            FacetField::EntityType => !self.entity_types.is_empty(),
            FacetField::Region => !self.regions.is_empty(),
            FacetField::Language => !self.languages.is_empty(),
            FacetField::Year => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Sort {
    Relevance,
    Newest,
}

/// Where the next page starts: the searcher the first page used (so pages
/// stay consistent while the index changes) and the offset in its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub generation: u64,
    pub offset: usize,
}

/// Written `generation.offset` (`api::formats::SearchCursor`): every
/// string of that shape is a place to go on from, since an unknown
/// generation falls back to the present one and offsets past the end
/// give an empty page.
impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.generation, self.offset)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let (generation, offset) = text.split_once('.')?;
        let digits = |s: &str, most: usize| {
            (1..=most).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(generation, 19) || !digits(offset, 12) {
            return None;
        }
        Some(Cursor {
            generation: generation.parse().ok()?,
            offset: offset.parse().ok()?,
        })
    }
}

pub struct SearchRequest {
    pub query: ParsedQuery,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    pub cursor: Option<Cursor>,
    /// Where to start without a cursor: a numbered page of the reader
    /// site, counted on the present state of the index.
    pub offset: usize,
    /// Whether to make snippets (the CSV export needs none).
    pub snippets: bool,
    /// Whether to search for the concepts the words name, in every
    /// language and by their synonyms, besides the words themselves.
    pub expand: bool,
    /// The reader's language: practices in it rank first, and words are
    /// read in it first. Unknown: guessed from the words' script.
    pub language: Option<Language>,
    /// Whether the matches are kept for the same search again (see
    /// [`super::cache`]): not for a walk through every page, as the CSV
    /// export makes, which would push out the searches readers repeat.
    pub remember: bool,
}

pub struct Hit {
    /// As stored: the original's title.
    pub row: Row,
    /// Plain text, HTML-escaped, matched terms in `<mark>`.
    pub snippet: String,
    /// The courtesy translation the title and snippet come from: the one
    /// into the reader's language, or the one the words matched in when
    /// the original does not hold them.
    pub translation: Option<Language>,
}

impl Hit {
    /// The title the hit shows: its translation's, when it shows one.
    pub fn title(&self) -> &str {
        self.translation
            .and_then(|language| {
                self.row
                    .translations
                    .iter()
                    .find(|t| t.language == language)
            })
            .map_or(&self.row.title, |t| &t.title)
    }
}

pub struct SearchResults {
    /// The concepts the words were expanded to.
    pub expanded: Vec<crate::domain::thesaurus::ConceptId>,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Counts,
    pub next_cursor: Option<Cursor>,
}

fn set_query(field: Field, codes: impl Iterator<Item = u64>) -> Box<dyn Query> {
    terms_query(
        codes
            .map(|code| Term::from_field_u64(field, code))
            .collect(),
    )
}

/// A filter: any of the terms, adding nothing to the score. Postings are
/// walked lazily alongside the rest of the query; a `TermSetQuery` would
/// first build a bitset of every matching document, which for a broad
/// filter such as one section cost more than the whole selective search.
fn terms_query(terms: Vec<Term>) -> Box<dyn Query> {
    let alternatives: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|term| {
            let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, query)
        })
        .collect();
    Box::new(ConstScoreQuery::new(boolean(alternatives), 0.0))
}

pub(super) fn boolean(clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses))
}

/// A snippet as the contract shows it: escaped text, matches in `<mark>`.
fn marked(snippet: &Snippet) -> String {
    let fragment = snippet.fragment();
    let mut out = String::with_capacity(fragment.len() + 32);
    let mut last = 0;
    for range in snippet.highlighted() {
        if range.start < last || range.end > fragment.len() {
            continue;
        }
        escape_html(&fragment[last..range.start], &mut out);
        out.push_str("<mark>");
        escape_html(&fragment[range.start..range.end], &mut out);
        out.push_str("</mark>");
        last = range.end;
    }
    escape_html(&fragment[last..], &mut out);
    out
}

/// The start of a text, escaped, when nothing in it matched.
fn opening(text: &str) -> String {
    let mut out = String::new();
    escape_html(&shortened(text, SNIPPET_CHARS), &mut out);
    out
}

impl SearchIndex {
    /// The query of one word, phrase or prefix: every language's fields,
    /// each with its own analyzer.
    pub(super) fn clause_query(&self, clause: &Clause) -> Option<Box<dyn Query>> {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match clause {
            Clause::Word(text) | Clause::Phrase(text) => {
                for (language, fields) in self.fields.texts() {
                    let terms = analyzers::terms(&mut self.analyzer(language), text);
                    if terms.is_empty() {
                        continue;
                    }
                    for (field, boost) in [(fields.title, TITLE_BOOST), (fields.body, 1.0)] {
                        let query: Box<dyn Query> = if terms.len() == 1 {
                            Box::new(TermQuery::new(
                                Term::from_field_text(field, &terms[0]),
                                IndexRecordOption::WithFreqs,
                            ))
                        } else {
                            Box::new(PhraseQuery::new(
                                terms
                                    .iter()
                                    .map(|t| Term::from_field_text(field, t))
                                    .collect(),
                            ))
                        };
                        alternatives.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
                    }
                }
            }
            Clause::Prefix(prefix) => {
                let mut folding = self.index().tokenizers().get(analyzers::PREFIX)?;
                let terms = analyzers::terms(&mut folding, prefix);
                // Prefixes are alphanumeric after folding, so they need no
                // escaping in the pattern.
                let [prefix] = terms.as_slice() else {
                    return self.clause_query(&Clause::Phrase(prefix.clone()));
                };
                if let Ok(query) =
                    RegexQuery::from_pattern(&format!("{prefix}.*"), self.fields.words)
                {
                    alternatives.push((Occur::Should, Box::new(query)));
                }
            }
        }
        (!alternatives.is_empty()).then(|| boolean(alternatives))
    }

    fn filter_queries(&self, filters: &Filters, except: Option<FacetField>) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut queries = Vec::new();
        let active = |facet: FacetField| except != Some(facet);
        if !filters.sections.is_empty() && active(FacetField::Section) {
            queries.push(set_query(
                f.section,
                filters.sections.iter().map(|s| codes::section(*s)),
            ));
        }
        if !filters.items.is_empty() && active(FacetField::Item) {
            queries.push(set_query(
                f.item,
                filters.items.iter().map(|i| u64::from(i.number())),
            ));
        }
        if !filters.entity_types.is_empty() && active(FacetField::EntityType) {
            queries.push(set_query(
                f.entity_type,
                filters.entity_types.iter().map(|t| codes::entity_type(*t)),
            ));
        }
        if !filters.regions.is_empty() && active(FacetField::Region) {
            queries.push(set_query(
                f.region,
                filters.regions.iter().map(|r| codes::region(*r)),
            ));
        }
        if !filters.languages.is_empty() && active(FacetField::Language) {
            queries.push(set_query(
                f.language,
                filters.languages.iter().map(|l| codes::language(*l)),
            ));
        }
        if !filters.regional_groups.is_empty() {
            queries.push(set_query(
                f.regional_group,
                filters
                    .regional_groups
                    .iter()
                    .map(|g| codes::regional_group(*g)),
            ));
        }
        if !filters.sectors.is_empty() {
            queries.push(set_query(
                f.sector,
                filters.sectors.iter().map(|s| codes::sector(*s)),
            ));
        }
        if !filters.entities.is_empty() {
            queries.push(terms_query(
                filters
                    .entities
                    .iter()
                    .map(|e| super::entity_term(f, e))
                    .collect(),
            ));
        }
        if filters.from.is_some() || filters.until.is_some() {
            let lower = filters.from.map_or(Bound::Unbounded, |t| {
                Bound::Included(Term::from_field_i64(f.accepted_at, t))
            });
            let upper = filters.until.map_or(Bound::Unbounded, |t| {
                Bound::Excluded(Term::from_field_i64(f.accepted_at, t))
            });
            queries.push(Box::new(RangeQuery::new(lower, upper)));
        }
        queries
    }

    fn full_query(
        &self,
        text: Option<&dyn Query>,
        filters: &Filters,
        except: Option<FacetField>,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .filter_queries(filters, except)
            .into_iter()
            .map(|q| (Occur::Must, q))
            .collect();
        if let Some(text) = text {
            clauses.push((Occur::Must, text.box_clone()));
        }
        if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            boolean(clauses)
        }
    }

    /// The query of the filters alone (every practice when there are none).
    pub(crate) fn filter_query(&self, filters: &Filters) -> Box<dyn Query> {
        self.full_query(None, filters, None)
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, AppError> {
        let (generation, searcher, offset) = match request.cursor {
            Some(cursor) => match self.searcher_of(cursor.generation) {
                Some(searcher) => (cursor.generation, searcher, cursor.offset),
                None => {
                    let (generation, searcher) = self.searcher();
                    (generation, searcher, cursor.offset)
                }
            },
            None => {
                let (generation, searcher) = self.searcher();
                (generation, searcher, request.offset)
            }
        };
        // TopDocs keeps a heap of offset + limit entries: a forged cursor's
        // offset must not size it beyond the documents there are.
        let offset = offset.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        let (text, expanded) = self.text_query(request);
        let key = MatchKey {
            searcher: generation,
            query: request.query.clone(),
            filters: request.filters.clone(),
            sort: request.sort,
            expand: request.expand,
            language: request.language,
            offset,
            limit: request.limit,
        };
        let matches = match self.matches.get(&key) {
            Some(kept) => kept,
            None => {
                let found = Arc::new(self.matches(&searcher, text.as_deref(), request, offset)?);
                if request.remember && key.worth_keeping(request.cursor.is_some()) {
                    self.matches.insert(key, Arc::clone(&found));
                }
                found
            }
        };
        let (addresses, total) = (&matches.addresses, matches.total);
        // Snippets mark the reader's own words: the expanded query's many
        // terms would cost a document-frequency lookup each, per search.
        let literal = match expanded.is_empty() || !request.snippets {
            true => None,
            false => self.literal_query(&request.query),
        };
        let marked = literal.as_deref().or(text.as_deref());
        let hits = self.hits(
            &searcher,
            addresses,
            marked,
            request.snippets,
            request.language,
        )?;
        let next_offset = offset + addresses.len();
        let next_cursor = (next_offset < total && !addresses.is_empty()).then_some(Cursor {
            generation,
            offset: next_offset,
        });
        Ok(SearchResults {
            expanded,
            total,
            hits,
            facets: matches.counts.clone(),
            next_cursor,
        })
    }

    /// Every practice the query matches: the page's documents (from
    /// `offset`), the total, and the facet counts, one pass for the facets
    /// of unfiltered fields and one more for each filtered one
    /// (disjunctive facets).
    fn matches(
        &self,
        searcher: &Searcher,
        text: Option<&dyn Query>,
        request: &SearchRequest,
        offset: usize,
    ) -> Result<Matches, AppError> {
        let failed = |e: tantivy::TantivyError| AppError::internal(format!("search: {e}"));
        let query = self.full_query(text, &request.filters, None);
        let plain_facets: Vec<FacetField> = FacetField::ALL
            .into_iter()
            .filter(|f| !request.filters.filters(*f))
            .collect();
        let top = TopDocs::with_limit(request.limit.max(1)).and_offset(offset);
        let facets = FacetCounts::new(plain_facets);
        let (addresses, total, mut counts): (Vec<DocAddress>, usize, Counts) = match request.sort {
            Sort::Relevance => {
                let (top, total, counts) = searcher
                    .search(&*query, &(top.order_by_score(), Count, facets))
                    .map_err(failed)?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
            Sort::Newest => {
                let (top, total, counts) = searcher
                    .search(
                        &*query,
                        &(
                            top.order_by_fast_field::<i64>("accepted_at", Order::Desc),
                            Count,
                            facets,
                        ),
                    )
                    .map_err(failed)?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
        };
        for facet in FacetField::ALL
            .into_iter()
            .filter(|f| request.filters.filters(*f))
        {
            let widened = self.full_query(text, &request.filters, Some(facet));
            counts.extend(
                searcher
                    .search(&*widened, &FacetCounts::new(vec![facet]))
                    .map_err(failed)?,
            );
        }
        Ok(Matches {
            addresses,
            total,
            counts,
        })
    }

    fn hits(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
        text: Option<&dyn Query>,
        snippets: bool,
        reader: Option<Language>,
    ) -> Result<Vec<Hit>, AppError> {
        let mut generators: HashMap<Language, Option<SnippetGenerator>> = HashMap::new();
        // The text's matches marked, if it holds any, in `language`'s terms.
        let mut matched = |language: Language, body: &str| -> Option<String> {
            let text = text?;
            let generator = generators.entry(language).or_insert_with(|| {
                SnippetGenerator::create(searcher, text, self.fields.text(language).body)
                    .ok()
                    .map(|mut g| {
                        g.set_max_num_chars(SNIPPET_CHARS);
                        g
                    })
            });
            let snippet = generator.as_ref()?.snippet(body);
            (!snippet.highlighted().is_empty()).then(|| marked(&snippet))
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let document: TantivyDocument = searcher
                .doc(*address)
                .map_err(|e| AppError::internal(format!("search: {e}")))?;
            let row_json = document
                .get_first(self.fields.row)
                .and_then(|v| v.as_str())
                .unwrap_or("{}");
            let row: Row = serde_json::from_str(row_json)
                .map_err(|e| AppError::internal(format!("stored row: {e}")))?;
            let body = document
                .get_first(self.fields.body_text)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let original = row.language.parse::<Language>().ok();
            let translations: Vec<(Language, &str)> = document
                .get_all(self.fields.translation_text)
                .filter_map(|v| v.as_str())
                .filter_map(|stored| {
                    let (code, text) = stored.split_once(super::schema::TRANSLATION_SEPARATOR)?;
                    Some((code.parse().ok()?, text))
                })
                .collect();
            // A reader gets the translation into their language first.
            let theirs = reader
                .filter(|l| Some(*l) != original)
                .and_then(|l| translations.iter().find(|(t, _)| *t == l));
            let (snippet, translation) = match (snippets, theirs, original) {
                (false, theirs, _) => (String::new(), theirs.map(|(l, _)| *l)),
                (true, Some((language, text)), _) => (
                    matched(*language, text).unwrap_or_else(|| opening(text)),
                    Some(*language),
                ),
                (true, None, Some(language)) => match matched(language, body) {
                    Some(snippet) => (snippet, None),
                    // The words are not in the original: they matched in
                    // a translation, which the hit then shows, marked.
                    None => translations
                        .iter()
                        .find_map(|(l, text)| matched(*l, text).map(|s| (s, Some(*l))))
                        .unwrap_or_else(|| (opening(body), None)),
                },
                (true, None, None) => (opening(body), None),
            };
            hits.push(Hit {
                row,
                snippet,
                translation,
            });
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_everywhere() {
        let mut out = String::new();
        escape_html(r#"<script>alert("x")</script> & 'y'"#, &mut out);
        assert_eq!(
            out,
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(opening("<b>"), "&lt;b&gt;");
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = Cursor {
            generation: 7,
            offset: 40,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(
            Cursor::decode("9999999999999999999.999999999999"),
            Some(Cursor {
                generation: 9_999_999_999_999_999_999,
                offset: 999_999_999_999
            })
        );
        for garbage in [
            "!!", "e30", "", ".", "1.", ".1", "+1.2", "1.-2", "1.2.3", "1 .2",
        ] {
            assert_eq!(Cursor::decode(garbage), None, "{garbage}");
        }
    }
}
