//! Building GraphQL-over-HTTP responses: errors-only rejections of requests GraphQL never saw
//! (400, 401, 405, 406, 415), and the rendering of executed responses, where a request error
//! carries no `data` entry.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::negotiation::MediaType;

/// A response carrying only errors, for requests rejected before GraphQL sees them.
pub(super) fn reject(status: StatusCode, media: MediaType, code: &str, field: Option<&str>, message: &str) -> Response {
    let mut extensions = json!({ "code": code });
    if let Some(field) = field {
        extensions["field"] = json!(field);
    }
    let body = json!({ "errors": [{ "message": message, "extensions": extensions }] });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, media.header());
    response
}

pub(super) fn bad_request(media: MediaType, field: &str, message: &str) -> Response {
    reject(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", Some(field), message)
}

/// The answer to credentials that do not verify: 401 with a `WWW-Authenticate` challenge.
pub(super) fn unauthorized(error: &crate::AppError, media: MediaType) -> Response {
    let mut response = reject(StatusCode::UNAUTHORIZED, media, error.code(), None, &error.to_string());
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

/// Whether the response is a request error: nothing was executed (parse, validation, variable
/// coercion, a limit), which the engine reports with errors that have no path.
pub(in crate::http) fn is_request_error(response: &async_graphql::Response) -> bool {
    !response.errors.is_empty()
        && matches!(response.data, async_graphql::Value::Null)
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// Renders one GraphQL response; a request error has no `data` entry.
pub(super) fn render(response: &async_graphql::Response) -> (bool, Value) {
    let request_error = is_request_error(response);
    let mut body = serde_json::to_value(response).unwrap_or_else(|_| json!({ "errors": [] }));
    if request_error && let Some(object) = body.as_object_mut() {
        object.remove("data");
    }
    (request_error, body)
}

pub(super) fn respond(status: StatusCode, media: MediaType, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, media.header());
    response
}
