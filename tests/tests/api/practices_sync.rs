//! The partner sync: the push by external id (outcomes, idempotence, isolation between
//! agencies, bad input per item) and the change feed (paging to an exact mirror, tombstones,
//! expired and foreign cursors, concurrent writers, live subscriptions).

use std::collections::BTreeMap;
use std::time::Duration;

use dkbm_tests::ws::{Received, WsClient};
use dkbm_tests::{ApiClient, Role, TestServer, array_at, assert_bad_input, data, error_with_code, on_postgres, str_at};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

pub(crate) const SYNC: &str = "mutation ($items: [GoodPracticeSyncItem!]!, $agency: String) {
  syncGoodPractices(items: $items, agencySlug: $agency) {
    created updated unchanged deleted rejected
    items { externalId outcome errors { field message } warnings { field message } practice { slug status version title agency { slug } topics { slug } municipalities { ags } externalId provenance { upstreamVersion originAgency { slug } } } }
  } }";
const CHANGES: &str = "query ($after: String, $first: Int) { goodPracticeChanges(after: $after, first: $first) {
  endCursor hasMore
  entries { cursor operation id slug externalId version agency { slug } practice { id slug version title status } } } }";

pub(crate) fn item(external_id: &str, title: &str) -> Value {
    json!({
        "externalId": external_id,
        "title": title,
        "summary": "Ein Praxisbeispiel aus dem Partnerportal.",
        "body": "## Vorgehen\n\nGemeinsam mit den Schulen.",
        "topics": ["transition-school-work"],
        "municipalityAgs": ["05512000"],
        "targetGroups": ["YOUNG_PEOPLE"],
        "upstreamVersion": "v1",
    })
}

async fn sync(server: &TestServer, token: &str, items: Value) -> Value {
    server.gql_with(Some(token), SYNC, json!({ "items": items })).await
}

pub(crate) fn report(response: &Value) -> &Value {
    &data(response)["syncGoodPractices"]
}

fn outcomes(response: &Value) -> Vec<String> {
    report(response)["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["outcome"].as_str().expect("outcome").to_owned())
        .collect()
}

/// (feed entries, last position, good_practice rows) — what a write would change.
async fn feed_state(server: &TestServer) -> (i64, i64, Vec<String>) {
    let db = server.state.conn();
    let backend = db.get_database_backend();
    let one = |sql: &str| Statement::from_string(backend, sql.to_owned());
    let entries = db
        .query_one_raw(one("SELECT COUNT(*) AS n FROM practice_change"))
        .await
        .expect("count")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("n");
    let last = db
        .query_one_raw(one("SELECT last_seq FROM practice_feed"))
        .await
        .expect("feed")
        .expect("row")
        .try_get::<i64>("", "last_seq")
        .expect("last_seq");
    let rows = db
        .query_all_raw(one(
            "SELECT slug, version, status, content_hash, updated_at FROM good_practice ORDER BY slug",
        ))
        .await
        .expect("practices")
        .iter()
        .map(|row| {
            format!(
                "{} v{} {} {:?} {:?}",
                row.try_get::<String>("", "slug").expect("slug"),
                row.try_get::<i64>("", "version").expect("version"),
                row.try_get::<String>("", "status").expect("status"),
                row.try_get::<Option<String>>("", "content_hash").expect("hash"),
                row.try_get::<chrono::DateTime<chrono::Utc>>("", "updated_at")
                    .expect("updated_at"),
            )
        })
        .collect();
    (entries, last, rows)
}

/// A partner's mirror built from the feed: slug → (version, title).
#[derive(Debug, Default)]
pub(crate) struct Mirror {
    pub(crate) practices: BTreeMap<String, (i64, String)>,
    pub(crate) cursor: Option<String>,
    entries_seen: usize,
    /// Every page read, in order.
    pub(crate) pages: Vec<SeenPage>,
}

/// A page of the feed as a reader saw it, in feed positions.
#[derive(Debug, Clone)]
pub(crate) struct SeenPage {
    /// The position it was read after (0 from the start).
    pub(crate) after: i64,
    /// The positions of its entries.
    pub(crate) positions: Vec<i64>,
    /// The position its end cursor names.
    pub(crate) end: i64,
    pub(crate) has_more: bool,
}

/// The feed position a feed cursor names.
pub(crate) fn cursor_position(cursor: &str) -> i64 {
    use base64::Engine;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .expect("a base64 cursor");
    let value: Value = serde_json::from_slice(&decoded).expect("a JSON cursor");
    value["k"][0]["i"]
        .as_i64()
        .unwrap_or_else(|| panic!("a position in {value}"))
}

impl Mirror {
    pub(crate) fn apply(&mut self, entry: &Value) {
        self.entries_seen += 1;
        let slug = entry["slug"].as_str().expect("slug").to_owned();
        match entry["operation"].as_str() {
            Some("UPSERT") => {
                let practice = &entry["practice"];
                assert_eq!(
                    practice["status"], "PUBLISHED",
                    "an UPSERT carries a published practice: {entry}"
                );
                assert_eq!(practice["version"], entry["version"]);
                let title = practice["title"].as_str().expect("title").to_owned();
                self.practices
                    .insert(slug, (practice["version"].as_i64().expect("version"), title));
            }
            Some("DELETE") => {
                assert_eq!(entry["practice"], json!(null), "a tombstone carries no practice");
                self.practices.remove(&slug);
            }
            other => panic!("unknown operation {other:?}"),
        }
    }

    /// Reads one page; returns whether more follow.
    pub(crate) async fn page(&mut self, client: &reqwest::Client, url: &str, first: i64) -> bool {
        let response: Value = client
            .post(url)
            .json(&json!({ "query": CHANGES, "variables": { "after": self.cursor, "first": first } }))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let page = &data(&response)["goodPracticeChanges"];
        let mut positions = Vec::new();
        for entry in page["entries"].as_array().expect("entries") {
            self.apply(entry);
            positions.push(cursor_position(str_at(entry, "/cursor")));
        }
        let after = self.cursor.as_deref().map_or(0, cursor_position);
        let end = str_at(page, "/endCursor");
        let has_more = page["hasMore"].as_bool().expect("hasMore");
        self.pages.push(SeenPage {
            after,
            positions,
            end: cursor_position(end),
            has_more,
        });
        self.cursor = Some(end.to_owned());
        has_more
    }

    pub(crate) async fn page_to_end(&mut self, client: &reqwest::Client, url: &str, first: i64) {
        while self.page(client, url, first).await {}
    }
}

/// What the database says a mirror must hold: every published practice.
pub(crate) async fn published(server: &TestServer) -> BTreeMap<String, (i64, String)> {
    let db = server.state.conn();
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT slug, version, title FROM good_practice WHERE status = 'PUBLISHED'",
    ))
    .await
    .expect("published")
    .iter()
    .map(|row| {
        (
            row.try_get::<String>("", "slug").expect("slug"),
            (
                row.try_get::<i64>("", "version").expect("version"),
                row.try_get::<String>("", "title").expect("title"),
            ),
        )
    })
    .collect()
}

