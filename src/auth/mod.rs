//! Who is calling, and what they may do: argon2id passwords, HS256 tokens
//! (short access tokens and long-lived API tokens), the caller extractor,
//! the sign-in throttle and the one policy every endpoint asks.

pub mod caller;
pub mod keys;
pub mod password;
pub mod policy;
pub mod secrets;
pub mod throttle;
pub mod tokens;

pub use caller::{AuthenticatedUser, Caller};
pub use policy::{
    assessing_state, assessment_guard, authorize, authorize_assessment, authorize_submission,
    listed_entities, sees_editorial_work, submission_entity, submission_guard, Action,
    AssessmentAction, SubmissionAction,
};
