//! What operators run around the server: the configuration file and `config show`, migrations
//! applied once among instances starting together (and an instance waiting for them), and the
//! SQLite backup taken under writes. Every test runs the real binary.

use std::time::Duration;

use dkbm_tests::{ADMIN_TOKEN, ServerProcess, TestDb, data, on_postgres, run_binary};
use serde_json::{Value, json};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `key = value` lines of a TOML text (top level and sections alike), comments left out.
fn settings(toml: &str) -> Vec<(String, String)> {
    toml.lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with('[') && line.contains(" = "))
        .filter_map(|line| line.split_once(" = "))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

fn setting<'a>(all: &'a [(String, String)], key: &str) -> &'a str {
    all.iter()
        .find(|(known, _)| known == key)
        .map(|(_, value)| value.as_str())
        .unwrap_or_else(|| panic!("no {key} in {all:?}"))
}

const FILE: &str = r#"# written by an operator
bind = "127.0.0.1:9100"
log = "debug"
response_cache_mb = 12

[database]
db_max_connections = 7

[mail]
public_url = "https://dkbm.example"
smtp_url = "smtp://relay:secret@mail.example:587"
"#;

#[tokio::test]
async fn flags_win_over_the_environment_over_the_file_over_the_defaults() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("dkbm.toml"), FILE).expect("write");
    let env = [
        ("DKBM_CONFIG", "dkbm.toml"),
        ("DKBM_DB_MAX_CONNECTIONS", "9"),
        ("DKBM_RESPONSE_CACHE_MB", "13"),
    ];
    let output = run_binary(&["config", "show", "--response-cache-mb", "14"], &env, dir.path()).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let shown = text(&output.stdout);
    let all = settings(&shown);
    assert_eq!(setting(&all, "response_cache_mb"), "14", "flag over environment");
    assert_eq!(setting(&all, "db_max_connections"), "9", "environment over file");
    assert_eq!(setting(&all, "bind"), "\"127.0.0.1:9100\"", "file over default");
    assert_eq!(setting(&all, "public_url"), "\"https://dkbm.example\"");
    assert_eq!(setting(&all, "maintenance_secs"), "60", "default");
    assert!(
        !shown.contains("relay:secret"),
        "the SMTP password is not shown: {shown}"
    );
    assert!(shown.contains("# smtp_url = "), "{shown}");

    // What it prints is a file `--config` accepts, and reads back the same.
    std::fs::write(dir.path().join("shown.toml"), &shown).expect("write");
    let again = run_binary(&["config", "show", "--config", "shown.toml"], &[], dir.path()).await;
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(settings(&text(&again.stdout)), all);
}

#[tokio::test]
async fn an_unknown_key_or_a_bad_value_names_the_file_and_the_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "bind = \"127.0.0.1:9100\"\n\nresponse_cache = 5\n",
            "line 3",
            "`response_cache`",
        ),
        ("[mail]\nbind = \"127.0.0.1:1\"\n", "line 2", "belongs at the top"),
        ("db_max_connections = 3\n", "line 1", "belongs in [database]"),
        ("[limits]\nmax_depth = \"deep\"\n", "line 2", "`max_depth`"),
        ("[nowhere]\nx = 1\n", "line 1", "[nowhere]"),
        ("bind = \n", "dkbm.toml", "dkbm.toml"),
    ];
    for (content, line, named) in cases {
        std::fs::write(dir.path().join("dkbm.toml"), content).expect("write");
        for args in [
            &["config", "show", "--config", "dkbm.toml"][..],
            &["serve", "--config", "dkbm.toml"],
        ] {
            let output = run_binary(args, &[], dir.path()).await;
            let stderr = text(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{content:?}: {stderr}");
            assert!(stderr.contains("dkbm.toml"), "{content:?}: {stderr}");
            assert!(stderr.contains(line) && stderr.contains(named), "{content:?}: {stderr}");
        }
    }
}

/// How many migrations the instance says (in its JSON log) that it applied.
fn migrations_applied(log: &str) -> Option<usize> {
    log.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|line| line["message"] == "migrations applied")
        .and_then(|line| line["applied"].as_u64())
        .and_then(|applied| usize::try_from(applied).ok())
}

#[tokio::test]
async fn three_instances_starting_at_once_migrate_once() {
    if !on_postgres() {
        eprintln!("skipped: several instances migrating one database is a PostgreSQL setting");
        return;
    }
    let db = TestDb::empty().await;
    let env = [
        ("DKBM_LOG", "info"),
        ("DKBM_LOG_JSON", "true"),
        ("DKBM_NO_BASE_PLACES", "true"),
    ];
    let instances: Vec<ServerProcess> = (0..3).map(|_| ServerProcess::spawn(&db.url, &env, true)).collect();
    for instance in &instances {
        instance.wait_ready(Duration::from_secs(60)).await;
    }
    let mut applied: Vec<usize> = instances
        .iter()
        .map(|instance| migrations_applied(&instance.log()).unwrap_or_else(|| panic!("{}", instance.log())))
        .collect();
    applied.sort_unstable();
    assert_eq!(applied[0], 0);
    assert_eq!(applied[1], 0);
    assert!(applied[2] > 10, "one instance applied them all: {applied:?}");
    for instance in instances {
        instance.stop().await;
    }
}

