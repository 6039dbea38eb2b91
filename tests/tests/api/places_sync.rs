//! Lineage where partners meet it: a pushed practice naming a retired AGS is linked to the
//! successor with a warning, and the practices of a place's predecessors come along on request.

use dkbm_tests::{TestServer, assert_bad_input, data, str_at};
use serde_json::{Value, json};

use super::places::with_districts;
use super::practices_sync::{SYNC, item, report};

fn naming(external_id: &str, places: &[&str]) -> Value {
    let mut item = item(external_id, &format!("Praxisbeispiel {external_id}"));
    item["municipalityAgs"] = json!(places);
    item
}

async fn practices_of(server: &TestServer, filter: Value) -> Vec<String> {
    let response = server
        .gql(
            "query ($filter: GoodPracticeFilter) { goodPractices(filter: $filter, first: 50) { nodes { title } } }",
            json!({ "filter": filter }),
        )
        .await;
    let mut ids: Vec<String> = data(&response)["goodPractices"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        // The test's own practices (the demo has others in the Ruhr).
        .filter_map(|node| {
            let title = node["title"].as_str().expect("title");
            title.strip_prefix("Praxisbeispiel ").map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_retired_ags_is_linked_to_its_successor_and_predecessors_practices_come_along() {
    let server = with_districts().await;
    server.seed_demo().await;
    let client = server.api_client("transferagentur-nrw").await;
    let push = |items: Value| {
        let token = client.token();
        let server = &server;
        async move { server.gql_with(Some(&token), SYNC, json!({ "items": items })).await }
    };

    let response = push(json!([naming("vorher", &["05512000"])])).await;
    assert_eq!(str_at(report(&response), "/items/0/outcome"), "CREATED");

    // Invented for the test: Bottrop merges into Gelsenkirchen.
    let response = server
        .gql_admin(
            r#"mutation { recordMunicipalityChange(input: { fromAgs: ["05512000"], toAgs: ["05513000"], since: "2026-01-01", reason: MERGED }) { successors { ags } } }"#,
            json!({}),
        )
        .await;
    data(&response);

    let response = push(json!([
        naming("nachher", &["05512000", "05513000"]),
        naming("eisenach", &["16056000"]),
        naming("aktuell", &["05513000"]),
    ]))
    .await;
    let items = &report(&response)["items"];
    assert_eq!(items[0]["outcome"], "CREATED", "{response}");
    assert_eq!(items[0]["practice"]["municipalities"], json!([{ "ags": "05513000" }]));
    let warning = &items[0]["warnings"][0];
    assert_eq!(warning["field"], "municipalityAgs");
    let message = warning["message"].as_str().expect("message");
    assert!(
        message.contains("05512000") && message.contains("05513000"),
        "{message}"
    );
    assert_eq!(items[0]["warnings"].as_array().map(Vec::len), Some(1));
    assert_eq!(items[1]["practice"]["municipalities"], json!([{ "ags": "16063" }]));
    assert_eq!(items[1]["warnings"].as_array().map(Vec::len), Some(1));
    assert_eq!(items[2]["warnings"], json!([]));

    // The same push again is unchanged and warns no more.
    let response = push(json!([naming("nachher", &["05512000", "05513000"])])).await;
    assert_eq!(str_at(report(&response), "/items/0/outcome"), "UNCHANGED");
    assert_eq!(report(&response)["items"][0]["warnings"], json!([]));

    let only = practices_of(&server, json!({ "municipalityAgs": "05513000" })).await;
    assert_eq!(only, ["aktuell", "nachher"]);
    let with = practices_of(
        &server,
        json!({ "municipalityAgs": "05513000", "includePredecessors": true }),
    )
    .await;
    assert_eq!(with, ["aktuell", "nachher", "vorher"]);
    let retired = practices_of(&server, json!({ "municipalityAgs": "05512000" })).await;
    assert_eq!(retired, ["vorher"]);
    let response = server
        .gql(
            r#"{ goodPractices(filter: { municipalityAgs: "99999999", includePredecessors: true }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_bad_input(&response, "filter.municipalityAgs");
}
