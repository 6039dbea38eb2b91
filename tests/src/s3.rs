//! A real S3 server in the test process: `s3s` with its file-system backend (`s3s-fs`: every
//! object a file under the bucket's folder), served by hyper on an ephemeral port, with
//! signature checking on. The server under test talks to it through `object_store`'s S3 client,
//! path-style, over plain HTTP — as it would to MinIO or Garage.

use std::path::{Path, PathBuf};

use dkbm_hub::Config;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::task::JoinHandle;

/// The credentials the test server accepts.
pub const ACCESS_KEY: &str = "dkbm-test-access";
pub const SECRET_KEY: &str = "dkbm-test-secret-0123456789";
/// The bucket the files go to.
pub const BUCKET: &str = "dkbm-files";
/// The prefix inside the bucket.
pub const PREFIX: &str = "instance-a";

/// One running S3 server; stopped when dropped.
pub struct S3Server {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    root: tempfile::TempDir,
    task: JoinHandle<()>,
}

impl S3Server {
    /// Starts a server with an empty bucket.
    pub async fn start() -> S3Server {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(root.path().join(BUCKET)).expect("the bucket's folder");
        let store = s3s_fs::FileSystem::new(root.path()).expect("the S3 file system");
        let mut builder = S3ServiceBuilder::new(store);
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        let service = builder.build();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let service = service.clone();
                tokio::spawn(async move {
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        S3Server { endpoint, root, task }
    }

    /// Points a server's configuration at this store (`s3://BUCKET/PREFIX`).
    pub fn configure(&self, config: &mut Config) {
        let storage = &mut config.storage;
        storage.storage_url = Some(format!("s3://{BUCKET}/{PREFIX}"));
        storage.s3_endpoint_url = Some(self.endpoint.clone());
        storage.s3_access_key_id = Some(ACCESS_KEY.to_owned());
        storage.s3_secret_access_key = Some(SECRET_KEY.to_owned());
        storage.s3_region = "eu-central-1".to_owned();
        storage.s3_allow_http = true;
    }

    /// The folder the bucket's objects are files in.
    pub fn bucket_dir(&self) -> PathBuf {
        self.root.path().join(BUCKET)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The files under `folder` (paths relative to it, `/`-separated, sorted); an object store's
/// objects, whether it is the folder store or the S3 server's bucket.
pub fn files_under(folder: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(folder) {
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}
