//! A page of practices (the list, the change feed) loads its practices' relations once for the
//! page (`practices/service/page_relations.rs`), and the list reads the long texts only when
//! its selection shows them. Both must answer exactly what a practice standing alone answers
//! through the DataLoaders and whole rows: `nodes(ids:)` resolves each practice on its own.

use dkbm_tests::{Role, TestServer, corpus, data};
use serde_json::{Value, json};

const RELATIONS: &str = "id agency { id slug } municipalities { id ags name } topics { id slug position } \
                         targetGroups educationStages";

/// The same practices through `nodes`, with `fields`.
async fn alone(server: &TestServer, listed: &Value, fields: &str) -> Value {
    let ids: Vec<Value> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|practice| practice["id"].clone())
        .collect();
    assert!(ids.len() > 5, "the demo data has too few practices: {listed}");
    let query = format!("query ($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on GoodPractice {{ {fields} }} }} }}");
    data(&server.gql(&query, json!({ "ids": ids })).await)["nodes"].clone()
}

/// The entries of the feed's first page, each with `selection`.
async fn feed_entries(server: &TestServer, first: usize, selection: &str) -> Vec<Value> {
    let query = format!("{{ goodPracticeChanges(first: {first}) {{ entries {{ {selection} }} }} }}");
    let response = server.gql(&query, json!({})).await;
    data(&response)["goodPracticeChanges"]["entries"]
        .as_array()
        .expect("entries")
        .clone()
}

#[tokio::test]
async fn a_pages_relations_are_those_of_each_practice_alone() {
    let server = TestServer::start().await;
    corpus::load(&server, 30).await;
    let query = format!("{{ goodPractices(first: 50) {{ nodes {{ {RELATIONS} }} }} }}");
    let listed = data(&server.gql(&query, json!({})).await)["goodPractices"]["nodes"].clone();
    assert!(
        listed
            .as_array()
            .expect("a list")
            .iter()
            .any(|p| p["municipalities"].as_array().is_some_and(|m| m.len() > 1)),
        "no practice with several municipalities: {listed}"
    );
    assert_eq!(listed, alone(&server, &listed, RELATIONS).await);

    let entries = feed_entries(
        &server,
        1000,
        &format!("agency {{ id }} practice {{ {RELATIONS} agency {{ id }} }}"),
    )
    .await;
    let practices: Vec<Value> = entries
        .iter()
        .filter(|entry| !entry["practice"].is_null())
        .map(|entry| {
            assert_eq!(entry["agency"]["id"], entry["practice"]["agency"]["id"]);
            entry["practice"].clone()
        })
        .collect();
    let practices = Value::Array(practices);
    assert_eq!(practices, alone(&server, &practices, RELATIONS).await);
}

/// The ids of the whole list with `arguments` (ordering, filter), paged by `first`, each page
/// with `fields`; every page is checked against its practices alone.
async fn paged(server: &TestServer, arguments: &str, first: usize, fields: &str) -> Vec<Value> {
    let query = format!(
        "query ($after: String) {{ goodPractices(first: {first}, after: $after, {arguments}) \
         {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {fields} }} }} }}"
    );
    let (mut ids, mut after) = (Vec::new(), Value::Null);
    loop {
        let response = server.gql(&query, json!({ "after": after })).await;
        let list = &data(&response)["goodPractices"];
        let nodes = &list["nodes"];
        if nodes.as_array().is_some_and(|nodes| nodes.len() > 5) {
            assert_eq!(nodes, &alone(server, nodes, fields).await, "{arguments}");
        }
        ids.extend(nodes.as_array().expect("nodes").iter().map(|node| node["id"].clone()));
        if list["pageInfo"]["hasNextPage"] != json!(true) {
            return ids;
        }
        after = list["pageInfo"]["endCursor"].clone();
    }
}

/// A list page that shows agencies or municipalities reads them in the page's own statement
/// (`practices/service/joined.rs`), a search's page in the statement that reads its hits:
/// whatever the ordering and the page, the list has the same practices in the same order as
/// without them, and each practice what it has alone.
#[tokio::test]
async fn a_page_read_with_its_agencies_and_municipalities_keeps_its_order_and_rows() {
    let server = TestServer::start().await;
    corpus::load(&server, 30).await;
    let orders = [
        "orderBy: { field: PUBLISHED_AT }",
        "orderBy: { field: TITLE }",
        "orderBy: { field: TITLE, direction: DESC }",
        "orderBy: { field: UPDATED_AT, direction: ASC }",
        r#"filter: { search: "Bildung" }"#,
    ];
    for order in orders {
        let plain = paged(&server, order, 6, "id").await;
        assert!(plain.len() > 6, "{order}: {}", plain.len());
        for fields in [
            "id agency { id slug name kind } municipalities { id ags name kind state }",
            "id agency { id name }",
            "id municipalities { ags name }",
            "id title ... on GoodPractice { municipalities { ags } agency { slug } }",
        ] {
            assert_eq!(plain, paged(&server, order, 6, fields).await, "{order} {fields}");
        }
    }
}

