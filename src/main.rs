//! The command line: every command reads the same settings
//! (`COMPENDIUM_*` variables over an optional TOML file).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use compendium::config::Settings;
use compendium::store::Store;
use compendium::{telemetry, Application};

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
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (regenerates openapi/openapi.json).
    Openapi,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        print!("{}", compendium::api::openapi::document_json());
        return ExitCode::SUCCESS;
    }
    let loaded = match Settings::load(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("compendium: {error}");
            return ExitCode::from(2);
        }
    };
    let settings = loaded.settings;
    if let Err(error) = telemetry::init_logging(settings.log_format, &settings.log_level) {
        eprintln!("compendium: {error}");
        return ExitCode::from(2);
    }
    for variable in loaded.unknown_variables {
        tracing::warn!(%variable, "ignoring a COMPENDIUM_ variable that names no setting");
    }
    let result = match cli.command {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
        Command::Openapi => Ok(()),
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

fn serve(settings: Settings) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async move {
        let application = Application::build(settings)
            .await
            .map_err(|e| e.to_string())?;
        application
            .run_until_stopped()
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!("stopped gracefully");
        Ok(())
    })
}

fn migrate(settings: &Settings) -> Result<(), String> {
    let store = Store::open(settings).map_err(|e| e.to_string())?;
    let applied = store.migrate().map_err(|e| e.to_string())?;
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
