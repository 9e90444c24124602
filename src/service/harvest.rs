//! What OAI-PMH harvesters read: the catalogue's practices in the order
//! they last changed, each as the catalogue now shows it, or as deleted
//! when it has left (withdrawn, or dropped by a revision).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::domain::annex::adopted;
use crate::domain::entities::Entity;
use crate::domain::harvest::{HarvestSet, Selection};
use crate::error::AppError;
use crate::store::catalogue::{self, CatalogueEntry};
use crate::store::harvest::{self, Stamp};
use crate::store::{organisations, AnyConnection};

/// One practice as a harvester sees it.
pub struct Harvested {
    pub stamp: Stamp,
    pub sets: Vec<HarvestSet>,
    /// The practice as the catalogue shows it; `None` once it has left.
    pub entry: Option<CatalogueEntry>,
}

/// A page of a list.
pub struct Page {
    pub records: Vec<Harvested>,
    /// The change the page ended with, when more records follow.
    pub continues_after: Option<i64>,
    /// Every contributor, to name the records' creators.
    pub entities: HashMap<String, Entity>,
}

/// One practice found by id, and the contributors to name its creator.
pub struct Found {
    pub record: Harvested,
    pub entities: HashMap<String, Entity>,
}

/// How many changes are read at a time while a set filters them (most
/// are not in it).
const BATCH: i64 = 500;

/// Up to `size` records of the selection whose latest change comes after
/// change `after`.
pub fn page(
    connection: &mut AnyConnection,
    selection: &Selection,
    after: i64,
    size: usize,
) -> Result<Page, AppError> {
    let entities = organisations::all_by_code(connection)?;
    // One more than a page: whether another page follows is known now,
    // so the last page never ends with a token that leads nowhere.
    let wanted = size + 1;
    // Without a set every change read is a record answered: read no more
    // than the page needs (each is assembled whole, body and all).
    let batch = match selection.set {
        Some(_) => BATCH.max(wanted as i64),
        None => wanted as i64,
    };
    let mut records = Vec::with_capacity(wanted);
    let mut after = after;
    'reading: loop {
        let stamps = harvest::stamps_after(
            connection,
            after,
            selection.from,
            selection.until_before,
            batch,
        )?;
        let exhausted = (stamps.len() as i64) < batch;
        for record in assemble(connection, stamps, &entities)? {
            after = record.stamp.seq;
            let held = selection
                .set
                .is_none_or(|set| record.sets.iter().any(|&of| set.includes(of)));
            if held {
                records.push(record);
                if records.len() == wanted {
                    break 'reading;
                }
            }
        }
        if exhausted {
            break;
        }
    }
    let continues_after = if records.len() > size {
        records.truncate(size);
        records.last().map(|r| r.stamp.seq)
    } else {
        None
    };
    Ok(Page {
        records,
        continues_after,
        entities,
    })
}

/// One practice by id, if it ever entered the catalogue.
pub fn record(
    connection: &mut AnyConnection,
    practice_id: &str,
) -> Result<Option<Found>, AppError> {
    let Some(stamp) = harvest::stamp_of(connection, practice_id)? else {
        return Ok(None);
    };
    let entities = organisations::all_by_code(connection)?;
    let record = assemble(connection, vec![stamp], &entities)?.pop();
    Ok(record.map(|record| Found { record, entities }))
}

/// A lower bound of every datestamp: the first change, or the adoption
/// of resolution 64/211 for an empty catalogue.
pub fn earliest_datestamp(connection: &mut AnyConnection) -> Result<DateTime<Utc>, AppError> {
    Ok(harvest::earliest(connection)?.unwrap_or_else(adopted))
}

/// The stamped practices as records, in the stamps' order.
fn assemble(
    connection: &mut AnyConnection,
    stamps: Vec<Stamp>,
    entities: &HashMap<String, Entity>,
) -> Result<Vec<Harvested>, AppError> {
    let ids: Vec<String> = stamps.iter().map(|s| s.practice_id.clone()).collect();
    let mut live: HashMap<String, CatalogueEntry> = catalogue::entries(connection, &ids)?
        .into_iter()
        .map(|entry| (entry.practice.id.clone(), entry))
        .collect();
    let gone: Vec<String> = ids
        .iter()
        .filter(|id| !live.contains_key(*id))
        .cloned()
        .collect();
    let mut departed: HashMap<String, _> = if gone.is_empty() {
        HashMap::new()
    } else {
        harvest::practices_with_entity(connection, &gone)?
            .into_iter()
            .map(|(practice, entity)| (practice.id.clone(), (practice, entity)))
            .collect()
    };
    let kind = |entity: &str| entities.get(entity).map(|e| e.entity_type);
    Ok(stamps
        .into_iter()
        .map(|stamp| {
            let entry = live.remove(&stamp.practice_id);
            let sets = match (&entry, departed.remove(&stamp.practice_id)) {
                (Some(entry), _) => HarvestSet::of(&entry.practice.items, kind(&entry.entity)),
                (None, Some((practice, entity))) => HarvestSet::of(&practice.items, kind(&entity)),
                (None, None) => Vec::new(),
            };
            Harvested { stamp, sets, entry }
        })
        .collect())
}
