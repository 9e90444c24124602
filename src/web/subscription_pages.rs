//! `/subscriptions/confirm` and `/subscriptions/unsubscribe`: the pages a
//! subscription mail links to. Unsubscribing takes a press of a button (a
//! POST, also RFC 8058's one-click): mail scanners that open every link
//! must not end anyone's subscription.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use maud::html;

use super::layout::{self, Reader, Section};
use crate::domain::clock;
use crate::http::{AppState, State};
use crate::mail::links::LinkError;
use crate::service::subscriptions::{self, LinkAction};

fn token_of(request: &HttpRequest) -> String {
    form_urlencoded::parse(request.query_string().as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn invalid(reader: &Reader) -> HttpResponse {
    let l = reader.labels;
    layout::message_page(
        reader,
        StatusCode::BAD_REQUEST,
        &l.subscription_invalid_title,
        &[&l.subscription_invalid_text],
    )
}

/// Confirms or ends the subscription; answers whether it existed.
async fn follow(
    state: &AppState,
    id: String,
    action: LinkAction,
) -> Result<bool, crate::error::AppError> {
    state
        .store
        .run(move |c| subscriptions::follow_link(c, &id, action, clock::now()))
        .await
}

/// `GET /subscriptions/confirm?token=`.
pub async fn confirm(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let id = match state.links.check_confirm(&token_of(&request), clock::now()) {
        Ok(id) => id,
        Err(LinkError::Invalid | LinkError::Expired) => return invalid(&reader),
    };
    match follow(&state, id.clone(), LinkAction::Confirm).await {
        Ok(true) => {
            let leave = reader.link_with(
                "/subscriptions/unsubscribe",
                &[("token", &state.links.unsubscribe_token(&id))],
            );
            let main = html! {
                h1 { (l.subscription_confirmed_title) }
                p { (l.subscription_confirmed_text) }
                p { (l.mail_unsubscribe) " " a href=(leave) { (l.unsubscribe_button) } }
            };
            let title = &l.subscription_confirmed_title;
            layout::ok(&reader, Section::Compilations, title, main)
        }
        Ok(false) => invalid(&reader),
        Err(error) => super::error_page(&reader, error),
    }
}

/// `GET /subscriptions/unsubscribe?token=`: asks to press the button.
pub async fn ask_unsubscribe(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let token = token_of(&request);
    if state.links.check_unsubscribe(&token).is_err() {
        return invalid(&reader);
    }
    let action = reader.link_with("/subscriptions/unsubscribe", &[("token", &token)]);
    let main = html! {
        h1 { (l.unsubscribe_title) }
        p { (l.unsubscribe_text) }
        form method="post" action=(action) {
            button type="submit" name="List-Unsubscribe" value="One-Click" { (l.unsubscribe_button) }
        }
    };
    let mut response = layout::ok(&reader, Section::Compilations, &l.unsubscribe_title, main);
    // The page carries a working link in its address: keep it out of caches.
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    response
}

/// `POST /subscriptions/unsubscribe?token=`: the button, or a mail
/// client's one-click request.
pub async fn unsubscribe(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let Ok(id) = state.links.check_unsubscribe(&token_of(&request)) else {
        return invalid(&reader);
    };
    match follow(&state, id, LinkAction::Unsubscribe).await {
        Ok(true) => layout::message_page(
            &reader,
            StatusCode::OK,
            &l.unsubscribed_title,
            &[&l.unsubscribed_text],
        ),
        Ok(false) => invalid(&reader),
        Err(error) => super::error_page(&reader, error),
    }
}
