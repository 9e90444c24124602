//! Text handling shared by search, tagging, pages and renderers: safe
//! Markdown, escaping, and the per-language analyzers. It lives low so that
//! the rooms that read text agree on it without depending on each other.

pub mod analyzers;
pub mod collation;
pub mod concepts;
mod escape;
pub mod markdown;

pub use escape::escape_html;
