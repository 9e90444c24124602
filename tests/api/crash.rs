//! Crash safety: eight clients create, submit and accept submissions while
//! the server is killed with SIGKILL at a random moment; after a restart
//! every answer the clients were given still holds, SQLite's
//! `integrity_check` is ok and the search index catches up to the
//! database. Five kills per backend, each at another moment, on the same
//! database (each restart must also recover from the kills before it).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::helpers::{backends, Backend, ScratchDatabase};
use crate::process::{agent, command, create_user, sign_in, Server};

const CLIENTS: usize = 8;
const KILLS: usize = 5;
const PASSWORD: &str = "crash-test-password-long";

/// What a client was told: a submission exists at this version and status.
#[derive(Debug, Clone)]
struct Acknowledged {
    version: i64,
    status: &'static str,
}

type Ledger = Arc<Mutex<BTreeMap<String, Acknowledged>>>;

fn draft(client: usize, n: usize) -> Value {
    let practice = |i: usize| {
        json!({"title": format!("Practice {i} of client {client}, round {n}"),
               "body": "The national CSIRT shares incident reports with operators.",
               "items": [11, 8]})
    };
    json!({"language": "en", "title": format!("Crash test {client}/{n}"),
           "practices": [practice(1), practice(2), practice(3)]})
}

/// Creates, submits and (every other one) accepts until the server dies.
fn client(
    server_url: String,
    focal: String,
    editor: String,
    id: usize,
    ledger: Ledger,
    stop: Arc<AtomicBool>,
) {
    let agent = agent();
    let post = |path: &str, token: &str, body: Option<&Value>| -> Option<(u16, Value)> {
        let request = agent
            .post(format!("{server_url}{path}"))
            .header("authorization", &format!("Bearer {token}"));
        let answer = match body {
            Some(body) => request.send_json(body),
            None => request.send_empty(),
        };
        let mut answer = answer.ok()?;
        let status = answer.status().as_u16();
        Some((status, answer.body_mut().read_json().unwrap_or(Value::Null)))
    };
    let record = |id: &str, version: i64, status: &'static str| {
        ledger
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned(), Acknowledged { version, status });
    };
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let Some((201, created)) = post("/api/v1/submissions", &focal, Some(&draft(id, n))) else {
            return;
        };
        let sid = created["id"].as_str().unwrap_or_default().to_owned();
        record(&sid, 1, "draft");
        let Some((200, submitted)) =
            post(&format!("/api/v1/submissions/{sid}/submit"), &focal, None)
        else {
            return;
        };
        record(
            &sid,
            submitted["version"].as_i64().unwrap_or(2),
            "submitted",
        );
        if n % 2 == 0 {
            let Some((200, accepted)) =
                post(&format!("/api/v1/submissions/{sid}/accept"), &editor, None)
            else {
                return;
            };
            record(&sid, accepted["version"].as_i64().unwrap_or(3), "accepted");
        }
    }
}

fn get(server: &Server, token: &str, path: &str) -> (u16, Value) {
    let mut answer = agent()
        .get(server.url(path))
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .expect("the restarted server answers");
    let status = answer.status().as_u16();
    (status, answer.body_mut().read_json().unwrap_or(Value::Null))
}

/// Every acknowledged submission is there, whole.
fn verify(server: &Server, editor: &str, ledger: &BTreeMap<String, Acknowledged>, round: usize) {
    for (id, promised) in ledger {
        let (status, submission) = get(server, editor, &format!("/api/v1/submissions/{id}"));
        assert_eq!(status, 200, "round {round}: acknowledged {id} is gone");
        assert!(
            submission["version"].as_i64().unwrap() >= promised.version,
            "round {round}: {id} went back from version {}: {submission}",
            promised.version
        );
        let order = |s: &str| {
            ["draft", "submitted", "accepted"]
                .iter()
                .position(|x| *x == s)
        };
        assert!(
            order(submission["status"].as_str().unwrap()) >= order(promised.status),
            "round {round}: {id} lost its move to {}: {submission}",
            promised.status
        );
        assert_eq!(
            submission["practices"].as_array().unwrap().len(),
            3,
            "round {round}: {id}"
        );
        let (_, versions) = get(
            server,
            editor,
            &format!("/api/v1/submissions/{id}/versions"),
        );
        let versions = versions["items"].as_array().map_or(0, Vec::len) as i64;
        assert!(
            versions >= promised.version,
            "round {round}: {id} has {versions} versions"
        );
        let (_, events) = get(server, editor, &format!("/api/v1/submissions/{id}/events"));
        let events = events.as_array().map_or(0, Vec::len) as i64;
        assert!(
            events >= promised.version,
            "round {round}: {id} has {events} events"
        );
    }
}

