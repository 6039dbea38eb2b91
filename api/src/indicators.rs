//! Education monitoring (Bildungsmonitoring): indicators per municipality and year, imported
//! from the statistical offices' files; comparison, similar municipalities ("places like mine")
//! and charts a front-end can embed (`routes`: `/municipalities/{ags}/indicators/{code}.svg`).

pub mod chart;
pub mod loaders;
pub mod routes;
pub mod schema;
pub mod service;
