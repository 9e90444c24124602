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
    /// Send `If-Match: *`, as an edit must.
    if_match: bool,
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
        if_match: false,
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
        row("GET /api/v1/practices", [200; 6], |_, _| {
            ("GET", "/api/v1/practices?q=csirt".into(), None)
        }),
        row("GET /api/v1/practices.csv", [200; 6], |_, _| {
            ("GET", "/api/v1/practices.csv".into(), None)
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
        // Public requests that mail a stranger answer everyone alike; the
        // sixth from one address within a minute is refused.
        row(
            "POST /api/v1/subscriptions",
            [202, 202, 202, 202, 202, 429],
            |_, _| {
                let email = format!("{}@example.org", unique("reader"));
                (
                    "POST",
                    "/api/v1/subscriptions".into(),
                    Some(json!({"email": email})),
                )
            },
        ),
        row(
            "POST /api/v1/auth/password-reset",
            [202, 202, 202, 202, 202, 429],
            |_, _| {
                let email = format!("{}@example.org", unique("lost"));
                (
                    "POST",
                    "/api/v1/auth/password-reset".into(),
                    Some(json!({"email": email})),
                )
            },
        ),
        row(
            "PATCH /api/v1/me",
            [401, 200, 200, 200, 200, 401],
            |_, _| {
                (
                    "PATCH",
                    "/api/v1/me".into(),
                    Some(json!({"announcements": true})),
                )
            },
        ),
        // With a wrong present password, so that no row ends a caller's tokens.
        row(
            "POST /api/v1/me/password",
            [401, 422, 422, 422, 422, 401],
            |_, _| {
                (
                    "POST",
                    "/api/v1/me/password".into(),
                    Some(
                        json!({"current_password": "not the password", "new_password": "an uncommon correct phrase"}),
                    ),
                )
            },
        ),
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
            "POST /api/v1/submissions",
            [401, 201, 201, 422, 422, 401],
            |_, _| {
                // A focal point's entity is implied; an editor must name one.
                (
                    "POST",
                    "/api/v1/submissions".into(),
                    Some(crate::submissions::draft("Matrix")),
                )
            },
        ),
        row(
            "GET /api/v1/submissions",
            [401, 200, 200, 200, 200, 401],
            |_, _| ("GET", "/api/v1/submissions".into(), None),
        ),
        row(
            "GET /api/v1/submissions/{id of X}",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                (
                    "GET",
                    format!("/api/v1/submissions/{}", draft_of_x(app, f)),
                    None,
                )
            },
        ),
        Row {
            if_match: true,
            ..row(
                "PUT /api/v1/submissions/{id of X}",
                [401, 200, 404, 200, 200, 401],
                |app, f| {
                    (
                        "PUT",
                        format!("/api/v1/submissions/{}", draft_of_x(app, f)),
                        Some(crate::submissions::draft("Edited")),
                    )
                },
            )
        },
        row(
            "PUT /api/v1/submissions/{id of X} without If-Match",
            [401, 428, 404, 428, 428, 401],
            |app, f| {
                (
                    "PUT",
                    format!("/api/v1/submissions/{}", draft_of_x(app, f)),
                    Some(crate::submissions::draft("Edited")),
                )
            },
        ),
        row(
            "POST …/submit",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                (
                    "POST",
                    format!("/api/v1/submissions/{}/submit", draft_of_x(app, f)),
                    None,
                )
            },
        ),
        row(
            "POST …/withdraw",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                (
                    "POST",
                    format!("/api/v1/submissions/{}/withdraw", draft_of_x(app, f)),
                    None,
                )
            },
        ),
        row(
            "POST …/revise (accepted)",
            [401, 201, 404, 201, 201, 401],
            |app, f| {
                (
                    "POST",
                    format!("/api/v1/submissions/{}/revise", accepted_of_x(app, f)),
                    None,
                )
            },
        ),
        row(
            "POST …/request-changes",
            [401, 403, 404, 200, 200, 401],
            |app, f| {
                let id = submitted_of_x(app, f);
                (
                    "POST",
                    format!("/api/v1/submissions/{id}/request-changes"),
                    Some(json!({"message": "More detail, please."})),
                )
            },
        ),
        row(
            "POST …/accept",
            [401, 403, 404, 200, 200, 401],
            |app, f| {
                (
                    "POST",
                    format!("/api/v1/submissions/{}/accept", submitted_of_x(app, f)),
                    None,
                )
            },
        ),
        row(
            "POST …/reject",
            [401, 403, 404, 200, 200, 401],
            |app, f| {
                (
                    "POST",
                    format!("/api/v1/submissions/{}/reject", submitted_of_x(app, f)),
                    Some(json!({"reason": "Out of scope."})),
                )
            },
        ),
        row(
            "GET …/versions",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                (
                    "GET",
                    format!("/api/v1/submissions/{}/versions", draft_of_x(app, f)),
                    None,
                )
            },
        ),
        row(
            "GET …/versions/1",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                (
                    "GET",
                    format!("/api/v1/submissions/{}/versions/1", draft_of_x(app, f)),
                    None,
                )
            },
        ),
        row(
            "GET …/events",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                (
                    "GET",
                    format!("/api/v1/submissions/{}/events", draft_of_x(app, f)),
                    None,
                )
            },
        ),
        row("GET /api/v1/practices/{accepted}", [200; 6], |app, f| {
            (
                "GET",
                format!("/api/v1/practices/{}", accepted_practice_of_x(app, f)),
                None,
            )
        }),
        row(
            "PATCH /api/v1/practices/{accepted}",
            [401, 403, 403, 200, 200, 401],
            |app, f| {
                (
                    "PATCH",
                    format!("/api/v1/practices/{}", accepted_practice_of_x(app, f)),
                    Some(json!({"items": [4]})),
                )
            },
        ),
        row(
            "PUT /api/v1/practices/{accepted}/translations/fr",
            [401, 403, 403, 201, 201, 401],
            |app, f| {
                (
                    "PUT",
                    format!(
                        "/api/v1/practices/{}/translations/fr",
                        accepted_practice_of_x(app, f)
                    ),
                    Some(json!({"title": "Titre", "body": "Corps."})),
                )
            },
        ),
        row(
            "DELETE /api/v1/practices/{translated}/translations/fr",
            [401, 403, 403, 204, 204, 401],
            |app, f| {
                let practice = accepted_practice_of_x(app, f);
                let path = format!("/api/v1/practices/{practice}/translations/fr");
                let body = json!({"title": "Titre", "body": "Corps."});
                let added = app.call("PUT", &path, Some(&f.editor.token), Some(&body));
                assert_eq!(added.status, 201, "{}", added.body);
                ("DELETE", path, None)
            },
        ),
        row(
            "POST /api/v1/compilations",
            [401, 403, 403, 201, 201, 401],
            |app, f| {
                accepted_practice_of_x(app, f);
                (
                    "POST",
                    "/api/v1/compilations".into(),
                    Some(json!({"title": "Matrix", "scope": {}})),
                )
            },
        ),
        row(
            "GET /api/v1/compilations",
            [200, 200, 200, 200, 200, 401],
            |_, _| ("GET", "/api/v1/compilations".into(), None),
        ),
        row(
            "GET /api/v1/compilations/{draft}",
            [404, 404, 404, 200, 200, 401],
            |app, f| {
                (
                    "GET",
                    format!("/api/v1/compilations/{}", draft_compilation(app, f)),
                    None,
                )
            },
        ),
        row(
            "GET /api/v1/compilations/{edition}/export",
            [200, 200, 200, 200, 200, 401],
            |app, f| {
                (
                    "GET",
                    format!(
                        "/api/v1/compilations/{}/export?format=json",
                        edition(app, f)
                    ),
                    None,
                )
            },
        ),
        row(
            "PUT /api/v1/compilations/{draft}",
            [401, 403, 403, 200, 200, 401],
            |app, f| {
                (
                    "PUT",
                    format!("/api/v1/compilations/{}", draft_compilation(app, f)),
                    Some(json!({"title": "Renamed"})),
                )
            },
        ),
        row(
            "POST /api/v1/compilations/{draft}/publish",
            [401, 403, 403, 200, 200, 401],
            |app, f| {
                (
                    "POST",
                    format!("/api/v1/compilations/{}/publish", draft_compilation(app, f)),
                    None,
                )
            },
        ),
        row(
            "POST /api/v1/assessments",
            [401, 201, 201, 403, 403, 401],
            |_, _| {
                (
                    "POST",
                    "/api/v1/assessments".into(),
                    Some(json!({"year": 2026, "language": "en"})),
                )
            },
        ),
        row(
            "GET /api/v1/assessments",
            [401, 200, 200, 200, 200, 401],
            |_, _| ("GET", "/api/v1/assessments".into(), None),
        ),
        row(
            "GET /api/v1/assessments/{private of X}",
            [401, 200, 404, 404, 404, 401],
            |app, f| {
                let id = assessment_of_x(app, f, false);
                ("GET", format!("/api/v1/assessments/{id}"), None)
            },
        ),
        row(
            "GET /api/v1/assessments/{shared of X}",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                let id = assessment_of_x(app, f, true);
                ("GET", format!("/api/v1/assessments/{id}"), None)
            },
        ),
        Row {
            if_match: true,
            ..row(
                "PUT /api/v1/assessments/{private of X}",
                [401, 200, 404, 404, 404, 401],
                |app, f| {
                    let id = assessment_of_x(app, f, false);
                    (
                        "PUT",
                        format!("/api/v1/assessments/{id}"),
                        Some(json!({"answers": [{"item": 1, "status": "in_progress"}]})),
                    )
                },
            )
        },
        Row {
            if_match: true,
            ..row(
                "PUT /api/v1/assessments/{shared of X}",
                [401, 200, 404, 403, 403, 401],
                |app, f| {
                    let id = assessment_of_x(app, f, true);
                    (
                        "PUT",
                        format!("/api/v1/assessments/{id}"),
                        Some(json!({"answers": [{"item": 1, "status": "in_progress"}]})),
                    )
                },
            )
        },
        row(
            "POST …/complete (private)",
            [401, 200, 404, 404, 404, 401],
            |app, f| {
                let id = assessment_of_x(app, f, false);
                ("POST", format!("/api/v1/assessments/{id}/complete"), None)
            },
        ),
        row(
            "POST …/share (private)",
            [401, 200, 404, 404, 404, 401],
            |app, f| {
                let id = assessment_of_x(app, f, false);
                ("POST", format!("/api/v1/assessments/{id}/share"), None)
            },
        ),
        row(
            "POST …/unshare (shared)",
            [401, 200, 404, 403, 403, 401],
            |app, f| {
                let id = assessment_of_x(app, f, true);
                ("POST", format!("/api/v1/assessments/{id}/unshare"), None)
            },
        ),
        row(
            "GET …/events (shared)",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                let id = assessment_of_x(app, f, true);
                ("GET", format!("/api/v1/assessments/{id}/events"), None)
            },
        ),
        row(
            "GET …/gaps (shared)",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                let id = assessment_of_x(app, f, true);
                ("GET", format!("/api/v1/assessments/{id}/gaps"), None)
            },
        ),
        row(
            "GET …/compare (shared)",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                let id = assessment_of_x(app, f, true);
                (
                    "GET",
                    format!("/api/v1/assessments/{id}/compare?with={id}"),
                    None,
                )
            },
        ),
        row(
            "GET /api/v1/coverage/self-assessments",
            [401, 403, 403, 200, 200, 401],
            |_, _| ("GET", "/api/v1/coverage/self-assessments".into(), None),
        ),
        row(
            "GET …/export (shared)",
            [401, 200, 404, 200, 200, 401],
            |app, f| {
                let id = assessment_of_x(app, f, true);
                (
                    "GET",
                    format!("/api/v1/assessments/{id}/export?format=md"),
                    None,
                )
            },
        ),
        row(
            "POST …/items/11/draft (shared)",
            [401, 201, 404, 403, 403, 401],
            |app, f| {
                let id = assessment_of_x(app, f, true);
                (
                    "POST",
                    format!("/api/v1/assessments/{id}/items/11/draft"),
                    None,
                )
            },
        ),
        row(
            "GET /api/v1/outbox",
            [401, 403, 403, 403, 200, 401],
            |_, _| ("GET", "/api/v1/outbox".into(), None),
        ),
        row(
            "POST /api/v1/outbox/{id}/retry",
            [401, 403, 403, 403, 404, 401],
            |_, _| ("POST", "/api/v1/outbox/no-such-mail/retry".into(), None),
        ),
        row(
            "POST /api/v1/tagging/suggest",
            [401, 200, 200, 200, 200, 401],
            |_, _| {
                (
                    "POST",
                    "/api/v1/tagging/suggest".into(),
                    Some(
                        json!({"title": "CSIRT", "body": "The national CSIRT.", "language": "en"}),
                    ),
                )
            },
        ),
        row(
            "GET /api/v1/tagging/stats",
            [401, 403, 403, 200, 200, 401],
            |_, _| ("GET", "/api/v1/tagging/stats".into(), None),
        ),
        row(
            "GET /api/v1/coverage",
            [200, 200, 200, 200, 200, 401],
            |_, _| ("GET", "/api/v1/coverage?by=region".into(), None),
        ),
        row("GET /api/v1/coverage.csv", [200; 6], |_, _| {
            ("GET", "/api/v1/coverage.csv".into(), None)
        }),
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

