//! TLS to PostgreSQL: the server speaks TLS when the URL asks for it, on
//! every connection it opens, and a certificate that does not check out is
//! refused with advice an operator can act on. Runs against the test
//! PostgreSQL, which must have `ssl = on` (CI's does; `.ci/run` checks).

use std::process::Output;

use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

use crate::helpers::{postgres_url, ScratchDatabase};
use crate::process::{agent, command, Server};

const UNRELATED_CA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/tls/unrelated-ca.pem"
);

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// A connection to the test PostgreSQL when one is given and its TLS is
/// on; `None` (said, and in CI a failure) otherwise.
fn server_with_tls() -> Option<PgConnection> {
    let url = postgres_url()?;
    let mut admin = PgConnection::establish(&url).expect("the test PostgreSQL answers");
    let ssl = setting(&mut admin, "ssl");
    if ssl != "on" {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs PostgreSQL with ssl = on"
        );
        eprintln!("the test PostgreSQL has ssl = {ssl}: the TLS checks are skipped");
        return None;
    }
    Some(admin)
}

fn setting(connection: &mut PgConnection, name: &str) -> String {
    diesel::sql_query("SELECT current_setting($1) AS value")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result::<Setting>(connection)
        .expect("a setting")
        .value
}

fn with_parameters(url: &str, parameters: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{parameters}")
}

/// `compendium migrate` against `url`.
fn migrate(url: &str) -> Output {
    let data = tempfile::tempdir().unwrap();
    command(data.path(), None, &[("COMPENDIUM_DATABASE_URL", url)])
        .arg("migrate")
        .output()
        .expect("the binary runs")
}

#[derive(QueryableByName, Debug)]
struct Connections {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    all: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    encrypted: i64,
}

#[test]
fn with_sslmode_require_every_connection_of_the_server_is_encrypted() {
    let Some(mut admin) = server_with_tls() else {
        return;
    };
    let database = ScratchDatabase::create();
    let name = format!("compendium-tls-{}", uuid::Uuid::now_v7().simple());
    let url = with_parameters(
        &database.url,
        &format!("sslmode=require&application_name={name}"),
    );
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(command(
        data.path(),
        None,
        &[("COMPENDIUM_DATABASE_URL", &url)],
    ));
    // Requests side by side, so that the pool opens more than one
    // connection besides the workers' own.
    std::thread::scope(|scope| {
        for _ in 0..6 {
            scope.spawn(|| {
                for path in [
                    "/readyz",
                    "/api/v1/practices?q=incident",
                    "/api/v1/entities",
                ] {
                    let answer = agent().get(&server.url(path)).call().expect("an answer");
                    assert_eq!(answer.status(), 200, "{path}");
                }
            });
        }
    });
    let seen = diesel::sql_query(
        "SELECT count(*) AS all, count(*) FILTER (WHERE s.ssl) AS encrypted \
         FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid \
         WHERE a.application_name = $1",
    )
    .bind::<diesel::sql_types::Text, _>(&name)
    .get_result::<Connections>(&mut admin)
    .expect("the server's connections");
    assert!(seen.all >= 2, "{seen:?}");
    assert_eq!(seen.encrypted, seen.all, "{seen:?}");
    drop(server);
}

#[test]
fn verify_full_against_a_ca_that_signed_nothing_here_is_refused_with_advice() {
    if server_with_tls().is_none() {
        return;
    }
    let database = ScratchDatabase::create();
    let url = with_parameters(
        &database.url,
        &format!("sslmode=verify-full&sslrootcert={UNRELATED_CA}"),
    );
    let output = migrate(&url);
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{error}");
    assert!(error.contains("certificate verify failed"), "{error}");
    assert!(
        error.contains("set sslrootcert to the CA certificate that signed it"),
        "{error}"
    );
    // Nothing was written through a connection it does not trust.
    let mut connection = PgConnection::establish(&database.url).unwrap();
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let tables = diesel::sql_query(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .get_result::<Count>(&mut connection)
    .unwrap();
    assert_eq!(tables.n, 0);
}

#[test]
fn verify_ca_with_the_ca_of_the_servers_certificate_connects() {
    let Some(mut admin) = server_with_tls() else {
        return;
    };
    // The CA file the server names, else its own certificate: Debian's
    // cluster serves a self-signed one, which is its own CA.
    let ca = match setting(&mut admin, "ssl_ca_file") {
        file if !file.is_empty() => file,
        _ => setting(&mut admin, "ssl_cert_file"),
    };
    let data_dir = setting(&mut admin, "data_directory");
    let ca = if ca.starts_with('/') {
        ca
    } else {
        format!("{data_dir}/{ca}")
    };
    if std::fs::read(&ca).is_err() {
        eprintln!("{ca} is not readable here: the verify-ca check is skipped");
        return;
    }
    let database = ScratchDatabase::create();
    let url = with_parameters(
        &database.url,
        &format!("sslmode=verify-ca&sslrootcert={ca}"),
    );
    let output = migrate(&url);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
