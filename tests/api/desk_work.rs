//! The desk's other work over HTTP, on both backends: a person's password
//! and API tokens, the administrators' accounts, organisations and audit
//! log, the editors' compilations, mail, coverage and re-tagging, and who
//! may open each of these pages.

use compendium::domain::account::Role;
use compendium::domain::clock;
use compendium::domain::outbox::MailStatus;
use compendium::domain::page::Page;
use compendium::store::{outbox, Store};
use serde_json::json;

use crate::desk::{field, Browser};
use crate::helpers::{each_backend, Answer, PASSWORD};

fn location(answer: &Answer) -> String {
    answer.header("location").unwrap_or_default().to_owned()
}

#[test]
fn each_page_of_the_desk_opens_only_for_whom_it_is() {
    each_backend(|app| {
        let callers = [
            app.user(Role::FocalPoint, Some("FRA")),
            app.user(Role::Editor, None),
            app.user(Role::Admin, None),
        ];
        // (page, focal point, editor, admin)
        let pages = [
            ("/desk/account", 200, 200, 200),
            ("/desk/assessments", 200, 200, 200),
            ("/desk/compilations", 403, 200, 200),
            ("/desk/coverage", 403, 200, 200),
            ("/desk/mail", 403, 403, 200),
            ("/desk/accounts", 403, 403, 200),
            ("/desk/organisations", 403, 403, 200),
            ("/desk/audit", 403, 403, 200),
        ];
        let mut anonymous = Browser::new(app);
        let mut browsers: Vec<Browser<'_>> =
            callers.iter().map(|u| Browser::signed_in(app, u)).collect();
        for (page, focal, editor, admin) in pages {
            assert_eq!(anonymous.get(page).status, 303, "{page}");
            for (browser, want) in browsers.iter_mut().zip([focal, editor, admin]) {
                let answer = browser.get(page);
                assert_eq!(
                    answer.status,
                    want,
                    "{page}: {}",
                    answer.body.chars().take(200).collect::<String>()
                );
            }
        }
        // Forms too: a focal point cannot make accounts or compilations.
        let focal = &mut browsers[0];
        let csrf = focal.csrf();
        for path in [
            "/desk/accounts",
            "/desk/organisations",
            "/desk/compilations",
        ] {
            assert_eq!(
                focal.post(path, &[("csrf", &csrf), ("title", "x")]).status,
                403,
                "{path}"
            );
        }
        // Nor can the Secretariat start a State's self-assessment.
        let editor = &mut browsers[1];
        let csrf = editor.csrf();
        let form = [
            ("csrf", csrf.as_str()),
            ("year", "2026"),
            ("language", "en"),
        ];
        assert_eq!(editor.post("/desk/assessments", &form).status, 403);
    });
}

#[test]
fn a_password_change_ends_the_other_sessions_and_the_tokens() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let mut here = Browser::signed_in(app, &focal);
        let mut elsewhere = Browser::signed_in(app, &focal);

        // An API token for a script, made and listed at the desk.
        let csrf = here.csrf();
        let made = here.post(
            "/desk/account/tokens",
            &[("csrf", &csrf), ("name", "nightly upload"), ("days", "30")],
        );
        assert_eq!(made.status, 201, "{}", made.body);
        let secret = made
            .body
            .split("<code class=\"secret\" dir=\"ltr\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned();
        assert_eq!(
            app.get_as(&secret, "/api/v1/me").status,
            200,
            "the token works"
        );
        let refused = here.post(
            "/desk/account/tokens",
            &[("csrf", &csrf), ("name", " "), ("days", "9999")],
        );
        assert_eq!(refused.status, 422);

        // The wrong current password changes nothing.
        let wrong = here.post(
            "/desk/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", "not it at all"),
                ("new_password", "a brand new passphrase"),
            ],
        );
        assert_eq!(wrong.status, 422);
        assert_eq!(elsewhere.get("/desk").status, 200);

        let changed = here.post(
            "/desk/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        );
        assert_eq!(changed.status, 303, "{}", changed.body);
        assert!(location(&changed).starts_with("/desk/account?changed=1"));
        assert_eq!(
            here.get("/desk").status,
            200,
            "this browser keeps a fresh session"
        );
        assert_eq!(
            elsewhere.get("/desk").status,
            303,
            "the other session has ended"
        );
        assert_eq!(
            app.get_as(&secret, "/api/v1/me").status,
            401,
            "the API token is revoked"
        );
        let old = app.post_json(
            "/api/v1/auth/token",
            &json!({"email": focal.email, "password": PASSWORD}),
        );
        assert_eq!(old.status, 401);
        app.sign_in(&focal.email, "a brand new passphrase");

        // A token made now can be revoked from the page.
        let csrf = here.csrf();
        let made = here.post(
            "/desk/account/tokens",
            &[("csrf", &csrf), ("name", "second"), ("days", "1")],
        );
        let secret = made
            .body
            .split("<code class=\"secret\" dir=\"ltr\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned();
        let revoke = made
            .body
            .split("/desk/account/tokens/")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let revoked = here.post(
            &format!("/desk/account/tokens/{revoke}/revoke"),
            &[("csrf", &csrf)],
        );
        assert_eq!(revoked.status, 303);
        assert_eq!(app.get_as(&secret, "/api/v1/me").status, 401);
    });
}

