//! Automatic Persisted Queries, the protocol Apollo Client and urql speak: a request may carry
//! `extensions.persistedQuery = { version: 1, sha256Hash }` instead of its `query`. A hash this
//! instance knows stands for its document; an unknown one is answered `PERSISTED_QUERY_NOT_FOUND`,
//! and the client sends the hash again with the document, which registers it (after checking
//! that the hash is the document's). A GET URL then holds a hash and the variables: short, and
//! cacheable by browsers and CDNs.
//!
//! The documents are kept per instance, in a bounded cache: a replica that does not know a hash
//! asks for the document once, as the protocol expects.

use std::sync::Arc;

use async_graphql::Value;
use moka::sync::Cache;

use crate::text::sha256_hex;

/// Why a persisted query cannot run.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The hash is unknown here: the client sends the document with it.
    NotFound,
    /// `extensions.persistedQuery` is malformed, of another version, or not the document's hash.
    Invalid(&'static str),
}

/// The documents this instance knows by their SHA-256.
pub struct PersistedQueries {
    documents: Cache<String, Arc<str>>,
}

impl PersistedQueries {
    /// A store keeping up to `megabytes` MiB of documents (least recently used go first).
    pub fn new(megabytes: u64) -> Self {
        PersistedQueries {
            documents: Cache::builder()
                .weigher(|hash: &String, document: &Arc<str>| {
                    u32::try_from(hash.len() + document.len()).unwrap_or(u32::MAX)
                })
                .max_capacity(megabytes << 20)
                .build(),
        }
    }

    /// Resolves the request's persisted query, if it names one: fills in a known document, or
    /// registers the one it carries.
    pub(super) fn resolve(&self, request: &mut async_graphql::Request) -> Result<(), Refusal> {
        let Some(persisted) = request.extensions.get("persistedQuery") else {
            return Ok(());
        };
        let hash = hash_of(persisted)?;
        if request.query.is_empty() {
            let document = self.documents.get(&hash).ok_or(Refusal::NotFound)?;
            request.query = document.to_string();
            return Ok(());
        }
        if sha256_hex(&request.query, 32) != hash {
            return Err(Refusal::Invalid("the sha256Hash is not the hash of the query"));
        }
        self.documents.insert(hash, Arc::from(request.query.as_str()));
        // Evictions now, so that the store holds what it may also once traffic stops.
        self.documents.run_pending_tasks();
        Ok(())
    }
}

/// The hash of a well-formed `persistedQuery` extension (version 1, 64 lower-case hex digits).
fn hash_of(persisted: &Value) -> Result<String, Refusal> {
    let Value::Object(fields) = persisted else {
        return Err(Refusal::Invalid("persistedQuery must be an object"));
    };
    match fields.get("version") {
        Some(Value::Number(version)) if version.as_u64() == Some(1) => {}
        _ => return Err(Refusal::Invalid("persistedQuery.version must be 1")),
    }
    match fields.get("sha256Hash") {
        Some(Value::String(hash))
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) =>
        {
            Ok(hash.clone())
        }
        _ => Err(Refusal::Invalid(
            "persistedQuery.sha256Hash must be 64 lower-case hexadecimal digits",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, hash: &str) -> async_graphql::Request {
        let mut request = async_graphql::Request::new(query);
        let extension = serde_json::json!({ "version": 1, "sha256Hash": hash });
        request
            .extensions
            .insert("persistedQuery".into(), Value::from_json(extension).expect("a value"));
        request
    }

    #[test]
    fn an_unknown_hash_is_asked_for_then_registered_with_its_document() {
        let store = PersistedQueries::new(1);
        let query = "{ __typename }";
        let hash = sha256_hex(query, 32);
        assert_eq!(store.resolve(&mut request("", &hash)), Err(Refusal::NotFound));
        assert_eq!(store.resolve(&mut request(query, &hash)), Ok(()));
        let mut known = request("", &hash);
        assert_eq!(store.resolve(&mut known), Ok(()));
        assert_eq!(known.query, query);
    }

    #[test]
    fn a_hash_that_is_not_the_documents_registers_nothing() {
        let store = PersistedQueries::new(1);
        let other = sha256_hex("{ other }", 32);
        assert!(matches!(
            store.resolve(&mut request("{ __typename }", &other)),
            Err(Refusal::Invalid(_))
        ));
        assert_eq!(store.resolve(&mut request("", &other)), Err(Refusal::NotFound));
        assert!(matches!(
            store.resolve(&mut request("", "not-a-hash")),
            Err(Refusal::Invalid(_))
        ));
    }
}