/// The demo data and the first push of an agency's client: two new practices, "tanrw-1"
/// and "tanrw-2".
struct Pushed {
    server: TestServer,
    client: ApiClient,
    /// The batch that was pushed.
    batch: Value,
    /// The `syncGoodPractices` response.
    response: Value,
    /// The slug of the practice of "tanrw-1".
    slug: String,
}

async fn pushed() -> Pushed {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;
    let batch = json!([
        item("tanrw-1", "Kommunales Bildungsmonitoring"),
        item("tanrw-2", "Übergang Schule–Beruf")
    ]);
    let response = sync(&server, &client.token(), batch.clone()).await;
    let slug = str_at(report(&response), "/items/0/practice/slug").to_owned();
    Pushed {
        server,
        client,
        batch,
        response,
        slug,
    }
}

#[tokio::test]
async fn a_partners_first_push_creates_published_practices_with_their_provenance() {
    let Pushed {
        server, response, slug, ..
    } = pushed().await;
    let answer = report(&response);
    assert_eq!(outcomes(&response), ["CREATED", "CREATED"]);
    assert_eq!(
        (answer["created"].as_i64(), answer["rejected"].as_i64()),
        (Some(2), Some(0))
    );
    let practice = &answer["items"][0]["practice"];
    assert_eq!(practice["status"], "PUBLISHED", "PUBLISHED is the default");
    assert_eq!(practice["agency"]["slug"], "transferagentur-nrw");
    assert_eq!(practice["externalId"], "tanrw-1");
    assert_eq!(practice["topics"][0]["slug"], "transition-school-work");
    assert_eq!(practice["municipalities"][0]["ags"], "05512000");
    assert_eq!(practice["provenance"]["upstreamVersion"], "v1");
    assert_eq!(practice["provenance"]["originAgency"]["slug"], "transferagentur-nrw");
    let public = server
        .gql(
            "query ($s: String!) { goodPractice(slug: $s) { title } }",
            json!({ "s": slug }),
        )
        .await;
    assert_eq!(data(&public)["goodPractice"]["title"], "Kommunales Bildungsmonitoring");
}

#[tokio::test]
async fn pushing_the_same_batch_again_writes_nothing() {
    let Pushed {
        server,
        client,
        batch,
        slug,
        ..
    } = pushed().await;
    // The same batch again writes nothing and records nothing; so does a batch whose only
    // differences are order and whitespace.
    let before = feed_state(&server).await;
    let commits = server.state.bus.commits();
    let response = sync(&server, &client.token(), batch.clone()).await;
    assert_eq!(outcomes(&response), ["UNCHANGED", "UNCHANGED"]);
    assert_eq!(
        server.state.bus.commits(),
        commits,
        "an unchanged batch opens no transaction"
    );
    assert_eq!(report(&response)["unchanged"], 2);
    assert_eq!(report(&response)["items"][0]["practice"]["slug"], slug.as_str());
    let mut reordered = batch.clone();
    reordered[0]["title"] = json!("  Kommunales Bildungsmonitoring ");
    reordered[0]["topics"] = json!(["transition-school-work", "transition-school-work"]);
    let response = sync(&server, &client.token(), reordered).await;
    assert_eq!(outcomes(&response), ["UNCHANGED", "UNCHANGED"]);
    assert_eq!(feed_state(&server).await, before, "an unchanged batch writes nothing");
}

