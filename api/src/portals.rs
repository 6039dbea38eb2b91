//! Portals: each agency's front-end curates its own view of the one shared knowledge base. A
//! publishable key names the portal (it grants nothing); its scope narrows the shared lists;
//! it hides items, features ordered collections and overrides teasers without copying or
//! changing the canonical records; and it counts its reach per day without personal data.

pub mod loaders;
pub mod schema;
pub mod service;
