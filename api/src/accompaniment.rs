//! Accompaniment (Kommunale Begleitung): the Transferagentur's work with a municipality under a
//! Zielvereinbarung, from the request (Auftragsklärung) through goals tied to the municipality's
//! education indicators, activities and reviews (Zielüberprüfung) to good practices drafted
//! from what was learned. A confidential workspace of the accompanying agency's staff and the
//! municipality's MUNICIPAL_STAFF: everyone else sees what an agreement without it shows.
//!
//! It builds on the directory (the agreement, whose fields it answers through
//! [`crate::graphql::later`]), the indicators (progress), members (who), practices (drafts) and
//! events (activities held as training events).

pub mod loaders;
pub mod routes;
pub mod schema;
pub mod service;
