//! `compendium backup` and `compendium restore`, run as an operator would,
//! against a server taking writes.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use compendium::config::Settings;
use compendium::domain::account::Role;
use compendium::store::{submissions, Store};
use serde_json::json;

use crate::helpers::{backends, Backend, TestApp};

const BINARY: &str = env!("CARGO_BIN_EXE_compendium");

fn compendium(data_dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BINARY)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("COMPENDIUM_DATA_DIR", data_dir)
        .env("COMPENDIUM_LOG_LEVEL", "warn")
        .args(args)
        .output()
        .expect("the command runs")
}

#[test]
fn a_backup_taken_under_write_load_restores_every_acknowledged_submission() {
    let app = TestApp::spawn(Backend::Sqlite);
    let focal = app.user(Role::FocalPoint, Some("FRA"));
    let acknowledged: Mutex<Vec<(Instant, String)>> = Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    let backups = tempfile::tempdir().unwrap();
    let target = backups.path().join("nightly");
    let backup_started = std::thread::scope(|scope| {
        for writer in 0..2 {
            let (app, focal, acknowledged, stop) = (&app, &focal, &acknowledged, &stop);
            scope.spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let answer = app.post_as(
                        &focal.token,
                        "/api/v1/submissions",
                        &json!({"entity": "FRA", "language": "fr", "title": format!("Writer {writer}, {n}"),
                            "practices": [{"title": "Pratique", "body": "Texte.", "items": [11]}]}),
                    );
                    assert_eq!(answer.status, 201, "{}", answer.body);
                    let id = answer.json()["id"].as_str().unwrap().to_owned();
                    acknowledged.lock().unwrap().push((Instant::now(), id));
                    n += 1;
                }
            });
        }
        std::thread::sleep(Duration::from_millis(500));
        let started = Instant::now();
        let output = compendium(
            &app.settings.storage.data_dir,
            &["backup", target.to_str().unwrap()],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("backed up the database"));
        std::thread::sleep(Duration::from_millis(300));
        stop.store(true, Ordering::Relaxed);
        started
    });
    let before: Vec<String> = acknowledged
        .into_inner()
        .unwrap()
        .into_iter()
        .filter(|(at, _)| *at < backup_started)
        .map(|(_, id)| id)
        .collect();
    assert!(
        before.len() > 5,
        "the writers were writing: {}",
        before.len()
    );

    // A backup never goes over anything.
    let again = compendium(
        &app.settings.storage.data_dir,
        &["backup", target.to_str().unwrap()],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

    let restored = tempfile::tempdir().unwrap();
    let output = compendium(restored.path(), &["restore", target.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut settings = Settings::default();
    settings.storage.data_dir = restored.path().to_owned();
    let store = Store::open(&settings).unwrap();
    let mut connection = store.blocking_connection().unwrap();
    for id in &before {
        let found = submissions::find(&mut connection, id).unwrap();
        assert!(
            found.is_some(),
            "submission {id} was acknowledged before the backup began"
        );
    }
    drop(connection);
    drop(store);

    // The restored directory serves, its index rebuilt from the database.
    let served = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.storage.data_dir = restored.path().to_owned()
    });
    let listed = served.get_as(&focal.token, "/api/v1/submissions?limit=100");
    assert_eq!(listed.status, 200, "{}", listed.body);

    // Restoring over a database is refused.
    let twice = compendium(restored.path(), &["restore", target.to_str().unwrap()]);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already holds a database"));
    let not_a_backup = compendium(
        tempfile::tempdir().unwrap().path(),
        &["restore", backups.path().to_str().unwrap()],
    );
    assert!(!not_a_backup.status.success());
}

#[test]
fn postgres_backups_are_left_to_pg_dump() {
    if !backends().contains(&Backend::Postgres) {
        eprintln!("skipped: COMPENDIUM_TEST_DATABASE_URL is not set");
        return;
    }
    let app = TestApp::spawn(Backend::Postgres);
    let url = app.settings.storage.database_url.clone().unwrap();
    let output = Command::new(BINARY)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("COMPENDIUM_DATA_DIR", &app.settings.storage.data_dir)
        .env("COMPENDIUM_DATABASE_URL", url)
        .args([
            "backup",
            tempfile::tempdir()
                .unwrap()
                .path()
                .join("b")
                .to_str()
                .unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("pg_dump"));
}
