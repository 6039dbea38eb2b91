//! Members: accounts and sign-in sessions, role grants, agency API clients, and data
//! protection (export everything, delete everything personal).

pub mod loaders;
pub mod schema;
pub mod service;
