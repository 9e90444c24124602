//! Organisations added by an administrator, kept beside the compiled-in
//! reference entities.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::connection::AnyConnection;
use super::schema::organisations;
use crate::domain::entities::NewOrganisation;
use crate::domain::entities::{Entity, EntityCode};
use crate::error::AppError;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = organisations)]
struct OrganisationRow {
    code: String,
    name: String,
    entity_type: String,
    #[allow(dead_code)]
    created_at: chrono::NaiveDateTime,
}

impl OrganisationRow {
    fn into_entity(self) -> Result<Entity, AppError> {
        Ok(Entity {
            code: EntityCode::parse(&self.code)
                .map_err(|e| AppError::internal(format!("stored organisation: {e}")))?,
            name: self.name,
            entity_type: self
                .entity_type
                .parse()
                .map_err(|e| AppError::internal(format!("stored organisation: {e}")))?,
            region: None,
            regional_group: None,
        })
    }
}

pub fn list(connection: &mut AnyConnection) -> Result<Vec<Entity>, AppError> {
    organisations::table
        .select(OrganisationRow::as_select())
        .order(organisations::code)
        .load(connection)?
        .into_iter()
        .map(OrganisationRow::into_entity)
        .collect()
}

/// Adds an organisation; a code already taken is a conflict. The caller
/// checks the compiled-in reference list; the primary key catches a race
/// between two administrators.
pub fn insert(
    connection: &mut AnyConnection,
    organisation: &NewOrganisation,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    debug_assert!(organisation.entity_type.is_organisation());
    let inserted = diesel::insert_into(organisations::table)
        .values((
            organisations::code.eq(organisation.code.as_str()),
            organisations::name.eq(&organisation.name),
            organisations::entity_type.eq(organisation.entity_type.as_str()),
            organisations::created_at.eq(now.naive_utc()),
        ))
        .execute(connection);
    match inserted {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Err(AppError::Conflict(format!(
            "an entity with code {} already exists",
            organisation.code
        ))),
        Err(other) => Err(other.into()),
    }
}

pub fn find(connection: &mut AnyConnection, code: &EntityCode) -> Result<Option<Entity>, AppError> {
    find_by_key!(
        connection,
        organisations,
        code.as_str(),
        OrganisationRow::into_entity
    )
}

/// The entity with this code, from the reference list or the database.
pub fn lookup(
    connection: &mut AnyConnection,
    code: &EntityCode,
) -> Result<Option<Entity>, AppError> {
    match crate::domain::entities::registry().get(code) {
        Some(entity) => Ok(Some(entity.clone())),
        None => find(connection, code),
    }
}

/// Every entity by code: the reference list, then the database's
/// organisations (for work on many practices at once).
pub fn all_by_code(
    connection: &mut AnyConnection,
) -> Result<std::collections::HashMap<String, Entity>, AppError> {
    let mut all: std::collections::HashMap<String, Entity> = crate::domain::entities::registry()
        .all()
        .iter()
        .map(|e| (e.code.to_string(), e.clone()))
        .collect();
    for organisation in list(connection)? {
        all.insert(organisation.code.to_string(), organisation);
    }
    Ok(all)
}
