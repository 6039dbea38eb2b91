//! Seat quotas (Kontingente, as in pretix): an event's capacity split into pools reserved for the
//! members of some municipalities (listed ones, a funding programme's, or those an agency
//! accompanies), optionally until an instant after which their unused seats fall back to the
//! general pool. There is one waiting list; a freed seat goes to the first waiting member
//! entitled to it. The map:
//! - `book`: the seats as pools in memory (the rules of taking a seat; what is free where);
//! - `read`: quotas and who is entitled to them, read in a constant number of statements;
//! - `seats`: the quotas' seat counters written under the event's row lock;
//! - `manage`: the organisers adding, changing and removing quotas;
//! - `release`: the periodic round giving released seats to the waiting lists.

mod book;
mod manage;
mod read;
mod release;
mod seats;

pub use book::{
    EntitledQuota, Seat, SeatBook, general_seats_free, general_seats_needed, quota_seats_free, released, seats_needed,
};
pub use manage::*;
pub use read::*;
pub use release::release_quota_seats;
pub use seats::*;
