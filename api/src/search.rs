//! Search: the German text analysis every full-text index shares ([`analysis`]), and the root
//! `search` field that looks through good practices, training events and forum threads at once.

pub mod analysis;
pub mod schema;
pub mod service;

pub use analysis::*;

/// The condition "every word and phrase of the query occurs in `column`", for a column holding
/// search terms ([`indexed`]) padded with a space at each end (` term term `). The terms are
/// `[a-z0-9]+`, so they hold no LIKE wildcards.
pub fn padded_terms_match(column: impl sea_orm::ColumnTrait, query: &SearchQuery) -> sea_orm::sea_query::Condition {
    query
        .units
        .iter()
        .fold(sea_orm::sea_query::Condition::all(), |all, unit| {
            all.add(column.like(format!("% {} %", unit.join(" "))))
        })
}
