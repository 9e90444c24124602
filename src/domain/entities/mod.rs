//! Who may send best practices: the 193 Member States, the 2 observer States
//! and regional and international organisations. The reference list is the
//! data file `entities.csv` beside this file, compiled in; organisations an
//! administrator adds later live in the database (`store::organisations`).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod names;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    MemberState,
    ObserverState,
    RegionalOrg,
    InternationalOrg,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::MemberState,
        EntityType::ObserverState,
        EntityType::RegionalOrg,
        EntityType::InternationalOrg,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::MemberState => "member_state",
            EntityType::ObserverState => "observer_state",
            EntityType::RegionalOrg => "regional_org",
            EntityType::InternationalOrg => "international_org",
        }
    }

    pub fn is_organisation(self) -> bool {
        matches!(self, EntityType::RegionalOrg | EntityType::InternationalOrg)
    }
}

named_in_text!(EntityType by as_str, else UnknownEntityType(
    "unknown entity type '{0}': use member_state, observer_state, regional_org or international_org"
));

/// The five UN M49 regions.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Africa,
    Americas,
    Asia,
    Europe,
    Oceania,
}

impl Region {
    pub const ALL: [Region; 5] = [
        Region::Africa,
        Region::Americas,
        Region::Asia,
        Region::Europe,
        Region::Oceania,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Region::Africa => "africa",
            Region::Americas => "americas",
            Region::Asia => "asia",
            Region::Europe => "europe",
            Region::Oceania => "oceania",
        }
    }
}

named_in_text!(Region by as_str, |text| -> String {
    format!("unknown region '{text}'")
});

/// The five UN regional groups of Member States.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RegionalGroup {
    AfricanStates,
    AsiaPacificStates,
    EasternEuropeanStates,
    LatinAmericanAndCaribbeanStates,
    WesternEuropeanAndOtherStates,
}

impl RegionalGroup {
    pub const ALL: [RegionalGroup; 5] = [
        RegionalGroup::AfricanStates,
        RegionalGroup::AsiaPacificStates,
        RegionalGroup::EasternEuropeanStates,
        RegionalGroup::LatinAmericanAndCaribbeanStates,
        RegionalGroup::WesternEuropeanAndOtherStates,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegionalGroup::AfricanStates => "african_states",
            RegionalGroup::AsiaPacificStates => "asia_pacific_states",
            RegionalGroup::EasternEuropeanStates => "eastern_european_states",
            RegionalGroup::LatinAmericanAndCaribbeanStates => "latin_american_and_caribbean_states",
            RegionalGroup::WesternEuropeanAndOtherStates => "western_european_and_other_states",
        }
    }
}

named_in_text!(RegionalGroup by as_str, |text| -> String {
    format!("unknown regional group '{text}'")
});

/// The code that names an entity: ISO 3166-1 alpha-3 for States, an
/// acronym for organisations. Upper-case letters and digits, 2 to 12 long,
/// starting with a letter: short enough for a table column, strict enough
/// that a typo is caught at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct EntityCode(String);

impl EntityCode {
    pub fn parse(code: &str) -> Result<Self, InvalidEntityCode> {
        let valid_shape = (2..=12).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_uppercase())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if valid_shape {
            Ok(EntityCode(code.to_owned()))
        } else {
            Err(InvalidEntityCode(code.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The shape [`EntityCode::parse`] accepts, as a schema: for a code that
/// need not be on the reference list yet (a new organisation's).
pub fn entity_code_shape() -> utoipa::openapi::schema::ObjectBuilder {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some("^[A-Z][A-Z0-9]{1,11}$"))
        .description(Some(
            "2 to 12 upper-case letters or digits, starting with a letter",
        ))
}

impl utoipa::PartialSchema for EntityCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        entity_code_shape()
            // The custom format says more than the pattern: a code of the
            // reference list (GET /api/v1/entities), where one is needed.
            .format(Some(utoipa::openapi::SchemaFormat::Custom(
                "entity-code".to_owned(),
            )))
            .description(Some(
                "An entity of the reference list: ISO 3166-1 alpha-3 for States, an acronym for organisations",
            ))
            .examples(["FRA"])
            .into()
    }
}

impl utoipa::ToSchema for EntityCode {}

crate::domain::checked_text!(EntityCode);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not an entity code: use 2 to 12 upper-case letters or digits, starting with a letter (ISO 3166-1 alpha-3 for States)")]
pub struct InvalidEntityCode(pub String);

/// An entity as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Entity {
    #[schema(value_type = String, example = "FRA")]
    pub code: EntityCode,
    pub name: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regional_group: Option<RegionalGroup>,
}

impl Entity {
    /// Whether the entity matches a reader's query: a case- and
    /// accent-insensitive substring of its name in any of the six
    /// languages, or its code.
    pub fn matches(&self, query: &str) -> bool {
        let query = fold(query.trim());
        let named = |name: &str| fold(name).contains(&query);
        query.is_empty()
            || named(&self.name)
            || names::names()
                .get(self.code.as_str())
                .is_some_and(|names| names.iter().any(named))
            || fold(self.code.as_str()) == query
    }

    /// The name in `language` (see [`names::name_in`]).
    pub fn name_in(&self, language: crate::domain::Language) -> &str {
        names::name_in(self.code.as_str(), &self.name, language)
    }
}

