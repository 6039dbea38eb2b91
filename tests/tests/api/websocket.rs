//! graphql-transport-ws at /graphql/ws: the handshake with credentials, and the close codes the
//! protocol names (async-graphql's own implementation deviates on several of them).

use std::time::Duration;

use dkbm_tests::TestServer;
use dkbm_tests::ws::{Received, WsClient};
use serde_json::json;

#[tokio::test]
async fn credentials_in_connection_init() {
    let server = TestServer::start().await;
    let session = server.sign_up("ws@bottrop.de").await;
    let mut client = WsClient::connect_and_init(&server.base, Some(&session.access_token)).await;
    client
        .subscribe("1", "{ viewer { kind member { displayName } } }", json!({}))
        .await;
    let next = client.next_message().await;
    assert_eq!(next["type"], "next");
    assert_eq!(next["id"], "1");
    assert_eq!(next["payload"]["data"]["viewer"]["kind"], "MEMBER");
    assert_eq!(next["payload"]["data"]["viewer"]["member"]["displayName"], "ws");
    assert_eq!(client.next_message().await, json!({ "id": "1", "type": "complete" }));

    // Without credentials: anonymous.
    let mut client = WsClient::connect_and_init(&server.base, None).await;
    client.subscribe("a", "{ viewer { kind } }", json!({})).await;
    assert_eq!(
        client.next_message().await["payload"]["data"]["viewer"]["kind"],
        "ANONYMOUS"
    );

    // A bad token closes the socket with 4403.
    for token in ["not-a-token", &format!("{}x", session.access_token)] {
        let mut client = WsClient::connect(&server.base).await;
        client.init(Some(token)).await;
        assert_eq!(
            client.receive(Duration::from_secs(5)).await,
            Received::Closed(4403, "Forbidden".into())
        );
    }
}

#[tokio::test]
async fn protocol_close_codes() {
    let server = TestServer::start_with(|config| config.limits.ws_init_timeout_secs = 1).await;
    // 4401: subscribe before the acknowledgement.
    let mut client = WsClient::connect(&server.base).await;
    client.subscribe("1", "{ __typename }", json!({})).await;
    assert_eq!(
        client.receive(Duration::from_secs(5)).await,
        Received::Closed(4401, "Unauthorized".into())
    );
    // 4429: a second connection_init.
    let mut client = WsClient::connect_and_init(&server.base, None).await;
    client.init(None).await;
    assert_eq!(
        client.receive(Duration::from_secs(5)).await,
        Received::Closed(4429, "Too many initialisation requests".into())
    );
    // 4400: a malformed message, or one of an unknown type.
    for text in ["{not json", r#"{"type":"unknown"}"#, r#"{"type":"subscribe","id":"1"}"#] {
        let mut client = WsClient::connect_and_init(&server.base, None).await;
        client.send_text(text).await;
        assert!(
            matches!(client.receive(Duration::from_secs(5)).await, Received::Closed(4400, _)),
            "{text}"
        );
    }
    // 4408: no connection_init in time.
    let mut client = WsClient::connect(&server.base).await;
    assert_eq!(
        client.receive(Duration::from_secs(5)).await,
        Received::Closed(4408, "Connection initialisation timeout".into())
    );
}

#[tokio::test]
async fn ping_pong_and_errors() {
    let server = TestServer::start().await;
    let mut client = WsClient::connect(&server.base).await;
    // ping is answered even before the handshake.
    client.send(json!({ "type": "ping", "payload": { "n": 1 } })).await;
    assert_eq!(
        client.next_message().await,
        json!({ "type": "pong", "payload": { "n": 1 } })
    );
    client.init(None).await;
    assert_eq!(client.next_message().await["type"], "connection_ack");
    client.send(json!({ "type": "pong" })).await;
    client.send(json!({ "type": "ping" })).await;
    assert_eq!(client.next_message().await, json!({ "type": "pong" }));
    // A request error is one `error` message with the errors, and no `complete`.
    client.subscribe("bad", "{ noSuchField }", json!({})).await;
    let error = client.next_message().await;
    assert_eq!(error["type"], "error");
    assert_eq!(error["id"], "bad");
    assert_eq!(error["payload"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
    assert_eq!(client.receive(Duration::from_millis(300)).await, Received::Nothing);
    // The connection is still usable; the id can be used again.
    client.subscribe("bad", "{ __typename }", json!({})).await;
    assert_eq!(client.next_message().await["type"], "next");
}

#[tokio::test]
async fn an_id_in_use_closes_with_4409_and_complete_frees_it() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let live = "subscription { goodPracticeChanged { cursor } }";
    let mut client = WsClient::connect_and_init(&server.base, None).await;
    client.subscribe("a", live, json!({})).await;
    // `complete` ends the subscription: the id may be used again.
    client.send(json!({ "type": "complete", "id": "a" })).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    client.subscribe("a", live, json!({})).await;
    assert_eq!(client.receive(Duration::from_millis(300)).await, Received::Nothing);
    // A second subscription under a running id closes the socket with 4409.
    client.subscribe("a", live, json!({})).await;
    assert_eq!(
        client.receive(Duration::from_secs(5)).await,
        Received::Closed(4409, "Subscriber for this id already exists".into())
    );
}