#[tokio::test]
async fn a_changed_item_updates_its_practice_in_place() {
    let Pushed {
        server,
        client,
        batch,
        slug,
        ..
    } = pushed().await;
    // A change updates in place (new version, same slug); the other item stays.
    let mut changed = batch.clone();
    changed[0]["summary"] = json!("Neu zusammengefasst.");
    changed[0]["upstreamVersion"] = json!("v2");
    let response = sync(&server, &client.token(), changed).await;
    assert_eq!(outcomes(&response), ["UPDATED", "UNCHANGED"]);
    let updated = &report(&response)["items"][0]["practice"];
    assert_eq!(
        (updated["slug"].as_str(), updated["version"].as_i64()),
        (Some(slug.as_str()), Some(2))
    );
    assert_eq!(updated["provenance"]["upstreamVersion"], "v2");
}

#[tokio::test]
async fn a_deleted_item_is_archived_once_and_comes_back_as_the_same_practice() {
    let Pushed {
        server,
        client,
        batch,
        slug,
        ..
    } = pushed().await;
    // Deleting archives and leaves a tombstone; deleting again, or an id never sent, is UNCHANGED.
    let deletion =
        json!([{ "externalId": "tanrw-1", "deleted": true }, { "externalId": "never-sent", "deleted": true }]);
    let response = sync(&server, &client.token(), deletion.clone()).await;
    assert_eq!(outcomes(&response), ["DELETED", "UNCHANGED"]);
    assert_eq!(report(&response)["items"][0]["practice"]["status"], "ARCHIVED");
    assert_eq!(report(&response)["items"][1]["practice"], json!(null));
    let before = feed_state(&server).await;
    assert_eq!(
        outcomes(&sync(&server, &client.token(), deletion).await),
        ["UNCHANGED", "UNCHANGED"]
    );
    assert_eq!(feed_state(&server).await, before);
    let public = server
        .gql(
            "query ($s: String!) { goodPractice(slug: $s) { title } }",
            json!({ "s": slug }),
        )
        .await;
    assert_eq!(
        data(&public)["goodPractice"],
        json!(null),
        "archived practices leave the public"
    );

    // Sending it again brings it back, as the same practice.
    let response = sync(&server, &client.token(), batch).await;
    assert_eq!(outcomes(&response), ["UPDATED", "UNCHANGED"]);
    assert_eq!(report(&response)["items"][0]["practice"]["slug"], slug.as_str());
    assert_eq!(report(&response)["items"][0]["practice"]["status"], "PUBLISHED");

    // The feed shows each practice once, as it is now.
    let mut mirror = Mirror::default();
    mirror.page_to_end(&server.client, &server.graphql_url(), 100).await;
    let demo_and_synced = published(&server).await;
    assert_eq!(mirror.practices, demo_and_synced);
    assert!(mirror.practices.contains_key(&slug));
}

