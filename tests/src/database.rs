//! A fresh, migrated database per test.
//!
//! SQLite: a template file is migrated once per test process and copied for each test.
//! PostgreSQL: a template database is migrated once per test process and each test gets
//! `CREATE DATABASE … TEMPLATE …`; databases of test processes that are gone are dropped.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tokio::sync::OnceCell;

/// The PostgreSQL server to test against, if any (`postgres://user@host:port/db`).
pub fn postgres_url() -> Option<String> {
    std::env::var("DKBM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A test's own database; dropped (PostgreSQL) or deleted (SQLite) when the value is dropped.
pub struct TestDb {
    pub url: String,
    kind: Kind,
    /// The mail folder every server on this database writes to (the folder transport).
    mail: tempfile::TempDir,
    /// The folder store every server on this database keeps its files in (unless a test
    /// points it at an S3 server).
    files: tempfile::TempDir,
}

enum Kind {
    Sqlite { _dir: tempfile::TempDir },
    Postgres { admin_url: String, name: String },
}

const PREFIX: &str = "dkbmt";

static SQLITE_TEMPLATE: OnceCell<(tempfile::TempDir, PathBuf)> = OnceCell::const_new();
static POSTGRES_TEMPLATE: OnceCell<String> = OnceCell::const_new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The same server URL with another database name.
fn with_database(url: &str, database: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("DKBM_TEST_DATABASE_URL is a URL");
    parsed.set_path(&format!("/{database}"));
    parsed.to_string()
}

async fn migrate(url: &str) -> DatabaseConnection {
    let config = dkbm_hub::config::DatabaseConfig {
        url: url.to_owned(),
        max_connections: 2,
        replica: Default::default(),
    };
    let db = dkbm_hub::db::connect(&config).await.expect("connect to the template");
    dkbm_hub::db::migrate(&db.connection)
        .await
        .expect("migrate the template");
    db.connection
}

async fn sqlite_template() -> &'static PathBuf {
    let (_, path) = SQLITE_TEMPLATE
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("template.db");
            let db = migrate(&format!("sqlite://{}?mode=rwc", path.display())).await;
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .expect("checkpoint");
            db.close().await.expect("close the template");
            (dir, path)
        })
        .await;
    path
}

fn process_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

async fn postgres_template(admin_url: &str) -> &'static String {
    POSTGRES_TEMPLATE
        .get_or_init(|| async {
            let admin = Database::connect(admin_url).await.expect("connect to PostgreSQL");
            // Databases left by earlier test processes that are gone.
            let rows = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    admin.get_database_backend(),
                    format!("SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}\\_%'"),
                ))
                .await
                .expect("list test databases");
            for row in rows {
                let name: String = row.try_get("", "datname").expect("datname");
                let pid = name.split('_').nth(1).and_then(|pid| pid.parse::<u32>().ok());
                if pid.is_some_and(|pid| !process_alive(pid)) {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .await;
                }
            }
            let name = format!("{PREFIX}_{}_template", std::process::id());
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await
                .expect("drop");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create the template");
            admin.close().await.expect("close");
            let template = migrate(&with_database(admin_url, &name)).await;
            template.close().await.expect("close the template");
            name
        })
        .await
}

impl TestDb {
    /// A fresh, migrated, empty database: PostgreSQL when `DKBM_TEST_DATABASE_URL` is set,
    /// else SQLite.
    pub async fn fresh() -> TestDb {
        match postgres_url() {
            None => Self::fresh_sqlite().await,
            Some(admin_url) => Self::fresh_postgres(&admin_url).await,
        }
    }

