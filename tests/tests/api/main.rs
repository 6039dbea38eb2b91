//! Integration tests: each starts the real server on an ephemeral port against its own fresh
//! database (SQLite, or PostgreSQL with DKBM_TEST_DATABASE_URL) and speaks HTTP to it.

mod api_clients;
mod connections;
mod directory_read;
mod directory_write;
mod event_exports;
mod events;
mod events_concurrency;
mod field_order;
mod forums;
mod graphiql;
mod hardening_http;
mod http_spec;
mod key_file;
mod limits;
mod mail_accounts;
mod mail_delivery;
mod mail_events;
mod mail_forums;
mod mail_reminders;
mod members;
mod messages;
mod permissions;
mod portals;
mod practices;
mod practices_search;
mod practices_sync;
mod privacy;
mod readme;
mod redact;
mod replicas;
mod schema_file;
mod statements;
mod text_input;
mod tokens;
mod websocket;
