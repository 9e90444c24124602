//! Settings: `COMPENDIUM_*` environment variables over an optional TOML file
//! over defaults. Every command reads the same settings. Loading is a pure
//! function of the file text and the environment, so it is unit-tested
//! without touching the process environment.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("'{other}' is not a log format: use text or json")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Address the server listens on (`COMPENDIUM_BIND`).
    pub bind: SocketAddr,
    /// SQLite file, search index, generated keys, `.eml` mail.
    pub data_dir: PathBuf,
    /// `postgres://…` selects PostgreSQL; unset means the SQLite file in the
    /// data directory.
    pub database_url: Option<String>,
    /// Base of absolute links in mail and feeds.
    pub public_url: String,
    /// Signing key for tokens; generated and kept in the data directory when unset.
    pub jwt_secret: Option<String>,
    /// Several signing keys, `id:secret,id:secret`, oldest first: the last
    /// signs new tokens, all are accepted (key rotation). Excludes `jwt_secret`.
    pub jwt_keys: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` is believed:
    /// addresses or networks, comma-separated (`127.0.0.1,10.0.0.0/8`).
    pub trusted_proxies: String,
    /// Web origins (`https://host[:port]`, comma-separated) whose pages may
    /// call the API from a browser; empty (the default) allows none.
    pub cors_origins: String,
    /// Seconds a client has to send a request's head, and its body.
    pub client_timeout_seconds: u64,
    /// Open connections a worker accepts before it stops accepting more.
    pub max_connections: usize,
    /// Writes (POST, PUT, PATCH, DELETE) an account may make a minute,
    /// across all its tokens.
    pub writes_per_minute: u32,
    /// `smtp://host:port` or `smtps://…`; unset means mail is written as `.eml` files.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub log_format: LogFormat,
    /// A `tracing` filter such as `info` or `compendium=debug,actix_web=info`.
    pub log_level: String,
    /// The largest request body accepted, in bytes; larger ones get a 413.
    pub max_body_bytes: usize,
    /// Database connections kept open by this process.
    pub db_pool_size: u32,
    /// HTTP worker threads; defaults to the number of cores.
    pub workers: Option<usize>,
    /// Lifetime of an access token from `POST /api/v1/auth/token`.
    pub access_token_minutes: u32,
    /// argon2id cost: memory in KiB, iterations, lanes.
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    /// Failed sign-ins allowed per account, and per client address, in any
    /// minute before further attempts get a 429.
    pub login_attempts_per_minute: u32,
    /// Seconds before the first retry of a mail that failed; each further
    /// retry waits twice as long (at most an hour).
    pub mail_retry_seconds: u64,
    /// Attempts before a mail is dead (for an admin to retry).
    pub mail_max_attempts: u32,
    /// How often the tagging model looks for new editors' decisions to
    /// learn from.
    pub tagging_learn_seconds: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            public_url: "http://127.0.0.1:8080".to_owned(),
            jwt_secret: None,
            jwt_keys: None,
            trusted_proxies: String::new(),
            cors_origins: String::new(),
            client_timeout_seconds: 10,
            max_connections: 10_000,
            writes_per_minute: 600,
            smtp_url: None,
            mail_from: "compendium@localhost".to_owned(),
            log_format: LogFormat::Text,
            log_level: "info".to_owned(),
            max_body_bytes: 1024 * 1024,
            db_pool_size: 8,
            workers: None,
            access_token_minutes: 15,
            // OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            login_attempts_per_minute: 10,
            mail_retry_seconds: 30,
            mail_max_attempts: 8,
            tagging_learn_seconds: 300,
        }
    }
}

