//! `compendium import` and `compendium export`, run as the Secretariat
//! would, on both backends.

use std::path::Path;
use std::process::{Command, Output};

use compendium::config::Settings;
use compendium::store::{catalogue, submissions, Store};

use crate::helpers::{backends, Backend, ScratchDatabase, TestApp};

const BINARY: &str = env!("CARGO_BIN_EXE_compendium");

fn run(data_dir: &Path, database: Option<&ScratchDatabase>, args: &[&str]) -> Output {
    let mut command = Command::new(BINARY);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("COMPENDIUM_DATA_DIR", data_dir)
        .args(args);
    if let Some(database) = database {
        command.env("COMPENDIUM_DATABASE_URL", &database.url);
    }
    command.output().expect("the binary runs")
}

fn settings(data_dir: &Path, database: Option<&ScratchDatabase>) -> Settings {
    let mut settings = Settings::default();
    settings.storage.data_dir = data_dir.to_owned();
    settings.storage.database_url = database.map(|d| d.url.clone());
    settings
}

fn counts(settings: &Settings) -> (i64, i64) {
    let store = Store::open(settings).unwrap();
    let mut connection = store.blocking_connection().unwrap();
    (
        submissions::count(&mut connection).unwrap(),
        catalogue::count(&mut connection).unwrap(),
    )
}

const GOOD_ACCEPTED: &str = r#"{"entity":"FRA","language":"fr","title":"Bonnes pratiques de la France (2019)","status":"accepted","received_at":"2019-03-02T12:00:00Z","practices":[{"title":"ANSSI","body":"agence de coordination gestion des incidents","items":[10],"translations":[{"language":"en","title":"ANSSI","body":"national agency coordinating incident handling"}]},{"title":"CERT-FR","body":"équipe nationale de réponse aux incidents informatiques","items":[11],"sectors":["government"]}]}"#;
const GOOD_SUBMITTED: &str = r#"{"entity":"AU","language":"en","title":"Best practices of AU (2021)","practices":[{"title":"Malabo Convention","body":"legislation cybercrime data protection","items":[13,17]}]}"#;
const GOOD_ARABIC: &str = r#"{"entity":"EGY","language":"ar","title":"أفضل الممارسات","status":"accepted","received_at":"2024-07-01T12:00:00Z","practices":[{"title":"حملة توعية","body":"حملة توعية الأطفال ثقافة الأمن السيبراني","items":[18]}]}"#;
const BAD_ENTITY: &str =
    r#"{"entity":"XYZ","language":"en","title":"t","practices":[{"title":"t","body":"b"}]}"#;
const BAD_TRANSLATION: &str = r#"{"entity":"FRA","language":"fr","title":"t","practices":[{"title":"t","body":"b","translations":[{"language":"fr","title":"t","body":"b"},{"language":"de","title":"t","body":"b"}]}]}"#;
const BAD_ITEMS: &str = r#"{"entity":"FRA","language":"en","title":"t","practices":[{"title":"t","body":"b","items":[0]}]}"#;