#[tokio::test]
async fn a_list_shows_the_long_texts_however_it_asks_for_them() {
    let server = TestServer::start().await;
    corpus::load(&server, 30).await;
    // The list's selection, and the same fields asked of each practice alone.
    let asks = [
        ("nodes { id body bodyHtml }", "id body bodyHtml"),
        (
            "edges { node { id text: bodyHtml b: body } }",
            "id text: bodyHtml b: body",
        ),
        ("nodes { id ...Texts }", "id body bodyHtml"),
        (
            "nodes { id ... on GoodPractice { ... on Node { ... on GoodPractice { body } } } }",
            "id body",
        ),
    ];
    for (selection, fields) in asks {
        let mut query = format!("{{ goodPractices(first: 20) {{ {selection} }} }}");
        if selection.contains("...Texts") {
            query.push_str(" fragment Texts on GoodPractice { body bodyHtml }");
        }
        let response = server.gql(&query, json!({})).await;
        let list = &data(&response)["goodPractices"];
        let listed: Vec<Value> = match list["nodes"].as_array() {
            Some(nodes) => nodes.clone(),
            None => list["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|edge| edge["node"].clone())
                .collect(),
        };
        assert!(
            listed.iter().all(|practice| practice
                .as_object()
                .expect("an object")
                .values()
                .all(|value| value.as_str().is_some_and(|text| !text.is_empty()))),
            "an empty text for {selection}: {listed:?}"
        );
        let listed = Value::Array(listed);
        assert_eq!(listed, alone(&server, &listed, fields).await, "{selection}");
    }
}

#[tokio::test]
async fn the_feed_shows_the_texts_it_is_asked_for() {
    let server = TestServer::start().await;
    corpus::load(&server, 30).await;
    for fields in ["id body", "id bodyHtml title", "id title"] {
        let practices: Vec<Value> = feed_entries(&server, 1000, &format!("practice {{ {fields} }}"))
            .await
            .iter()
            .map(|entry| entry["practice"].clone())
            .filter(|practice| !practice.is_null())
            .collect();
        assert!(
            practices
                .iter()
                .all(|p| p.as_object().expect("object").values().all(|v| v != "")),
            "an empty text for {fields}"
        );
        let practices = Value::Array(practices);
        assert_eq!(practices, alone(&server, &practices, fields).await, "{fields}");
    }
}

/// Every column of the rows a page reads, as the API shows them.
const EVERY_COLUMN: &str = "id slug title summary body bodyHtml status version license sourceUrl externalId \
    createdAt updatedAt publishedAt archivedAt contact { name role email } links { label url } \
    provenance { upstreamVersion syncedAt originAgency { id } } \
    agency { id slug name kind description website carrierName createdAt updatedAt } \
    municipalities { id ags slug name kind state population website educationOffice createdAt updatedAt } \
    topics { id slug labelDe labelEn description position }";

/// Every field of `ty` a client can ask for without arguments, as a selection, read from the
/// schema itself (so that a new field is tested the day it is added): a leaf by its name, an
/// object with its own leaves, an interface or union by its type name.
async fn fields_of(server: &TestServer, ty: &str) -> Vec<String> {
    let described = server.gql(INTROSPECT, json!({ "name": ty })).await;
    let mut selections = Vec::new();
    for field in data(&described)["__type"]["fields"].as_array().expect("fields") {
        if requires_arguments(field) {
            continue;
        }
        let name = field["name"].as_str().expect("a name");
        let (kind, named) = named_type(&field["type"]);
        match kind {
            "SCALAR" | "ENUM" => selections.push(name.to_owned()),
            "OBJECT" => {
                let leaves = leaves_of(server, named).await;
                selections.push(format!("{name} {{ {leaves} }}"));
            }
            _ => selections.push(format!("{name} {{ __typename }}")),
        }
    }
    assert!(selections.len() > 5, "{ty}: {selections:?}");
    selections
}

/// The plain fields of an object type, as one selection.
async fn leaves_of(server: &TestServer, ty: &str) -> String {
    let described = server.gql(INTROSPECT, json!({ "name": ty })).await;
    let leaves: Vec<&str> = data(&described)["__type"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter(|field| !requires_arguments(field) && matches!(named_type(&field["type"]).0, "SCALAR" | "ENUM"))
        .map(|field| field["name"].as_str().expect("a name"))
        .collect();
    if leaves.is_empty() {
        "__typename".to_owned()
    } else {
        leaves.join(" ")
    }
}

const INTROSPECT: &str = "query ($name: String!) { __type(name: $name) { fields { name
    args { type { kind } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }";

fn requires_arguments(field: &Value) -> bool {
    field["args"]
        .as_array()
        .is_some_and(|args| args.iter().any(|arg| arg["type"]["kind"] == "NON_NULL"))
}

/// The kind and name of a field's type below its list and non-null wrappers.
fn named_type(ty: &Value) -> (&str, &str) {
    let mut ty = ty;
    while matches!(ty["kind"].as_str(), Some("NON_NULL" | "LIST")) {
        ty = &ty["ofType"];
    }
    (
        ty["kind"].as_str().unwrap_or_default(),
        ty["name"].as_str().unwrap_or_default(),
    )
}

/// Every field of a practice, and of its agency and municipalities, each on its own.
async fn one_by_one(server: &TestServer) -> Vec<String> {
    let mut fields = fields_of(server, "GoodPractice").await;
    for (relation, ty) in [("agency", "Agency"), ("municipalities", "Municipality")] {
        for field in fields_of(server, ty).await {
            fields.push(format!("{relation} {{ {field} }}"));
        }
    }
    fields
}

/// A page's rows (practices, agencies, municipalities, topics, feed entries) are decoded by
/// position (`db/rows.rs`); a practice alone is decoded by sea-orm by column name. Both must
/// read every column alike, set or null.
#[tokio::test]
async fn rows_read_by_position_are_those_read_by_name() {
    let server = TestServer::start().await;
    corpus::load(&server, 10).await;
    let create = "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id } }";
    let mut full = corpus::practice(500);
    full["contact"] = json!({ "name": "Anna Beispiel", "role": "Bildungsbüro", "email": "anna@example.org" });
    full["links"] = json!([{ "label": "Projektseite", "url": "https://example.org/projekt" }]);
    full["sourceUrl"] = json!("https://example.org/quelle");
    full["externalId"] = json!("ext-500");
    data(&server.gql_admin(create, json!({ "input": full })).await);
    let editor = server
        .member_with_role("redaktion@ruhrfutur.de", Role::Editor, Some("ruhrfutur"))
        .await;
    let sync = "mutation ($items: [GoodPracticeSyncItem!]!) { syncGoodPractices(items: $items) { created } }";
    let item = json!({ "externalId": "partner-1", "title": "Synchronisiert", "summary": "Vom Partner.",
        "body": "Text.", "municipalityAgs": ["05512000"], "upstreamVersion": "v7" });
    assert_eq!(
        data(&server.gql_as(&editor, sync, json!({ "items": [item] })).await)["syncGoodPractices"]["created"],
        1
    );

    let query = format!("{{ goodPractices(first: 50) {{ nodes {{ {EVERY_COLUMN} }} }} }}");
    let listed = data(&server.gql(&query, json!({})).await)["goodPractices"]["nodes"].clone();
    let practices = listed.as_array().expect("a list");
    let some = |path: &[&str]| {
        practices
            .iter()
            .any(|p| !path.iter().fold(p, |value, key| &value[*key]).is_null())
    };
    for path in [
        &["contact", "email"][..],
        &["sourceUrl"],
        &["externalId"],
        &["provenance", "syncedAt"],
    ] {
        assert!(some(path), "no practice has {path:?}");
    }
    assert!(
        practices
            .iter()
            .any(|p| p["contact"].is_null() && p["sourceUrl"].is_null())
    );
    assert_eq!(listed, alone(&server, &listed, EVERY_COLUMN).await);
    // A list and a feed page read only the columns their fields declare (`#[reads]`, see
    // `graphql/shape.rs`): each field asked for on its own must find what it reads.
    for field in one_by_one(&server).await {
        let fields = format!("id {field}");
        let query = format!("{{ goodPractices(first: 50) {{ nodes {{ {fields} }} }} }}");
        let listed = data(&server.gql(&query, json!({})).await)["goodPractices"]["nodes"].clone();
        assert_eq!(listed, alone(&server, &listed, &fields).await, "{field}");
        let fed: Vec<Value> = feed_entries(&server, 200, &format!("practice {{ {fields} }}"))
            .await
            .into_iter()
            .map(|entry| entry["practice"].clone())
            .filter(|practice| !practice.is_null())
            .collect();
        let fed = Value::Array(fed);
        assert_eq!(fed, alone(&server, &fed, &fields).await, "the feed's {field}");
    }

    let selection = format!("id slug version externalId agency {{ id }} practice {{ {EVERY_COLUMN} }}");
    let entries = feed_entries(&server, 200, &selection).await;
    assert!(entries.iter().any(|entry| entry["externalId"] == "partner-1"));
    let practices: Vec<Value> = entries
        .iter()
        .map(|entry| {
            assert_eq!(entry["id"], entry["practice"]["id"]);
            assert_eq!(entry["slug"], entry["practice"]["slug"]);
            assert_eq!(entry["version"], entry["practice"]["version"]);
            entry["practice"].clone()
        })
        .collect();
    let practices = Value::Array(practices);
    assert_eq!(practices, alone(&server, &practices, EVERY_COLUMN).await);
}

/// A relation of a page that fails to load fails once for the page: its one statement is not
/// run again by each of the page's practices.
#[tokio::test]
async fn a_relation_that_fails_to_load_is_tried_once_per_page() {
    use sea_orm::ConnectionTrait;

    let server = TestServer::start().await;
    corpus::load(&server, 30).await;
    let query = "{ goodPractices(first: 40) { nodes { id topics { slug } } } }";
    let db = server.state.conn();
    db.execute_unprepared("ALTER TABLE good_practice_topic RENAME TO hidden_links")
        .await
        .expect("rename");
    let failed = || server.state.metrics().db_statement_errors.get();
    let before = failed();
    let response = server.gql(query, json!({})).await;
    assert_eq!(failed() - before, 1, "{response}");
    let errors = response["errors"].as_array().expect("errors");
    assert!(
        errors
            .iter()
            .all(|error| error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"),
        "{response}"
    );
    assert!(!response.to_string().contains("hidden_links"), "{response}");
    db.execute_unprepared("ALTER TABLE hidden_links RENAME TO good_practice_topic")
        .await
        .expect("rename back");
    data(&server.gql(query, json!({})).await);
}

/// A feed page shows each practice with the relations of the state its entry records: they are
/// read in the page's snapshot, not after it (where a write committed meanwhile would show).
/// Deterministic on PostgreSQL, where a lock held from outside holds the page's read of the
/// links until a change of them has committed; SQLite's one writer cannot hold a reader.
#[tokio::test]
async fn a_feed_pages_relations_are_those_of_its_snapshot() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    if !dkbm_tests::on_postgres() {
        return;
    }
    // No response cache: both reads must run.
    let server = TestServer::start_with(|config| config.response_cache_mb = 0).await;
    corpus::load(&server, 5).await;
    let selection = "id practice { id municipalities { ags } }";
    let before = feed_entries(&server, 10, selection).await;
    assert!(
        before
            .iter()
            .any(|entry| !entry["practice"]["municipalities"].as_array().expect("list").is_empty())
    );
    let db = server.db.connect().await;
    let txn = db.begin().await.expect("begin");
    txn.execute_unprepared("LOCK TABLE good_practice_municipality IN ACCESS EXCLUSIVE MODE")
        .await
        .expect("lock");
    let (client, url) = (server.client.clone(), server.graphql_url());
    let query = format!("{{ goodPracticeChanges(first: 10) {{ entries {{ {selection} }} }} }}");
    let reading = tokio::spawn(async move {
        let response = client
            .post(url)
            .json(&json!({ "query": query }))
            .send()
            .await
            .expect("send");
        response.json::<Value>().await.expect("json")
    });
    // The page has taken its snapshot and waits for the links; now they change and commit.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    txn.execute_unprepared("DELETE FROM good_practice_municipality")
        .await
        .expect("delete the links");
    txn.commit().await.expect("commit");
    let page = reading.await.expect("the request");
    let after = data(&page)["goodPracticeChanges"]["entries"]
        .as_array()
        .expect("entries")
        .clone();
    assert_eq!(
        after, before,
        "the links of the page's snapshot, not those committed after it"
    );
}