#[tokio::test]
async fn an_agency_never_touches_another_agencys_items() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let nrw = server.api_client("transferagentur-nrw").await;
    let ruhr = server.api_client("ruhrfutur").await;
    let response = sync(
        &server,
        &nrw.token(),
        json!([item("shared-id", "Praxis der Transferagentur")]),
    )
    .await;
    assert_eq!(outcomes(&response), ["CREATED"]);
    let nrw_slug = report(&response)["items"][0]["practice"]["slug"]
        .as_str()
        .expect("slug")
        .to_owned();

    // The same external id from another agency is that agency's own practice.
    let response = sync(
        &server,
        &ruhr.token(),
        json!([item("shared-id", "Praxis von RuhrFutur")]),
    )
    .await;
    assert_eq!(outcomes(&response), ["CREATED"]);
    let ruhr_practice = &report(&response)["items"][0]["practice"];
    assert_eq!(ruhr_practice["agency"]["slug"], "ruhrfutur");
    assert_ne!(ruhr_practice["slug"], nrw_slug.as_str());
    // Its deletions and changes reach only its own.
    let response = sync(
        &server,
        &ruhr.token(),
        json!([{ "externalId": "shared-id", "deleted": true }]),
    )
    .await;
    assert_eq!(outcomes(&response), ["DELETED"]);
    let check = "query ($s: String!) { goodPractice(slug: $s) { title status version agency { slug } } }";
    let nrw_practice = data(&server.gql(check, json!({ "s": nrw_slug })).await)["goodPractice"].clone();
    assert_eq!(
        nrw_practice,
        json!({ "title": "Praxis der Transferagentur", "status": "PUBLISHED", "version": 1, "agency": { "slug": "transferagentur-nrw" } })
    );

    // Naming another agency is forbidden for a client, and for an editor of another agency.
    let response = server
        .gql_with(
            Some(&ruhr.token()),
            SYNC,
            json!({ "items": [item("shared-id", "Übernahme")], "agency": "transferagentur-nrw" }),
        )
        .await;
    error_with_code(&response, "FORBIDDEN");
    let editor = server
        .member_with_role("redaktion@ruhrfutur.de", Role::Editor, Some("ruhrfutur"))
        .await;
    let response = server
        .gql_as(
            &editor,
            SYNC,
            json!({ "items": [item("shared-id", "Übernahme")], "agency": "transferagentur-nrw" }),
        )
        .await;
    error_with_code(&response, "FORBIDDEN");
    // An editor syncs for the one agency they edit for; a plain member may not sync at all.
    let response = server
        .gql_as(&editor, SYNC, json!({ "items": [item("editor-1", "Von Hand")] }))
        .await;
    assert_eq!(report(&response)["items"][0]["practice"]["agency"]["slug"], "ruhrfutur");
    let member = server.sign_up("mitglied@bottrop.de").await;
    error_with_code(&server.gql_as(&member, SYNC, json!({ "items": [] })).await, "FORBIDDEN");
    error_with_code(&server.gql(SYNC, json!({ "items": [] })).await, "UNAUTHENTICATED");
    let nrw_practice_after = data(&server.gql(check, json!({ "s": nrw_slug })).await)["goodPractice"].clone();
    assert_eq!(nrw_practice_after, nrw_practice);
}

#[tokio::test]
async fn bad_items_are_rejected_one_by_one() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;
    let mut unknown_topic = item("bad-topic", "Thema fehlt");
    unknown_topic["topics"] = json!(["no-such-topic"]);
    let mut unknown_ags = item("bad-ags", "Gemeinde fehlt");
    unknown_ags["municipalityAgs"] = json!(["09999999"]);
    let mut long_title = item("long-title", "x");
    long_title["title"] = json!("T".repeat(301));
    let no_body = json!({ "externalId": "no-body", "title": "Ohne Text", "summary": "S" });
    let mut bad_link = item("bad-link", "Link");
    bad_link["links"] = json!([{ "label": "Portal", "url": "javascript:alert(1)" }]);
    let items = json!([
        item("good-1", "Gutes Beispiel"),
        item("twice", "Erste Fassung"),
        item("twice", "Zweite Fassung"),
        unknown_topic,
        unknown_ags,
        long_title,
        no_body,
        bad_link,
        item("", "Ohne Kennung"),
        item("good-2", "Noch ein gutes Beispiel"),
    ]);
    let before = feed_state(&server).await;
    let response = sync(&server, &client.token(), items).await;
    assert_eq!(
        outcomes(&response),
        [
            "CREATED", "REJECTED", "REJECTED", "REJECTED", "REJECTED", "REJECTED", "REJECTED", "REJECTED", "REJECTED",
            "CREATED"
        ]
    );
    let answer = report(&response);
    assert_eq!(
        (answer["created"].as_i64(), answer["rejected"].as_i64()),
        (Some(2), Some(8))
    );
    let fields: Vec<&str> = answer["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|item| item["outcome"] == "REJECTED")
        .map(|item| {
            assert_eq!(item["practice"], json!(null));
            assert!(item["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
            item["errors"][0]["field"].as_str().expect("field")
        })
        .collect();
    assert_eq!(
        fields,
        [
            "externalId",
            "externalId",
            "topics",
            "municipalityAgs",
            "title",
            "body",
            "links.0.url",
            "externalId"
        ]
    );
    // Only the two good items were written.
    let after = feed_state(&server).await;
    assert_eq!(after.0, before.0 + 2);
    assert_eq!(after.2.len(), before.2.len() + 2);

    // More than 500 items: nothing is written, the whole call is refused.
    let many: Vec<Value> = (0..501)
        .map(|i| item(&format!("bulk-{i}"), &format!("Praxis {i}")))
        .collect();
    let response = sync(&server, &client.token(), json!(many)).await;
    assert_bad_input(&response, "items");
    assert_eq!(feed_state(&server).await, after);
}

#[tokio::test]
async fn the_feed_pages_to_an_exact_mirror() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;
    let items: Vec<Value> = (0..130)
        .map(|i| item(&format!("feed-{i}"), &format!("Feedpraxis {i}")))
        .collect();
    assert_eq!(
        report(&sync(&server, &client.token(), json!(items)).await)["created"],
        130
    );
    // Drafts are not in the feed; archiving one leaves a tombstone.
    let editor = server
        .member_with_role("redaktion@tanrw.de", Role::Editor, Some("transferagentur-nrw"))
        .await;
    let mut draft = super::practices::practice_input("transferagentur-nrw", "Entwurf der Agentur");
    draft["municipalityAgs"] = json!([]);
    data(
        &server
            .gql_as(&editor, super::practices::CREATE, json!({ "input": draft }))
            .await,
    );
    let response = sync(
        &server,
        &client.token(),
        json!([{ "externalId": "feed-7", "deleted": true }]),
    )
    .await;
    assert_eq!(outcomes(&response), ["DELETED"]);
    let archived_slug = report(&response)["items"][0]["practice"]["slug"]
        .as_str()
        .expect("slug")
        .to_owned();

    // The default page is 100 entries.
    let response = server.gql(CHANGES, json!({})).await;
    let page = &data(&response)["goodPracticeChanges"];
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(100));
    assert_eq!(page["hasMore"], true);
    assert_eq!(page["endCursor"], page["entries"][99]["cursor"]);
    let first_entry = &page["entries"][0];
    assert_eq!(first_entry["operation"], "UPSERT");
    assert_eq!(first_entry["id"], first_entry["practice"]["id"]);

    let mut mirror = Mirror::default();
    mirror.page_to_end(&server.client, &server.graphql_url(), 7).await;
    assert_eq!(mirror.practices, published(&server).await);
    assert!(!mirror.practices.contains_key(&archived_slug));
    assert!(mirror.practices.keys().all(|slug| !slug.starts_with("entwurf")));

    // Polling at the end returns nothing and the same position; a new change appears behind it.
    let end = mirror.cursor.clone();
    assert!(!mirror.page(&server.client, &server.graphql_url(), 50).await);
    assert_eq!(mirror.cursor, end);
    let seen = mirror.entries_seen;
    let mut changed = item("feed-3", "Feedpraxis 3, überarbeitet");
    changed["upstreamVersion"] = json!("v2");
    assert_eq!(
        outcomes(&sync(&server, &client.token(), json!([changed])).await),
        ["UPDATED"]
    );
    let response = sync(
        &server,
        &client.token(),
        json!([{ "externalId": "feed-9", "deleted": true }]),
    )
    .await;
    assert_eq!(outcomes(&response), ["DELETED"]);
    assert!(!mirror.page(&server.client, &server.graphql_url(), 50).await);
    assert_eq!(mirror.entries_seen, seen + 2);
    assert_eq!(mirror.practices, published(&server).await);

    // A tombstone names the practice.
    let response = server.gql(CHANGES, json!({ "after": end })).await;
    let entries = data(&response)["goodPracticeChanges"]["entries"].clone();
    assert_eq!(entries[1]["operation"], "DELETE");
    assert_eq!(entries[1]["externalId"], "feed-9");
    assert_eq!(entries[1]["agency"]["slug"], "transferagentur-nrw");
    assert!(entries[1]["id"].is_string());
}

