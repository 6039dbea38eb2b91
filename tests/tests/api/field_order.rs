//! Responses keep the order in which the query asked for the fields (GraphQL spec, "serialized
//! maps keep the requested order"), over HTTP and over WebSocket.

use dkbm_tests::TestServer;
use dkbm_tests::ws::WsClient;
use serde_json::{Value, json};

// `topics` waits for the database while `__typename` is at hand at once: resolved in parallel,
// the aliases would come first unless the response is put back into the requested order.
const QUERY: &str = "{ topics { slug labelDe id } zz: __typename aa: __typename }";

/// The keys of a JSON object in the order they came on the wire.
fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn assert_requested_order(data: &Value) {
    assert_eq!(keys(data), ["topics", "zz", "aa"]);
    let first_topic = &data["topics"][0];
    assert_eq!(keys(first_topic), ["slug", "labelDe", "id"]);
}

#[tokio::test]
async fn http_answers_in_the_requested_order() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let text = server
        .client
        .post(server.graphql_url())
        .json(&json!({ "query": QUERY }))
        .send()
        .await
        .expect("response")
        .text()
        .await
        .expect("body");
    // On the wire, not only after parsing.
    let zz = text.find("\"zz\"").expect("zz in the body");
    let aa = text.find("\"aa\"").expect("aa in the body");
    assert!(zz < aa, "zz was asked for first: {text}");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    assert_requested_order(&body["data"]);
}

#[tokio::test]
async fn websocket_answers_in_the_requested_order() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let mut client = WsClient::connect_and_init(&server.base, None).await;
    client.subscribe("1", QUERY, json!({})).await;
    let next = client.next_message().await;
    assert_eq!(next["type"], "next");
    assert_requested_order(&next["payload"]["data"]);
}
