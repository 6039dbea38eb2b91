//! The integration-test harness: a fresh database per test (SQLite by default, PostgreSQL when
//! `DKBM_TEST_DATABASE_URL` is set), the real server on an ephemeral port, and small helpers to
//! speak GraphQL over HTTP to it.

pub mod bench;
pub mod clients;
pub mod corpus;
mod database;
mod documents;
mod fixtures;
pub mod gv100ad;
pub mod mail;
mod members;
pub mod otlp;
pub mod pdf;
mod process;
pub mod s3;
mod server;
pub mod smtp;
pub mod streaming;
pub mod webhooks;
pub mod ws;

pub use clients::ApiClient;
pub use database::TestDb;
pub use documents::{ADD_ATTACHMENT, Upload, multipart_body, path_of, pdf, sha256_hex};
pub use fixtures::ORGANISER;
pub use mail::ReceivedMail;
pub use members::{PASSWORD, Role, Session};
pub use process::{ServerProcess, binary, run_binary, status_of};
pub use server::{ADMIN_TOKEN, TestServer, WriteLock};
pub use smtp::SmtpServer;

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

/// The value at a JSON pointer (`/data/event/slug`); panics, naming the pointer and showing
/// the document, when there is none.
pub fn at<'a>(value: &'a Value, pointer: &str) -> &'a Value {
    value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("nothing at {pointer} in: {value:#}"))
}

/// The string at a JSON pointer; panics when it is missing or not a string.
pub fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    at(value, pointer)
        .as_str()
        .unwrap_or_else(|| panic!("no string at {pointer} in: {value:#}"))
}

/// The integer at a JSON pointer; panics when it is missing or not an integer.
pub fn i64_at(value: &Value, pointer: &str) -> i64 {
    at(value, pointer)
        .as_i64()
        .unwrap_or_else(|| panic!("no integer at {pointer} in: {value:#}"))
}

/// The array at a JSON pointer; panics when it is missing or not an array.
pub fn array_at<'a>(value: &'a Value, pointer: &str) -> &'a Vec<Value> {
    at(value, pointer)
        .as_array()
        .unwrap_or_else(|| panic!("no array at {pointer} in: {value:#}"))
}

/// The strings at `field` (a JSON pointer into each item) of the array at `pointer`: the
/// titles of a page's nodes, say. Panics when any is missing.
pub fn strings_at<'a>(value: &'a Value, pointer: &str, field: &str) -> Vec<&'a str> {
    array_at(value, pointer)
        .iter()
        .map(|item| str_at(item, field))
        .collect()
}

/// A response header as text; panics when the response has none.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header in {:?}", response.headers()))
        .to_str()
        .unwrap_or_else(|_| panic!("the {name} header is not text"))
        .to_owned()
}

/// Whether the tests run against PostgreSQL.
pub fn on_postgres() -> bool {
    database::postgres_url().is_some()
}
