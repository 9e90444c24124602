//! The authorization matrix: every endpoint that exists × every kind of
//! caller → the status it gets. A new endpoint adds its row here.

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{each_backend, TestApp, TestUser, PASSWORD};

struct Fixture {
    focal_x: TestUser,
    focal_y: TestUser,
    editor: TestUser,
    admin: TestUser,
    disabled: TestUser,
}

const CALLERS: [&str; 6] = [
    "anonymous",
    "focal point of X",
    "focal point of Y",
    "editor",
    "admin",
    "disabled user",
];

impl Fixture {
    fn new(app: &TestApp) -> Fixture {
        let admin = app.user(Role::Admin, None);
        let disabled = app.user(Role::Editor, None);
        let answer = app.patch_as(
            &admin.token,
            &format!("/api/v1/users/{}", disabled.id),
            &json!({"disabled": true}),
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        Fixture {
            focal_x: app.user(Role::FocalPoint, Some("FRA")),
            focal_y: app.user(Role::FocalPoint, Some("KEN")),
            editor: app.user(Role::Editor, None),
            admin,
            disabled,
        }
    }

    fn tokens(&self) -> [Option<&str>; 6] {
        [
            None,
            Some(&self.focal_x.token),
            Some(&self.focal_y.token),
            Some(&self.editor.token),
            Some(&self.admin.token),
            Some(&self.disabled.token),
        ]
    }
}

type Request = (&'static str, String, Option<Value>);
/// Builds a row's request afresh for each caller (a DELETE needs a new target each time).
type MakeRequest = Box<dyn Fn(&TestApp, &Fixture) -> Request>;

struct Row {
    what: &'static str,
    request: MakeRequest,
    expected: [u16; 6],
}

fn row(
    what: &'static str,
    expected: [u16; 6],
    request: impl Fn(&TestApp, &Fixture) -> Request + 'static,
) -> Row {
    Row {
        what,
        request: Box::new(request),
        expected,
    }
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}{}",
        &uuid::Uuid::now_v7().simple().to_string()[20..]
    )
}

fn rows() -> Vec<Row> {
    vec![
        row("GET /healthz", [200; 6], |_, _| {
            ("GET", "/healthz".into(), None)
        }),
        row("GET /readyz", [200; 6], |_, _| {
            ("GET", "/readyz".into(), None)
        }),
        row("GET /metrics", [200; 6], |_, _| {
            ("GET", "/metrics".into(), None)
        }),
        row("GET /openapi.json", [200; 6], |_, _| {
            ("GET", "/openapi.json".into(), None)
        }),
        // Public reference data ignores credentials altogether.
        row("GET /api/v1/annex", [200; 6], |_, _| {
            ("GET", "/api/v1/annex".into(), None)
        }),
        row("GET /api/v1/entities", [200; 6], |_, _| {
            ("GET", "/api/v1/entities".into(), None)
        }),
        row(
            "POST /api/v1/entities",
            [401, 403, 403, 403, 201, 401],
            |_, _| {
                let code = unique("ORG").to_uppercase()[..12].to_owned();
                (
                    "POST",
                    "/api/v1/entities".into(),
                    Some(json!({"code": code, "name": "An organisation", "type": "regional_org"})),
                )
            },
        ),
        row("GET /api/v1/me", [401, 200, 200, 200, 200, 401], |_, _| {
            ("GET", "/api/v1/me".into(), None)
        }),
        row(
            "GET /api/v1/auth/api-tokens",
            [401, 200, 200, 200, 200, 401],
            |_, _| ("GET", "/api/v1/auth/api-tokens".into(), None),
        ),
        row(
            "POST /api/v1/auth/api-tokens",
            [401, 201, 201, 201, 201, 401],
            |_, _| {
                (
                    "POST",
                    "/api/v1/auth/api-tokens".into(),
                    Some(json!({"name": "matrix"})),
                )
            },
        ),
        row(
            "DELETE /api/v1/auth/api-tokens/{id of X's token}",
            [401, 204, 404, 404, 404, 401],
            |app, f| {
                let made = app.post_as(
                    &f.focal_x.token,
                    "/api/v1/auth/api-tokens",
                    &json!({"name": "to revoke"}),
                );
                let id = made.json()["id"].as_str().expect("a token id").to_owned();
                ("DELETE", format!("/api/v1/auth/api-tokens/{id}"), None)
            },
        ),
        row(
            "POST /api/v1/users",
            [401, 403, 403, 403, 201, 401],
            |_, _| {
                let email = format!("{}@example.org", unique("new"));
                (
                    "POST",
                    "/api/v1/users".into(),
                    Some(
                        json!({"email": email, "name": "New", "role": "editor", "password": PASSWORD}),
                    ),
                )
            },
        ),
        row(
            "GET /api/v1/users",
            [401, 403, 403, 403, 200, 401],
            |_, _| ("GET", "/api/v1/users".into(), None),
        ),
        row(
            "GET /api/v1/users/{id}",
            [401, 403, 403, 403, 200, 401],
            |_, f| ("GET", format!("/api/v1/users/{}", f.focal_y.id), None),
        ),
        row(
            "PATCH /api/v1/users/{id}",
            [401, 403, 403, 403, 200, 401],
            |_, f| {
                (
                    "PATCH",
                    format!("/api/v1/users/{}", f.focal_y.id),
                    Some(json!({"disabled": false})),
                )
            },
        ),
    ]
}

#[test]
fn every_endpoint_answers_every_kind_of_caller_as_expected() {
    each_backend(|app| {
        let fixture = Fixture::new(app);
        let mut mismatches = Vec::new();
        for row in rows() {
            for (index, token) in fixture.tokens().into_iter().enumerate() {
                let (method, path, body) = (row.request)(app, &fixture);
                let answer = app.call(method, &path, token, body.as_ref());
                if answer.status != row.expected[index] {
                    mismatches.push(format!(
                        "{} as {}: expected {}, got {} ({})",
                        row.what, CALLERS[index], row.expected[index], answer.status, answer.body
                    ));
                }
                if answer.status == 401 {
                    assert_eq!(
                        answer.header("www-authenticate"),
                        Some("Bearer"),
                        "{}",
                        row.what
                    );
                }
                if answer.status >= 400 {
                    answer.problem(answer.status);
                }
            }
        }
        assert!(mismatches.is_empty(), "{:#?}", mismatches);
    });
}
