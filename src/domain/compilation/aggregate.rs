//! A compilation as the Secretariat keeps it: a draft that editors shape,
//! then an edition, numbered and frozen. Its changes are methods that also
//! count the version, so no use case can forget it.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{Assembly, EditionNumber, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompilationStatus {
    Draft,
    Published,
}

impl CompilationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CompilationStatus::Draft => "draft",
            CompilationStatus::Published => "published",
        }
    }
}

/// A compilation as stored, without its entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Compilation {
    pub id: String,
    pub status: CompilationStatus,
    pub title: String,
    /// Markdown.
    pub introduction: Option<String>,
    pub scope: Scope,
    /// Practices in scope the editors left out, by id.
    pub excluded: BTreeSet<String>,
    /// Practices in scope with no annex item to stand under.
    pub untagged: Vec<String>,
    pub entries_count: i64,
    /// Counts every change from 1.
    pub version: i64,
    /// Given on publication; a draft has none.
    pub number: Option<EditionNumber>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the entries were last gathered from the catalogue.
    pub assembled_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<String>,
    /// The last catalogue change the assembly had seen (0: none known).
    pub assembled_through: i64,
}

impl Compilation {
    /// Takes a new assembly of its entries: a new version, assembled now.
    pub fn reassemble(&mut self, assembly: &Assembly, now: DateTime<Utc>) {
        self.assembled_through = assembly.through;
        self.untagged = assembly.untagged.clone();
        self.entries_count = assembly.entries.len() as i64;
        self.version += 1;
        self.updated_at = now;
        self.assembled_at = now;
    }

    /// Makes the draft an edition: numbered, its entries those of
    /// `assembly` (frozen from now on), published by `publisher` now.
    pub fn publish(
        &mut self,
        assembly: &Assembly,
        number: EditionNumber,
        publisher: Option<String>,
        now: DateTime<Utc>,
    ) {
        self.number = Some(number);
        self.status = CompilationStatus::Published;
        self.published_at = Some(now);
        self.published_by = publisher;
        self.reassemble(assembly, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compilation::Scope;

    fn at(second: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + second, 0).expect("a valid time")
    }

    fn draft() -> Compilation {
        Compilation {
            id: "c1".to_owned(),
            status: CompilationStatus::Draft,
            title: "Compilation".to_owned(),
            introduction: None,
            scope: Scope::default(),
            excluded: BTreeSet::new(),
            untagged: Vec::new(),
            entries_count: 0,
            version: 1,
            number: None,
            created_by: None,
            created_at: at(0),
            updated_at: at(0),
            assembled_at: at(0),
            published_at: None,
            published_by: None,
            assembled_through: 0,
        }
    }

    #[test]
    fn reassembling_and_publishing_each_make_a_new_version() {
        let mut compilation = draft();
        let assembly = Assembly {
            entries: Vec::new(),
            untagged: vec!["p9".to_owned()],
            through: 41,
        };
        compilation.reassemble(&assembly, at(1));
        assert_eq!((compilation.version, compilation.assembled_at), (2, at(1)));
        assert_eq!(compilation.assembled_through, 41);
        assert_eq!(compilation.untagged, ["p9"]);
        let number = EditionNumber::next(at(2), Some(3));
        compilation.publish(&assembly, number, Some("u1".to_owned()), at(2));
        assert_eq!(compilation.status, CompilationStatus::Published);
        assert_eq!(compilation.number, Some(number));
        assert_eq!(compilation.version, 3);
        assert_eq!(compilation.published_at, Some(at(2)));
        assert_eq!(compilation.published_by.as_deref(), Some("u1"));
    }
}
