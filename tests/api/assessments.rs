//! Self-assessments against the annex (issue 21), on both backends: a
//! State's own and private until it shares one, saved item by item with
//! versions, carried into the next year and compared, its gaps met with
//! other States' practices, and an answer turned into a submission.

use compendium::domain::account::Role;
use serde_json::{json, Value};

use crate::helpers::{each_backend, error_fields, TestApp, TestUser};

fn create(app: &TestApp, who: &TestUser, body: Value) -> crate::helpers::Answer {
    app.post_as(&who.token, "/api/v1/assessments", &body)
}

fn put(
    app: &TestApp,
    who: &TestUser,
    id: &str,
    version: &str,
    answers: Value,
) -> crate::helpers::Answer {
    app.call_with(
        "PUT",
        &format!("/api/v1/assessments/{id}"),
        Some(&who.token),
        Some(&json!({"answers": answers})),
        &[("if-match", version)],
    )
}

fn post(app: &TestApp, who: &TestUser, path: &str) -> crate::helpers::Answer {
    app.call("POST", path, Some(&who.token), None)
}

fn answer_to(assessment: &Value, item: u64) -> Value {
    assessment["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["item"] == item)
        .cloned()
        .unwrap()
}

/// Only a Member State's focal points start one, one a year; it is theirs
/// alone until shared; the Secretariat reads a shared one and changes
/// nothing; every save is a version bound by If-Match, with its event.
#[test]
fn a_state_assesses_privately_and_shares_with_the_secretariat() {
    each_backend(|app| {
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        let france = app.user(Role::FocalPoint, Some("FRA"));
        let holy_see = app.user(Role::FocalPoint, Some("VAT"));
        let union = app.user(Role::FocalPoint, Some("AU"));
        let editor = app.user(Role::Editor, None);
        let new = json!({"year": 2026, "language": "en"});
        app.post_json("/api/v1/assessments", &new).problem(401);
        create(app, &editor, new.clone()).problem(403);
        for outsider in [&holy_see, &union] {
            let refused = create(app, outsider, new.clone()).problem(422);
            assert_eq!(error_fields(&refused), ["entity"]);
        }
        let out_of_range =
            create(app, &kenya, json!({"year": 2009, "language": "en"})).problem(422);
        assert_eq!(error_fields(&out_of_range), ["year"]);

        let made = create(app, &kenya, new.clone());
        assert_eq!(made.status, 201, "{}", made.body);
        assert_eq!(made.header("etag"), Some("\"v1\""));
        let assessment = made.json();
        let id = assessment["id"].as_str().unwrap().to_owned();
        assert_eq!(
            made.header("location"),
            Some(format!("/api/v1/assessments/{id}").as_str())
        );
        assert_eq!(assessment["answers"].as_array().unwrap().len(), 18);
        assert!(assessment["answers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"] == "not_started"));
        assert_eq!(
            (&assessment["status"], &assessment["shared"]),
            (&json!("draft"), &json!(false))
        );
        create(app, &kenya, new).problem(409);

        let path = format!("/api/v1/assessments/{id}");
        app.get_as(&france.token, &path).problem(404);
        app.get_as(&editor.token, &path).problem(404);
        app.get(&path).problem(401);
        let listed = app.get_as(&kenya.token, "/api/v1/assessments").json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        let listed = app.get_as(&france.token, "/api/v1/assessments").json();
        assert!(listed["items"].as_array().unwrap().is_empty());

        // A partial save: only item 11 changes; If-Match is required.
        let eleven = json!([{"item": 11, "status": "in_place",
            "narrative": "KE-CIRT/CC coordinates incident response.",
            "evidence": ["https://www.ke-cirt.go.ke/"], "maturity": 4}]);
        app.call(
            "PUT",
            &path,
            Some(&kenya.token),
            Some(&json!({"answers": eleven})),
        )
        .problem(428);
        put(app, &france, &id, "\"v1\"", eleven.clone()).problem(404);
        let bad = put(
            app,
            &kenya,
            &id,
            "\"v1\"",
            json!([{"item": 19, "status": "done", "evidence": ["ftp://x.example/"], "maturity": 9},
                   {"item": 4, "status": "in_place", "evidence": (0..11).map(|n| format!("https://g.example/{n}")).collect::<Vec<_>>()}]),
        )
        .problem(422);
        assert_eq!(
            error_fields(&bad),
            [
                "answers[0].item",
                "answers[0].status",
                "answers[0].evidence[0]",
                "answers[0].maturity",
                "answers[1].evidence"
            ]
        );
        let saved = put(app, &kenya, &id, "\"v1\"", eleven.clone());
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert_eq!(saved.header("etag"), Some("\"v2\""));
        let saved = saved.json();
        assert_eq!(answer_to(&saved, 11)["maturity"], 4);
        assert_eq!(
            answer_to(&saved, 11)["evidence"][0],
            "https://www.ke-cirt.go.ke/"
        );
        assert_eq!(answer_to(&saved, 4)["status"], "not_started");
        put(app, &kenya, &id, "\"v1\"", eleven.clone()).problem(412);
        // The same answers again: nothing changes, no new version.
        let same = put(app, &kenya, &id, "\"v2\"", eleven);
        assert_eq!(same.header("etag"), Some("\"v2\""));

        // Shared, the Secretariat reads it and changes nothing; unshared,
        // it is gone for them again.
        let shared = post(app, &kenya, &format!("{path}/share"));
        assert_eq!(shared.status, 200, "{}", shared.body);
        assert_eq!(shared.json()["shared"], true);
        assert_eq!(post(app, &kenya, &format!("{path}/share")).status, 200);
        assert_eq!(app.get_as(&editor.token, &path).status, 200);
        let listed = app.get_as(&editor.token, "/api/v1/assessments").json();
        assert!(listed.to_string().contains(&id));
        put(app, &editor, &id, "\"v3\"", json!([])).problem(403);
        post(app, &editor, &format!("{path}/unshare")).problem(403);
        app.get_as(&france.token, &path).problem(404);
        assert_eq!(post(app, &kenya, &format!("{path}/unshare")).status, 200);
        app.get_as(&editor.token, &path).problem(404);

        let done = post(app, &kenya, &format!("{path}/complete"));
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(done.json()["status"], "completed");
        assert!(done.json()["completed_at"].is_string());
        post(app, &kenya, &format!("{path}/complete")).problem(409);

        // Exported in its own language, to edit or to print.
        let md = app.get_as(&kenya.token, &format!("{path}/export?format=md"));
        assert_eq!(md.status, 200);
        assert!(md
            .header("content-type")
            .unwrap()
            .starts_with("text/markdown"));
        assert!(md
            .body
            .contains("KE-CIRT/CC coordinates incident response."));
        let page = app.get_as(&kenya.token, &format!("{path}/export?format=html"));
        assert!(page.body.starts_with("<!DOCTYPE html>"));
        assert!(page.header("cache-control").unwrap().contains("no-store"));
        app.get_as(&kenya.token, &format!("{path}/export?format=pdf"))
            .problem(400);
        app.get_as(&france.token, &format!("{path}/export?format=md"))
            .problem(404);

        let events = app.get_as(&kenya.token, &format!("{path}/events")).json();
        let actions: Vec<&str> = events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            ["create", "answer", "share", "unshare", "complete"]
        );
        assert_eq!(events[1]["actor"], kenya.email.as_str());
    });
}

