//! What the service tells its operators: log lines (human or JSON), a
//! request id on every answer, and Prometheus metrics by route and status.

pub mod metrics;
pub mod progress;
pub mod request_id;

pub use metrics::Metrics;
pub use request_id::current as current_request_id;

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Why logging could not start.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    #[error("COMPENDIUM_LOG_LEVEL={filter:?} is not valid: {source}")]
    Filter {
        filter: String,
        source: tracing_subscriber::filter::ParseError,
    },
    #[error("cannot install the logger: {0}")]
    Install(Box<dyn std::error::Error + Send + Sync>),
}

/// Installs the global log subscriber once. Logs go to standard error, so
/// commands that print data on standard output (`compendium openapi`) stay clean.
pub fn init_logging(format: LogFormat, filter: &str) -> Result<(), LoggingError> {
    let filter = EnvFilter::try_new(filter).map_err(|source| LoggingError::Filter {
        filter: filter.to_owned(),
        source,
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never in files or journals.
        .with_ansi(std::io::stderr().is_terminal());
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
    };
    result.map_err(LoggingError::Install)
}
