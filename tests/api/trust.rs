//! The findings of the security probe of b646cab (issue 20), each
//! reproduced as the probe found it and shown closed, on both backends.

use compendium::domain::account::Role;
use serde_json::json;

use crate::helpers::{each_backend, TestApp, TestUser};

fn draft(title: &str) -> serde_json::Value {
    json!({"entity": "KEN", "language": "en", "title": title,
        "practices": [{"title": "KE-CIRT", "body": "A national team.", "items": [11]}]})
}

fn move_at(
    app: &TestApp,
    who: &TestUser,
    id: &str,
    action: &str,
    seen: &str,
) -> crate::helpers::Answer {
    app.call_with(
        "POST",
        &format!("/api/v1/submissions/{id}/{action}"),
        Some(&who.token),
        None,
        &[("if-match", seen)],
    )
}

/// Finding 8: a decision names the version it was made on, and a stale
/// one is refused (412) without changing anything.
#[test]
fn finding_8_moves_and_re_tagging_are_bound_to_the_version_read() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let editor = app.user(Role::Editor, None);
        let created = app.post_as(&focal.token, "/api/v1/submissions", &draft("Kenya"));
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let submitted = move_at(app, &focal, &id, "submit", "\"v1\"");
        assert_eq!(submitted.status, 200, "{}", submitted.body);
        assert_eq!(submitted.header("etag"), Some("\"v2\""));

        // The probe: accept with If-Match "v1" on version 2 answered 200.
        move_at(app, &editor, &id, "accept", "\"v1\"").problem(412);
        let seen = app.get_as(&editor.token, &format!("/api/v1/submissions/{id}"));
        assert_eq!(seen.json()["status"], "submitted", "nothing changed");
        assert_eq!(seen.header("etag"), Some("\"v2\""));
        let accepted = move_at(app, &editor, &id, "accept", "\"v2\"");
        assert_eq!(accepted.status, 200, "{}", accepted.body);

        // Re-tagging: the practice carries its submission's version, and a
        // second editor working from the same read no longer overwrites
        // the first one's tags.
        let practice = app.first_practice(&editor.token, &id);
        let read = app.get(&format!("/api/v1/practices/{practice}"));
        let tag = read.header("etag").expect("an ETag").to_owned();
        assert_eq!(tag, "\"v3\"");
        let retag = |items: serde_json::Value, seen: &str| {
            app.call_with(
                "PATCH",
                &format!("/api/v1/practices/{practice}"),
                Some(&editor.token),
                Some(&json!({"items": items})),
                &[("if-match", seen)],
            )
        };
        let first = retag(json!([10, 11]), &tag);
        assert_eq!(first.status, 200, "{}", first.body);
        assert_eq!(first.header("etag"), Some("\"v4\""));
        retag(json!([12]), &tag).problem(412);
        let now = app.get(&format!("/api/v1/practices/{practice}")).json();
        assert_eq!(
            now["items"],
            json!([10, 11]),
            "the first editor's tags stand"
        );
        // Without If-Match the caller takes the present version as read.
        assert_eq!(
            app.patch_as(
                &editor.token,
                &format!("/api/v1/practices/{practice}"),
                &json!({"items": [12]})
            )
            .status,
            200
        );
    });
}

