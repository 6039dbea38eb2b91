//! Search across areas: the root `search` field that looks through good practices, training
//! events and forum threads at once. The German text analysis every full-text index shares is
//! [`crate::text::analysis`].

pub mod schema;
pub mod service;
