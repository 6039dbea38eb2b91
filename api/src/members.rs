//! Members: accounts and sign-in sessions, role grants, agency API clients, and data
//! protection (export everything, delete everything personal); the pages the links in its
//! mails open (`routes`).

pub mod loaders;
pub mod routes;
pub mod schema;
pub mod service;
