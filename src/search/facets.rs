//! Counting facet values over a whole result set, straight from the fast
//! fields: every code is below [`CODES`], so a count is an array slot.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::codes::CODES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetField {
    Section,
    Item,
    EntityType,
    Region,
    Language,
    Year,
}

impl FacetField {
    pub const ALL: [FacetField; 6] = [
        FacetField::Section,
        FacetField::Item,
        FacetField::EntityType,
        FacetField::Region,
        FacetField::Language,
        FacetField::Year,
    ];

    /// The fast field it is counted from.
    pub fn field_name(self) -> &'static str {
        match self {
            FacetField::Section => "section",
            FacetField::Item => "item",
            FacetField::EntityType => "entity_type",
            FacetField::Region => "region",
            FacetField::Language => "language",
            FacetField::Year => "year",
        }
    }
}

pub type Counts = Vec<(FacetField, Vec<u64>)>;

/// Counts the values of some facet fields over the matching documents.
pub struct FacetCounts {
    fields: Vec<FacetField>,
}

impl FacetCounts {
    pub fn new(fields: Vec<FacetField>) -> FacetCounts {
        FacetCounts { fields }
    }
}

pub struct SegmentFacetCounts {
    columns: Vec<Column<u64>>,
    counts: Vec<Vec<u64>>,
    fields: Vec<FacetField>,
}

impl Collector for FacetCounts {
    type Fruit = Counts;
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounts> {
        let columns = self
            .fields
            .iter()
            .map(|f| segment.fast_fields().u64(f.field_name()))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(SegmentFacetCounts {
            counts: vec![vec![0; CODES]; columns.len()],
            columns,
            fields: self.fields.clone(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut total: Counts = self.fields.iter().map(|f| (*f, vec![0; CODES])).collect();
        for segment in segments {
            for ((_, sum), (_, counts)) in total.iter_mut().zip(segment) {
                for (slot, count) in sum.iter_mut().zip(counts) {
                    *slot += count;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            for value in column.values_for_doc(doc) {
                counts[(value as usize).min(CODES - 1)] += 1;
            }
        }
    }

    fn harvest(self) -> Counts {
        self.fields.into_iter().zip(self.counts).collect()
    }
}
