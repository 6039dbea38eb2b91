//! Rules and database work of good practices.

mod content;
mod feed;
mod read;
mod write;

pub use content::*;
pub use feed::*;
pub use read::*;
pub use write::*;
