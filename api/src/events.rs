//! Qualification events (Qualifizierung): agencies' workshops, webinars and conferences, members'
//! registrations with capacity and waiting list, iCalendar feeds and participant lists.

pub mod exports;
pub mod loaders;
pub mod routes;
pub mod schema;
pub mod service;