#[tokio::test]
async fn bad_cursors_and_page_sizes_are_refused() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let list = data(
        &server
            .gql("{ goodPractices(first: 1) { pageInfo { endCursor } } }", json!({}))
            .await,
    )["goodPractices"]["pageInfo"]["endCursor"]
        .clone();
    // A cursor beyond the end of the feed was not issued by it.
    let end = data(&server.gql(CHANGES, json!({ "first": 1000 })).await)["goodPracticeChanges"]["endCursor"].clone();
    let forged = {
        use base64::Engine;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let decoded = String::from_utf8(engine.decode(end.as_str().expect("cursor")).expect("base64")).expect("utf8");
        let mut value: Value = serde_json::from_str(&decoded).expect("json");
        value["k"][0]["i"] = json!(value["k"][0]["i"].as_i64().expect("seq") + 1000);
        engine.encode(value.to_string())
    };
    for cursor in [json!("not a cursor"), json!(""), list, json!(forged)] {
        assert_bad_input(&server.gql(CHANGES, json!({ "after": cursor })).await, "after");
    }
    assert_bad_input(&server.gql(CHANGES, json!({ "first": 1001 })).await, "first");
    assert_bad_input(&server.gql(CHANGES, json!({ "first": -1 })).await, "first");
    let page = data(&server.gql(CHANGES, json!({ "first": 0 })).await)["goodPracticeChanges"].clone();
    assert_eq!(
        (page["entries"].as_array().map(Vec::len), page["hasMore"].as_bool()),
        (Some(0), Some(true))
    );
}

