//! The test harness: `TestApp::spawn` starts the real application on port 0
//! against its own database and answers a client with small helpers.

use std::sync::mpsc;
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use compendium::auth::password::Passwords;
use compendium::config::Settings;
use compendium::domain::account::Actor;
use compendium::domain::account::{Email, Role};
use compendium::service::accounts::{self, AccountRequest};
use compendium::store::Store;
use compendium::Application;
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::Value;

/// The backends a test runs on: SQLite always, PostgreSQL when the suite is
/// given a server. A URL that is set but unreachable fails the tests: CI
/// must not pass silently on one backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Whether a checker nobody here wrote answers `probe`; in CI (which
/// installs them all) its absence fails the test, elsewhere it is said
/// and the check skipped.
pub fn checker_present(tool: &str, probe: &mut std::process::Command) -> bool {
    let present = probe.output().is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs {tool} (.ci/run installs it)"
        );
        eprintln!("{tool} is missing: the checks that need it are skipped");
    }
    present
}

pub fn postgres_url() -> Option<String> {
    std::env::var("COMPENDIUM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

pub fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    if postgres_url().is_some() {
        backends.push(Backend::Postgres);
    }
    backends
}

/// Runs `test` once on each backend, each time on a fresh app and database.
pub fn each_backend(test: impl Fn(&TestApp)) {
    for backend in backends() {
        eprintln!("--- on {backend:?}");
        let app = TestApp::spawn(backend);
        test(&app);
    }
}

/// A PostgreSQL database made for one test and dropped after it.
pub struct ScratchDatabase {
    server_url: String,
    name: String,
    pub url: String,
}

impl ScratchDatabase {
    pub fn create() -> ScratchDatabase {
        let server_url = postgres_url().expect("COMPENDIUM_TEST_DATABASE_URL is set");
        let name = format!("compendium_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::establish(&server_url)
            .unwrap_or_else(|e| panic!("COMPENDIUM_TEST_DATABASE_URL does not answer: {e}"));
        diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .expect("create the test database");
        let url = with_database(&server_url, &name);
        ScratchDatabase {
            server_url,
            name,
            url,
        }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.server_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}

/// The same server URL with another database name.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// The signing secret of every test app, so tests can forge tokens.
pub const TEST_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes";
pub const PASSWORD: &str = "a long enough password";

/// An account made for a test, and a fresh access token for it.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

/// The fields a problem document names, in order.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem document with this status, and returns it.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "body: {}",
            self.body
        );
        let problem = self.json();
        assert_eq!(problem["status"], status);
        assert!(problem["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:compendium:problem:"));
        assert!(problem["title"].is_string() && problem["detail"].is_string());
        problem
    }
}

pub struct TestApp {
    pub address: String,
    pub backend: Backend,
    pub settings: Settings,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
    agent: ureq::Agent,
    _data_dir: tempfile::TempDir,
    // Dropped last: the server must be gone before its database is.
    _database: Option<ScratchDatabase>,
}

