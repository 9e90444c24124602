//! The organisations administrators add to the reference list of States
//! and organisations, each with its audit entry.

use chrono::{DateTime, Utc};

use crate::domain::account::{parse_name, Actor};
use crate::domain::entities::{registry, Entity, EntityCode, EntityType, NewOrganisation};
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::store::audit;
use crate::store::{organisations, write_transaction, AnyConnection};
use crate::text::collation;

/// The organisations added to the compiled-in list, by administrators.
pub fn added(connection: &mut AnyConnection) -> Result<Vec<Entity>, AppError> {
    organisations::list(connection)
}

/// The entities that may contribute, of `entity_type` and matching `query`
/// (see [`Entity::matches`]) when given, each named in `language`: Member
/// States, then observer States, then organisations, each group in that
/// language's alphabetical order.
pub fn listed(
    connection: &mut AnyConnection,
    entity_type: Option<EntityType>,
    query: Option<&str>,
    language: Language,
) -> Result<Vec<Entity>, AppError> {
    let added = organisations::list(connection)?;
    let mut listed: Vec<Entity> = registry()
        .all()
        .iter()
        .chain(added.iter())
        .filter(|e| entity_type.is_none_or(|t| e.entity_type == t))
        .filter(|e| query.is_none_or(|q| e.matches(q)))
        .map(|e| Entity {
            name: e.name_in(language).to_owned(),
            ..e.clone()
        })
        .collect();
    collation::sort_by_name(&mut listed, language, |e| &e.name);
    // Stable: each type keeps the alphabetical order within it.
    listed.sort_by_key(|e| e.entity_type);
    Ok(listed)
}

/// What an administrator asked to add, checked: only organisations (States
/// come from the reference list), a name, a code no one has.
pub fn check(
    code: EntityCode,
    name: &str,
    entity_type: EntityType,
) -> Result<NewOrganisation, AppError> {
    let mut errors = Vec::new();
    if !entity_type.is_organisation() {
        errors.push(FieldError::new(
            "type",
            "only organisations can be added: regional_org or international_org",
        ));
    }
    let name = parse_name(name)
        .map_err(|m| errors.push(FieldError::new("name", m)))
        .ok();
    let (Some(name), true) = (name, errors.is_empty()) else {
        return Err(AppError::Unprocessable {
            detail: "the organisation cannot be added as given".to_owned(),
            errors,
        });
    };
    if registry().get(&code).is_some() {
        return Err(AppError::Conflict(format!(
            "the code {code} is already taken"
        )));
    }
    Ok(NewOrganisation {
        code,
        name,
        entity_type,
    })
}

/// Adds an organisation and its audit entry in one transaction.
pub fn add(
    connection: &mut AnyConnection,
    actor: Actor<'_>,
    organisation: &NewOrganisation,
    now: DateTime<Utc>,
) -> Result<Entity, AppError> {
    write_transaction(connection, |c| {
        organisations::insert(c, organisation, now)?;
        let entity = organisations::find(c, &organisation.code)?
            .ok_or_else(|| AppError::internal("an organisation vanished after insert"))?;
        audit::record(
            c,
            audit::Entry {
                actor,
                action: "entity.create",
                target_type: "entity",
                target_id: entity.code.as_str(),
                before: None,
                after: serde_json::to_value(&entity).ok(),
            },
            now,
        )?;
        Ok(entity)
    })
}