/// The TOML file: the same settings as the variables, lower-case, without
/// the prefix. Unknown keys are refused, so a typo is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    bind: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    public_url: Option<String>,
    jwt_secret: Option<String>,
    jwt_keys: Option<String>,
    trusted_proxies: Option<String>,
    cors_origins: Option<String>,
    client_timeout_seconds: Option<u64>,
    max_connections: Option<usize>,
    writes_per_minute: Option<u32>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    log_format: Option<LogFormat>,
    log_level: Option<String>,
    max_body_bytes: Option<usize>,
    db_pool_size: Option<u32>,
    workers: Option<usize>,
    access_token_minutes: Option<u32>,
    argon2_memory_kib: Option<u32>,
    argon2_iterations: Option<u32>,
    argon2_parallelism: Option<u32>,
    login_attempts_per_minute: Option<u32>,
    mail_retry_seconds: Option<u64>,
    mail_max_attempts: Option<u32>,
    tagging_learn_seconds: Option<u64>,
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
        let file_settings: FileSettings = match file {
            Some((text, path)) => toml::from_str(text).map_err(|e| ConfigError::File {
                path: path.to_owned(),
                message: e.message().to_owned(),
            })?,
            None => FileSettings::default(),
        };
        let mut env: BTreeMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(PREFIX))
            .collect();
        let mut take = |name: &str| env.remove(&format!("{PREFIX}{name}"));

        let defaults = Settings::default();
        let settings = Settings {
            bind: pick("BIND", take("BIND"), file_settings.bind, defaults.bind)?,
            data_dir: pick(
                "DATA_DIR",
                take("DATA_DIR"),
                file_settings.data_dir,
                defaults.data_dir,
            )?,
            database_url: optional(take("DATABASE_URL"), file_settings.database_url),
            public_url: pick_text(
                take("PUBLIC_URL"),
                file_settings.public_url,
                defaults.public_url,
            )
            .trim_end_matches('/')
            .to_owned(),
            jwt_secret: optional(take("JWT_SECRET"), file_settings.jwt_secret),
            jwt_keys: optional(take("JWT_KEYS"), file_settings.jwt_keys),
            trusted_proxies: optional(take("TRUSTED_PROXIES"), file_settings.trusted_proxies)
                .unwrap_or_default(),
            cors_origins: optional(take("CORS_ORIGINS"), file_settings.cors_origins)
                .unwrap_or_default(),
            client_timeout_seconds: pick(
                "CLIENT_TIMEOUT_SECONDS",
                take("CLIENT_TIMEOUT_SECONDS"),
                file_settings.client_timeout_seconds,
                defaults.client_timeout_seconds,
            )?,
            max_connections: pick(
                "MAX_CONNECTIONS",
                take("MAX_CONNECTIONS"),
                file_settings.max_connections,
                defaults.max_connections,
            )?,
            writes_per_minute: pick(
                "WRITES_PER_MINUTE",
                take("WRITES_PER_MINUTE"),
                file_settings.writes_per_minute,
                defaults.writes_per_minute,
            )?,
            smtp_url: optional(take("SMTP_URL"), file_settings.smtp_url),
            mail_from: pick_text(
                take("MAIL_FROM"),
                file_settings.mail_from,
                defaults.mail_from,
            ),
            log_format: pick(
                "LOG_FORMAT",
                take("LOG_FORMAT"),
                file_settings.log_format,
                defaults.log_format,
            )?,
            log_level: pick_text(
                take("LOG_LEVEL"),
                file_settings.log_level,
                defaults.log_level,
            ),
            max_body_bytes: pick(
                "MAX_BODY_BYTES",
                take("MAX_BODY_BYTES"),
                file_settings.max_body_bytes,
                defaults.max_body_bytes,
            )?,
            db_pool_size: pick(
                "DB_POOL_SIZE",
                take("DB_POOL_SIZE"),
                file_settings.db_pool_size,
                defaults.db_pool_size,
            )?,
            workers: match take("WORKERS") {
                Some(value) => Some(parse_variable("WORKERS", &value)?),
                None => file_settings.workers,
            },
            access_token_minutes: pick(
                "ACCESS_TOKEN_MINUTES",
                take("ACCESS_TOKEN_MINUTES"),
                file_settings.access_token_minutes,
                defaults.access_token_minutes,
            )?,
            argon2_memory_kib: pick(
                "ARGON2_MEMORY_KIB",
                take("ARGON2_MEMORY_KIB"),
                file_settings.argon2_memory_kib,
                defaults.argon2_memory_kib,
            )?,
            argon2_iterations: pick(
                "ARGON2_ITERATIONS",
                take("ARGON2_ITERATIONS"),
                file_settings.argon2_iterations,
                defaults.argon2_iterations,
            )?,
            argon2_parallelism: pick(
                "ARGON2_PARALLELISM",
                take("ARGON2_PARALLELISM"),
                file_settings.argon2_parallelism,
                defaults.argon2_parallelism,
            )?,
            login_attempts_per_minute: pick(
                "LOGIN_ATTEMPTS_PER_MINUTE",
                take("LOGIN_ATTEMPTS_PER_MINUTE"),
                file_settings.login_attempts_per_minute,
                defaults.login_attempts_per_minute,
            )?,
            mail_retry_seconds: pick(
                "MAIL_RETRY_SECONDS",
                take("MAIL_RETRY_SECONDS"),
                file_settings.mail_retry_seconds,
                defaults.mail_retry_seconds,
            )?,
            tagging_learn_seconds: pick(
                "TAGGING_LEARN_SECONDS",
                take("TAGGING_LEARN_SECONDS"),
                file_settings.tagging_learn_seconds,
                defaults.tagging_learn_seconds,
            )?,
            mail_max_attempts: pick(
                "MAIL_MAX_ATTEMPTS",
                take("MAIL_MAX_ATTEMPTS"),
                file_settings.mail_max_attempts,
                defaults.mail_max_attempts,
            )?,
        };
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

    fn check(&self) -> Result<(), ConfigError> {
        let invalid = |variable: &str, value: String, message: &str| ConfigError::Variable {
            variable: format!("{PREFIX}{variable}"),
            value,
            message: message.to_owned(),
        };
        if self.max_body_bytes < 1024 {
            return Err(invalid(
                "MAX_BODY_BYTES",
                self.max_body_bytes.to_string(),
                "must be at least 1024",
            ));
        }
        if self.db_pool_size == 0 {
            return Err(invalid("DB_POOL_SIZE", "0".into(), "must be at least 1"));
        }
        if self.workers == Some(0) {
            return Err(invalid("WORKERS", "0".into(), "must be at least 1"));
        }
        if !(1..=24 * 60).contains(&self.access_token_minutes) {
            return Err(invalid(
                "ACCESS_TOKEN_MINUTES",
                self.access_token_minutes.to_string(),
                "must be from 1 to 1440 (a day)",
            ));
        }
        if self.argon2_iterations == 0
            || self.argon2_parallelism == 0
            || self.argon2_memory_kib < 8 * self.argon2_parallelism
        {
            return Err(invalid(
                "ARGON2_MEMORY_KIB",
                self.argon2_memory_kib.to_string(),
                "argon2 needs at least 1 iteration, 1 lane and 8 KiB of memory per lane",
            ));
        }
        if let Err(message) = crate::api::cors::Origins::parse(&self.cors_origins) {
            return Err(invalid("CORS_ORIGINS", self.cors_origins.clone(), &message));
        }
        for (name, value) in [
            ("CLIENT_TIMEOUT_SECONDS", self.client_timeout_seconds),
            ("MAX_CONNECTIONS", self.max_connections as u64),
            ("WRITES_PER_MINUTE", u64::from(self.writes_per_minute)),
        ] {
            if value == 0 {
                return Err(invalid(name, "0".into(), "must be at least 1"));
            }
        }
        if let Err(message) = crate::api::client::parse_networks(&self.trusted_proxies) {
            return Err(invalid(
                "TRUSTED_PROXIES",
                self.trusted_proxies.clone(),
                &message,
            ));
        }
        if self.jwt_keys.is_some() && self.jwt_secret.is_some() {
            return Err(invalid(
                "JWT_KEYS",
                "(hidden)".into(),
                "set COMPENDIUM_JWT_KEYS or COMPENDIUM_JWT_SECRET, not both: list the secret as a key (default:SECRET) to keep its tokens",
            ));
        }
        if self.mail_max_attempts == 0 {
            return Err(invalid(
                "MAIL_MAX_ATTEMPTS",
                "0".into(),
                "must be at least 1",
            ));
        }
        if self.tagging_learn_seconds == 0 {
            return Err(invalid(
                "TAGGING_LEARN_SECONDS",
                "0".into(),
                "must be at least 1",
            ));
        }
        if self.login_attempts_per_minute == 0 {
            return Err(invalid(
                "LOGIN_ATTEMPTS_PER_MINUTE",
                "0".into(),
                "must be at least 1",
            ));
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(invalid(
                "PUBLIC_URL",
                self.public_url.clone(),
                "must start with http:// or https://",
            ));
        }
        if let Some(url) = &self.database_url {
            if !is_postgres_url(url) {
                return Err(invalid(
                    "DATABASE_URL",
                    redact_password(url),
                    "must be a postgres:// URL; leave it unset for the SQLite file in the data directory",
                ));
            }
        }
        Ok(())
    }

    /// The search index, derived from the database.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// The SQLite database file, used when no PostgreSQL URL is set.
    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("compendium.sqlite3")
    }
}

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A database URL fit for a log line or an error message.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn parse_variable<T: FromStr>(name: &str, value: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    value
        .trim()
        .parse()
        .map_err(|e: T::Err| ConfigError::Variable {
            variable: format!("{PREFIX}{name}"),
            value: value.to_owned(),
            message: e.to_string(),
        })
}

