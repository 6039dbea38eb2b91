//! `GET /files/{id}/{filename}`: an attachment's bytes. Public items' files to anyone (cached
//! publicly), the others with a valid signed link or a bearer token of someone who may see the
//! item; anything else answers 404, exactly like a file that does not exist. A strong ETag (the
//! SHA-256) answers `If-None-Match` with 304; one `Range` with 206.

use std::ops::Range;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::{authenticate, authorization_header};
use crate::documents::service::{self, DownloadRequest, Shown};
use crate::error::{AppError, AppResult};
use crate::graphql::node::decode_as;
use crate::ids::AttachmentId;
use crate::messages::MessageKey;
use crate::state::AppState;

/// The documents' routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/files/{id}/{filename}", get(download))
}

/// A signed link's query.
#[derive(Debug, Deserialize)]
struct Signed {
    exp: Option<i64>,
    sig: Option<String>,
}

fn missing() -> AppError {
    AppError::not_found(MessageKey::NoSuchAttachment)
}

/// `GET /files/{id}/{filename}`
async fn download(
    State(state): State<AppState>,
    Path((id, filename)): Path<(String, String)>,
    Query(signed): Query<Signed>,
    headers: HeaderMap,
) -> Response {
    match serve(&state, (&id, &filename), &signed, &headers).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn serve(
    state: &AppState,
    (id, filename): (&str, &str),
    signed: &Signed,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let id: AttachmentId = decode_as("id", &async_graphql::ID(id.to_owned())).map_err(|_| missing())?;
    let viewer = authenticate(&state.auth, authorization_header(headers)?).await?;
    let request = DownloadRequest {
        viewer: &viewer,
        signed: signed.exp.zip(signed.sig.as_deref()),
        now: chrono::Utc::now().timestamp(),
    };
    let shown = service::downloadable(state.conn(), state.storage.signer(), id, request)
        .await?
        .filter(|shown| shown.row.filename == filename)
        .ok_or_else(missing)?;
    let etag = format!("\"{}\"", shown.row.sha256);
    let caching = if shown.public {
        "public, max-age=300"
    } else {
        "private, max-age=300"
    };
    let mut response = if none_match(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        body(state, &shown, headers).await?
    };
    let out = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            out.insert(name, value);
        }
    };
    set(header::ETAG, &etag);
    set(header::CACHE_CONTROL, caching);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::ACCEPT_RANGES, "bytes");
    Ok(response)
}

/// The bytes (or the asked range of them) with their type and name.
async fn body(state: &AppState, shown: &Shown, headers: &HeaderMap) -> AppResult<Response> {
    let size = u64::try_from(shown.row.byte_size).unwrap_or(0);
    let range = match requested_range(headers, size) {
        Ok(range) => range,
        Err(()) => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return Ok(response);
        }
    };
    let key = crate::storage::blobs::key(&shown.row.sha256);
    let bytes =
        state.storage.get(&key, range.clone()).await?.ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("the object of attachment {} is missing", shown.row.id))
        })?;
    let status = if range.is_some() {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut response = (status, bytes).into_response();
    let out = response.headers_mut();
    let disposition = service::content_disposition(&shown.row.filename, &shown.row.content_type);
    for (name, value) in [
        (header::CONTENT_TYPE, shown.row.content_type.clone()),
        (header::CONTENT_DISPOSITION, disposition),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            out.insert(name, value);
        }
    }
    if let Some(range) = range
        && let Ok(value) = HeaderValue::from_str(&format!("bytes {}-{}/{size}", range.start, range.end - 1))
    {
        out.insert(header::CONTENT_RANGE, value);
    }
    Ok(response)
}

/// Whether `If-None-Match` names the current ETag (or `*`).
fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

/// The one byte range `Range` asks for (`bytes=a-b`, `bytes=a-`, `bytes=-n`); `Ok(None)` for the
/// whole file (no header, another unit, several ranges: answered whole, as RFC 9110 allows);
/// `Err` when it lies past the end (416).
fn requested_range(headers: &HeaderMap, size: u64) -> Result<Option<Range<u64>>, ()> {
    let Some(spec) = headers
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().strip_prefix("bytes="))
    else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Ok(None);
    };
    let (first, last) = (first.trim(), last.trim());
    let range = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(first), Ok(last)) if first <= last => first..(last + 1).min(size),
        (Ok(first), Err(_)) if last.is_empty() => first..size,
        (Err(_), Ok(suffix)) if first.is_empty() && suffix > 0 => size.saturating_sub(suffix)..size,
        _ => return Ok(None),
    };
    if range.start >= size {
        return Err(());
    }
    Ok(Some(range))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(value: &str, size: u64) -> Result<Option<Range<u64>>, ()> {
        let mut headers = HeaderMap::new();
        headers.insert(header::RANGE, HeaderValue::from_str(value).expect("header"));
        requested_range(&headers, size)
    }

    #[test]
    fn one_range_is_read() {
        assert_eq!(range("bytes=0-9", 100), Ok(Some(0..10)));
        assert_eq!(range("bytes=90-", 100), Ok(Some(90..100)));
        assert_eq!(range("bytes=-5", 100), Ok(Some(95..100)));
        assert_eq!(range("bytes=95-200", 100), Ok(Some(95..100)));
        assert_eq!(range("bytes=100-", 100), Err(()));
        assert_eq!(range("bytes=0-1,5-6", 100), Ok(None));
        assert_eq!(range("items=0-1", 100), Ok(None));
    }
}
