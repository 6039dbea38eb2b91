//! Benchmark of the registration burst: 500 members register for one event with 50 seats and a
//! waiting list at the same moment — on SQLite through one instance, on PostgreSQL (with
//! DKBM_TEST_DATABASE_URL) through two instances on one database — and the same for three
//! events in a row. Reports registrations per second and the latency percentiles, and checks
//! the outcome (50 confirmed, 450 waitlisted at 1..450).
//! Target on PostgreSQL: ≥ 500 registrations/s, p99 < 300 ms.
//!
//! Run: `cargo bench -p dkbm-tests --bench events`

use std::sync::Arc;
use std::time::{Duration, Instant};

use dkbm_tests::bench::figures;
use dkbm_tests::{Role, TestDb, TestServer, data};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MEMBERS: usize = 500;
const ROUNDS: usize = 3;
const CREATE: &str = "mutation ($input: CreateTrainingEventInput!) { createTrainingEvent(input: $input) { id } }";
const REGISTER: &str = "mutation ($id: ID!) { registerForEvent(eventId: $id) { status waitlistPosition } }";

/// The mail worker's settling pause as in production (the tests switch it off).
fn production_mail(config: &mut dkbm_hub::Config) {
    config.mail.mail_settle_ms = 500;
}

async fn run(db: TestDb) {
    let backend = db.backend();
    let db = Arc::new(db);
    let first = Arc::new(TestServer::start_on(db.clone(), production_mail).await);
    first.seed_demo().await;
    let mut servers = vec![first.clone()];
    if backend != "SQLite" {
        servers.push(Arc::new(TestServer::start_on(db.clone(), production_mail).await));
    }
    let editor = first
        .member_with_role("planung@transferagentur.nrw", Role::Editor, Some("transferagentur-nrw"))
        .await;
    let members = first.many_members("bench", MEMBERS).await;
    for round in 1..=ROUNDS {
        let starts = chrono::Utc::now() + chrono::Duration::days(30);
        let input = json!({
            "organizerSlug": "transferagentur-nrw", "title": format!("Jahreskonferenz {round}"), "format": "CONFERENCE",
            "startsAt": starts.to_rfc3339(), "endsAt": (starts + chrono::Duration::hours(8)).to_rfc3339(),
            "venue": { "city": "Dortmund" }, "capacity": 50, "waitlistEnabled": true,
        });
        let created = first.gql_as(&editor, CREATE, json!({ "input": input })).await;
        let id = data(&created)["createTrainingEvent"]["id"].clone();
        let started = Instant::now();
        let tasks: Vec<_> = members
            .iter()
            .enumerate()
            .map(|(n, session)| {
                let server = servers[n % servers.len()].clone();
                let session = session.clone();
                let id = id.clone();
                tokio::spawn(async move {
                    let sent = Instant::now();
                    let response = server.gql_as(&session, REGISTER, json!({ "id": id })).await;
                    let status = data(&response)["registerForEvent"]["status"]
                        .as_str()
                        .map(str::to_owned);
                    (sent.elapsed(), status)
                })
            })
            .collect();
        let mut latencies: Vec<Duration> = Vec::with_capacity(MEMBERS);
        let mut confirmed = 0;
        for task in tasks {
            let (latency, status) = task.await.expect("task");
            latencies.push(latency);
            confirmed += usize::from(status.as_deref() == Some("CONFIRMED"));
        }
        let figures = figures(latencies, started.elapsed());
        assert_eq!(confirmed, 50, "never overbooked");
        println!(
            "{}",
            figures.line(&format!(
                "{backend} ({} instance(s)): burst {round}, 500 registrations, 50 seats",
                servers.len()
            ))
        );
    }
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
