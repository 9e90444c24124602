//! The submission workflow over HTTP, by role, on both backends.

use compendium::domain::account::Role;
use compendium::store::{catalogue, Store};
use serde_json::{json, Value};

use crate::helpers::{each_backend, error_fields, Answer, TestApp};

pub fn draft(title: &str) -> Value {
    json!({
        "language": "en",
        "title": title,
        "summary": "Measures taken since 2020.",
        "practices": [
            {"title": "National CSIRT", "body": "The **national CSIRT** handles incidents.", "items": [11, 10], "sectors": ["ict"]},
            {"title": "Awareness week", "body": "A yearly campaign for schools.", "items": [18]},
            {"title": "Cybercrime law", "body": "The penal code was revised.", "items": [13], "sectors": ["government"]}
        ]
    })
}

pub fn create(app: &TestApp, token: &str, body: &Value) -> Answer {
    app.post_as(token, "/api/v1/submissions", body)
}

fn put(app: &TestApp, token: &str, id: &str, body: &Value, if_match: Option<&str>) -> Answer {
    let headers: Vec<(&str, &str)> = if_match
        .map(|tag| vec![("if-match", tag)])
        .unwrap_or_default();
    app.call_with(
        "PUT",
        &format!("/api/v1/submissions/{id}"),
        Some(token),
        Some(body),
        &headers,
    )
}

fn act(app: &TestApp, token: &str, id: &str, action: &str, body: Option<&Value>) -> Answer {
    app.call(
        "POST",
        &format!("/api/v1/submissions/{id}/{action}"),
        Some(token),
        body,
    )
}

#[test]
fn a_submission_goes_from_draft_through_changes_to_the_catalogue() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let editor = app.user(Role::Editor, None);

        let created = create(app, &focal.token, &draft("Best practices of France"));
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.header("etag"), Some("\"v1\""));
        let location = created.header("location").unwrap().to_owned();
        let first_document = created.body.clone();
        let submission = created.json();
        let id = submission["id"].as_str().unwrap().to_owned();
        assert_eq!(location, format!("/api/v1/submissions/{id}"));
        assert_eq!(submission["status"], "draft");
        assert_eq!(submission["entity"], "FRA");
        assert_eq!(submission["entity_name"], "France");
        assert_eq!(
            submission["practices"][0]["items"],
            json!([10, 11]),
            "items are kept sorted"
        );

        let fetched = app.get_as(&focal.token, &location);
        assert_eq!(fetched.status, 200);
        assert_eq!(fetched.header("etag"), Some("\"v1\""));

        let mut changed = draft("Best practices of France (revised)");
        put(app, &focal.token, &id, &changed, None).problem(428);
        put(app, &focal.token, &id, &changed, Some("\"v9\"")).problem(412);
        let updated = put(app, &focal.token, &id, &changed, Some("\"v1\""));
        assert_eq!(updated.status, 200, "{}", updated.body);
        assert_eq!(updated.header("etag"), Some("\"v2\""));
        put(app, &focal.token, &id, &changed, Some("\"v1\"")).problem(412);

        let submitted = act(app, &focal.token, &id, "submit", None);
        assert_eq!(submitted.status, 200, "{}", submitted.body);
        assert_eq!(submitted.json()["status"], "submitted");
        let refused = put(app, &focal.token, &id, &changed, Some("\"v3\"")).problem(409);
        assert!(
            refused["detail"].as_str().unwrap().contains("submitted"),
            "{refused}"
        );
        act(app, &focal.token, &id, "accept", None).problem(403);

        act(app, &editor.token, &id, "request-changes", None).problem(422);
        let problem = act(
            app,
            &editor.token,
            &id,
            "request-changes",
            Some(&json!({"message": "  "})),
        )
        .problem(422);
        assert_eq!(problem["errors"][0]["field"], "message");
        let returned = act(
            app,
            &editor.token,
            &id,
            "request-changes",
            Some(&json!({"message": "Please tag the CSIRT practice with item 12 too."})),
        );
        assert_eq!(returned.status, 200, "{}", returned.body);
        let seen = app.get_as(&focal.token, &location).json();
        assert_eq!(seen["status"], "changes_requested");
        assert_eq!(
            seen["changes_requested_message"],
            "Please tag the CSIRT practice with item 12 too."
        );

        changed["practices"][0]["items"] = json!([10, 11, 12]);
        let revised = put(app, &focal.token, &id, &changed, Some("\"v4\""));
        assert_eq!(revised.status, 200, "{}", revised.body);
        assert_eq!(act(app, &focal.token, &id, "submit", None).status, 200);
        let accepted = act(
            app,
            &editor.token,
            &id,
            "accept",
            Some(&json!({"note": "Thank you."})),
        );
        assert_eq!(accepted.status, 200, "{}", accepted.body);
        let accepted = accepted.json();
        assert_eq!(accepted["status"], "accepted");
        assert_eq!(accepted["version"], 7);
        assert_eq!(accepted["decision_note"], "Thank you.");
        assert!(accepted["decided_at"].is_string());
        act(app, &focal.token, &id, "withdraw", None).problem(409);

        let practice_id = accepted["practices"][0]["id"].as_str().unwrap();
        let public = app.get(&format!("/api/v1/practices/{practice_id}"));
        assert_eq!(public.status, 200, "{}", public.body);
        let public = public.json();
        assert_eq!(public["items"], json!([10, 11, 12]));
        assert_eq!(public["sections"], json!(["E"]));
        assert_eq!(public["entity_type"], "member_state");
        assert_eq!(public["submission_id"], id.as_str());

        let versions = app
            .get_as(&focal.token, &format!("{location}/versions"))
            .json();
        let numbers: Vec<i64> = versions["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
        let first = app.get_as(&focal.token, &format!("{location}/versions/1"));
        assert_eq!(
            first.body, first_document,
            "a version is kept byte for byte"
        );
        app.get_as(&focal.token, &format!("{location}/versions/8"))
            .problem(404);
        app.get_as(&focal.token, &format!("{location}/versions/x"))
            .problem(404);

        let events = app
            .get_as(&focal.token, &format!("{location}/events"))
            .json();
        let trail: Vec<(String, String)> = events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_owned(),
                    e["to"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let expected = [
            ("create", "draft"),
            ("update", "draft"),
            ("submit", "submitted"),
            ("request_changes", "changes_requested"),
            ("update", "changes_requested"),
            ("submit", "submitted"),
            ("accept", "accepted"),
        ];
        assert_eq!(trail, expected.map(|(a, t)| (a.to_owned(), t.to_owned())));
        assert_eq!(events[3]["actor"], editor.email.as_str());
        assert_eq!(events[3]["from"], "submitted");
        assert_eq!(
            events[3]["message"],
            "Please tag the CSIRT practice with item 12 too."
        );

        let store = Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        assert_eq!(
            catalogue::count(&mut connection).unwrap(),
            3,
            "one catalogue change per accepted practice"
        );
    });
}

