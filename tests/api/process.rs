//! The service as operators run it: the built binary in a child process,
//! its log read line by line, stopped by a signal.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use crate::helpers::ScratchDatabase;

pub const BINARY: &str = env!("CARGO_BIN_EXE_compendium");

/// The command with a clean environment: only PATH, the data directory,
/// JSON logs, the database when given, and `env`.
pub fn command(
    data_dir: &std::path::Path,
    database: Option<&ScratchDatabase>,
    env: &[(&str, &str)],
) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("COMPENDIUM_DATA_DIR", data_dir)
        .env("COMPENDIUM_LOG_FORMAT", "json")
        .envs(env.iter().copied());
    if let Some(database) = database {
        command.env("COMPENDIUM_DATABASE_URL", &database.url);
    }
    command
}

/// `compendium user create … --password-stdin`.
pub fn create_user(
    mut command: Command,
    role: &str,
    email: &str,
    entity: Option<&str>,
    password: &str,
) {
    command.args([
        "user",
        "create",
        "--email",
        email,
        "--name",
        "Someone",
        "--role",
        role,
        "--password-stdin",
    ]);
    if let Some(entity) = entity {
        command.args(["--entity", entity]);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("the password is written");
    let output = child.wait_with_output().expect("the command ends");
    assert!(
        output.status.success(),
        "user create: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running `compendium serve`, its log kept in memory.
pub struct Server {
    child: Child,
    pub address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `serve` on a free port; answers once it is ready.
    pub fn start(mut command: Command) -> Server {
        let mut child = command
            .env("COMPENDIUM_BIND", "127.0.0.1:0")
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (found, address) = mpsc::channel();
        for stream in [
            Box::new(child.stderr.take().expect("stderr")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stdout.take().expect("stdout")),
        ] {
            let log = Arc::clone(&log);
            let found = found.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Ok(event) = serde_json::from_str::<serde_json::Value>(&line) {
                        if event["message"] == "listening" {
                            let _ = found.send(event["address"].as_str().unwrap_or("").to_owned());
                        }
                    }
                    log.lock().unwrap_or_else(|p| p.into_inner()).push(line);
                }
            });
        }
        let address = address
            .recv_timeout(Duration::from_secs(60))
            .expect("the server reports its address");
        let server = Server {
            child,
            address,
            log,
        };
        server.wait_until_ready();
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn wait_until_ready(&self) {
        let agent = agent();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if agent
                .get(self.url("/readyz"))
                .call()
                .is_ok_and(|answer| answer.status() == 200)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the server never became ready: {:?}", self.log());
    }

    /// Every line logged so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// SIGKILL: no goodbye, no flush.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for the exit; answers the whole log.
    pub fn stop(mut self) -> Vec<String> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        // The reader threads end with the pipes.
        std::thread::sleep(Duration::from_millis(200));
        self.log()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Signs in over HTTP; the access token.
pub fn sign_in(server: &Server, email: &str, password: &str) -> String {
    let mut answer = agent()
        .post(server.url("/api/v1/auth/token"))
        .send_json(serde_json::json!({"email": email, "password": password}))
        .expect("sign-in answers");
    assert_eq!(answer.status(), 200);
    let body: serde_json::Value = answer.body_mut().read_json().expect("JSON");
    body["access_token"].as_str().expect("a token").to_owned()
}