/// Finding 5: a NUL byte in any text field was a 500 on PostgreSQL (and
/// stored raw on SQLite). Now every control character is refused with a
/// 422 naming the field, and nothing is stored.
#[test]
fn finding_5_control_characters_are_refused_in_every_text() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let admin = app.user(Role::Admin, None);
        let cases = [
            (
                "title",
                json!({"entity": "KEN", "language": "en", "title": "Ken\u{0}ya",
                "practices": [{"title": "T", "body": "B", "items": [11]}]}),
            ),
            (
                "practices[0].body",
                json!({"entity": "KEN", "language": "en", "title": "Kenya",
                "practices": [{"title": "T", "body": "B\u{0}", "items": [11]}]}),
            ),
            (
                "summary",
                json!({"entity": "KEN", "language": "en", "title": "Kenya", "summary": "bell\u{7}",
                "practices": [{"title": "T", "body": "B", "items": [11]}]}),
            ),
            (
                "practices[0].title",
                json!({"entity": "KEN", "language": "en", "title": "Kenya",
                "practices": [{"title": "\u{1b}[31mred", "body": "B", "items": [11]}]}),
            ),
        ];
        for (field, body) in cases {
            let problem = app
                .post_as(&focal.token, "/api/v1/submissions", &body)
                .problem(422);
            assert_eq!(crate::helpers::error_fields(&problem), [field], "{problem}");
        }
        let listed = app.get_as(&focal.token, "/api/v1/submissions").json();
        assert_eq!(listed["items"], json!([]), "nothing was stored");
        // The same for accounts, and in a field the API does not know.
        let problem = app
            .post_as(
                &admin.token,
                "/api/v1/users",
                &json!({"email": "new@example.org", "name": "N\u{0}", "role": "editor",
                    "password": "a long enough password"}),
            )
            .problem(422);
        assert_eq!(crate::helpers::error_fields(&problem), ["name"]);
    });
}

/// Finding 9: line breaks, control and bidi characters in one-line
/// fields became real line breaks in mail and Atom titles. One-line
/// fields now refuse them; bodies keep their lines and are kept composed.
#[test]
fn finding_9_one_line_fields_hold_one_line_and_texts_are_kept_composed() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let admin = app.user(Role::Admin, None);
        for title in [
            "Kenya\r\nBcc: victim@example.org",
            "Kenya\nSecond line",
            "invoice\u{202e}fdp.exe",
        ] {
            let body = json!({"entity": "KEN", "language": "en", "title": title,
                "practices": [{"title": "T", "body": "B", "items": [11]}]});
            let problem = app
                .post_as(&focal.token, "/api/v1/submissions", &body)
                .problem(422);
            assert_eq!(
                crate::helpers::error_fields(&problem),
                ["title"],
                "{title:?}"
            );
        }
        let problem = app
            .post_as(
                &admin.token,
                "/api/v1/users",
                &json!({"email": "new@example.org", "name": "Jane\nDoe", "role": "editor",
                    "password": "a long enough password"}),
            )
            .problem(422);
        assert_eq!(crate::helpers::error_fields(&problem), ["name"]);

        // Bodies keep their lines; decomposed accents are stored composed.
        let created = app.post_as(
            &focal.token,
            "/api/v1/submissions",
            &json!({"entity": "KEN", "language": "fr", "title": "Se\u{301}curite\u{301}",
                "practices": [{"title": "Équipe", "body": "Ligne une.\n\nLigne deux, re\u{301}seau.", "items": [11]}]}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        let created = created.json();
        assert_eq!(created["title"], "Sécurité");
        assert_eq!(
            created["practices"][0]["body"],
            "Ligne une.\n\nLigne deux, réseau."
        );
    });
}

/// Finding 6: a disabled account told whether its password was right
/// ("the account is disabled" against "the email or the password is
/// wrong"). Both are now the same answer, on both doors.
#[test]
fn finding_6_a_disabled_account_answers_as_a_wrong_password_does() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let editor = app.user(Role::Editor, None);
        let disabled = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", editor.id),
            &json!({"disabled": true}),
        );
        assert_eq!(disabled.status, 200, "{}", disabled.body);
        let sign_in = |password: &str| {
            app.post_json(
                "/api/v1/auth/token",
                &json!({"email": editor.email, "password": password}),
            )
            .problem(401)
        };
        let mut right = sign_in(crate::helpers::PASSWORD);
        let mut wrong = sign_in("not the password at all");
        // Every answer has its own request id; nothing else may differ.
        for answer in [&mut right, &mut wrong] {
            answer.as_object_mut().unwrap().remove("request_id");
        }
        assert_eq!(right, wrong);
    });
}

