//! Renderers: how the catalogue and compilations leave the service.

pub mod assessment;
pub mod atom;
pub mod csv;
pub mod edition;
pub mod linked_data;
pub mod oai;
pub mod sitemap;
pub mod word;
pub mod xml;
