//! `compendium reindex` beside a running server: the server rebuilds its
//! index aside and switches to it at once; searches answer throughout,
//! with the same totals. With no server, the command rebuilds by itself.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use compendium::domain::account::Role;
use serde_json::json;

use crate::helpers::{backends, each_backend, TestApp};

fn reindex(app: &TestApp) -> std::process::Output {
    let database = app
        .settings
        .storage
        .database_url
        .clone()
        .unwrap_or_default();
    let mut env = vec![];
    if !database.is_empty() {
        env.push(("COMPENDIUM_DATABASE_URL", database.as_str()));
    }
    crate::process::command(&app.settings.storage.data_dir, None, &env)
        .args(["reindex", "--wait-seconds", "60"])
        .output()
        .expect("the binary runs")
}

#[test]
fn a_reindex_while_serving_switches_at_once_and_searches_go_on() {
    each_backend(|app| {
        let editor = app.user(Role::Editor, None);
        for n in 0..12 {
            app.accept_new(
                &editor,
                &json!({"entity": "NOR", "language": "en", "title": format!("Reply {n}"),
                    "practices": [{"title": format!("Indexed practice {n}"),
                        "body": "Found before, during and after the rebuild.", "items": [9]}]}),
            );
        }
        app.wait_for_total("q=indexed", 12);

        let stop = AtomicBool::new(false);
        let (output, answers) = std::thread::scope(|scope| {
            let searching = scope.spawn(|| {
                let mut answers = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    let answer = app.get("/api/v1/practices?q=indexed&limit=5");
                    let total = (answer.status == 200).then(|| answer.json()["total"].clone());
                    answers.push((answer.status, total));
                    std::thread::sleep(Duration::from_millis(5));
                }
                answers
            });
            let output = reindex(app);
            stop.store(true, Ordering::SeqCst);
            (output, searching.join().expect("the searches ran"))
        });
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{:?}: {said} {}",
            app.backend,
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains("a server holds the index"), "{said}");
        assert!(
            said.contains("rebuilt while serving by 1 replica"),
            "{said}"
        );
        assert!(answers.len() > 3, "searched {} times", answers.len());
        for (status, total) in &answers {
            assert_eq!(*status, 200);
            assert_eq!(
                total,
                &Some(json!(12)),
                "{:?}: a search during the rebuild",
                app.backend
            );
        }
        app.wait_for_total("q=indexed", 12);
    });
}

#[test]
fn with_no_server_reindex_rebuilds_by_itself() {
    for backend in backends() {
        let mut app = TestApp::spawn(backend);
        let editor = app.user(Role::Editor, None);
        app.accept_new(
            &editor,
            &json!({"entity": "NOR", "language": "en", "title": "Alone",
                "practices": [{"title": "Kept practice", "body": "Rebuilt offline.", "items": [9]}]}),
        );
        app.wait_for_total("q=kept", 1);
        app.stop();
        let output = reindex(&app);
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{said} {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains("reindexed 1 practices"), "{said}");
    }
}
