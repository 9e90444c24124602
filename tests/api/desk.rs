//! The desk over HTTP, as a browser without script would use it: cookies
//! kept by hand, forms posted as `application/x-www-form-urlencoded`,
//! redirects read rather than followed. Sessions (flags, expiry, sign-out,
//! disabling), CSRF, safe `next`, who may open which desk page, and a whole
//! round of review through the forms, on both backends.

use std::collections::BTreeMap;

use compendium::auth::secrets;
use compendium::domain::account::Role;
use compendium::store::schema::sessions;
use compendium::store::Store;
use diesel::prelude::*;
use serde_json::json;

use crate::helpers::{each_backend, Answer, TestApp, TestUser, PASSWORD};

/// A browser without script: a cookie jar, forms, no redirects followed.
pub struct Browser<'a> {
    app: &'a TestApp,
    agent: ureq::Agent,
    pub cookies: BTreeMap<String, String>,
}

/// The value of the first `name="…" value="…"` field of a page.
pub fn field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].replace("&amp;", "&"))
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Browser {
            app,
            agent,
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, answer: &Answer) {
        for value in answer.headers.get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if text.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
    }

    fn send(&mut self, request: ureq::http::request::Builder, body: Option<String>) -> Answer {
        // As a browser asks: pages, not problem documents.
        let request = request
            .header("cookie", self.cookie_header())
            .header("accept", "text/html,application/xhtml+xml");
        let result = match body {
            Some(body) => self.agent.run(
                request
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .expect("a request"),
            ),
            None => self.agent.run(request.body(()).expect("a request")),
        };
        let mut response = result.expect("the request is answered");
        let answer = Answer {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.body_mut().read_to_string().unwrap_or_default(),
        };
        self.keep_cookies(&answer);
        answer
    }

    pub fn get(&mut self, path: &str) -> Answer {
        let request = ureq::http::Request::builder()
            .method("GET")
            .uri(self.app.url(path));
        self.send(request, None)
    }

    pub fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            body.append_pair(k, v);
        }
        let request = ureq::http::Request::builder()
            .method("POST")
            .uri(self.app.url(path));
        self.send(request, Some(body.finish()))
    }

    /// Signs in through the form; answers the redirect.
    pub fn sign_in_as(&mut self, email: &str, password: &str, next: Option<&str>) -> Answer {
        let form = self.get("/sign-in?lang=en");
        assert_eq!(form.status, 200, "{}", form.body);
        let csrf = field(&form.body, "csrf").expect("a CSRF field");
        let next = next.unwrap_or("/desk");
        self.post(
            "/sign-in?lang=en",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", password),
                ("next", next),
            ],
        )
    }

    pub fn signed_in(app: &'a TestApp, user: &TestUser) -> Browser<'a> {
        let mut browser = Browser::new(app);
        let answer = browser.sign_in_as(&user.email, PASSWORD, None);
        assert_eq!(answer.status, 303, "{}", answer.body);
        browser
    }

    /// The CSRF token of the session, read from a desk page.
    pub fn csrf(&mut self) -> String {
        let page = self.get("/desk?lang=en");
        field(&page.body, "csrf").expect("a CSRF field on the dashboard")
    }
}

fn location(answer: &Answer) -> String {
    answer.header("location").unwrap_or_default().to_owned()
}

fn session_digest(browser: &Browser<'_>) -> String {
    secrets::digest(
        browser
            .cookies
            .get("compendium_session")
            .expect("a session cookie"),
    )
}

