//! A page of practices (the list, the change feed) loads its practices' relations once for the
//! page (`practices/service/page_relations.rs`), and the list reads the long texts only when
//! its selection shows them. Both must answer exactly what a practice standing alone answers
//! through the DataLoaders and whole rows: `nodes(ids:)` resolves each practice on its own.

use dkbm_tests::{TestServer, corpus, data};
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

    let query = format!(
        "{{ goodPracticeChanges(first: 1000) {{ entries {{ agency {{ id }} practice {{ {RELATIONS} agency {{ id }} }} }} }} }}"
    );
    let entries = data(&server.gql(&query, json!({})).await)["goodPracticeChanges"]["entries"].clone();
    let entries = entries.as_array().expect("entries");
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
        let query = format!("{{ goodPracticeChanges(first: 1000) {{ entries {{ practice {{ {fields} }} }} }} }}");
        let entries = data(&server.gql(&query, json!({})).await)["goodPracticeChanges"]["entries"].clone();
        let practices: Vec<Value> = entries
            .as_array()
            .expect("entries")
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