#[tokio::test]
async fn cursors_older_than_the_kept_tombstones_expire() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;
    sync(
        &server,
        &client.token(),
        json!([item("old-1", "Alt"), item("old-2", "Auch alt")]),
    )
    .await;
    let early = data(&server.gql(CHANGES, json!({ "first": 1 })).await)["goodPracticeChanges"]["endCursor"].clone();
    sync(
        &server,
        &client.token(),
        json!([{ "externalId": "old-1", "deleted": true }]),
    )
    .await;
    let mut mirror = Mirror::default();
    mirror.page_to_end(&server.client, &server.graphql_url(), 100).await;
    let recent = mirror.cursor.clone();

    // Young tombstones stay.
    dkbm_hub::maintenance::purge(&server.app).await.expect("purge");
    let page =
        data(&server.gql(CHANGES, json!({ "after": early, "first": 1000 })).await)["goodPracticeChanges"].clone();
    assert!(
        page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["operation"] == "DELETE")
    );

    // Past the retention (90 days by default) they go, and cursors before them expire.
    let db = server.state.conn();
    let backend = db.get_database_backend();
    let old = chrono::Utc::now() - chrono::Duration::days(91);
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        if on_postgres() {
            "UPDATE practice_change SET at = $1 WHERE operation = 'DELETE'"
        } else {
            "UPDATE practice_change SET at = ? WHERE operation = 'DELETE'"
        },
        [old.into()],
    ))
    .await
    .expect("age the tombstone");
    dkbm_hub::maintenance::purge(&server.app).await.expect("purge");
    let response = server.gql(CHANGES, json!({ "after": early })).await;
    let error = error_with_code(&response, "CURSOR_EXPIRED");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("start again from null")),
        "{response}"
    );
    // A partner that had read past the tombstone goes on; one starting over gets a mirror.
    let page = data(&server.gql(CHANGES, json!({ "after": recent })).await)["goodPracticeChanges"].clone();
    assert_eq!(page["entries"], json!([]));
    let mut fresh = Mirror::default();
    fresh.page_to_end(&server.client, &server.graphql_url(), 100).await;
    assert_eq!(fresh.practices, published(&server).await);
    assert_eq!(fresh.practices, mirror.practices);
}

const CHANGED_OF_AGENCY: &str = "subscription ($agency: String, $after: String) { goodPracticeChanged(agency: $agency, after: $after) { cursor operation externalId agency { slug } practice { title } } }";

/// Two agencies' clients on the demo data.
struct TwoPartners {
    server: TestServer,
    nrw: ApiClient,
    ruhr: ApiClient,
}

async fn two_partners() -> TwoPartners {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let nrw = server.api_client("transferagentur-nrw").await;
    let ruhr = server.api_client("ruhrfutur").await;
    TwoPartners { server, nrw, ruhr }
}

impl TwoPartners {
    /// Ruhrfutur pushes "r-1"; the Transferagentur pushes "n-1" and "n-2", then deletes "n-1".
    /// The feed's cursor of "n-1" before its deletion.
    async fn push_and_delete(&self) -> Value {
        let server = &self.server;
        sync(
            server,
            &self.ruhr.token(),
            json!([item("r-1", "Nicht für diesen Abonnenten")]),
        )
        .await;
        sync(
            server,
            &self.nrw.token(),
            json!([item("n-1", "Erstes"), item("n-2", "Zweites")]),
        )
        .await;
        let feed = data(&server.gql(CHANGES, json!({})).await).clone();
        let first_of_nrw = array_at(&feed, "/goodPracticeChanges/entries")
            .iter()
            .find(|entry| entry["externalId"] == "n-1")
            .expect("n-1 in the feed")["cursor"]
            .clone();
        sync(
            server,
            &self.nrw.token(),
            json!([{ "externalId": "n-1", "deleted": true }]),
        )
        .await;
        first_of_nrw
    }
}

#[tokio::test]
async fn subscribers_get_their_agencys_changes_live() {
    let partners = two_partners().await;
    let mut ws = WsClient::connect_and_init(&partners.server.base, None).await;
    ws.subscribe("nrw", CHANGED_OF_AGENCY, json!({ "agency": "transferagentur-nrw" }))
        .await;
    ws.send(json!({ "type": "ping" })).await;
    assert_eq!(ws.next_message().await["type"], "pong");

    let first_of_nrw = partners.push_and_delete().await;
    let mut received = Vec::new();
    for _ in 0..3 {
        let message = ws.next_message().await;
        assert_eq!(
            (message["type"].as_str(), message["id"].as_str()),
            (Some("next"), Some("nrw")),
            "{message}"
        );
        received.push(message["payload"]["data"]["goodPracticeChanged"].clone());
    }
    let seen: Vec<(&str, &str)> = received
        .iter()
        .map(|e| (str_at(e, "/operation"), str_at(e, "/externalId")))
        .collect();
    assert_eq!(seen, [("UPSERT", "n-1"), ("UPSERT", "n-2"), ("DELETE", "n-1")]);
    assert_eq!(received[0]["cursor"], first_of_nrw, "the feed's cursor, live");
    assert!(received.iter().all(|e| e["agency"]["slug"] == "transferagentur-nrw"));
    assert_eq!(
        ws.receive(Duration::from_millis(300)).await,
        Received::Nothing,
        "nothing of other agencies"
    );
}

