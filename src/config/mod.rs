//! Settings: `COMPENDIUM_*` environment variables over an optional TOML file
//! over defaults, parsed once into typed sections. Each setting is declared
//! once, in the table below; the variable is its flat file key upper-cased
//! after the prefix. Loading is a pure function of the file text and the
//! environment, so it is unit-tested without touching the process.

// First, so the table below can use `make_config!`.
#[macro_use]
mod macros;
pub mod networks;
pub mod origins;
mod setting;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use lettre::message::Mailbox;

use self::networks::TrustedProxies;
use self::origins::Origins;
pub use self::setting::LogFormat;
use self::setting::Setting;

make_config! {
    /// Serving HTTP.
    http: Http {
        /// Address the server listens on.
        bind ("bind"): SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8080));
        /// Base of absolute links in mail and feeds, without a trailing slash.
        public_url ("public_url"): String = "http://127.0.0.1:8080".to_owned();
        /// HTTP worker threads; defaults to the number of cores.
        workers ("workers"): Option<usize> = None;
        /// Open connections a worker accepts before it stops accepting more.
        max_connections ("max_connections"): usize = 10_000;
        /// Seconds a client has to send a request's head, and its body.
        client_timeout_seconds ("client_timeout_seconds"): u64 = 10;
        /// The largest request body accepted, in bytes; larger ones get a 413.
        max_body_bytes ("max_body_bytes"): usize = 1024 * 1024;
        /// Web origins (`https://host[:port]`, comma-separated) whose pages may
        /// call the API from a browser; empty (the default) allows none.
        cors_origins ("cors_origins"): Origins = Origins::default();
        /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` is believed:
        /// addresses or networks, comma-separated (`127.0.0.1,10.0.0.0/8`).
        trusted_proxies ("trusted_proxies"): TrustedProxies = TrustedProxies::default();
        /// Writes (POST, PUT, PATCH, DELETE) an account may make a minute,
        /// across all its tokens.
        writes_per_minute ("writes_per_minute"): u32 = 600;
    }
    /// Where data is kept.
    storage: Storage {
        /// SQLite file, search index, generated keys, `.eml` mail.
        data_dir ("data_dir"): PathBuf = PathBuf::from("./data");
        /// `postgres://…` selects PostgreSQL; unset means the SQLite file in
        /// the data directory.
        database_url ("database_url"): Option<String> = None;
        /// Database connections kept open by this process.
        pool_size ("db_pool_size"): u32 = 8;
    }
    /// Tokens, passwords and sign-in.
    auth: Auth {
        /// Signing key for tokens; generated and kept in the data directory when unset.
        jwt_secret ("jwt_secret"): Option<String> = None;
        /// Several signing keys, `id:secret,id:secret`, oldest first: the last
        /// signs new tokens, all are accepted (key rotation). Excludes `jwt_secret`.
        jwt_keys ("jwt_keys"): Option<String> = None;
        /// Lifetime of an access token from `POST /api/v1/auth/token`.
        access_token_minutes ("access_token_minutes"): u32 = 15;
        // The argon2id defaults are OWASP's baseline: 19 MiB, 2 iterations, 1 lane.
        /// argon2id cost: memory in KiB.
        argon2_memory_kib ("argon2_memory_kib"): u32 = 19 * 1024;
        /// argon2id cost: iterations.
        argon2_iterations ("argon2_iterations"): u32 = 2;
        /// argon2id cost: lanes.
        argon2_parallelism ("argon2_parallelism"): u32 = 1;
        /// Failed sign-ins allowed per account, and per client address, in any
        /// minute before further attempts get a 429.
        login_attempts_per_minute ("login_attempts_per_minute"): u32 = 10;
    }
    /// Sending mail.
    mail: Mail {
        /// `smtp://host:port` or `smtps://…`; unset means mail is written as `.eml` files.
        smtp_url ("smtp_url"): Option<String> = None;
        /// The sender of every mail: `name@host` or `Name <name@host>`.
        // A literal known to parse; the defaults test would catch a typo.
        from ("mail_from"): Mailbox =
            "compendium@localhost".parse().expect("the default sender is an address");
        /// Seconds before the first retry of a mail that failed; each further
        /// retry waits twice as long (at most an hour).
        retry_seconds ("mail_retry_seconds"): u64 = 30;
        /// Attempts before a mail is dead (for an admin to retry).
        max_attempts ("mail_max_attempts"): u32 = 8;
        /// The language of the notices the Secretariat's editors receive
        /// (`ar`, `zh`, `en`, `fr`, `ru` or `es`), whatever the language of
        /// the submission they announce. Read as a language at start-up
        /// (settings sit below the domain, so they keep the code).
        secretariat_language ("secretariat_language"): String = "en".to_owned();
        /// How often the service looks for self-assessments completed a
        /// year ago, to remind their States' focal points (once each).
        reminder_check_seconds ("reminder_check_seconds"): u64 = 3600;
    }
    /// Logging.
    log: Log {
        /// How log lines are written: `text` or `json`.
        format ("log_format"): LogFormat = LogFormat::Text;
        /// A `tracing` filter such as `info` or `compendium=debug,actix_web=info`.
        level ("log_level"): String = "info".to_owned();
    }
    /// Harvesting: by OAI-PMH (`/oai`), and by search engines (sitemaps).
    harvest: Harvest {
        /// Records a page of ListRecords or ListIdentifiers holds before a
        /// resumption token continues the list.
        page_size ("oai_page_size"): usize = 100;
        /// The `dc:rights` statement every harvested record carries.
        rights ("oai_rights"): String = "Submitted to the Secretary-General under General Assembly \
            resolution 64/211 and made public by the United Nations Secretariat; \
            the contributor named as creator holds the text."
            .to_owned();
        /// Addresses one sitemap file lists (at most 50,000, the protocol's
        /// limit); past it `/sitemap.xml` is an index of several files.
        sitemap_urls_per_file ("sitemap_urls_per_file"): usize = 50_000;
    }
    /// The tagging model.
    tagging: Tagging {
        /// How often the tagging model looks for new editors' decisions to
        /// learn from.
        learn_seconds ("tagging_learn_seconds"): u64 = 300;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the settings file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the settings file {path} is not valid: {message}")]
    File { path: PathBuf, message: String },
    #[error("{variable}={value:?} is not valid: {message}")]
    Variable {
        variable: String,
        value: String,
        message: String,
    },
}

