//! Running behind the Secretariat's infrastructure: rotating the token
//! signing key without signing anyone out, and a reverse proxy whose
//! forwarded addresses count only when it is trusted.

use compendium::domain::account::Role;
use serde_json::json;

use crate::helpers::{Backend, TestApp, PASSWORD, TEST_SECRET};

const NEW_SECRET: &str = "the-new-signing-secret-of-2027-rotation";

/// A server on `dir` with these keys (none: the test secret alone).
fn server(dir: &std::path::Path, keys: Option<String>) -> TestApp {
    let dir = dir.to_owned();
    TestApp::spawn_with(Backend::Sqlite, move |s| {
        s.storage.data_dir = dir;
        if keys.is_some() {
            s.auth.jwt_secret = None;
            s.auth.jwt_keys = keys;
        }
    })
}

#[test]
fn keys_rotate_without_signing_anyone_out() {
    let data = tempfile::tempdir().unwrap();
    let before = server(data.path(), None);
    let editor = before.user(Role::Editor, None);
    let api_token = before.post_as(
        &editor.token,
        "/api/v1/auth/api-tokens",
        &json!({"name": "nightly script", "expires_in_days": 30}),
    );
    assert_eq!(api_token.status, 201, "{}", api_token.body);
    let api_token = api_token.json()["token"].as_str().unwrap().to_owned();
    drop(before);

    // Step 1: both keys, the new one last.
    let both = server(
        data.path(),
        Some(format!("default:{TEST_SECRET},2027-01:{NEW_SECRET}")),
    );
    for token in [&editor.token, &api_token] {
        assert_eq!(
            both.get_as(token, "/api/v1/me").status,
            200,
            "old tokens still work"
        );
    }
    let fresh = both.sign_in(editor.email.as_str(), PASSWORD);
    assert_eq!(both.get_as(&fresh, "/api/v1/me").status, 200);
    drop(both);

    // Step 2: the old key removed; its tokens end, the new ones go on.
    let after = server(data.path(), Some(format!("2027-01:{NEW_SECRET}")));
    assert_eq!(after.get_as(&fresh, "/api/v1/me").status, 200);
    let refused = after.get_as(&editor.token, "/api/v1/me").problem(401);
    assert!(refused["detail"]
        .as_str()
        .unwrap()
        .contains("no longer accepts"));
}

/// Three failed sign-ins, each for another account, "from" `client`.
fn failures_from(app: &TestApp, client: &str, tag: &str) -> Vec<u16> {
    (0..3)
        .map(|n| {
            app.call_with(
                "POST",
                "/api/v1/auth/token",
                None,
                Some(&json!({"email": format!("nobody{n}-{tag}@example.org"), "password": "wrong password here"})),
                &[("x-forwarded-for", client)],
            )
            .status
        })
        .collect()
}

#[test]
fn rate_limits_see_the_client_behind_a_trusted_proxy_only() {
    let behind_proxy = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.http.trusted_proxies = "127.0.0.1/32, ::1".parse().expect("networks");
        s.auth.login_attempts_per_minute = 2;
    });
    assert_eq!(
        failures_from(&behind_proxy, "198.51.100.1", "a"),
        [401, 401, 429]
    );
    // Another client behind the same proxy is not held back by the first.
    assert_eq!(failures_from(&behind_proxy, "198.51.100.2", "b")[0], 401);

    // Without a trusted proxy the header is anyone's to write: ignored.
    let exposed = TestApp::spawn_with(Backend::Sqlite, |s| s.auth.login_attempts_per_minute = 2);
    assert_eq!(
        failures_from(&exposed, "198.51.100.1", "c"),
        [401, 401, 429]
    );
    assert_eq!(failures_from(&exposed, "198.51.100.2", "d")[0], 429);
}
