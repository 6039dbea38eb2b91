//! The real map: the 16 Länder and 401 districts every server starts with (with population,
//! area and density), and the import of Destatis' official municipality directory (GV100AD)
//! with its hierarchy, figures and retired places. Builds on the directory (places, lineage)
//! and the indicators (the figures).

pub mod schema;
pub mod service;
