//! Counting facet values over a whole result set, straight from the fast
//! fields: every code is below [`CODES`], so a count is an array slot.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::codes::{pack, CODES};

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

    /// The field's name in the API's `facets` object.
    pub fn name(self) -> &'static str {
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

/// Counts the values of some facet fields over the matching documents,
/// from the packed facet column (see [`super::codes::pack`]).
pub struct FacetCounts {
    fields: Vec<FacetField>,
}

impl FacetCounts {
    pub fn new(fields: Vec<FacetField>) -> FacetCounts {
        FacetCounts { fields }
    }
}

pub struct SegmentFacetCounts {
    column: Column<u64>,
    counts: Vec<Vec<u64>>,
    fields: Vec<FacetField>,
    buffer: Vec<u64>,
}

impl SegmentFacetCounts {
    fn count(&mut self, packed: u64) {
        for (field, counts) in self.fields.iter().zip(self.counts.iter_mut()) {
            match field {
                FacetField::Section => {
                    pack::each_bit(packed, pack::SECTIONS, 7, |b| counts[b] += 1)
                }
                FacetField::Item => pack::each_bit(packed, pack::ITEMS, 18, |b| counts[b + 1] += 1),
                FacetField::EntityType => counts[pack::field(packed, pack::ENTITY_TYPE, 3)] += 1,
                FacetField::Region => match pack::field(packed, pack::REGION, 3) {
                    0 => {}
                    code => counts[code - 1] += 1,
                },
                FacetField::Language => counts[pack::field(packed, pack::LANGUAGE, 3)] += 1,
                FacetField::Year => counts[pack::field(packed, pack::YEAR, 8)] += 1,
            }
        }
    }
}

impl Collector for FacetCounts {
    type Fruit = Counts;
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounts> {
        Ok(SegmentFacetCounts {
            column: segment.fast_fields().u64(FACET_PACK)?,
            counts: vec![vec![0; CODES]; self.fields.len()],
            fields: self.fields.clone(),
            buffer: Vec::new(),
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

/// The packed facet field's name in the schema.
pub const FACET_PACK: &str = "facet_pack";

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        // Every document has the packed value: the column is dense.
        let packed = self.column.values.get_val(doc);
        self.count(packed);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.resize(docs.len(), 0);
        self.column.values.get_vals(docs, &mut buffer);
        for packed in &buffer {
            self.count(*packed);
        }
        self.buffer = buffer;
    }

    fn harvest(self) -> Counts {
        self.fields.into_iter().zip(self.counts).collect()
    }
}
