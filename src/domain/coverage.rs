//! Taking stock: how well the catalogue covers each annex item, by region,
//! regional group, kind of contributor or contributor. A pure function of
//! per-entity counts (from the search index) and the reference entities.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::annex::AnnexItem;
use crate::domain::entities::{Entity, EntityType, Region, RegionalGroup};

/// Practices in all (slot 0) and per annex item (slot n), as counted.
pub type ItemCounts = [u64; AnnexItem::LAST as usize + 1];

/// The column of contributors that belong to no region or group
/// (organisations, and States outside the grouping).
pub const OTHER: &str = "other";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Region,
    RegionalGroup,
    EntityType,
    Entity,
}

impl By {
    pub const ALL: [By; 4] = [By::Region, By::RegionalGroup, By::EntityType, By::Entity];

    pub fn as_str(self) -> &'static str {
        match self {
            By::Region => "region",
            By::RegionalGroup => "regional_group",
            By::EntityType => "entity_type",
            By::Entity => "entity",
        }
    }

    /// The column an entity falls in.
    fn column(self, entity: &Entity) -> String {
        match self {
            By::Region => entity.region.map_or(OTHER, Region::as_str).to_owned(),
            By::RegionalGroup => entity
                .regional_group
                .map_or(OTHER, RegionalGroup::as_str)
                .to_owned(),
            By::EntityType => entity.entity_type.as_str().to_owned(),
            By::Entity => entity.code.to_string(),
        }
    }

    /// The columns every table of this kind has, in order (for `entity`,
    /// only the contributors, which the caller adds).
    fn fixed_columns(self) -> Vec<String> {
        let mut columns: Vec<String> = match self {
            By::Region => Region::ALL.iter().map(|r| r.as_str().to_owned()).collect(),
            By::RegionalGroup => RegionalGroup::ALL
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect(),
            By::EntityType => EntityType::ALL
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
            By::Entity => Vec::new(),
        };
        if matches!(self, By::Region | By::RegionalGroup) {
            columns.push(OTHER.to_owned());
        }
        columns
    }
}

