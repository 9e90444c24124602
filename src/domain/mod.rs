//! Pure domain rules and types: no I/O, no framework. Everything here is
//! unit-tested beside the code.

pub mod account;
pub mod clock;
pub mod compilation;
pub mod coverage;
pub mod language;
pub mod submission;
pub mod workflow;

pub use language::Language;
