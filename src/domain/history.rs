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

/// The version an editor last saw submitted, when the submission has come
/// back since: the version before the latest run of submitted ones that is
/// itself submitted, with a request for changes between. `None` for a
/// first submission.
pub fn previously_submitted(versions: &[VersionInfo]) -> Option<i64> {
    let submitted = |v: &&VersionInfo| v.status == "submitted";
    let mut earlier = versions.iter().rev().skip_while(submitted);
    earlier.find(submitted).map(|v| v.version)
}

/// An entry of the administrators' audit log: who did what to which
/// record, with the record before and after.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// An event of the audit trail, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub at: DateTime<Utc>,
    /// Who acted: an account's email, or "command line".
    pub actor: String,
    /// `create`, `update`, `submit`, `withdraw`, `request_changes`, `accept`, `reject`, `curate`, `translate`, `import`.
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(statuses: &[&str]) -> Vec<VersionInfo> {
        statuses
            .iter()
            .enumerate()
            .map(|(i, status)| VersionInfo {
                version: i as i64 + 1,
                status: (*status).to_owned(),
                saved_at: chrono::DateTime::UNIX_EPOCH,
            })
            .collect()
    }

    #[test]
    fn the_previous_submission_is_found_across_a_request_for_changes() {
        let round = versions(&[
            "draft",
            "draft",
            "submitted",
            "changes_requested",
            "changes_requested",
            "submitted",
        ]);
        assert_eq!(previously_submitted(&round), Some(3));
        assert_eq!(
            previously_submitted(&versions(&["draft", "submitted"])),
            None
        );
        assert_eq!(previously_submitted(&[]), None);
    }
}
