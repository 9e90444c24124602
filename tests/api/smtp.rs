//! A real SMTP server on loopback for the mail tests: Python's aiosmtpd
//! (`python3 -m aiosmtpd`), delivering into a Maildir the tests read.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;

pub struct SmtpServer {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Option<Child>,
}

/// The interpreter with aiosmtpd: `COMPENDIUM_TEST_PYTHON`, else `python3`.
fn python() -> String {
    std::env::var("COMPENDIUM_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn available() -> bool {
    Command::new(python())
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl SmtpServer {
    /// Starts one; `None` when aiosmtpd is not installed and this is not
    /// CI, where it must be.
    pub fn start() -> Option<SmtpServer> {
        if !available() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs aiosmtpd ({} -m pip install aiosmtpd, or Debian's python3-aiosmtpd)",
                python()
            );
            eprintln!("mail tests skipped: install aiosmtpd to run them");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut server = SmtpServer {
            port,
            maildir: tempfile::tempdir().expect("a maildir"),
            child: None,
        };
        server.resume();
        Some(server)
    }

    /// The Maildir; aiosmtpd makes it (and only fills one it made).
    fn inbox(&self) -> PathBuf {
        self.maildir.path().join("inbox")
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts the server again on the same port (after [`SmtpServer::stop`]).
    pub fn resume(&mut self) {
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.inbox())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server: connections are refused until it resumes.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, as text.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<PathBuf> = Vec::new();
        for folder in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.inbox().join(folder)) {
                files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
        }
        files.sort_by_key(|f| arrival(f));
        files
            .iter()
            .filter_map(|f| std::fs::read(f).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .collect()
    }

    /// Waits until at least `count` messages arrived; answers them, in
    /// the order they arrived.
    pub fn wait_for(&self, count: usize, within: Duration) -> Vec<String> {
        let deadline = Instant::now() + within;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} messages arrived",
                messages.len()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A header's value in a message (first occurrence, unfolded).
pub fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// The Subject, with RFC 2047 encoded words decoded.
pub fn subject(message: &str) -> String {
    let mut raw = String::new();
    let mut lines = message.lines();
    for line in lines.by_ref() {
        if let Some(value) = line.strip_prefix("Subject:") {
            raw.push_str(value.trim());
            break;
        }
    }
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            raw.push(' ');
            raw.push_str(line.trim());
        } else {
            break;
        }
    }
    let mut out = String::new();
    let mut previous_encoded = false;
    for token in raw.split(' ') {
        let encoded = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut parts = t.splitn(3, '?');
                let (_charset, encoding, data) = (parts.next()?, parts.next()?, parts.next()?);
                match encoding {
                    "B" | "b" => base64::engine::general_purpose::STANDARD
                        .decode(data)
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok()),
                    _ => Some(quoted_printable(&data.replace('_', " "))),
                }
            });
        // Space between two encoded words is not part of the text.
        let is_encoded = encoded.is_some();
        let joins_previous_word = previous_encoded && is_encoded;
        if !out.is_empty() && !joins_previous_word {
            out.push(' ');
        }
        out.push_str(encoded.as_deref().unwrap_or(token));
        previous_encoded = is_encoded;
    }
    out
}

fn quoted_printable(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if bytes.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let Some(hex) = text.get(i + 1..i + 3) {
                if let Ok(byte) = u8::from_str_radix(hex, 16) {
                    out.push(byte);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded text of every part of a MIME message, concatenated.
pub fn decoded_parts(message: &str) -> String {
    let message = message.replace("\r\n", "\n");
    let mut out = String::new();
    for part in message.split("\n--") {
        let Some((head, body)) = part.split_once("\n\n") else {
            continue;
        };
        let encoding = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-transfer-encoding:")
                    .map(|v| v.trim().to_owned())
            })
            .unwrap_or_default();
        let decoded = match encoding.as_str() {
            "base64" => {
                let joined: String = body.lines().take_while(|l| !l.is_empty()).collect();
                base64::engine::general_purpose::STANDARD
                    .decode(joined)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_default()
            }
            "quoted-printable" => quoted_printable(body),
            _ => body.to_owned(),
        };
        out.push_str(&decoded);
        out.push('\n');
    }
    out
}

/// When a Maildir message arrived, from the name Python's `mailbox` gives
/// it (`<seconds>.M<microseconds>P<pid>Q<count>.<host>`): the
/// microseconds are not zero-padded, so names do not sort in time within
/// a second, which two mails sent moments apart often share.
fn arrival(file: &std::path::Path) -> (u64, u64, String) {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parts = name.split('.');
    let seconds = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let micros = parts
        .next()
        .and_then(|unique| unique.strip_prefix('M'))
        .and_then(|rest| rest.split('P').next())
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    (seconds, micros, name)
}
