//! Asking for the compilations by mail, as both front doors take it (the
//! API's `POST /api/v1/subscriptions` and the reader site's form): the
//! same limit per client address, the same use case, the same silence
//! about whether the address is known.

use actix_web::HttpRequest;

use super::client_address::address;
use super::state::AppState;
use crate::domain::account::Email;
use crate::domain::annex::SectionId;
use crate::domain::clock;
use crate::domain::Language;
use crate::error::AppError;
use crate::service::subscriptions;

pub async fn ask(
    state: &AppState,
    request: &HttpRequest,
    email: Email,
    language: Language,
    mut sections: Vec<SectionId>,
) -> Result<(), AppError> {
    // Only requests that could send a mail count: a malformed one sends none.
    let client = address(request, &state.settings.http.trusted_proxies);
    let key = format!("subscribe:{client}");
    state
        .subscribe_throttle
        .admit(&[&key], "too many subscription requests")
        .await?;
    sections.sort();
    sections.dedup();
    state
        .store
        .run(move |c| subscriptions::request(c, &email, language, &sections, clock::now()))
        .await
}
