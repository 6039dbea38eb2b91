//! GraphQL over HTTP as the GraphQL-over-HTTP specification prescribes: content negotiation
//! between `application/graphql-response+json` and `application/json`, 400 for malformed
//! requests, 405 for mutations over GET, and for `application/graphql-response+json` a 400 with
//! no `data` entry when the document cannot be parsed, validated or its variables coerced.
//!
//! The handlers live here; [`negotiation`] picks the media types, [`request`] reads the request
//! and [`response`] builds the answer.

mod cache;
mod lookup;
mod negotiation;
mod persisted;
mod reading;
mod request;
mod response;
mod upload;
mod versions;

use async_graphql::BatchResponse;
use async_graphql::parser::types::OperationType;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

pub use self::cache::ResponseCache;
use self::cache::{CacheKey, digest_of, etag};
use self::lookup::{Lookup, look_up};
use self::negotiation::{MediaType, is_json_utf8, negotiate, prefers_html};
pub use self::persisted::PersistedQueries;
use self::request::{operation, operation_type, parse_body, parse_params};
pub(super) use self::response::is_request_error;
use self::response::{
    Caching, Method, bad_request, persisted_refusal, reject, render, render_bytes, respond, send, unauthorized,
};
pub use self::versions::VersionReads;
use super::{HttpState, REQUEST_ID};
use crate::auth;
use std::net::SocketAddr;

use axum::Extension;
use axum::extract::ConnectInfo;

use crate::graphql::{ClientAddress, RequestId};
use crate::loader::BatchGate;
use crate::messages::Locale;
use crate::portals::schema::RequestPortal;
use crate::schema::prepare_request;

/// The request id the middleware set (or the client sent).
fn request_id(headers: &HeaderMap) -> RequestId {
    RequestId(
        headers
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    )
}

/// The language the caller's `Accept-Language` prefers among those the API speaks.
pub(super) fn locale(headers: &HeaderMap) -> Locale {
    Locale::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// The header that names a request's portal.
pub const PORTAL_KEY: &str = "x-portal-key";

/// The portal the `X-Portal-Key` header names; an unknown key is answered 400 (a front-end
/// must not silently show the unscoped lists).
async fn request_portal(
    state: &HttpState,
    headers: &HeaderMap,
) -> Result<RequestPortal, fn(MediaType, Locale) -> Response> {
    let Some(key) = headers.get(PORTAL_KEY) else {
        return Ok(RequestPortal::default());
    };
    let key = key.to_str().unwrap_or_default();
    match crate::portals::service::require_portal_by_key(state.app.conn(), PORTAL_KEY, key).await {
        Ok(view) => Ok(RequestPortal(Some(std::sync::Arc::new(view)))),
        Err(crate::AppError::BadUserInput { .. }) => Err(|media, locale| {
            let message = crate::messages::MessageKey::NoSuchPortalKey.text(locale);
            bad_request(media, "X-Portal-Key", message)
        }),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "resolving the portal key failed");
            Err(|media, _| {
                reject(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    media,
                    "INTERNAL_SERVER_ERROR",
                    None,
                    "internal server error",
                )
            })
        }
    }
}

/// Answers the requests, one or as a batch: from the public response cache where it can, else
/// authenticated and run with the loaders' batches held until the request is idle.
async fn execute(
    state: &HttpState,
    headers: &HeaderMap,
    (media, method): (MediaType, Method),
    batch: Vec<async_graphql::Request>,
    is_batch: bool,
    client: ClientAddress,
) -> Response {
    // Taken first: a cached answer must be as new as a data version read after this.
    let ticket = state.versions.ticket();
    let authorization = match auth::authorization_header(headers) {
        Ok(authorization) => authorization,
        Err(error) => return unauthorized(&error, media, locale(headers)),
    };
    let public_query = if authorization.is_none() && !is_batch {
        public_query(state, method, &batch)
    } else {
        None
    };
    let public = public_query.is_some();
    let (cached, fresh_as) = match look_up(state, headers, (public_query, ticket), &batch).await {
        Lookup::Hit(hit) => {
            let caching = method.public(etag(&hit.digest, media), state.app.config.http_cache_max_age_secs);
            return send(StatusCode::OK, media, hit.body.clone(), caching, headers);
        }
        Lookup::Miss { store, fresh_as } => (store, fresh_as),
    };
    let viewer = match auth::authenticate(&state.app.auth, authorization).await {
        Ok(viewer) => viewer,
        Err(error) => return unauthorized(&error, media, locale(headers)),
    };
    let portal = match request_portal(state, headers).await {
        Ok(portal) => portal,
        Err(response) => return response(media, locale(headers)),
    };
    let asked = (request_id(headers), locale(headers));
    let gate = BatchGate::held();
    let route = reading::route(state, &viewer, &batch, fresh_as).await;
    let requests = batch
        .into_iter()
        .map(|request| {
            let who = (viewer.clone(), portal.clone());
            let request = prepare_request(request, route.state(state), who, asked.clone(), &gate).data(client);
            route.mark(request, state)
        })
        .collect();
    let batch_request = if is_batch {
        async_graphql::BatchRequest::Batch(requests)
    } else {
        match requests.into_iter().next() {
            Some(request) => async_graphql::BatchRequest::Single(request),
            None => async_graphql::BatchRequest::Batch(Vec::new()),
        }
    };
    let executed = gate.run(state.schema.execute_batch(batch_request)).await;
    route.after(state, &viewer).await;
    match executed {
        BatchResponse::Single(response) => answer(state, headers, (media, method), &response, (public, cached)),
        BatchResponse::Batch(responses) => {
            let bodies: Vec<Value> = responses.iter().map(|response| render(response).1).collect();
            respond(StatusCode::OK, media, &Value::Array(bodies))
        }
    }
}

