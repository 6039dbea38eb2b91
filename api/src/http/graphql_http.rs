//! GraphQL over HTTP as the GraphQL-over-HTTP specification prescribes: content negotiation
//! between `application/graphql-response+json` and `application/json`, 400 for malformed
//! requests, 405 for mutations over GET, and for `application/graphql-response+json` a 400 with
//! no `data` entry when the document cannot be parsed, validated or its variables coerced.

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchResponse, Variables};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{HttpState, REQUEST_ID};
use crate::auth;
use crate::graphql::{RequestId, prepare_request};
use crate::loader::BatchGate;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    fn header(self) -> HeaderValue {
        match self {
            MediaType::GraphqlResponseJson => {
                HeaderValue::from_static("application/graphql-response+json; charset=utf-8")
            }
            MediaType::Json => HeaderValue::from_static("application/json; charset=utf-8"),
        }
    }
}

/// Picks the response media type from `Accept`: the acceptable type with the highest quality;
/// on a tie an explicitly named type wins over a wildcard, and `application/graphql-response+json`
/// over `application/json` when both are named. No `Accept` means `application/json`.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    if accept.trim().is_empty() {
        return Some(MediaType::Json);
    }
    // (quality, specificity, preference) per candidate; higher wins.
    let mut best: Option<((u32, u8, u8), MediaType)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let mut quality = 1000;
        for parameter in parts {
            if let Some((key, value)) = parameter.split_once('=')
                && key.trim().eq_ignore_ascii_case("q")
            {
                quality = value
                    .trim()
                    .parse::<f32>()
                    .map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u32);
            }
        }
        if quality == 0 {
            continue;
        }
        let candidates: &[(MediaType, u8, u8)] = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => &[(MediaType::GraphqlResponseJson, 2, 1)],
            JSON => &[(MediaType::Json, 2, 0)],
            "application/*" | "*/*" => &[(MediaType::Json, 1, 1), (MediaType::GraphqlResponseJson, 1, 0)],
            _ => &[],
        };
        for &(media_type, specificity, preference) in candidates {
            let score = (quality, specificity, preference);
            if best.is_none_or(|(current, _)| score > current) {
                best = Some((score, media_type));
            }
        }
    }
    best.map(|(_, media_type)| media_type)
}

/// A response carrying only errors, for requests rejected before GraphQL sees them.
fn reject(status: StatusCode, media: MediaType, code: &str, field: Option<&str>, message: &str) -> Response {
    let mut extensions = json!({ "code": code });
    if let Some(field) = field {
        extensions["field"] = json!(field);
    }
    let body = json!({ "errors": [{ "message": message, "extensions": extensions }] });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, media.header());
    response
}

