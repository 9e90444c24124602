//! Who may do what: one decision per action, for every endpoint. Handlers
//! ask here and nowhere else. Anonymous callers get 401 where an account is
//! needed, signed-in callers without the right get 403.

use super::caller::{AuthenticatedUser, Caller};
use super::tokens::TokenKind;
use crate::domain::account::Role;
use crate::domain::assessment::Assessment;
use crate::domain::entities::EntityCode;
use crate::domain::submission::Submission;
use crate::domain::workflow::Move;
use crate::error::{AppError, FieldError};

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
    /// Create a submission (for one's own entity, or any entity as an editor).
    CreateSubmission,
    /// List submissions (a focal point sees its own entity's only).
    ListSubmissions,
    /// Curate the tags of accepted practices.
    CuratePractices,
    /// Create, change and publish compilations, and read their drafts.
    ManageCompilations,
    /// See the mail outbox and retry dead mail.
    ManageOutbox,
    /// Ask for annex-item suggestions for a text (anyone signed in: the
    /// work is real, so not for anonymous callers).
    SuggestItems,
    /// See how often editors kept the suggestions.
    ReadTaggingStats,
    /// Work with self-assessments (each decides who sees it:
    /// [`authorize_assessment`]).
    SelfAssess,
    /// See how many States self-assess each item in place, by region.
    ReadAssessmentStock,
}

/// What may be done to one submission; the entity it belongs to decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionAction {
    /// Read it, its versions and its events.
    Read,
    /// Change its content, submit or withdraw it.
    Handle,
    /// Request changes, accept or reject: the Secretariat's decisions.
    Review,
}

impl SubmissionAction {
    /// What a workflow move asks of the caller: the Secretariat's decisions
    /// need `Review`, the rest `Handle`.
    pub fn for_move(action: Move) -> SubmissionAction {
        match action {
            Move::RequestChanges | Move::Accept | Move::Reject => SubmissionAction::Review,
            Move::Edit | Move::Submit | Move::Withdraw => SubmissionAction::Handle,
        }
    }
}

fn sign_in_needed() -> AppError {
    AppError::Unauthorized(
        "this needs a signed-in account: send Authorization: Bearer <token>".to_owned(),
    )
}

/// The signed-in user when `caller` may do `action`.
pub fn authorize(caller: &Caller, action: Action) -> Result<&AuthenticatedUser, AppError> {
    let Caller::User(user) = caller else {
        return Err(sign_in_needed());
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
        Action::ManageUsers | Action::AddOrganisation | Action::ManageOutbox => {
            user.role == Role::Admin
        }
        Action::CreateSubmission
        | Action::ListSubmissions
        | Action::SuggestItems
        | Action::SelfAssess => true,
        Action::CuratePractices
        | Action::ManageCompilations
        | Action::ReadTaggingStats
        | Action::ReadAssessmentStock => user.role.is_editor(),
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

/// Whether the caller sees the Secretariat's work in progress: draft
/// compilations (to anyone else they do not exist) and the pipeline of
/// submissions awaiting review.
pub fn sees_editorial_work(caller: &Caller) -> bool {
    matches!(caller, Caller::User(user) if user.role.is_editor())
}

/// The signed-in user when `caller` may do `action` on a submission of
/// `entity`. Another entity's submissions do not exist for a focal point
/// (404), so their ids reveal nothing.
pub fn authorize_submission<'a>(
    caller: &'a Caller,
    action: SubmissionAction,
    entity: &EntityCode,
    id: &str,
) -> Result<&'a AuthenticatedUser, AppError> {
    let Caller::User(user) = caller else {
        return Err(sign_in_needed());
    };
    if user.role.is_editor() {
        return Ok(user);
    }
    if user.entity.as_ref() != Some(entity) {
        return Err(AppError::NotFound(format!("there is no submission {id}")));
    }
    match action {
        SubmissionAction::Read | SubmissionAction::Handle => Ok(user),
        SubmissionAction::Review => Err(AppError::Forbidden(
            "only the Secretariat's editors request changes, accept or reject".to_owned(),
        )),
    }
}

/// [`authorize_submission`] as the check a use case runs on the submission
/// it has just loaded, before it reads on or writes.
pub fn submission_guard(
    caller: &Caller,
    action: SubmissionAction,
) -> impl Fn(&Submission) -> Result<(), AppError> + '_ {
    move |s| authorize_submission(caller, action, &s.entity, &s.id).map(|_| ())
}

/// What may be done to a self-assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentAction {
    /// Read it, its gaps, its events; export and compare it.
    Read,
    /// Answer, complete, share or unshare it, draft from it.
    Handle,
}

