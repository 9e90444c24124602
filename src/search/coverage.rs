//! Counting the catalogue by contributor and annex item, straight from the
//! index's columns: for each entity, how many of its practices the filter
//! admits, in all and per annex item. Coverage tables group these by
//! region, regional group or kind of contributor; no practice is loaded.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::codes::pack;
use super::engine::Filters;
use super::facets::FACET_PACK;
use super::SearchIndex;
use crate::domain::annex::AnnexItem;
use crate::domain::coverage::ItemCounts;
use crate::error::AppError;

/// Per entity code, its practices in all and per item.
pub type EntityCounts = HashMap<String, ItemCounts>;

struct CoverageCollector;

pub struct SegmentCoverage {
    entities: StrColumn,
    packs: Column<u64>,
    /// By the entity's term ordinal in this segment.
    counts: Vec<ItemCounts>,
}

impl Collector for CoverageCollector {
    type Fruit = EntityCounts;
    type Child = SegmentCoverage;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCoverage> {
        let entities = segment.fast_fields().str("entity")?.ok_or_else(|| {
            tantivy::TantivyError::SchemaError("the entity column is missing: reindex".to_owned())
        })?;
        let terms = entities.num_terms();
        Ok(SegmentCoverage {
            entities,
            packs: segment.fast_fields().u64(FACET_PACK)?,
            counts: vec![[0; AnnexItem::LAST as usize + 1]; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<EntityCounts>) -> tantivy::Result<EntityCounts> {
        let mut total = EntityCounts::new();
        for segment in segments {
            for (entity, counts) in segment {
                let sum = total
                    .entry(entity)
                    .or_insert([0; AnnexItem::LAST as usize + 1]);
                for (slot, count) in sum.iter_mut().zip(counts) {
                    *slot += count;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentCoverage {
    type Fruit = EntityCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(ordinal) = self.entities.term_ords(doc).next() else {
            return;
        };
        let Some(counts) = self.counts.get_mut(ordinal as usize) else {
            return;
        };
        counts[0] += 1;
        let packed = self.packs.values.get_val(doc);
        pack::each_bit(packed, pack::ITEMS, u32::from(AnnexItem::LAST), |bit| {
            counts[bit + 1] += 1
        });
    }

    fn harvest(self) -> EntityCounts {
        let mut found = EntityCounts::new();
        let mut name = String::new();
        for (ordinal, counts) in self.counts.into_iter().enumerate() {
            if counts[0] == 0 {
                continue;
            }
            name.clear();
            if self
                .entities
                .ord_to_str(ordinal as u64, &mut name)
                .unwrap_or(false)
            {
                found.insert(name.clone(), counts);
            }
        }
        found
    }
}

impl SearchIndex {
    /// The practices each entity has in the catalogue, in all and per
    /// annex item, among those the filters admit.
    pub fn coverage(&self, filters: &Filters) -> Result<EntityCounts, AppError> {
        let (_, searcher) = self.searcher();
        let query = self.filter_query(filters);
        searcher
            .search(&*query, &CoverageCollector)
            .map_err(|e| AppError::internal(format!("coverage: {e}")))
    }
}
