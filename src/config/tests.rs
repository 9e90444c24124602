//! Loading from given file text and variables, never the process's own.

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
    assert_eq!(loaded.settings.http.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(
        loaded.settings.mail.from.to_string(),
        "compendium@localhost"
    );
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
    assert_eq!(s.http.bind.to_string(), "127.0.0.1:9001");
    assert_eq!(s.log.format, LogFormat::Json);
    assert_eq!(s.http.max_body_bytes, 4096);
    assert_eq!(s.mail.from.to_string(), "un@example.org");
}

#[test]
fn unknown_file_keys_and_bad_values_are_refused_with_the_name() {
    let error =
        Settings::from_sources(Some(("bnd = \"x\"", Path::new("c.toml"))), env(&[])).unwrap_err();
    assert!(error.to_string().contains("bnd"), "{error}");
    let error =
        Settings::from_sources(None, env(&[("COMPENDIUM_MAX_BODY_BYTES", "lots")])).unwrap_err();
    assert!(
        error.to_string().contains("COMPENDIUM_MAX_BODY_BYTES"),
        "{error}"
    );
    let error = Settings::from_sources(None, env(&[("COMPENDIUM_LOG_FORMAT", "xml")])).unwrap_err();
    assert!(error.to_string().contains("text or json"), "{error}");
}

#[test]
fn a_bad_sender_is_refused_at_load_naming_the_variable() {
    let error = Settings::from_sources(None, env(&[("COMPENDIUM_MAIL_FROM", "not-an-address")]))
        .unwrap_err();
    assert!(
        error.to_string().contains("COMPENDIUM_MAIL_FROM"),
        "{error}"
    );
    let named = Settings::from_sources(
        None,
        env(&[("COMPENDIUM_MAIL_FROM", "Compendium <compendium@un.example>")]),
    )
    .unwrap();
    assert_eq!(
        named.settings.mail.from.email.to_string(),
        "compendium@un.example"
    );
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
        ok.settings.storage.database_url.as_deref(),
        Some("postgres://u:p@h/db")
    );
    assert_eq!(
        redact_password("postgres://u:p@h/db"),
        "postgres://u:***@h/db"
    );
    assert_eq!(redact_password("postgres://h/db"), "postgres://h/db");
    assert_eq!(
        redact_password("postgres://u@h/db?sslmode=require&password=s3cret&sslrootcert=/ca@x.pem"),
        "postgres://u@h/db?sslmode=require&password=***&sslrootcert=/ca@x.pem"
    );
}

#[test]
fn a_database_url_names_a_tls_mode_libpq_knows() {
    for mode in ["disable", "require", "verify-ca", "verify-full"] {
        let url = format!("postgres://u@h/db?sslmode={mode}&sslrootcert=/etc/ca.pem");
        let loaded = Settings::from_sources(None, env(&[("COMPENDIUM_DATABASE_URL", &url)]));
        assert!(loaded.is_ok(), "{mode}");
    }
    let error = Settings::from_sources(
        None,
        env(&[(
            "COMPENDIUM_DATABASE_URL",
            "postgres://u:secret@h/db?sslmode=verify_full",
        )]),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("verify-full"), "{error}");
    assert!(!error.contains("secret"), "{error}");
    assert_eq!(
        url_parameter(
            "postgres://h/db?application_name=a%20b&sslmode=require",
            "sslmode"
        )
        .as_deref(),
        Some("require")
    );
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
    assert_eq!(loaded.settings.mail.smtp_url, None);
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
    assert_eq!(loaded.settings.http.public_url, "https://compendium.un.org");
}
