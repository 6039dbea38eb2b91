//! Rules and database work of good practices.

mod content;
mod facets;
mod feed;
mod hits;
mod read;
mod relations;
mod rows;
mod slugs;
mod sync;
mod write;

pub use content::*;
pub use facets::*;
pub use feed::*;
pub use hits::*;
pub use read::*;
pub use relations::*;
pub use rows::*;
pub use sync::*;
pub use write::*;
