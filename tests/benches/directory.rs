//! Benchmark of the directory: 10,000 municipalities (each with a programme participation and a
//! target agreement), then "the first 50 municipalities with programmes and agreements" at 1 and
//! 32 concurrent clients, on SQLite and (with DKBM_TEST_DATABASE_URL) on PostgreSQL.
//!
//! Run: `cargo bench -p dkbm-tests --bench directory`
//! (add `DKBM_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres` for PostgreSQL).

use std::sync::Arc;
use std::time::Instant;

use dkbm_entity::{AgencyKind, AgreementKind, MunicipalityKind, State};
use dkbm_entity::{agency, agreement, municipality, programme, programme_participation};
use dkbm_tests::bench::load;
use dkbm_tests::{TestDb, TestServer};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait};
use serde_json::{Value, json};
use uuid::Uuid;

/// The allocator of the production binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MUNICIPALITIES: usize = 10_000;

const PAGE: &str = r#"
    query ($after: String) {
      municipalities(first: 50, after: $after) {
        pageInfo { endCursor }
        edges { node {
          ags name kind state population
          programmes { fundingCode startsOn endsOn programme { name funder } }
          agreements { kind title signedOn agency { name slug } }
        } }
      }
    }"#;

async fn bulk_load(db: &DatabaseConnection) {
    let now = dkbm_hub::db::now();
    let txn = db.begin().await.expect("begin");
    let agency_id = Uuid::now_v7();
    agency::Entity::insert(agency::ActiveModel {
        id: Set(agency_id),
        slug: Set("transferagentur-bench".into()),
        name: Set("Transferagentur Bench".into()),
        name_sort: Set("transferagentur bench".into()),
        kind: Set(AgencyKind::TransferAgency),
        description: Set(None),
        website: Set(None),
        contact_email: Set(None),
        carrier_agency_id: Set(None),
        carrier_name: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&txn)
    .await
    .expect("agency");
    let programme_id = Uuid::now_v7();
    programme::Entity::insert(programme::ActiveModel {
        id: Set(programme_id),
        slug: Set("bildungskommunen".into()),
        name: Set("Bildungskommunen".into()),
        funder: Set("BMBF".into()),
        description: Set(None),
        website: Set(None),
        starts_on: Set(None),
        ends_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&txn)
    .await
    .expect("programme");
    let ids: Vec<Uuid> = (0..MUNICIPALITIES).map(|_| Uuid::now_v7()).collect();
    for chunk in ids.chunks(500).enumerate() {
        let (chunk_index, chunk) = chunk;
        let rows = chunk.iter().enumerate().map(|(i, id)| {
            let n = chunk_index * 500 + i;
            let name = format!("Gemeinde Nummer {n:05}");
            municipality::ActiveModel {
                id: Set(*id),
                ags: Set(format!("05{:06}", n)),
                slug: Set(format!("gemeinde-{n}")),
                name_sort: Set(dkbm_hub::text::fold(&name)),
                name: Set(name),
                kind: Set(MunicipalityKind::KreisangehoerigeGemeinde),
                state: Set(State::Nw),
                population: Set(Some(10_000 + n as i64)),
                website: Set(None),
                education_office: Set(Some("Bildungsbüro".into())),
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
        let participations = chunk.iter().map(|id| programme_participation::ActiveModel {
            id: Set(Uuid::now_v7()),
            programme_id: Set(programme_id),
            municipality_id: Set(*id),
            funding_code: Set(Some("01JL1815".into())),
            project_title: Set(None),
            starts_on: Set(chrono::NaiveDate::from_ymd_opt(2020, 3, 1)),
            ends_on: Set(chrono::NaiveDate::from_ymd_opt(2022, 3, 31)),
            created_at: Set(now),
            updated_at: Set(now),
        });
        programme_participation::Entity::insert_many(participations)
            .exec(&txn)
            .await
            .expect("participations");
        let agreements = chunk.iter().map(|id| agreement::ActiveModel {
            id: Set(Uuid::now_v7()),
            kind: Set(AgreementKind::TargetAgreement),
            title: Set("Zielvereinbarung".into()),
            summary: Set(None),
            agency_id: Set(agency_id),
            municipality_id: Set(Some(*id)),
            partner_agency_id: Set(None),
            signed_on: Set(chrono::NaiveDate::from_ymd_opt(2023, 1, 1)),
            status: Set(dkbm_entity::AgreementStatus::Active),
            request: Set(None),
            next_review_on: Set(None),
            reminded_for: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
        agreement::Entity::insert_many(agreements)
            .exec(&txn)
            .await
            .expect("agreements");
    }
    txn.commit().await.expect("commit");
}

async fn run(db: TestDb) {
    let backend = db.backend();
    let server = Arc::new(TestServer::start_on(Arc::new(db), uncached).await);
    let started = Instant::now();
    bulk_load(server.state.conn()).await;
    println!(
        "{backend}: loaded {MUNICIPALITIES} municipalities with participations and agreements in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Cursors of pages spread over the list, so clients do not all read the same rows.
    let mut cursors: Vec<Option<String>> = vec![None];
    let mut after: Option<String> = None;
    for _ in 0..40 {
        let response = server.gql(PAGE, json!({ "after": after })).await;
        after = response["data"]["municipalities"]["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
        cursors.push(after.clone());
    }
    let cursors = Arc::new(cursors);

    let statements_before = server.statements();
    let _ = server.gql(PAGE, json!({})).await;
    let statements = server.statements() - statements_before;

    for (clients, per_client) in [(1, 300), (32, 30)] {
        let (server, cursors) = (server.clone(), cursors.clone());
        let figures = load(clients, per_client, move |client, i| {
            let (server, cursors) = (server.clone(), cursors.clone());
            async move {
                let after = cursors[(client * 7 + i) % cursors.len()].clone();
                let response: Value = server.gql(PAGE, json!({ "after": after })).await;
                assert_eq!(
                    response["data"]["municipalities"]["edges"].as_array().map(Vec::len),
                    Some(50),
                    "{response}"
                );
            }
        })
        .await;
        println!(
            "{}",
            figures.line(&format!(
                "{backend}: first 50 municipalities + relations, {clients:>2} client(s)"
            ))
        );
    }
    println!("{backend}: one page costs {statements} SQL statements");
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
