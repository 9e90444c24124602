//! The command line: every command reads the same settings
//! (`COMPENDIUM_*` variables over an optional TOML file).

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use compendium::auth::password::Passwords;
use compendium::config::Settings;
use compendium::domain::account::Actor;
use compendium::domain::account::{Email, Role};
use compendium::error::AppError;
use compendium::search::IndexError;
use compendium::service::accounts::{self, AccountRequest};
use compendium::service::exchange;
use compendium::service::reindex::{self, ReindexError, Reindexed};
use compendium::store::backup::BackupError;
use compendium::store::Store;
use compendium::store::StoreError;
use compendium::tagging::LexiconError;
use compendium::telemetry::progress::Progress;
use compendium::{telemetry, Application, StartupError};

/// Why a command failed; printed as one line, and the exit status is 1.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Reindex(#[from] ReindexError),
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    #[error(transparent)]
    Passwords(#[from] compendium::auth::password::PasswordError),
    #[error("{0}")]
    App(#[from] AppError),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    /// An argument or input that is not what the command takes.
    #[error("{0}")]
    Invalid(String),
    /// The command ran, and what it found is a failure (refused lines,
    /// figures below their thresholds).
    #[error("{0}")]
    Unmet(String),
}

/// An I/O error, said with what was being done.
fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> CliError {
    let what = what.into();
    move |source| CliError::Io { what, source }
}

#[derive(Parser)]
#[command(
    name = "compendium",
    version,
    about = "Best practices for cybersecurity under UN resolution 64/211"
)]
struct Cli {
    /// A TOML file of settings; `COMPENDIUM_*` variables override it.
    #[arg(long, global = true, env = "COMPENDIUM_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve HTTP until SIGTERM or SIGINT.
    Serve,
    /// Copy the SQLite database (and the generated signing key) into DIR,
    /// consistently, while the server runs. PostgreSQL: use pg_dump.
    Backup {
        /// A new or empty directory.
        dir: std::path::PathBuf,
    },
    /// Put a backup into an empty data directory; the search index is
    /// rebuilt at the next start.
    Restore {
        /// A directory written by `compendium backup`.
        dir: std::path::PathBuf,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (regenerates openapi/openapi.json).
    Openapi,
    /// Import submissions from a JSON Lines file (one submission a line),
    /// or, with `--sample`, the sample catalogue into an empty database.
    Import {
        #[arg(required_unless_present = "sample")]
        file: Option<PathBuf>,
        /// Check every line and report, but store nothing.
        #[arg(long)]
        dry_run: bool,
        /// Load the sample catalogue (practices in six languages and a
        /// published compilation), for a first look; only into an empty
        /// catalogue.
        #[arg(long, conflicts_with_all = ["file", "dry_run"])]
        sample: bool,
    },
    /// Export every submission to a JSON Lines file, in the import format.
    Export { file: PathBuf },
    /// Rebuild the search index from the database. With no server on this
    /// data directory, here and now; while servers run, each rebuilds its
    /// own aside and switches to it, searches going on meanwhile, and the
    /// command waits until they have.
    Reindex {
        /// How many running replicas to wait for (their indexes are theirs).
        #[arg(long, default_value_t = 1)]
        replicas: i64,
        /// How long to wait for them, in seconds.
        #[arg(long, default_value_t = 1800)]
        wait_seconds: u64,
    },
    /// Measure the annex-item suggestions on practices whose items are
    /// known (the import format): top-1 accuracy, top-3 recall and
    /// micro-F1, per language and per section. Needs no database.
    TaggingEval {
        /// One or more files, measured together: the import format, or a
        /// labelled set's (`tests/data/concepts/practices.jsonl`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Of a labelled set, only this split (dev or heldout).
        #[arg(long)]
        split: Option<String>,
        /// List the practices whose first suggestion is not the main item.
        #[arg(long)]
        misses: bool,
        /// Decided practices to train the learned model on first; without
        /// it, the lexicon alone is measured.
        #[arg(long)]
        train: Option<PathBuf>,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
        /// Fail (exit 1) when top-1 accuracy is below this.
        #[arg(long, default_value_t = 0.0)]
        require_top1: f64,
        /// Fail when top-3 recall is below this.
        #[arg(long, default_value_t = 0.0)]
        require_top3: f64,
        /// Fail when top-1 accuracy in any language is below this.
        #[arg(long, default_value_t = 0.0)]
        require_language_top1: f64,
    },
    /// Measure search recall at 10 on one split of a labelled set
    /// (`tests/data/concepts`), within and across languages, in a scratch
    /// catalogue. Needs no database.
    SearchEval {
        #[arg(long, default_value = "tests/data/concepts/practices.jsonl")]
        practices: PathBuf,
        #[arg(long, default_value = "tests/data/concepts/queries.jsonl")]
        queries: PathBuf,
        /// `dev` to tune on, `heldout` to report.
        #[arg(long, default_value = "heldout")]
        split: String,
        /// Keep to the queries' own words (no concept expansion).
        #[arg(long)]
        no_expand: bool,
        /// Also list the queries that missed something.
        #[arg(long)]
        misses: bool,
        /// Fail (exit 1) when recall within a language is below this.
        #[arg(long, default_value_t = 0.0)]
        require_within: f64,
        /// Fail when recall across languages is below this.
        #[arg(long, default_value_t = 0.0)]
        require_cross: f64,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account: the first admin, or accounts made by scripts.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// focal_point, editor or admin.
        #[arg(long)]
        role: String,
        /// The entity a focal point speaks for (e.g. FRA, AU).
        #[arg(long)]
        entity: Option<String>,
        /// Read the password from the first line of standard input; without
        /// it a strong password is generated and printed once.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn main() -> ExitCode {
    // OpenSSL initialised before libpq does it, without its exit handler:
    // that handler frees OpenSSL's tables when main returns, while a pool
    // thread may still be opening a TLS connection to PostgreSQL, and the
    // process then dies of a segfault after its work is done (seen once in
    // CI, on `compendium export`; r2d2 issue 137, OpenSSL issue 6214).
    openssl_sys::init();
    let cli = Cli::parse();
    match cli.command {
        Command::Openapi => {
            print!("{}", compendium::api::openapi::document_json());
            return ExitCode::SUCCESS;
        }
        Command::TaggingEval {
            files,
            split,
            misses,
            train,
            json,
            require_top1,
            require_top3,
            require_language_top1,
        } => {
            let thresholds = (require_top1, require_top3, require_language_top1);
            return match tagging_eval(
                (&files, split.as_deref()),
                train.as_deref(),
                (json, misses),
                thresholds,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("compendium: {error}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::SearchEval {
            practices,
            queries,
            split,
            no_expand,
            misses,
            require_within,
            require_cross,
        } => {
            let files = (practices.as_path(), queries.as_path());
            let floors = (require_within, require_cross);
            return match search_eval(files, &split, !no_expand, misses, floors) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("compendium: {error}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    let loaded = match Settings::load(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("compendium: {error}");
            return ExitCode::from(2);
        }
    };
    let settings = loaded.settings;
    if let Err(error) = telemetry::init_logging(settings.log.format, &settings.log.level) {
        eprintln!("compendium: {error}");
        return ExitCode::from(2);
    }
    for variable in loaded.unknown_variables {
        tracing::warn!(%variable, "ignoring a COMPENDIUM_ variable that names no setting");
    }
    let result = match cli.command {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
        Command::Backup { dir } => backup(&settings, &dir),
        Command::Restore { dir } => restore(&settings, &dir),
        // Answered above, before settings are read.
        Command::Openapi | Command::TaggingEval { .. } | Command::SearchEval { .. } => Ok(()),
        Command::Import {
            file: Some(file),
            dry_run,
            ..
        } => import(&settings, &file, dry_run),
        Command::Import { file: None, .. } => import_sample(&settings),
        Command::Export { file } => export(&settings, &file),
        Command::Reindex {
            replicas,
            wait_seconds,
        } => reindex(&settings, replicas, Duration::from_secs(wait_seconds)),
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    name,
                    role,
                    entity,
                    password_stdin,
                },
        } => create_user(&settings, email, name, role, entity, password_stdin),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "stopped");
            eprintln!("compendium: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(settings: Settings) -> Result<(), CliError> {
    actix_web::rt::System::new().block_on(async move {
        let application = Application::build(settings).await?;
        application
            .run_until_stopped()
            .await
            .map_err(io("serving HTTP"))?;
        tracing::info!("stopped gracefully");
        Ok(())
    })
}

fn backup(settings: &Settings, dir: &std::path::Path) -> Result<(), CliError> {
    let store = Store::open(settings)?;
    let report = compendium::store::backup::backup(&store, settings, dir)?;
    println!(
        "backed up the database ({} bytes{}) into {}",
        report.bytes,
        if report.signing_key {
            " and the signing key"
        } else {
            ""
        },
        dir.display()
    );
    Ok(())
}

fn restore(settings: &Settings, dir: &std::path::Path) -> Result<(), CliError> {
    compendium::store::backup::restore(settings, dir)?;
    println!(
        "restored {} into {}; the search index is rebuilt at the next start",
        dir.display(),
        settings.storage.data_dir.display()
    );
    Ok(())
}

fn tagging_eval(
    (files, split): (&[PathBuf], Option<&str>),
    train: Option<&Path>,
    (json, misses): (bool, bool),
    (top1, top3, language_top1): (f64, f64, f64),
) -> Result<(), CliError> {
    let report = compendium::tagging::evaluation::measure_files((files, split), train)
        .map_err(CliError::Invalid)?;
    if json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| CliError::Invalid(format!("the report is not JSON: {e}")))?;
        println!("{text}");
    } else {
        print!("{}", report.to_table());
        if misses {
            print!("{}", report.misses_table());
        }
    }
    let shortfalls = report.shortfalls(top1, top3, language_top1);
    if shortfalls.is_empty() {
        Ok(())
    } else {
        Err(CliError::Unmet(shortfalls.join("; ")))
    }
}

fn search_eval(
    (practices, queries): (&Path, &Path),
    split: &str,
    expand: bool,
    misses: bool,
    (within, cross): (f64, f64),
) -> Result<(), CliError> {
    let report =
        compendium::service::evaluation::measure_search(practices, queries, split, expand)?;
    print!("{}", report.to_table());
    if misses {
        for (key, text, recall) in &report.misses {
            println!("  miss {key} {recall:.2} {text}");
        }
    }
    let shortfalls = report.shortfalls(within, cross);
    match shortfalls.is_empty() {
        true => Ok(()),
        false => Err(CliError::Unmet(shortfalls.join("; "))),
    }
}

fn migrate(settings: &Settings) -> Result<(), CliError> {
    let store = Store::open(settings)?;
    let applied = store.migrate()?;
    if applied.is_empty() {
        println!("{}: no pending migrations", store.backend().describe());
    } else {
        println!(
            "{}: applied {}",
            store.backend().describe(),
            applied.join(", ")
        );
    }
    Ok(())
}

fn create_user(
    settings: &Settings,
    email: String,
    name: String,
    role: String,
    entity: Option<String>,
    password_stdin: bool,
) -> Result<(), CliError> {
    let email = Email::parse(&email).map_err(CliError::Invalid)?;
    let role: Role = role.parse().map_err(CliError::Invalid)?;
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(io("cannot read the password from standard input"))?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (generate_password()?, true)
    };
    let account = accounts::check(AccountRequest {
        email,
        name,
        role,
        entity,
        password: Some(password),
    })?;
    let passwords = Passwords::new(settings)?;
    let password = account
        .password
        .as_ref()
        .ok_or_else(|| CliError::Invalid("a password is needed here".to_owned()))?;
    let password_hash = passwords.hash(password)?;
    let shown_password = generated.then(|| password.expose().to_owned());

    let store = Store::open(settings)?;
    store.migrate()?;
    let mut connection = store.blocking_connection()?;
    let user = accounts::create(
        &mut connection,
        account,
        Some(password_hash),
        Actor::CommandLine,
    )?;
    println!("created {} {} (id {})", user.role, user.email, user.id);
    if let Some(password) = shown_password {
        println!("password (shown once): {password}");
    }
    Ok(())
}

/// 144 random bits, written in 24 URL-safe characters.
fn generate_password() -> Result<String, CliError> {
    use base64::Engine;
    let mut random = [0u8; 18];
    getrandom::fill(&mut random)
        .map_err(|e| CliError::Invalid(format!("cannot generate a password: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random))
}

fn import_sample(settings: &Settings) -> Result<(), CliError> {
    let store = Store::open(settings)?;
    store.migrate()?;
    let mut connection = store.blocking_connection()?;
    let tagger = compendium::tagging::Tagger::new()?;
    let now = compendium::domain::clock::now();
    let report = compendium::service::sample::load(&mut connection, &tagger, now)?;
    println!(
        "sample catalogue loaded: {} practices, compilation edition {} published",
        report.practices, report.edition
    );
    Ok(())
}

fn import(settings: &Settings, file: &Path, dry_run: bool) -> Result<(), CliError> {
    let opened =
        std::fs::File::open(file).map_err(io(format!("cannot open {}", file.display())))?;
    let total_bytes = opened.metadata().map(|m| m.len()).unwrap_or(0);
    let store = Store::open(settings)?;
    store.migrate()?;
    let mut connection = store.blocking_connection()?;
    let started = Instant::now();
    let mut display = Progress::new("importing", total_bytes);
    let tagger = compendium::tagging::Tagger::new()?;
    let report = exchange::import(
        &mut connection,
        BufReader::with_capacity(1 << 20, opened),
        dry_run,
        &tagger,
        |progress| {
            let said = format!(
                "{} lines, {} submissions",
                progress.lines, progress.submissions
            );
            display.show(progress.bytes_read, &said);
        },
    )?;
    display.finish();
    for refusal in &report.refused {
        eprintln!("line {}: {}", refusal.line, refusal.reason);
    }
    let verb = if dry_run {
        "checked (dry run, nothing stored)"
    } else {
        "imported"
    };
    println!(
        "{verb}: {} submissions with {} practices from {} lines in {:.1} s; {} lines refused",
        report.submissions,
        report.practices,
        report.lines,
        started.elapsed().as_secs_f64(),
        report.refused.len()
    );
    if report.refused.is_empty() {
        Ok(())
    } else {
        Err(CliError::Unmet(format!(
            "{} lines were refused (see above); the others were {verb}",
            report.refused.len()
        )))
    }
}

fn export(settings: &Settings, file: &Path) -> Result<(), CliError> {
    let store = Store::open(settings)?;
    store.migrate()?;
    let output =
        std::fs::File::create(file).map_err(io(format!("cannot create {}", file.display())))?;
    let written = exchange::export(&store, std::io::BufWriter::new(output))?;
    println!("exported {written} submissions to {}", file.display());
    Ok(())
}

/// A progress bar on a terminal; a log line every few seconds otherwise.
fn reindex(settings: &Settings, replicas: i64, wait: Duration) -> Result<(), CliError> {
    let started = Instant::now();
    let store = Store::open(settings)?;
    store.migrate()?;
    let asked = |generation| {
        println!("a server holds the index: asked the running servers to rebuild theirs (generation {generation}); waiting for {replicas}");
    };
    match reindex::reindex(&store, &settings.index_dir(), replicas, wait, asked)? {
        Reindexed::Here {
            practices,
            sequence,
        } => println!(
            "reindexed {practices} practices (catalogue change {sequence}) in {:.1} s",
            started.elapsed().as_secs_f64()
        ),
        Reindexed::ByServers { replicas, .. } => println!(
            "rebuilt while serving by {replicas} replica(s) in {:.1} s",
            started.elapsed().as_secs_f64()
        ),
    }
    Ok(())
}