/// Finding 7: ten wrong passwords from ten addresses locked the owner
/// out (429 from a fresh address). Guessing is now refused per account
/// and address, and across addresses only slowed.
#[test]
fn finding_7_strangers_cannot_lock_an_owner_out() {
    for backend in crate::helpers::backends() {
        let app = TestApp::spawn_with(backend, |s| {
            s.http.trusted_proxies = "127.0.0.1/32, ::1".parse().expect("networks");
            s.auth.login_attempts_per_minute = 3;
        });
        let editor = app.user(Role::Editor, None);
        let from = |address: &str, password: &str| {
            app.call_with(
                "POST",
                "/api/v1/auth/token",
                None,
                Some(&json!({"email": editor.email, "password": password})),
                &[("x-forwarded-for", address)],
            )
        };
        for n in 1..=6 {
            from(&format!("198.51.100.{n}"), "a wrong guess").problem(401);
        }
        // The owner, from their own address: in, if a little slowed.
        let started = std::time::Instant::now();
        let owner = from("203.0.113.7", crate::helpers::PASSWORD);
        assert_eq!(owner.status, 200, "{}", owner.body);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // One address guessing one account is still stopped.
        for _ in 0..3 {
            from("198.51.100.99", "a wrong guess").problem(401);
        }
        from("198.51.100.99", crate::helpers::PASSWORD).problem(429);
    }
}

/// Finding 3: `alias<victim@…>`, `a@…,postmaster` and `a"<script>@…` were
/// accepted (one stored beside the victim's own subscription and mailed
/// with the attacker's display name). One strict grammar now refuses
/// them for subscriptions and accounts alike.
#[test]
fn finding_3_addresses_are_read_one_way_everywhere() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        for address in [
            "alias<victim@example.test>",
            "Alias <victim@example.test>",
            "a@example.test,postmaster",
            "a\"<script>@evil.test",
        ] {
            let problem = app
                .post_json("/api/v1/subscriptions", &json!({"email": address}))
                .problem(422);
            assert_eq!(
                crate::helpers::error_fields(&problem),
                ["email"],
                "{address}"
            );
            let account = app.post_as(
                &admin.token,
                "/api/v1/users",
                &json!({"email": address, "name": "N", "role": "editor",
                    "password": "a long enough password"}),
            );
            assert!(
                matches!(account.status, 400 | 422),
                "{address}: {}",
                account.body
            );
        }
    });
}

/// Finding 2: 17 requests from 13 addresses sent 17 mails to one inbox in
/// 2 s. Whoever asks, an address now gets at most three a day.
#[test]
fn finding_2_nobody_can_flood_an_inbox_with_confirmations() {
    for backend in crate::helpers::backends() {
        let app = TestApp::spawn_with(backend, |s| {
            s.http.trusted_proxies = "127.0.0.1/32, ::1".parse().expect("networks");
        });
        let admin = app.user(Role::Admin, None);
        let victim = "victim@example.test";
        for n in 0..17 {
            let answer = app.call_with(
                "POST",
                "/api/v1/subscriptions",
                None,
                Some(&json!({"email": victim})),
                &[("x-forwarded-for", &format!("198.51.100.{}", n % 13))],
            );
            // The answer never says whether a mail went.
            assert_eq!(answer.status, 202, "{}", answer.body);
        }
        assert_eq!(mails_to(&app, &admin, victim, "confirm_subscription"), 3);
        // Another address is not held back by the first one's limit.
        let other = app.post_json(
            "/api/v1/subscriptions",
            &json!({"email": "reader@example.test"}),
        );
        assert_eq!(other.status, 202);
        assert_eq!(
            mails_to(&app, &admin, "reader@example.test", "confirm_subscription"),
            1
        );
    }
}

