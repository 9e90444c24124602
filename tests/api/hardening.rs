//! Limits and defaults that keep one client from hurting the others, and
//! secrets out of the log.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use compendium::domain::account::Role;
use serde_json::json;

use crate::helpers::{backends, TestApp, TEST_SECRET};
use crate::process::{agent, command, create_user, sign_in, Server};

fn suggest_body() -> serde_json::Value {
    json!({"title": "CSIRT", "body": "The national CSIRT.", "language": "en"})
}

#[test]
fn an_account_that_writes_too_fast_is_told_when_to_come_back() {
    let app = TestApp::spawn_with(backends()[0], |s| s.http.writes_per_minute = 3);
    let busy = app.user(Role::FocalPoint, Some("FRA"));
    let other = app.user(Role::FocalPoint, Some("KEN"));
    for _ in 0..3 {
        assert_eq!(
            app.post_as(&busy.token, "/api/v1/tagging/suggest", &suggest_body())
                .status,
            200
        );
    }
    let refused = app.post_as(&busy.token, "/api/v1/tagging/suggest", &suggest_body());
    let problem = refused.problem(429);
    assert!(problem["detail"].as_str().unwrap().contains("try again"));
    let wait: u64 = refused
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Reads go on; other accounts are not affected.
    assert_eq!(app.get_as(&busy.token, "/api/v1/me").status, 200);
    assert_eq!(
        app.post_as(&other.token, "/api/v1/tagging/suggest", &suggest_body())
            .status,
        200
    );
}

#[test]
fn browsers_of_other_sites_are_refused_unless_their_origin_is_listed() {
    let closed = TestApp::spawn(backends()[0]);
    let preflight = |app: &TestApp, origin: &str| {
        app.call_with(
            "OPTIONS",
            "/api/v1/submissions",
            None,
            None,
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
            ],
        )
    };
    preflight(&closed, "https://portal.example").problem(403);
    let read = closed.call_with(
        "GET",
        "/api/v1/annex",
        None,
        None,
        &[("Origin", "https://portal.example")],
    );
    assert_eq!(read.status, 200);
    assert_eq!(read.header("access-control-allow-origin"), None);

    let open = TestApp::spawn_with(backends()[0], |s| {
        s.http.cors_origins = "https://portal.example".parse().expect("an origin")
    });
    let allowed = preflight(&open, "https://portal.example");
    assert_eq!(allowed.status, 204, "{}", allowed.body);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert!(allowed
        .header("access-control-allow-headers")
        .unwrap()
        .contains("authorization"));
    let read = open.call_with(
        "GET",
        "/api/v1/annex",
        None,
        None,
        &[("Origin", "https://portal.example")],
    );
    assert_eq!(
        read.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert!(read
        .header("access-control-expose-headers")
        .unwrap()
        .contains("etag"));
    preflight(&open, "https://evil.example").problem(403);
}

#[test]
fn deeply_nested_json_is_a_400_not_a_crash() {
    let app = TestApp::spawn(backends()[0]);
    let depth = 100_000;
    for body in [
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        format!("{{\"email\": {}{}}}", "[".repeat(depth), "]".repeat(depth)),
        format!(
            "{{\"email\": \"a@example.org\", \"x\": {}1{}}}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        ),
    ] {
        let answer = app.post_raw(
            "/api/v1/subscriptions",
            "application/json",
            body.into_bytes(),
        );
        answer.problem(400);
    }
    assert_eq!(app.get("/healthz").status, 200);
}

#[test]
fn huge_urls_and_headers_are_refused_before_any_handler() {
    let app = TestApp::spawn(backends()[0]);
    let long = "a".repeat(200 * 1024);
    for request in [
        format!("GET /api/v1/practices?q={long} HTTP/1.1\r\nHost: x\r\n\r\n"),
        format!("GET /api/v1/annex HTTP/1.1\r\nHost: x\r\nX-Padding: {long}\r\n\r\n"),
    ] {
        let mut stream = connect(&app);
        // The server may stop reading (and answer) before all is sent.
        let _ = stream.write_all(request.as_bytes());
        let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(10));
        let status: u16 = answer
            .get(9..12)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("an HTTP answer: {answer:?}"));
        assert!((400..500).contains(&status), "{answer}");
    }
    assert_eq!(app.get("/healthz").status, 200);
}

/// A bare TCP connection to the app, for requests no HTTP client sends.
fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://")).expect("the app listens")
}

/// Reads what the server sends until it closes or `within` passes.
fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (String, bool) {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return (String::from_utf8_lossy(&received).into_owned(), true),
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), false),
        }
    }
}

#[test]
fn slow_clients_are_cut_off() {
    let app = TestApp::spawn_with(backends()[0], |s| s.http.client_timeout_seconds = 1);
    // A request head that never ends.
    let mut slow_head = connect(&app);
    slow_head
        .write_all(b"GET /api/v1/annex HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let (answer, closed) = read_until_closed(&mut slow_head, Duration::from_secs(10));
    assert!(closed, "the connection is closed: {answer:?}");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    // A body that trickles.
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    let mut slow_body = connect(&app);
    write!(
        slow_body,
        "POST /api/v1/tagging/suggest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"title\":",
        focal.token
    )
    .unwrap();
    let (answer, _) = read_until_closed(&mut slow_body, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert_eq!(app.get("/healthz").status, 200);
}

#[test]
fn a_full_session_never_writes_a_secret_to_the_log() {
    let data_dir = tempfile::tempdir().unwrap();
    let password = "correct-horse-battery-staple-7";
    let env = [
        ("COMPENDIUM_JWT_SECRET", TEST_SECRET),
        ("COMPENDIUM_LOG_LEVEL", "trace"),
        ("COMPENDIUM_ARGON2_MEMORY_KIB", "1024"),
    ];
    create_user(
        command(data_dir.path(), None, &env),
        "admin",
        "admin@example.org",
        None,
        password,
    );
    let server = Server::start(command(data_dir.path(), None, &env));
    let access = sign_in(&server, "admin@example.org", password);
    let wrong = agent()
        .post(server.url("/api/v1/auth/token"))
        .send_json(json!({"email": "admin@example.org", "password": format!("{password}-wrong")}))
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let mut made = agent()
        .post(server.url("/api/v1/auth/api-tokens"))
        .header("authorization", &format!("Bearer {access}"))
        .send_json(json!({"name": "script"}))
        .unwrap();
    assert_eq!(made.status(), 201);
    let api_token = made.body_mut().read_json::<serde_json::Value>().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    for token in [&access, &api_token] {
        let me = agent()
            .get(server.url("/api/v1/me"))
            .header("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap();
        assert_eq!(me.status(), 200);
    }
    let log = server.stop().join("\n");
    assert!(log.contains("/api/v1/me"), "the log is the real one: {log}");
    for (what, secret) in [
        ("the password", password),
        ("the access token", access.as_str()),
        ("the API token", api_token.as_str()),
        ("the signing key", TEST_SECRET),
    ] {
        assert!(!log.contains(secret), "{what} is in the log");
    }
    // Nor their signatures alone (a token's last part).
    for token in [&access, &api_token] {
        let signature = token.rsplit('.').next().unwrap();
        assert!(
            !log.contains(signature),
            "a token's signature is in the log"
        );
    }
}
