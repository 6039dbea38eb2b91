//! Rules and database work of what a request sees through a portal. The map:
//! - `model`: the stored scope, the items a portal curates (kinds and typed ids), the view a
//!   request carries;
//! - `read`: portals by key, slug and id, the list, hidden items, collections;
//! - `scope`: the conditions a portal adds to the shared lists;
//! - `reach`: view counts per portal and day, batched, and the most opened items;
//! - `origins`: the portals' browser origins for CORS.
//!
//! Writing portals and curating them is the `curation` area's, above the lists it curates.

mod model;
mod origins;
mod reach;
mod read;
mod scope;

pub use model::*;
pub use origins::*;
pub use reach::*;
pub use read::*;
pub use scope::*;

use std::sync::Arc;
use std::time::Duration;

/// The portals' handle of one instance: what it keeps between requests. Cheap to clone; the
/// clones share it.
#[derive(Clone)]
pub struct Portals {
    /// Portal views counted on this instance, not yet written.
    pub reach: Arc<ReachCounter>,
    /// The portals' browser origins, for CORS.
    pub origins: Arc<PortalOrigins>,
}

impl Portals {
    /// A client address counts at most `views_per_minute` views a minute
    /// (`--portal-views-per-minute`); the origins are read again when older than
    /// `origins_refresh` (`--portal-origins-refresh-secs`).
    pub fn new(views_per_minute: u32, origins_refresh: Duration) -> Self {
        Portals {
            reach: Arc::new(ReachCounter::new(views_per_minute)),
            origins: Arc::new(PortalOrigins::new(origins_refresh)),
        }
    }
}