#[tokio::test]
async fn a_resumed_subscription_first_delivers_what_was_missed() {
    let partners = two_partners().await;
    let first_of_nrw = partners.push_and_delete().await;
    // Resuming behind a cursor first delivers what was missed (as the feed has it now).
    let mut resumed = WsClient::connect_and_init(&partners.server.base, None).await;
    resumed
        .subscribe(
            "again",
            CHANGED_OF_AGENCY,
            json!({ "agency": "transferagentur-nrw", "after": first_of_nrw }),
        )
        .await;
    let message = resumed.next_message().await;
    assert_eq!(message["payload"]["data"]["goodPracticeChanged"]["externalId"], "n-2");
    let message = resumed.next_message().await;
    assert_eq!(message["payload"]["data"]["goodPracticeChanged"]["operation"], "DELETE");
}

#[tokio::test]
async fn a_subscription_to_an_unknown_agency_ends_with_an_error() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let mut ws = WsClient::connect_and_init(&server.base, None).await;
    ws.subscribe("bad", CHANGED_OF_AGENCY, json!({ "agency": "no-such-agency" }))
        .await;
    let message = ws.next_message().await;
    assert_eq!(message["id"], "bad");
    let errors = if message["type"] == "error" {
        &message["payload"]
    } else {
        &message["payload"]["errors"]
    };
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT", "{message}");
    assert_eq!(errors[0]["extensions"]["field"], "agency", "{message}");
}

/// Partners pushing practices with the same title at the same moment all get them created,
/// each under its own slug (on PostgreSQL through two replicas).
#[tokio::test]
async fn simultaneous_items_with_one_title_get_their_own_slugs() {
    let first = TestServer::start().await;
    first.seed_demo().await;
    let second = first.replica_on_postgres().await;
    let servers: Vec<&TestServer> = std::iter::once(&first).chain(second.as_ref()).collect();
    let client = first.api_client("transferagentur-nrw").await;
    let mut calls = Vec::new();
    for n in 0..8 {
        let url = servers[n % servers.len()].graphql_url();
        let token = client.token();
        calls.push(tokio::spawn(async move {
            // Alone, and two in one batch (which are written together).
            let title = "Bildungsmonitoring gemeinsam gestalten";
            let items = if n % 2 == 0 {
                json!([item(&format!("same-title-{n}"), title)])
            } else {
                json!([
                    item(&format!("same-title-{n}"), title),
                    item(&format!("same-title-{n}-b"), title)
                ])
            };
            let count = items.as_array().map_or(0, Vec::len);
            let response: Value = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": SYNC, "variables": { "items": items } }))
                .send()
                .await
                .expect("send")
                .json()
                .await
                .expect("json");
            assert_eq!(outcomes(&response), vec!["CREATED"; count], "{response}");
            report(&response)["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|item| item["practice"]["slug"].as_str().expect("slug").to_owned())
                .collect::<Vec<_>>()
        }));
    }
    let mut slugs = Vec::new();
    for call in calls {
        slugs.extend(call.await.expect("call"));
    }
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), 12, "{slugs:?}");
    assert!(slugs.contains(&"bildungsmonitoring-gemeinsam-gestalten".to_owned()));
    if let Some(second) = second {
        second.stop().await;
    }
    first.stop().await;
}

#[tokio::test]
async fn new_practices_of_a_batch_get_their_own_slugs_and_a_rejected_item_stops_none() {
    let (_server, response) = a_mixed_batch().await;
    assert_eq!(
        outcomes(&response),
        ["CREATED", "CREATED", "CREATED", "REJECTED", "CREATED"]
    );
    let slugs: Vec<&str> = report(&response)["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["practice"]["slug"].as_str())
        .collect();
    assert_eq!(
        slugs,
        [
            "lernorte-im-quartier-verbinden-2",
            "lernorte-im-quartier-verbinden-3",
            "kitaplatze-datenbasiert-planen",
            "lernorte-im-quartier-verbinden-4"
        ]
    );
    let kita = &report(&response)["items"][2]["practice"];
    assert_eq!(kita["topics"][0]["slug"], "early-education");
    assert_eq!(kita["municipalities"][0]["ags"], "05913000");
}

/// A stored practice and then a batch with the same title three times among each other and
/// as the stored one, another new practice, and a rejected item (no title) in between; the
/// server and the batch's response.
async fn a_mixed_batch() -> (TestServer, Value) {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;
    let title = "Lernorte im Quartier verbinden";
    data(&sync(&server, &client.token(), json!([item("quartier-0", title)])).await);

    // Same titles among each other and as a stored practice; a rejected item in between.
    let mut batch = vec![
        item("quartier-1", title),
        item("quartier-2", title),
        item("kita-1", "Kitaplätze datenbasiert planen"),
        json!({ "externalId": "ohne-titel", "summary": "S", "body": "B" }),
        item("quartier-3", title),
    ];
    batch[2]["topics"] = json!(["early-education"]);
    batch[2]["municipalityAgs"] = json!(["05913000"]);
    let response = sync(&server, &client.token(), json!(batch)).await;
    (server, response)
}

#[tokio::test]
async fn new_practices_of_a_batch_are_found_counted_and_in_the_feed() {
    let (server, _) = a_mixed_batch().await;
    // Found by search, counted in the facets, and in the change feed.
    let found = server
        .gql(
            "{ goodPractices(filter: { search: \"Kitaplätze\" }) { nodes { slug } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data(&found)["goodPractices"]["nodes"][0]["slug"],
        "kitaplatze-datenbasiert-planen"
    );
    let facets = server
        .gql(
            "{ goodPracticeFacets(filter: { agency: \"transferagentur-nrw\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&facets)["goodPracticeFacets"]["totalCount"], 5);
    let feed = data(&server.gql(CHANGES, json!({ "after": null, "first": 100 })).await)["goodPracticeChanges"].clone();
    let in_feed: Vec<&str> = feed["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|entry| entry["externalId"].as_str())
        .collect();
    for external_id in ["quartier-1", "quartier-2", "kita-1", "quartier-3"] {
        assert!(in_feed.contains(&external_id), "{external_id} in {in_feed:?}");
    }
}

const RESENT_ID_VERSION: &str = "mutation ($items: [GoodPracticeSyncItem!]!) { syncGoodPractices(items: $items) {
  items { outcome practice { id version } } } }";
const RESENT_FRAGMENT: &str = "mutation ($items: [GoodPracticeSyncItem!]!) { syncGoodPractices(items: $items) {
  items { outcome practice { __typename ...Known } } } } fragment Known on GoodPractice { v: version id }";