#[test]
fn rejections_need_a_reason_and_final_states_refuse_every_move() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let editor = app.user(Role::Editor, None);
        let id = create(app, &focal.token, &draft("Kenya")).json()["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let problem = act(app, &editor.token, &id, "accept", None).problem(409);
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.contains("draft") && detail.contains("allowed now: edit, submit, withdraw"),
            "{detail}"
        );

        act(app, &focal.token, &id, "submit", None);
        act(app, &editor.token, &id, "reject", Some(&json!({}))).problem(422);
        let rejected = act(
            app,
            &editor.token,
            &id,
            "reject",
            Some(&json!({"reason": "Out of scope of the resolution."})),
        );
        assert_eq!(rejected.status, 200, "{}", rejected.body);
        assert_eq!(
            rejected.json()["decision_note"],
            "Out of scope of the resolution."
        );
        for action in ["submit", "withdraw", "accept", "reject", "request-changes"] {
            // A valid body for each move, so that only the status refuses it.
            let body = match action {
                "request-changes" => json!({"message": "m"}),
                "reject" => json!({"reason": "r"}),
                _ => json!({}),
            };
            let problem = act(app, &editor.token, &id, action, Some(&body)).problem(409);
            assert!(
                problem["detail"]
                    .as_str()
                    .unwrap()
                    .contains("rejected submissions are final"),
                "{action}: {problem}"
            );
        }

        let second = create(app, &focal.token, &draft("Kenya, second")).json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let withdrawn = act(app, &focal.token, &second, "withdraw", None);
        assert_eq!(withdrawn.json()["status"], "withdrawn");
        app.get(&format!("/api/v1/practices/{}", "nothing"))
            .problem(404);
    });
}