/// A new year starts from the last one's answers (or blank), and two
/// years compare item by item.
#[test]
fn next_year_starts_from_the_last_and_two_years_compare() {
    each_backend(|app| {
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        let first = create(app, &kenya, json!({"year": 2025, "language": "en"})).json();
        let id = first["id"].as_str().unwrap().to_owned();
        let saved = put(
            app,
            &kenya,
            &id,
            "\"v1\"",
            json!([{"item": 11, "status": "in_progress", "narrative": "Building a CIRT.", "maturity": 2},
                   {"item": 18, "status": "in_place", "narrative": "Awareness month."}]),
        );
        assert_eq!(saved.status, 200, "{}", saved.body);
        let next = create(app, &kenya, json!({"year": 2026, "language": "fr"})).json();
        assert_eq!(next["answers"], saved.json()["answers"]);
        assert_eq!(next["language"], "fr");
        let next_id = next["id"].as_str().unwrap().to_owned();
        let moved = put(
            app,
            &kenya,
            &next_id,
            "\"v1\"",
            json!([{"item": 11, "status": "in_place", "narrative": "Le CIRT fonctionne.", "maturity": 3}]),
        );
        assert_eq!(moved.status, 200, "{}", moved.body);
        let blank = create(
            app,
            &kenya,
            json!({"year": 2027, "language": "en", "blank": true}),
        )
        .json();
        assert_eq!(answer_to(&blank, 11)["status"], "not_started");

        let compared = app
            .get_as(
                &kenya.token,
                &format!("/api/v1/assessments/{next_id}/compare?with={id}"),
            )
            .json();
        assert_eq!(
            (compared["from_year"].as_i64(), compared["to_year"].as_i64()),
            (Some(2025), Some(2026))
        );
        let changed: Vec<&Value> = compared["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["changed"] == true)
            .collect();
        assert_eq!(changed.len(), 1, "{compared}");
        assert_eq!(
            (
                &changed[0]["item"],
                &changed[0]["from_status"],
                &changed[0]["to_status"],
                &changed[0]["from_maturity"],
                &changed[0]["to_maturity"]
            ),
            (
                &json!(11),
                &json!("in_progress"),
                &json!("in_place"),
                &json!(2),
                &json!(3)
            )
        );
        // Another State's assessment is not there to compare with.
        let france = app.user(Role::FocalPoint, Some("FRA"));
        let theirs = create(app, &france, json!({"year": 2026, "language": "fr"})).json();
        app.get_as(
            &kenya.token,
            &format!(
                "/api/v1/assessments/{next_id}/compare?with={}",
                theirs["id"].as_str().unwrap()
            ),
        )
        .problem(404);
    });
}

/// The open items, each with other entities' practices for it: those
/// mainly about it first, the reader's language first within them; never
/// the State's own; items in place or inapplicable are no gaps.
#[test]
fn gaps_lead_to_what_other_states_shared() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        let practice = |entity: &str, language: &str, title: &str, body: &str, items: Value| {
            app.accept_new(
                &editor,
                &json!({"entity": entity, "language": language, "title": title,
                    "practices": [{"title": title, "body": body, "items": items}]}),
            )
        };
        practice(
            "EST",
            "en",
            "CERT-EE",
            "The national computer emergency response team handles incidents.",
            json!([11]),
        );
        practice(
            "FRA",
            "fr",
            "CERT-FR",
            "L'équipe nationale de réponse aux incidents informatiques traite les incidents.",
            json!([11]),
        );
        practice(
            "KEN",
            "en",
            "KE-CIRT",
            "Kenya's national computer incident response team.",
            json!([11]),
        );
        practice(
            "DEU",
            "en",
            "National cybersecurity strategy",
            "The national cybersecurity strategy sets goals, measures progress against them and fits regional and international initiatives.",
            json!([4, 11]),
        );
        app.wait_for_total("", 4);
        let made = create(app, &kenya, json!({"year": 2026, "language": "en"})).json();
        let id = made["id"].as_str().unwrap().to_owned();
        let saved = put(
            app,
            &kenya,
            &id,
            "\"v1\"",
            json!([{"item": 4, "status": "in_place"}, {"item": 5, "status": "not_applicable"},
                   {"item": 11, "status": "in_progress"}]),
        );
        assert_eq!(saved.status, 200, "{}", saved.body);
        let gaps = app
            .get_as(
                &kenya.token,
                &format!("/api/v1/assessments/{id}/gaps?lang=fr"),
            )
            .json();
        let items: Vec<u64> = gaps["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["item"].as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = (1..=18).filter(|n| ![4, 5].contains(n)).collect();
        assert_eq!(items, expected);
        let eleven = gaps["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["item"] == 11)
            .unwrap();
        assert_eq!(eleven["status"], "in_progress");
        let entities: Vec<&str> = eleven["recommended"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["entity"].as_str().unwrap())
            .collect();
        assert_eq!(entities, ["FRA", "EST", "DEU"], "{eleven}");
        let why = eleven["recommended"][0]["why"].as_str().unwrap();
        assert!(why.contains("11") && why.contains("français"), "{why}");
        assert!(!eleven["recommended"][2]["why"]
            .as_str()
            .unwrap()
            .contains("français"));
        let four = app
            .get_as(&kenya.token, &format!("/api/v1/assessments/{id}/gaps"))
            .json();
        assert!(four["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["item"] != 4));
    });
}

/// An answered item becomes a draft submission of the State, which then
/// follows the normal workflow.
#[test]
fn an_answered_item_becomes_a_draft_submission() {
    each_backend(|app| {
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        let made = create(app, &kenya, json!({"year": 2026, "language": "en"})).json();
        let id = made["id"].as_str().unwrap().to_owned();
        put(
            app,
            &kenya,
            &id,
            "\"v1\"",
            json!([{"item": 11, "status": "in_place",
                "narrative": "KE-CIRT/CC coordinates the national response to incidents.",
                "evidence": ["https://www.ke-cirt.go.ke/"]}]),
        );
        post(
            app,
            &kenya,
            &format!("/api/v1/assessments/{id}/items/5/draft"),
        )
        .problem(409);
        post(
            app,
            &kenya,
            &format!("/api/v1/assessments/{id}/items/19/draft"),
        )
        .problem(400);
        let france = app.user(Role::FocalPoint, Some("FRA"));
        post(
            app,
            &france,
            &format!("/api/v1/assessments/{id}/items/11/draft"),
        )
        .problem(404);
        let drafted = post(
            app,
            &kenya,
            &format!("/api/v1/assessments/{id}/items/11/draft"),
        );
        assert_eq!(drafted.status, 201, "{}", drafted.body);
        let location = drafted.header("location").unwrap().to_owned();
        let submission = app.get_as(&kenya.token, &location).json();
        assert_eq!(submission["status"], "draft");
        assert_eq!(submission["entity"], "KEN");
        let practice = &submission["practices"][0];
        assert_eq!(practice["items"], json!([11]));
        let body = practice["body"].as_str().unwrap();
        assert!(
            body.contains("coordinates the national response")
                && body.contains("https://www.ke-cirt.go.ke/")
        );
        let submitted = post(app, &kenya, &format!("{location}/submit"));
        assert_eq!(submitted.status, 200, "{}", submitted.body);
        let events = app
            .get_as(&kenya.token, &format!("/api/v1/assessments/{id}/events"))
            .json();
        assert!(
            events.to_string().contains("drafted as submission"),
            "{events}"
        );
    });
}

/// The Secretariat takes stock from shared assessments only, each State's
/// latest, and sees a region's figure only where three States shared one.
#[test]
fn the_secretariat_takes_stock_without_exposing_a_state() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        let assess = |code: &str, year: i64, eleven: &str, share: bool| {
            let focal = app.user(Role::FocalPoint, Some(code));
            let made = create(
                app,
                &focal,
                json!({"year": year, "language": "en", "blank": true}),
            )
            .json();
            let id = made["id"].as_str().unwrap().to_owned();
            let saved = put(
                app,
                &focal,
                &id,
                "\"v1\"",
                json!([{"item": 11, "status": eleven}]),
            );
            assert_eq!(saved.status, 200, "{}", saved.body);
            if share {
                assert_eq!(
                    post(app, &focal, &format!("/api/v1/assessments/{id}/share")).status,
                    200
                );
            }
        };
        assess("KEN", 2026, "in_place", true);
        assess("GHA", 2026, "in_place", true);
        // Senegal's latest shared assessment counts, not its earlier one.
        assess("SEN", 2025, "in_place", true);
        assess("SEN", 2026, "in_progress", true);
        // Nigeria did not share: not counted.
        assess("NGA", 2026, "in_place", false);
        assess("FRA", 2026, "in_place", true);
        assess("DEU", 2026, "in_place", true);
        let stock = app
            .get_as(&editor.token, "/api/v1/coverage/self-assessments")
            .json();
        assert_eq!(stock["min_states"], 3);
        let eleven = &stock["items"][10];
        assert_eq!(eleven["item"], 11);
        let cell = |region: &str| {
            eleven["cells"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["region"] == region)
                .cloned()
                .unwrap()
        };
        assert_eq!(
            cell("africa"),
            json!({"region": "africa", "states": 3, "in_place": 2})
        );
        assert_eq!(cell("europe"), json!({"region": "europe", "states": 2}));
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        app.get_as(&kenya.token, "/api/v1/coverage/self-assessments")
            .problem(403);

        // The same figures on the desk's coverage page.
        let mut desk = crate::desk::Browser::signed_in(app, &editor);
        let page = desk.get("/desk/coverage?lang=en");
        assert_eq!(page.status, 200);
        let row = page
            .body
            .split("<tr>")
            .find(|row| row.contains("<th scope=\"row\">11. "))
            .expect("item 11's row")
            .to_owned();
        assert!(row.contains("2 of 3"), "{row}");
        assert!(row.contains("fewer than 3 States"), "{row}");
    });
}

