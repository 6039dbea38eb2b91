//! The integration-test harness: a fresh database per test (SQLite by default, PostgreSQL when
//! `DKBM_TEST_DATABASE_URL` is set), the real server on an ephemeral port, and small helpers to
//! speak GraphQL over HTTP to it.

pub mod bench;
pub mod clients;
pub mod corpus;
mod database;
mod members;
mod process;
mod server;
pub mod ws;

pub use clients::ApiClient;
pub use database::TestDb;
pub use members::{PASSWORD, Session};
pub use process::ServerProcess;
pub use server::{ADMIN_TOKEN, TestServer};

use serde_json::Value;

/// The `data` of a GraphQL response that must not carry errors.
pub fn data(response: &Value) -> &Value {
    assert!(response.get("errors").is_none(), "unexpected errors: {response:#}");
    &response["data"]
}

/// The first error of a GraphQL response, which must carry `code`.
pub fn error_with_code<'a>(response: &'a Value, code: &str) -> &'a Value {
    let error = &response["errors"][0];
    assert_eq!(
        error["extensions"]["code"], code,
        "expected a {code} error, got: {response:#}"
    );
    error
}

/// Asserts a BAD_USER_INPUT error on `field`.
pub fn assert_bad_input(response: &Value, field: &str) {
    let error = error_with_code(response, "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["field"], field, "wrong field in: {response:#}");
}

/// Whether the tests run against PostgreSQL.
pub fn on_postgres() -> bool {
    database::postgres_url().is_some()
}
