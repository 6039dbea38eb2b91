//! Good practices (Praxisbeispiele): the editorial workflow (draft, published, archived, with
//! optimistic versions), German full-text search with facets, and the content the partner sync
//! pushes and pulls.

pub mod loaders;
pub mod schema;
pub mod service;