#[test]
fn administrators_manage_accounts_and_organisations_at_the_desk() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let mut desk = Browser::signed_in(app, &admin);
        let csrf = desk.csrf();
        let made = desk.post(
            "/desk/accounts",
            &[
                ("csrf", &csrf),
                ("email", "new.focal@example.org"),
                ("name", "New Focal Point"),
                ("role", "focal_point"),
                ("entity", "KEN"),
                ("password", "a password long enough"),
            ],
        );
        assert_eq!(made.status, 303, "{}", made.body);
        let token = app.sign_in("new.focal@example.org", "a password long enough");
        let me = app.get_as(&token, "/api/v1/me").json();
        assert_eq!(me["entity"], "KEN");
        let id = me["id"].as_str().unwrap().to_owned();

        // A focal point without an entity is refused, beside its field.
        let refused = desk.post(
            "/desk/accounts",
            &[
                ("csrf", &csrf),
                ("email", "x@example.org"),
                ("name", "X"),
                ("role", "focal_point"),
                ("password", "a password long enough"),
            ],
        );
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("form-errors"));

        // Disabling from the account's page ends its sign-in.
        let mut their_desk = Browser::new(app);
        assert_eq!(
            their_desk
                .sign_in_as("new.focal@example.org", "a password long enough", None)
                .status,
            303
        );
        let page = desk.get(&format!("/desk/accounts/{id}"));
        assert_eq!(page.status, 200);
        let saved = desk.post(
            &format!("/desk/accounts/{id}"),
            &[
                ("csrf", &csrf),
                ("role", "focal_point"),
                ("entity", "KEN"),
                ("disabled", "true"),
            ],
        );
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert_eq!(their_desk.get("/desk").status, 303);
        assert_eq!(app.get_as(&token, "/api/v1/me").status, 401);
        let history = desk.get(&format!("/desk/accounts/{id}"));
        assert!(
            history.body.contains("user.update"),
            "the account's audit trail is on its page"
        );

        // An organisation, and the audit log that names both changes.
        let added = desk.post(
            "/desk/organisations",
            &[
                ("csrf", &csrf),
                ("code", "GFCE"),
                ("name", "Global Forum on Cyber Expertise"),
                ("type", "international_org"),
            ],
        );
        assert_eq!(added.status, 303, "{}", added.body);
        let entities = app.get("/api/v1/entities").json();
        assert!(entities["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["code"] == "GFCE"));
        let taken = desk.post(
            "/desk/organisations",
            &[
                ("csrf", &csrf),
                ("code", "FRA"),
                ("name", "France again"),
                ("type", "international_org"),
            ],
        );
        assert_eq!(taken.status, 409);
        let log = desk.get("/desk/audit");
        assert!(log.body.contains("entity.create") && log.body.contains("user.create"));
    });
}

