//! Stored files behind one interface: a local folder (the default, `files/` beside the SQLite
//! file) or any S3-compatible object store (`s3://BUCKET/PREFIX`), both through the
//! `object_store` crate. What the areas store are content-addressed blobs ([`blobs`]: the bytes
//! of one SHA-256 once); download links that must work without a bearer token are signed
//! ([`signing`]).
//!
//! The store knows nothing of rows: an object is written before the row that refers to it
//! commits, and removed when no row does (at once after a failed change or a removal, or by the
//! sweep for an instance that died in between).

pub mod blobs;
pub mod signing;

use std::ops::Range;
use std::sync::Arc;

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore, PutPayload};
use sea_orm::DatabaseConnection;

pub use signing::UrlSigner;

use crate::config::StorageConfig;
use crate::error::{AppError, AppResult};

/// The object store of one instance, and the key its signed links are made with.
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// Where the files are, for the log (`folder /srv/files`, `s3://bucket/prefix`).
    pub location: String,
    signer: UrlSigner,
}

/// An object as listed: its key (relative to the store's root) and when it was written.
#[derive(Debug, Clone)]
pub struct Listed {
    pub key: String,
    pub last_modified: DateTime<Utc>,
}

fn storage_error(action: &str, error: object_store::Error) -> AppError {
    AppError::internal(anyhow::anyhow!("{action}: {error}"))
}

impl Storage {
    /// Opens the store `config` names (the folder is created if missing) and loads the key of
    /// signed links (generated on first start, kept in the database for every replica).
    pub async fn open(config: &StorageConfig, database_url: &str, db: &DatabaseConnection) -> anyhow::Result<Storage> {
        let (store, location) = open_store(config, database_url)?;
        let signer = UrlSigner::load(db).await?;
        Ok(Storage {
            store,
            location,
            signer,
        })
    }

    /// The signer of download links.
    pub fn signer(&self) -> &UrlSigner {
        &self.signer
    }

    /// Writes `bytes` under `key` (replacing what is there).
    pub async fn put(&self, key: &str, bytes: Bytes) -> AppResult<()> {
        self.store
            .put(&ObjectPath::from(key), PutPayload::from(bytes))
            .await
            .map_err(|error| storage_error("storing an object", error))?;
        Ok(())
    }

    /// The bytes under `key` (the `range` of them if given); `None` if there is no such object.
    pub async fn get(&self, key: &str, range: Option<Range<u64>>) -> AppResult<Option<Bytes>> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let result = match self.store.get_opts(&ObjectPath::from(key), options).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(error) => return Err(storage_error("reading an object", error)),
        };
        let bytes = result
            .bytes()
            .await
            .map_err(|error| storage_error("reading an object", error))?;
        Ok(Some(bytes))
    }

    /// Whether an object is stored under `key`.
    pub async fn exists(&self, key: &str) -> AppResult<bool> {
        match self.store.head(&ObjectPath::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(storage_error("looking up an object", error)),
        }
    }

    /// Removes the object under `key`; one that is not there is removed already.
    pub async fn delete(&self, key: &str) -> AppResult<()> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(storage_error("removing an object", error)),
        }
    }

    /// Every object whose key starts with `prefix` (a folder: `blobs`).
    pub async fn list(&self, prefix: &str) -> AppResult<Vec<Listed>> {
        let prefix = ObjectPath::from(prefix);
        self.store
            .list(Some(&prefix))
            .map_ok(|meta| Listed {
                key: meta.location.to_string(),
                last_modified: meta.last_modified,
            })
            .try_collect()
            .await
            .map_err(|error| storage_error("listing objects", error))
    }
}

/// The store `config` names, and how to say where it is.
fn open_store(config: &StorageConfig, database_url: &str) -> anyhow::Result<(Arc<dyn ObjectStore>, String)> {
    use anyhow::Context;
    let url = config
        .storage_url
        .as_deref()
        .map(str::trim)
        .filter(|url| !url.is_empty());
    if let Some(rest) = url.and_then(|url| url.strip_prefix("s3://")) {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        anyhow::ensure!(!bucket.is_empty(), "--storage-url s3://BUCKET/PREFIX names no bucket");
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(&config.s3_region)
            .with_allow_http(config.s3_allow_http)
            // Path-style requests (`endpoint/bucket/key`): what MinIO, Ceph and Garage expect.
            .with_virtual_hosted_style_request(false);
        if let Some(endpoint) = &config.s3_endpoint_url {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(key) = &config.s3_access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &config.s3_secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        let s3: Arc<dyn ObjectStore> = Arc::new(builder.build().context("configuring the S3 store")?);
        let prefix = prefix.trim_matches('/');
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            s3
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))
        };
        return Ok((store, format!("s3://{bucket}/{prefix}")));
    }
    let folder = match url {
        Some(url) => std::path::PathBuf::from(url.strip_prefix("file://").unwrap_or(url)),
        None => crate::config::beside_database(database_url, "files"),
    };
    std::fs::create_dir_all(&folder).with_context(|| format!("creating the file folder {}", folder.display()))?;
    let store = object_store::local::LocalFileSystem::new_with_prefix(&folder)
        .context("opening the file folder")?
        .with_automatic_cleanup(true);
    Ok((Arc::new(store), format!("folder {}", folder.display())))
}