/// Finding 4: opening a confirmation link confirmed (mail scanners do
/// open links), and an old link re-subscribed an address that had left.
/// Opening now asks for a button; a link confirms once, and only while it
/// is the newest one the address was sent.
#[test]
fn finding_4_confirmation_links_ask_work_once_and_only_while_current() {
    use crate::mail::with_smtp;
    let Some(smtp) = crate::smtp::SmtpServer::start() else {
        return;
    };
    for backend in crate::helpers::backends() {
        let app = with_smtp(&smtp, backend);
        let reader = format!("finding4-{backend:?}@example.test").to_lowercase();
        let status = || {
            let store = compendium::store::Store::open(&app.settings).unwrap();
            let mut connection = store.blocking_connection().unwrap();
            compendium::store::subscriptions::find_by_email(&mut connection, &reader)
                .unwrap()
                .map(|s| s.status)
        };
        use compendium::store::subscriptions::SubscriptionStatus::*;
        let link_of = |nth: usize| {
            mailed_link(
                &smtp,
                &reader,
                nth,
                "https://compendium.un.example/subscriptions/confirm?token=",
            )
        };
        let ask = || {
            let answer = app.post_json("/api/v1/subscriptions", &json!({"email": reader}));
            assert_eq!(answer.status, 202);
        };
        let press = |link: &str| app.call("POST", link, None, None).status;

        ask();
        let first = link_of(1);
        // Opening (a scanner, a preview) shows a button and confirms nothing.
        let opened = app.get(&first);
        assert_eq!(opened.status, 200);
        assert!(opened.body.contains("<form method=\"post\""));
        assert_eq!(status(), Some(Pending));
        assert_eq!(press(&first), 200);
        assert_eq!(status(), Some(Confirmed));
        assert_eq!(press(&first), 400, "a link works once");

        // Leaving, then the old link: it does not subscribe again.
        let store = compendium::store::Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        let subscription =
            compendium::store::subscriptions::find_by_email(&mut connection, &reader)
                .unwrap()
                .unwrap();
        let links =
            compendium::mail::links::Links::new(&compendium::auth::keys::SigningKeys::single(
                crate::helpers::TEST_SECRET.as_bytes().to_vec(),
            ));
        let leave = links.unsubscribe_token(&subscription.id, &subscription.link_nonce);
        assert_eq!(
            press(&format!("/subscriptions/unsubscribe?token={leave}")),
            200
        );
        assert_eq!(status(), Some(Unsubscribed));
        assert_eq!(press(&first), 400, "an old link re-subscribes nobody");
        assert_eq!(status(), Some(Unsubscribed));

        // Asking again sends a new link; only the newest one works.
        ask();
        let second = link_of(2);
        assert_ne!(second, first);
        assert_eq!(press(&first), 400);
        assert_eq!(press(&second), 200);
        assert_eq!(status(), Some(Confirmed));
    }
}

