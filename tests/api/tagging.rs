//! Annex-item suggestions: on saved practices, for any text in the six
//! languages, learned from editors' decisions, measured on the project's
//! labelled set by the command that editors and CI run.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use compendium::domain::account::Role;

use crate::helpers::{backends, error_fields, TestApp};

fn items_of(suggestions: &Value) -> Vec<u64> {
    suggestions
        .as_array()
        .expect("a list of suggestions")
        .iter()
        .map(|s| s["item"].as_u64().expect("an item number"))
        .collect()
}

#[test]
fn saved_practices_carry_explained_suggestions_and_keep_them_in_their_versions() {
    for backend in backends() {
        let app = TestApp::spawn(backend);
        let focal = app.user(Role::FocalPoint, Some("KEN"));
        let draft = json!({
            "language": "en",
            "title": "Best practices of Kenya",
            "practices": [
                {"title": "National KE-CIRT/CC",
                 "body": "The national **computer incident response team** protects government networks.",
                 "items": [11]},
                {"title": "Cyber hygiene for schools",
                 "body": "An awareness campaign reaches children and parents.",
                 "items": []}
            ]
        });
        let created = app.post_as(&focal.token, "/api/v1/submissions", &draft);
        assert_eq!(created.status, 201, "{backend:?}: {}", created.body);
        let practices = created.json()["practices"].clone();
        let first = &practices[0]["suggested_items"];
        assert_eq!(items_of(first)[0], 11, "{backend:?}: {first}");
        assert!(first[0]["score"].as_f64().unwrap() > 0.5);
        let reasons: Vec<&str> = first[0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            reasons.contains(&"computer incident response team"),
            "reasons quote the practice's words, without its Markdown: {reasons:?}"
        );
        assert_eq!(
            items_of(&practices[1]["suggested_items"])[0],
            18,
            "{backend:?}"
        );

        // An edit recomputes them; the first version keeps what it showed.
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let mut edited = draft.clone();
        edited["practices"][0]["body"] =
            json!("Mutual legal assistance with foreign counterparts in transnational cases.");
        let updated = app.call_with(
            "PUT",
            &format!("/api/v1/submissions/{id}"),
            Some(&focal.token),
            Some(&edited),
            &[("If-Match", "\"v1\"")],
        );
        assert_eq!(updated.status, 200, "{backend:?}: {}", updated.body);
        assert_eq!(
            items_of(&updated.json()["practices"][0]["suggested_items"])[0],
            17
        );
        let version = app.get_as(
            &focal.token,
            &format!("/api/v1/submissions/{id}/versions/1"),
        );
        assert_eq!(version.status, 200, "{}", version.body);
        assert_eq!(
            items_of(&version.json()["practices"][0]["suggested_items"])[0],
            11
        );
    }
}

#[test]
fn the_endpoint_answers_in_all_six_languages() {
    let app = TestApp::spawn(backends()[0]);
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    for (language, title, body, item) in [
        (
            "en",
            "Cybercrime unit",
            "Prosecutors and judges are trained in digital evidence.",
            14,
        ),
        (
            "fr",
            "Sensibilisation",
            "Une campagne de sensibilisation pour les enfants et les élèves.",
            18,
        ),
        (
            "es",
            "Ley",
            "La ley de delitos informáticos y la protección de datos personales.",
            13,
        ),
        (
            "ru",
            "Стратегия",
            "Национальная стратегия кибербезопасности определяет цели и показатели.",
            4,
        ),
        (
            "ar",
            "الشراكة",
            "الشراكة بين القطاعين العام والخاص لتبادل المعلومات.",
            8,
        ),
        (
            "zh",
            "风险评估",
            "关键信息基础设施运营者每年开展网络安全风险评估。",
            2,
        ),
    ] {
        let answer = app.post_as(
            &focal.token,
            "/api/v1/tagging/suggest",
            &json!({"title": title, "body": body, "language": language}),
        );
        assert_eq!(answer.status, 200, "{language}: {}", answer.body);
        let suggestions = &answer.json()["suggestions"];
        assert_eq!(items_of(suggestions)[0], item, "{language}: {suggestions}");
        assert!(!suggestions[0]["reasons"].as_array().unwrap().is_empty());
    }
}

