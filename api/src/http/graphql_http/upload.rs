//! File uploads: the GraphQL multipart request specification (what Apollo Upload Client, urql
//! and graphql-request send): `operations`, `map` and the files as `multipart/form-data` parts.
//! A browser may send such a form from any page without asking first, so a multipart request
//! must carry a header no plain form can (`Apollo-Require-Preflight` or
//! `X-Apollo-Operation-Name`, as Apollo's clients do): the same guard Apollo Server keeps.

use async_graphql::http::{MultipartOptions, receive_batch_body};
use async_graphql::{BatchRequest, ParseRequestError};
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};

/// Headers a multipart request must carry one of (non-empty).
const PREFLIGHT_HEADERS: [&str; 2] = ["apollo-require-preflight", "x-apollo-operation-name"];

/// How many files one request may carry.
const MAX_FILES: usize = 10;

/// Room in a multipart request beside its file: the `operations` and `map` parts, boundaries.
const FORM_OVERHEAD: usize = 1024 * 1024;

/// Why a request's body was not read.
pub(super) enum Refused {
    /// Larger than a request (or one of its files) may be: 413.
    TooLarge,
    /// Malformed: 400 naming the field.
    Bad(&'static str, String),
}

/// The most bytes a request's body may have: a multipart request may carry a file of
/// `max_upload` bytes, any other `max_body`.
pub(super) fn body_limit(headers: &HeaderMap, max_body: usize, max_upload: usize) -> usize {
    if is_multipart(headers) {
        max_body.max(max_upload.saturating_add(FORM_OVERHEAD))
    } else {
        max_body
    }
}

/// The body, read up to `limit` bytes; `None` when it is larger. A `Content-Length` above the
/// limit is refused before a byte of the body is read.
pub(super) async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Option<Bytes> {
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return None;
    }
    axum::body::to_bytes(body, limit).await.ok()
}

/// Whether the body is a multipart form.
pub(super) fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Reads a multipart request: its operations with their files. The body's size was bounded
/// before (the server's body limit); each file is bounded by it too.
pub(super) async fn parse_multipart(
    headers: &HeaderMap,
    body: Bytes,
    max_bytes: usize,
) -> Result<(Vec<async_graphql::Request>, bool), Refused> {
    let guarded = PREFLIGHT_HEADERS.iter().any(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().is_empty())
    });
    if !guarded {
        return Err(Refused::Bad(
            "apollo-require-preflight",
            "a multipart request needs the header Apollo-Require-Preflight: true (or X-Apollo-Operation-Name), \
             so that no web page can send it unasked"
                .into(),
        ));
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let options = MultipartOptions::default()
        .max_file_size(max_bytes)
        .max_num_files(MAX_FILES);
    let batch = receive_batch_body(content_type, futures::io::Cursor::new(body), options)
        .await
        .map_err(|error| match error {
            ParseRequestError::PayloadTooLarge => Refused::TooLarge,
            error => Refused::Bad("body", format!("the multipart request cannot be read: {error}")),
        })?;
    Ok(match batch {
        BatchRequest::Single(request) => (vec![request], false),
        BatchRequest::Batch(requests) => (requests, true),
    })
}
