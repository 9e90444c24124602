//! Mail through the outbox, against a real SMTP server on loopback:
//! workflow notices, an outage that loses nothing and sends nothing twice,
//! two replicas draining one queue, dead mail and its retry, and the
//! `.eml` files of the embedded default.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use compendium::domain::account::Role;
use compendium::domain::notice::{Notice, SubmissionNotice};
use compendium::domain::outbox::NewMail;
use compendium::domain::Language;
use compendium::store::outbox;
use compendium::store::Store;
use serde_json::{json, Value};

use crate::helpers::{backends, each_backend, Backend, TestApp};
use crate::smtp::{decoded_parts, header, subject, SmtpServer};

pub fn with_smtp(smtp: &SmtpServer, backend: Backend) -> TestApp {
    let url = smtp.url();
    TestApp::spawn_with(backend, |s| {
        s.mail.smtp_url = Some(url);
        s.mail.retry_seconds = 1;
        s.http.public_url = "https://compendium.un.example".to_owned();
        s.mail.from = "Compendium <compendium@un.example>"
            .parse()
            .expect("a mailbox");
    })
}

fn submit(app: &TestApp, token: &str, language: &str, title: &str) -> String {
    let created = app.post_as(
        token,
        "/api/v1/submissions",
        &json!({"entity": "FRA", "language": language, "title": title,
            "practices": [{"title": "Practice", "body": "Body.", "items": [11]}]}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let submitted = app.call(
        "POST",
        &format!("/api/v1/submissions/{id}/submit"),
        Some(token),
        None,
    );
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    id
}

fn decide(app: &TestApp, token: &str, id: &str, action: &str, body: Value) {
    let answer = app.call(
        "POST",
        &format!("/api/v1/submissions/{id}/{action}"),
        Some(token),
        Some(&body),
    );
    assert_eq!(answer.status, 200, "{action}: {}", answer.body);
}

/// Messages by recipient, each as (subject, decoded text).
fn by_recipient(messages: &[String]) -> BTreeMap<String, Vec<(String, String)>> {
    let mut sorted: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for message in messages {
        let to = header(message, "To").unwrap_or_default().to_owned();
        sorted
            .entry(to)
            .or_default()
            .push((subject(message), decoded_parts(message)));
    }
    sorted
}

/// Focal points hear in their submission's language; the Secretariat in
/// its own, whatever the submission's (set to Spanish here; English when
/// unset, as the settings' tests show).
#[test]
fn workflow_notices_reach_the_right_people_each_in_their_language() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    for backend in backends() {
        let url = smtp.url();
        let app = TestApp::spawn_with(backend, |s| {
            s.mail.smtp_url = Some(url);
            s.mail.retry_seconds = 1;
            s.http.public_url = "https://compendium.un.example".to_owned();
            s.mail.from = "Compendium <compendium@un.example>"
                .parse()
                .expect("a mailbox");
            s.mail.secretariat_language = "es".to_owned();
        });
        let before = smtp.messages().len();
        let editor = app.user(Role::Editor, None);
        let first = app.user(Role::FocalPoint, Some("FRA"));
        let second = app.user(Role::FocalPoint, Some("FRA"));
        let other = app.user(Role::FocalPoint, Some("KEN"));

        // A new submission: the Secretariat hears of it.
        let id = submit(&app, &first.token, "fr", "Plan national");
        // Changes requested, then accepted with a note: the entity's focal
        // points hear of both, in French; Kenya's hears nothing.
        decide(
            &app,
            &editor.token,
            &id,
            "request-changes",
            json!({"message": "Précisez le point 11, s’il vous plaît."}),
        );
        let resubmitted = app.call(
            "POST",
            &format!("/api/v1/submissions/{id}/submit"),
            Some(&first.token),
            None,
        );
        assert_eq!(resubmitted.status, 200, "{}", resubmitted.body);
        decide(
            &app,
            &editor.token,
            &id,
            "accept",
            json!({"note": "Merci."}),
        );
        // An English submission, rejected.
        let rejected = submit(&app, &first.token, "en", "Draft law");
        decide(
            &app,
            &editor.token,
            &rejected,
            "reject",
            json!({"reason": "Out of scope."}),
        );

        // A revision of the accepted one, sent for review.
        let revision = app.call(
            "POST",
            &format!("/api/v1/submissions/{id}/revise"),
            Some(&second.token),
            None,
        );
        assert_eq!(revision.status, 201, "{}", revision.body);
        let revision = revision.json()["id"].as_str().unwrap().to_owned();
        let sent = app.call(
            "POST",
            &format!("/api/v1/submissions/{revision}/submit"),
            Some(&second.token),
            None,
        );
        assert_eq!(sent.status, 200, "{}", sent.body);

        // editor: 4 sent for review (one resubmitted, one a revision); each
        // focal point: changes, accepted, rejected.
        let messages = smtp.wait_for(before + 10, Duration::from_secs(20));
        let mine: Vec<String> = messages[before..].to_vec();
        let sorted = by_recipient(&mine);
        assert!(
            !sorted.contains_key(other.email.as_str()),
            "another entity hears nothing"
        );
        let to_editor = &sorted[editor.email.as_str()];
        assert_eq!(to_editor.len(), 4);
        let subjects: BTreeSet<&str> = to_editor.iter().map(|(s, _)| s.as_str()).collect();
        // In the Secretariat's language; the second time it comes, it is
        // told it is not new, and a revision is announced as one.
        assert_eq!(
            subjects,
            BTreeSet::from([
                "Nueva comunicación para examinar: Plan national",
                "Comunicación reenviada para examinar: Plan national",
                "Revisión para examinar: Plan national",
                "Nueva comunicación para examinar: Draft law",
            ]),
            "{to_editor:?}"
        );
        for focal in [&first, &second] {
            let received = &sorted[focal.email.as_str()];
            let subjects: BTreeSet<&str> = received.iter().map(|(s, _)| s.as_str()).collect();
            assert_eq!(
                subjects,
                BTreeSet::from([
                    "Modifications demandées : Plan national",
                    "Acceptée : Plan national",
                    "Not accepted: Draft law"
                ]),
            );
            let changes = &received
                .iter()
                .find(|(s, _)| s.starts_with("Modifications"))
                .unwrap()
                .1;
            assert!(
                changes.contains("Précisez le point 11, s’il vous plaît."),
                "{changes}"
            );
            assert!(changes.contains(&format!(
                "https://compendium.un.example/desk/submissions/{id}"
            )));
            let refusal = &received
                .iter()
                .find(|(s, _)| s.starts_with("Not accepted"))
                .unwrap()
                .1;
            assert!(refusal.contains("Out of scope."));
        }
        for message in &mine {
            assert!(message.contains("multipart/alternative"));
            assert!(message.contains("text/plain") && message.contains("text/html"));
            assert!(header(message, "Message-ID")
                .unwrap()
                .ends_with("@compendium.un.example>"));
            assert_eq!(
                header(message, "From"),
                Some("Compendium <compendium@un.example>")
            );
        }
    }
}

#[test]
fn an_smtp_outage_loses_nothing_and_sends_nothing_twice() {
    let Some(mut smtp) = SmtpServer::start() else {
        return;
    };
    for backend in backends() {
        let app = with_smtp(&smtp, backend);
        let admin = app.user(Role::Admin, None);
        let _editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let before = smtp.messages().len();
        smtp.stop();
        for n in 0..3 {
            submit(&app, &focal.token, "en", &format!("During the outage {n}"));
        }
        // The sender tries, fails, and keeps the mail for later.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let pending = app
                .get_as(&admin.token, "/api/v1/outbox?status=pending")
                .json();
            let failed = pending["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["attempts"].as_i64().unwrap() >= 1 && m["last_error"].is_string())
                .count();
            if failed >= 6 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "no failed attempt recorded: {pending}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        smtp.resume();
        // 3 submissions × (editor + admin) = 6 mails, each exactly once.
        smtp.wait_for(before + 6, Duration::from_secs(30));
        std::thread::sleep(Duration::from_secs(3));
        let messages = &smtp.messages()[before..];
        assert_eq!(messages.len(), 6, "each mail once, none twice");
        let ids: BTreeSet<&str> = messages
            .iter()
            .map(|m| header(m, "Message-ID").unwrap())
            .collect();
        assert_eq!(ids.len(), 6);
        let sent = app
            .get_as(&admin.token, "/api/v1/outbox?status=sent")
            .json();
        assert_eq!(sent["items"].as_array().unwrap().len(), 6);
    }
}

#[test]
fn two_replicas_drain_one_queue_and_deliver_each_mail_once() {
    if !backends().contains(&Backend::Postgres) {
        eprintln!("skipped: replicas share a database only on PostgreSQL");
        return;
    }
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    let first = with_smtp(&smtp, Backend::Postgres);
    let url = first.settings.storage.database_url.clone();
    let second = {
        let smtp_url = smtp.url();
        TestApp::spawn_with(Backend::Postgres, |s| {
            s.storage.database_url = url.clone();
            s.mail.smtp_url = Some(smtp_url);
        })
    };
    let store = Store::open(&first.settings).expect("the shared database");
    let mails: Vec<NewMail> = (0..500)
        .map(|n| NewMail {
            recipient: format!("editor{n}@un.example"),
            language: Language::En,
            notice: Notice::NewSubmission(SubmissionNotice {
                submission_id: format!("s{n}"),
                title: format!("Queued {n}"),
                entity: "FRA".to_owned(),
                entity_name: "France".to_owned(),
                message: None,
                resubmitted: false,
                revision: false,
            }),
        })
        .collect();
    let mut connection = store.blocking_connection().expect("a connection");
    outbox::enqueue(&mut connection, &mails, compendium::domain::clock::now()).expect("queued");
    drop(connection);
    smtp.wait_for(500, Duration::from_secs(90));
    std::thread::sleep(Duration::from_secs(3));
    let messages = smtp.messages();
    let recipients: BTreeSet<&str> = messages.iter().filter_map(|m| header(m, "To")).collect();
    assert_eq!(messages.len(), 500, "no mail twice");
    assert_eq!(recipients.len(), 500, "no mail lost");
    let _ = (first, second);
}

#[test]
fn a_mail_that_keeps_failing_dies_and_an_admin_can_retry_it() {
    for backend in backends() {
        // A server that hangs up on every connection. A port merely left
        // closed can be taken by another test's server meanwhile, which
        // then keeps the SMTP client waiting for a greeting.
        let refusing = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let closed = refusing.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for connection in refusing.incoming() {
                drop(connection);
            }
        });
        let app = TestApp::spawn_with(backend, |s| {
            s.mail.smtp_url = Some(format!("smtp://127.0.0.1:{closed}"));
            s.mail.retry_seconds = 1;
            s.mail.max_attempts = 2;
        });
        let admin = app.user(Role::Admin, None);
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        submit(&app, &focal.token, "en", "Never delivered");
        let deadline = Instant::now() + Duration::from_secs(20);
        let dead = loop {
            let dead = app
                .get_as(&admin.token, "/api/v1/outbox?status=dead")
                .json();
            if dead["items"].as_array().unwrap().len() == 1 {
                break dead["items"][0].clone();
            }
            assert!(Instant::now() < deadline, "the mail did not die: {dead}");
            std::thread::sleep(Duration::from_millis(200));
        };
        assert_eq!(dead["attempts"], 2);
        assert_eq!(dead["recipient"], admin.email.as_str());
        assert!(dead["last_error"].is_string());
        let id = dead["id"].as_str().unwrap();

        let retried = app.call(
            "POST",
            &format!("/api/v1/outbox/{id}/retry"),
            Some(&admin.token),
            None,
        );
        assert_eq!(retried.status, 200, "{}", retried.body);
        assert_eq!(retried.json()["attempts"], 0);
        app.call(
            "POST",
            &format!("/api/v1/outbox/{id}/retry"),
            Some(&admin.token),
            None,
        )
        .problem(409);
        app.call(
            "POST",
            "/api/v1/outbox/nothing/retry",
            Some(&admin.token),
            None,
        )
        .problem(404);
        app.get_as(&focal.token, "/api/v1/outbox").problem(403);
        app.get("/api/v1/outbox").problem(401);
        app.get_as(&admin.token, "/api/v1/outbox?status=lost")
            .problem(400);
    }
}

