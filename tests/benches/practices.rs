//! Benchmark of good practices: 20,000 practices (from the test corpus), then search latency
//! for single words and for phrases, the page of 50 practices with their relations at 1 and
//! 32 clients, and facet counts — on SQLite and (with DKBM_TEST_DATABASE_URL) PostgreSQL.
//! Targets: search p50 < 20 ms, facets p50 < 30 ms.
//!
//! Run: `cargo bench -p dkbm-tests --bench practices`

use std::sync::Arc;
use std::time::Instant;

use dkbm_entity::{EducationStage, PracticeStatus, TargetGroup};
use dkbm_hub::db::{UnitOfWork, now};
use dkbm_hub::directory::service::require_agency;
use dkbm_hub::practices::service::{Content, NewRow, Provenance, check, insert_practice, record_change};
use dkbm_tests::bench::load;
use dkbm_tests::{TestDb, TestServer, corpus};
use sea_orm::ActiveEnum;
use serde_json::{Value, json};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PRACTICES: usize = 20_000;

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn content(input: &Value) -> Content {
    Content {
        title: input["title"].as_str().unwrap_or_default().to_owned(),
        summary: input["summary"].as_str().unwrap_or_default().to_owned(),
        body: input["body"].as_str().unwrap_or_default().to_owned(),
        topics: strings(&input["topics"]),
        municipality_ags: strings(&input["municipalityAgs"]),
        target_groups: strings(&input["targetGroups"])
            .iter()
            .filter_map(|s| TargetGroup::try_from_value(s).ok())
            .collect(),
        stages: strings(&input["educationStages"])
            .iter()
            .filter_map(|s| EducationStage::try_from_value(s).ok())
            .collect(),
        license: Some("CC-BY-4.0".into()),
        ..Content::default()
    }
}

/// Loads the practices in transactions of 500 through the service's own insert (checks,
/// Markdown, search index and change feed included).
async fn bulk_load(server: &TestServer) {
    let db = server.state.conn();
    let mut agencies = std::collections::HashMap::new();
    for chunk in (0..PRACTICES).collect::<Vec<_>>().chunks(500) {
        let work = UnitOfWork::begin_quiet(db).await.expect("begin");
        for &n in chunk {
            let input = corpus::practice(n);
            let slug = input["agencySlug"].as_str().unwrap_or_default().to_owned();
            if !agencies.contains_key(&slug) {
                agencies.insert(slug.clone(), require_agency(db, "agency", &slug).await.expect("agency"));
            }
            let checked = check(&work, "input", &content(&input)).await.expect("valid");
            let row = NewRow {
                slug: format!("bench-{n:05}"),
                status: PracticeStatus::Published,
                external_id: None,
                content: &checked,
                provenance: Provenance::default(),
            };
            let practice = insert_practice(&work, &agencies[&slug], row, now())
                .await
                .expect("insert");
            record_change(&work, &practice, None).await.expect("feed");
        }
        work.commit().await.expect("commit");
    }
}

const SEARCH: &str = "query ($q: String!) { goodPractices(first: 20, filter: { search: $q }) { totalCount edges { snippet highlightedTitle node { slug title } } } }";
const PAGE: &str = "query ($after: String) { goodPractices(first: 50, after: $after) { pageInfo { endCursor } edges { node { slug title summary agency { name } topics { slug labelDe } municipalities { ags name } targetGroups educationStages } } } }";
const FACETS: &str = "query ($filter: GoodPracticeFilter) { goodPracticeFacets(filter: $filter) { totalCount topics { topic { slug } count } states { state count } agencies { agency { slug } count } targetGroups { targetGroup count } educationStages { educationStage count } } }";