fn bad_request(media: MediaType, field: &str, message: &str) -> Response {
    reject(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", Some(field), message)
}

/// Parses one GraphQL-over-HTTP request object: `query` (required string), `operationName`,
/// `variables` and `extensions` (each absent, null or of the right type).
fn parse_params(object: Map<String, Value>) -> Result<async_graphql::Request, (&'static str, String)> {
    let query = match object.get("query") {
        Some(Value::String(query)) => query.clone(),
        Some(_) => return Err(("query", "query must be a string".into())),
        None => return Err(("query", "the request has no query".into())),
    };
    let mut request = async_graphql::Request::new(query);
    match object.get("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name.clone()),
        Some(_) => {
            return Err(("operationName", "operationName must be a string or null".into()));
        }
    }
    match object.get("variables") {
        None | Some(Value::Null) => {}
        Some(variables @ Value::Object(_)) => request = request.variables(Variables::from_json(variables.clone())),
        Some(_) => return Err(("variables", "variables must be an object or null".into())),
    }
    match object.get("extensions") {
        None | Some(Value::Null) => {}
        Some(Value::Object(extensions)) => {
            for (key, value) in extensions {
                if let Ok(value) = async_graphql::Value::from_json(value.clone()) {
                    request.extensions.insert(key.clone(), value);
                }
            }
        }
        Some(_) => return Err(("extensions", "extensions must be an object or null".into())),
    }
    Ok(request)
}

/// Whether the response is a request error: nothing was executed (parse, validation, variable
/// coercion, a limit), which the engine reports with errors that have no path.
pub(super) fn is_request_error(response: &async_graphql::Response) -> bool {
    !response.errors.is_empty()
        && matches!(response.data, async_graphql::Value::Null)
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// Renders one GraphQL response; a request error has no `data` entry.
fn render(response: &async_graphql::Response) -> (bool, Value) {
    let request_error = is_request_error(response);
    let mut body = serde_json::to_value(response).unwrap_or_else(|_| json!({ "errors": [] }));
    if request_error && let Some(object) = body.as_object_mut() {
        object.remove("data");
    }
    (request_error, body)
}

fn respond(status: StatusCode, media: MediaType, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, media.header());
    response
}

fn request_id(headers: &HeaderMap) -> RequestId {
    RequestId(
        headers
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    )
}

/// The answer to credentials that do not verify: 401 with a `WWW-Authenticate` challenge.
fn unauthorized(error: &crate::AppError, media: MediaType) -> Response {
    let mut response = reject(StatusCode::UNAUTHORIZED, media, error.code(), None, &error.to_string());
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

async fn execute(
    state: &HttpState,
    headers: &HeaderMap,
    media: MediaType,
    batch: Vec<async_graphql::Request>,
    is_batch: bool,
) -> Response {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let viewer = match auth::authenticate(&state.app, authorization).await {
        Ok(viewer) => viewer,
        Err(error) => return unauthorized(&error, media),
    };
    let request_id = request_id(headers);
    let gate = BatchGate::held();
    let requests = batch
        .into_iter()
        .map(|request| prepare_request(request, &state.app, viewer.clone(), request_id.clone(), &gate))
        .collect();
    let batch_request = if is_batch {
        async_graphql::BatchRequest::Batch(requests)
    } else {
        match requests.into_iter().next() {
            Some(request) => async_graphql::BatchRequest::Single(request),
            None => async_graphql::BatchRequest::Batch(Vec::new()),
        }
    };
    match gate.run(state.schema.execute_batch(batch_request)).await {
        BatchResponse::Single(response) => {
            let (request_error, body) = render(&response);
            let status = if request_error && media == MediaType::GraphqlResponseJson {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            respond(status, media, &body)
        }
        BatchResponse::Batch(responses) => {
            let bodies: Vec<Value> = responses.iter().map(|response| render(response).1).collect();
            respond(StatusCode::OK, media, &Value::Array(bodies))
        }
    }
}

/// `POST /graphql`: a JSON request object, or an array of them (a batch).
pub async fn post(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(media) = negotiate(&headers) else {
        return reject(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "BAD_USER_INPUT",
            Some("accept"),
            "acceptable response types: application/graphql-response+json, application/json",
        );
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let charset_ok = parts.all(|parameter| match parameter.split_once('=') {
        Some((key, value)) if key.trim().eq_ignore_ascii_case("charset") => {
            value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    });
    if essence != JSON || !charset_ok {
        return reject(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "BAD_USER_INPUT",
            Some("content-type"),
            "send the request as Content-Type: application/json (UTF-8)",
        );
    }
    let parsed: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => {
            return bad_request(media, "body", &format!("the body is not valid JSON: {error}"));
        }
    };
    let (objects, is_batch) = match parsed {
        Value::Object(object) => (vec![object], false),
        Value::Array(items) => {
            let max = state.app.config.limits.max_batch_operations;
            if items.is_empty() || items.len() > max {
                return bad_request(
                    media,
                    "body",
                    &format!("a batch holds 1 to {max} operations (maxBatchOperations)"),
                );
            }
            let mut objects = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Object(object) => objects.push(object),
                    _ => {
                        return bad_request(media, "body", "every operation of a batch must be a JSON object");
                    }
                }
            }
            (objects, true)
        }
        _ => {
            return bad_request(media, "body", "the body must be a JSON object (or an array of them)");
        }
    };
    let mut requests = Vec::with_capacity(objects.len());
    for object in objects {
        match parse_params(object) {
            Ok(request) => requests.push(request),
            Err((field, message)) => return bad_request(media, field, &message),
        }
    }
    execute(&state, &headers, media, requests, is_batch).await
}

/// The operation a document would run, if it can be told before execution.
fn operation_type(query: &str, operation_name: Option<&str>) -> Option<OperationType> {
    let document = async_graphql::parser::parse_query(query).ok()?;
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some(operation.node.ty),
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name).map(|operation| operation.node.ty)
        }
        // One named operation and no operationName: that operation runs.
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next().map(|operation| operation.node.ty)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// `GET /graphql?query=…&variables=…&operationName=…`: queries only.
pub async fn get(State(state): State<HttpState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let Some(media) = negotiate(&headers) else {
        return reject(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "BAD_USER_INPUT",
            Some("accept"),
            "acceptable response types: application/graphql-response+json, application/json",
        );
    };
    let mut object = Map::new();
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = match key.as_ref() {
            "query" | "operationName" => Value::String(value.into_owned()),
            "variables" | "extensions" => match serde_json::from_str::<Value>(&value) {
                Ok(parsed) => parsed,
                Err(_) => {
                    return bad_request(media, &key, &format!("{key} must be URL-encoded JSON"));
                }
            },
            _ => continue,
        };
        object.insert(key.into_owned(), value);
    }
    let request = match parse_params(object) {
        Ok(request) => request,
        Err((field, message)) => return bad_request(media, field, &message),
    };
    if operation_type(&request.query, request.operation_name.as_deref()) == Some(OperationType::Mutation) {
        let mut response = reject(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            "BAD_USER_INPUT",
            Some("query"),
            "mutations are sent with POST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    execute(&state, &headers, media, vec![request], false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).expect("header"));
        negotiate(&headers)
    }

    #[test]
    fn mutations_are_recognised_before_execution() {
        assert_eq!(operation_type("mutation { a }", None), Some(OperationType::Mutation));
        assert_eq!(operation_type("mutation M { a }", None), Some(OperationType::Mutation));
        assert_eq!(
            operation_type("query Q { a } mutation M { a }", Some("M")),
            Some(OperationType::Mutation)
        );
        assert_eq!(
            operation_type("query Q { a } mutation M { a }", Some("Q")),
            Some(OperationType::Query)
        );
        assert_eq!(operation_type("{ a }", None), Some(OperationType::Query));
    }

    #[test]
    fn negotiation_follows_the_spec() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(accept("application/json"), Some(MediaType::Json));
        assert_eq!(
            accept("application/graphql-response+json"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/json;q=1, application/graphql-response+json;q=0.5"),
            Some(MediaType::Json)
        );
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
    }
}
