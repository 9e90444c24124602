//! The interchange format: one JSON object a line, as `compendium import`
//! reads and `compendium export` writes, and as the labelled sets of the
//! tagger are kept. Only its shape is here; checking a line is the import's.

use serde::{Deserialize, Serialize};

/// One line of an import or export file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub entity: String,
    pub language: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `submitted` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// RFC 3339; the time of the import when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<String>,
    pub practices: Vec<LinePractice>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinePractice {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub items: Vec<i64>,
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Courtesy translations of its title and body into other UN languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<LineTranslation>,
}

/// A courtesy translation of a practice, in a line.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineTranslation {
    pub language: String,
    pub title: String,
    pub body: String,
    /// `focal_point` (sent with the reply; when absent) or `secretariat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}
