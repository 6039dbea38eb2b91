//! Search: the German text analysis every full-text index shares ([`analysis`]), and the root
//! `search` field that looks through good practices, training events and forum threads at once.

pub mod analysis;
pub mod schema;
pub mod service;

pub use analysis::*;
