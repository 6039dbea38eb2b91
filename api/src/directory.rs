//! The community directory: agencies (transfer agencies, network offices, foundations,
//! associations), municipalities (Kommunen, by AGS), the fields of action (topics), funding
//! programmes with their participants, and the agreements that bind them.

pub mod loaders;
pub mod schema;
pub mod service;
