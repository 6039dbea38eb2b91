//! Rules and database work of the directory. Plain Rust in and out; callable from GraphQL, the
//! CLI (seeding) and tests alike. Writes need an administrator ([`crate::auth::ensure_admin`]).

mod agencies;
mod agreements;
mod municipalities;
mod participations;
mod programmes;
mod topics;

pub use agencies::*;
pub use agreements::*;
pub use municipalities::*;
pub use participations::*;
pub use programmes::*;
pub use topics::*;

pub use crate::pagination::Direction;