const PREFIX: &str = "COMPENDIUM_";

/// Variables with the prefix that are not settings of the service but are
/// still expected in its environment (the test suite's database, the
/// `--config` flag's variable).
const NOT_SETTINGS: [&str; 2] = ["COMPENDIUM_TEST_DATABASE_URL", "COMPENDIUM_CONFIG"];

/// The variable of a flat key: `db_pool_size` is `COMPENDIUM_DB_POOL_SIZE`.
fn variable(key: &str) -> String {
    format!("{PREFIX}{}", key.to_ascii_uppercase())
}

/// The result of loading: the settings, and the `COMPENDIUM_*` variables
/// that name no setting (most likely typos, worth a warning once logging runs).
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    pub unknown_variables: Vec<String>,
}

impl Settings {
    /// Reads the optional file, then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Loaded, ConfigError> {
        let text = file
            .map(|path| {
                std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })
            })
            .transpose()?;
        Settings::from_sources(
            text.as_deref().zip(file),
            std::env::vars().filter(|(k, _)| k.starts_with(PREFIX)),
        )
    }

    /// Defaults, overridden by the file, overridden by the environment.
    pub fn from_sources(
        file: Option<(&str, &Path)>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Loaded, ConfigError> {
        let mut settings = Settings::default();
        if let Some((text, path)) = file {
            let invalid = |message: String| ConfigError::File {
                path: path.to_owned(),
                message,
            };
            let table: toml::Table =
                toml::from_str(text).map_err(|e| invalid(e.message().to_owned()))?;
            for (key, value) in &table {
                // Refused rather than ignored, so a typo is not silently lost.
                if !KEYS.contains(&key.as_str()) {
                    return Err(invalid(format!(
                        "unknown key `{key}`, expected one of {}",
                        KEYS.join(", ")
                    )));
                }
                // Back to text, so the file goes through the variables' parser.
                let text = match value {
                    toml::Value::String(text) => text.clone(),
                    toml::Value::Integer(number) => number.to_string(),
                    toml::Value::Boolean(flag) => flag.to_string(),
                    other => {
                        return Err(invalid(format!(
                            "{key} must be a string, an integer or true/false, not a {}",
                            other.type_str()
                        )))
                    }
                };
                settings
                    .set(key, &text)
                    .map_err(|message| invalid(format!("{key} = {text:?}: {message}")))?;
            }
        }
        let mut env: BTreeMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(PREFIX))
            .collect();
        for key in KEYS {
            let variable = variable(key);
            if let Some(value) = env.remove(&variable) {
                settings
                    .set(key, &value)
                    .map_err(|message| ConfigError::Variable {
                        variable,
                        value,
                        message,
                    })?;
            }
        }
        // Links are built as `{public_url}/path`: a trailing slash would double.
        let kept = settings.http.public_url.trim_end_matches('/').len();
        settings.http.public_url.truncate(kept);
        settings.check()?;
        let unknown_variables = env
            .into_keys()
            .filter(|k| !NOT_SETTINGS.contains(&k.as_str()))
            .collect();
        Ok(Loaded {
            settings,
            unknown_variables,
        })
    }

    /// What parsing cannot see: ranges and settings that exclude each other.
    /// Errors name the variable, wherever the value came from.
    fn check(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, value: String, message: &str| ConfigError::Variable {
            variable: variable(key),
            value,
            message: message.to_owned(),
        };
        let (http, auth) = (&self.http, &self.auth);
        if http.max_body_bytes < 1024 {
            return Err(invalid(
                "max_body_bytes",
                http.max_body_bytes.to_string(),
                "must be at least 1024",
            ));
        }
        for (key, value) in [
            ("db_pool_size", u64::from(self.storage.pool_size)),
            ("workers", http.workers.map_or(1, |w| w as u64)),
            ("client_timeout_seconds", http.client_timeout_seconds),
            ("max_connections", http.max_connections as u64),
            ("writes_per_minute", u64::from(http.writes_per_minute)),
            ("mail_max_attempts", u64::from(self.mail.max_attempts)),
            ("tagging_learn_seconds", self.tagging.learn_seconds),
            ("reminder_check_seconds", self.mail.reminder_check_seconds),
            ("oai_page_size", self.harvest.page_size as u64),
            (
                "sitemap_urls_per_file",
                self.harvest.sitemap_urls_per_file as u64,
            ),
            (
                "login_attempts_per_minute",
                u64::from(auth.login_attempts_per_minute),
            ),
        ] {
            if value == 0 {
                return Err(invalid(key, "0".into(), "must be at least 1"));
            }
        }
        if !(1..=24 * 60).contains(&auth.access_token_minutes) {
            return Err(invalid(
                "access_token_minutes",
                auth.access_token_minutes.to_string(),
                "must be from 1 to 1440 (a day)",
            ));
        }
        if auth.argon2_iterations == 0
            || auth.argon2_parallelism == 0
            || auth.argon2_memory_kib < 8 * auth.argon2_parallelism
        {
            return Err(invalid(
                "argon2_memory_kib",
                auth.argon2_memory_kib.to_string(),
                "argon2 needs at least 1 iteration, 1 lane and 8 KiB of memory per lane",
            ));
        }
        if auth.jwt_keys.is_some() && auth.jwt_secret.is_some() {
            return Err(invalid(
                "jwt_keys",
                "(hidden)".into(),
                "set COMPENDIUM_JWT_KEYS or COMPENDIUM_JWT_SECRET, not both: list the secret as a key (default:SECRET) to keep its tokens",
            ));
        }
        if !(http.public_url.starts_with("http://") || http.public_url.starts_with("https://")) {
            return Err(invalid(
                "public_url",
                http.public_url.clone(),
                "must start with http:// or https://",
            ));
        }
        if let Some(url) = &self.storage.database_url {
            if !is_postgres_url(url) {
                return Err(invalid(
                    "database_url",
                    redact_password(url),
                    "must be a postgres:// URL; leave it unset for the SQLite file in the data directory",
                ));
            }
            if let Some(mode) = url_parameter(url, "sslmode") {
                if !SSL_MODES.contains(&mode.as_str()) {
                    return Err(invalid(
                        "database_url",
                        redact_password(url),
                        "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full (verify-full, with sslrootcert, is the one that checks who answers)",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The search index, derived from the database.
    pub fn index_dir(&self) -> PathBuf {
        self.storage.data_dir.join("index")
    }

    /// The SQLite database file, used when no PostgreSQL URL is set.
    pub fn sqlite_path(&self) -> PathBuf {
        self.storage.data_dir.join("compendium.sqlite3")
    }
}

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The modes libpq knows for TLS to the server.
const SSL_MODES: [&str; 6] = [
    "disable",
    "allow",
    "prefer",
    "require",
    "verify-ca",
    "verify-full",
];

/// A parameter of a database URL's query (`?sslmode=require&…`), decoded.
pub fn url_parameter(url: &str, name: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// A database URL fit for a log line or an error message: without the
/// password of its user part, nor a `password` parameter of its query
/// (libpq takes either).
pub fn redact_password(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = match (base.find("://"), base.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            match base[scheme_end + 3..at].split_once(':') {
                Some((user, _)) => {
                    format!("{}{user}:***{}", &base[..scheme_end + 3], &base[at..])
                }
                None => base.to_owned(),
            }
        }
        _ => base.to_owned(),
    };
    match query {
        None => base,
        Some(query) => {
            let parameters: Vec<&str> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some(("password", _)) => "password=***",
                    _ => pair,
                })
                .collect();
            format!("{base}?{}", parameters.join("&"))
        }
    }
}
