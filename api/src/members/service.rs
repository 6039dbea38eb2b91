//! Rules and database work of the members area. Plain Rust in and out. The map:
//! - `lookup`: finding members (by id, by address) and their grants;
//! - `accounts`: signing up, logging in (with the brute-force counter), profile and password;
//! - `sessions`: refresh tokens that rotate, reuse detection, logging out;
//! - `roles`: granting and revoking roles;
//! - `clients`: agencies' API clients and their public keys;
//! - `verification`: proving an address (sign-up, change of address);
//! - `password_reset`: a forgotten password;
//! - `settings`: notification settings;
//! - `calendar`: the secret token of the member's personal calendar URL;
//! - `throttle`: limits for requests that send mail;
//! - `privacy`: the data-protection export and the account's deletion ([`MemberData`]: each
//!   area's exporter and eraser).

mod accounts;
mod calendar;
mod clients;
mod lookup;
mod password_reset;
pub mod privacy;
mod roles;
mod sessions;
mod settings;
mod throttle;
mod verification;

pub use accounts::*;
pub use calendar::*;
pub use clients::*;
pub use lookup::*;
pub use password_reset::*;
pub use privacy::{Eraser, Exporter, MemberData};
pub use roles::*;
pub use sessions::*;
pub use settings::*;
pub use throttle::forget_throttles;
pub use verification::*;
