//! Curation: an agency's portal as its administrators and editors manage it, above the shared
//! lists it curates. The `Portal` object (settings, scope, collections, hidden items, reach),
//! its collections, the `CuratedItem` union of practices, events and forums, and the mutations
//! that create and change portals, hide items, override teasers and set collections — none of
//! which copies or changes the canonical records.
//!
//! What a request sees through a portal (scope, hidden items, teaser overrides, origins, reach
//! counting) is the `portals` area's, below practices, events and forums, which apply it.

pub mod schema;
pub mod service;