#[test]
fn without_smtp_mail_is_written_as_eml_files() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let editor = app.user(Role::Editor, None);
        // The sender's round at start has passed: only a wake-up is quick.
        std::thread::sleep(Duration::from_millis(300));
        let submitted_at = Instant::now();
        submit(app, &focal.token, "en", "Filed as a file");
        let folder = app.settings.storage.data_dir.join("mail");
        // Well within the sender's period (10 s): the write woke it.
        let deadline = submitted_at + Duration::from_secs(3);
        let files = loop {
            let files: Vec<std::path::PathBuf> = std::fs::read_dir(&folder)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                        .collect()
                })
                .unwrap_or_default();
            if !files.is_empty() {
                break files;
            }
            assert!(Instant::now() < deadline, "no .eml in {}", folder.display());
            std::thread::sleep(Duration::from_millis(100));
        };
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert_eq!(header(&text, "To"), Some(editor.email.as_str()));
        assert_eq!(subject(&text), "New submission to review: Filed as a file");
    });
}

/// The first link in a message's text that starts with `prefix`.
pub fn link_in(message: &str, prefix: &str) -> String {
    let text = decoded_parts(message);
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {text}"));
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The path and query of one of the service's own links.
pub fn local(link: &str) -> String {
    link.trim_start_matches("https://compendium.un.example")
        .to_owned()
}

fn subscribe(app: &TestApp, body: Value) -> u16 {
    let answer = app.post_json("/api/v1/subscriptions", &body);
    if answer.status == 202 {
        assert!(answer.json()["detail"].is_string());
    }
    answer.status
}

pub fn to_address<'a>(messages: &'a [String], address: &str) -> Vec<&'a String> {
    messages
        .iter()
        .filter(|m| header(m, "To") == Some(address))
        .collect()
}

