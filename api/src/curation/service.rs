//! Rules and database work of curating portals. The map:
//! - `checks`: origins and scopes as clients write them, checked and resolved;
//! - `write`: creating and changing portals, rotating keys (agency administrators);
//! - `curation`: who curates a portal, hiding items, teaser overrides (agency editors);
//! - `collections`: a portal's ordered collections (agency editors).
//!
//! What they read and count through a portal is [`crate::portals::service`]'s.

mod checks;
mod collections;
mod curation;
mod write;

pub use checks::*;
pub use collections::*;
pub use curation::*;
pub use write::*;
