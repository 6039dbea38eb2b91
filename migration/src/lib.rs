//! Database migrations of dkbm-hub. One migration per change; a migration that has landed is
//! history and is never edited: the next change is a new migration.
//!
//! Backend differences (SQLite vs PostgreSQL) are expressed here with sea-query where it can, and
//! with per-backend SQL where it cannot (partial indexes, full-text search).

pub use sea_orm_migration::prelude::*;

mod helpers;

mod m20261123_000001_directory;
mod m20261123_000002_topics;
mod m20261123_000003_members;
mod m20261124_000004_practices;
mod m20261124_000005_change_feed;
mod m20261125_000006_events;
mod m20261125_000007_forums;
mod m20261129_000008_mail;
mod m20261129_000009_indicators;
mod m20261129_000010_portals;
mod m20261130_000011_indicator_value_bulk_writes;
mod m20261130_000012_data_version;
mod m20261207_120000_one_line_names;
mod m20261207_130000_agency_contact_email;
mod m20261207_140000_places;
mod m20261207_160000_calendar_feeds;
mod m20261207_170000_certificates;
mod m20261207_180000_webhooks;
mod m20261207_190000_seat_quotas;
mod m20261207_200000_accompaniment;
mod m20261207_210000_documents;

/// Applies every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_directory::Migration),
            Box::new(m20261123_000002_topics::Migration),
            Box::new(m20261123_000003_members::Migration),
            Box::new(m20261124_000004_practices::Migration),
            Box::new(m20261124_000005_change_feed::Migration),
            Box::new(m20261125_000006_events::Migration),
            Box::new(m20261125_000007_forums::Migration),
            Box::new(m20261129_000008_mail::Migration),
            Box::new(m20261129_000009_indicators::Migration),
            Box::new(m20261129_000010_portals::Migration),
            Box::new(m20261130_000011_indicator_value_bulk_writes::Migration),
            Box::new(m20261130_000012_data_version::Migration),
            Box::new(m20261207_120000_one_line_names::Migration),
            Box::new(m20261207_130000_agency_contact_email::Migration),
            Box::new(m20261207_140000_places::Migration),
            Box::new(m20261207_160000_calendar_feeds::Migration),
            Box::new(m20261207_170000_certificates::Migration),
            Box::new(m20261207_180000_webhooks::Migration),
            Box::new(m20261207_190000_seat_quotas::Migration),
            Box::new(m20261207_200000_accompaniment::Migration),
            Box::new(m20261207_210000_documents::Migration),
        ]
    }
}
