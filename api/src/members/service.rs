//! Rules and database work of the members area. Plain Rust in and out.

mod accounts;
mod clients;
pub mod privacy;
mod roles;
mod sessions;

pub use accounts::*;
pub use clients::*;
pub use roles::*;
pub use sessions::*;