#[test]
fn another_entitys_submissions_do_not_exist_for_a_focal_point() {
    each_backend(|app| {
        let france = app.user(Role::FocalPoint, Some("FRA"));
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        let editor = app.user(Role::Editor, None);
        let id = create(app, &france.token, &draft("France")).json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        create(app, &kenya.token, &draft("Kenya"));

        let path = format!("/api/v1/submissions/{id}");
        app.get_as(&kenya.token, &path).problem(404);
        app.get_as(&kenya.token, &format!("{path}/versions"))
            .problem(404);
        app.get_as(&kenya.token, &format!("{path}/versions/1"))
            .problem(404);
        app.get_as(&kenya.token, &format!("{path}/events"))
            .problem(404);
        put(app, &kenya.token, &id, &draft("taken over"), Some("\"v1\"")).problem(404);
        act(app, &kenya.token, &id, "submit", None).problem(404);
        act(app, &kenya.token, &id, "withdraw", None).problem(404);
        app.get(&path).problem(401);

        let listed = app.get_as(&kenya.token, "/api/v1/submissions").json();
        let entities: Vec<_> = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["entity"].clone())
            .collect();
        assert_eq!(entities, [json!("KEN")]);
        let asked = app
            .get_as(&kenya.token, "/api/v1/submissions?entity=FRA")
            .json();
        assert_eq!(asked["items"], json!([]));
        let all = app.get_as(&editor.token, "/api/v1/submissions").json();
        assert_eq!(all["items"].as_array().unwrap().len(), 2);
        let france_only = app
            .get_as(&editor.token, "/api/v1/submissions?entity=FRA&status=draft")
            .json();
        assert_eq!(france_only["items"][0]["practices_count"], 3);
        assert_eq!(france_only["items"].as_array().unwrap().len(), 1);
        app.get_as(&editor.token, "/api/v1/submissions?status=approved")
            .problem(400);
    });
}

#[test]
fn editors_record_submissions_for_any_entity_and_focal_points_for_their_own() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let editor = app.user(Role::Editor, None);
        let mut body = draft("Note verbale of Chile");
        let problem = create(app, &editor.token, &body).problem(422);
        assert_eq!(problem["errors"][0]["field"], "entity");
        body["entity"] = json!("CHL");
        let recorded = create(app, &editor.token, &body);
        assert_eq!(recorded.status, 201, "{}", recorded.body);
        assert_eq!(recorded.json()["entity_name"], "Chile");
        body["entity"] = json!("XYZ");
        assert_eq!(
            create(app, &editor.token, &body).problem(422)["errors"][0]["field"],
            "entity"
        );

        body["entity"] = json!("KEN");
        create(app, &focal.token, &body).problem(403);
        body["entity"] = json!("FRA");
        assert_eq!(create(app, &focal.token, &body).status, 201);
    });
}

#[test]
fn invalid_submissions_name_every_field_and_write_nothing() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let bad = json!({
            "language": "de",
            "title": "t".repeat(301),
            "practices": [
                {"title": "ok", "body": "ok", "items": [0, 5, 5], "sectors": ["space"]},
                {"title": "", "body": "x".repeat(100 * 1024 + 1)}
            ]
        });
        let problem = create(app, &focal.token, &bad).problem(422);
        let fields = error_fields(&problem);
        assert_eq!(
            fields,
            [
                "language",
                "title",
                "practices[0].items[0]",
                "practices[0].items[2]",
                "practices[0].sectors[0]",
                "practices[1].title",
                "practices[1].body"
            ]
        );
        let none = json!({"language": "en", "title": "t", "practices": []});
        create(app, &focal.token, &none).problem(422);
        let many: Vec<Value> = (0..51)
            .map(|i| json!({"title": format!("p{i}"), "body": "b"}))
            .collect();
        create(
            app,
            &focal.token,
            &json!({"language": "en", "title": "t", "practices": many}),
        )
        .problem(422);
        let typed = create(
            app,
            &focal.token,
            &json!({"language": "en", "title": "t", "practices": [{"title": "p", "body": "b", "items": "11"}]}),
        );
        assert_eq!(
            typed.problem(400)["errors"][0]["field"],
            "practices[0].items"
        );
        let unknown = create(
            app,
            &focal.token,
            &json!({"language": "en", "title": "t", "colour": "red", "practices": [{"title": "p", "body": "b"}]}),
        );
        assert_eq!(unknown.problem(400)["errors"][0]["field"], "colour");

        let listed = app.get_as(&focal.token, "/api/v1/submissions").json();
        assert_eq!(
            listed["items"],
            json!([]),
            "a refused request writes nothing"
        );
    });
}

#[test]
fn a_retry_with_the_same_idempotency_key_gets_the_first_answer() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        let other = app.user(Role::FocalPoint, Some("FRA"));
        let body = draft("Sent by a script");
        let headers = [("idempotency-key", "upload-2026-11-28-001")];
        let first = app.call_with(
            "POST",
            "/api/v1/submissions",
            Some(&focal.token),
            Some(&body),
            &headers,
        );
        assert_eq!(first.status, 201, "{}", first.body);
        let retry = app.call_with(
            "POST",
            "/api/v1/submissions",
            Some(&focal.token),
            Some(&body),
            &headers,
        );
        assert_eq!(retry.status, 201);
        assert_eq!(retry.body, first.body);
        assert_eq!(retry.header("location"), first.header("location"));
        assert_eq!(retry.header("etag"), first.header("etag"));
        assert_eq!(retry.header("idempotent-replayed"), Some("true"));

        let changed = draft("Another submission");
        let problem = app
            .call_with(
                "POST",
                "/api/v1/submissions",
                Some(&focal.token),
                Some(&changed),
                &headers,
            )
            .problem(422);
        assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
        let theirs = app.call_with(
            "POST",
            "/api/v1/submissions",
            Some(&other.token),
            Some(&body),
            &headers,
        );
        assert_eq!(theirs.status, 201, "keys belong to their caller");
        assert_ne!(theirs.header("location"), first.header("location"));
        app.call_with(
            "POST",
            "/api/v1/submissions",
            Some(&focal.token),
            Some(&body),
            &[("idempotency-key", "")],
        )
        .problem(400);

        let listed = app.get_as(&focal.token, "/api/v1/submissions").json();
        assert_eq!(
            listed["items"].as_array().unwrap().len(),
            2,
            "one each, none duplicated"
        );
    });
}

