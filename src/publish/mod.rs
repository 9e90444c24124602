//! Renderers: how the catalogue and compilations leave the service.

pub mod csv;
pub mod markdown;
