//! The frame of every desk page: the site's document with the desk's
//! navigation (what this account can reach), who is signed in and the
//! sign-out button. Desk pages are private: never cached, and they differ
//! by cookie.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use maud::{html, Markup};

use super::failure::Failure;
use super::session::{Desk, CSRF_FIELD};
use crate::auth::{authorize, Action};
use crate::domain::account::NewPassword;
use crate::error::FieldError;
use crate::i18n::{self, desk};
use crate::web::layout::{self, Reader};

/// Which entry of the desk's navigation a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Dashboard,
    Review,
    NewSubmission,
    Assessments,
    Compilations,
    Coverage,
    Mail,
    Accounts,
    Organisations,
    Audit,
    Account,
    Other,
}

/// The hidden field that carries the session's CSRF token.
pub fn csrf_field(desk: &Desk) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(desk.csrf); }
}

fn navigation(desk: &Desk, current: Place) -> Markup {
    let reader = &desk.reader;
    let d = desk::labels(reader.language);
    let caller = desk.caller();
    let may = |action: Action| authorize(&caller, action).is_ok();
    let mut entries = vec![(Place::Dashboard, "/desk", &d.nav_dashboard)];
    if may(Action::CuratePractices) {
        entries.push((Place::Review, "/desk/review", &d.nav_review));
    }
    if may(Action::CreateSubmission) {
        entries.push((
            Place::NewSubmission,
            "/desk/submissions/new",
            &d.nav_new_submission,
        ));
    }
    if may(Action::SelfAssess) {
        entries.push((Place::Assessments, "/desk/assessments", &d.nav_assessments));
    }
    if may(Action::ManageCompilations) {
        entries.push((
            Place::Compilations,
            "/desk/compilations",
            &d.nav_compilations,
        ));
        entries.push((Place::Coverage, "/desk/coverage", &d.nav_coverage));
    }
    if may(Action::ManageOutbox) {
        entries.push((Place::Mail, "/desk/mail", &d.nav_mail));
    }
    if may(Action::ManageUsers) {
        entries.push((Place::Accounts, "/desk/accounts", &d.nav_accounts));
        entries.push((
            Place::Organisations,
            "/desk/organisations",
            &d.nav_organisations,
        ));
        entries.push((Place::Audit, "/desk/audit", &d.nav_audit));
    }
    entries.push((Place::Account, "/desk/account", &d.nav_account));
    html! {
        nav.site-nav aria-label=(d.nav_label) {
            ul {
                @for (place, path, name) in entries {
                    li {
                        a href=(reader.link(path)) aria-current=[(place == current).then_some("page")] { (name) }
                    }
                }
                li { a href=(reader.link("/")) { (d.nav_catalogue) } }
            }
            form.sign-out method="post" action=(reader.link("/sign-out")) {
                span { (i18n::fill(&d.signed_in_as, &[("name", &desk.user.name)])) " " }
                (csrf_field(desk))
                button type="submit" { (d.sign_out) }
            }
        }
    }
}

/// A desk page for a signed-in person, as the answer.
pub fn page(
    desk: &Desk,
    status: StatusCode,
    current: Place,
    title: &str,
    main: Markup,
) -> HttpResponse {
    let markup = layout::frame(&desk.reader, title, navigation(desk, current), main);
    respond(&desk.reader, status, markup)
}

/// A desk page answered 200.
pub fn ok(desk: &Desk, current: Place, title: &str, main: Markup) -> Result<HttpResponse, Failure> {
    Ok(page(desk, StatusCode::OK, current, title, main))
}

/// A table's caption and column heads; `buttons` names a last column of
/// buttons, for screen readers only.
pub fn table_head(caption: &str, columns: &[&str], buttons: Option<&str>) -> Markup {
    html! {
        caption { (caption) }
        thead { tr {
            @for column in columns { th scope="col" { (column) } }
            @if let Some(buttons) = buttons { th scope="col" { span.visually-hidden { (buttons) } } }
        } }
    }
}

/// Where a person types a new password, with the rule it must meet.
pub fn new_password_field(d: &desk::DeskLabels) -> Markup {
    let min = NewPassword::MIN_CHARS.to_string();
    html! {
        p {
            label for="new-password" { (d.new_password) }
            input #new-password type="password" name="new_password" autocomplete="new-password" required
                minlength=(min) aria-describedby="new-password-hint";
            span.hint #new-password-hint { (i18n::fill(&d.new_password_hint, &[("min", &min)])) }
        }
    }
}

/// A refused form's errors, above the form.
pub fn errors_list(errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.form-errors role="alert" {
                ul { @for e in errors { li { (e.field) ": " (e.message) } } }
            }
        }
    }
}

/// A page for someone not (or no longer) signed in.
pub fn bare(reader: &Reader, title: &str, main: Markup) -> Markup {
    let d = desk::labels(reader.language);
    let navigation = html! {
        nav.site-nav aria-label=(d.nav_label) {
            ul {
                li { a href=(reader.link("/sign-in")) { (d.sign_in_title) } }
                li { a href=(reader.link("/")) { (d.nav_catalogue) } }
            }
        }
    };
    layout::frame(reader, title, navigation, main)
}

/// A desk answer: private, never stored by a cache.
pub fn respond(reader: &Reader, status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_LANGUAGE, reader.language.code()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::VARY, "Cookie, Accept-Language"))
        .body(markup.into_string())
}

/// After a form: the page to look at next (POST, then GET).
pub fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}
