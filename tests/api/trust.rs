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
