//! A PostgreSQL primary and its streaming replica of the test's own: `initdb` into a temporary
//! folder, a postmaster on a free port, `pg_basebackup -R` into a second folder and a second
//! postmaster on another port. Both are stopped (immediately) when the value is dropped.
//! PostgreSQL refuses to run as root: as root the servers run as the `postgres` user.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// The server programs of the installed PostgreSQL (the newest major version).
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|version| version.join("bin"))
        .filter(|bin| bin.join("pg_basebackup").exists())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A primary and its replica.
pub struct StreamingPair {
    bin: PathBuf,
    _dir: tempfile::TempDir,
    primary_dir: PathBuf,
    replica_dir: PathBuf,
    pub primary_port: u16,
    pub replica_port: u16,
}

/// Whether this process runs as root.
fn as_root() -> bool {
    static ROOT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ROOT.get_or_init(|| {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
    })
}

impl StreamingPair {
    /// Starts both servers; `None` (the test is skipped) where PostgreSQL's server programs are
    /// not installed.
    pub fn start() -> Option<StreamingPair> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new()
            .prefix("dkbm-streaming")
            .tempdir_in("/tmp")
            .expect("temp dir");
        let (primary_dir, replica_dir) = (dir.path().join("primary"), dir.path().join("replica"));
        let pair = StreamingPair {
            bin,
            primary_dir,
            replica_dir,
            primary_port: free_port(),
            replica_port: free_port(),
            _dir: dir,
        };
        pair.chown(pair._dir.path());
        pair.run(
            "initdb",
            &[
                "-D",
                &pair.primary_dir.display().to_string(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
            ],
        );
        pair.start_server(&pair.primary_dir, pair.primary_port);
        pair.run(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &pair.primary_port.to_string(),
                "-U",
                "postgres",
                "-D",
                &pair.replica_dir.display().to_string(),
                "-R",
                "-X",
                "stream",
                "--no-sync",
            ],
        );
        pair.start_server(&pair.replica_dir, pair.replica_port);
        Some(pair)
    }

    fn chown(&self, path: &Path) {
        if as_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(path)
                .status()
                .expect("chown");
            assert!(status.success());
        }
    }

    /// A PostgreSQL program (run as `postgres` when root).
    fn program(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut command = if as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&path);
            command
        } else {
            Command::new(&path)
        };
        command.current_dir("/tmp");
        command
    }

    /// Runs a PostgreSQL program to its end; panics if it fails.
    fn run(&self, program: &str, args: &[&str]) {
        let output = self.program(program).args(args).output().expect(program);
        assert!(
            output.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn start_server(&self, data: &Path, port: u16) {
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off",
            data.display()
        );
        let log = data.join("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &data.display().to_string(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "start",
            ],
        );
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres` of the primary.
    pub fn primary_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.primary_port)
    }

    /// The same database on the replica.
    pub fn replica_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.replica_port)
    }

    /// A connection to the replica.
    pub async fn replica(&self) -> DatabaseConnection {
        Database::connect(self.replica_url())
            .await
            .expect("connect to the replica")
    }

    /// Pauses (or resumes) the replica's replay of the primary's changes.
    pub async fn pause_replay(&self, paused: bool) {
        let sql = if paused {
            "SELECT pg_wal_replay_pause()"
        } else {
            "SELECT pg_wal_replay_resume()"
        };
        self.replica()
            .await
            .execute_unprepared(sql)
            .await
            .expect("replay control");
    }

    /// Waits until the replica has replayed everything the primary wrote so far.
    pub async fn wait_replayed(&self) {
        let primary = Database::connect(self.primary_url())
            .await
            .expect("connect to the primary");
        let row = primary
            .query_one_raw(sea_orm::Statement::from_string(
                primary.get_database_backend(),
                "SELECT pg_current_wal_lsn()::text AS lsn",
            ))
            .await
            .expect("lsn")
            .expect("row");
        let lsn: String = row.try_get("", "lsn").expect("lsn");
        let replica = self.replica().await;
        let started = Instant::now();
        loop {
            let sql = format!("SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn AS done");
            let row = replica
                .query_one_raw(sea_orm::Statement::from_string(replica.get_database_backend(), sql))
                .await
                .expect("replay")
                .expect("row");
            if row.try_get::<bool>("", "done").expect("done") {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the replica did not catch up"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the replica.
    pub fn stop_replica(&self) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.replica_dir.display().to_string(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }
}

impl Drop for StreamingPair {
    fn drop(&mut self) {
        for data in [&self.replica_dir, &self.primary_dir] {
            if data.join("postmaster.pid").exists() {
                let _ = self
                    .program("pg_ctl")
                    .args(["-D"])
                    .arg(data)
                    .args(["-m", "immediate", "-w", "stop"])
                    .output();
            }
        }
    }
}
