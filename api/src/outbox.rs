//! The delivery side of the transactional outbox: a change writes what it owes others (mail) as
//! rows in its own transaction ([`crate::db::UnitOfWork`]); the workers here claim due rows
//! (each by one worker of all replicas) and deliver them, recording every outcome.
//! - `mail`: the mail worker (SMTP or the folder of `.eml` files).

pub mod mail;
