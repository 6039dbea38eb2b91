//! Education monitoring (Bildungsmonitoring): indicators per municipality and year, imported
//! from the statistical offices' files; comparison, similar municipalities ("places like mine")
//! and charts a front-end can embed.

pub mod chart;
pub mod loaders;
pub mod schema;
pub mod service;
