//! The change feed under concurrent writers: writers of two agencies (API clients syncing,
//! editors editing) on every instance, while a reader pages the feed through one instance and a
//! subscriber listens on another. On PostgreSQL the instances are two replicas; on SQLite one
//! server. Every position the writers record is seen by the paging reader once, or was replaced
//! (the feed keeps the latest entry of a practice) before the reader could have seen it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use dkbm_tests::ws::{Received, WsClient};
use dkbm_tests::{ApiClient, Role, TestServer, array_at, data, on_postgres};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::practices_sync::{Mirror, SYNC, SeenPage, item, published, report};

/// Two writing tasks per client (spread over the servers), each pushing twelve batches of ten
/// items that overlap, some of them deletions; every item must be accepted.
fn spawn_sync_writers(servers: &[&TestServer], clients: &[ApiClient]) -> Vec<tokio::task::JoinHandle<()>> {
    let mut writers = Vec::new();
    for (w, client) in clients.iter().enumerate() {
        for task in 0..2 {
            let server = servers[task % servers.len()];
            let url = server.graphql_url();
            let http = reqwest::Client::new();
            let tokens: Vec<String> = (0..12).map(|_| client.token()).collect();
            writers.push(tokio::spawn(async move {
                for (round, token) in tokens.into_iter().enumerate() {
                    let items: Vec<Value> = (0..10)
                        .map(|i| {
                            let id = format!("w{w}-t{task}-{}", (round * 3 + i) % 16);
                            if (round + i) % 7 == 3 {
                                json!({ "externalId": id, "deleted": true })
                            } else {
                                item(&id, &format!("Praxis {id} Runde {round}"))
                            }
                        })
                        .collect();
                    let response: Value = http
                        .post(&url)
                        .bearer_auth(token)
                        .json(&json!({ "query": SYNC, "variables": { "items": items } }))
                        .send()
                        .await
                        .expect("send")
                        .json()
                        .await
                        .expect("json");
                    assert_eq!(report(&response)["rejected"], 0, "{response}");
                }
            }));
        }
    }
    writers
}

/// An editor of the Börde archives and publishes its demo practices, six rounds, spread over
/// the servers.
async fn flip_the_boerde_practices(first: &TestServer, servers: &[&TestServer]) {
    let editor = first
        .member_with_role("redaktion@boerde.de", Role::Editor, Some("bildung-integriert-boerde"))
        .await;
    let demo = data(
        &first
            .gql(
                "{ goodPractices(first: 50, filter: {agency: \"bildung-integriert-boerde\"}) { nodes { id } } }",
                json!({}),
            )
            .await,
    )
    .clone();
    let ids: Vec<Value> = array_at(&demo, "/goodPractices/nodes")
        .iter()
        .map(|node| node["id"].clone())
        .collect();
    for round in 0..6 {
        for id in &ids {
            let server = servers[round % servers.len()];
            let mutation = if round % 2 == 0 {
                "mutation ($id: ID!) { archiveGoodPractice(id: $id) { id } }"
            } else {
                "mutation ($id: ID!) { publishGoodPractice(id: $id) { id } }"
            };
            data(&server.gql_as(&editor, mutation, json!({ "id": id })).await);
        }
    }
}