/// Lower-cases and strips the Latin diacritics that occur in entity names
/// (Côte d'Ivoire, Türkiye), so `cote` finds `Côte`.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'ç' | 'č' | 'ć' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
            'ý' | 'ÿ' => 'y',
            'š' | 'ś' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            '’' | 'ʼ' => '\'',
            other => other,
        })
        .collect()
}

/// The reference entities, parsed once from the compiled-in data file, in
/// file order (Member States alphabetically, then observers, then
/// organisations), with an index by code.
pub struct Registry {
    entities: Vec<Entity>,
    by_code: HashMap<EntityCode, usize>,
}

impl Registry {
    pub fn all(&self) -> &[Entity] {
        &self.entities
    }

    pub fn get(&self, code: &EntityCode) -> Option<&Entity> {
        self.by_code.get(code).map(|&i| &self.entities[i])
    }

    fn parse(csv: &str) -> Result<Registry, String> {
        let mut entities = Vec::new();
        let mut by_code = HashMap::new();
        for (number, line) in csv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let entity = parse_line(line).map_err(|e| format!("line {}: {e}", number + 1))?;
            if by_code
                .insert(entity.code.clone(), entities.len())
                .is_some()
            {
                return Err(format!(
                    "line {}: duplicate code {}",
                    number + 1,
                    entity.code
                ));
            }
            entities.push(entity);
        }
        Ok(Registry { entities, by_code })
    }
}

fn parse_line(line: &str) -> Result<Entity, String> {
    let fields: Vec<&str> = line.split(',').collect();
    let [code, name, entity_type, region, group] = fields[..] else {
        return Err(format!("expected 5 fields, found {}", fields.len()));
    };
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Ok(Entity {
        code: EntityCode::parse(code).map_err(|e| e.to_string())?,
        name: name.to_owned(),
        entity_type: entity_type
            .parse()
            .map_err(|e: UnknownEntityType| e.to_string())?,
        region: optional(region).map(|r| r.parse()).transpose()?,
        regional_group: optional(group).map(|g| g.parse()).transpose()?,
    })
}

pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        Registry::parse(include_str!("entities.csv"))
            .expect("entities.csv is valid (checked by entities::tests)")
    })
}

/// An organisation an administrator adds to the reference list.
pub struct NewOrganisation {
    pub code: EntityCode,
    pub name: String,
    pub entity_type: EntityType,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(entity_type: EntityType) -> usize {
        registry()
            .all()
            .iter()
            .filter(|e| e.entity_type == entity_type)
            .count()
    }

    #[test]
    fn the_data_file_lists_193_member_states_and_2_observers() {
        assert_eq!(count(EntityType::MemberState), 193);
        assert_eq!(count(EntityType::ObserverState), 2);
    }

    #[test]
    fn every_member_state_has_a_region_and_all_but_kiribati_a_group() {
        for state in registry()
            .all()
            .iter()
            .filter(|e| e.entity_type == EntityType::MemberState)
        {
            assert!(state.region.is_some(), "{}", state.code);
            assert_eq!(state.code.as_str().len(), 3, "{}", state.code);
            assert_eq!(
                state.regional_group.is_none(),
                state.code.as_str() == "KIR",
                "{}",
                state.code
            );
        }
    }

    #[test]
    fn the_organisations_of_the_benchmark_corpus_are_known() {
        for code in ["AU", "OAS", "ASEAN", "EU", "OSCE", "COE", "CARICOM", "ITU"] {
            let entity = registry().get(&EntityCode::parse(code).unwrap()).unwrap();
            assert!(entity.entity_type.is_organisation(), "{code}");
            assert!(
                entity.region.is_none() && entity.regional_group.is_none(),
                "{code}"
            );
        }
    }

    #[test]
    fn codes_are_checked_at_the_edge() {
        assert!(EntityCode::parse("FRA").is_ok());
        assert!(EntityCode::parse("CARICOM").is_ok());
        assert!(EntityCode::parse("fra").is_err());
        assert!(EntityCode::parse("F").is_err());
        assert!(EntityCode::parse("1AB").is_err());
        assert!(EntityCode::parse("FR A").is_err());
        assert!(EntityCode::parse("ABCDEFGHIJKLM").is_err());
    }

    #[test]
    fn queries_ignore_case_and_accents() {
        let civ = registry().get(&EntityCode::parse("CIV").unwrap()).unwrap();
        assert!(civ.matches("cote d'ivoire"));
        assert!(civ.matches("CÔTE"));
        assert!(civ.matches("civ"));
        assert!(!civ.matches("CI"), "a code matches whole, not in part");
        let tur = registry().get(&EntityCode::parse("TUR").unwrap()).unwrap();
        assert!(tur.matches("turkiye"));
    }

    #[test]
    fn malformed_lines_are_reported_with_their_number() {
        let error = Registry::parse("FRA,France,member_state,europe\n")
            .err()
            .unwrap();
        assert!(error.starts_with("line 1:"), "{error}");
        let error = Registry::parse("FRA,France,state,europe,\n").err().unwrap();
        assert!(error.contains("unknown entity type"), "{error}");
    }
}
