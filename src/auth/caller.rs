//! The caller of a request: an anonymous reader, or a user whose token
//! checked out. How a request becomes a caller is the HTTP edge's
//! (`http::caller`); what a caller may do is the policy's.

use super::tokens::TokenKind;
use crate::domain::account::{Actor, Email, Role};
use crate::domain::entities::EntityCode;

#[derive(Debug, Clone)]
pub struct AuthenticatedUser {
    pub id: String,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub entity: Option<EntityCode>,
    /// Whether the request came with an access token or an API token.
    pub via: TokenKind,
}

impl AuthenticatedUser {
    /// This user as the audit trail names who acted.
    pub fn actor(&self) -> Actor<'_> {
        Actor::User {
            id: &self.id,
            email: self.email.as_str(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Caller {
    Anonymous,
    User(AuthenticatedUser),
}
