//! Who may do what: one decision per action, for every endpoint. Handlers
//! ask here and nowhere else. Anonymous callers get 401 where an account is
//! needed, signed-in callers without the right get 403.

use super::caller::{AuthenticatedUser, Caller};
use super::tokens::TokenKind;
use crate::domain::account::Role;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `GET /api/v1/me`.
    ReadOwnAccount,
    /// List or revoke one's own API tokens.
    ManageOwnApiTokens,
    /// Make a new API token: needs a password sign-in, so that a leaked API
    /// token cannot breed longer-lived ones.
    CreateApiToken,
    /// Create, list and change accounts.
    ManageUsers,
    /// Add an organisation to the entities.
    AddOrganisation,
}

/// The signed-in user when `caller` may do `action`.
pub fn authorize(caller: &Caller, action: Action) -> Result<&AuthenticatedUser, AppError> {
    let Caller::User(user) = caller else {
        return Err(AppError::Unauthorized(
            "this needs a signed-in account: send Authorization: Bearer <token>".to_owned(),
        ));
    };
    let allowed = match action {
        Action::ReadOwnAccount | Action::ManageOwnApiTokens => true,
        Action::CreateApiToken => {
            if user.via == TokenKind::Api {
                return Err(AppError::Forbidden(
                    "an API token cannot make API tokens: sign in with your password first"
                        .to_owned(),
                ));
            }
            true
        }
        Action::ManageUsers | Action::AddOrganisation => user.role == Role::Admin,
    };
    if allowed {
        Ok(user)
    } else {
        Err(AppError::Forbidden(format!(
            "an account with the role {} may not do this",
            user.role
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Email;
    use crate::entities::EntityCode;

    fn user(role: Role, via: TokenKind) -> Caller {
        Caller::User(AuthenticatedUser {
            id: "u".into(),
            email: Email::parse("u@example.org").unwrap(),
            name: "U".into(),
            role,
            entity: (role == Role::FocalPoint).then(|| EntityCode::parse("FRA").unwrap()),
            via,
        })
    }

    fn status(caller: &Caller, action: Action) -> u16 {
        use actix_web::ResponseError;
        match authorize(caller, action) {
            Ok(_) => 200,
            Err(error) => error.status_code().as_u16(),
        }
    }

    #[test]
    fn the_matrix_of_callers_and_actions() {
        let anonymous = Caller::Anonymous;
        let focal = user(Role::FocalPoint, TokenKind::Access);
        let editor = user(Role::Editor, TokenKind::Access);
        let admin = user(Role::Admin, TokenKind::Access);
        let script = user(Role::Admin, TokenKind::Api);
        let expected = [
            (Action::ReadOwnAccount, [401, 200, 200, 200, 200]),
            (Action::ManageOwnApiTokens, [401, 200, 200, 200, 200]),
            (Action::CreateApiToken, [401, 200, 200, 200, 403]),
            (Action::ManageUsers, [401, 403, 403, 200, 200]),
            (Action::AddOrganisation, [401, 403, 403, 200, 200]),
        ];
        for (action, statuses) in expected {
            let got: Vec<u16> = [&anonymous, &focal, &editor, &admin, &script]
                .iter()
                .map(|caller| status(caller, action))
                .collect();
            assert_eq!(got, statuses, "{action:?}");
        }
    }
}