#[tokio::test]
async fn an_instance_skipping_migrations_waits_for_them_and_then_serves() {
    let db = TestDb::empty().await;
    let env = [("DKBM_SKIP_MIGRATIONS", "true"), ("DKBM_NO_BASE_PLACES", "true")];
    let server = ServerProcess::spawn(&db.url, &env, false);
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();
    while server.status("/healthz").await != 200 {
        assert!(started.elapsed() < Duration::from_secs(30), "no /healthz");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(server.status("/readyz").await, 503);
    let response = client
        .post(server.graphql_url())
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await;
    assert_eq!(
        response.expect("answer").status().as_u16(),
        503,
        "no API before the migrations"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let migrated = run_binary(&["migrate", "--database-url", &db.url], &[], dir.path()).await;
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    server.wait_ready(Duration::from_secs(10)).await;
    let response = server
        .gql(None, "{ agencies(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(data(&response)["agencies"]["totalCount"], 0);
    server.stop().await;
}

const CREATE_AGENCY: &str = "mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { slug } }";

/// Creates agencies `a-0`, `a-1` … one after another until told to stop; returns how many.
fn keep_writing(
    graphql: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    written: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> tokio::task::JoinHandle<()> {
    use std::sync::atomic::Ordering;
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) {
            let input = json!({ "slug": format!("a-{n}"), "name": format!("Agentur {n}"), "kind": "TRANSFER_AGENCY" });
            let response: Value = client
                .post(&graphql)
                .bearer_auth(ADMIN_TOKEN)
                .json(&json!({ "query": CREATE_AGENCY, "variables": { "i": input } }))
                .send()
                .await
                .expect("send")
                .json()
                .await
                .expect("json");
            assert_eq!(data(&response)["createAgency"]["slug"], format!("a-{n}"));
            n += 1;
            written.store(n, Ordering::SeqCst);
        }
    })
}

#[tokio::test]
async fn a_sqlite_backup_taken_under_writes_restores() {
    use std::sync::atomic::Ordering;
    if on_postgres() {
        eprintln!("skipped: `backup` copies SQLite databases; PostgreSQL is backed up with pg_dump");
        return;
    }
    let db = TestDb::fresh().await;
    let env = [("DKBM_ADMIN_TOKEN", ADMIN_TOKEN), ("DKBM_NO_BASE_PLACES", "true")];
    let server = ServerProcess::start(&db.url, &env).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writer = keep_writing(server.graphql_url(), stop.clone(), written.clone());
    while written.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A folder store beside the database, copied along.
    let database_file = db
        .url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .expect("path")
        .to_owned();
    let store = std::path::Path::new(&database_file)
        .parent()
        .expect("folder")
        .join("files");
    std::fs::create_dir_all(store.join("ab")).expect("store");
    std::fs::write(store.join("ab").join("report.pdf"), b"%PDF-1.7 test").expect("file");

    let dir = tempfile::tempdir().expect("temp dir");
    let before = written.load(Ordering::SeqCst);
    let args = [
        "backup",
        "--to",
        "copy.db",
        "--files-to",
        "files-copy",
        "--database-url",
        &db.url,
    ];
    let backup = run_binary(&args, &[], dir.path()).await;
    let after = written.load(Ordering::SeqCst);
    assert!(backup.status.success(), "{}", text(&backup.stderr));
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::SeqCst);
    writer.await.expect("writer");
    assert!(
        written.load(Ordering::SeqCst) > after,
        "writes went on while the copy was taken"
    );
    assert_eq!(
        std::fs::read(dir.path().join("files-copy").join("ab").join("report.pdf")).expect("copied file"),
        b"%PDF-1.7 test"
    );
    let again = run_binary(&args, &[], dir.path()).await;
    assert_eq!(again.status.code(), Some(1), "an existing copy is not overwritten");

    // The copy starts as a database of its own and holds a prefix of the writes: every agency
    // written before the copy began, none half.
    let copy = format!("sqlite://{}?mode=rw", dir.path().join("copy.db").display());
    let restored = ServerProcess::start(&copy, &env).await;
    let all = "{ agencies(first: 100, orderBy: { field: NAME, direction: ASC }) { totalCount nodes { slug } } }";
    let response = restored.gql(None, all, json!({})).await;
    let count = usize::try_from(data(&response)["agencies"]["totalCount"].as_i64().expect("count")).expect("count");
    assert!((before..=after).contains(&count), "{before} <= {count} <= {after}");
    let slugs: std::collections::BTreeSet<String> = data(&response)["agencies"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["slug"].as_str().expect("slug").to_owned())
        .collect();
    let expected: std::collections::BTreeSet<String> = (0..count.min(100)).map(|n| format!("a-{n}")).collect();
    assert_eq!(slugs.len(), count.min(100));
    if count <= 100 {
        assert_eq!(slugs, expected);
    }
    restored.stop().await;
    server.stop().await;
}
