//! sea-orm entities of dkbm-hub: one module per table, plus the shared enums.
//!
//! Entities describe rows and nothing else: no GraphQL, no business rules. They could be
//! regenerated from the database by `sea-orm-cli` without losing anything.

pub mod enums;

pub mod agency;
pub mod agency_state;
pub mod agreement;
pub mod municipality;
pub mod municipality_name_token;
pub mod programme;
pub mod programme_participation;
pub mod topic;

pub use enums::*;