fn pick<T: FromStr>(
    name: &str,
    env: Option<String>,
    file: Option<T>,
    default: T,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match env {
        Some(value) => parse_variable(name, &value),
        None => Ok(file.unwrap_or(default)),
    }
}

fn pick_text(env: Option<String>, file: Option<String>, default: String) -> String {
    env.or(file).unwrap_or(default)
}

/// An empty variable counts as unset, as shells make it easy to export one.
fn optional(env: Option<String>, file: Option<String>) -> Option<String> {
    env.or(file).filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_match_the_documented_ones() {
        let loaded = Settings::from_sources(None, env(&[])).unwrap();
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.settings.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(
            loaded.settings.sqlite_path(),
            PathBuf::from("./data/compendium.sqlite3")
        );
    }

    #[test]
    fn the_environment_overrides_the_file_which_overrides_defaults() {
        let file = "bind = \"0.0.0.0:9000\"\nlog_format = \"json\"\nmax_body_bytes = 4096\n";
        let loaded = Settings::from_sources(
            Some((file, Path::new("c.toml"))),
            env(&[
                ("COMPENDIUM_BIND", "127.0.0.1:9001"),
                ("COMPENDIUM_MAIL_FROM", "un@example.org"),
            ]),
        )
        .unwrap();
        let s = loaded.settings;
        assert_eq!(s.bind.to_string(), "127.0.0.1:9001");
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.max_body_bytes, 4096);
        assert_eq!(s.mail_from, "un@example.org");
    }

    #[test]
    fn unknown_file_keys_and_bad_values_are_refused_with_the_name() {
        let error = Settings::from_sources(Some(("bnd = \"x\"", Path::new("c.toml"))), env(&[]))
            .unwrap_err();
        assert!(error.to_string().contains("bnd"), "{error}");
        let error = Settings::from_sources(None, env(&[("COMPENDIUM_MAX_BODY_BYTES", "lots")]))
            .unwrap_err();
        assert!(
            error.to_string().contains("COMPENDIUM_MAX_BODY_BYTES"),
            "{error}"
        );
        let error =
            Settings::from_sources(None, env(&[("COMPENDIUM_LOG_FORMAT", "xml")])).unwrap_err();
        assert!(error.to_string().contains("text or json"), "{error}");
    }

    #[test]
    fn a_database_url_must_be_postgres_and_its_password_is_never_shown() {
        let error = Settings::from_sources(
            None,
            env(&[("COMPENDIUM_DATABASE_URL", "mysql://u:secret@h/db")]),
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("postgres://"), "{message}");
        assert!(!message.contains("secret"), "{message}");
        let ok = Settings::from_sources(
            None,
            env(&[("COMPENDIUM_DATABASE_URL", "postgres://u:p@h/db")]),
        )
        .unwrap();
        assert_eq!(
            ok.settings.database_url.as_deref(),
            Some("postgres://u:p@h/db")
        );
        assert_eq!(
            redact_password("postgres://u:p@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_password("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn empty_variables_count_as_unset_and_typos_are_reported() {
        let loaded = Settings::from_sources(
            None,
            env(&[
                ("COMPENDIUM_SMTP_URL", ""),
                ("COMPENDIUM_DATABSE_URL", "postgres://x"),
                ("COMPENDIUM_TEST_DATABASE_URL", "postgres://y"),
                ("HOME", "/root"),
            ]),
        )
        .unwrap();
        assert_eq!(loaded.settings.smtp_url, None);
        assert_eq!(
            loaded.unknown_variables,
            vec!["COMPENDIUM_DATABSE_URL".to_string()]
        );
    }

    #[test]
    fn public_url_loses_its_trailing_slash() {
        let loaded = Settings::from_sources(
            None,
            env(&[("COMPENDIUM_PUBLIC_URL", "https://compendium.un.org/")]),
        )
        .unwrap();
        assert_eq!(loaded.settings.public_url, "https://compendium.un.org");
    }
}