/// The signed-in user when `caller` may do `action` on a self-assessment
/// of `entity`. It is the State's own: its focal points do everything;
/// editors read it while it is shared and never change it; to anyone else
/// it does not exist (404), so its id reveals nothing.
pub fn authorize_assessment<'a>(
    caller: &'a Caller,
    action: AssessmentAction,
    entity: &EntityCode,
    shared: bool,
    id: &str,
) -> Result<&'a AuthenticatedUser, AppError> {
    let Caller::User(user) = caller else {
        return Err(sign_in_needed());
    };
    let own = user.role == Role::FocalPoint && user.entity.as_ref() == Some(entity);
    let reads_shared = user.role.is_editor() && shared;
    match action {
        _ if own => Ok(user),
        AssessmentAction::Read if reads_shared => Ok(user),
        AssessmentAction::Handle if reads_shared => Err(AppError::Forbidden(
            "a self-assessment is its State's: the Secretariat reads a shared one and changes nothing".to_owned(),
        )),
        _ => Err(AppError::NotFound(format!("there is no assessment {id}"))),
    }
}

/// [`authorize_assessment`] as the check a use case runs on the
/// assessment it has just loaded, as [`submission_guard`] does.
pub fn assessment_guard(
    caller: &Caller,
    action: AssessmentAction,
) -> impl Fn(&Assessment) -> Result<(), AppError> + '_ {
    move |a| authorize_assessment(caller, action, &a.entity, a.shared, &a.id).map(|_| ())
}

/// The State a new self-assessment is for: the caller's own, when the
/// caller is a focal point of a Member State (the annex is a tool for
/// Member States: observer States and organisations are refused, 422).
pub fn assessing_state(
    user: &AuthenticatedUser,
    is_member_state: bool,
) -> Result<EntityCode, AppError> {
    match (user.role, &user.entity) {
        (Role::FocalPoint, Some(own)) if is_member_state => Ok(own.clone()),
        (Role::FocalPoint, Some(own)) => Err(AppError::unprocessable(vec![FieldError::new(
            "entity",
            format!("{own} is not a Member State: the self-assessment tool of the annex is for Member States"),
        )])),
        _ => Err(AppError::Forbidden(
            "a self-assessment is made by the focal points of its Member State".to_owned(),
        )),
    }
}

/// The entity a new submission is for: a focal point's own, or the one an
/// editor names (an editor records submissions that came by other means).
pub fn submission_entity(
    user: &AuthenticatedUser,
    requested: Option<EntityCode>,
) -> Result<EntityCode, AppError> {
    match (user.role, &user.entity, requested) {
        (Role::FocalPoint, Some(own), None) => Ok(own.clone()),
        (Role::FocalPoint, Some(own), Some(requested)) if requested == *own => Ok(requested),
        (Role::FocalPoint, _, Some(requested)) => Err(AppError::Forbidden(format!(
            "a focal point submits for its own entity only, not for {requested}"
        ))),
        (_, _, Some(requested)) => Ok(requested),
        (_, _, None) => Err(AppError::unprocessable(vec![FieldError::new(
            "entity",
            "an editor recording a submission must name its entity",
        )])),
    }
}

/// The entities whose submissions a list shows the user: `None` for all
/// (an editor who names none). Another entity's submissions do not exist
/// for a focal point, so naming one gives an empty list, not a 403.
pub fn listed_entities(
    user: &AuthenticatedUser,
    requested: Option<EntityCode>,
) -> Option<Vec<EntityCode>> {
    match (user.role, &user.entity, requested) {
        (Role::FocalPoint, own, Some(requested)) if own.as_ref() != Some(&requested) => {
            Some(Vec::new())
        }
        (Role::FocalPoint, own, _) => Some(own.iter().cloned().collect()),
        (_, _, requested) => requested.map(|r| vec![r]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::Email;
    use crate::domain::entities::EntityCode;

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
            (Action::CreateSubmission, [401, 200, 200, 200, 200]),
            (Action::ListSubmissions, [401, 200, 200, 200, 200]),
            (Action::CuratePractices, [401, 403, 200, 200, 200]),
            (Action::SuggestItems, [401, 200, 200, 200, 200]),
            (Action::ReadTaggingStats, [401, 403, 200, 200, 200]),
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

#[cfg(test)]
mod submission_tests {
    use super::*;
    use crate::domain::account::Email;

    fn caller(role: Role, entity: Option<&str>) -> Caller {
        Caller::User(AuthenticatedUser {
            id: "u".into(),
            email: Email::parse("u@example.org").unwrap(),
            name: "U".into(),
            role,
            entity: entity.map(|e| EntityCode::parse(e).unwrap()),
            via: TokenKind::Access,
        })
    }

    #[test]
    fn the_matrix_of_callers_and_submission_actions() {
        use actix_web::ResponseError;
        let fra = EntityCode::parse("FRA").unwrap();
        let callers = [
            Caller::Anonymous,
            caller(Role::FocalPoint, Some("FRA")),
            caller(Role::FocalPoint, Some("KEN")),
            caller(Role::Editor, None),
            caller(Role::Admin, None),
        ];
        let expected = [
            (SubmissionAction::Read, [401, 200, 404, 200, 200]),
            (SubmissionAction::Handle, [401, 200, 404, 200, 200]),
            (SubmissionAction::Review, [401, 403, 404, 200, 200]),
        ];
        for (action, statuses) in expected {
            let got: Vec<u16> = callers
                .iter()
                .map(|c| match authorize_submission(c, action, &fra, "s1") {
                    Ok(_) => 200,
                    Err(e) => e.status_code().as_u16(),
                })
                .collect();
            assert_eq!(got, statuses, "{action:?}");
        }
    }
}
