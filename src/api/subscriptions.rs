//! `POST /api/v1/subscriptions`: a reader asks for the compilations by
//! mail. The answer is the same whatever the address's state, so nobody
//! learns who is subscribed; only a confirmed address gets announcements.

use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::account::Email;
use crate::domain::annex::SectionId;
use crate::domain::Language;
use crate::error::{AppError, FieldError};
use crate::http::extract::JsonBody;
use crate::http::subscriptions;
use crate::http::{Answer, State};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionRequest {
    #[schema(format = "email", example = "reader@example.org")]
    email: String,
    /// The language of the mail; English when absent.
    language: Option<Language>,
    /// Annex sections of interest; none means every compilation.
    #[serde(default)]
    #[schema(value_type = Vec<SectionId>, example = json!(["E"]))]
    sections: Vec<SectionId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionAccepted {
    detail: String,
}

/// Asks for a confirmation link to be mailed (double opt-in).
#[utoipa::path(
    post, path = "/api/v1/subscriptions", tag = "dissemination", request_body = SubscriptionRequest,
    responses((status = 202, description = "If the address can be subscribed, a confirmation link is on its way", body = SubscriptionAccepted), (status = 400, description = "Malformed request"), (status = 422, description = "Not an email address"), (status = 429, description = "Too many requests from this address"))
)]
pub async fn subscribe(state: State, request: HttpRequest, body: JsonBody) -> Answer {
    let wanted: SubscriptionRequest = body.parse()?;
    let email = Email::parse(&wanted.email)
        .map_err(|message| AppError::unprocessable(vec![FieldError::new("email", message)]))?;
    let language = wanted.language.unwrap_or_default();
    subscriptions::ask(&state, &request, email, language, wanted.sections).await?;
    Ok(HttpResponse::Accepted().json(SubscriptionAccepted {
        detail: "if this address can be subscribed, a confirmation link is on its way; it works for 48 hours".to_owned(),
    }))
}
