//! Rules and database work of the members area. Plain Rust in and out. The map:
//! - `accounts`: signing up, logging in (with the brute-force counter), profile and password;
//! - `sessions`: refresh tokens that rotate, reuse detection, logging out;
//! - `roles`: granting and revoking roles;
//! - `clients`: agencies' API clients and their public keys;
//! - `privacy`: the data-protection export and the account's deletion (each area's exporter and
//!   eraser).

mod accounts;
mod clients;
pub mod privacy;
mod roles;
mod sessions;

pub use accounts::*;
pub use clients::*;
pub use roles::*;
pub use sessions::*;