/// The link of the `nth` mail to `recipient` that starts with `prefix`.
fn mailed_link(
    smtp: &crate::smtp::SmtpServer,
    recipient: &str,
    nth: usize,
    prefix: &str,
) -> String {
    use crate::mail::{link_in, local, to_address};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let messages = smtp.messages();
        let mine = to_address(&messages, recipient);
        if mine.len() >= nth {
            return local(&link_in(mine[nth - 1], prefix));
        }
        assert!(
            std::time::Instant::now() < deadline,
            "mail {nth} to {recipient} did not come"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The token of a desk link, for a form's hidden field.
fn token_of(link: &str) -> String {
    link.split("token=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned()
}

/// Finding 1: a stolen account could not be recovered: nobody could change
/// or reset a password, the admin chose every password, re-enabling
/// revived old tokens, emails could not change. Now people choose their
/// own passwords (by invitation), change them, reset them by mail; a
/// change or disabling ends every token issued before, for good; admins
/// change an address, audited.
#[test]
fn finding_1_accounts_are_owned_by_the_people_they_are_for() {
    let Some(smtp) = crate::smtp::SmtpServer::start() else {
        return;
    };
    for backend in crate::helpers::backends() {
        let app = crate::mail::with_smtp(&smtp, backend);
        let admin = app.user(Role::Admin, None);
        let person = format!("owner-{backend:?}@example.test").to_lowercase();
        let set_password = "https://compendium.un.example/set-password?token=";
        let form = |link: &str, password: &str| {
            let body = format!(
                "token={}&new_password={}",
                token_of(link),
                password.replace(' ', "+")
            );
            app.post_raw(
                "/set-password",
                "application/x-www-form-urlencoded",
                body.into_bytes(),
            )
        };

        // An invitation: the admin never knows the password.
        let created = app.post_as(
            &admin.token,
            "/api/v1/users",
            &json!({"email": person, "name": "Amina Diallo", "role": "editor"}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let invitation = mailed_link(&smtp, &person, 1, set_password);
        assert_eq!(app.get(&invitation).status, 200);
        for weak in [
            "password1234",
            "aaaaaaaaaaaa",
            "qwertyuiop123",
            "amina diallo 1",
        ] {
            assert_eq!(form(&invitation, weak).status, 422, "{weak}");
        }
        // Saving leads to the sign-in page, which says so.
        let saved = |link: &str, password: &str| {
            let answer = form(link, password);
            assert_eq!(answer.status, 200, "{}", answer.body);
            assert!(
                answer.body.contains("Your password is saved"),
                "{}",
                answer.body
            );
        };
        let chosen = "violet harbour lantern quietly";
        saved(&invitation, chosen);
        assert_eq!(
            form(&invitation, "another fine long phrase").status,
            400,
            "a link works once"
        );
        let token = app.sign_in(&person, chosen);

        // A change of one's own password ends every token issued before.
        let api_token = app
            .post_as(
                &token,
                "/api/v1/auth/api-tokens",
                &json!({"name": "script"}),
            )
            .json()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let change = |current: &str, new: &str| {
            app.post_as(
                &token,
                "/api/v1/me/password",
                &json!({"current_password": current, "new_password": new}),
            )
        };
        let problem = change("not it", "copper meadow sailing slowly").problem(422);
        assert_eq!(crate::helpers::error_fields(&problem), ["current_password"]);
        let problem = change(chosen, "password12345").problem(422);
        assert_eq!(crate::helpers::error_fields(&problem), ["new_password"]);
        assert_eq!(change(chosen, "copper meadow sailing slowly").status, 204);
        assert_eq!(
            app.get_as(&token, "/api/v1/me").status,
            401,
            "the old access token"
        );
        assert_eq!(
            app.get_as(&api_token, "/api/v1/me").status,
            401,
            "the old API token"
        );
        let token = app.sign_in(&person, "copper meadow sailing slowly");

        // A reset by mail, answered alike for an address with no account.
        let asked = app.post_json("/api/v1/auth/password-reset", &json!({"email": person}));
        let unknown = app.post_json(
            "/api/v1/auth/password-reset",
            &json!({"email": "nobody-here@example.test"}),
        );
        assert_eq!((asked.status, unknown.status), (202, 202));
        assert_eq!(asked.json(), unknown.json());
        let reset = mailed_link(&smtp, &person, 2, set_password);
        saved(&reset, "silver orchard whistling home");
        assert_eq!(app.get_as(&token, "/api/v1/me").status, 401);
        let refused = app.post_json(
            "/api/v1/auth/token",
            &json!({"email": person, "password": "copper meadow sailing slowly"}),
        );
        assert_eq!(refused.status, 401);
        let token = app.sign_in(&person, "silver orchard whistling home");

        // Disabling ends every token for good: enabling revives none.
        let patch = |body: serde_json::Value| {
            let answer = app.patch_as(&admin.token, &format!("/api/v1/users/{id}"), &body);
            assert_eq!(answer.status, 200, "{}", answer.body);
            answer.json()
        };
        patch(json!({"disabled": true}));
        patch(json!({"disabled": false}));
        assert_eq!(app.get_as(&token, "/api/v1/me").status, 401);

        // An admin changes the address; the change is audited.
        let moved = format!("moved-{backend:?}@example.test").to_lowercase();
        assert_eq!(patch(json!({"email": moved}))["email"], moved.as_str());
        app.sign_in(&moved, "silver orchard whistling home");
        let taken = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{id}"),
            &json!({"email": admin.email}),
        );
        assert_eq!(taken.status, 409, "{}", taken.body);
        let store = compendium::store::Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        let trail = compendium::service::audit::of(&mut connection, "user", &id).unwrap();
        assert!(
            trail.iter().any(|r| r.action == "user.update"
                && r.after
                    .as_ref()
                    .is_some_and(|a| a["email"] == moved.as_str())),
            "{trail:?}"
        );
    }
}

/// The mails of kind `kind` queued for `recipient`.
fn mails_to(app: &TestApp, admin: &TestUser, recipient: &str, kind: &str) -> usize {
    let listed = app.get_as(&admin.token, "/api/v1/outbox?limit=100").json();
    listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["recipient"] == recipient && m["kind"] == kind)
        .count()
}

/// A focal point may decline the mail announcing each new compilation.
#[test]
fn focal_points_may_decline_the_announcements() {
    each_backend(|app| {
        let admin = app.user(Role::Admin, None);
        let editor = app.user(Role::Editor, None);
        let staying = app.user(Role::FocalPoint, Some("FRA"));
        let leaving = app.user(Role::FocalPoint, Some("KEN"));
        assert_eq!(
            app.get_as(&leaving.token, "/api/v1/me").json()["announcements"],
            true
        );
        let declined = app.call(
            "PATCH",
            "/api/v1/me",
            Some(&leaving.token),
            Some(&json!({"announcements": false})),
        );
        assert_eq!(declined.status, 200, "{}", declined.body);
        assert_eq!(declined.json()["announcements"], false);
        app.accept_new(&editor, &draft("Kenya"));
        let compilation = app
            .post_as(
                &editor.token,
                "/api/v1/compilations",
                &json!({"title": "Edition"}),
            )
            .json();
        let published = app.call(
            "POST",
            &format!(
                "/api/v1/compilations/{}/publish",
                compilation["id"].as_str().unwrap()
            ),
            Some(&editor.token),
            None,
        );
        assert_eq!(published.status, 200, "{}", published.body);
        assert_eq!(mails_to(app, &admin, &staying.email, "publication"), 1);
        assert_eq!(mails_to(app, &admin, &leaving.email, "publication"), 0);
    });
}

/// An editor takes a practice out of the catalogue with a reason: readers
/// are told it was withdrawn and why (410), search and new compilations
/// leave it out, and the decision is on the record.
#[test]
fn an_editor_withdraws_a_practice_with_a_reason() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let submission = app.accept_new(
            &editor,
            &json!({"entity": "KEN", "language": "en", "title": "Kenya",
                "practices": [{"title": "Zanzibarite drills", "body": "Quarterly zanzibarite exercises.", "items": [11]}]}),
        );
        let practice = app.first_practice(&editor.token, &submission);
        app.wait_for_total("q=zanzibarite", 1);
        let withdraw = |who: &TestUser, body: serde_json::Value| {
            app.post_as(
                &who.token,
                &format!("/api/v1/practices/{practice}/withdraw"),
                &body,
            )
        };
        withdraw(&focal, json!({"reason": "mine"})).problem(403);
        let problem = withdraw(&editor, json!({})).problem(422);
        assert_eq!(crate::helpers::error_fields(&problem), ["reason"]);
        let done = withdraw(
            &editor,
            json!({"reason": "Published in error: a draft of the ministry."}),
        );
        assert_eq!(done.status, 200, "{}", done.body);
        withdraw(&editor, json!({"reason": "again"})).problem(409);

        let gone = app
            .get(&format!("/api/v1/practices/{practice}"))
            .problem(410);
        assert!(
            gone["detail"]
                .as_str()
                .unwrap()
                .contains("Published in error"),
            "{gone}"
        );
        let page = app.call_with(
            "GET",
            &format!("/practices/{practice}?lang=en"),
            None,
            None,
            &[("accept", "text/html")],
        );
        assert_eq!(page.status, 410);
        assert!(
            page.body.contains("This practice was withdrawn")
                && page.body.contains("Published in error")
        );
        app.wait_for_total("q=zanzibarite", 0);
        let draft = app
            .post_as(
                &editor.token,
                "/api/v1/compilations",
                &json!({"title": "After", "scope": {"sections": ["E"]}}),
            )
            .json();
        assert!(
            !draft.to_string().contains(&practice),
            "a new compilation leaves it out"
        );
        let events = app
            .get_as(
                &editor.token,
                &format!("/api/v1/submissions/{submission}/events"),
            )
            .json();
        assert!(events.to_string().contains("withdraw_practice"), "{events}");
    });
}

