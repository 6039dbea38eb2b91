//! Rules and database work of portals. The map:
//! - `model`: the stored scope, the kinds of curated items, the view a request carries;
//! - `checks`: origins and scopes as clients write them, checked and resolved;
//! - `read`: portals by key, slug and id, the list, collections;
//! - `write`: creating and changing portals, rotating keys (agency administrators);
//! - `curation`, `collections`: hiding, teaser overrides, collections (agency editors);
//! - `scope`: the conditions a portal adds to the shared lists;
//! - `reach`: view counts per portal and day, batched, and the most opened items;
//! - `origins`: the portals' browser origins for CORS.

mod checks;
mod collections;
mod curation;
mod model;
mod origins;
mod reach;
mod read;
mod scope;
mod write;

pub use checks::*;
pub use collections::*;
pub use curation::*;
pub use model::*;
pub use origins::*;
pub use reach::*;
pub use read::*;
pub use scope::*;
pub use write::*;
