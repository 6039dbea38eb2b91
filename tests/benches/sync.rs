//! Benchmark of the partner sync: one agency's job pushes 10,000 practices (from the test
//! corpus) in batches of 500 — new, then the same again (unchanged), then with 10 % changed —
//! and a partner pages the whole change feed (1,000 entries per page, each with the full
//! practice), on SQLite and (with DKBM_TEST_DATABASE_URL) PostgreSQL.
//! Targets: new ≥ 2,000 items/s, unchanged ≥ 10,000 items/s, full feed ≥ 20,000 entries/s.
//!
//! Run: `cargo bench -p dkbm-tests --bench sync`

use std::sync::Arc;
use std::time::Instant;

use dkbm_tests::{ApiClient, TestDb, TestServer, corpus, data};
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

async fn run(db: TestDb) {
    let backend = db.backend();
    let server = Arc::new(TestServer::start_on(Arc::new(db), |config| config.database.max_connections = 16).await);
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

    let started = Instant::now();
    let mut after: Option<String> = None;
    let mut entries = 0;
    let mut pages = 0;
    loop {
        let response = server.gql(CHANGES, json!({ "after": after })).await;
        let page = &data(&response)["goodPracticeChanges"];
        entries += page["entries"].as_array().map_or(0, Vec::len);
        pages += 1;
        after = page["endCursor"].as_str().map(str::to_owned);
        if page["hasMore"] != true {
            break;
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{backend}: full change feed, pages of 1000:            {:>8.0} entries/s (target ≥ 20000) ({entries} entries, {pages} pages, {:.0} ms per page)",
        entries as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / pages as f64
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
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