/// A year after a State completes its assessment, its focal points are
/// reminded once, in the assessment's language, with a link to it at the
/// desk; an assessment completed recently, or another State's focal
/// points, hear nothing.
#[test]
fn a_year_after_completion_the_state_is_reminded_once() {
    use diesel::RunQueryDsl;
    use std::time::Duration;

    let Some(smtp) = crate::smtp::SmtpServer::start() else {
        return;
    };
    for backend in crate::helpers::backends() {
        let url = smtp.url();
        let app = TestApp::spawn_with(backend, |s| {
            s.mail.smtp_url = Some(url);
            s.mail.reminder_check_seconds = 1;
            s.http.public_url = "https://compendium.un.example".to_owned();
        });
        let before = smtp.messages().len();
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        let colleague = app.user(Role::FocalPoint, Some("KEN"));
        app.user(Role::FocalPoint, Some("FRA"));
        let mut ids = Vec::new();
        for year in [2025, 2026] {
            let made = create(&app, &kenya, json!({"year": year, "language": "fr"}));
            assert_eq!(made.status, 201, "{}", made.body);
            let id = made.json()["id"].as_str().unwrap().to_owned();
            let done = post(&app, &kenya, &format!("/api/v1/assessments/{id}/complete"));
            assert_eq!(done.status, 200, "{}", done.body);
            ids.push(id);
        }
        // The 2025 assessment was completed thirteen months ago.
        let store = compendium::store::Store::open(&app.settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        let completed = (compendium::domain::clock::now() - chrono::Duration::days(395))
            .naive_utc()
            .format("%Y-%m-%d %H:%M:%S");
        diesel::sql_query(format!(
            "UPDATE assessments SET completed_at = '{completed}' WHERE id = '{}'",
            ids[0]
        ))
        .execute(&mut *connection)
        .unwrap();
        drop(connection);

        smtp.wait_for(before + 2, Duration::from_secs(20));
        // A few more rounds: nothing more is sent.
        std::thread::sleep(Duration::from_millis(2_500));
        let messages = &smtp.messages()[before..];
        assert_eq!(
            messages.len(),
            2,
            "{backend:?}: one mail per focal point, once"
        );
        let mut recipients: Vec<&str> = messages
            .iter()
            .map(|m| crate::smtp::header(m, "To").unwrap())
            .collect();
        recipients.sort();
        let mut expected = vec![kenya.email.as_str(), colleague.email.as_str()];
        expected.sort();
        assert_eq!(recipients, expected);
        let text = crate::smtp::decoded_parts(&messages[0]);
        assert!(crate::smtp::subject(&messages[0]).contains("2025"));
        assert!(text.contains("auto-évaluation"), "{text}");
        assert!(
            text.contains(&format!(
                "https://compendium.un.example/desk/assessments/{}?lang=fr",
                ids[0]
            )),
            "{text}"
        );
    }
}

/// The desk's door to the same rules: a State's assessment is its own
/// (another State's focal points get 404, editors 404 until it is shared,
/// and then read it without a form and cannot change it), every form
/// carries the session's CSRF token, a form made from an older version is
/// refused, and a refused form keeps what was typed.
#[test]
fn the_desk_keeps_an_assessment_private_and_bound_to_the_version_shown() {
    use crate::desk::{field, Browser};
    each_backend(|app| {
        let kenya = app.user(Role::FocalPoint, Some("KEN"));
        let france = app.user(Role::FocalPoint, Some("FRA"));
        let union = app.user(Role::FocalPoint, Some("AU"));
        let editor = app.user(Role::Editor, None);
        let mut desk = Browser::signed_in(app, &kenya);
        let csrf = desk.csrf();
        let started = desk.post(
            "/desk/assessments?lang=en",
            &[("csrf", &csrf), ("year", "2026"), ("language", "fr")],
        );
        assert_eq!(started.status, 303, "{}", started.body);
        let page = started.header("location").unwrap().to_owned();
        let id = page
            .trim_start_matches("/desk/assessments/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let again = desk.post(
            "/desk/assessments?lang=en",
            &[("csrf", &csrf), ("year", "2026"), ("language", "fr")],
        );
        assert_eq!(again.status, 409, "one a year");
        let shown = desk.get(&format!("/desk/assessments/{id}?lang=en"));
        assert_eq!(shown.status, 200);
        assert_eq!(field(&shown.body, "version").as_deref(), Some("1"));

        let path = format!("/desk/assessments/{id}?lang=en");
        let save = |desk: &mut Browser<'_>, csrf: &str, version: &str, evidence: &str| {
            desk.post(
                &path,
                &[
                    ("csrf", csrf),
                    ("version", version),
                    ("answers.5.status", "in_place"),
                    ("answers.5.narrative", "Une loi de 2018."),
                    ("answers.5.evidence", evidence),
                    ("answers.5.maturity", "4"),
                    ("command", "save"),
                ],
            )
        };
        assert_eq!(
            save(&mut desk, "forged", "1", "").status,
            403,
            "no CSRF token, no change"
        );
        let refused = save(&mut desk, &csrf, "1", "ftp://files.example/law");
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("form-errors"));
        assert!(
            refused.body.contains("ftp://files.example/law"),
            "what was typed is shown again"
        );
        let saved = save(&mut desk, &csrf, "1", "https://lois.example/2018");
        assert_eq!(saved.status, 303, "{}", saved.body);
        let api = app.get_as(&kenya.token, &format!("/api/v1/assessments/{id}"));
        assert_eq!(api.header("etag"), Some("\"v2\""));
        let item5 = answer_to(&api.json(), 5);
        assert_eq!(item5["status"], "in_place");
        assert_eq!(item5["maturity"], 4);
        assert_eq!(item5["evidence"], json!(["https://lois.example/2018"]));
        // A second tab still showing version 1.
        let stale = save(&mut desk, &csrf, "1", "https://lois.example/other");
        assert_eq!(stale.status, 412, "{}", stale.body);

        // Others see nothing; the Secretariat once it is shared.
        for outsider in [&france, &union, &editor] {
            let mut other = Browser::signed_in(app, outsider);
            assert_eq!(other.get(&path).status, 404, "{}", outsider.email);
            assert_eq!(
                other.get(&format!("/desk/assessments/{id}/gaps")).status,
                404
            );
        }
        let shared = desk.post(
            &format!("/desk/assessments/{id}/share?lang=en"),
            &[("csrf", &csrf), ("version", "2")],
        );
        assert_eq!(shared.status, 303, "{}", shared.body);
        let mut secretariat = Browser::signed_in(app, &editor);
        let read = secretariat.get(&path);
        assert_eq!(read.status, 200);
        assert!(read.body.contains("Une loi de 2018."));
        assert!(!read.body.contains("assessment-form"), "read only");
        let theirs = secretariat.csrf();
        assert_eq!(save(&mut secretariat, &theirs, "3", "").status, 403);
        let list = secretariat.get("/desk/assessments?lang=en");
        assert!(list.body.contains(&id));
        assert_eq!(
            desk.post(
                &format!("/desk/assessments/{id}/unshare?lang=en"),
                &[("csrf", &csrf), ("version", "3")],
            )
            .status,
            303
        );
        assert_eq!(secretariat.get(&path).status, 404);
        // Exports, at the desk as through the API.
        let markdown = desk.get(&format!("/desk/assessments/{id}/export?format=md"));
        assert_eq!(markdown.status, 200);
        assert!(markdown.body.contains("Une loi de 2018."));
        assert_eq!(markdown.header("cache-control"), Some("no-store"));
    });
}
