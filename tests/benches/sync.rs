//! Benchmark of the partner sync: one agency's job pushes 10,000 practices (from the test
//! corpus) in batches of 500 — new, then the same again (unchanged), then with 10 % changed —
//! and a partner pages the whole change feed (1,000 entries per page, each with the full
//! practice, read into the mirror's own types), on SQLite and (with DKBM_TEST_DATABASE_URL) PostgreSQL.
//! Targets: new ≥ 2,000 items/s, unchanged ≥ 10,000 items/s, full feed ≥ 20,000 entries/s.
//! And a partner's first push as an outside client sees it (issue 35): the release binary in its
//! own process on a fresh database, the first 2,000 new items in 4 batches of 500, each whole
//! request timed from the client (target ≥ 3,000 items/s on PostgreSQL).
//!
//! Run: `cargo bench -p dkbm-tests --bench sync`

use std::sync::Arc;
use std::time::Instant;

use dkbm_tests::{ApiClient, ServerProcess, TestDb, TestServer, corpus, data};
use serde::Deserialize;
use serde_json::{Value, json};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PRACTICES: usize = 10_000;
const BATCH: usize = 500;

const SYNC: &str = "mutation ($items: [GoodPracticeSyncItem!]!) { syncGoodPractices(items: $items) {
  created updated unchanged deleted rejected items { externalId outcome errors { field message } practice { id version } } } }";
const CHANGES: &str = "query ($after: String) { goodPracticeChanges(after: $after, first: 1000) { endCursor hasMore
  entries { cursor operation id slug externalId version agency { slug }
    practice { title summary body topics { slug } municipalities { ags } targetGroups educationStages license updatedAt } } } }";

/// The corpus practice `n` as the partner sends it; `revision` > 0 changes its summary.
fn item(n: usize, revision: usize) -> Value {
    let practice = corpus::practice(n);
    let summary = if revision == 0 {
        practice["summary"].clone()
    } else {
        json!(format!(
            "{} (Fassung {revision})",
            practice["summary"].as_str().unwrap_or_default()
        ))
    };
    json!({
        "externalId": format!("partner-{n:05}"),
        "title": practice["title"],
        "summary": summary,
        "body": practice["body"],
        "topics": practice["topics"],
        "municipalityAgs": practice["municipalityAgs"],
        "targetGroups": practice["targetGroups"],
        "educationStages": practice["educationStages"],
        "license": "CC-BY-4.0",
    })
}

/// Pushes all practices in batches; returns items per second and the counts of outcomes.
async fn push(server: &TestServer, client: &ApiClient, revision_of: impl Fn(usize) -> usize) -> (f64, Value) {
    let batches: Vec<Value> = (0..PRACTICES)
        .collect::<Vec<_>>()
        .chunks(BATCH)
        .map(|chunk| json!(chunk.iter().map(|&n| item(n, revision_of(n))).collect::<Vec<_>>()))
        .collect();
    let mut totals = json!({ "created": 0, "updated": 0, "unchanged": 0, "rejected": 0 });
    let started = Instant::now();
    for items in batches {
        let response = server
            .gql_with(Some(&client.token()), SYNC, json!({ "items": items }))
            .await;
        let report = &data(&response)["syncGoodPractices"];
        for key in ["created", "updated", "unchanged", "rejected"] {
            totals[key] = json!(totals[key].as_i64().unwrap_or(0) + report[key].as_i64().unwrap_or(0));
        }
    }
    (PRACTICES as f64 / started.elapsed().as_secs_f64(), totals)
}

/// A page of the feed as a mirror job reads it: into its own types (as a generated client
/// would), not into a generic JSON tree.
async fn feed_page(server: &TestServer, after: Option<&str>) -> FeedPage {
    let body = server
        .client
        .post(server.graphql_url())
        .json(&json!({ "query": CHANGES, "variables": { "after": after } }))
        .send()
        .await
        .expect("send the request")
        .bytes()
        .await
        .expect("the body");
    let response: FeedResponse = serde_json::from_slice(&body)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&body[..body.len().min(500)])));
    response.data.good_practice_changes
}

#[derive(Deserialize)]
struct FeedResponse {
    data: FeedData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FeedData {
    good_practice_changes: FeedPage,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FeedPage {
    end_cursor: String,
    has_more: bool,
    entries: Vec<FeedEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "a mirror stores the entry; the benchmark only reads it")]
struct FeedEntry {
    cursor: String,
    operation: String,
    id: String,
    slug: String,
    external_id: Option<String>,
    version: i64,
    agency: Slug,
    practice: Option<FeedPractice>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "a mirror stores the practice; the benchmark only reads it")]
struct FeedPractice {
    title: String,
    summary: String,
    body: String,
    topics: Vec<Slug>,
    municipalities: Vec<Ags>,
    target_groups: Vec<String>,
    education_stages: Vec<String>,
    license: Option<String>,
    updated_at: String,
}

