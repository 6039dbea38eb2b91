//! Backward pagination (`last`/`before`, Relay): every connection takes them, a list paged from
//! its end gives the same items in the same order as paged from its start, and `pageInfo` says
//! where a page sits.

use dkbm_tests::{TestServer, assert_bad_input, corpus, data};
use serde_json::{Value, json};

const PAGE_INFO: &str =
    "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ... on Node { id } } }";

/// A list to page through: its query (with `$first $after $last $before`) and where its
/// connection sits in the answer.
struct List {
    name: &'static str,
    query: String,
}

impl List {
    fn new(name: &'static str, field: &str) -> List {
        List {
            name,
            query: format!(
                "query ($first: Int, $after: String, $last: Int, $before: String) {{ \
                 list: {field} {{ {PAGE_INFO} }} }}"
            )
            .replace("ARGS", "first: $first, after: $after, last: $last, before: $before"),
        }
    }
}

fn lists() -> Vec<List> {
    vec![
        List::new("agencies", "agencies(ARGS)"),
        List::new("municipalities by name", "municipalities(ARGS)"),
        List::new(
            "municipalities by name, descending",
            "municipalities(ARGS, orderBy: { field: NAME, direction: DESC })",
        ),
        List::new("practices, newest first", "goodPractices(ARGS)"),
        List::new(
            "practices by title",
            "goodPractices(ARGS, orderBy: { field: TITLE, direction: ASC })",
        ),
        List::new(
            "practices by relevance",
            "goodPractices(ARGS, filter: { search: \"Schule\" })",
        ),
        List::new("events", "trainingEvents(ARGS)"),
        List::new("search across areas", "search(ARGS, query: \"Schule\")"),
    ]
}

/// The ids of a page and its page info.
fn ids_of(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn page(server: &TestServer, list: &List, variables: Value) -> Value {
    let response = server.gql(&list.query, variables).await;
    data(&response)["list"].clone()
}

/// Every id from the start, two at a time.
async fn forward(server: &TestServer, list: &List) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after = Value::Null;
    loop {
        let connection = page(server, list, json!({ "first": 2, "after": after })).await;
        ids.extend(ids_of(&connection));
        assert_eq!(
            connection["pageInfo"]["hasPreviousPage"],
            !after.is_null(),
            "{}",
            list.name
        );
        if connection["pageInfo"]["hasNextPage"] != true {
            return ids;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

/// Every id from the end, two at a time, put back in the list's order.
async fn backward(server: &TestServer, list: &List, total: usize) -> Vec<String> {
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut before = Value::Null;
    loop {
        let connection = page(server, list, json!({ "last": 2, "before": before })).await;
        let info = &connection["pageInfo"];
        let ids = ids_of(&connection);
        assert_eq!(info["hasNextPage"], !before.is_null(), "{}: {info}", list.name);
        let seen: usize = pages.iter().map(Vec::len).sum::<usize>() + ids.len();
        assert_eq!(info["hasPreviousPage"], seen < total, "{}: {info}", list.name);
        if let Some(first_edge) = connection["edges"].as_array().and_then(|edges| edges.first()) {
            assert_eq!(info["startCursor"], first_edge["cursor"], "{}", list.name);
        }
        pages.push(ids);
        if info["hasPreviousPage"] != true {
            break;
        }
        before = info["startCursor"].clone();
    }
    pages.into_iter().rev().flatten().collect()
}

#[tokio::test]
async fn every_list_reads_the_same_from_its_end_as_from_its_start() {
    let server = TestServer::start().await;
    corpus::load(&server, 12).await;
    for list in lists() {
        let all = forward(&server, &list).await;
        assert!(all.len() >= 3, "{}: {} items are too few to page", list.name, all.len());
        assert_eq!(backward(&server, &list, all.len()).await, all, "{}", list.name);

        // Between two cursors, from either end: the items strictly between them.
        let around = page(&server, &list, json!({ "first": all.len() })).await;
        let cursors: Vec<Value> = around["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|edge| edge["cursor"].clone())
            .collect();
        let (after, before) = (&cursors[0], &cursors[cursors.len() - 1]);
        let inner = &all[1..all.len() - 1];
        for size in ["first", "last"] {
            let between = page(&server, &list, json!({ size: 100, "after": after, "before": before })).await;
            assert_eq!(ids_of(&between), inner, "{} between, by {size}", list.name);
        }
        // The last item alone, with the pages before it.
        let last = page(&server, &list, json!({ "last": 1 })).await;
        assert_eq!(ids_of(&last), [all[all.len() - 1].clone()], "{}", list.name);
        assert_eq!(last["pageInfo"]["hasPreviousPage"], true, "{}", list.name);
        assert_eq!(last["pageInfo"]["hasNextPage"], false, "{}", list.name);
    }
}

#[tokio::test]
async fn bad_backward_arguments_are_refused_by_name() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let list = List::new("agencies", "agencies(ARGS)");
    let cases = [
        (json!({ "first": 2, "last": 2 }), "last"),
        (json!({ "last": -1 }), "last"),
        (json!({ "last": 101 }), "last"),
        (json!({ "last": 2, "before": "kein Cursor" }), "before"),
        (json!({ "first": 2, "before": "kein Cursor" }), "before"),
    ];
    for (variables, field) in cases {
        let response = server.gql(&list.query, variables.clone()).await;
        assert_bad_input(&response, field);
    }
    // A cursor of another ordering is no cursor of this one.
    let by_name = page(&server, &List::new("m", "municipalities(ARGS)"), json!({ "first": 1 })).await;
    let foreign = by_name["pageInfo"]["endCursor"].clone();
    let response = server
        .gql(
            &List::new("m", "municipalities(ARGS, orderBy: { field: NAME, direction: DESC })").query,
            json!({ "last": 1, "before": foreign }),
        )
        .await;
    assert_bad_input(&response, "before");
}

#[tokio::test]
async fn every_connection_takes_last_and_before() {
    let server = TestServer::start().await;
    let response = server
        .gql(
            "{ __schema { types { name fields { name args { name } type { name ofType { name } } } } } }",
            json!({}),
        )
        .await;
    let mut connections = 0;
    for kind in data(&response)["__schema"]["types"].as_array().expect("types") {
        for field in kind["fields"].as_array().into_iter().flatten() {
            let type_name = field["type"]["name"]
                .as_str()
                .or_else(|| field["type"]["ofType"]["name"].as_str())
                .unwrap_or_default();
            if !type_name.ends_with("Connection") {
                continue;
            }
            connections += 1;
            let args: Vec<&str> = field["args"]
                .as_array()
                .expect("args")
                .iter()
                .filter_map(|arg| arg["name"].as_str())
                .collect();
            for wanted in ["first", "after", "last", "before"] {
                assert!(
                    args.contains(&wanted),
                    "{}.{} lacks {wanted}: {args:?}",
                    kind["name"],
                    field["name"]
                );
            }
        }
    }
    assert!(connections >= 14, "{connections} connection fields");
}
