//! Benchmark of the read path as front-ends use it: the list of 50 practices with their
//! municipalities and agency, a practice's detail page, the events list and the root search,
//! each with the public response cache off and on. The server is the release binary in a
//! process of its own, so that its CPU time per request (from /proc, user + system) is its own
//! and not the load generator's; 10 clients on the same machine.
//!
//! Run: `cargo build --release -p dkbm-hub && cargo bench -p dkbm-tests --bench read_path`
//! (with DKBM_TEST_DATABASE_URL for PostgreSQL as well; DKBM_BENCH_ONLY=postgres skips SQLite).

use std::sync::Arc;
use std::time::Duration;

use dkbm_tests::bench::{Figures, load};
use dkbm_tests::{ServerProcess, TestDb, TestServer, corpus};
use serde_json::{Value, json};

const PRACTICES: usize = 1_000;
const CLIENTS: usize = 10;
const PER_CLIENT: usize = 300;

const LIST: &str = "query Practices50 { goodPractices(first: 50) { nodes { id title summary publishedAt municipalities { id ags name kind state } agency { id slug name } } } }";
const DETAIL: &str = "query ($slug: String!) { goodPractice(slug: $slug) { title summary bodyHtml status publishedAt agency { name website } municipalities { ags name } topics { slug labelDe } targetGroups educationStages contact { name role email } links { label url } license } }";
const EVENTS: &str = "{ trainingEvents(first: 20) { nodes { slug title format startsAt endsAt isOnline capacity seatsTaken registrationOpen organizer { name } topics { labelDe } } } }";
const SEARCH: &str = "query ($q: String!) { search(query: $q, first: 20) { edges { node { __typename ... on GoodPractice { slug title } ... on TrainingEvent { slug title } ... on ForumThread { title } } } } }";

const WORDS: [&str; 4] = ["Schulen", "Übergänge", "Kinder", "Bildungsmonitoring"];

/// User and system CPU time of a process so far (Linux /proc, clock ticks of 10 ms).
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name (which may hold spaces) start at the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

struct Scenario {
    label: &'static str,
    query: &'static str,
    variables: fn(usize, &[String]) -> Value,
    check: fn(&Value) -> bool,
}

const SCENARIOS: [Scenario; 4] = [
    Scenario {
        label: "50 practices + municipalities + agency",
        query: LIST,
        variables: |_, _| json!({}),
        check: |r| r["data"]["goodPractices"]["nodes"].as_array().map(Vec::len) == Some(50),
    },
    Scenario {
        label: "practice detail page (50 different)",
        query: DETAIL,
        variables: |i, slugs| json!({ "slug": slugs[i % slugs.len()] }),
        check: |r| r["data"]["goodPractice"]["title"].is_string(),
    },
    Scenario {
        label: "training events, first 20",
        query: EVENTS,
        variables: |_, _| json!({}),
        check: |r| r["data"]["trainingEvents"]["nodes"].is_array(),
    },
    Scenario {
        label: "root search (4 different words)",
        query: SEARCH,
        variables: |i, _| json!({ "q": WORDS[i % WORDS.len()] }),
        check: |r| r["data"]["search"]["edges"].is_array(),
    },
];

async fn measure(server: &ServerProcess, scenario: &Scenario, slugs: &Arc<Vec<String>>) -> (Figures, Duration) {
    let client = reqwest::Client::new();
    let url = Arc::new(server.graphql_url());
    let (query, variables, check) = (scenario.query, scenario.variables, scenario.check);
    let request = move |client: reqwest::Client, url: Arc<String>, slugs: Arc<Vec<String>>, i: usize| async move {
        let body = json!({ "query": query, "variables": variables(i, &slugs) });
        let response: Value = client
            .post(url.as_str())
            .json(&body)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("JSON");
        assert!(check(&response) && response.get("errors").is_none(), "{response}");
    };
    // Warm-up: connections, statement caches, and the cache where it is on.
    for i in 0..50 {
        request(client.clone(), url.clone(), slugs.clone(), i).await;
    }
    let pid = server.pid();
    let before = cpu_time(pid);
    let (client, slugs) = (client.clone(), slugs.clone());
    let figures = load(CLIENTS, PER_CLIENT, move |c, i| {
        request(client.clone(), url.clone(), slugs.clone(), c * PER_CLIENT + i)
    })
    .await;
    (figures, cpu_time(pid).saturating_sub(before))
}

async fn run(db: TestDb) {
    let backend = db.backend();
    let url = db.url.clone();
    let db = Arc::new(db);
    let loader = TestServer::start_on(db.clone(), |_| {}).await;
    corpus::load(&loader, PRACTICES).await;
    let response = loader
        .gql("{ goodPractices(first: 50) { nodes { slug } } }", json!({}))
        .await;
    let slugs: Vec<String> = response["data"]["goodPractices"]["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| n["slug"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    dkbm_hub::db::optimize(loader.state.conn(), true)
        .await
        .expect("optimize");
    if backend == "PostgreSQL" {
        sea_orm::ConnectionTrait::execute_unprepared(loader.state.conn(), "VACUUM ANALYZE")
            .await
            .expect("analyze");
    }
    loader.stop().await;
    let slugs = Arc::new(slugs);
    for (cache, env) in [("uncached", "0"), ("cached", "64")] {
        let server = ServerProcess::start(
            &url,
            &[("DKBM_RESPONSE_CACHE_MB", env), ("DKBM_DB_MAX_CONNECTIONS", "16")],
        )
        .await;
        for scenario in &SCENARIOS {
            let (figures, cpu) = measure(&server, scenario, &slugs).await;
            let per_request = cpu.as_secs_f64() * 1000.0 / figures.requests as f64;
            println!(
                "{}   server CPU {per_request:>6.3} ms/request",
                figures.line(&format!("{backend}, {cache}: {}", scenario.label))
            );
        }
        server.stop().await;
    }
}

#[tokio::main]
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
