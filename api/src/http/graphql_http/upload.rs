//! File uploads: the GraphQL multipart request specification (what Apollo Upload Client, urql
//! and graphql-request send): `operations`, `map` and the files as `multipart/form-data` parts.
//! A browser may send such a form from any page without asking first, so a multipart request
//! must carry a header no plain form can (`Apollo-Require-Preflight` or
//! `X-Apollo-Operation-Name`, as Apollo's clients do): the same guard Apollo Server keeps.

use async_graphql::BatchRequest;
use async_graphql::http::{MultipartOptions, receive_batch_body};
use axum::body::Bytes;
use axum::http::{HeaderMap, header};

/// Headers a multipart request must carry one of (non-empty).
const PREFLIGHT_HEADERS: [&str; 2] = ["apollo-require-preflight", "x-apollo-operation-name"];

/// How many files one request may carry.
const MAX_FILES: usize = 10;

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
) -> Result<(Vec<async_graphql::Request>, bool), (&'static str, String)> {
    let guarded = PREFLIGHT_HEADERS.iter().any(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().is_empty())
    });
    if !guarded {
        return Err((
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
        .map_err(|error| ("body", format!("the multipart request cannot be read: {error}")))?;
    Ok(match batch {
        BatchRequest::Single(request) => (vec![request], false),
        BatchRequest::Batch(requests) => (requests, true),
    })
}
