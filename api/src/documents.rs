//! Documents: files attached to good practices, training events and forum posts, kept in the
//! object store ([`crate::storage`]) once per content, typed by their bytes, downloaded through
//! plain or signed links, their text read for search.

pub mod loaders;
pub mod routes;
pub mod schema;
pub mod service;
