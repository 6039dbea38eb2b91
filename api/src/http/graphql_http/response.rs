//! Building GraphQL-over-HTTP responses: errors-only rejections of requests GraphQL never saw
//! (400, 401, 405, 406, 415), and the rendering of executed responses, where a request error
//! carries no `data` entry.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::negotiation::MediaType;
use super::persisted::Refusal;
use crate::messages::Locale;

/// A response carrying only errors, for requests rejected before GraphQL sees them.
pub(super) fn reject(status: StatusCode, media: MediaType, code: &str, field: Option<&str>, message: &str) -> Response {
    let mut extensions = json!({ "code": code });
    if let Some(field) = field {
        extensions["field"] = json!(field);
    }
    let body = json!({ "errors": [{ "message": message, "extensions": extensions }] });
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.header());
    // An error is never stored by a cache (a CDN that caches by default would serve it to
    // everyone).
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

pub(super) fn bad_request(media: MediaType, field: &str, message: &str) -> Response {
    reject(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", Some(field), message)
}

/// The answer to credentials that do not verify: 401 with a `WWW-Authenticate` challenge.
pub(super) fn unauthorized(error: &crate::AppError, media: MediaType, locale: Locale) -> Response {
    let message = error
        .message()
        .map_or_else(|| error.to_string(), |message| message.render(locale));
    let mut response = reject(StatusCode::UNAUTHORIZED, media, error.code(), None, &message);
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

/// Serialises one GraphQL response straight into its body (without building a JSON tree of it
/// first); a request error has no `data` entry.
pub(super) fn render_bytes(response: &async_graphql::Response) -> (bool, Bytes) {
    if is_request_error(response) {
        return (true, Bytes::from(render(response).1.to_string()));
    }
    let body = serde_json::to_vec(response).unwrap_or_else(|_| br#"{"errors":[]}"#.to_vec());
    (false, Bytes::from(body))
}

pub(super) fn respond(status: StatusCode, media: MediaType, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, media.header());
    response
}

/// The answer to a persisted query that cannot run. An unknown hash is a GraphQL error with
/// `PERSISTED_QUERY_NOT_FOUND` (status 200 for `application/json`, as Apollo's clients
/// expect; 400 for `application/graphql-response+json`, as for every request error there),
/// after which the client sends the document; a malformed extension is BAD_USER_INPUT.
pub(super) fn persisted_refusal(media: MediaType, refusal: &Refusal) -> Response {
    match refusal {
        Refusal::NotFound => {
            let status = match media {
                MediaType::Json => StatusCode::OK,
                MediaType::GraphqlResponseJson => StatusCode::BAD_REQUEST,
            };
            reject(
                status,
                media,
                "PERSISTED_QUERY_NOT_FOUND",
                None,
                "PersistedQueryNotFound",
            )
        }
        Refusal::Invalid(message) => bad_request(media, "extensions.persistedQuery", message),
    }
}

/// How a request came: answers to GET carry HTTP caching headers (POST answers are not cached
/// by browsers or CDNs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Get,
    Post,
}

/// The HTTP caching of one answer.
pub(super) enum Caching {
    /// No caching headers (POST).
    Unstated,
    /// The same for every anonymous caller: reusable for `max_age` seconds, then revalidated.
    Public { etag: HeaderValue, max_age: u64 },
    /// Depends on who asks, or is an error: never stored.
    Private,
}

impl Method {
    pub(super) fn public(self, etag: HeaderValue, max_age: u64) -> Caching {
        match self {
            Method::Get => Caching::Public { etag, max_age },
            Method::Post => Caching::Unstated,
        }
    }

    pub(super) fn private(self) -> Caching {
        match self {
            Method::Get => Caching::Private,
            Method::Post => Caching::Unstated,
        }
    }
}

/// What a public answer depends on besides its URL.
const VARY: &str = "Accept, Accept-Language, Authorization, X-Portal-Key";

/// Sends a rendered body with its caching headers; a public answer whose entity tag the
/// request's `If-None-Match` names is `304 Not Modified` without a body.
pub(super) fn send(
    status: StatusCode,
    media: MediaType,
    body: Bytes,
    caching: Caching,
    request: &HeaderMap,
) -> Response {
    let not_modified = matches!(&caching, Caching::Public { etag, .. } if names_etag(request, etag));
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = (status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, media.header());
        response
    };
    let headers = response.headers_mut();
    match caching {
        Caching::Unstated => {}
        Caching::Public { etag, max_age } => {
            if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
                headers.insert(header::CACHE_CONTROL, value);
            }
            headers.insert(header::ETAG, etag);
            headers.insert(header::VARY, HeaderValue::from_static(VARY));
        }
        Caching::Private => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        }
    }
    response
}

/// Whether `If-None-Match` names `etag` (or is `*`); weak tags compare by their value.
fn names_etag(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else { return false };
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}
