//! A page of a list ordered by id: the one way every list is cut.

/// Rows a page has when the client does not say.
pub const DEFAULT_LIMIT: u32 = 20;
/// Rows a page may have at most.
pub const MAX_LIMIT: u32 = 100;

/// A page of a list ordered by id: at most `limit` rows after `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub after: Option<String>,
}

impl Page {
    /// One row more than asked, to know whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}
