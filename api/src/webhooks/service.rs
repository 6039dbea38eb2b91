//! Rules and database work of webhooks. The map:
//! - `endpoints`: creating, changing, rotating the secret of, deleting and listing endpoints, and
//!   who may (the agency's API clients and administrators);
//! - `address`: where an endpoint may point (https; no internal address, also at connection);
//! - `deliveries`: an endpoint's deliveries, a redelivery, a test message;
//! - `signing`: secrets and Standard Webhooks signatures;
//! - `worker`: the delivery worker (claims endpoints, sends their queues in order);
//! - `attempt`: one signed POST and its verdict; `outcomes`: recording it, retries, switching
//!   off an endpoint that fails for too long.

mod address;
mod attempt;
mod deliveries;
mod endpoints;
mod outcomes;
mod signing;
mod worker;

pub use deliveries::*;
pub use endpoints::*;
pub use signing::message_id;
pub use worker::{Dispatch, run};
