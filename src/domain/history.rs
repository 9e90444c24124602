//! A submission's past as readers of the trail see it: its saved versions
//! and the events that made them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A saved version in a list: when and in which status, not the document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionInfo {
    pub version: i64,
    pub status: String,
    pub saved_at: DateTime<Utc>,
}

/// An event of the audit trail, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub at: DateTime<Utc>,
    /// Who acted: an account's email, or "command line".
    pub actor: String,
    /// `create`, `update`, `submit`, `withdraw`, `request_changes`, `accept`, `reject`, `curate`, `import`.
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
