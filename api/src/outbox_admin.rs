//! The administrators' view of the mail outbox: what is queued, what went, what failed and
//! why (`outboxMessages`), and sending a failed message again (`retryMessage`).

pub mod schema;
pub mod service;
