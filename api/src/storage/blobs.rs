//! Content-addressed blobs: the bytes of one SHA-256 are one object (`blobs/ab/abcdef…`) and one
//! `storage_blob` row, whoever refers to them. The order that keeps rows and objects in step
//! across replicas:
//!
//! - storing: [`put`] writes the object before the change's transaction; inside it, [`keep`]
//!   takes the digest's advisory lock, adds the row if missing and writes the object again if a
//!   release removed it meanwhile; the change commits the row with what refers to it.
//! - releasing: the change that drops the last reference deletes the row ([`forget`]) and
//!   commits; then [`release`] removes the object under the same lock if no row came back.
//!   A failed change releases what it had put.
//! - the sweep ([`orphans`]) releases objects that no row names and that are older than a
//!   sweep period: what an instance that died between storing and committing left behind.

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use dkbm_entity::storage_blob;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::Storage;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;

/// The folder of the blobs in the store.
const FOLDER: &str = "blobs";

/// The hex SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(bytes);
    hash.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The key of the object holding the bytes of `sha256`.
pub fn key(sha256: &str) -> String {
    format!("{FOLDER}/{}/{sha256}", sha256.get(..2).unwrap_or("00"))
}

/// The digest a blob's key names, if it is one.
fn digest_of_key(key: &str) -> Option<&str> {
    let sha256 = key.rsplit('/').next()?;
    (sha256.len() == 64 && sha256.bytes().all(|byte| byte.is_ascii_hexdigit())).then_some(sha256)
}

/// Writes the object of `bytes` (before the change that refers to it begins).
pub async fn put(storage: &Storage, sha256: &str, bytes: Bytes) -> AppResult<()> {
    storage.put(&key(sha256), bytes).await
}

/// Inside the change that refers to the bytes: their row (added if missing, with their size and
/// type), and their object, written again if a release removed it since [`put`].
pub async fn keep(
    work: &UnitOfWork,
    storage: &Storage,
    (sha256, bytes): (&str, &Bytes),
    content_type: &str,
) -> AppResult<()> {
    work.advisory_on_digest(sha256).await?;
    let stored = storage_blob::Entity::find_by_id(sha256.to_owned()).one(work).await?;
    if stored.is_some() {
        return Ok(());
    }
    if !storage.exists(&key(sha256)).await? {
        storage.put(&key(sha256), bytes.clone()).await?;
    }
    let row = storage_blob::ActiveModel {
        sha256: Set(sha256.to_owned()),
        byte_size: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        content_type: Set(content_type.to_owned()),
        created_at: Set(now()),
    };
    storage_blob::Entity::insert(row)
        .on_conflict(OnConflict::column(storage_blob::Column::Sha256).do_nothing().to_owned())
        .exec_without_returning(work)
        .await?;
    Ok(())
}

/// Deletes the rows of blobs nothing refers to any more (the caller knows); [`release`] their
/// objects after the commit.
pub async fn forget(db: &impl ConnectionTrait, sha256: &[String]) -> AppResult<()> {
    if sha256.is_empty() {
        return Ok(());
    }
    storage_blob::Entity::delete_many()
        .filter(storage_blob::Column::Sha256.is_in(sha256.iter().cloned()))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes the object of `sha256` unless a row names it (under the digest's lock, so that a
/// change keeping the same bytes either sees it gone and writes it again, or has committed its
/// row first). Answers whether it was removed.
pub async fn release(writer: &Writer, storage: &Storage, sha256: &str) -> AppResult<bool> {
    let work = UnitOfWork::begin(writer).await?;
    work.advisory_on_digest(sha256).await?;
    let named = storage_blob::Entity::find_by_id(sha256.to_owned()).one(&work).await?;
    if named.is_some() {
        return Ok(false);
    }
    storage.delete(&key(sha256)).await?;
    work.commit().await?;
    Ok(true)
}

/// Releases `sha256`, logging rather than answering a failure: for the clean-up after a failed
/// change, whose own error is what the client hears (the sweep retries what fails here).
pub async fn release_quietly(writer: &Writer, storage: &Storage, sha256: &str) {
    if let Err(error) = release(writer, storage, sha256).await {
        tracing::warn!(%error, sha256, "removing an object after a failed change failed; the sweep will");
    }
}

/// The digests of stored objects that no row names and that were written before `before`.
pub async fn orphans(db: &impl ConnectionTrait, storage: &Storage, before: DateTime<Utc>) -> AppResult<Vec<String>> {
    let listed = storage.list(FOLDER).await?;
    let old: Vec<String> = listed
        .iter()
        .filter(|object| object.last_modified < before)
        .filter_map(|object| digest_of_key(&object.key).map(str::to_owned))
        .collect();
    let mut orphans = Vec::new();
    for chunk in old.chunks(500) {
        let named: std::collections::HashSet<String> = storage_blob::Entity::find()
            .filter(storage_blob::Column::Sha256.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
            .into_iter()
            .map(|blob| blob.sha256)
            .collect();
        orphans.extend(chunk.iter().filter(|sha256| !named.contains(*sha256)).cloned());
    }
    Ok(orphans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_key_names_its_digest() {
        let sha256 = digest(b"Bildungsbericht");
        assert_eq!(sha256.len(), 64);
        let key = key(&sha256);
        assert!(key.starts_with(&format!("blobs/{}/", &sha256[..2])));
        assert_eq!(digest_of_key(&key), Some(sha256.as_str()));
        assert_eq!(digest_of_key("blobs/ab/not-a-digest"), None);
    }
}
