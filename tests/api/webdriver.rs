//! A small WebDriver client (W3C protocol, JSON over HTTP) for driving
//! Debian's headless Chromium through chromedriver: enough to load pages,
//! type, click, read, run a line of script and take screenshots, without a
//! Node.js tool chain or a browser download.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Where Debian puts the browser and its driver (`chromium`,
/// `chromium-driver`); `COMPENDIUM_CHROMIUM` and `COMPENDIUM_CHROMEDRIVER`
/// point elsewhere.
fn tool(variable: &str, default: &str) -> PathBuf {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session. `None` when
    /// they are not installed and this is not CI, where they must be.
    pub fn start() -> Option<Browser> {
        let chromium = tool("COMPENDIUM_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = tool("COMPENDIUM_CHROMEDRIVER", "/usr/bin/chromedriver");
        if !chromium.exists() || !chromedriver.exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs {} and {} (Debian packages chromium and chromium-driver)",
                chromium.display(),
                chromedriver.display()
            );
            eprintln!("browser tests skipped: install chromium and chromium-driver to run them");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut browser = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            agent,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser
            .raw("GET", "/status", None)
            .is_none_or(|s| s["value"]["ready"] != true)
        {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        // The flags of a closed network: no background traffic to Google.
        let args = json!([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
            "--lang=en-US",
            format!("--user-data-dir={}", browser._profile.path().display()),
        ]);
        let created = browser
            .raw(
                "POST",
                "/session",
                Some(json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": chromium.display().to_string(), "args": args}
                }}})),
            )
            .expect("a session");
        browser.session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        Some(browser)
    }

    fn raw(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("content-type", "application/json");
        let mut answer = match body {
            Some(body) => self.agent.run(request.body(body.to_string()).ok()?),
            None => self.agent.run(request.body(()).ok()?),
        }
        .ok()?;
        let text = answer
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .ok()?;
        serde_json::from_str(&text).ok()
    }

    /// A command of the session; panics with the driver's message on error.
    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let answer = self
            .raw(
                method,
                &path,
                if method == "POST" {
                    body.or(Some(json!({})))
                } else {
                    None
                },
            )
            .unwrap_or_else(|| panic!("{method} {path}: no answer from chromedriver"));
        if answer["value"]["error"].is_string() {
            panic!("{method} {path}: {}", answer["value"]);
        }
        answer["value"].clone()
    }

    pub fn go(&self, url: &str) {
        self.command("POST", "/url", Some(json!({"url": url})));
    }

    pub fn url(&self) -> String {
        self.command("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn find(&self, css: &str) -> Element<'_> {
        let found = self.command(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        Element {
            browser: self,
            id: found[ELEMENT_KEY]
                .as_str()
                .unwrap_or_else(|| panic!("no element {css}: {found}"))
                .to_owned(),
        }
    }

    /// Runs a line of script in the page and answers its result.
    pub fn script(&self, body: &str) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({"script": body, "args": []})),
        )
    }

    /// Runs a script that answers through its callback, the last of its
    /// `arguments` (for promises: `axe.run().then(done)`).
    pub fn script_async(&self, body: &str) -> Value {
        self.command(
            "POST",
            "/execute/async",
            Some(json!({"script": body, "args": []})),
        )
    }

    /// Presses a key (a WebDriver key code such as `\u{E004}` for Tab).
    pub fn press(&self, key: &str) {
        self.command(
            "POST",
            "/actions",
            Some(
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                    {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
                ]}]}),
            ),
        );
    }

    /// Waits until the page's script `condition` is true.
    pub fn wait_for(&self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.script(&format!("return Boolean({condition});")) != true {
            assert!(Instant::now() < deadline, "the page never had {condition}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Saves a PNG of the whole window.
    pub fn screenshot(&self, file: &Path) {
        let encoded = self.command("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .expect("a PNG in base64");
        if let Some(folder) = file.parent() {
            std::fs::create_dir_all(folder).expect("the artifact folder");
        }
        std::fs::write(file, png).expect("the screenshot is written");
    }
}

impl Element<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/element/{}{rest}", self.id)
    }

    pub fn click(&self) {
        self.browser.command("POST", &self.path("/click"), None);
    }

    pub fn type_text(&self, text: &str) {
        self.browser
            .command("POST", &self.path("/value"), Some(json!({"text": text})));
    }

    pub fn text(&self) -> String {
        self.browser
            .command("GET", &self.path("/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.raw("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
