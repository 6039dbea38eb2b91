//! The public response cache: what anonymous viewers read is answered from memory until a write
//! makes it stale. An entry is keyed by everything the answer depends on for an anonymous
//! viewer — the document, the operation, the variables, the portal key and the language — and
//! remembers the data version it was computed at (`db::notify`: on PostgreSQL a sequence that
//! every unit of work advances after its commit, read with one short statement; on SQLite the
//! instance's commit counter): once any write has committed, through this replica or another,
//! the entry is stale and is computed again. Entries
//! also expire after `--response-cache-ttl-secs`, for what time alone changes (upcoming
//! events, featured-until dates).
//!
//! Only answers that cannot depend on who asks are stored: no credentials, a query operation,
//! no errors, and a document whose fields are all public (fields that depend on the viewer —
//! `me`, `myRegistration`, `viewerCanWrite`, unread counts, online URLs … — are marked
//! `cache_control(private)` in the schema, and async-graphql reports any of them in a
//! document). The cache is bounded by the bytes it holds (`--response-cache-mb`, 0 turns it
//! off); the least used entries go first.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderValue;
use moka::sync::Cache;

use super::negotiation::MediaType;
use crate::messages::Locale;

/// Everything an anonymous answer depends on — the document, the operation, the variables,
/// the portal key and the language — as their SHA-256 (a key holds 32 bytes, not the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct CacheKey([u8; 32]);

impl CacheKey {
    pub(super) fn of(request: &async_graphql::Request, portal_key: Option<&str>, locale: Locale) -> Self {
        use sha2::Digest;
        let mut hash = sha2::Sha256::new();
        // Each part with its length first, so that no two requests give the same bytes.
        let mut part = |bytes: &[u8]| {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        part(request.query.as_bytes());
        part(request.operation_name.as_deref().unwrap_or("\u{0}").as_bytes());
        part(serde_json::to_string(&request.variables).unwrap_or_default().as_bytes());
        part(portal_key.unwrap_or("\u{0}").as_bytes());
        part(format!("{locale:?}").as_bytes());
        CacheKey(hash.finalize().into())
    }
}

/// A stored answer: the serialised response, its entity tag, and the data version it shows.
pub(super) struct Cached {
    pub body: Bytes,
    /// The body's digest, from which each representation's entity tag is made ([`etag`]).
    pub digest: String,
    version: String,
}

/// The cache of one instance (`None` inside when switched off).
pub struct ResponseCache {
    entries: Option<Cache<CacheKey, Arc<Cached>>>,
}

impl ResponseCache {
    /// A cache of at most `megabytes` (0: off) whose entries live at most `ttl`.
    pub fn new(megabytes: u64, ttl: Duration) -> Self {
        let entries = (megabytes > 0).then(|| {
            Cache::builder()
                .weigher(|_: &CacheKey, value: &Arc<Cached>| {
                    u32::try_from(32 + value.body.len() + value.version.len() + 128).unwrap_or(u32::MAX)
                })
                .max_capacity(megabytes.saturating_mul(1024 * 1024))
                .time_to_live(ttl)
                .build()
        });
        ResponseCache { entries }
    }

    pub(super) fn enabled(&self) -> bool {
        self.entries.is_some()
    }

    /// The answer stored for `key`, if it was computed at the current data version `version`.
    pub(super) fn get(&self, key: &CacheKey, version: &str) -> Option<Arc<Cached>> {
        let entries = self.entries.as_ref()?;
        let cached = entries.get(key)?;
        if cached.version == version {
            return Some(cached);
        }
        entries.invalidate(key);
        None
    }

    /// Stores an answer computed at data version `version` (read before it was computed, so
    /// that a write committed meanwhile makes it stale at once).
    pub(super) fn put(&self, key: CacheKey, body: Bytes, digest: String, version: String) {
        let Some(entries) = &self.entries else { return };
        entries.insert(key, Arc::new(Cached { body, digest, version }));
        // Evictions now, so that the cache holds what it may also once traffic stops.
        entries.run_pending_tasks();
    }

    /// Bytes held, for the metrics (after pending evictions have run).
    pub fn weighted_bytes(&self) -> u64 {
        self.entries.as_ref().map_or(0, |entries| {
            entries.run_pending_tasks();
            entries.weighted_size()
        })
    }
}

/// A body's digest: its SHA-256, shortened to 128 bits, in hex.
pub(super) fn digest_of(body: &[u8]) -> String {
    crate::text::sha256_hex(body, 16)
}

/// The strong entity tag of one representation: the body's digest and the media type it is
/// sent as (the same body as `application/json` and as `application/graphql-response+json`
/// are two representations, RFC 9110 §8.8.3).
pub(super) fn etag(digest: &str, media: MediaType) -> HeaderValue {
    let kind = match media {
        MediaType::Json => "json",
        MediaType::GraphqlResponseJson => "gqlr",
    };
    HeaderValue::from_str(&format!("\"{digest}-{kind}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(query: &str) -> CacheKey {
        CacheKey::of(&async_graphql::Request::new(query), None, Locale::De)
    }

    #[test]
    fn an_entry_of_an_earlier_data_version_is_stale() {
        let cache = ResponseCache::new(1, Duration::from_secs(60));
        cache.put(key("{ a }"), Bytes::from_static(b"{}"), digest_of(b"{}"), "7".into());
        assert!(cache.get(&key("{ a }"), "7").is_some());
        assert!(cache.get(&key("{ b }"), "7").is_none());
        assert!(cache.get(&key("{ a }"), "8").is_none());
        assert!(cache.get(&key("{ a }"), "7").is_none(), "a stale entry is dropped");
    }

    #[test]
    fn the_cache_keeps_within_its_bytes() {
        let cache = ResponseCache::new(1, Duration::from_secs(60));
        let body = Bytes::from(vec![b' '; 10_000]);
        for i in 0..500 {
            cache.put(key(&format!("{{ a{i} }}")), body.clone(), digest_of(&body), "1".into());
        }
        let held = cache.weighted_bytes();
        assert!(held <= 1024 * 1024, "{held} bytes held");
        assert!(held > 500 * 1024, "{held} bytes held: the cache is used");
    }

    #[test]
    fn a_cache_of_zero_megabytes_is_off() {
        let cache = ResponseCache::new(0, Duration::from_secs(60));
        assert!(!cache.enabled());
        cache.put(key("{ a }"), Bytes::from_static(b"{}"), digest_of(b"{}"), "1".into());
        assert!(cache.get(&key("{ a }"), "1").is_none());
    }
}
