//! The real binary as a separate process, in its own working directory: for tests of several
//! replicas (each "on its own machine", sharing only the database).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

/// The `dkbm-hub` binary next to the test executable (built by `cargo test --workspace`).
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable");
    let dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
    let binary = dir.join("dkbm-hub");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p dkbm-hub` (cargo test --workspace does)",
        binary.display()
    );
    binary
}

/// A running server process.
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The process's own working directory.
    pub dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts `dkbm-hub serve` on `database_url` with extra environment, and waits until it is ready.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> ServerProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let child = Command::new(binary())
            .arg("serve")
            .current_dir(dir.path())
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("DKBM_BIND", format!("127.0.0.1:{port}"))
            .env("DKBM_LOG", "warn")
            .env("DKBM_DB_MAX_CONNECTIONS", "4")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start dkbm-hub");
        let process = ServerProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
            dir,
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(response) = client.get(format!("{}/readyz", process.base)).send().await
                && response.status().is_success()
            {
                return process;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("dkbm-hub did not become ready on {}", process.base);
    }

    /// `http://…/graphql`
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base)
    }

    /// The process id (0 once it has exited).
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// Stops the process with SIGTERM and waits for it.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status().await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}
