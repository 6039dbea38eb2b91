//! Portals: each agency's front-end over the one shared knowledge base, as a request sees it. A
//! publishable key names the portal (it grants nothing); its scope narrows the shared lists and
//! its hidden items leave them ([`service::practice_condition`] and the others, which the
//! lists' areas apply); it overrides teasers; it counts its reach per day without personal
//! data; and its browser origins are what CORS allows.
//!
//! This area sits below the lists it narrows (practices, events, forums), which name it. The
//! `Portal` object, writing portals and curating them (hiding, teasers, collections) are the
//! `curation` area's, above them.

pub mod loaders;
pub mod schema;
pub mod service;