#[test]
fn signing_in_opens_a_session_with_safe_cookie_flags() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let mut browser = Browser::new(app);

        // Without a session the desk sends to the sign-in page, with the way back.
        let bounced = browser.get("/desk/review?lang=fr");
        assert_eq!(bounced.status, 303);
        assert!(
            location(&bounced).starts_with("/sign-in?next=%2Fdesk%2Freview"),
            "{}",
            location(&bounced)
        );

        // A wrong password shows the form again, with no session.
        let form = browser.get("/sign-in?lang=en");
        let csrf = field(&form.body, "csrf").unwrap();
        let wrong = browser.post(
            "/sign-in?lang=en",
            &[
                ("csrf", &csrf),
                ("email", &focal.email),
                ("password", "not the password"),
                ("next", "/desk"),
            ],
        );
        assert_eq!(wrong.status, 200);
        assert!(wrong.body.contains("role=\"alert\""));
        assert!(!browser.cookies.contains_key("compendium_session"));

        // The right one: 303 to the desk and a session cookie with its flags.
        let signed = browser.sign_in_as(&focal.email, PASSWORD, Some("/desk/submissions/new"));
        assert_eq!(signed.status, 303);
        assert_eq!(location(&signed), "/desk/submissions/new?lang=en");
        let cookie = signed
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("compendium_session="))
            .expect("the session cookie");
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http: {cookie}");
        let desk = browser.get("/desk?lang=en");
        assert_eq!(desk.status, 200);
        assert!(desk.body.contains("Test focal_point"));
        assert_eq!(desk.header("cache-control"), Some("no-store"));
    });
}

#[test]
fn cookies_are_secure_when_the_service_is_served_over_https() {
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |settings| {
        settings.http.public_url = "https://compendium.un.example".to_owned();
    });
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    let mut browser = Browser::new(&app);
    let answer = browser.sign_in_as(&focal.email, PASSWORD, None);
    let cookies: Vec<String> = answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("compendium_session=") && c.ends_with("; Secure")),
        "{cookies:?}"
    );
}

#[test]
fn next_never_leads_off_the_desk() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite);
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    for hostile in [
        "https://evil.example/",
        "//evil.example/desk",
        "/\\evil.example",
        "/api/v1/users",
    ] {
        let mut browser = Browser::new(&app);
        let answer = browser.sign_in_as(&focal.email, PASSWORD, Some(hostile));
        assert_eq!(answer.status, 303);
        assert_eq!(location(&answer), "/desk?lang=en", "{hostile}");
    }
}

#[test]
fn forms_without_the_session_token_are_refused_and_change_nothing() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let mut browser = Browser::signed_in(app, &focal);
        let draft = [
            ("practices", "1"),
            ("language", "en"),
            ("title", "Forged"),
            ("practices[0].title", "A practice"),
            ("practices[0].body", "Its text."),
            ("action", "save"),
        ];
        let forged = browser.post("/desk/submissions?lang=en", &draft);
        assert_eq!(forged.status, 403);
        let mut wrong = draft.to_vec();
        wrong.push(("csrf", "not-the-token"));
        assert_eq!(
            browser.post("/desk/submissions?lang=en", &wrong).status,
            403
        );
        let listed = app.get_as(&focal.token, "/api/v1/submissions");
        assert_eq!(listed.json()["items"].as_array().unwrap().len(), 0);

        // The sign-in form has its own token: without it, no sign-in.
        let mut stranger = Browser::new(app);
        let answer = stranger.post(
            "/sign-in",
            &[
                ("email", &focal.email),
                ("password", PASSWORD),
                ("next", "/desk"),
            ],
        );
        assert_eq!(answer.status, 403);
        assert!(!stranger.cookies.contains_key("compendium_session"));

        // With the token, the same form saves.
        let csrf = browser.csrf();
        let mut good = draft.to_vec();
        good.push(("csrf", &csrf));
        let saved = browser.post("/desk/submissions?lang=en", &good);
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert!(location(&saved).starts_with("/desk/submissions/"));
    });
}

