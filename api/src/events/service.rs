//! Rules and database work of training events and registrations.

mod events;
mod registrations;

pub use events::*;
pub use registrations::*;
