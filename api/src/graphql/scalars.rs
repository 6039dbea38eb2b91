//! Scalars of the API beyond the built-in ones, each with a description of its own and an
//! `@specifiedBy` URL: `Date` and `UUID` are defined here; `DateTime` is async-graphql's (for
//! `chrono::DateTime<Utc>`, already specified by RFC 3339) and `JSON` too, both with the
//! description replaced in [`super::builder`] (the library's reads "Implement the
//! DateTime<Utc> scalar").

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date without time or zone, written `YYYY-MM-DD` (RFC 3339 `full-date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date without time or zone, written `YYYY-MM-DD` (RFC 3339 `full-date`).
#[Scalar(
    name = "Date",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("\"{text}\" is not a date of the form YYYY-MM-DD"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Date(date)
    }
}

/// The description of `DateTime` (async-graphql's scalar for `chrono::DateTime<Utc>`).
pub const DATE_TIME_DESCRIPTION: &str = "A point in time: an RFC 3339 date-time with offset, e.g. \
`2025-03-14T09:30:00+01:00` or `2025-03-14T08:30:00Z`. Answers are in UTC (`+00:00`).";

/// The description of `JSON` (async-graphql's scalar for `Json<T>`).
pub const JSON_DESCRIPTION: &str = "A JSON value (RFC 8259) of any kind, sent as JSON itself, not as a string.";

/// A UUID (RFC 9562), written in the hyphenated form, e.g. `0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Uuid(pub uuid::Uuid);

/// A UUID (RFC 9562), written in the hyphenated form, e.g. `0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b`.
#[Scalar(name = "UUID", specified_by_url = "https://datatracker.ietf.org/doc/html/rfc9562")]
impl ScalarType for Uuid {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => uuid::Uuid::parse_str(text)
                .map(Uuid)
                .map_err(|_| InputValueError::custom(format!("\"{text}\" is not a UUID"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl From<uuid::Uuid> for Uuid {
    fn from(id: uuid::Uuid) -> Self {
        Uuid(id)
    }
}
