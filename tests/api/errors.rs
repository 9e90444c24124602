//! Bad input of every kind gets a problem document with the right status.

use compendium::domain::account::Role;
use serde_json::json;

use crate::helpers::{each_backend, error_fields, Backend, TestApp};

#[test]
fn an_unknown_path_is_a_404_problem() {
    each_backend(|app| {
        let problem = app.get("/api/v1/nothing-here").problem(404);
        assert_eq!(problem["type"], "urn:compendium:problem:not-found");
        assert!(problem["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/nothing-here"));
        app.get("/docs/no-such-file.js").problem(404);
    });
}

#[test]
fn a_wrong_method_is_a_405_problem() {
    each_backend(|app| {
        let answer = app.request("DELETE", "/api/v1/annex");
        let problem = answer.problem(405);
        assert_eq!(problem["type"], "urn:compendium:problem:method-not-allowed");
        // RFC 9110: a 405 lists the methods the resource has.
        assert_eq!(answer.header("allow"), Some("GET"));
        let answer = app.call("PUT", "/api/v1/entities", None, None);
        answer.problem(405);
        assert_eq!(answer.header("allow"), Some("GET, POST"));
        let answer = app.request("TRACE", "/api/v1/submissions/some-id");
        answer.problem(405);
        assert_eq!(answer.header("allow"), Some("GET, PUT"));
        app.call("GET", "/api/v1/auth/token", None, None)
            .problem(405);
    });
}

#[test]
fn malformed_json_is_a_400_problem() {
    each_backend(|app| {
        let problem = app
            .post_raw(
                "/api/v1/auth/token",
                "application/json",
                br#"{"email": "a@b.org", "#.to_vec(),
            )
            .problem(400);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("not valid JSON"),
            "{problem}"
        );
        app.post_raw("/api/v1/auth/token", "application/json", Vec::new())
            .problem(400);
    });
}

#[test]
fn an_unknown_field_is_a_400_problem_naming_it() {
    each_backend(|app| {
        let problem = app
            .post_json(
                "/api/v1/auth/token",
                &serde_json::json!({"email": "a@b.org", "password": "x", "remember_me": true}),
            )
            .problem(400);
        assert_eq!(problem["errors"][0]["field"], "remember_me");
    });
}

#[test]
fn a_wrong_type_is_a_400_problem_naming_the_field() {
    each_backend(|app| {
        let problem = app
            .post_json(
                "/api/v1/auth/token",
                &serde_json::json!({"email": "a@b.org", "password": 42}),
            )
            .problem(400);
        assert_eq!(problem["errors"][0]["field"], "password");
    });
}

