//! A read replica (`--read-database-url`) against a real streaming replica the test sets up:
//! queries read on it, a viewer's own write is visible at once, a cached answer is never older
//! than the data version it is stored under, and reads fall back to the primary when the
//! replica lags too far or stops (`/readyz` says so).

use std::time::{Duration, Instant};

use dkbm_tests::streaming::StreamingPair;
use dkbm_tests::{ADMIN_TOKEN, PASSWORD, ServerProcess, data, on_postgres};
use serde_json::json;

const SLUGS: &str = "{ agencies(first: 10) { nodes { slug } } }";

async fn slugs(server: &ServerProcess, token: Option<&str>) -> Vec<String> {
    let response = server.gql(token, SLUGS, json!({})).await;
    data(&response)["agencies"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["slug"].as_str().expect("slug").to_owned())
        .collect()
}

async fn create_agency(server: &ServerProcess, slug: &str) {
    let query = "mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { slug } }";
    let input = json!({ "slug": slug, "name": format!("Agentur {slug}"), "kind": "TRANSFER_AGENCY" });
    data(&server.gql(Some(ADMIN_TOKEN), query, json!({ "i": input })).await);
}

/// Waits until `/readyz` answers 200 with a body containing `text`.
async fn readyz_says(server: &ServerProcess, text: &str) {
    let started = Instant::now();
    loop {
        let response = reqwest::get(format!("{}/readyz", server.base)).await.expect("readyz");
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        if status == 200 && body.contains(text) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "/readyz: {status} {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn replica_reads(server: &ServerProcess) -> u64 {
    let metrics = reqwest::get(format!("{}/metrics", server.base))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("dkbm_replica_reads_total "))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no replica counter: {metrics}"))
}

#[tokio::test]
async fn reads_go_to_the_replica_but_never_miss_a_viewer_s_own_write() {
    if !on_postgres() {
        eprintln!("skipped: a read replica is a PostgreSQL setting");
        return;
    }
    let Some(pair) = StreamingPair::start() else {
        assert!(
            std::env::var_os("DKBM_REQUIRE_REPLICA").is_none(),
            "DKBM_REQUIRE_REPLICA is set but PostgreSQL's server programs are not installed"
        );
        eprintln!("skipped: PostgreSQL's server programs are not installed");
        return;
    };
    let replica_url = pair.replica_url();
    let env = [
        ("DKBM_READ_DATABASE_URL", replica_url.as_str()),
        ("DKBM_REPLICA_MAX_LAG_SECS", "4"),
        ("DKBM_ADMIN_TOKEN", ADMIN_TOKEN),
        ("DKBM_NO_BASE_PLACES", "true"),
    ];
    let server = ServerProcess::start(&pair.primary_url(), &env).await;
    readyz_says(&server, "read replica: in use").await;
    create_agency(&server, "a1").await;
    let sign_up = "mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }";
    let input = json!({ "email": "leserin@bottrop.de", "password": PASSWORD, "displayName": "Leserin" });
    let signed_up = server.gql(None, sign_up, json!({ "i": input })).await;
    let reader = data(&signed_up)["signUp"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    pair.wait_replayed().await;
    assert_eq!(slugs(&server, Some(&reader)).await, ["a1"]);

    // Replay paused: the writer sees the new agency at once, another member reads the replica
    // (without it), an anonymous cached read must be as new as the data version (with it).
    pair.pause_replay(true).await;
    create_agency(&server, "a2").await;
    assert_eq!(
        slugs(&server, Some(ADMIN_TOKEN)).await,
        ["a1", "a2"],
        "the writer's own write"
    );
    let before = replica_reads(&server).await;
    assert_eq!(slugs(&server, Some(&reader)).await, ["a1"], "the replica, behind");
    assert_eq!(replica_reads(&server).await, before + 1);
    assert_eq!(slugs(&server, None).await, ["a1", "a2"], "a cache miss on the primary");
    assert_eq!(slugs(&server, None).await, ["a1", "a2"], "and its cached answer");

    // Too far behind: reads go to the primary.
    readyz_says(&server, "lags").await;
    assert_eq!(slugs(&server, Some(&reader)).await, ["a1", "a2"]);
    pair.pause_replay(false).await;
    readyz_says(&server, "read replica: in use").await;
    let before = replica_reads(&server).await;
    assert_eq!(slugs(&server, Some(&reader)).await, ["a1", "a2"]);
    assert_eq!(replica_reads(&server).await, before + 1);

    // Stopped: reads go to the primary.
    pair.stop_replica();
    readyz_says(&server, "does not answer").await;
    assert_eq!(slugs(&server, Some(&reader)).await, ["a1", "a2"]);
    assert_eq!(slugs(&server, None).await, ["a1", "a2"]);
    server.stop().await;
}

#[tokio::test]
async fn an_instance_starts_while_its_replica_is_down_and_reads_on_the_primary() {
    if !on_postgres() {
        eprintln!("skipped: a read replica is a PostgreSQL setting");
        return;
    }
    let db = dkbm_tests::TestDb::fresh().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let nowhere = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let env = [
        ("DKBM_READ_DATABASE_URL", nowhere.as_str()),
        ("DKBM_ADMIN_TOKEN", ADMIN_TOKEN),
        ("DKBM_NO_BASE_PLACES", "true"),
    ];
    let server = ServerProcess::start(&db.url, &env).await;
    readyz_says(&server, "does not answer").await;
    create_agency(&server, "a1").await;
    assert_eq!(slugs(&server, None).await, ["a1"]);
    assert_eq!(slugs(&server, Some(ADMIN_TOKEN)).await, ["a1"]);
    server.stop().await;
}