    /// A database without any table (not migrated): for tests of migrating.
    pub async fn empty() -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        match postgres_url() {
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join(format!("empty{n}.db"));
                TestDb {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    kind: Kind::Sqlite { _dir: dir },
                    mail: tempfile::tempdir().expect("temp dir"),
                    files: tempfile::tempdir().expect("temp dir"),
                }
            }
            Some(admin_url) => {
                // The template of this process is made first, so that its clean-up of the
                // databases of dead processes cannot meet this one.
                postgres_template(&admin_url).await;
                let name = format!("{PREFIX}_{}_{n}", std::process::id());
                let admin = Database::connect(&admin_url).await.expect("connect to PostgreSQL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create the test database");
                admin.close().await.expect("close");
                TestDb {
                    url: with_database(&admin_url, &name),
                    kind: Kind::Postgres { admin_url, name },
                    mail: tempfile::tempdir().expect("temp dir"),
                    files: tempfile::tempdir().expect("temp dir"),
                }
            }
        }
    }

    /// A fresh SQLite database file.
    pub async fn fresh_sqlite() -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let template = sqlite_template().await;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("test{n}.db"));
        std::fs::copy(template, &path).expect("copy the template");
        TestDb {
            url: format!("sqlite://{}?mode=rwc", path.display()),
            kind: Kind::Sqlite { _dir: dir },
            mail: tempfile::tempdir().expect("temp dir"),
            files: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A fresh database on the PostgreSQL server at `admin_url`.
    pub async fn fresh_postgres(admin_url: &str) -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let template = postgres_template(admin_url).await;
        let name = format!("{PREFIX}_{}_{n}", std::process::id());
        let admin = Database::connect(admin_url).await.expect("connect to PostgreSQL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""))
            .await
            .expect("create the test database");
        admin.close().await.expect("close");
        TestDb {
            url: with_database(admin_url, &name),
            kind: Kind::Postgres {
                admin_url: admin_url.to_owned(),
                name,
            },
            mail: tempfile::tempdir().expect("temp dir"),
            files: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The mail folder of the servers on this database.
    pub fn mail_dir(&self) -> &std::path::Path {
        self.mail.path()
    }

    /// The folder the servers on this database store files in.
    pub fn files_dir(&self) -> &std::path::Path {
        self.files.path()
    }

    /// Which backend this database is on.
    pub fn backend(&self) -> &'static str {
        match self.kind {
            Kind::Sqlite { .. } => "SQLite",
            Kind::Postgres { .. } => "PostgreSQL",
        }
    }

    /// A connection of the test's own (for assertions on rows left behind).
    pub async fn connect(&self) -> DatabaseConnection {
        Database::connect(&self.url)
            .await
            .expect("connect to the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Kind::Postgres { admin_url, name } = &self.kind {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside async; a short-lived runtime on its own thread does the work.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    let admin = Database::connect(&admin_url).await.ok()?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .await
                        .ok()?;
                    admin.close().await.ok()
                })
            });
            let _ = dropped.join();
        }
    }
}

impl TestDb {
    /// Every row of every table (but the migrations' bookkeeping), each rendered as one line of
    /// text: for checks that some value appears nowhere.
    pub async fn dump(&self) -> Vec<String> {
        use sea_orm::{DbBackend, Statement};
        let db = self.connect().await;
        let backend = db.get_database_backend();
        let table_query = match backend {
            DbBackend::Postgres => {
                "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            }
            _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        };
        let tables = db
            .query_all_raw(Statement::from_string(backend, table_query))
            .await
            .expect("list tables");
        let mut lines = Vec::new();
        for table in tables {
            let name: String = table.try_get("", "name").expect("name");
            if name == "seaql_migrations" {
                continue;
            }
            let select = match backend {
                DbBackend::Postgres => format!("SELECT CAST(t AS text) AS line FROM \"{name}\" t"),
                _ => {
                    let columns = db
                        .query_all_raw(Statement::from_string(
                            backend,
                            format!("SELECT name FROM pragma_table_info('{name}')"),
                        ))
                        .await
                        .expect("columns");
                    let parts: Vec<String> = columns
                        .iter()
                        .map(|c| format!("quote(\"{}\")", c.try_get::<String>("", "name").expect("column")))
                        .collect();
                    format!("SELECT {} AS line FROM \"{name}\"", parts.join(" || '|' || "))
                }
            };
            for row in db
                .query_all_raw(Statement::from_string(backend, select))
                .await
                .expect("rows")
            {
                let line: String = row.try_get("", "line").expect("line");
                lines.push(format!("{name}: {line}"));
            }
        }
        lines
    }
}