#[derive(Deserialize)]
#[expect(dead_code, reason = "read, not used")]
struct Slug {
    slug: String,
}

#[derive(Deserialize)]
#[expect(dead_code, reason = "read, not used")]
struct Ags {
    ags: String,
}

async fn run(db: TestDb) {
    let backend = db.backend();
    // The response cache off: every pass of the feed is read, not served from the cache.
    let server = Arc::new(
        TestServer::start_on(Arc::new(db), |config| {
            config.database.max_connections = 16;
            config.response_cache_mb = 0;
        })
        .await,
    );
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;

    let (rate, totals) = push(&server, &client, |_| 0).await;
    println!(
        "{backend}: sync {PRACTICES} new, batches of {BATCH}:            {rate:>8.0} items/s  (target ≥ 2000)  {totals}"
    );
    let (rate, totals) = push(&server, &client, |_| 0).await;
    println!(
        "{backend}: sync {PRACTICES} unchanged:                         {rate:>8.0} items/s  (target ≥ 10000) {totals}"
    );
    let (rate, totals) = push(&server, &client, |n| usize::from(n % 10 == 0)).await;
    println!("{backend}: sync {PRACTICES}, 10 % changed:                     {rate:>8.0} items/s  {totals}");

    for pass in 1..=3 {
        let (entries, pages, elapsed) = read_feed(&server).await;
        println!(
            "{backend}: full change feed, pages of 1000, pass {pass}:    {:>8.0} entries/s (target ≥ 20000) ({entries} entries, {pages} pages, {:.0} ms per page)",
            entries as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1000.0 / pages as f64
        );
    }
}

/// Pages the whole feed once: entries, pages, time taken.
async fn read_feed(server: &TestServer) -> (usize, usize, std::time::Duration) {
    let started = Instant::now();
    let mut after: Option<String> = None;
    let mut entries = 0;
    let mut pages = 0;
    loop {
        let page = feed_page(server, after.as_deref()).await;
        entries += page.entries.len();
        pages += 1;
        after = Some(page.end_cursor);
        if !page.has_more {
            break;
        }
    }
    (entries, pages, started.elapsed())
}

/// A partner's first push, seen from outside: the server binary in its own process on a fresh
/// database (the demo data and an API client set up beforehand), 4 batches of 500 new items,
/// each request timed from before it is sent until its whole answer is read.
async fn outside_first_push(db: TestDb) {
    const OUTSIDE_BATCHES: usize = 4;
    let backend = db.backend();
    let db = Arc::new(db);
    let client = {
        let setup = TestServer::start_on(db.clone(), |_| {}).await;
        setup.seed_demo().await;
        let client = setup.api_client("transferagentur-nrw").await;
        setup.stop().await;
        client
    };
    let server = ServerProcess::start(&db.url, &[("DKBM_RESPONSE_CACHE_MB", "0")]).await;
    let http = reqwest::Client::new();
    let mut times = Vec::new();
    for batch in 0..OUTSIDE_BATCHES {
        let items: Vec<Value> = (batch * BATCH..(batch + 1) * BATCH).map(|n| item(n, 0)).collect();
        let body = json!({ "query": SYNC, "variables": { "items": items } }).to_string();
        let token = client.token();
        let started = Instant::now();
        let answer = http
            .post(server.graphql_url())
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("send the batch")
            .bytes()
            .await
            .expect("the answer");
        times.push(started.elapsed());
        let answer: Value = serde_json::from_slice(&answer).expect("a JSON answer");
        assert_eq!(data(&answer)["syncGoodPractices"]["created"], BATCH, "{answer}");
    }
    let total: f64 = times.iter().map(std::time::Duration::as_secs_f64).sum();
    let each: Vec<String> = times
        .iter()
        .map(|t| format!("{:.0} ms", t.as_secs_f64() * 1000.0))
        .collect();
    println!(
        "{backend}: first push from outside, {} new in batches of {BATCH}: {:>8.0} items/s  (target ≥ 3000 on PostgreSQL; {})",
        OUTSIDE_BATCHES * BATCH,
        (OUTSIDE_BATCHES * BATCH) as f64 / total,
        each.join(", ")
    );
    server.stop().await;
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    if std::env::var("DKBM_BENCH_ONLY").as_deref() != Ok("postgres") {
        outside_first_push(TestDb::fresh_sqlite().await).await;
    }
    if let Some(url) = std::env::var("DKBM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        outside_first_push(TestDb::fresh_postgres(&url).await).await;
    }
    if std::env::var("DKBM_BENCH_ONLY").as_deref() != Ok("postgres") {
        run(TestDb::fresh_sqlite().await).await;
    }
    if let Some(url) = std::env::var("DKBM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        run(TestDb::fresh_postgres(&url).await).await;
    } else {
        println!("(set DKBM_TEST_DATABASE_URL to measure PostgreSQL as well)");
    }
}
