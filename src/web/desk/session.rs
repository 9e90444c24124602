//! Who is at the desk: the session cookie read, the session resolved
//! (live, its account enabled, as it is now), the CSRF token every form of
//! the session carries. A request without a live session is sent to the
//! sign-in page with the way back in `next`.
//!
//! The cookie is `HttpOnly` (no script reads it), `SameSite=Lax` (a link
//! from a notice mail opens the page signed in, while another site's form
//! posts without it) and `Secure` when the service is served over https.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use super::failure::{Failure, OrPage};
use super::form::Form;
use crate::auth::secrets;
use crate::auth::tokens::TokenKind;
use crate::auth::{authorize, Action, AuthenticatedUser, Caller};
use crate::domain::clock;
use crate::domain::session::ABSOLUTE;
use crate::error::AppError;
use crate::http::{AppState, Connection};
use crate::service::sessions;
use crate::web::layout::Reader;

pub const SESSION_COOKIE: &str = "compendium_session";
/// The sign-in form's own CSRF secret, before there is a session: the form
/// must carry what this cookie holds (a login CSRF would sign a victim in
/// as the attacker).
pub const SIGN_IN_COOKIE: &str = "compendium_sign_in";
/// The field every desk form carries.
pub const CSRF_FIELD: &str = "csrf";

/// A signed-in person at the desk.
pub struct Desk {
    pub reader: Reader,
    pub user: AuthenticatedUser,
    pub csrf: String,
    state: web::Data<AppState>,
}

impl Desk {
    pub fn caller(&self) -> Caller {
        Caller::User(self.user.clone())
    }

    /// The language the Secretariat's editors hear in.
    pub fn secretariat_language(&self) -> crate::domain::Language {
        self.state.secretariat_language
    }

    /// This person, when their role allows `action`; else the page that
    /// says it does not.
    pub fn may(&self, action: Action) -> Result<AuthenticatedUser, Failure> {
        authorize(&self.caller(), action)
            .cloned()
            .or_page(&self.reader)
    }

    /// Runs a page's database work off the executor; its error becomes
    /// the page that says why, in the reader's language.
    pub async fn run<T, F>(&self, work: F) -> Result<T, Failure>
    where
        F: FnOnce(&mut Connection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        self.attempt(work).await.or_page(&self.reader)
    }

    /// [`Desk::run`] for work whose refusal the page shows itself, such
    /// as a form's field errors beside their fields.
    pub async fn attempt<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut Connection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        self.state.store.run(work).await
    }

    /// Refuses a form that does not carry this session's CSRF token.
    fn check(&self, sent: Option<&str>) -> Result<(), Failure> {
        match sent {
            Some(token) if secrets::same(token, &self.csrf) => Ok(()),
            _ => Err(Failure::form_expired(&self.reader)),
        }
    }
}

/// The value of a cookie the request carries.
pub fn cookie(request: &HttpRequest, name: &str) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// A `Set-Cookie` value; `max_age` 0 removes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session cookie for a new session: it lasts as long as a session may.
pub fn session_cookie(secret: &str, secure: bool) -> String {
    set_cookie(SESSION_COOKIE, secret, ABSOLUTE.num_seconds(), secure)
}

/// Whether cookies must be `Secure`: the service is reached over https.
pub fn secure(state: &AppState) -> bool {
    state.settings.http.public_url.starts_with("https://")
}

/// Where to go after signing in: a path of the desk on this site, never
/// another site (`//evil.example`, `/\evil.example`, `https://…`) nor a
/// header-breaking value; anything else is the dashboard.
pub fn safe_next(next: Option<&str>) -> String {
    let fallback = "/desk".to_owned();
    let Some(next) = next else {
        return fallback;
    };
    let path = next.split(['?', '#']).next().unwrap_or_default();
    let on_desk = path == "/desk" || path.starts_with("/desk/");
    let clean = !next.contains('\\')
        && !next.contains("//")
        && next.chars().all(|c| !c.is_control() && !c.is_whitespace());
    if on_desk && clean {
        next.to_owned()
    } else {
        fallback
    }
}

impl FromRequest for Desk {
    type Error = Failure;
    type Future = Pin<Box<dyn Future<Output = Result<Desk, Failure>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let reader = Reader::of(request);
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let secret = cookie(request, SESSION_COOKIE);
        let writes = !request.method().is_safe();
        let here = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/desk".to_owned());
        Box::pin(async move {
            let Some(state) = state else {
                return Err(Failure::page(
                    &reader,
                    AppError::internal("the app state is not registered"),
                ));
            };
            let live = match secret {
                Some(secret) => state
                    .store
                    .run(move |c| sessions::resolve(c, &secret, clock::now()))
                    .await
                    .or_page(&reader)?,
                None => None,
            };
            let Some(live) = live else {
                let target = reader.link_with("/sign-in", &[("next", &safe_next(Some(&here)))]);
                return Err(Failure::redirect(target));
            };
            let user = live.user;
            if writes {
                // The same allowance per account as the API's writes.
                state
                    .write_throttle
                    .admit(
                        &[&user.id],
                        "this account has made its writes for this minute",
                    )
                    .await
                    .or_page(&reader)?;
            }
            Ok(Desk {
                reader,
                user: AuthenticatedUser {
                    id: user.id,
                    email: user.email,
                    name: user.name,
                    role: user.role,
                    entity: user.entity,
                    via: TokenKind::Session,
                },
                csrf: live.csrf_token,
                state,
            })
        })
    }
}

/// A desk form from a signed-in person, its CSRF token checked before the
/// handler runs: a handler that takes one cannot forget the check, and a
/// form without the token changes nothing (403).
pub struct Posted(pub Desk, pub Form);

impl FromRequest for Posted {
    type Error = Failure;
    type Future = Pin<Box<dyn Future<Output = Result<Posted, Failure>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let desk = Desk::from_request(request, payload);
        let form = Form::from_request(request, payload);
        Box::pin(async move {
            let desk = desk.await?;
            let form = form.await?;
            desk.check(form.csrf())?;
            Ok(Posted(desk, form))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_the_desk_of_this_site() {
        assert_eq!(
            safe_next(Some("/desk/submissions/abc?lang=fr")),
            "/desk/submissions/abc?lang=fr"
        );
        assert_eq!(safe_next(Some("/desk")), "/desk");
        for hostile in [
            "https://evil.example/desk",
            "//evil.example/desk",
            "/desk//evil.example",
            "/\\evil.example",
            "/desk\\..\\x",
            "/desk\r\nSet-Cookie: x=1",
            "/deskevil",
            "/api/v1/users",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/desk", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/desk");
    }

    #[test]
    fn cookies_carry_their_flags() {
        let plain = session_cookie("s3cret", false);
        assert!(plain.starts_with("compendium_session=s3cret; Path=/; Max-Age=43200"));
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        assert!(session_cookie("s", true).ends_with("; Secure"));
    }

    #[test]
    fn a_cookie_is_read_among_others() {
        let request = actix_web::test::TestRequest::default()
            .insert_header((header::COOKIE, "a=1; compendium_session=xyz; b=2"))
            .to_http_request();
        assert_eq!(cookie(&request, SESSION_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie(&request, "missing"), None);
    }
}
