//! The command line, run as a user would: the built binary, a temporary
//! data directory, real signals.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{backends, Backend, ScratchDatabase};

fn command(data_dir: &std::path::Path, database: Option<&ScratchDatabase>) -> Command {
    crate::process::command(data_dir, database, &[])
}

#[test]
fn migrate_applies_once_then_has_nothing_to_do() {
    for backend in backends() {
        let data_dir = tempfile::tempdir().unwrap();
        let database = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let first = command(data_dir.path(), database.as_ref())
            .arg("migrate")
            .output()
            .unwrap();
        assert!(
            first.status.success(),
            "{backend:?}: {}",
            String::from_utf8_lossy(&first.stderr)
        );
        assert!(
            String::from_utf8_lossy(&first.stdout).contains("applied"),
            "{backend:?}"
        );
        let second = command(data_dir.path(), database.as_ref())
            .arg("migrate")
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&second.stdout).contains("no pending migrations"),
            "{backend:?}"
        );
        if backend == Backend::Sqlite {
            assert!(data_dir.path().join("compendium.sqlite3").exists());
        }
    }
}

#[test]
fn replicas_migrating_at_once_do_not_race() {
    for backend in backends() {
        let data_dir = tempfile::tempdir().unwrap();
        let database = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let children: Vec<_> = (0..4)
            .map(|_| {
                command(data_dir.path(), database.as_ref())
                    .arg("migrate")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        for output in &outputs {
            assert!(
                output.status.success(),
                "{backend:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let applied = outputs
            .iter()
            .filter(|o| String::from_utf8_lossy(&o.stdout).contains("applied"))
            .count();
        assert_eq!(
            applied, 1,
            "{backend:?}: exactly one process applies the migrations"
        );
    }
}

/// A setting the server cannot read stops it at start, naming the setting,
/// rather than mailing the Secretariat in a language nobody chose.
#[test]
fn serve_refuses_a_secretariat_language_that_is_not_a_un_language() {
    let data_dir = tempfile::tempdir().unwrap();
    let refused = command(data_dir.path(), None)
        .env("COMPENDIUM_BIND", "127.0.0.1:0")
        .env("COMPENDIUM_SECRETARIAT_LANGUAGE", "de")
        .arg("serve")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("COMPENDIUM_SECRETARIAT_LANGUAGE is not valid"),
        "{said}"
    );
}

#[test]
fn serve_answers_then_stops_gracefully_on_sigterm() {
    let data_dir = tempfile::tempdir().unwrap();
    let mut child = command(data_dir.path(), None)
        .env("COMPENDIUM_BIND", "127.0.0.1:0")
        .arg("serve")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let address = loop {
        assert!(
            Instant::now() < deadline,
            "the server did not report its address"
        );
        let line = lines
            .next()
            .expect("the server logs until it listens")
            .unwrap();
        let event: serde_json::Value = serde_json::from_str(&line).expect("JSON log lines");
        if event["message"] == "listening" {
            break event["address"].as_str().unwrap().to_owned();
        }
    };
    // Ready once the search index has caught up, in the background.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let ready = (0..300).any(|_| {
        let ok = agent
            .get(format!("http://{address}/readyz"))
            .call()
            .is_ok_and(|answer| answer.status() == 200);
        if !ok {
            std::thread::sleep(Duration::from_millis(100));
        }
        ok
    });
    if !ready {
        let _ = child.kill();
    }
    assert!(ready, "the server never became ready");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "a graceful stop exits 0, got {status}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(
        rest.iter().any(|l| l.contains("stopped gracefully")),
        "{rest:?}"
    );
}

#[test]
fn invalid_settings_stop_the_command_with_a_clear_message() {
    let data_dir = tempfile::tempdir().unwrap();
    let output = command(data_dir.path(), None)
        .env("COMPENDIUM_MAX_BODY_BYTES", "a lot")
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("COMPENDIUM_MAX_BODY_BYTES"));
}

#[test]
fn openapi_prints_the_committed_document() {
    let output = Command::new(crate::process::BINARY)
        .arg("openapi")
        .output()
        .unwrap();
    assert!(output.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed["info"]["title"], "Compendium");
}

