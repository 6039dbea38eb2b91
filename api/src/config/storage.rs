//! Stored files: where they live (a folder or S3-compatible object storage), how large they may
//! be, how long signed download links live.

use std::time::Duration;

use clap::{ArgAction, Args};

/// One MiB.
const MIB: u64 = 1024 * 1024;

/// Stored files (attachments): the store, the limits, the signed links.
#[derive(Debug, Clone, Args)]
pub struct StorageConfig {
    /// Where files are stored: a folder (`file:///srv/dkbm/files` or a plain path) or
    /// S3-compatible object storage (`s3://BUCKET/PREFIX`, path-style, configured by the
    /// `AWS_*` settings below). Default: the folder `files/` beside the SQLite database file, or
    /// in the working directory.
    #[arg(long, env = "DKBM_STORAGE_URL")]
    pub storage_url: Option<String>,

    /// The S3 endpoint (e.g. `http://127.0.0.1:9000` for MinIO); unset: AWS.
    #[arg(long = "s3-endpoint-url", env = "AWS_ENDPOINT_URL")]
    pub s3_endpoint_url: Option<String>,

    /// The S3 access key id.
    #[arg(long = "s3-access-key-id", env = "AWS_ACCESS_KEY_ID", hide_env_values = true)]
    pub s3_access_key_id: Option<String>,

    /// The S3 secret access key.
    #[arg(long = "s3-secret-access-key", env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub s3_secret_access_key: Option<String>,

    /// The S3 region.
    #[arg(long = "s3-region", env = "AWS_REGION", default_value = "us-east-1")]
    pub s3_region: String,

    /// Allow a plain `http` S3 endpoint (a store on the same machine or network).
    #[arg(long = "s3-allow-http", env = "AWS_ALLOW_HTTP", action = ArgAction::SetTrue)]
    pub s3_allow_http: bool,

    /// Largest file one upload may carry, in MiB; a larger request is answered 413 before its
    /// body is read (when its `Content-Length` says so).
    #[arg(long, env = "DKBM_MAX_UPLOAD_MB", default_value_t = 25, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_upload_mb: u64,

    /// Bytes of attachments one agency may store (its practices' and events'), in MiB; more
    /// answer QUOTA_EXCEEDED.
    #[arg(long, env = "DKBM_AGENCY_STORAGE_QUOTA_MB", default_value_t = 2048)]
    pub agency_storage_quota_mb: u64,

    /// Seconds between sweeps of the store: objects that no row refers to and that are older
    /// than this (an upload whose change was never committed) are removed. One replica sweeps
    /// per period.
    #[arg(long, env = "DKBM_STORAGE_SWEEP_SECS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub storage_sweep_secs: u64,

    /// Seconds a signed download link (files of drafts, closed forums, cancelled events) works.
    #[arg(long, env = "DKBM_SIGNED_URL_TTL_SECS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub signed_url_ttl_secs: u64,
}

impl StorageConfig {
    /// The largest file an upload may carry, in bytes.
    pub fn max_upload_bytes(&self) -> usize {
        usize::try_from(self.max_upload_mb.saturating_mul(MIB)).unwrap_or(usize::MAX)
    }

    /// The bytes one agency may store.
    pub fn agency_quota_bytes(&self) -> i64 {
        i64::try_from(self.agency_storage_quota_mb.saturating_mul(MIB)).unwrap_or(i64::MAX)
    }

    /// The time between sweeps, and the age an unreferenced object must reach to be swept.
    pub fn sweep_period(&self) -> Duration {
        Duration::from_secs(self.storage_sweep_secs)
    }

    /// How long a signed link works.
    pub fn signed_url_ttl(&self) -> Duration {
        Duration::from_secs(self.signed_url_ttl_secs)
    }
}