#[test]
fn suggestions_name_their_concepts_in_the_language_asked_for() {
    let app = TestApp::spawn(backends()[0]);
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    let text = json!({
        "title": "Équipe nationale",
        "body": "L'équipe de réponse aux incidents informatiques aide les hôpitaux face aux rançongiciels.",
        "language": "fr"
    });
    let concepts = |answer: &Value| -> Vec<(String, String)> {
        answer["suggestions"]
            .as_array()
            .expect("suggestions")
            .iter()
            .flat_map(|s| s["concepts"].as_array().cloned().unwrap_or_default())
            .map(|c| {
                (
                    c["concept"].as_str().unwrap().to_owned(),
                    c["label"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let in_french = app.post_as(&focal.token, "/api/v1/tagging/suggest", &text);
    assert_eq!(in_french.status, 200, "{}", in_french.body);
    let french = concepts(&in_french.json());
    assert!(!french.is_empty(), "{}", in_french.body);
    let in_chinese = app.post_as(&focal.token, "/api/v1/tagging/suggest?lang=zh", &text);
    assert_eq!(in_chinese.status, 200, "{}", in_chinese.body);
    let chinese = concepts(&in_chinese.json());
    // The same concepts, named in Chinese.
    assert_eq!(
        french.iter().map(|(c, _)| c).collect::<Vec<_>>(),
        chinese.iter().map(|(c, _)| c).collect::<Vec<_>>()
    );
    assert!(
        chinese.iter().all(|(_, label)| label
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
        "{chinese:?}"
    );
    let unknown = app.post_as(&focal.token, "/api/v1/tagging/suggest?lang=xx", &text);
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert!(unknown
        .header("content-type")
        .is_some_and(|t| t.contains("problem+json")));
}

#[test]
fn the_endpoint_refuses_what_it_cannot_read() {
    let app = TestApp::spawn(backends()[0]);
    let body = json!({"title": "t", "body": "CSIRT", "language": "en"});
    assert_eq!(app.post_json("/api/v1/tagging/suggest", &body).status, 401);
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    let bad = app.post_as(
        &focal.token,
        "/api/v1/tagging/suggest",
        &json!({"title": " ", "body": "", "language": "de"}),
    );
    assert_eq!(
        error_fields(&bad.problem(422)),
        ["title", "body", "language"]
    );
    let unknown = app.post_as(
        &focal.token,
        "/api/v1/tagging/suggest",
        &json!({"title": "t", "body": "b", "language": "en", "items": [1]}),
    );
    unknown.problem(400);
    let nothing = app.post_as(
        &focal.token,
        "/api/v1/tagging/suggest",
        &json!({"title": "Hello", "body": "The weather was fine.", "language": "en"}),
    );
    assert_eq!(nothing.status, 200);
    assert_eq!(nothing.json()["suggestions"], json!([]));
}

#[test]
fn editors_see_how_often_they_kept_the_top_suggestion_and_the_model_learns() {
    for backend in backends() {
        let app = TestApp::spawn_with(backend, |s| s.tagging.learn_seconds = 1);
        let editor = app.user(Role::Editor, None);
        let focal = app.user(Role::FocalPoint, Some("FRA"));
        // Editors keep the suggestion for the CSIRT, and tag a term the
        // lexicon does not know ("Zephyr") as item 17, again and again.
        app.accept_new(
            &editor,
            &json!({"entity": "FRA", "language": "en", "title": "CERT-FR", "practices": [
                {"title": "National CSIRT", "body": "The computer emergency response team.", "items": [11]}
            ]}),
        );
        let zephyr: Vec<Value> = (0..12)
            .map(|i| {
                json!({"title": format!("Operation Zephyr {i}"),
                            "body": format!("Operation Zephyr, phase {i}."), "items": [17]})
            })
            .collect();
        app.accept_new(
            &editor,
            &json!({"entity": "FRA", "language": "en", "title": "Zephyr", "practices": zephyr}),
        );

        assert_eq!(
            app.get_as(&focal.token, "/api/v1/tagging/stats").status,
            403
        );
        let stats = app.get_as(&editor.token, "/api/v1/tagging/stats");
        assert_eq!(stats.status, 200, "{}", stats.body);
        let stats = stats.json();
        // The CSIRT's top suggestion was kept; no Zephyr practice had 17
        // suggested (the lexicon cannot know the name).
        let decisions = stats["decisions"].as_u64().unwrap();
        assert_eq!(
            decisions + stats["without_suggestions"].as_u64().unwrap(),
            13,
            "{backend:?}: {stats}"
        );
        assert_eq!(stats["top_accepted"], 1, "{stats}");
        assert_eq!(stats["by_language"]["en"]["decisions"], decisions);

        // Within a few seconds the model has learned from the 13 decisions.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let answer = app.post_as(
                &focal.token,
                "/api/v1/tagging/suggest",
                &json!({"title": "Zephyr", "body": "Operation Zephyr continues.", "language": "en"}),
            );
            let suggestions = answer.json()["suggestions"].clone();
            if suggestions.get(0).is_some_and(|s| s["item"] == 17) {
                assert!(
                    suggestions[0]["reasons"]
                        .as_array()
                        .unwrap()
                        .contains(&json!("Zephyr")),
                    "{suggestions}"
                );
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{backend:?}: not learned: {suggestions}"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        let stats = app.get_as(&editor.token, "/api/v1/tagging/stats").json();
        assert_eq!(stats["learned_from"], 13, "{stats}");
    }
}

fn evaluate(args: &[&str]) -> (bool, Value, String) {
    let output = Command::new(crate::process::BINARY)
        .arg("tagging-eval")
        .args(args)
        .arg("--json")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (
        output.status.success(),
        report,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The project's labelled set (tests/data, both parts): the thresholds of
/// the issue on the whole set, with the lexicon alone.
#[test]
fn the_labelled_set_meets_the_thresholds_in_every_language() {
    let (passed, report, errors) = evaluate(&[
        "tests/data/tagging-dev.jsonl",
        "tests/data/tagging-holdout.jsonl",
        "--require-top1",
        "0.80",
        "--require-top3",
        "0.90",
        "--require-language-top1",
        "0.70",
    ]);
    assert!(passed, "{errors}\n{report:#}");
    assert!(report["overall"]["practices"].as_u64().unwrap() >= 150);
    for language in ["ar", "zh", "fr", "ru", "es"] {
        assert!(
            report["by_language"][language]["practices"]
                .as_u64()
                .unwrap()
                >= 15
        );
    }
    assert_eq!(report["by_section"].as_object().unwrap().len(), 7);
}

/// The held-out part, never used to choose a lexicon entry: what a new
/// reply can expect. Its own floor guards against regressions.
#[test]
fn the_held_out_practices_are_tagged_as_well_as_promised() {
    let (passed, report, errors) = evaluate(&[
        "tests/data/tagging-holdout.jsonl",
        "--require-top1",
        "0.80",
        "--require-top3",
        "0.85",
        "--require-language-top1",
        "0.70",
    ]);
    assert!(passed, "{errors}\n{report:#}");
}

/// The concept layer's labelled set (`tests/data/concepts`), read in its
/// own format: the held-out split, never tuned on, keeps its floor.
#[test]
fn the_concept_set_s_held_out_split_keeps_its_floor() {
    let (passed, report, errors) = evaluate(&[
        "tests/data/concepts/practices.jsonl",
        "--split",
        "heldout",
        "--require-top1",
        "0.75",
        "--require-language-top1",
        "0.60",
    ]);
    assert!(passed, "{errors}\n{report:#}");
    assert_eq!(report["overall"]["practices"].as_u64(), Some(119));
    assert!(report["overall"]["main_item_in_top3"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_file_that_is_not_the_import_format_is_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.jsonl");
    std::fs::write(&file, "{\"entity\":\"FRA\"}\n").unwrap();
    let (passed, _, errors) = evaluate(&[file.to_str().unwrap()]);
    assert!(!passed);
    assert!(errors.contains("line 1"), "{errors}");
}