/// A fresh self-assessment of entity X (France), item 11 answered,
/// written to the database directly: a State has one a year, and the
/// matrix needs more of them than there are years to assess.
fn assessment_of_x(app: &TestApp, _f: &Fixture, shared: bool) -> String {
    use compendium::domain::annex::AnnexItem;
    use compendium::domain::assessment::{Answer, AnswerStatus, Assessment};
    use compendium::domain::entities::EntityCode;
    use compendium::domain::{clock, Language};
    static YEAR: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(3000);
    let now = clock::now();
    let year = YEAR.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let france = EntityCode::parse("FRA").expect("a code");
    let id = uuid::Uuid::now_v7().to_string();
    let mut assessment = Assessment::new(id.clone(), france, year, Language::En, None, None, now);
    let item = AnnexItem::new(11).expect("an item");
    assessment.answer(
        vec![Answer {
            status: AnswerStatus::InProgress,
            narrative: "A national CIRT is being set up.".to_owned(),
            ..Answer::not_started(item)
        }],
        now,
    );
    assessment.shared = shared;
    let store = compendium::store::Store::open(&app.settings).expect("the database");
    let mut connection = store.blocking_connection().expect("a connection");
    let stored = compendium::store::assessments::insert(&mut connection, &assessment);
    assert!(stored.expect("stored"), "a fresh year");
    id
}

