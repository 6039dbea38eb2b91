//! The public response cache: anonymous reads are answered from memory until a write makes
//! them stale (here and, on PostgreSQL, on another instance at once); nothing that depends on
//! the viewer is ever stored or served from it; it keeps within its memory; GET answers carry
//! ETag and Cache-Control and are answered 304 when unchanged.

use dkbm_tests::{Role, TestServer, assert_bad_input, data, error_with_code, header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::practices::{CREATE, practice_input};

const AGENCIES: &str = "query ($first: Int) { agencies(first: $first) { nodes { slug name } } }";
const PRACTICES: &str =
    "{ goodPractices(first: 100, filter: { status: [DRAFT, PUBLISHED] }) { nodes { title status } } }";

fn hits(server: &TestServer) -> u64 {
    server.state.metrics().response_cache_hits.get()
}

fn slugs(response: &Value) -> Vec<String> {
    data(response)["agencies"]["nodes"]
        .as_array()
        .expect("agencies")
        .iter()
        .map(|node| node["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn create_agency(server: &TestServer, slug: &str) {
    let response = server
        .gql_admin(
            "mutation ($slug: String!) { createAgency(input: {slug: $slug, name: $slug, kind: OTHER}) { id } }",
            json!({ "slug": slug }),
        )
        .await;
    data(&response);
}

#[tokio::test]
async fn an_anonymous_read_is_answered_from_memory_until_a_write() {
    let server = TestServer::start().await;
    create_agency(&server, "erste").await;
    let variables = json!({ "first": 50 });
    let first = server.gql(AGENCIES, variables.clone()).await;
    let (hits_before, statements_before) = (hits(&server), server.statements());
    let second = server.gql(AGENCIES, variables.clone()).await;
    assert_eq!(first, second);
    assert_eq!(hits(&server), hits_before + 1, "the second read is a hit");
    // A hit runs no query; it reads the data version (one statement).
    assert_eq!(server.statements(), statements_before + 1, "a hit runs no query");

    // Other variables are another answer.
    let other = server.gql(AGENCIES, json!({ "first": 1 })).await;
    assert_eq!(hits(&server), hits_before + 1);
    assert_eq!(slugs(&other).len(), 1);

    create_agency(&server, "zweite").await;
    let after = server.gql(AGENCIES, variables).await;
    assert_eq!(
        slugs(&after),
        ["erste", "zweite"],
        "a write makes the cached answer stale"
    );
}

#[tokio::test]
async fn answers_that_depend_on_the_viewer_are_never_shared() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let editor = server
        .member_with_role("redaktion@bottrop.de", Role::Editor, Some("bildungsbuero-bottrop"))
        .await;
    let draft = server
        .gql_as(
            &editor,
            CREATE,
            json!({ "input": practice_input("bildungsbuero-bottrop", "Geheimer Entwurf") }),
        )
        .await;
    data(&draft);
    let has_draft = |response: &Value| response.to_string().contains("Geheimer Entwurf");

    // The editor's answer (with the draft) is not stored for anonymous callers …
    let editors = server.gql_as(&editor, PRACTICES, json!({})).await;
    assert!(has_draft(&editors));
    let anonymous = server.gql(PRACTICES, json!({})).await;
    assert!(!has_draft(&anonymous), "{anonymous}");
    // … and the anonymous answer, now cached, is not served to the editor.
    assert!(has_draft(&server.gql_as(&editor, PRACTICES, json!({})).await));
    let again = server.gql(PRACTICES, json!({})).await;
    assert_eq!(again, anonymous);

    // Two members each see themselves; a viewer-dependent document is never stored.
    let other = server.sign_up("zweite@example.org").await;
    let me = "{ me { email } }";
    for session in [&editor, &other] {
        let response = server.gql_as(session, me, json!({})).await;
        assert_eq!(data(&response)["me"]["email"], session.email.as_str());
    }
    let before = hits(&server);
    let mixed = "{ me { email } agencies(first: 5) { nodes { slug } } }";
    for _ in 0..2 {
        let response = server.gql(mixed, json!({})).await;
        assert_eq!(data(&response)["me"], Value::Null);
    }
    assert_eq!(hits(&server), before, "a document asking for `me` bypasses the cache");
}

#[tokio::test]
async fn answers_with_errors_and_batches_are_not_stored() {
    let server = TestServer::start().await;
    create_agency(&server, "erste").await;
    let before = hits(&server);
    for _ in 0..2 {
        let response = server
            .gql("{ agencies(first: 1000) { nodes { slug } } }", json!({}))
            .await;
        error_with_code(&response, "BAD_USER_INPUT");
    }
    let batch = json!([{ "query": "{ agencies(first: 5) { nodes { slug } } }" }]);
    for _ in 0..2 {
        let response = server
            .client
            .post(server.graphql_url())
            .json(&batch)
            .send()
            .await
            .expect("POST");
        let answer: Value = response.json().await.expect("JSON");
        assert_eq!(answer[0]["data"]["agencies"]["nodes"][0]["slug"], "erste", "{answer}");
    }
    assert_eq!(
        hits(&server),
        before,
        "neither an error nor a batch is answered from the cache"
    );
}

/// On PostgreSQL another replica; on SQLite another process on the same file (a CLI import
/// while the server runs): its writes are seen at once, not after the cache's time to live.
#[tokio::test]
async fn a_write_through_one_instance_is_seen_through_another_at_once() {
    let a = TestServer::start().await;
    let b = TestServer::start_on(a.db.clone(), |_| {}).await;
    create_agency(&a, "erste").await;
    let variables = json!({ "first": 50 });
    assert_eq!(slugs(&b.gql(AGENCIES, variables.clone()).await), ["erste"]);
    assert_eq!(slugs(&b.gql(AGENCIES, variables.clone()).await), ["erste"]);
    assert!(hits(&b) >= 1, "B answers from its cache");
    for round in 0..20 {
        let slug = format!("neu-{round:02}");
        create_agency(&a, &slug).await;
        let seen = slugs(&b.gql(AGENCIES, variables.clone()).await);
        assert!(seen.contains(&slug), "round {round}: B answered {seen:?}");
    }
}

#[tokio::test]
async fn get_answers_carry_an_etag_and_unchanged_ones_are_not_sent_again() {
    let server = TestServer::start().await;
    create_agency(&server, "erste").await;
    let path = "/graphql?query=%7B%20agencies(first%3A%205)%20%7B%20nodes%20%7B%20slug%20%7D%20%7D%20%7D";
    let first = server.get(path).await;
    assert_eq!(first.status(), 200);
    let etag = header(&first, "etag");
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(header(&first, "cache-control"), "public, max-age=5");
    assert!(header(&first, "vary").contains("X-Portal-Key"));

    let unchanged = server
        .get_request(path)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(unchanged.status(), 304);
    assert_eq!(header(&unchanged, "etag"), etag);
    assert!(unchanged.bytes().await.expect("body").is_empty());

    // With credentials: private, no entity tag.
    let signed_in = server.sign_up("leserin@example.org").await;
    let private = server.get_as(&signed_in, path).await;
    assert_eq!(private.status(), 200);
    assert_eq!(header(&private, "cache-control"), "private, no-store");
    assert!(private.headers().get("etag").is_none());

    create_agency(&server, "zweite").await;
    let changed = server
        .get_request(path)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(changed.status(), 200, "a write changes the answer and its tag");
    assert_ne!(header(&changed, "etag"), etag);
}

#[tokio::test]
async fn the_cache_keeps_within_its_memory_and_can_be_switched_off() {
    let server = TestServer::start_with(|config| config.response_cache_mb = 1).await;
    create_agency(&server, "erste").await;
    // 100 distinct answers of tens of KB each (the schema's types): more than the 1 MiB the
    // cache may hold (an entry weighs its answer: the key is a digest of the request).
    for i in 0..100 {
        let query = format!("{{ __schema {{ types {{ name description }} }} a{i}: __typename }}");
        data(&server.gql(&query, json!({})).await);
    }
    let metrics = server.get("/metrics").await.text().await.expect("metrics");
    let bytes: f64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("dkbm_response_cache_bytes "))
        .and_then(|value| value.trim().parse().ok())
        .expect("dkbm_response_cache_bytes");
    assert!(bytes <= 1024.0 * 1024.0, "{bytes} bytes held");
    assert!(bytes > 256.0 * 1024.0, "{bytes} bytes held: the cache is used");

    let off = TestServer::start_with(|config| config.response_cache_mb = 0).await;
    for _ in 0..3 {
        data(&off.gql(AGENCIES, json!({ "first": 5 })).await);
    }
    assert_eq!(hits(&off), 0);
}

#[tokio::test]
async fn persisted_queries_are_registered_once_then_run_by_their_hash() {
    let server = TestServer::start().await;
    create_agency(&server, "erste").await;
    let query = "{ agencies(first: 5) { nodes { slug } } }";
    let hash: String = Sha256::digest(query).iter().map(|b| format!("{b:02x}")).collect();
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let post = |body: Value| {
        let request = server.client.post(server.graphql_url()).json(&body);
        async move {
            let response = request.send().await.expect("POST");
            (response.status(), response.json::<Value>().await.expect("JSON"))
        }
    };

    let (status, unknown) = post(json!({ "extensions": extensions })).await;
    assert_eq!(status, 200);
    assert_eq!(
        error_with_code(&unknown, "PERSISTED_QUERY_NOT_FOUND")["message"],
        "PersistedQueryNotFound"
    );

    let (_, registered) = post(json!({ "query": query, "extensions": extensions })).await;
    assert_eq!(data(&registered)["agencies"]["nodes"][0]["slug"], "erste");

    let by_hash = server
        .get_request("/graphql")
        .query(&[("extensions", extensions.to_string())])
        .send()
        .await
        .expect("GET");
    assert_eq!(by_hash.status(), 200);
    assert_eq!(header(&by_hash, "cache-control"), "public, max-age=5");
    let answer: Value = by_hash.json().await.expect("JSON");
    assert_eq!(answer, registered);

    let (status, mismatch) = post(json!({ "query": "{ __typename }", "extensions": extensions })).await;
    assert_eq!(status, 400);
    assert_bad_input(&mismatch, "extensions.persistedQuery");
    let bad_version = json!({ "persistedQuery": { "version": 2, "sha256Hash": hash } });
    assert_bad_input(
        &post(json!({ "extensions": bad_version })).await.1,
        "extensions.persistedQuery",
    );
}

#[tokio::test]
async fn a_hit_of_a_document_that_reads_no_data_costs_no_statement() {
    let server = TestServer::start().await;
    create_agency(&server, "erste").await;
    for query in ["{ __typename }", "{ __schema { queryType { name } } t: __typename }"] {
        data(&server.gql(query, json!({})).await);
        let before = server.statements();
        for _ in 0..3 {
            data(&server.gql(query, json!({})).await);
        }
        assert_eq!(
            server.statements(),
            before,
            "{query}: answered from memory, no version read"
        );
    }
    // A document that reads data reads the data version for each hit (and nothing else), and
    // still sees a write at once.
    data(&server.gql(AGENCIES, json!({ "first": 5 })).await);
    let before = server.statements();
    data(&server.gql(AGENCIES, json!({ "first": 5 })).await);
    assert_eq!(server.statements(), before + 1, "one version read");
    create_agency(&server, "zweite").await;
    let response = server.gql(AGENCIES, json!({ "first": 5 })).await;
    assert!(response.to_string().contains("zweite"), "{response}");
    // The introspection answer survives the write.
    let before = server.statements();
    data(&server.gql("{ __typename }", json!({})).await);
    assert_eq!(server.statements(), before);
}
