//! Benchmark of sign-in: logIn per second (argon2id with the OWASP parameters dominates), the
//! time of a login for a known vs. an unknown email, access-token verification per second
//! (signature and claims only, no database), and the whole authentication of a request
//! (verification plus the one revocation lookup).
//!
//! Run: `cargo bench -p dkbm-tests --bench auth` (add DKBM_TEST_DATABASE_URL for PostgreSQL).

use std::sync::Arc;
use std::time::Instant;

use dkbm_hub::auth::{passwords, tokens};
use dkbm_tests::bench::load;
use dkbm_tests::{PASSWORD, TestDb, TestServer};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn run(db: TestDb) {
    let backend = db.backend();
    let server =
        Arc::new(TestServer::start_on(Arc::new(db), |config| config.auth.login_max_failures = 1_000_000).await);
    println!(
        "{backend}: argon2id m={} KiB, t={}, p={}",
        passwords::MEMORY_KIB,
        passwords::ITERATIONS,
        passwords::LANES
    );
    for i in 0..32 {
        server.sign_up(&format!("bench{i}@bottrop.de")).await;
    }
    for clients in [1, 4] {
        let server = server.clone();
        let figures = load(clients, 16, move |client, _| {
            let server = server.clone();
            async move {
                let response = server.log_in(&format!("bench{client}@bottrop.de"), PASSWORD).await;
                assert!(response["data"]["logIn"]["accessToken"].is_string(), "{response}");
            }
        })
        .await;
        println!("{}", figures.line(&format!("{backend}: logIn, {clients} client(s)")));
    }
    for (label, email) in [
        ("known email, wrong password", "bench0@bottrop.de"),
        ("unknown email", "nobody@bottrop.de"),
    ] {
        let server = server.clone();
        let figures = load(1, 16, move |_, _| {
            let server = server.clone();
            async move {
                let response = server.log_in(email, "wrong wrong wrong wrong").await;
                assert_eq!(response["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
            }
        })
        .await;
        println!("{}", figures.line(&format!("{backend}: failed logIn, {label}")));
    }

    // Verification only: what every request with a token pays before the revocation lookup.
    let session = server.log_in_session("bench0@bottrop.de", PASSWORD).await;
    let header = jsonwebtoken::decode_header(&session.access_token).expect("header");
    let key = server
        .state
        .auth
        .keys
        .decoding_key(header.kid.as_deref().expect("kid"))
        .await
        .expect("key");
    let validation = tokens::validation(&server.state.config.auth);
    let rounds = 20_000;
    let threads = 2;
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..rounds / threads {
                    jsonwebtoken::decode::<tokens::AccessClaims>(&session.access_token, &key, &validation)
                        .expect("valid");
                }
            });
        }
    });
    let per_second = f64::from(rounds) / started.elapsed().as_secs_f64();
    println!("{backend}: access-token verification (EdDSA, {threads} threads): {per_second:.0}/s");

    // The whole authentication of a request: verification plus one indexed statement.
    let state = server.state.clone();
    let authorization = format!("Bearer {}", session.access_token);
    let figures = load(4, 2_000, move |_, _| {
        let (state, authorization) = (state.clone(), authorization.clone());
        async move {
            dkbm_hub::auth::authenticate(&state.auth, Some(&authorization))
                .await
                .expect("authenticated");
        }
    })
    .await;
    println!(
        "{}",
        figures.line(&format!(
            "{backend}: authenticate a request (verify + revocation lookup)"
        ))
    );
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