named_in_text!(By by as_str, |text| -> String {
    "use region, regional_group, entity_type or entity".to_owned()
});

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Cell {
    /// Accepted practices tagged with the item.
    pub practices: u64,
    /// Distinct contributors of those practices.
    pub entities: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Row {
    #[schema(value_type = u8, example = 11)]
    pub item: AnnexItem,
    #[schema(example = "E")]
    pub section: String,
    /// By column.
    pub cells: BTreeMap<String, Cell>,
    /// Practices tagged with the item, from anyone.
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Table {
    pub by: By,
    /// The groups, in order.
    pub columns: Vec<String>,
    /// One per annex item, 1 to 18.
    pub rows: Vec<Row>,
    /// Practices of each group (a practice with several items counts once).
    pub totals: BTreeMap<String, u64>,
    /// Practices in all.
    pub total: u64,
    /// For regions and regional groups: the Member States of each group
    /// that have contributed nothing (in the period and language asked).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub missing: BTreeMap<String, Vec<String>>,
}

impl Table {
    /// The cell of an item and a column.
    pub fn cell(&self, item: AnnexItem, column: &str) -> Cell {
        self.rows
            .get(usize::from(item.number()) - 1)
            .and_then(|row| row.cells.get(column))
            .copied()
            .unwrap_or_default()
    }

    /// The largest number of practices in any cell (to scale a heat map).
    pub fn largest_cell(&self) -> u64 {
        self.rows
            .iter()
            .flat_map(|r| r.cells.values().map(|c| c.practices))
            .max()
            .unwrap_or(0)
    }
}

/// Groups per-entity counts into a coverage table. `entities` knows every
/// contributor; counts of an unknown code go to the `other` column.
pub fn tabulate(
    by: By,
    counts: &HashMap<String, ItemCounts>,
    entities: &HashMap<String, Entity>,
) -> Table {
    let mut columns = by.fixed_columns();
    if by == By::Entity {
        let mut contributors: Vec<&String> = counts.keys().collect();
        contributors.sort();
        columns.extend(contributors.into_iter().cloned());
    }
    let column_of = |code: &str| match entities.get(code) {
        Some(entity) => by.column(entity),
        None if by == By::Entity => code.to_owned(),
        None => OTHER.to_owned(),
    };
    let empty_cells = || -> BTreeMap<String, Cell> {
        columns
            .iter()
            .map(|c| (c.clone(), Cell::default()))
            .collect()
    };
    let mut rows: Vec<Row> = AnnexItem::all()
        .map(|item| Row {
            item,
            section: item.section().to_string(),
            cells: empty_cells(),
            total: 0,
        })
        .collect();
    let mut totals: BTreeMap<String, u64> = columns.iter().map(|c| (c.clone(), 0)).collect();
    let mut total = 0;
    for (code, counted) in counts {
        let column = column_of(code);
        total += counted[0];
        *totals.entry(column.clone()).or_default() += counted[0];
        for row in rows.iter_mut() {
            let n = counted[usize::from(row.item.number())];
            if n == 0 {
                continue;
            }
            row.total += n;
            let cell = row.cells.entry(column.clone()).or_default();
            cell.practices += n;
            cell.entities += 1;
        }
    }
    let mut missing = BTreeMap::new();
    if matches!(by, By::Region | By::RegionalGroup) {
        let mut silent: Vec<&Entity> = entities
            .values()
            .filter(|e| e.entity_type == EntityType::MemberState)
            .filter(|e| counts.get(e.code.as_str()).is_none_or(|c| c[0] == 0))
            .collect();
        silent.sort_by(|a, b| a.code.cmp(&b.code));
        for entity in silent {
            let column = by.column(entity);
            if column != OTHER {
                missing
                    .entry(column)
                    .or_insert_with(Vec::new)
                    .push(entity.code.to_string());
            }
        }
    }
    Table {
        by,
        columns,
        rows,
        totals,
        total,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entities::registry;

    fn entities() -> HashMap<String, Entity> {
        registry()
            .all()
            .iter()
            .map(|e| (e.code.to_string(), e.clone()))
            .collect()
    }

    /// (entity, practices in all, [(item, practices)])
    type Counted<'a> = (&'a str, u64, &'a [(u8, u64)]);

    fn counts(entries: &[Counted<'_>]) -> HashMap<String, ItemCounts> {
        entries
            .iter()
            .map(|(code, all, items)| {
                let mut c = [0; AnnexItem::LAST as usize + 1];
                c[0] = *all;
                for (item, n) in *items {
                    c[usize::from(*item)] = *n;
                }
                ((*code).to_owned(), c)
            })
            .collect()
    }

    fn item(n: u8) -> AnnexItem {
        AnnexItem::new(n).unwrap()
    }

    #[test]
    fn cells_count_practices_and_distinct_contributors() {
        // Kenya: 3 practices, two on item 11 (one of them also on 12);
        // Nigeria: 1 on 11; France: 2 on 13; the ITU: 1 on 11.
        let counted = counts(&[
            ("KEN", 3, &[(11, 2), (12, 1), (4, 1)]),
            ("NGA", 1, &[(11, 1)]),
            ("FRA", 2, &[(13, 2)]),
            ("ITU", 1, &[(11, 1)]),
        ]);
        let table = tabulate(By::Region, &counted, &entities());
        assert_eq!(
            table.columns,
            ["africa", "americas", "asia", "europe", "oceania", "other"]
        );
        assert_eq!(
            table.cell(item(11), "africa"),
            Cell {
                practices: 3,
                entities: 2
            }
        );
        assert_eq!(
            table.cell(item(11), "other"),
            Cell {
                practices: 1,
                entities: 1
            }
        );
        assert_eq!(table.cell(item(11), "europe"), Cell::default());
        assert_eq!(table.rows[10].total, 4);
        assert_eq!(table.totals["africa"], 4);
        assert_eq!(table.totals["europe"], 2);
        assert_eq!(table.total, 7);
        assert_eq!(table.largest_cell(), 3);
        // Africa's silent Member States include Ghana, not Kenya or Nigeria.
        let africa = &table.missing["africa"];
        assert!(africa.contains(&"GHA".to_owned()));
        assert!(!africa.contains(&"KEN".to_owned()) && !africa.contains(&"NGA".to_owned()));
        assert_eq!(
            table.missing["oceania"].len(),
            14,
            "no State of Oceania contributed"
        );
        assert!(!table.missing.contains_key("other"));
    }

    #[test]
    fn other_groupings() {
        let counted = counts(&[
            ("KEN", 1, &[(11, 1)]),
            ("ITU", 2, &[(11, 2)]),
            ("AU", 1, &[(18, 1)]),
        ]);
        let by_type = tabulate(By::EntityType, &counted, &entities());
        assert_eq!(
            by_type.columns,
            [
                "member_state",
                "observer_state",
                "regional_org",
                "international_org"
            ]
        );
        assert_eq!(by_type.cell(item(11), "international_org").practices, 2);
        assert!(by_type.missing.is_empty());
        let by_entity = tabulate(By::Entity, &counted, &entities());
        assert_eq!(by_entity.columns, ["AU", "ITU", "KEN"]);
        assert_eq!(by_entity.cell(item(18), "AU").entities, 1);
        let by_group = tabulate(By::RegionalGroup, &counted, &entities());
        assert_eq!(by_group.cell(item(11), "african_states").practices, 1);
        assert_eq!(by_group.cell(item(11), "other").practices, 2);
    }

    #[test]
    fn the_kinds_of_table_read_from_their_names() {
        for by in By::ALL {
            assert_eq!(by.as_str().parse::<By>(), Ok(by));
        }
        assert!("continent".parse::<By>().is_err());
    }
}
