//! The matches of recent searches, kept per searcher: what a search costs
//! in proportion to the catalogue (every matching practice scored, counted
//! in the total and in six facets) is paid once per state of the index for
//! the searches readers repeat (the front page, a popular term), as Solr's
//! query result cache does. What a page costs in proportion to its rows
//! (stored rows, snippets) is still paid per request. A searcher never
//! changes, so an entry is exact for as long as it is kept; a commit makes
//! a new searcher, and entries of the old one are no longer asked for and
//! go first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::DocAddress;

use super::engine::{Filters, Sort};
use super::facets::Counts;
use super::query::ParsedQuery;
use crate::domain::Language;

/// Searches kept. An entry holds a page of addresses and six facets' counts
/// (about 12 KiB), so the cache stays within a few MiB.
const ENTRIES: usize = 256;

/// What decides a search's matches, on one searcher.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MatchKey {
    pub searcher: u64,
    pub query: ParsedQuery,
    pub filters: Filters,
    pub sort: Sort,
    pub expand: bool,
    pub language: Option<Language>,
    pub offset: usize,
    pub limit: usize,
}

impl MatchKey {
    /// Whether the matches are worth keeping: only a search's first pages
    /// are, since a walk through every page (a script following cursors, a
    /// crawler on numbered pages) would push out what readers repeat.
    pub fn worth_keeping(&self, by_cursor: bool) -> bool {
        !by_cursor && self.offset < DEEPEST_KEPT
    }
}

/// A search is kept for its pages before this offset.
const DEEPEST_KEPT: usize = 100;

/// A search's matches: the page's documents, the total and the facets.
#[derive(Debug)]
pub struct Matches {
    pub addresses: Vec<DocAddress>,
    pub total: usize,
    pub counts: Counts,
}

#[derive(Default)]
pub struct MatchCache {
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<MatchKey, (Arc<Matches>, u64)>,
    /// Counts uses: an entry's last use orders the evictions.
    clock: u64,
}

impl MatchCache {
    pub fn get(&self, key: &MatchKey) -> Option<Arc<Matches>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.clock += 1;
        let now = entries.clock;
        let (matches, used) = entries.map.get_mut(key)?;
        *used = now;
        Some(Arc::clone(matches))
    }

    /// Keeps a search's matches, letting go first of the entries of older
    /// searchers, then of the least recently used.
    pub fn insert(&self, key: MatchKey, matches: Arc<Matches>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let newest = key.searcher;
        entries.map.retain(|kept, _| kept.searcher >= newest);
        if entries.map.len() >= ENTRIES {
            let oldest = entries
                .map
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                entries.map.remove(&oldest);
            }
        }
        entries.clock += 1;
        let now = entries.clock;
        entries.map.insert(key, (matches, now));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .map
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(searcher: u64, word: &str) -> MatchKey {
        MatchKey {
            searcher,
            query: super::super::query::parse(word).expect("a query"),
            filters: Filters::default(),
            sort: Sort::Relevance,
            expand: true,
            language: None,
            offset: 0,
            limit: 20,
        }
    }

    fn matches(total: usize) -> Arc<Matches> {
        Arc::new(Matches {
            addresses: Vec::new(),
            total,
            counts: Vec::new(),
        })
    }

    #[test]
    fn a_search_is_found_again_only_on_its_own_searcher_and_with_its_own_words() {
        let cache = MatchCache::default();
        cache.insert(key(1, "incident"), matches(7));
        assert_eq!(cache.get(&key(1, "incident")).map(|m| m.total), Some(7));
        assert!(cache.get(&key(2, "incident")).is_none());
        assert!(cache.get(&key(1, "incidents")).is_none());
        let mut filtered = key(1, "incident");
        filtered.filters.languages.push(Language::Fr);
        assert!(cache.get(&filtered).is_none());
        let mut next_page = key(1, "incident");
        next_page.offset = 20;
        assert!(cache.get(&next_page).is_none());
    }

    #[test]
    fn only_the_first_pages_found_without_a_cursor_are_kept() {
        let mut page = key(1, "incident");
        assert!(page.worth_keeping(false));
        assert!(!page.worth_keeping(true));
        page.offset = 80;
        assert!(page.worth_keeping(false));
        page.offset = 100;
        assert!(!page.worth_keeping(false));
    }

    #[test]
    fn a_newer_searcher_pushes_out_the_older_ones_entries() {
        let cache = MatchCache::default();
        cache.insert(key(1, "incident"), matches(7));
        cache.insert(key(1, "response"), matches(8));
        cache.insert(key(2, "incident"), matches(9));
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.get(&key(2, "incident")).map(|m| m.total), Some(9));
    }

    #[test]
    fn the_least_recently_used_search_goes_when_the_cache_is_full() {
        let cache = MatchCache::default();
        for n in 0..ENTRIES {
            cache.insert(key(1, &format!("word{n}")), matches(n));
        }
        // The first is used again: the second is now the oldest.
        assert!(cache.get(&key(1, "word0")).is_some());
        cache.insert(key(1, "another"), matches(0));
        assert_eq!(cache.len(), ENTRIES);
        assert!(cache.get(&key(1, "word0")).is_some());
        assert!(cache.get(&key(1, "word1")).is_none());
        assert!(cache.get(&key(1, "another")).is_some());
    }
}
