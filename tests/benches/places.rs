//! Benchmark of the real map: a full import of the official municipality directory (GV100AD, a
//! generated file of about the real size: 16 Länder, the 401 Kreise of 2018, 3,822
//! Gemeindeverbände and 11,573 Gemeinden — 15,800 records), once into a fresh map and once
//! more unchanged; then the municipalities list filtered by `within` and `level` over the
//! 15,700 places, with the response cache off. Targets: the import under 10 s, the list at p50
//! under 5 ms.
//!
//! Run: `cargo bench -p dkbm-tests --bench places` (add DKBM_TEST_DATABASE_URL for PostgreSQL).

use std::sync::Arc;
use std::time::Instant;

use dkbm_hub::auth::Viewer;
use dkbm_hub::places::service::import_directory;
use dkbm_tests::bench::load;
use dkbm_tests::gv100ad::Gv100ad;
use dkbm_tests::{TestDb, TestServer};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A directory of about the real shape: every Land, its districts as in 2018, 39 Gemeinden per
/// Kreis in 13 Gemeindeverbände.
fn directory() -> (String, usize) {
    let districts = include_str!("../../api/assets/kreise-2018.csv");
    let mut file = Gv100ad::new("20191231");
    let mut records = 0;
    let mut last_land = String::new();
    for line in districts.lines().skip(1) {
        let fields: Vec<&str> = line.split(';').collect();
        let (key, kind, name) = (fields[0], fields[1], fields[2]);
        if key[..2] != last_land {
            last_land = key[..2].to_owned();
            file = file.land(&last_land, &format!("Land {last_land}"));
            records += 1;
        }
        if matches!(kind, "Kreisfreie Stadt" | "Stadtkreis") {
            file = file
                .kreis(key, name, "41")
                .gemeinde(&format!("{key}000"), "0000", name, 10_000, 100_000);
            records += 2;
            continue;
        }
        file = file.kreis(key, name, "44");
        records += 1;
        for association in 0..13 {
            let verband = format!("{:04}", 5001 + association);
            file = file.verband(key, &verband, &format!("Verband {key}-{association}"), "51");
            records += 1;
            for town in 0..3 {
                let number = association * 3 + town + 1;
                let ags = format!("{key}{number:03}");
                file = file.gemeinde(
                    &ags,
                    &verband,
                    &format!("Gemeinde {ags}, Stadt"),
                    2_000 + number,
                    5_000 + number,
                );
                records += 1;
            }
        }
    }
    (file.crlf(), records)
}

async fn run(db: TestDb) {
    let backend = db.backend();
    // The response cache off: every list request reads the database.
    let server = Arc::new(
        TestServer::start_on(Arc::new(db), |config| {
            config.no_base_places = false;
            config.response_cache_mb = 0;
        })
        .await,
    );
    let (content, records) = directory();
    for round in ["into the 2018 districts", "again, unchanged"] {
        let started = Instant::now();
        let import = import_directory(
            &server.state.writer,
            &Viewer::Operator,
            "file",
            content.as_bytes(),
            false,
        )
        .await
        .expect("import");
        println!(
            "{backend}: GV100AD import of {records} records {round}: {:.2} s ({})",
            started.elapsed().as_secs_f64(),
            import.summary()
        );
    }
    let query = "query ($within: String!) { municipalities(filter: { within: $within, level: MUNICIPALITY }, first: 20) { totalCount nodes { ags name } } }";
    let lands: Vec<String> = (1..=16).map(|land| format!("{land:02}")).collect();
    let lands = Arc::new(lands);
    for clients in [1, 4] {
        let (server, lands) = (server.clone(), lands.clone());
        let figures = load(clients, 200, move |client, i| {
            let (server, lands) = (server.clone(), lands.clone());
            async move {
                let within = &lands[(client + i) % lands.len()];
                let response = server.gql(query, json!({ "within": within })).await;
                assert!(
                    response["data"]["municipalities"]["totalCount"].is_number(),
                    "{response}"
                );
            }
        })
        .await;
        println!(
            "{}",
            figures.line(&format!(
                "{backend}: municipalities(within, level), {clients} client(s)"
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
