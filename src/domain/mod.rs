//! Pure domain rules and types: no I/O, no framework. Everything here is
//! unit-tested beside the code.

pub mod account;
pub mod clock;
pub mod language;

pub use language::Language;