#[test]
fn concurrent_retries_with_one_key_create_one_submission() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("BRA"));
        let body = draft("Raced");
        let answers: Vec<(u16, String)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..6)
                .map(|_| {
                    scope.spawn(|| {
                        let answer = app.call_with(
                            "POST",
                            "/api/v1/submissions",
                            Some(&focal.token),
                            Some(&body),
                            &[("idempotency-key", "same-key")],
                        );
                        (
                            answer.status,
                            answer.header("location").unwrap_or("").to_owned(),
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(
            answers.iter().all(|(status, _)| *status == 201),
            "{answers:?}"
        );
        assert!(answers.windows(2).all(|w| w[0].1 == w[1].1), "{answers:?}");
        let listed = app.get_as(&focal.token, "/api/v1/submissions").json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    });
}

#[test]
fn editors_curate_the_tags_of_accepted_practices_only() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("IND"));
        let editor = app.user(Role::Editor, None);
        let created = create(app, &focal.token, &draft("India")).json();
        let id = created["id"].as_str().unwrap().to_owned();
        let practice = created["practices"][1]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/practices/{practice}");

        app.get(&path).problem(404);
        app.patch_as(&editor.token, &path, &json!({"items": [18, 5]}))
            .problem(409);
        act(app, &focal.token, &id, "submit", None);
        act(app, &editor.token, &id, "accept", None);

        app.patch_as(&focal.token, &path, &json!({"items": [5]}))
            .problem(403);
        let problem = app
            .patch_as(
                &editor.token,
                &path,
                &json!({"items": [18, 99], "sectors": ["moon"]}),
            )
            .problem(422);
        let fields = error_fields(&problem);
        assert_eq!(fields, ["items[1]", "sectors[0]"]);
        let curated = app.patch_as(&editor.token, &path, &json!({"items": [18, 5], "sectors": ["health"], "editorial_note": "Also a stakeholder practice."}));
        assert_eq!(curated.status, 200, "{}", curated.body);
        let curated = curated.json();
        assert_eq!(curated["items"], json!([5, 18]));
        assert_eq!(curated["sections"], json!(["B", "G"]));
        assert_eq!(curated["editorial_note"], "Also a stakeholder practice.");
        assert_eq!(app.get(&path).json()["items"], json!([5, 18]));
        let cleared = app
            .patch_as(&editor.token, &path, &json!({"editorial_note": null}))
            .json();
        assert!(cleared.get("editorial_note").is_none());
        app.patch_as(
            &editor.token,
            "/api/v1/practices/unknown",
            &json!({"items": [1]}),
        )
        .problem(404);

        let events = app
            .get_as(&editor.token, &format!("/api/v1/submissions/{id}/events"))
            .json();
        let last = &events.as_array().unwrap()[events.as_array().unwrap().len() - 2];
        assert_eq!(last["action"], "curate");
        assert!(
            last["message"].as_str().unwrap().contains("items: 5, 18"),
            "{last}"
        );
        let store = Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        assert_eq!(
            catalogue::count(&mut connection).unwrap(),
            3 + 2,
            "accept, then each curation"
        );
    });
}

#[test]
fn concurrent_writers_never_see_a_locked_database() {
    each_backend(|app| {
        let focal = app.user(Role::FocalPoint, Some("MEX"));
        let statuses: Vec<(u16, u16)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|client| {
                    let (app, token) = (app, &focal.token);
                    scope.spawn(move || {
                        (0..5)
                            .map(|n| {
                                let created =
                                    create(app, token, &draft(&format!("Writer {client}-{n}")));
                                let id =
                                    created.json()["id"].as_str().unwrap_or_default().to_owned();
                                (created.status, act(app, token, &id, "submit", None).status)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        assert!(statuses.iter().all(|s| *s == (201, 200)), "{statuses:?}");
        let listed = app
            .get_as(
                &focal.token,
                "/api/v1/submissions?status=submitted&limit=100",
            )
            .json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 40);
    });
}