#[test]
fn editors_compile_publish_retag_and_retry_mail_at_the_desk() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let admin = app.user(Role::Admin, None);
        let accepted = app.accept_new(
            &editor,
            &json!({"entity": "KEN", "language": "en", "title": "Kenya",
            "practices": [
                {"title": "National CERT", "body": "Incident response.", "items": [11]},
                {"title": "Awareness month", "body": "Schools.", "items": [18]}
            ]}),
        );
        let practice = app.first_practice(&editor.token, &accepted);
        app.wait_for_total("", 2);
        let mut desk = Browser::signed_in(app, &editor);
        let csrf = desk.csrf();

        // A draft from a scope form: section E only.
        let bad = desk.post(
            "/desk/compilations",
            &[
                ("csrf", &csrf),
                ("title", "Bad dates"),
                ("from", "2026-13-45"),
            ],
        );
        assert_eq!(bad.status, 422);
        let made = desk.post(
            "/desk/compilations",
            &[
                ("csrf", &csrf),
                ("title", "Incident response"),
                ("sections", "E"),
            ],
        );
        assert_eq!(made.status, 303, "{}", made.body);
        let page = location(&made).split('?').next().unwrap().to_owned();
        let draft = desk.get(&page);
        assert!(draft.body.contains("National CERT"));
        assert!(!draft.body.contains("Awareness month"), "outside the scope");

        // Leave a practice out, put it back; a stale form is refused.
        let version = field(&draft.body, "version").unwrap();
        let left = desk.post(
            &format!("{page}/exclude"),
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("practice", &practice),
            ],
        );
        assert_eq!(left.status, 303);
        assert_eq!(
            desk.post(
                &format!("{page}/include"),
                &[
                    ("csrf", &csrf),
                    ("version", &version),
                    ("practice", &practice)
                ]
            )
            .status,
            412
        );
        let without = desk.get(&page);
        assert!(without.body.contains("excluded-heading"));
        let version = field(&without.body, "version").unwrap();
        assert_eq!(
            desk.post(
                &format!("{page}/include"),
                &[
                    ("csrf", &csrf),
                    ("version", &version),
                    ("practice", &practice)
                ]
            )
            .status,
            303
        );

        // Publishing asks first, then numbers the edition.
        let asked = desk.get(&format!("{page}?confirm=1"));
        assert!(asked.body.contains("confirm-heading"));
        let version = field(&asked.body, "version").unwrap();
        let published = desk.post(
            &format!("{page}/publish"),
            &[("csrf", &csrf), ("version", &version)],
        );
        assert_eq!(published.status, 303, "{}", published.body);
        let id = page.trim_start_matches("/desk/compilations/");
        let public = app.get(&format!("/api/v1/compilations/{id}")).json();
        assert_eq!(public["status"], "published");

        // Re-tagging an accepted practice from its submission's page, bound
        // to the version the page showed.
        let shown = desk.get(&format!("/desk/submissions/{accepted}"));
        let version = field(&shown.body, "version").unwrap();
        let stale = (version.parse::<i64>().unwrap() - 1).to_string();
        let refused = desk.post(
            &format!("/desk/practices/{practice}/items"),
            &[("csrf", &csrf), ("version", &stale), ("items", "13")],
        );
        assert_eq!(refused.status, 412, "{}", refused.body);
        let retagged = desk.post(
            &format!("/desk/practices/{practice}/items"),
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("items", "11"),
                ("items", "12"),
            ],
        );
        assert_eq!(retagged.status, 303, "{}", retagged.body);
        assert!(location(&retagged).contains(&accepted));
        let items = app.get(&format!("/api/v1/practices/{practice}")).json()["items"].clone();
        assert_eq!(items, json!([11, 12]));
        assert_eq!(
            desk.post(
                &format!("/desk/practices/{practice}/items"),
                &[("csrf", &csrf), ("items", "19")]
            )
            .status,
            400
        );

        // Coverage with the replies still in review.
        let coverage = desk.get("/desk/coverage?lang=en");
        assert_eq!(coverage.status, 200);
        assert!(coverage.body.contains("heat-map"));

        // A dead mail, retried by an admin.
        let store = Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let created = app.post_as(
            &focal.token,
            "/api/v1/submissions",
            &json!({"language": "en", "title": "T", "practices": [{"title": "P", "body": "B"}]}),
        );
        let sid = created.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(
            app.post_as(
                &focal.token,
                &format!("/api/v1/submissions/{sid}/submit"),
                &json!({})
            )
            .status,
            200
        );
        let page = Page {
            limit: 100,
            after: None,
        };
        let mail = outbox::list(&mut connection, None, &page)
            .unwrap()
            .pop()
            .expect("a notice");
        // The sender, woken by the notice, is not to overwrite the failure
        // made up below: let it be done with the mail first.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while outbox::find(&mut connection, &mail.id)
            .unwrap()
            .unwrap()
            .status
            != MailStatus::Sent
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the notice was not sent"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        outbox::mark_failed(
            &mut connection,
            &mail.id,
            "550 mailbox unavailable",
            clock::now(),
            None,
        )
        .unwrap();
        let mut admin_desk = Browser::signed_in(app, &admin);
        let listed = admin_desk.get("/desk/mail?lang=en");
        assert!(listed.body.contains("550 mailbox unavailable"));
        let csrf = admin_desk.csrf();
        let retried = admin_desk.post(&format!("/desk/mail/{}/retry", mail.id), &[("csrf", &csrf)]);
        assert_eq!(retried.status, 303, "{}", retried.body);
        let status = outbox::find(&mut connection, &mail.id)
            .unwrap()
            .unwrap()
            .status;
        assert_ne!(status, MailStatus::Dead);
    });
}

