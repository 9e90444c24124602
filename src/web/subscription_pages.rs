//! `/subscriptions`: the reader site's form to receive the compilations by
//! mail, and `/subscriptions/confirm` and `/subscriptions/unsubscribe`,
//! the pages a subscription mail links to. Confirming and unsubscribing
//! each take a press of a button (a POST; for unsubscribing also RFC
//! 8058's one-click): mail scanners that open every link must neither
//! complete nor end anyone's subscription.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use maud::html;

use super::desk::form::Form;
use super::layout::{self, Reader, Section};
use crate::domain::account::Email;
use crate::domain::annex::{annex, SectionId};
use crate::domain::clock;
use crate::domain::Language;
use crate::error::FieldError;
use crate::http::{AppState, State};
use crate::mail::links::{LinkError, Named};
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

/// Confirms or ends the subscription a link names; answers whether it
/// did (the link was its present one, and the move fit its state).
async fn follow(
    state: &AppState,
    named: Named,
    action: LinkAction,
) -> Result<bool, crate::error::AppError> {
    state
        .store
        .run(move |c| subscriptions::follow_link(c, &named.id, &named.nonce, action, clock::now()))
        .await
}

/// A page that carries a working link in its address: kept out of caches.
fn private(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    response
}

/// `GET /subscriptions/confirm?token=`: asks to press the button. Opening
/// the link confirms nothing: mail scanners open every link, and must not
/// complete someone else's double opt-in.
pub async fn ask_confirm(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let token = token_of(&request);
    if state.links.check_confirm(&token, clock::now()).is_err() {
        return invalid(&reader);
    }
    let action = reader.link_with("/subscriptions/confirm", &[("token", &token)]);
    let main = html! {
        h1 { (l.confirm_subscription_title) }
        p { (l.confirm_subscription_text) }
        form method="post" action=(action) {
            button type="submit" { (l.confirm_subscription_button) }
        }
    };
    let title = &l.confirm_subscription_title;
    private(layout::ok(&reader, Section::Compilations, title, main))
}

/// `POST /subscriptions/confirm?token=`: the button. A link confirms once,
/// and only while it is the subscription's present one.
pub async fn confirm(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let named = match state.links.check_confirm(&token_of(&request), clock::now()) {
        Ok(named) => named,
        Err(LinkError::Invalid | LinkError::Expired) => return invalid(&reader),
    };
    let (id, nonce) = (named.id.clone(), named.nonce.clone());
    match follow(&state, named, LinkAction::Confirm).await {
        Ok(true) => {
            let leave = reader.link_with(
                "/subscriptions/unsubscribe",
                &[("token", &state.links.unsubscribe_token(&id, &nonce))],
            );
            let main = html! {
                h1 { (l.subscription_confirmed_title) }
                p { (l.subscription_confirmed_text) }
                p { (l.mail_unsubscribe) " " a href=(leave) { (l.unsubscribe_button) } }
            };
            let title = &l.subscription_confirmed_title;
            private(layout::ok(&reader, Section::Compilations, title, main))
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
    private(layout::ok(
        &reader,
        Section::Compilations,
        &l.unsubscribe_title,
        main,
    ))
}

/// `POST /subscriptions/unsubscribe?token=`: the button, or a mail
/// client's one-click request.
pub async fn unsubscribe(state: State, request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let Ok(named) = state.links.check_unsubscribe(&token_of(&request)) else {
        return invalid(&reader);
    };
    match follow(&state, named, LinkAction::Unsubscribe).await {
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

/// The subscribe form: an address, the language of the mail, sections.
fn subscribe_form(reader: &Reader, errors: &[FieldError]) -> maud::Markup {
    let l = reader.labels;
    html! {
        h1 { (l.subscribe_title) }
        p { (l.subscribe_intro) }
        @if !errors.is_empty() {
            div.form-errors role="alert" { ul { @for e in errors { li { (e.message) } } } }
        }
        form.subscribe method="post" action=(reader.link("/subscriptions")) {
            p {
                label for="subscribe-email" { (l.subscribe_email) }
                input #subscribe-email type="email" name="email" autocomplete="email" required maxlength="254" dir="ltr";
            }
            p {
                label for="subscribe-language" { (l.subscribe_language) }
                select #subscribe-language name="language" {
                    @for language in Language::ALL {
                        option value=(language.code()) selected[language == reader.language] { (l.language(language)) }
                    }
                }
            }
            fieldset {
                legend { (l.subscribe_sections) }
                @for section in &annex().sections {
                    @let id = format!("subscribe-section-{}", section.id);
                    div.choice {
                        input type="checkbox" id=(id) name="sections" value=(section.id);
                        label for=(id) { (section.id) ". " (section.title.get(reader.language)) }
                    }
                }
            }
            p { button type="submit" { (l.subscribe_button) } }
        }
    }
}

/// `GET /subscriptions`: the form.
pub async fn ask_subscribe(request: HttpRequest) -> HttpResponse {
    let reader = Reader::of(&request);
    let main = subscribe_form(&reader, &[]);
    layout::ok(
        &reader,
        Section::Compilations,
        &reader.labels.subscribe_title,
        main,
    )
}

/// `POST /subscriptions`: the form sent. The answer is the same whether
/// the address is new, pending, confirmed or past its mails of the day.
pub async fn subscribe(state: State, request: HttpRequest, form: Form) -> HttpResponse {
    let reader = Reader::of(&request);
    let l = reader.labels;
    let email = match Email::parse(form.get("email").unwrap_or_default()) {
        Ok(email) => email,
        Err(message) => {
            let errors = [FieldError::new("email", message)];
            let page = layout::page(
                &reader,
                Section::Compilations,
                &l.subscribe_title,
                subscribe_form(&reader, &errors),
            );
            return layout::respond(&reader, StatusCode::UNPROCESSABLE_ENTITY, page);
        }
    };
    let language = form
        .get("language")
        .and_then(|code| code.parse::<Language>().ok())
        .unwrap_or(reader.language);
    let sections: Vec<SectionId> = form
        .all("sections")
        .filter_map(|s| s.parse().ok())
        .collect();
    match crate::http::subscriptions::ask(&state, &request, email, language, sections).await {
        Ok(()) => layout::message_page(
            &reader,
            StatusCode::OK,
            &l.subscribe_sent_title,
            &[&l.subscribe_sent_text],
        ),
        Err(error) => super::error_page(&reader, error),
    }
}
