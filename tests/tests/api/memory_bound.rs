//! Anonymous traffic of many distinct large documents (persisted-query registrations, as Apollo
//! Client sends them) keeps the server process within its configured caches. Before, every
//! parsed document was kept under its whole text (uncounted by the cache's weigher), and idle
//! caches shrank only at their next use: 500 distinct 1 MB documents grew the process to 1.1 GB,
//! in proportion to the traffic. Now the process reaches a plateau: after the first documents
//! (which warm up the pools, buffers and the allocator), more distinct ones leave it where it is.
//! The server runs as its own process, so its resident memory is its own.

use dkbm_tests::{ServerProcess, TestDb};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The resident set of a process, in bytes.
fn resident_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the process status");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    kib * 1024
}

const DOCUMENT_BYTES: usize = 128 * 1024;
/// Documents that reach the plateau (40 MB: a debug build settles at about 65 MB above its
/// start, whatever comes after).
const WARM_UP: usize = 320;
/// Documents after it (40 MB, more than five times the caches' bound).
const MORE: usize = 320;

#[tokio::test]
async fn more_distinct_large_documents_leave_the_process_where_it_is() {
    let db = TestDb::fresh().await;
    let server = ServerProcess::start(
        &db.url,
        &[
            ("DKBM_RESPONSE_CACHE_MB", "1"),
            ("DKBM_PERSISTED_QUERIES_MB", "2"),
            ("DKBM_NO_BASE_PLACES", "true"),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let url = server.graphql_url();
    let padding = "x".repeat(DOCUMENT_BYTES);
    let send = |i: usize| {
        // Distinct documents (a comment makes each one its own), each registered by its hash.
        let query = format!("# {i} {padding}\n{{ __typename }}");
        let hash: String = Sha256::digest(&query).iter().map(|b| format!("{b:02x}")).collect();
        let body = json!({ "query": query, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } });
        let request = client.post(&url).json(&body);
        async move {
            let response: Value = request.send().await.expect("POST").json().await.expect("JSON");
            assert_eq!(response["data"]["__typename"], "Query", "document {i}: {response}");
        }
    };
    for i in 0..WARM_UP {
        send(i).await;
    }
    let plateau = resident_bytes(server.pid());
    for i in WARM_UP..WARM_UP + MORE {
        send(i).await;
    }
    let after = resident_bytes(server.pid());
    let grown = after.saturating_sub(plateau);
    // The caches hold at most 4 MB (parsed documents), 2 MB (persisted documents) and 1 MB
    // (answers); kept in proportion, 40 MB of documents would add at least 40 MB.
    assert!(
        grown < 12 << 20,
        "{} MB more after {} MB more documents ({} MB → {} MB)",
        grown >> 20,
        (MORE * DOCUMENT_BYTES) >> 20,
        plateau >> 20,
        after >> 20
    );
    server.stop().await;
}
