//! The response cache's lookup: a public query's stored answer if it was computed at the data
//! version now, read after the request arrived (shared between requests, [`super::versions`]).

use std::sync::Arc;

use axum::http::HeaderMap;
use futures::FutureExt;

use super::cache::{CacheKey, Cached};
use super::versions::DataVersion;
use super::{HttpState, PORTAL_KEY, locale};

/// The data version of answers that read no data (`{ __typename }`, introspection): valid
/// whatever commits, so their lookup reads nothing.
const NO_DATA: &str = "no-data";

/// What the response cache has for a request.
pub(super) enum Lookup {
    /// A stored answer computed at the data version now.
    Hit(Arc<Cached>),
    /// Nothing: the key and data version to store the answer under, where it may be stored,
    /// and the primary's WAL position the answer must have seen (with a read replica).
    Miss {
        store: Option<(CacheKey, String)>,
        fresh_as: Option<u64>,
    },
}

const NOT_CACHED: Lookup = Lookup::Miss {
    store: None,
    fresh_as: None,
};

pub(super) async fn look_up(
    state: &HttpState,
    headers: &HeaderMap,
    (public_query, ticket): (Option<bool>, u64),
    batch: &[async_graphql::Request],
) -> Lookup {
    let [request] = batch else { return NOT_CACHED };
    let Some(reads_data) = public_query.filter(|_| state.cache.enabled()) else {
        return NOT_CACHED;
    };
    let version = if reads_data {
        data_version(state, ticket).await
    } else {
        Some(DataVersion::tag(NO_DATA))
    };
    let Some(version) = version else {
        return NOT_CACHED;
    };
    let portal_key = headers.get(PORTAL_KEY).and_then(|v| v.to_str().ok());
    let key = CacheKey::of(request, portal_key, locale(headers));
    let metrics = state.app.metrics();
    if let Some(hit) = state.cache.get(&key, &version.tag) {
        metrics.response_cache_hits.inc();
        return Lookup::Hit(hit);
    }
    metrics.response_cache_misses.inc();
    Lookup::Miss {
        store: Some((key, version.tag)),
        fresh_as: version.lsn,
    }
}

/// The data version from a read that started after the request's ticket, which a cached answer
/// must show to be served (`None` when it cannot be told: the cache is passed by). Requests
/// waiting at the same time share one read. With a read replica the primary's WAL position is
/// read in the same statement.
async fn data_version(state: &HttpState, ticket: u64) -> Option<DataVersion> {
    let in_memory = state.app.config.database.url.contains(":memory:");
    let (db, bus) = (state.app.db.version.clone(), state.app.bus.clone());
    let with_position = state.app.replica.is_some();
    let read = move || {
        async move {
            let read = if with_position {
                crate::db::replica::data_version_at(&db)
                    .await
                    .map(|(tag, lsn)| Some(DataVersion { tag, lsn: Some(lsn) }))
            } else {
                crate::db::notify::data_version(&db, in_memory)
                    .await
                    .map(|version| Some(DataVersion::tag(version.unwrap_or_else(|| bus.commits().to_string()))))
            };
            read.unwrap_or_else(|error| {
                tracing::warn!(error = %error, "reading the data version failed; the response cache is passed by");
                None
            })
        }
        .boxed()
    };
    state.versions.after(ticket, read).await
}
