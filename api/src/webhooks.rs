//! Webhooks: an agency's endpoints that are told of changes as they commit (Standard Webhooks:
//! signed, retried, in order per endpoint), their deliveries, and the worker that sends them.
//! The changes themselves only emit occurrences ([`crate::realtime::webhooks`]); the fan-out into
//! deliveries is the unit of work's.

pub mod schema;
pub mod service;