/// Accepted practices according to the database, and the index's total.
fn index_catches_up(server: &Server, editor: &str, round: usize) {
    let mut accepted = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/submissions?status=accepted&limit=100&cursor={c}"),
            None => "/api/v1/submissions?status=accepted&limit=100".to_owned(),
        };
        let (status, page) = get(server, editor, &path);
        assert_eq!(status, 200, "{page}");
        accepted += page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["practices_count"].as_u64().unwrap())
            .sum::<u64>();
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, found) = get(server, editor, "/api/v1/practices?limit=1");
        if found["total"].as_u64() == Some(accepted) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "round {round}: the index shows {} of {accepted} accepted practices",
            found["total"]
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

fn sqlite_is_intact(data_dir: &std::path::Path) {
    let path = data_dir.join("compendium.sqlite3");
    let mut connection =
        SqliteConnection::establish(path.to_str().unwrap()).expect("the database opens");
    let rows: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut connection)
        .expect("the check runs");
    let verdict: Vec<String> = rows.into_iter().map(|r| r.integrity_check).collect();
    assert_eq!(verdict, ["ok"]);
}

/// A kill moment in 0.3–1.5 s, different each round, without a random
/// number crate: the clock's nanoseconds.
fn kill_after(round: usize) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    Duration::from_millis(300 + (nanos / 1_000 + round as u64 * 237) % 1_200)
}

#[test]
fn acknowledged_writes_survive_sigkill_five_times_on_each_backend() {
    for backend in backends() {
        let data_dir = tempfile::tempdir().unwrap();
        let database = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let env = [
            (
                "COMPENDIUM_JWT_SECRET",
                "crash-test-secret-of-at-least-32-bytes!!",
            ),
            ("COMPENDIUM_WRITES_PER_MINUTE", "1000000"),
            ("COMPENDIUM_ARGON2_MEMORY_KIB", "1024"),
        ];
        let make = || command(data_dir.path(), database.as_ref(), &env);
        create_user(make(), "editor", "editor@example.org", None, PASSWORD);
        create_user(
            make(),
            "focal_point",
            "focal@example.org",
            Some("FRA"),
            PASSWORD,
        );
        let ledger: Ledger = Arc::default();
        for round in 1..=KILLS {
            let server = Server::start(make());
            // Whatever the previous kill interrupted, what was promised holds.
            let editor = sign_in(&server, "editor@example.org", PASSWORD);
            verify(&server, &editor, &ledger.lock().unwrap(), round);
            let focal = sign_in(&server, "focal@example.org", PASSWORD);
            let stop = Arc::new(AtomicBool::new(false));
            let clients: Vec<_> = (0..CLIENTS)
                .map(|id| {
                    let (url, focal, editor) = (server.url(""), focal.clone(), editor.clone());
                    let (ledger, stop) = (Arc::clone(&ledger), Arc::clone(&stop));
                    std::thread::spawn(move || client(url, focal, editor, id, ledger, stop))
                })
                .collect();
            std::thread::sleep(kill_after(round));
            server.kill();
            stop.store(true, Ordering::Relaxed);
            for client in clients {
                client.join().expect("a client thread ends");
            }
            if backend == Backend::Sqlite {
                sqlite_is_intact(data_dir.path());
            }
        }
        let server = Server::start(make());
        let editor = sign_in(&server, "editor@example.org", PASSWORD);
        let ledger = ledger.lock().unwrap().clone();
        assert!(
            ledger.len() >= KILLS * CLIENTS,
            "{backend:?}: too little was written to mean anything: {}",
            ledger.len()
        );
        verify(&server, &editor, &ledger, KILLS + 1);
        index_catches_up(&server, &editor, KILLS + 1);
        eprintln!(
            "{backend:?}: {} acknowledged submissions survived {KILLS} kills",
            ledger.len()
        );
        server.stop();
    }
}