/// A fresh draft of entity X (France), made by its focal point.
fn draft_of_x(app: &TestApp, f: &Fixture) -> String {
    let created =
        crate::submissions::create(app, &f.focal_x.token, &crate::submissions::draft("Of X"));
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()["id"].as_str().expect("an id").to_owned()
}

/// A fresh submitted submission of entity X.
fn submitted_of_x(app: &TestApp, f: &Fixture) -> String {
    let id = draft_of_x(app, f);
    let submitted = app.call(
        "POST",
        &format!("/api/v1/submissions/{id}/submit"),
        Some(&f.focal_x.token),
        None,
    );
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    id
}

/// A fresh accepted submission of entity X, as its answer.
fn accepted_answer_of_x(app: &TestApp, f: &Fixture) -> Value {
    let id = submitted_of_x(app, f);
    let accepted = app.call(
        "POST",
        &format!("/api/v1/submissions/{id}/accept"),
        Some(&f.editor.token),
        None,
    );
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    accepted.json()
}

/// A fresh accepted submission of entity X.
fn accepted_of_x(app: &TestApp, f: &Fixture) -> String {
    let accepted = accepted_answer_of_x(app, f);
    accepted["id"].as_str().expect("an id").to_owned()
}

/// A practice of a fresh accepted submission of entity X.
fn accepted_practice_of_x(app: &TestApp, f: &Fixture) -> String {
    let accepted = accepted_answer_of_x(app, f);
    accepted["practices"][0]["id"]
        .as_str()
        .expect("a practice id")
        .to_owned()
}

/// A fresh draft compilation with at least one practice in scope.
fn draft_compilation(app: &TestApp, f: &Fixture) -> String {
    accepted_practice_of_x(app, f);
    let created = app.post_as(
        &f.editor.token,
        "/api/v1/compilations",
        &json!({"title": "Matrix draft"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()["id"].as_str().expect("an id").to_owned()
}

/// A fresh published edition.
fn edition(app: &TestApp, f: &Fixture) -> String {
    let id = draft_compilation(app, f);
    let published = app.call(
        "POST",
        &format!("/api/v1/compilations/{id}/publish"),
        Some(&f.editor.token),
        None,
    );
    assert_eq!(published.status, 200, "{}", published.body);
    id
}

#[test]
fn every_endpoint_answers_every_kind_of_caller_as_expected() {
    each_backend(|app| {
        let fixture = Fixture::new(app);
        let mut mismatches = Vec::new();
        for row in rows() {
            for (index, token) in fixture.tokens().into_iter().enumerate() {
                let (method, path, body) = (row.request)(app, &fixture);
                let headers: &[(&str, &str)] = if row.if_match {
                    &[("if-match", "*")]
                } else {
                    &[]
                };
                let answer = app.call_with(method, &path, token, body.as_ref(), headers);
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
