//! Rules and database work of the directory. Plain Rust in and out; callable from GraphQL, the
//! CLI (seeding) and tests alike. Writes need an administrator ([`crate::auth::ensure_admin`]).
//! The map:
//! - `agencies`: agencies, their carriers and the states they serve;
//! - `municipalities` (+ `municipalities/write`): the list with its name search, lookups by AGS
//!   or slug; creating and changing them (AGS rules);
//! - `topics`: the fields of action;
//! - `programmes`, `participations`: funding programmes and which municipality takes part;
//! - `agreements`: Zielvereinbarungen and Kooperationsvereinbarungen;
//! - `lineage`: who followed whom (places, agencies, programmes), and retiring places;
//! - `hooks`: the [`Directory`] handle, telling the areas above of changed municipalities.

mod accompaniments;
mod agencies;
mod agreements;
mod hooks;
mod lineage;
mod municipalities;
mod participations;
mod programmes;
mod topics;

pub use accompaniments::*;
pub use agencies::*;
pub use agreements::*;
pub use hooks::*;
pub use lineage::*;
pub use municipalities::*;
pub use participations::*;
pub use programmes::*;
pub use topics::*;

pub use crate::pagination::Direction;