fn write_file(dir: &Path, lines: &[&str]) -> std::path::PathBuf {
    let path = dir.join("replies.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn import_stores_the_good_lines_and_reports_each_bad_one() {
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap();
        let database = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let file = write_file(
            dir.path(),
            &[
                GOOD_ACCEPTED,
                BAD_ENTITY,
                GOOD_SUBMITTED,
                "{not json",
                BAD_ITEMS,
                "",
                GOOD_ARABIC,
                BAD_TRANSLATION,
            ],
        );
        let file = file.to_str().unwrap();

        let dry = run(
            dir.path(),
            database.as_ref(),
            &["import", file, "--dry-run"],
        );
        let stdout = String::from_utf8_lossy(&dry.stdout);
        assert!(
            stdout.contains("checked (dry run, nothing stored): 3 submissions with 4 practices"),
            "{backend:?}: {stdout}"
        );
        let settings = settings(dir.path(), database.as_ref());
        assert_eq!(
            counts(&settings),
            (0, 0),
            "{backend:?}: a dry run stores nothing"
        );

        let output = run(dir.path(), database.as_ref(), &["import", file]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{backend:?}: refused lines make the exit status 1"
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stdout.contains("imported: 3 submissions with 4 practices from 8 lines"),
            "{backend:?}: {stdout}"
        );
        assert!(stdout.contains("4 lines refused"), "{stdout}");
        assert!(
            stderr.contains(
                "line 8: practices[0].translations[0].language: the practice is written in fr"
            ) && stderr.contains("practices[0].translations[1].language: unknown language 'de'"),
            "{stderr}"
        );
        assert!(
            stderr.contains("line 2: entity: there is no entity XYZ"),
            "{stderr}"
        );
        assert!(stderr.contains("line 4: not a submission line"), "{stderr}");
        assert!(stderr.contains("line 5: practices[0].items[0]"), "{stderr}");
        assert_eq!(
            counts(&settings),
            (3, 3),
            "{backend:?}: three submissions, three accepted practices"
        );
        if let Some(database) = &database {
            // The planner saw the import (PostgreSQL): a page read by ids
            // right after it is not planned for empty tables.
            let analysed = Command::new("psql")
                .arg(&database.url)
                .args(["-Atc", "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('practices', 'submissions', 'catalogue_changes') AND last_analyze IS NOT NULL"])
                .output()
                .expect("psql runs");
            assert_eq!(String::from_utf8_lossy(&analysed.stdout).trim(), "3");
        }
    }
}

#[test]
fn an_export_imported_into_an_empty_database_reproduces_the_catalogue() {
    for backend in backends() {
        let first_dir = tempfile::tempdir().unwrap();
        let first_db = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let file = write_file(
            first_dir.path(),
            &[GOOD_ACCEPTED, GOOD_SUBMITTED, GOOD_ARABIC],
        );
        assert!(run(
            first_dir.path(),
            first_db.as_ref(),
            &["import", file.to_str().unwrap()]
        )
        .status
        .success());
        let exported = first_dir.path().join("export.jsonl");
        let output = run(
            first_dir.path(),
            first_db.as_ref(),
            &["export", exported.to_str().unwrap()],
        );
        assert!(
            output.status.success(),
            "{backend:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("exported 3 submissions"));
        let text = std::fs::read_to_string(&exported).unwrap();
        assert!(
            text.contains(r#""translations":[{"language":"en","title":"ANSSI","body":"national agency coordinating incident handling","origin":"focal_point"}]"#),
            "{text}"
        );

        let second_dir = tempfile::tempdir().unwrap();
        let second_db = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let output = run(
            second_dir.path(),
            second_db.as_ref(),
            &["import", exported.to_str().unwrap()],
        );
        assert!(
            output.status.success(),
            "{backend:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let again = second_dir.path().join("again.jsonl");
        assert!(run(
            second_dir.path(),
            second_db.as_ref(),
            &["export", again.to_str().unwrap()]
        )
        .status
        .success());
        assert_eq!(
            std::fs::read_to_string(&exported).unwrap(),
            std::fs::read_to_string(&again).unwrap(),
            "{backend:?}: export → import → export is the identity"
        );

        // The imported catalogue is public, dated when the reply was received.
        let settings = settings(second_dir.path(), second_db.as_ref());
        let store = Store::open(&settings).unwrap();
        let mut connection = store.blocking_connection().unwrap();
        let page = compendium::domain::page::Page {
            limit: 10,
            after: None,
        };
        let filter = submissions::ListFilter {
            entities: Some(vec!["EGY".to_owned()]),
            statuses: vec![],
            ..Default::default()
        };
        let egypt = &submissions::list(&mut connection, &filter, &page).unwrap()[0].submission;
        let practice = submissions::find(&mut connection, &egypt.id)
            .unwrap()
            .unwrap()
            .practices[0]
            .id
            .clone();
        drop(connection);
        let app = TestApp::spawn_with(backend, |s| {
            s.storage.data_dir = second_dir.path().to_owned();
            s.storage.database_url = second_db.as_ref().map(|d| d.url.clone());
        });
        let public = app.get(&format!("/api/v1/practices/{practice}")).json();
        assert_eq!(public["language"], "ar");
        assert_eq!(public["accepted_at"], "2024-07-01T12:00:00Z");
        assert_eq!(public["entity_name"], "Egypt");
    }
}
