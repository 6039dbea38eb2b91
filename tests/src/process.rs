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
        let process = Self::spawn(database_url, env, false);
        process.wait_ready(Duration::from_secs(30)).await;
        process
    }

    /// Starts `dkbm-hub serve` without waiting for it; with `logged`, its log and standard error
    /// go to [`log`](Self::log) instead of the test's.
    pub fn spawn(database_url: &str, env: &[(&str, &str)], logged: bool) -> ServerProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        // The log goes to standard output.
        let (stdout, stderr) = if logged {
            let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
            (Stdio::from(log.try_clone().expect("log file")), Stdio::from(log))
        } else {
            (Stdio::null(), Stdio::inherit())
        };
        let child = command()
            .arg("serve")
            .current_dir(dir.path())
            .env("DATABASE_URL", database_url)
            .env("DKBM_BIND", format!("127.0.0.1:{port}"))
            .env("DKBM_LOG", "warn")
            .env("DKBM_DB_MAX_CONNECTIONS", "4")
            .envs(env.iter().copied())
            .stdout(stdout)
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .expect("start dkbm-hub");
        ServerProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
            dir,
        }
    }

    /// Waits until `/readyz` answers 200; panics after `limit`.
    pub async fn wait_ready(&self, limit: Duration) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Ok(response) = client.get(format!("{}/readyz", self.base)).send().await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("dkbm-hub did not become ready on {}", self.base);
    }

    /// What the process logged (when spawned `logged`).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// A GraphQL request (with a Bearer token if given); the JSON answer.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: serde_json::Value) -> serde_json::Value {
        let mut request = reqwest::Client::new()
            .post(self.graphql_url())
            .json(&serde_json::json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("send").json().await.expect("json")
    }

    /// The status of `GET path` (0 when no connection is taken).
    pub async fn status(&self, path: &str) -> u16 {
        status_of(&format!("{}{path}", self.base)).await
    }

    /// `http://…/graphql`
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base)
    }

    /// The process id (0 once it has exited).
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// Sends SIGTERM and returns at once.
    pub async fn terminate(&self) {
        if let Some(pid) = self.child.id() {
            let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status().await;
        }
    }

    /// Waits for the process to exit (at most `limit`) and returns its exit code.
    pub async fn exit_code(&mut self, limit: Duration) -> Option<i32> {
        match tokio::time::timeout(limit, self.child.wait()).await {
            Ok(Ok(status)) => status.code(),
            _ => None,
        }
    }

    /// Stops the process with SIGTERM and waits for it.
    pub async fn stop(mut self) {
        self.terminate().await;
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

/// The status of `GET url` (0 when no connection is taken).
pub async fn status_of(url: &str) -> u16 {
    reqwest::get(url).await.map_or(0, |response| response.status().as_u16())
}

/// The binary with a clean environment (none of the test's variables reach it).
fn command() -> Command {
    let mut command = Command::new(binary());
    command.env_clear();
    command
}

/// Runs `dkbm-hub ARGS` to its end with a clean environment plus `env`, in `dir`.
pub async fn run_binary(args: &[&str], env: &[(&str, &str)], dir: &std::path::Path) -> std::process::Output {
    command()
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .await
        .expect("run dkbm-hub")
}