/// Whether a single anonymous request's answer is the same for everyone who sends it (a
/// query), so that the caches (this one, browsers', CDNs') may keep it: `Some(reads_data)`,
/// false for a query of introspection only. Told only where some cache could use it.
fn public_query(state: &HttpState, method: Method, batch: &[async_graphql::Request]) -> Option<bool> {
    let cacheable = state.cache.enabled() || method == Method::Get;
    match batch {
        [request] if cacheable => match operation(&request.query, request.operation_name.as_deref()) {
            Some((OperationType::Query, reads_data)) => Some(reads_data),
            _ => None,
        },
        _ => None,
    }
}

/// Sends one executed response. A public one without errors whose document asks for no
/// viewer-dependent field (those are marked private in the schema) carries its entity tag, and
/// is stored in the cache under `cached` (the key and data version of its lookup).
fn answer(
    state: &HttpState,
    headers: &HeaderMap,
    (media, method): (MediaType, Method),
    response: &async_graphql::Response,
    (public, cached): (bool, Option<(CacheKey, String)>),
) -> Response {
    let (request_error, body) = render_bytes(response);
    let status = if request_error && media == MediaType::GraphqlResponseJson {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    if !response.errors.is_empty() {
        // An answer with errors is never stored, whatever the method.
        return send(status, media, body, Caching::Private, headers);
    }
    if !(public && response.cache_control.public) {
        return send(status, media, body, method.private(), headers);
    }
    let digest = digest_of(&body);
    let tag = etag(&digest, media);
    if let Some((key, version)) = cached {
        state.cache.put(key, body.clone(), digest, version);
    }
    let caching = method.public(tag, state.app.config.http_cache_max_age_secs);
    send(status, media, body, caching, headers)
}

/// Fills in the documents of persisted queries; the answer when one cannot run.
fn resolve_persisted(state: &HttpState, media: MediaType, batch: &mut [async_graphql::Request]) -> Option<Response> {
    batch.iter_mut().find_map(|request| {
        state
            .persisted
            .resolve(request)
            .err()
            .map(|refusal| persisted_refusal(media, &refusal))
    })
}

/// `POST /graphql`: a JSON request object, or an array of them (a batch); or a multipart form
/// with files ([`upload`]).
pub async fn post(
    State(state): State<HttpState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return reject(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            "BAD_USER_INPUT",
            Some("accept"),
            "acceptable response types: application/graphql-response+json, application/json",
        );
    };
    let max_upload = state.app.config.storage.max_upload_bytes();
    let limit = upload::body_limit(&headers, state.app.config.limits.max_body_bytes, max_upload);
    let Some(body) = upload::read_body(&headers, body, limit).await else {
        return too_large(media);
    };
    let parsed = if upload::is_multipart(&headers) {
        match upload::parse_multipart(&headers, body, max_upload).await {
            Ok(parsed) => Ok(parsed),
            Err(upload::Refused::TooLarge) => return too_large(media),
            Err(upload::Refused::Bad(field, message)) => Err((field, message)),
        }
    } else if is_json_utf8(&headers) {
        parse_body(&body, state.app.config.limits.max_batch_operations)
    } else {
        return reject(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "BAD_USER_INPUT",
            Some("content-type"),
            "send the request as Content-Type: application/json (UTF-8), or as multipart/form-data with files",
        );
    };
    let (mut requests, is_batch) = match parsed {
        Ok(parsed) => parsed,
        Err((field, message)) => return bad_request(media, field, &message),
    };
    if let Some(response) = resolve_persisted(&state, media, &mut requests) {
        return response;
    }
    execute(
        &state,
        &headers,
        (media, Method::Post),
        requests,
        is_batch,
        ClientAddress::of(connection),
    )
    .await
}

/// 413: the request (or a file in it) is larger than allowed.
fn too_large(media: MediaType) -> Response {
    reject(
        StatusCode::PAYLOAD_TOO_LARGE,
        media,
        "BAD_USER_INPUT",
        Some("body"),
        "the request is too large: see --max-body-bytes, and --max-upload-mb for files",
    )
}

/// `GET /graphql?query=…&variables=…&operationName=…`: queries only. A browser's address bar
/// (which prefers HTML) is sent to GraphiQL, with the query in its editor.
pub async fn get(
    State(state): State<HttpState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if prefers_html(&headers) {
        let location = raw
            .as_deref()
            .map_or_else(|| "/".to_owned(), |query| format!("/?{query}"));
        return axum::response::Redirect::to(&location).into_response();
    }
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
    let mut request = match parse_params(object) {
        Ok(request) => request,
        Err((field, message)) => return bad_request(media, field, &message),
    };
    if let Some(response) = resolve_persisted(&state, media, std::slice::from_mut(&mut request)) {
        return response;
    }
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
    execute(
        &state,
        &headers,
        (media, Method::Get),
        vec![request],
        false,
        ClientAddress::of(connection),
    )
    .await
}
