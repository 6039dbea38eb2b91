//! Rules and database work of good practices.

mod content;
mod feed;
mod read;
mod sync;
mod write;

pub use content::*;
pub use feed::*;
pub use read::*;
pub use sync::*;
pub use write::*;
