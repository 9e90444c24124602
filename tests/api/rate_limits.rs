//! Rate limits across replicas: on PostgreSQL every replica counts the
//! same events, so a limit does not multiply by the number of replicas
//! (sign-in failures, mail to strangers, writes per account).

use std::time::Duration;

use compendium::domain::account::Role;
use serde_json::json;

use crate::helpers::{backends, Backend, TestApp, PASSWORD};

/// Two replicas on one fresh PostgreSQL database, with small limits.
fn replicas() -> Option<(TestApp, TestApp)> {
    if !backends().contains(&Backend::Postgres) {
        eprintln!("skipped: replicas share a database only on PostgreSQL");
        return None;
    }
    let limits = |s: &mut compendium::config::Settings| {
        s.http.trusted_proxies = "127.0.0.1/32, ::1".parse().expect("networks");
        s.auth.login_attempts_per_minute = 3;
        s.http.writes_per_minute = 4;
    };
    let first = TestApp::spawn_with(Backend::Postgres, limits);
    let url = first.settings.storage.database_url.clone();
    let second = TestApp::spawn_with(Backend::Postgres, |s| {
        limits(s);
        s.storage.database_url = url;
    });
    // Counts are kept a minute at a time: start early in one, so that the
    // test's events are not split across two.
    let second_of_minute = chrono::Utc::now().timestamp().rem_euclid(60);
    if second_of_minute > 45 {
        std::thread::sleep(Duration::from_secs((61 - second_of_minute) as u64));
    }
    Some((first, second))
}

#[test]
fn replicas_count_failed_sign_ins_together() {
    let Some((first, second)) = replicas() else {
        return;
    };
    let editor = first.user(Role::Editor, None);
    let from = |app: &TestApp, password: &str| {
        app.call_with(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(&json!({"email": editor.email, "password": password})),
            &[("x-forwarded-for", "198.51.100.7")],
        )
    };
    // Three wrong guesses, spread over both replicas, use up the address's.
    for app in [&first, &second, &first] {
        from(app, "a wrong guess").problem(401);
    }
    for app in [&second, &first] {
        let refused = from(app, PASSWORD);
        refused.problem(429);
        let wait: u64 = refused
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!((1..=60).contains(&wait), "{wait}");
    }
    // The owner from another address is not held back.
    let owner = second.call_with(
        "POST",
        "/api/v1/auth/token",
        None,
        Some(&json!({"email": editor.email, "password": PASSWORD})),
        &[("x-forwarded-for", "203.0.113.9")],
    );
    assert_eq!(owner.status, 200, "{}", owner.body);
}

#[test]
fn replicas_count_mail_to_strangers_and_writes_together() {
    let Some((first, second)) = replicas() else {
        return;
    };
    // Five subscription requests a minute per address, whichever replica.
    let subscribe = |app: &TestApp, n: usize| {
        app.call_with(
            "POST",
            "/api/v1/subscriptions",
            None,
            Some(&json!({"email": format!("reader{n}@example.test")})),
            &[("x-forwarded-for", "198.51.100.20")],
        )
    };
    for (n, app) in [&first, &second, &first, &second, &first]
        .into_iter()
        .enumerate()
    {
        let answer = subscribe(app, n);
        assert_eq!(answer.status, 202, "{}", answer.body);
    }
    subscribe(&second, 5).problem(429);
    subscribe(&first, 6).problem(429);

    // Four writes a minute per account, whichever replica.
    let editor = first.user(Role::Editor, None);
    let draft = json!({"entity": "NOR", "language": "en", "title": "Counted",
        "practices": [{"title": "A write", "body": "Counted once.", "items": [9]}]});
    for app in [&first, &second, &second, &first] {
        let created = app.post_as(&editor.token, "/api/v1/submissions", &draft);
        assert_eq!(created.status, 201, "{}", created.body);
    }
    second
        .post_as(&editor.token, "/api/v1/submissions", &draft)
        .problem(429);
    // Reads are not writes.
    assert_eq!(
        first.get_as(&editor.token, "/api/v1/submissions").status,
        200
    );
}