#[test]
fn sessions_end_on_sign_out_disabling_re_roling_and_idling() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let focal = app.user(Role::FocalPoint, Some("FRA"));

        // Sign-out.
        let mut browser = Browser::signed_in(app, &focal);
        let kept = browser.cookies.clone();
        let csrf = browser.csrf();
        let out = browser.post("/sign-out?lang=en", &[("csrf", &csrf)]);
        assert_eq!(out.status, 303);
        assert!(location(&out).starts_with("/sign-in?signed_out=1"));
        browser.cookies = kept;
        assert_eq!(
            browser.get("/desk").status,
            303,
            "the old cookie no longer works"
        );

        // Disabling the account ends its sessions at once.
        let mut browser = Browser::signed_in(app, &focal);
        assert_eq!(browser.get("/desk").status, 200);
        let patched = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", focal.id),
            &json!({"disabled": true}),
        );
        assert_eq!(patched.status, 200, "{}", patched.body);
        assert_eq!(browser.get("/desk").status, 303);
        let patched = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", focal.id),
            &json!({"disabled": false}),
        );
        assert_eq!(patched.status, 200);
        assert_eq!(
            browser.get("/desk").status,
            303,
            "re-enabling does not revive a session"
        );

        // So does a new role.
        let editor = app.user(Role::Editor, None);
        let mut browser = Browser::signed_in(app, &editor);
        let patched = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", editor.id),
            &json!({"role": "admin"}),
        );
        assert_eq!(patched.status, 200, "{}", patched.body);
        assert_eq!(browser.get("/desk").status, 303);

        // Thirty idle minutes end a session; so do twelve hours.
        let store = Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        for (column_is_created, minutes) in [(false, 31), (true, 12 * 60 + 1)] {
            let mut browser = Browser::signed_in(app, &focal);
            assert_eq!(browser.get("/desk").status, 200);
            let then = (chrono::Utc::now() - chrono::Duration::minutes(minutes)).naive_utc();
            let row = sessions::table.filter(sessions::id.eq(session_digest(&browser)));
            if column_is_created {
                diesel::update(row)
                    .set(sessions::created_at.eq(then))
                    .execute(&mut connection)
                    .unwrap();
            } else {
                diesel::update(row)
                    .set(sessions::last_seen_at.eq(then))
                    .execute(&mut connection)
                    .unwrap();
            }
            assert_eq!(browser.get("/desk").status, 303, "{minutes} minutes");
        }
    });
}

#[test]
fn each_desk_page_opens_only_for_whom_it_is() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let admin = app.user(Role::Admin, None);
        let french = app.user(Role::FocalPoint, Some("FRA"));
        let kenyan = app.user(Role::FocalPoint, Some("KEN"));
        let created = app.post_as(
            &french.token,
            "/api/v1/submissions",
            &json!({"language": "fr", "title": "Réponse", "practices": [{"title": "Pratique", "body": "Texte."}]}),
        );
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let pages = [
            "/desk".to_owned(),
            "/desk/review".to_owned(),
            "/desk/submissions/new".to_owned(),
            format!("/desk/submissions/{id}"),
            format!("/desk/submissions/{id}/edit"),
            format!("/desk/submissions/{id}/diff?from=1&to=1"),
        ];
        // Anonymous: every page sends to the sign-in form.
        let mut anonymous = Browser::new(app);
        for page in &pages {
            let answer = anonymous.get(page);
            assert_eq!(answer.status, 303, "{page}");
            assert!(location(&answer).starts_with("/sign-in?next="), "{page}");
        }
        // (page, editor, admin, own focal point, other focal point)
        let expected = [
            (200, 200, 200, 200),
            (200, 200, 403, 403),
            (200, 200, 200, 200),
            (200, 200, 200, 404),
            (200, 200, 200, 404),
            (200, 200, 200, 404),
        ];
        let mut callers: Vec<Browser<'_>> = [&editor, &admin, &french, &kenyan]
            .into_iter()
            .map(|user| Browser::signed_in(app, user))
            .collect();
        for (page, statuses) in pages.iter().zip(expected) {
            let wanted = [statuses.0, statuses.1, statuses.2, statuses.3];
            for (browser, want) in callers.iter_mut().zip(wanted) {
                let answer = browser.get(page);
                assert_eq!(
                    answer.status,
                    want,
                    "{page}: {}",
                    answer.body.chars().take(300).collect::<String>()
                );
                assert!(
                    answer
                        .header("content-type")
                        .unwrap_or_default()
                        .starts_with("text/html"),
                    "{page}"
                );
            }
        }
        // Moves: a focal point cannot decide; another entity's cannot even see.
        let submitted = app.post_as(
            &french.token,
            &format!("/api/v1/submissions/{id}/submit"),
            &json!({}),
        );
        assert_eq!(submitted.status, 200);
        let own = &mut callers[2];
        let csrf = own.csrf();
        assert_eq!(
            own.post(
                &format!("/desk/submissions/{id}/accept"),
                &[("csrf", &csrf)]
            )
            .status,
            403
        );
        let other = &mut callers[3];
        let csrf = other.csrf();
        assert_eq!(
            other
                .post(
                    &format!("/desk/submissions/{id}/withdraw"),
                    &[("csrf", &csrf)]
                )
                .status,
            404
        );
        let status = app
            .get_as(&editor.token, &format!("/api/v1/submissions/{id}"))
            .json()["status"]
            .clone();
        assert_eq!(status, "submitted");
    });
}