impl TestApp {
    pub fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {})
    }

    pub fn spawn_with(backend: Backend, customize: impl FnOnce(&mut Settings)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("a temporary data directory");
        let database = (backend == Backend::Postgres).then(ScratchDatabase::create);
        let mut settings = Settings::default();
        settings.http.bind = "127.0.0.1:0".parse().expect("a valid address");
        settings.http.workers = Some(2);
        // Tests write as fast as they can with one account; the limit
        // has its own tests.
        settings.http.writes_per_minute = 1_000_000;
        settings.storage.data_dir = data_dir.path().to_owned();
        settings.storage.database_url = database.as_ref().map(|d| d.url.clone());
        settings.storage.pool_size = 4;
        settings.auth.jwt_secret = Some(TEST_SECRET.to_owned());
        // Cheap hashing keeps the suite fast; the cost is a setting,
        // and the command-line tests run the defaults.
        settings.auth.argon2_memory_kib = 64;
        settings.auth.argon2_iterations = 1;
        customize(&mut settings);

        let (started, on_start) = mpsc::channel();
        let app_settings = settings.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match Application::build(app_settings).await {
                    Ok(app) => {
                        let _ = started.send(Ok((app.port(), app.handle())));
                        let _ = app.run_until_stopped().await;
                    }
                    Err(error) => {
                        let _ = started.send(Err(error.to_string()));
                    }
                }
            })
        });
        let (port, handle) = on_start
            .recv()
            .expect("the server thread reports its start")
            .unwrap_or_else(|e| panic!("the app did not start: {e}"));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let app = TestApp {
            address: format!("http://127.0.0.1:{port}"),
            backend,
            settings,
            handle,
            thread: Some(thread),
            agent,
            _data_dir: data_dir,
            _database: database,
        };
        app.wait_until_ready();
        app
    }

    /// Waits, as a load balancer would, until `/readyz` answers 200: the
    /// search index catches up in the background after start.
    pub fn wait_until_ready(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let answer = self.get("/readyz");
            if answer.status == 200 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "never ready: {}",
                answer.body
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn get(&self, path: &str) -> Answer {
        read(self.agent.get(self.url(path)).call())
    }

    /// Any request, with an optional bearer token and JSON body.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        self.call_with(method, path, token, body, &[])
    }

    /// Any request, with extra headers too.
    pub fn call_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        match body {
            Some(body) => {
                let request = request
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .expect("a valid request");
                read(self.agent.run(request))
            }
            None => read(self.agent.run(request.body(()).expect("a valid request"))),
        }
    }

    pub fn get_as(&self, token: &str, path: &str) -> Answer {
        self.call("GET", path, Some(token), None)
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Answer {
        self.call("POST", path, None, Some(body))
    }

    pub fn post_as(&self, token: &str, path: &str, body: &Value) -> Answer {
        self.call("POST", path, Some(token), Some(body))
    }

    pub fn patch_as(&self, token: &str, path: &str, body: &Value) -> Answer {
        self.call("PATCH", path, Some(token), Some(body))
    }

    /// Signs in over HTTP; panics unless it works.
    pub fn sign_in(&self, email: &str, password: &str) -> String {
        let answer = self.post_json(
            "/api/v1/auth/token",
            &serde_json::json!({"email": email, "password": password}),
        );
        assert_eq!(answer.status, 200, "sign-in of {email}: {}", answer.body);
        answer.json()["access_token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }

    /// Makes an account straight in the store (as `compendium user create`
    /// does) and signs it in over HTTP.
    pub fn user(&self, role: Role, entity: Option<&str>) -> TestUser {
        let email = format!("{}-{}@example.org", role, uuid::Uuid::now_v7().simple());
        let store = Store::open(&self.settings).expect("the test database opens");
        let mut connection = store.blocking_connection().expect("a connection");
        let account = accounts::check(AccountRequest {
            email: Email::parse(&email).expect("a valid email"),
            name: format!("Test {role}"),
            role,
            entity: entity.map(str::to_owned),
            password: Some(PASSWORD.to_owned()),
        })
        .expect("a valid account");
        let hash = Passwords::new(&self.settings)
            .expect("hashing parameters")
            .hash(account.password.as_ref().expect("a password"))
            .expect("a hash");
        let user = accounts::create(&mut connection, account, Some(hash), Actor::CommandLine)
            .expect("the account is made");
        let token = self.sign_in(&email, PASSWORD);
        TestUser {
            id: user.id,
            email,
            token,
        }
    }

    /// A POST with any body and content type, for malformed requests.
    pub fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Answer {
        read(
            self.agent
                .post(self.url(path))
                .header("content-type", content_type)
                .send(&body[..]),
        )
    }

    /// Creates a compilation as an editor and publishes it; answers its id
    /// and the published edition.
    pub fn publish_compilation(&self, editor: &TestUser, draft: &Value) -> (String, Value) {
        let created = self.post_as(&editor.token, "/api/v1/compilations", draft);
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.json()["id"]
            .as_str()
            .expect("a compilation id")
            .to_owned();
        let published = self.call(
            "POST",
            &format!("/api/v1/compilations/{id}/publish"),
            Some(&editor.token),
            None,
        );
        assert_eq!(published.status, 200, "{}", published.body);
        (id, published.json())
    }

    /// Records, submits and accepts a submission as an editor; answers its id.
    pub fn accept_new(&self, editor: &TestUser, draft: &Value) -> String {
        let created = self.post_as(&editor.token, "/api/v1/submissions", draft);
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        for action in ["submit", "accept"] {
            let answer = self.call(
                "POST",
                &format!("/api/v1/submissions/{id}/{action}"),
                Some(&editor.token),
                None,
            );
            assert_eq!(answer.status, 200, "{}", answer.body);
        }
        id
    }

    /// The id of a submission's first practice, as its editor sees it.
    pub fn first_practice(&self, token: &str, submission: &str) -> String {
        let view = self.get_as(token, &format!("/api/v1/submissions/{submission}"));
        assert_eq!(view.status, 200, "{}", view.body);
        view.json()["practices"][0]["id"]
            .as_str()
            .expect("a practice")
            .to_owned()
    }

    /// Waits until the index shows `total` results for `query` (the
    /// indexer polls every second).
    pub fn wait_for_total(&self, query: &str, total: usize) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let answer = self.get(&format!("/api/v1/practices?{query}"));
            assert_eq!(answer.status, 200, "{}", answer.body);
            let body = answer.json();
            if body["total"] == total {
                return body;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the index did not reach {total} for {query:?}: {body}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    pub fn request(&self, method: &str, path: &str) -> Answer {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path))
            .body(())
            .expect("a valid request");
        read(self.agent.run(request))
    }
}

fn read(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = result.unwrap_or_else(|e| panic!("the request failed: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    Answer {
        status,
        headers,
        body,
    }
}

impl TestApp {
    /// Stops the server, as SIGTERM does; its data directory and database
    /// stay for the test to use.
    pub fn stop(&mut self) {
        if let Some(thread) = self.thread.take() {
            actix_web::rt::System::new().block_on(self.handle.stop(true));
            let _ = thread.join();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            actix_web::rt::System::new().block_on(self.handle.stop(false));
            let _ = thread.join();
        }
    }
}

#[test]
fn database_urls_keep_their_server_and_options() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}