#[test]
fn subscribers_confirm_receive_announcements_in_their_language_and_leave() {
    let Some(smtp) = SmtpServer::start() else {
        return;
    };
    for backend in backends() {
        let app = with_smtp(&smtp, backend);
        let tag = if backend == Backend::Sqlite { "s" } else { "p" };
        let reader = format!("lecteur-{tag}@example.org");
        let other = format!("other-{tag}@example.org");
        let silent = format!("silent-{tag}@example.org");
        let before = smtp.messages().len();

        // Anyone may ask; the answer never says whether the address is known.
        assert_eq!(
            subscribe(
                &app,
                json!({"email": reader, "language": "fr", "sections": ["E"]})
            ),
            202
        );
        assert_eq!(
            subscribe(&app, json!({"email": other, "sections": ["A"]})),
            202
        );
        assert_eq!(subscribe(&app, json!({"email": silent})), 202);
        app.post_json("/api/v1/subscriptions", &json!({"email": "not an address"}))
            .problem(422);
        app.post_json(
            "/api/v1/subscriptions",
            &json!({"email": reader, "colour": "red"}),
        )
        .problem(400);
        let messages = smtp.wait_for(before + 3, Duration::from_secs(20));
        let confirmation = to_address(&messages[before..], &reader)[0].clone();
        assert_eq!(
            subject(&confirmation),
            "Confirmez votre abonnement aux recueils"
        );
        let confirm = local(&link_in(
            &confirmation,
            "https://compendium.un.example/subscriptions/confirm?token=",
        ));

        // A forged, altered or expired link confirms nothing.
        let token = confirm
            .split("token=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned();
        let subscription = token.split('.').next().unwrap().to_owned();
        let nonce = token.split('.').nth(1).unwrap().to_owned();
        let links =
            compendium::mail::links::Links::new(&compendium::auth::keys::SigningKeys::single(
                crate::helpers::TEST_SECRET.as_bytes().to_vec(),
            ));
        let expired = links.confirm_token(
            &subscription,
            &nonce,
            chrono::Utc::now() - chrono::Duration::hours(1),
        );
        for bad in [
            "garbage".to_owned(),
            format!("{}x", &token[..token.len() - 1]),
            expired,
            links.unsubscribe_token(&subscription, &nonce),
        ] {
            let answer = app.call_with(
                "GET",
                &format!("/subscriptions/confirm?token={bad}&lang=en"),
                None,
                None,
                &[("accept", "text/html")],
            );
            assert_eq!(answer.status, 400, "{bad}");
            assert!(answer.body.contains("This link is not valid"));
        }
        // Opening the link asks; the button confirms.
        let asked = app.call_with("GET", &confirm, None, None, &[("accept", "text/html")]);
        assert_eq!(asked.status, 200, "{}", asked.body);
        assert!(asked.body.contains("<form method=\"post\""));
        let confirmed = app.call_with("POST", &confirm, None, None, &[("accept", "text/html")]);
        assert_eq!(confirmed.status, 200, "{}", confirmed.body);
        assert!(confirmed.body.contains("Abonnement confirmé"));
        let other_mail = to_address(&messages[before..], &other)[0].clone();
        let other_confirm = local(&link_in(
            &other_mail,
            "https://compendium.un.example/subscriptions/confirm?token=",
        ));
        assert_eq!(app.call("POST", &other_confirm, None, None).status, 200);

        // Asking again for a confirmed address changes nothing and sends nothing.
        assert_eq!(
            subscribe(
                &app,
                json!({"email": reader, "language": "en", "sections": ["A"]})
            ),
            202
        );

        // A new edition covering section E only.
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        app.accept_new(
            &editor,
            &json!({"entity": "KEN", "language": "en", "title": "KE-CIRT",
                "practices": [{"title": "National CIRT", "body": "Incident response.", "items": [11]}]}),
        );
        let (id, published) =
            app.publish_compilation(&editor, &json!({"title": "Édition de test"}));
        let number = published["number"].as_str().unwrap().to_owned();

        let after_publication = smtp.messages().len();
        let deadline = Instant::now() + Duration::from_secs(20);
        let announcement = loop {
            let messages = smtp.messages();
            let found: Vec<String> = to_address(&messages[before..], &reader)
                .into_iter()
                .filter(|m| subject(m).starts_with("Nouveau recueil"))
                .cloned()
                .collect();
            if let Some(first) = found.first() {
                break first.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no announcement for the subscriber"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let _ = after_publication;
        assert_eq!(
            subject(&announcement),
            format!("Nouveau recueil publié : édition {number}")
        );
        let unsubscribe = header(&announcement, "List-Unsubscribe").unwrap();
        assert!(unsubscribe
            .starts_with("<https://compendium.un.example/subscriptions/unsubscribe?token="));
        assert_eq!(
            header(&announcement, "List-Unsubscribe-Post"),
            Some("List-Unsubscribe=One-Click")
        );
        let text = decoded_parts(&announcement);
        assert!(text.contains(&format!(
            "https://compendium.un.example/compilations/{id}?lang=fr"
        )));
        assert!(text.contains("https://compendium.un.example/feeds/compilations.atom"));
        assert!(text.contains("E. "), "{text}");
        // The focal point hears of it in English, without a way to unsubscribe.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let messages = smtp.messages();
            if let Some(m) = to_address(&messages[before..], focal.email.as_str())
                .into_iter()
                .find(|m| subject(m).starts_with("New compilation"))
            {
                assert!(header(m, "List-Unsubscribe").is_none());
                break;
            }
            assert!(
                Instant::now() < deadline,
                "no announcement for the focal point"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_secs(2));
        let messages = smtp.messages();
        let mine = &messages[before..];
        assert_eq!(
            to_address(mine, &reader).len(),
            2,
            "one confirmation, one announcement: asking again sent nothing"
        );
        assert_eq!(
            to_address(mine, &other).len(),
            1,
            "its sections are not covered"
        );
        assert_eq!(
            to_address(mine, &silent).len(),
            1,
            "never confirmed: no announcement"
        );

        // Leaving: the link shows a button; pressing it (or one-click) ends it.
        let leave = local(&link_in(
            &announcement,
            "https://compendium.un.example/subscriptions/unsubscribe?token=",
        ));
        let page = app.call_with("GET", &leave, None, None, &[("accept", "text/html")]);
        assert_eq!(page.status, 200);
        assert!(page.body.contains("<form method=\"post\""));
        let left = app.call_with("POST", &leave, None, None, &[("accept", "text/html")]);
        assert_eq!(left.status, 200, "{}", left.body);
        assert!(left.body.contains("désabonné"));
        assert_eq!(
            app.call_with(
                "POST",
                "/subscriptions/unsubscribe?token=forged.abc",
                None,
                None,
                &[("accept", "text/html")]
            )
            .status,
            400
        );
        let second = app
            .post_as(
                &editor.token,
                "/api/v1/compilations",
                &json!({"title": "Second"}),
            )
            .json();
        let published = app.call(
            "POST",
            &format!(
                "/api/v1/compilations/{}/publish",
                second["id"].as_str().unwrap()
            ),
            Some(&editor.token),
            None,
        );
        assert_eq!(published.status, 200);
        smtp.wait_for(messages.len() + 1, Duration::from_secs(20));
        std::thread::sleep(Duration::from_secs(2));
        assert_eq!(
            to_address(&smtp.messages()[before..], &reader).len(),
            2,
            "nothing after leaving"
        );

        // Requests are limited per client address.
        let statuses: Vec<u16> = (0..6)
            .map(|n| {
                subscribe(
                    &app,
                    json!({"email": format!("flood{n}-{tag}@example.org")}),
                )
            })
            .collect();
        assert!(statuses.contains(&429), "{statuses:?}");
    }
}

/// A queued mail of a kind this version cannot read (written by another
/// version during a rolling deploy, or by hand) fails its attempts and dies
/// where an admin sees it; the mail queued beside it still goes out.
#[test]
fn a_mail_this_version_cannot_read_dies_without_stopping_the_others() {
    use diesel::RunQueryDsl;
    for backend in backends() {
        let app = TestApp::spawn_with(backend, |s| {
            s.mail.retry_seconds = 1;
            s.mail.max_attempts = 2;
        });
        let admin = app.user(Role::Admin, None);
        let notice = |title: &str| {
            Notice::NewSubmission(SubmissionNotice {
                submission_id: "s1".to_owned(),
                title: title.to_owned(),
                entity: "FRA".to_owned(),
                entity_name: "France".to_owned(),
                message: None,
                resubmitted: false,
                revision: false,
            })
        };
        let mails = [
            ("unreadable@un.example", notice("Unreadable")),
            ("readable@un.example", notice("Readable")),
        ]
        .map(|(recipient, notice)| NewMail {
            recipient: recipient.to_owned(),
            language: Language::En,
            notice,
        });
        let store = Store::open(&app.settings).expect("the test database");
        let mut connection = store.blocking_connection().expect("a connection");
        diesel::Connection::transaction(&mut *connection, |c| {
            outbox::enqueue(c, &mails, compendium::domain::clock::now())
                .map_err(|_| diesel::result::Error::RollbackTransaction)?;
            diesel::sql_query(
                "UPDATE outbox SET kind = 'from_a_newer_version' \
                 WHERE recipient = 'unreadable@un.example'",
            )
            .execute(c)
            .map(|_| ())
        })
        .expect("queued, one of them unreadable");
        drop(connection);

        let deadline = Instant::now() + Duration::from_secs(20);
        let (dead, dead_list) = loop {
            let dead = app
                .get_as(&admin.token, "/api/v1/outbox?status=dead")
                .json();
            let sent = app
                .get_as(&admin.token, "/api/v1/outbox?status=sent")
                .json();
            let recipients = |list: &Value| -> Vec<String> {
                list["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["recipient"].as_str().unwrap().to_owned())
                    .collect()
            };
            let (dead, sent) = (recipients(&dead), recipients(&sent));
            if !dead.is_empty() && sent.iter().any(|r| r == "readable@un.example") {
                break (
                    dead,
                    app.get_as(&admin.token, "/api/v1/outbox?status=dead")
                        .json(),
                );
            }
            assert!(Instant::now() < deadline, "dead {dead:?}, sent {sent:?}");
            std::thread::sleep(Duration::from_millis(200));
        };
        assert_eq!(dead, ["unreadable@un.example"]);
        let item = &dead_list["items"][0];
        assert_eq!(item["kind"], "from_a_newer_version");
        assert_eq!(item["attempts"], 2);
        let error = item["last_error"].as_str().unwrap();
        assert!(error.contains("from_a_newer_version"), "{error}");
    }
}