fn create_user(
    data_dir: &std::path::Path,
    database: Option<&ScratchDatabase>,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = command(data_dir, database)
        .args(["user", "create"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_create_makes_the_first_admin_who_can_sign_in() {
    for backend in backends() {
        let data_dir = tempfile::tempdir().unwrap();
        let database = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let password = "the first admin's password";
        let output = create_user(
            data_dir.path(),
            database.as_ref(),
            &[
                "--email",
                "Admin@UN.org",
                "--name",
                "First Admin",
                "--role",
                "admin",
                "--password-stdin",
            ],
            &format!("{password}\n"),
        );
        assert!(
            output.status.success(),
            "{backend:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("created admin admin@un.org"));

        let generated = create_user(
            data_dir.path(),
            database.as_ref(),
            &[
                "--email",
                "cert@gouv.fr",
                "--name",
                "CERT-FR",
                "--role",
                "focal_point",
                "--entity",
                "FRA",
            ],
            "",
        );
        assert!(
            generated.status.success(),
            "{backend:?}: {}",
            String::from_utf8_lossy(&generated.stderr)
        );
        let stdout = String::from_utf8_lossy(&generated.stdout).to_string();
        let shown = stdout
            .lines()
            .find_map(|l| l.strip_prefix("password (shown once): "))
            .expect("a generated password is printed once")
            .to_owned();

        let failures = [
            (
                vec![
                    "--email",
                    "admin@un.org",
                    "--name",
                    "Again",
                    "--role",
                    "editor",
                ],
                "already exists",
            ),
            (
                vec![
                    "--email",
                    "x@un.org",
                    "--name",
                    "X",
                    "--role",
                    "focal_point",
                    "--entity",
                    "XYZ",
                ],
                "there is no entity XYZ",
            ),
            (
                vec![
                    "--email",
                    "y@un.org",
                    "--name",
                    "Y",
                    "--role",
                    "focal_point",
                ],
                "must be bound to the entity",
            ),
            (
                vec!["--email", "z@un.org", "--name", "Z", "--role", "overlord"],
                "unknown role",
            ),
        ];
        for (args, message) in failures {
            let output = create_user(data_dir.path(), database.as_ref(), &args, "");
            assert!(!output.status.success(), "{backend:?} {args:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains(message), "{backend:?} {args:?}: {stderr}");
        }

        let app = crate::helpers::TestApp::spawn_with(backend, |s| {
            s.storage.data_dir = data_dir.path().to_owned();
            s.storage.database_url = database.as_ref().map(|d| d.url.clone());
            s.auth.argon2_memory_kib = compendium::config::Settings::default()
                .auth
                .argon2_memory_kib;
            s.auth.argon2_iterations = compendium::config::Settings::default()
                .auth
                .argon2_iterations;
        });
        let admin = app.sign_in("admin@un.org", password);
        assert_eq!(
            app.get_as(&admin, "/api/v1/users").json()["items"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let focal = app.sign_in("cert@gouv.fr", &shown);
        assert_eq!(app.get_as(&focal, "/api/v1/me").json()["entity"], "FRA");
    }
}

/// `import --sample` fills an empty catalogue with the sample practices in
/// the six languages and publishes a first compilation; it refuses a
/// catalogue that holds anything.
#[test]
fn the_sample_catalogue_loads_once_into_an_empty_database() {
    for backend in backends() {
        let data_dir = tempfile::tempdir().unwrap();
        let database = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let loaded = command(data_dir.path(), database.as_ref())
            .args(["import", "--sample"])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&loaded.stdout);
        assert!(
            loaded.status.success(),
            "{backend:?}: {out} {}",
            String::from_utf8_lossy(&loaded.stderr)
        );
        assert!(out.contains("181 practices"), "{out}");
        let again = command(data_dir.path(), database.as_ref())
            .args(["import", "--sample"])
            .output()
            .unwrap();
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

        let dir = data_dir.path().to_owned();
        let url = database.as_ref().map(|d| d.url.clone());
        let app = crate::helpers::TestApp::spawn_with(backend, move |s| {
            s.storage.data_dir = dir;
            s.storage.database_url = url;
        });
        let all = app.wait_for_total("", 181);
        assert_eq!(
            all["facets"]["language"].as_object().unwrap().len(),
            6,
            "{backend:?}: six languages"
        );
        assert!(all["facets"]["year"].as_object().unwrap().len() > 3);
        let editions = app.get("/api/v1/compilations").json();
        assert_eq!(editions["items"].as_array().unwrap().len(), 1, "{editions}");
    }
}