/// A focal point corrects an accepted submission with a revision. The
/// accepted version stays public, unchanged, until the Secretariat accepts
/// the revision; then each practice is corrected in place (same id), a new
/// one joins, the one the revision dropped is gone (410) and search
/// follows. One revision at a time; `replaces` only where it fits.
#[test]
fn a_revision_corrects_what_is_published_once_it_is_accepted() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let stranger = app.user(Role::FocalPoint, Some("FRA"));
        let original = app.accept_new(
            &editor,
            &json!({"entity": "KEN", "language": "en", "title": "Kenya",
                "practices": [
                    {"title": "Quokka drills", "body": "Quarterly quokka exercises.", "items": [11]},
                    {"title": "Wombat register", "body": "A wombat registry of operators.", "items": [4]}
                ]}),
        );
        let published = app.get_as(&editor.token, &format!("/api/v1/submissions/{original}"));
        let practices = published.json()["practices"].clone();
        let (kept, dropped) = (
            practices[0]["id"].as_str().unwrap().to_owned(),
            practices[1]["id"].as_str().unwrap().to_owned(),
        );
        app.wait_for_total("q=quokka", 1);
        let revise = |who: &TestUser, id: &str| {
            app.call(
                "POST",
                &format!("/api/v1/submissions/{id}/revise"),
                Some(&who.token),
                None,
            )
        };
        revise(&stranger, &original).problem(404);
        let draft = app
            .post_as(
                &focal.token,
                "/api/v1/submissions",
                &draft("Not yet accepted"),
            )
            .json();
        revise(&focal, draft["id"].as_str().unwrap()).problem(409);
        // A stale version is refused like any decision on what was read.
        app.call_with(
            "POST",
            &format!("/api/v1/submissions/{original}/revise"),
            Some(&focal.token),
            None,
            &[("if-match", "\"v1\"")],
        )
        .problem(412);

        let opened = revise(&focal, &original);
        assert_eq!(opened.status, 201, "{}", opened.body);
        let revision = opened.json();
        let id = revision["id"].as_str().unwrap().to_owned();
        assert_eq!(
            opened.header("location"),
            Some(format!("/api/v1/submissions/{id}").as_str())
        );
        assert_eq!(revision["status"], "draft");
        assert_eq!(revision["revises"], original.as_str());
        assert_eq!(revision["practices"][0]["replaces"], kept.as_str());
        assert_eq!(revision["practices"][1]["replaces"], dropped.as_str());
        let again = revise(&focal, &original).problem(409);
        assert!(again["detail"].as_str().unwrap().contains(&id), "{again}");
        revise(&focal, &id).problem(409);

        // `replaces` names a published practice of the original, once; and
        // only a revision's practices carry it.
        let put = |practices: serde_json::Value, version: &str| {
            app.call_with(
                "PUT",
                &format!("/api/v1/submissions/{id}"),
                Some(&focal.token),
                Some(
                    &json!({"language": "en", "title": "Kenya, corrected", "practices": practices}),
                ),
                &[("if-match", version)],
            )
        };
        let twice = put(
            json!([
                {"title": "A", "body": "a", "replaces": kept},
                {"title": "B", "body": "b", "replaces": kept},
                {"title": "C", "body": "c", "replaces": draft["id"]}
            ]),
            "\"v1\"",
        )
        .problem(409);
        let detail = twice["detail"].as_str().unwrap();
        assert!(
            detail.contains("practices[1].replaces") && detail.contains("practices[2].replaces"),
            "{twice}"
        );
        let malformed = put(
            json!([{"title": "A", "body": "a", "replaces": "p1"}]),
            "\"v1\"",
        )
        .problem(422);
        assert_eq!(
            crate::helpers::error_fields(&malformed),
            ["practices[0].replaces"]
        );
        let elsewhere = app
            .post_as(
                &focal.token,
                "/api/v1/submissions",
                &json!({"language": "en", "title": "New",
                    "practices": [{"title": "A", "body": "a", "replaces": kept}]}),
            )
            .problem(409);
        assert!(
            elsewhere["detail"]
                .as_str()
                .unwrap()
                .contains("practices[0].replaces"),
            "{elsewhere}"
        );
        let saved = put(
            json!([
                {"title": "Quokka drills, corrected", "body": "Quarterly quokka and numbat exercises.", "items": [11], "replaces": kept},
                {"title": "Bilby hotline", "body": "A bilby reporting line.", "items": [5]}
            ]),
            "\"v1\"",
        );
        assert_eq!(saved.status, 200, "{}", saved.body);

        // Until it is accepted, readers see the accepted version only.
        let public = |practice: &str| app.get(&format!("/api/v1/practices/{practice}"));
        assert_eq!(public(&kept).json()["title"], "Quokka drills");
        let copy = saved.json()["practices"][1]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        public(&copy).problem(404);
        for (who, action) in [(&focal, "submit"), (&editor, "accept")] {
            let moved = app.call(
                "POST",
                &format!("/api/v1/submissions/{id}/{action}"),
                Some(&who.token),
                None,
            );
            assert_eq!(moved.status, 200, "{action}: {}", moved.body);
        }

        let corrected = public(&kept).json();
        assert_eq!(corrected["title"], "Quokka drills, corrected");
        assert_eq!(corrected["submission_id"], original.as_str());
        let gone = public(&dropped).problem(410);
        assert!(gone["detail"].as_str().unwrap().contains(&id), "{gone}");
        public(&copy).problem(404);
        app.wait_for_total("q=numbat", 1);
        app.wait_for_total("q=bilby", 1);
        app.wait_for_total("q=wombat", 0);
        app.wait_for_total("q=quokka", 1);
        let now = app
            .get_as(&editor.token, &format!("/api/v1/submissions/{original}"))
            .json();
        assert_eq!(now["title"], "Kenya, corrected");
        assert_eq!(now["status"], "accepted");
        assert!(now["version"].as_i64() > published.json()["version"].as_i64());
        let events = app
            .get_as(
                &editor.token,
                &format!("/api/v1/submissions/{original}/events"),
            )
            .json()
            .to_string();
        assert!(
            events.contains("revision_opened") && events.contains("revised"),
            "{events}"
        );
        // Accepted, the revision is history: the next correction revises
        // the original again.
        revise(&focal, &id).problem(409);
        assert_eq!(revise(&focal, &original).status, 201);
    });
}