/// A focal point opens a revision from the accepted submission's page,
/// corrects it in the form (which keeps what each practice corrects) and
/// sends it; both pages say where the revision stands.
#[test]
fn focal_points_revise_an_accepted_submission_at_the_desk() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let accepted = app.accept_new(
            &editor,
            &json!({"entity": "KEN", "language": "en", "title": "Kenya",
                "practices": [{"title": "National CERT", "body": "Incident response.", "items": [11]}]}),
        );
        let practice = app.first_practice(&editor.token, &accepted);
        let mut desk = Browser::signed_in(app, &focal);
        let csrf = desk.csrf();
        let page = desk.get(&format!("/desk/submissions/{accepted}?lang=en"));
        assert!(page.body.contains("Open a revision"), "{}", page.body);
        let version = field(&page.body, "version").unwrap();
        let stale = desk.post(
            &format!("/desk/submissions/{accepted}/revise"),
            &[("csrf", &csrf), ("version", "1")],
        );
        assert_eq!(stale.status, 412);
        let opened = desk.post(
            &format!("/desk/submissions/{accepted}/revise"),
            &[("csrf", &csrf), ("version", &version)],
        );
        assert_eq!(opened.status, 303, "{}", opened.body);
        let edit = location(&opened);
        assert!(edit.contains("/edit"), "{edit}");
        let form = desk.get(&edit);
        assert_eq!(
            field(&form.body, "practices[0].replaces").as_deref(),
            Some(practice.as_str())
        );
        let revision = edit.split("/edit").next().unwrap().to_owned();
        let saved = desk.post(
            &edit,
            &[
                ("csrf", &csrf),
                ("version", &field(&form.body, "version").unwrap()),
                ("practices", "1"),
                ("language", "en"),
                ("title", "Kenya, corrected"),
                ("practices[0].title", "National CERT and sector teams"),
                ("practices[0].body", "Incident response, with sector teams."),
                ("practices[0].items", "11"),
                ("practices[0].replaces", &practice),
                ("action", "save"),
            ],
        );
        assert_eq!(saved.status, 303, "{}", saved.body);
        let shown = desk.get(&format!("{revision}?lang=en"));
        assert!(shown
            .body
            .contains("This is a revision of an accepted submission"));
        assert!(shown
            .body
            .contains(&format!("/desk/submissions/{accepted}")));
        let original = desk.get(&format!("/desk/submissions/{accepted}?lang=en"));
        assert!(original
            .body
            .contains("A revision of this submission is in progress."));
        assert!(!original.body.contains("Open a revision"));
        let view = app
            .get_as(
                &focal.token,
                &format!("/api/v1{}", revision.trim_start_matches("/desk")),
            )
            .json();
        assert_eq!(view["practices"][0]["replaces"], practice.as_str());
        assert_eq!(view["title"], "Kenya, corrected");
    });
}