/// The practice blocks of the submission form, as the browser would post them.
fn practice_pairs(index: usize, title: &str, body: &str, items: &[&str]) -> Vec<(String, String)> {
    let mut pairs = vec![
        (format!("practices[{index}].title"), title.to_owned()),
        (format!("practices[{index}].body"), body.to_owned()),
    ];
    for item in items {
        pairs.push((format!("practices[{index}].items"), (*item).to_owned()));
    }
    pairs
}

fn post_pairs(browser: &mut Browser<'_>, path: &str, pairs: &[(String, String)]) -> Answer {
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    browser.post(path, &borrowed)
}

#[test]
fn a_whole_round_of_review_through_the_forms() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let editor = app.user(Role::Editor, None);
        let mut fp = Browser::signed_in(app, &focal);
        let mut ed = Browser::signed_in(app, &editor);

        // Two practices: the second block is added with its button first.
        let csrf = fp.csrf();
        let mut pairs: Vec<(String, String)> = vec![
            ("csrf".into(), csrf.clone()),
            ("practices".into(), "1".into()),
            ("language".into(), "en".into()),
            ("title".into(), "Kenya's reply".into()),
        ];
        pairs.extend(practice_pairs(
            0,
            "National CERT",
            "The national team responds to incidents.",
            &["11"],
        ));
        pairs.push(("action".into(), "add".into()));
        let added = post_pairs(&mut fp, "/desk/submissions?lang=en", &pairs);
        assert_eq!(added.status, 200);
        assert!(added.body.contains("name=\"practices[1].title\""));
        assert_eq!(field(&added.body, "practices").as_deref(), Some("2"));

        // Saving with an empty second practice names its fields.
        pairs.retain(|(k, _)| k != "action" && k != "practices");
        pairs.push(("practices".into(), "2".into()));
        pairs.push(("action".into(), "save".into()));
        let refused = post_pairs(&mut fp, "/desk/submissions?lang=en", &pairs);
        assert_eq!(refused.status, 422);
        assert!(
            refused.body.contains("error-practices-1--title"),
            "the error sits by its field"
        );

        pairs.extend(practice_pairs(
            1,
            "Awareness month",
            "Schools learn about phishing.",
            &["18"],
        ));
        let saved = post_pairs(&mut fp, "/desk/submissions?lang=en", &pairs);
        assert_eq!(saved.status, 303, "{}", saved.body);
        let page_path = location(&saved).split('?').next().unwrap().to_owned();
        let id = page_path
            .trim_start_matches("/desk/submissions/")
            .to_owned();
        let page = fp.get(&page_path);
        assert!(page.body.contains("Awareness month"));

        // Submit, bound to the version the page showed.
        let version = field(&page.body, "version").unwrap();
        let submitted = fp.post(
            &format!("{page_path}/submit"),
            &[("csrf", &csrf), ("version", &version)],
        );
        assert_eq!(submitted.status, 303);

        // The editor finds it in the queue and asks for changes.
        let queue = ed.get("/desk/review?lang=en&section=E");
        assert!(
            queue.body.contains(&page_path),
            "in the queue under section E"
        );
        let other_section = ed.get("/desk/review?lang=en&section=A");
        assert!(!other_section.body.contains(&page_path));
        let review = ed.get(&page_path);
        // The concepts behind each suggestion, named in the editor's
        // language whatever the practice's.
        let in_french = ed.get(&format!("{page_path}?lang=fr"));
        assert!(
            in_french.body.contains("class=\"concepts\"") && in_french.body.contains("hameçonnage"),
            "{}",
            in_french.body
        );
        let editor_csrf = field(&review.body, "csrf").unwrap();
        let seen = field(&review.body, "version").unwrap();
        let asked = ed.post(
            &format!("{page_path}/request-changes"),
            &[
                ("csrf", &editor_csrf),
                ("version", &seen),
                ("message", "Please say since when the team exists."),
            ],
        );
        assert_eq!(asked.status, 303);

        // The focal point reads the message and revises.
        let returned = fp.get(&page_path);
        assert!(returned
            .body
            .contains("Please say since when the team exists."));
        let edit = fp.get(&format!("{page_path}/edit"));
        assert_eq!(edit.status, 200);
        let version = field(&edit.body, "version").unwrap();
        let mut revised: Vec<(String, String)> = vec![
            ("csrf".into(), csrf.clone()),
            ("practices".into(), "2".into()),
            ("version".into(), version),
            ("language".into(), "en".into()),
            ("title".into(), "Kenya's reply".into()),
            ("action".into(), "save".into()),
        ];
        revised.extend(practice_pairs(
            0,
            "National CERT",
            "Since 2012, the national team responds to incidents.",
            &["11"],
        ));
        revised.extend(practice_pairs(
            1,
            "Awareness month",
            "Schools learn about phishing.",
            &["18"],
        ));
        let resaved = post_pairs(&mut fp, &format!("{page_path}/edit?lang=en"), &revised);
        assert_eq!(resaved.status, 303, "{}", resaved.body);
        // The same form again is stale: someone (here, oneself) saved since.
        assert_eq!(
            post_pairs(&mut fp, &format!("{page_path}/edit?lang=en"), &revised).status,
            412
        );
        let page = fp.get(&page_path);
        let version = field(&page.body, "version").unwrap();
        assert_eq!(
            fp.post(
                &format!("{page_path}/submit"),
                &[("csrf", &csrf), ("version", &version)]
            )
            .status,
            303
        );

        // The editor sees what changed since the last submission, then accepts.
        let review = ed.get(&page_path);
        assert!(
            review.body.contains("<ins"),
            "the review page shows the diff"
        );
        assert!(review.body.contains("Since 2012"));
        let old_version = field(&review.body, "version").unwrap();
        let stale = ed.post(
            &format!("{page_path}/accept"),
            &[("csrf", &editor_csrf), ("version", "1")],
        );
        assert_eq!(stale.status, 412, "a decision is bound to the version read");
        let accepted = ed.post(
            &format!("{page_path}/accept"),
            &[("csrf", &editor_csrf), ("version", &old_version)],
        );
        assert_eq!(accepted.status, 303);

        // The JSON diff says the same, word by word.
        let diff = app.get_as(
            &editor.token,
            &format!("/api/v1/submissions/{id}/diff?from=3&to=5"),
        );
        assert_eq!(diff.status, 200, "{}", diff.body);
        let diff = diff.json();
        let body = diff["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["path"] == "practices[0].body")
            .expect("the body changed");
        assert!(body["ops"]
            .as_array()
            .unwrap()
            .iter()
            .any(|op| op["op"] == "insert" && op["text"].as_str().unwrap().contains("2012")));
        assert_eq!(
            app.get_as(
                &editor.token,
                &format!("/api/v1/submissions/{id}/diff?from=99")
            )
            .status,
            404
        );
        assert_eq!(
            app.get_as(
                &editor.token,
                &format!("/api/v1/submissions/{id}/diff?from=x")
            )
            .status,
            400
        );
        assert_eq!(
            app.get_as(
                &editor.token,
                &format!("/api/v1/submissions/{id}/diff?to=-9223372036854775808")
            )
            .status,
            400
        );

        // A reader finds the practice.
        app.wait_for_total("q=2012", 1);
    });
}
