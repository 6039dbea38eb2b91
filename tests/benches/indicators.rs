//! Benchmark of education monitoring indicators: 11,000 municipalities × 20 indicators × 10
//! years (2.2 million values). Prints the time of the import (through the service the CLI and
//! the mutation use: parse, resolve, compare with what is stored, write) and of a re-import that
//! changes nothing, and the latency of `similarMunicipalities` over HTTP (all 20 indicators,
//! every municipality of the kind ranked). Targets: import ≥ 100,000 values/s; similarity
//! p50 < 50 ms, on both backends.
//!
//! Run: `cargo bench -p dkbm-tests --bench indicators`
//! (add `DKBM_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres` for PostgreSQL;
//! `DKBM_BENCH_MUNICIPALITIES=1000` for a smaller set).

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use dkbm_entity::{MunicipalityKind, State, municipality};
use dkbm_hub::auth::Viewer;
use dkbm_hub::indicators::service::{IndicatorDraft, import_values, save_indicator};
use dkbm_tests::bench::load;
use dkbm_tests::{TestDb, TestServer};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

/// The allocator of the production binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const INDICATORS: usize = 20;
const YEARS: std::ops::Range<i32> = 2014..2024;

fn municipality_count() -> usize {
    std::env::var("DKBM_BENCH_MUNICIPALITIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(11_000)
}

fn ags(n: usize) -> String {
    format!("05{n:06}")
}

async fn load_municipalities(db: &DatabaseConnection, count: usize) {
    let now = dkbm_hub::db::now();
    let txn = db.begin().await.expect("begin");
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let rows = chunk.iter().map(|n| {
            let name = format!("Gemeinde {n:05}");
            municipality::ActiveModel {
                id: Set(Uuid::now_v7()),
                ags: Set(ags(*n)),
                slug: Set(format!("gemeinde-{n}")),
                name_sort: Set(dkbm_hub::text::fold(&name)),
                name: Set(name),
                kind: Set(MunicipalityKind::KreisangehoerigeGemeinde),
                state: Set(State::Nw),
                population: Set(Some(5_000 + *n as i64)),
                website: Set(None),
                education_office: Set(None),
                parent_id: Set(None),
                valid_from: Set(None),
                valid_until: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
        });
        municipality::Entity::insert_many(rows)
            .exec(&txn)
            .await
            .expect("municipalities");
    }
    txn.commit().await.expect("commit");
}

/// The values as a plain file with German decimal commas; one in 97 a special sign.
fn value_file(count: usize) -> String {
    let mut file = String::with_capacity(count * INDICATORS * YEARS.len() * 28);
    file.push_str("ags;year;code;value\n");
    let mut seed: u64 = 0x5eed;
    for n in 0..count {
        for indicator in 0..INDICATORS {
            for year in YEARS {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let noise = (seed >> 33) % 10_000;
                if noise.is_multiple_of(97) {
                    let _ = writeln!(file, "{};{year};IND_{indicator:02};.", ags(n));
                } else {
                    let value = 10.0 + indicator as f64 + (n % 50) as f64 * 0.3 + noise as f64 / 1000.0;
                    let text = format!("{value:.2}").replace('.', ",");
                    let _ = writeln!(file, "{};{year};IND_{indicator:02};{text}", ags(n));
                }
            }
        }
    }
    file
}

async fn run(db: TestDb) {
    let backend = db.backend();
    let count = municipality_count();
    let server = Arc::new(TestServer::start_on(Arc::new(db), uncached).await);
    load_municipalities(server.state.conn(), count).await;
    for indicator in 0..INDICATORS {
        let draft = IndicatorDraft {
            code: format!("IND_{indicator:02}"),
            name_de: format!("Indikator {indicator}"),
            name_en: format!("Indicator {indicator}"),
            description: None,
            unit: "%".into(),
            source: "Benchmark".into(),
            topic: None,
            polarity: dkbm_entity::Polarity::Neutral,
            decimals: 2,
        };
        save_indicator(&server.state.writer, &Viewer::Operator, draft)
            .await
            .expect("indicator");
    }
    let file = value_file(count);
    let values = count * INDICATORS * YEARS.len();
    for label in ["import", "re-import (nothing changes)"] {
        let started = Instant::now();
        let report = import_values(&server.state.writer, &Viewer::Operator, file.as_bytes(), false)
            .await
            .expect("import");
        let seconds = started.elapsed().as_secs_f64();
        assert!(report.committed && report.rejected.is_empty(), "{}", report.summary());
        println!(
            "{backend}: {label} of {values} values in {seconds:.1} s = {:.0} values/s ({})",
            values as f64 / seconds,
            report.summary()
        );
    }

    let query = "query ($ags: String!) { similarMunicipalities(ags: $ags, year: 2023, first: 10) { nodes { municipality { ags } distance } } }";
    for (clients, per_client) in [(1, 60), (4, 15)] {
        let server = server.clone();
        let figures = load(clients, per_client, move |client, i| {
            let server = server.clone();
            async move {
                let reference = ags((client * 997 + i * 131) % count);
                let response = server.gql(query, json!({ "ags": reference })).await;
                let nodes = response["data"]["similarMunicipalities"]["nodes"]
                    .as_array()
                    .map(Vec::len);
                assert_eq!(nodes, Some(10), "{response}");
            }
        })
        .await;
        println!(
            "{}",
            figures.line(&format!(
                "{backend}: similarMunicipalities of {count} × {INDICATORS}, {clients} client(s)"
            ))
        );
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    run(TestDb::fresh_sqlite().await).await;
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