const RESENT_TITLE: &str = "mutation ($items: [GoodPracticeSyncItem!]!) { syncGoodPractices(items: $items) {
  items { outcome practice { id version title } } } }";

#[tokio::test]
async fn an_unchanged_practices_id_and_version_are_answered_without_reading_it() {
    let Pushed {
        server,
        client,
        batch,
        slug,
        ..
    } = pushed().await;
    let stored = server
        .gql(
            "query ($s: String!) { goodPractice(slug: $s) { id version title } }",
            json!({ "s": slug }),
        )
        .await;
    let stored = &data(&stored)["goodPractice"];
    let mut costs = Vec::new();
    for query in [RESENT_ID_VERSION, RESENT_FRAGMENT, RESENT_TITLE] {
        let before = server.statements();
        let response = server
            .gql_with(Some(&client.token()), query, json!({ "items": batch }))
            .await;
        costs.push(server.statements() - before);
        let first = &data(&response)["syncGoodPractices"]["items"][0];
        assert_eq!(first["outcome"], "UNCHANGED", "{response}");
        let practice = &first["practice"];
        assert_eq!(practice["id"], stored["id"], "{response}");
        assert_eq!(
            practice.get("version").unwrap_or(&practice["v"]),
            &stored["version"],
            "{response}"
        );
        if query == RESENT_TITLE {
            assert_eq!(practice["title"], stored["title"]);
        }
    }
    // id and version come from the push's own lookup; anything more reads the stored
    // practices, all of the batch in one statement.
    assert_eq!(costs[0], costs[1], "a fragment asking for id and version: {costs:?}");
    assert_eq!(
        costs[2],
        costs[0] + 1,
        "asking for the title reads the practices once: {costs:?}"
    );
}

#[tokio::test]
async fn three_or_thirty_new_practices_cost_the_same_number_of_statements() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;
    // Written together: 3 or 30 new practices cost the same number of statements.
    let mut costs = Vec::new();
    for (prefix, count) in [("drei", 3), ("dreissig", 30)] {
        let items: Vec<Value> = (0..count)
            .map(|n| item(&format!("{prefix}-{n}"), &format!("Beispiel {prefix} Nummer {n}")))
            .collect();
        let before = server.statements();
        let response = sync(&server, &client.token(), json!(items)).await;
        assert_eq!(report(&response)["created"], count, "{response}");
        costs.push(server.statements() - before);
    }
    assert_eq!(costs[0], costs[1], "statements for 3 and 30 new practices: {costs:?}");
}

#[tokio::test]
async fn a_change_feed_page_after_a_partners_sync() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;
    let items = json!([item("snap-1", "Feedpraxis eins"), item("snap-2", "Feedpraxis zwei")]);
    assert_eq!(report(&sync(&server, &client.token(), items).await)["created"], 2);
    let response = sync(
        &server,
        &client.token(),
        json!([{ "externalId": "snap-1", "deleted": true }]),
    )
    .await;
    assert_eq!(outcomes(&response), ["DELETED"]);
    // Behind the demo's practices: the new one, then the tombstone of the deleted one.
    let end_of_demo =
        data(&server.gql(CHANGES, json!({ "first": 5 })).await)["goodPracticeChanges"]["endCursor"].clone();

    let response = server.gql(CHANGES, json!({ "after": end_of_demo, "first": 10 })).await;
    insta::assert_json_snapshot!(data(&response), {
        ".goodPracticeChanges.endCursor" => crate::redact::cursor(),
        ".goodPracticeChanges.entries[].cursor" => crate::redact::cursor(),
        ".goodPracticeChanges.entries[].id" => crate::redact::id(),
        ".goodPracticeChanges.entries[].practice.id" => crate::redact::id(),
    });
}
