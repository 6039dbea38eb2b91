//! Rules and database work of good practices. The map:
//! - `content`: what a practice says, checked (Markdown rendered, references resolved, masks);
//! - `write`: creating, changing and publishing/archiving by editors (lock, then compare versions);
//! - `rows`, `relations`, `slugs`: storing rows and new versions, their relations and search
//!   index, free slugs and external ids;
//! - `read`, `facets`, `hits`: the filtered list with German search, the facet counts, the root
//!   search's part;
//! - `page_relations`: the relations of a page of practices, loaded once for the page;
//! - `joined`: a list page read with its agencies and municipalities in one statement;
//! - `similar`: "practices from places like mine" (the list narrowed to similar municipalities,
//!   ranked on the indicators' cached matrices);
//! - `state_masks`: [`StateMasks`], the directory's hook that keeps the state masks up to date
//!   when a municipality moves to another state;
//! - `sync` (+ `sync/plan`, `sync/apply`, `sync/report`): the partner agencies' push;
//! - `feed` (+ `feed_purge`): the change feed (positions in commit order, tombstones, live
//!   subscription, purging old tombstones);
//! - `occurrences`: what a change tells the webhooks (`practice.changed`);
//! - `attached`: the text of a practice's files in its search index.

mod attached;
mod columns;
mod content;
mod facets;
mod feed;
mod feed_purge;
mod hits;
mod joined;
mod occurrences;
mod page_relations;
mod read;
mod references;
mod relations;
mod rows;
mod similar;
mod slugs;
mod state_masks;
mod sync;
mod write;

pub use attached::reindex_practice;
pub use columns::{FED, ID_COLUMN, LISTED, PLAIN_TEXT, PracticeColumns};
pub use content::*;
pub use facets::*;
pub use feed::*;
pub use feed_purge::purge_tombstones;
pub use hits::*;
pub use page_relations::{PageRelations, Wanted};
pub use read::*;
pub use references::References;
pub use relations::*;
pub use rows::*;
pub use similar::{LikeFilter, resolve_like};
pub use state_masks::*;
pub use sync::*;
pub use write::*;