async fn run(db: TestDb) {
    let backend = db.backend();
    // DKBM_BENCH_EXPLAIN=1: PostgreSQL logs the plans of statements over 20 ms (auto_explain).
    if backend == "PostgreSQL" && std::env::var("DKBM_BENCH_EXPLAIN").is_ok() {
        let admin = sea_orm::Database::connect(std::env::var("DKBM_TEST_DATABASE_URL").unwrap_or_default())
            .await
            .expect("admin");
        let name = db.url.rsplit('/').next().unwrap_or_default().to_owned();
        for setting in [
            "session_preload_libraries = 'auto_explain'",
            "auto_explain.log_min_duration = '20ms'",
            "auto_explain.log_analyze = on",
        ] {
            sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("ALTER DATABASE \"{name}\" SET {setting}"))
                .await
                .expect("explain");
        }
    }
    let server = Arc::new(TestServer::start_on(Arc::new(db), uncached).await);
    server.seed_demo().await;
    let started = Instant::now();
    bulk_load(&server).await;
    println!(
        "{backend}: loaded {PRACTICES} practices in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // As a running server would have: fresh planner statistics (SQLite: PRAGMA optimize, which
    // the server runs at start and every ten minutes; PostgreSQL: what autovacuum does).
    dkbm_hub::db::optimize(server.state.conn(), true)
        .await
        .expect("optimize");
    if backend == "PostgreSQL" {
        sea_orm::ConnectionTrait::execute_unprepared(server.state.conn(), "VACUUM ANALYZE")
            .await
            .expect("analyze");
    }
    // For looking at query plans afterwards: DKBM_BENCH_SAVE_SQLITE=/tmp/practices.db
    if let Ok(path) = std::env::var("DKBM_BENCH_SAVE_SQLITE")
        && backend == "SQLite"
    {
        let _ = std::fs::remove_file(&path);
        sea_orm::ConnectionTrait::execute_unprepared(server.state.conn(), &format!("VACUUM INTO '{path}'"))
            .await
            .expect("save");
        if std::env::var("DKBM_BENCH_LOAD_ONLY").is_ok() {
            for query in ["Schulen", "\"Übergang Schule\""] {
                let started = Instant::now();
                let response = server.gql(SEARCH, json!({ "q": query })).await;
                println!(
                    "{query}: {:.1} ms, {} hits",
                    started.elapsed().as_secs_f64() * 1000.0,
                    response["data"]["goodPractices"]["totalCount"]
                );
            }
            return;
        }
    }

    for (label, queries) in [
        (
            "single words",
            vec![
                "Schulen",
                "Übergänge",
                "Kinder",
                "Bildungsmonitoring",
                "Museen",
                "Familien",
                "Volkshochschule",
                "Sozialindex",
            ],
        ),
        (
            "phrases",
            vec![
                "\"Übergang Schule\"",
                "\"Sprachförderung beginnt\"",
                "\"Bildungsbericht erscheint\"",
                "\"gemeinsam vorbereitet\"",
            ],
        ),
    ] {
        let queries = Arc::new(queries);
        let server = server.clone();
        let figures = load(1, 120, move |_, i| {
            let (server, queries) = (server.clone(), queries.clone());
            async move {
                let response = server.gql(SEARCH, json!({ "q": queries[i % queries.len()] })).await;
                assert!(
                    response["data"]["goodPractices"]["totalCount"].as_i64().unwrap_or(0) > 0,
                    "{response}"
                );
            }
        })
        .await;
        println!(
            "{}",
            figures.line(&format!("{backend}: search, {label} (20 hits with snippets)"))
        );
    }

    let mut cursors = vec![Value::Null];
    for _ in 0..20 {
        let response = server.gql(PAGE, json!({ "after": cursors.last() })).await;
        cursors.push(response["data"]["goodPractices"]["pageInfo"]["endCursor"].clone());
    }
    let cursors = Arc::new(cursors);
    for (clients, per_client) in [(1, 200), (32, 15)] {
        let (server, cursors) = (server.clone(), cursors.clone());
        let figures = load(clients, per_client, move |client, i| {
            let (server, cursors) = (server.clone(), cursors.clone());
            async move {
                let response = server
                    .gql(PAGE, json!({ "after": cursors[(client + i) % cursors.len()] }))
                    .await;
                assert_eq!(
                    response["data"]["goodPractices"]["edges"].as_array().map(Vec::len),
                    Some(50),
                    "{response}"
                );
            }
        })
        .await;
        println!(
            "{}",
            figures.line(&format!("{backend}: 50 practices + relations, {clients:>2} client(s)"))
        );
    }

    let filters = Arc::new(vec![
        json!({}),
        json!({ "state": "NW" }),
        json!({ "search": "Schulen" }),
        json!({ "topics": ["education-monitoring"], "targetGroups": ["ADMINISTRATION"] }),
    ]);
    let server_for_facets = server.clone();
    let figures = load(1, 80, move |_, i| {
        let (server, filters) = (server_for_facets.clone(), filters.clone());
        async move {
            let response = server
                .gql(FACETS, json!({ "filter": filters[i % filters.len()] }))
                .await;
            assert!(
                response["data"]["goodPracticeFacets"]["totalCount"]
                    .as_i64()
                    .unwrap_or(0)
                    > 0,
                "{response}"
            );
        }
    })
    .await;
    println!("{}", figures.line(&format!("{backend}: facets (5 dimensions)")));
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

/// This benchmark measures the work behind a read: the public response cache is off (the
/// `read_path` benchmark measures it).
fn uncached(config: &mut dkbm_hub::Config) {
    config.database.max_connections = 16;
    config.response_cache_mb = 0;
}