#[test]
fn a_two_mebibyte_body_is_a_413_problem() {
    each_backend(|app| {
        let padding = "x".repeat(2 * 1024 * 1024);
        let body = format!(r#"{{"email": "a@b.org", "password": "{padding}"}}"#).into_bytes();
        let problem = app
            .post_raw("/api/v1/auth/token", "application/json", body)
            .problem(413);
        assert_eq!(problem["type"], "urn:compendium:problem:payload-too-large");
    });
}

#[test]
fn a_body_that_is_not_json_is_a_415_problem() {
    each_backend(|app| {
        app.post_raw(
            "/api/v1/auth/token",
            "text/plain",
            b"email=a@b.org".to_vec(),
        )
        .problem(415);
        app.post_raw(
            "/api/v1/auth/token",
            "application/x-www-form-urlencoded",
            b"email=a".to_vec(),
        )
        .problem(415);
    });
}

#[test]
fn who_you_are_is_checked_before_what_you_sent() {
    each_backend(|app| {
        app.post_raw("/api/v1/users", "application/json", b"{not json".to_vec())
            .problem(401);
        app.post_raw(
            "/api/v1/entities",
            "application/json",
            br#"{"unknown": 1}"#.to_vec(),
        )
        .problem(401);
    });
}

/// serde would read a struct written as an array of its fields; the API
/// takes objects where its document says object.
#[test]
fn an_array_where_an_object_belongs_is_a_400_problem() {
    let app = TestApp::spawn(Backend::Sqlite);
    let editor = app.user(Role::Editor, None);
    for (path, body, field) in [
        ("/api/v1/tagging/suggest", json!(["t", "CSIRT", "en"]), "$"),
        (
            "/api/v1/compilations",
            json!({"title": "Edition", "scope": [null, null]}),
            "scope",
        ),
        (
            "/api/v1/submissions",
            json!({"entity": "FRA", "language": "en", "title": "t",
                   "practices": [["a title", "a body", [11]]]}),
            "practices[0]",
        ),
    ] {
        let problem = app.post_as(&editor.token, path, &body).problem(400);
        assert_eq!(error_fields(&problem), [field], "{path}: {problem}");
    }
}

#[test]
fn a_change_without_a_body_is_refused_for_its_body_not_its_if_match() {
    let app = TestApp::spawn(Backend::Sqlite);
    let editor = app.user(Role::Editor, None);
    let created = app.post_as(
        &editor.token,
        "/api/v1/compilations",
        &json!({"title": "Edition"}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let answer = app.call_with(
        "PUT",
        &format!("/api/v1/compilations/{id}"),
        Some(&editor.token),
        None,
        &[("If-Match", "")],
    );
    answer.problem(400);
}

#[test]
fn an_empty_query_parameter_is_refused_not_guessed() {
    let app = TestApp::spawn(Backend::Sqlite);
    for (path, field) in [
        ("/api/v1/practices?section=", "section"),
        ("/api/v1/compilations?limit=", "limit"),
        ("/api/v1/coverage?from=", "from"),
    ] {
        let problem = app.get(path).problem(400);
        assert_eq!(error_fields(&problem), [field], "{path}");
    }
}

#[test]
fn an_edit_without_a_body_is_refused_for_its_body_not_its_if_match() {
    let app = TestApp::spawn(Backend::Sqlite);
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    let created = app.post_as(
        &focal.token,
        "/api/v1/submissions",
        &json!({"language": "en", "title": "t", "practices": [{"title": "p", "body": "b"}]}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let answer = app.call_with(
        "PUT",
        &format!("/api/v1/submissions/{id}"),
        Some(&focal.token),
        None,
        &[("If-Match", "")],
    );
    answer.problem(400);
}

#[test]
fn if_match_is_read_as_rfc_9110_writes_it() {
    let app = TestApp::spawn(Backend::Sqlite);
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    let draft = json!({"language": "en", "title": "t", "practices": [{"title": "p", "body": "b"}]});
    let created = app.post_as(&focal.token, "/api/v1/submissions", &draft);
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/submissions/{id}");
    let put = |tag: &str| {
        app.call_with(
            "PUT",
            &path,
            Some(&focal.token),
            Some(&draft),
            &[("If-Match", tag)],
        )
    };
    // Not a list of entity tags: a malformed request.
    for malformed in ["0", "v1", "\"v1", "\"v1\" \"v2\""] {
        let problem = put(malformed).problem(400);
        assert_eq!(error_fields(&problem), ["If-Match"], "{malformed}");
    }
    // Well-formed tags of no present version, or weak ones: stale.
    for stale in ["\"v7\"", "\"a,b\", \"x\"", "W/\"v1\""] {
        put(stale).problem(412);
    }
    assert_eq!(put("\"x\", \"v1\"").status, 200);
    assert_eq!(put("*").status, 200);
}

#[test]
fn a_forged_search_cursor_is_a_place_past_the_end_not_a_crash() {
    let app = TestApp::spawn(Backend::Sqlite);
    // An offset of 10^12 once sized a heap of that many hits.
    let page = app.get("/api/v1/practices?cursor=0.999999999999").json();
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    assert!(page["next_cursor"].is_null());
    app.get("/api/v1/practices?cursor=eyJnIjowfQ").problem(400);
    assert_eq!(app.get("/healthz").status, 200);
}

#[test]
fn a_whole_number_is_an_integer_however_it_is_written() {
    let app = TestApp::spawn(Backend::Sqlite);
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    let made = app.post_as(
        &focal.token,
        "/api/v1/auth/api-tokens",
        &json!({"name": "nightly", "expires_in_days": 30.0}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let fraction = app.post_as(
        &focal.token,
        "/api/v1/auth/api-tokens",
        &json!({"name": "nightly", "expires_in_days": 30.5}),
    );
    fraction.problem(400);
}

#[test]
fn a_submission_keeps_its_entity() {
    let app = TestApp::spawn(Backend::Sqlite);
    let editor = app.user(Role::Editor, None);
    let draft = json!({"entity": "FRA", "language": "en", "title": "t", "practices": [{"title": "p", "body": "b"}]});
    let created = app.post_as(&editor.token, "/api/v1/submissions", &draft);
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let mut moved = draft.clone();
    moved["entity"] = json!("DEU");
    // A valid draft that does not fit the submission as it is: 409.
    let put = |body: &serde_json::Value| {
        app.call_with(
            "PUT",
            &format!("/api/v1/submissions/{id}"),
            Some(&editor.token),
            Some(body),
            &[("If-Match", "*")],
        )
    };
    let problem = put(&moved).problem(409);
    assert!(
        problem["detail"].as_str().unwrap().contains("FRA"),
        "{problem}"
    );
    assert_eq!(put(&draft).status, 200);
}

#[test]
fn a_query_is_bounded_as_sent() {
    let app = TestApp::spawn(Backend::Sqlite);
    // 990 characters and 20 spaces: over the 1,000 the document allows.
    let padded = format!("{}{}", "a".repeat(990), "%20".repeat(20));
    let problem = app
        .get(&format!("/api/v1/practices?q={padded}"))
        .problem(400);
    assert_eq!(error_fields(&problem), ["q"]);
    app.get(&format!("/api/v1/practices.csv?q={padded}"))
        .problem(400);
    let fits = format!("{}{}", "a".repeat(990), "%20".repeat(10));
    assert_eq!(app.get(&format!("/api/v1/practices?q={fits}")).status, 200);
}
