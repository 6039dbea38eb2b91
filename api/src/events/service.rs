//! Rules and database work of training events and registrations. The map:
//! - `handle`: the area's handle ([`Events`]), built once per instance;
//! - `checks`: what makes an event valid (the draft of a new or changed event, checked field by field);
//! - `write`: creating, changing, cancelling and completing events (organisers);
//! - `list`: finding events (by id or slug, the filtered list, the root search's part);
//! - `calendar`: seat availability and its live updates, the iCalendar feed's events, a
//!   member's personal calendar;
//! - `certificates`: attendance certificates and their verification codes;
//! - `access`: who sees and changes a registration (the member and the organisers);
//! - `registrations`: registering, cancelling, attendance, the member's side;
//! - `admission`: new registrations of one event placed together, one transaction a batch;
//! - `reminders`: the reminder before an event, queued once;
//! - `quotas`: seat quotas (Kontingente): pools reserved for some municipalities' members;
//! - `waitlist`: seats and the waiting list kept in step under the event's row lock;
//! - `mail`: what registrants and participants are told by mail;
//! - `occurrences`: what the webhooks are told (`event.changed`, `registration.changed`);
//! - `participants`: the organisers' participant list and the member's data (export, erasure).

mod access;
mod admission;
mod calendar;
mod certificates;
mod checks;
mod handle;
mod list;
mod mail;
mod occurrences;
mod participants;
mod quotas;
mod registrations;
mod reminders;
mod waitlist;
mod write;

pub use access::{may_see_online_url, may_see_registration, registration_by_id};
pub use admission::{Admission, Registering};
pub use calendar::*;
pub use certificates::*;
pub use checks::*;
pub use handle::Events;
pub use list::*;
pub use participants::*;
pub use quotas::*;
pub use registrations::*;
pub use reminders::queue_reminders;
pub use waitlist::*;
pub use write::*;