/// Applies what the subscription sends until it is quiet for three seconds; each entry once.
async fn follow_to_the_end(subscriber: &mut WsClient, live: &mut Mirror) {
    let mut last_cursor: Option<String> = None;
    loop {
        match subscriber.receive(Duration::from_secs(3)).await {
            Received::Message(message) if message["type"] == "next" => {
                let entry = &message["payload"]["data"]["goodPracticeChanged"];
                assert!(message["payload"].get("errors").is_none(), "{message}");
                let cursor = entry["cursor"].as_str().expect("cursor").to_owned();
                assert_ne!(Some(&cursor), last_cursor.as_ref(), "an entry twice");
                last_cursor = Some(cursor);
                live.apply(entry);
            }
            Received::Nothing => break,
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_never_make_the_feed_skip() {
    let first = TestServer::start().await;
    log_positions(&first).await;
    first.seed_demo().await;
    let second = first.replica_on_postgres().await;
    let servers: Vec<&TestServer> = std::iter::once(&first).chain(second.as_ref()).collect();
    let reader_server = *servers.last().expect("a server");

    // The subscriber starts from a mirror of what is there, and listens behind it.
    let mut live = Mirror::default();
    live.page_to_end(&reader_server.client, &reader_server.graphql_url(), 100)
        .await;
    let mut subscriber = WsClient::connect_and_init(&reader_server.base, None).await;
    subscriber
        .subscribe(
            "all",
            "subscription ($after: String) { goodPracticeChanged(after: $after) { cursor operation slug version practice { version title status } } }",
            json!({ "after": live.cursor }),
        )
        .await;
    // The subscription is live once the server has answered something on the socket.
    subscriber.send(json!({ "type": "ping" })).await;
    assert_eq!(subscriber.next_message().await["type"], "pong");

    let clients: Vec<ApiClient> = vec![
        first.api_client("transferagentur-nrw").await,
        first.api_client("ruhrfutur").await,
    ];
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let done = done.clone();
        let url = reader_server.graphql_url();
        let http = reqwest::Client::new();
        tokio::spawn(async move {
            let mut mirror = Mirror::default();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                mirror.page(&http, &url, 40).await;
            }
            mirror
        })
    };

    let writers = spawn_sync_writers(&servers, &clients);
    // An editor publishes and archives the demo practices meanwhile.
    flip_the_boerde_practices(&first, &servers).await;
    for writer in writers {
        writer.await.expect("writer");
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut mirror = reader.await.expect("reader");
    mirror
        .page_to_end(&reader_server.client, &reader_server.graphql_url(), 40)
        .await;
    let truth = published(&first).await;
    assert!(truth.len() > 20, "the writers left published practices");
    assert_every_position_seen_once(&logged_positions(&first).await, &mirror.pages);
    assert_eq!(mirror.practices, truth, "the paging mirror");

    // The subscriber saw the same, in order, none skipped.
    follow_to_the_end(&mut subscriber, &mut live).await;
    assert_eq!(live.practices, truth, "the live mirror");
    if let Some(second) = second {
        second.stop().await;
    }
    first.stop().await;
}

/// Records every feed position the instances write, with its practice, in a table of the
/// test's own (a trigger on the feed's table; a rolled-back write leaves no record).
async fn log_positions(server: &TestServer) {
    let db = server.state.conn();
    let statements: &[&str] = if on_postgres() {
        &[
            "CREATE TABLE test_feed_log (seq BIGINT NOT NULL, practice TEXT NOT NULL)",
            "CREATE FUNCTION test_feed_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
               INSERT INTO test_feed_log (seq, practice) VALUES (NEW.seq, NEW.practice_id::text); RETURN NULL;
             END $$",
            "CREATE TRIGGER test_feed_log AFTER INSERT ON practice_change FOR EACH ROW EXECUTE FUNCTION test_feed_log()",
        ]
    } else {
        &[
            "CREATE TABLE test_feed_log (seq BIGINT NOT NULL, practice TEXT NOT NULL)",
            "CREATE TRIGGER test_feed_log AFTER INSERT ON practice_change BEGIN
               INSERT INTO test_feed_log (seq, practice) VALUES (NEW.seq, hex(NEW.practice_id));
             END",
        ]
    };
    for statement in statements {
        db.execute_unprepared(statement)
            .await
            .expect("log the feed's positions");
    }
}

/// The positions written so far, in order, each with its practice.
async fn logged_positions(server: &TestServer) -> Vec<(i64, String)> {
    let db = server.state.conn();
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT seq, practice FROM test_feed_log ORDER BY seq",
    ))
    .await
    .expect("the logged positions")
    .iter()
    .map(|row| {
        (
            row.try_get::<i64>("", "seq").expect("seq"),
            row.try_get::<String>("", "practice").expect("practice"),
        )
    })
    .collect()
}

/// The paging reader saw each position at most once, in order, and no position it was not
/// written; it saw every position written, but for one replaced by a later entry of the same
/// practice before the reader read past it. A page that ends the feed (no more after it) was
/// read in a snapshot holding every position up to its end: a position it covered but did not
/// show must have been replaced by a position also up to its end (else the position was
/// written after the reader had passed it: skipped). A full page shows only that a position is
/// replaced at some time.
fn assert_every_position_seen_once(logged: &[(i64, String)], pages: &[SeenPage]) {
    for pair in pages.windows(2) {
        assert_eq!(pair[1].after, pair[0].end, "each page goes on where the last ended");
    }
    let seen: Vec<i64> = pages.iter().flat_map(|page| page.positions.iter().copied()).collect();
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in order, none twice: {seen:?}");
    let seen: BTreeSet<i64> = seen.into_iter().collect();
    let written: BTreeSet<i64> = logged.iter().map(|(seq, _)| *seq).collect();
    assert!(seen.is_subset(&written), "unwritten: {:?}", seen.difference(&written));
    assert_eq!(written.len(), logged.len(), "each position written once");
    // The next position of the same practice, for each position.
    let mut replaced_by = BTreeMap::new();
    let mut latest: BTreeMap<&str, i64> = BTreeMap::new();
    for (seq, practice) in logged.iter().rev() {
        if let Some(next) = latest.insert(practice.as_str(), *seq) {
            replaced_by.insert(*seq, next);
        }
    }
    let mut skipped = Vec::new();
    for seq in written.difference(&seen) {
        let page = pages
            .iter()
            .find(|page| page.after < *seq && *seq <= page.end)
            .unwrap_or_else(|| panic!("no page covered position {seq}"));
        let replaced_in_time = replaced_by
            .get(seq)
            .is_some_and(|next| page.has_more || *next <= page.end);
        if !replaced_in_time {
            skipped.push((*seq, replaced_by.get(seq).copied(), page.clone()));
        }
    }
    let overwritten = skipped.iter().filter(|(_, next, _)| next.is_some()).count();
    assert!(
        skipped.is_empty(),
        "{} of {} positions skipped, {overwritten} of them replaced later, which the final \
         mirror cannot show (position, replaced by, page): {skipped:?}",
        skipped.len(),
        written.len()
    );
    let unseen = written.len() - seen.len();
    assert!(
        pages.iter().filter(|page| !page.has_more).count() > 1,
        "the reader read the feed's end more than once ({} pages, {unseen} positions replaced unseen)",
        pages.len()
    );
}
