//! GraphQL over HTTP as the specification prescribes (the checks of the graphql-http audit suite
//! that matter to our clients), plus the other HTTP endpoints.

use dkbm_tests::{TestServer, header};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{Value, json};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn post(
    server: &TestServer,
    accept: Option<&str>,
    content_type: Option<&str>,
    body: String,
) -> reqwest::Response {
    let mut request = server.client.post(server.graphql_url()).body(body);
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    if let Some(content_type) = content_type {
        request = request.header(CONTENT_TYPE, content_type);
    }
    request.send().await.expect("send")
}

fn content_type(response: &reqwest::Response) -> String {
    header(response, CONTENT_TYPE.as_str())
}

#[tokio::test]
async fn media_types_are_negotiated() {
    let server = TestServer::start().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    for (accept, expected) in [
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (Some("application/json"), "application/json"),
        (Some("*/*"), "application/json"),
        (None, "application/json"),
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            GRAPHQL_RESPONSE,
        ),
    ] {
        let response = post(&server, accept, Some("application/json"), body.clone()).await;
        assert_eq!(response.status(), StatusCode::OK, "accept {accept:?}");
        assert!(
            content_type(&response).starts_with(expected),
            "accept {accept:?} gave {}",
            content_type(&response)
        );
        assert!(content_type(&response).contains("charset=utf-8"));
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["data"]["__typename"], "Query");
    }
    let response = post(&server, Some("text/html"), Some("application/json"), body).await;
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn malformed_requests_are_400() {
    let server = TestServer::start().await;
    for accept in [GRAPHQL_RESPONSE, "application/json"] {
        for (body, field) in [
            ("{ \"not a JSON".to_owned(), "body"),
            ("".to_owned(), "body"),
            (json!({ "qeury": "{ __typename }" }).to_string(), "query"),
            (json!({ "query": 0 }).to_string(), "query"),
            (json!({ "query": { "obj": "ect" } }).to_string(), "query"),
            (json!({ "query": ["array"] }).to_string(), "query"),
            (
                json!({ "query": "{ __typename }", "operationName": false }).to_string(),
                "operationName",
            ),
            (
                json!({ "query": "{ __typename }", "variables": "string" }).to_string(),
                "variables",
            ),
            (
                json!({ "query": "{ __typename }", "extensions": ["array"] }).to_string(),
                "extensions",
            ),
            ("42".to_owned(), "body"),
        ] {
            let response = post(&server, Some(accept), Some("application/json"), body.clone()).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{accept}: {body}");
            let json: Value = response.json().await.expect("json");
            assert_eq!(json["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
            assert_eq!(json["errors"][0]["extensions"]["field"], field, "{body}");
        }
    }
}

#[tokio::test]
async fn null_and_map_parameters_are_accepted() {
    let server = TestServer::start().await;
    for body in [
        json!({ "query": "{ __typename }", "operationName": null, "variables": null, "extensions": null }),
        json!({ "query": "query Name { __typename }", "operationName": "Name", "variables": {}, "extensions": { "some": "value" } }),
        json!({ "query": "query ($first: Int) { municipalities(first: $first) { totalCount } }", "variables": { "first": 5 } }),
    ] {
        let response = post(
            &server,
            Some(GRAPHQL_RESPONSE),
            Some("application/json"),
            body.to_string(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "{body}");
        let json: Value = response.json().await.expect("json");
        assert!(json.get("errors").is_none(), "{json}");
    }
}

#[tokio::test]
async fn content_type_must_be_json() {
    let server = TestServer::start().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    for content_type in [None, Some("text/plain"), Some("application/json; charset=latin1")] {
        let response = post(&server, None, content_type, body.clone()).await;
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
    }
    let response = post(&server, None, Some("application/json; charset=utf-8"), body).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn request_errors_depend_on_the_media_type() {
    let server = TestServer::start().await;
    let cases = [
        (json!({ "query": "{" }), "GRAPHQL_PARSE_FAILED", "query"),
        (
            json!({ "query": "{ noSuchField8f31403d }" }),
            "GRAPHQL_VALIDATION_FAILED",
            "query",
        ),
        (
            json!({ "query": "query CoerceFailure($id: ID!) { __typename }", "variables": { "id": null } }),
            "GRAPHQL_VALIDATION_FAILED",
            "variables.id",
        ),
    ];
    for (body, code, field) in &cases {
        // application/graphql-response+json: 400 and no data entry.
        let response = post(
            &server,
            Some(GRAPHQL_RESPONSE),
            Some("application/json"),
            body.to_string(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let json: Value = response.json().await.expect("json");
        assert!(json.get("data").is_none(), "{json}");
        assert_eq!(json["errors"][0]["extensions"]["code"], *code, "{json}");
        assert_eq!(json["errors"][0]["extensions"]["field"], *field, "{json}");
        // application/json: 200, still no data entry.
        let response = post(
            &server,
            Some("application/json"),
            Some("application/json"),
            body.to_string(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "{body}");
        let json: Value = response.json().await.expect("json");
        assert!(json.get("data").is_none(), "{json}");
        assert!(json["errors"].as_array().is_some_and(|errors| !errors.is_empty()));
    }
}

#[tokio::test]
async fn field_errors_keep_status_200_and_data() {
    let server = TestServer::start().await;
    // An execution error (first > 100) is not a request error: 200, data present.
    let body = json!({ "query": "{ municipalities(first: 1000) { totalCount } }" }).to_string();
    let response = post(&server, Some(GRAPHQL_RESPONSE), Some("application/json"), body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let json: Value = response.json().await.expect("json");
    assert!(json.get("data").is_some(), "{json}");
    assert_eq!(json["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn get_runs_queries_and_refuses_mutations() {
    let server = TestServer::start().await;
    let response = server
        .get_request("/graphql")
        .query(&[
            ("query", "query ($n: Int) { municipalities(first: $n) { totalCount } }"),
            ("variables", "{\"n\":1}"),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let json: Value = response.json().await.expect("json");
    assert_eq!(json["data"]["municipalities"]["totalCount"], 0);

    for query in [
        "mutation { __typename }",
        "mutation M { createAgency(input: {slug: \"x-y\", name: \"X\", kind: OTHER}) { id } }",
    ] {
        let response = server
            .get_request("/graphql")
            .header(ACCEPT, GRAPHQL_RESPONSE)
            .query(&[("query", query)])
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{query}");
        assert_eq!(
            response.headers().get("allow").and_then(|v| v.to_str().ok()),
            Some("POST")
        );
    }
    // A document with several operations: the one named runs.
    let response = server
        .get_request("/graphql")
        .query(&[
            ("query", "query A { __typename } mutation B { __typename }"),
            ("operationName", "B"),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let response = server
        .get_request("/graphql")
        .query(&[
            ("query", "query A { __typename } mutation B { __typename }"),
            ("operationName", "A"),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    // Missing query and malformed variables.
    let response = server.get("/graphql").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = server
        .get_request("/graphql")
        .query(&[("query", "{ __typename }"), ("variables", "{not json")])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn batches_are_limited() {
    let server = TestServer::start_with(|config| config.limits.max_batch_operations = 3).await;
    let operation = json!({ "query": "{ __typename }" });
    let response = post(
        &server,
        None,
        Some("application/json"),
        json!([operation, operation]).to_string(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let json: Value = response.json().await.expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(json[1]["data"]["__typename"], "Query");

    let response = post(
        &server,
        None,
        Some("application/json"),
        json!([operation, operation, operation, operation]).to_string(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let json: Value = response.json().await.expect("json");
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("maxBatchOperations"))
    );
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let server = TestServer::start_with(|config| config.limits.max_body_bytes = 1024).await;
    let big = json!({ "query": format!("{{ __typename }} #{}", "x".repeat(2000)) }).to_string();
    let response = post(&server, None, Some("application/json"), big).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let server = TestServer::start().await;
    let response = post(
        &server,
        None,
        Some("application/json"),
        json!({ "query": "{ __typename }" }).to_string(),
    )
    .await;
    let id = header(&response, "x-request-id");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "request id {id:?}");
    // A client's own id is kept, so a front-end can correlate its logs with ours.
    let response = server
        .get_request("/healthz")
        .header("x-request-id", "front-end-42")
        .send()
        .await
        .expect("send");
    assert_eq!(
        response.headers().get("x-request-id").and_then(|v| v.to_str().ok()),
        Some("front-end-42")
    );
}

#[tokio::test]
async fn probes_graphiql_and_metrics() {
    let server = TestServer::start().await;
    let health = server.get("/healthz").await;
    assert_eq!(health.status(), StatusCode::OK);
    let ready = server.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    let graphiql = server.get("/").await;
    assert_eq!(graphiql.status(), StatusCode::OK);
    assert!(graphiql.text().await.expect("text").to_lowercase().contains("graphiql"));

    // An error by code, then the metrics show requests, latency, errors and the pool.
    let _ = server
        .gql("{ municipalities(first: 101) { totalCount } }", json!({}))
        .await;
    let metrics = server.get("/metrics").await;
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.expect("text");
    for expected in [
        "dkbm_http_requests_total{method=\"POST\",route=\"/graphql\",status=\"200\"}",
        "dkbm_http_request_duration_seconds_bucket",
        "dkbm_graphql_errors_total{code=\"BAD_USER_INPUT\"} 1",
        "dkbm_db_statements_total",
        "dkbm_db_pool_connections",
        "dkbm_db_pool_idle_connections",
    ] {
        assert!(text.contains(expected), "metrics lack {expected}:\n{text}");
    }
}

#[tokio::test]
async fn readyz_fails_when_the_database_is_gone() {
    let server = TestServer::start().await;
    server.state.conn().close_by_ref().await.expect("close the pool");
    let ready = server.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let health = server.get("/healthz").await;
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let server =
        TestServer::start_with(|config| config.cors_origins = vec!["https://bildung.bottrop.de".to_owned()]).await;
    let preflight = |origin: &'static str| {
        server
            .client
            .request(reqwest::Method::OPTIONS, server.graphql_url())
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,authorization")
            .send()
    };
    let allowed = preflight("https://bildung.bottrop.de").await.expect("send");
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://bildung.bottrop.de")
    );
    let refused = preflight("https://evil.example").await.expect("send");
    assert!(refused.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn internal_errors_show_only_the_request_id() {
    let server = TestServer::start().await;
    // Break the database under the server: a query now fails inside.
    let db = server.db.connect().await;
    sea_orm::ConnectionTrait::execute_unprepared(&db, "ALTER TABLE municipality RENAME TO municipality_gone")
        .await
        .expect("rename");
    let response = server
        .client
        .post(server.graphql_url())
        .json(&json!({ "query": "{ municipalities { totalCount } }" }))
        .send()
        .await
        .expect("send");
    let request_id = header(&response, "x-request-id");
    let body: Value = response.json().await.expect("json");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL_SERVER_ERROR");
    assert_eq!(error["extensions"]["requestId"], request_id.as_str());
    let text = body.to_string().to_lowercase();
    for leak in ["select", "municipality\"", "no such table", "relation", ".rs", "sqlx"] {
        assert!(!text.contains(leak), "the response leaks {leak}: {body}");
    }
}

#[tokio::test]
async fn graceful_shutdown_finishes_in_flight_requests() {
    let server = TestServer::start().await;
    // Hold the write lock so the mutation below stays in flight.
    let blocker = server.hold_write_lock().await;
    let request = server
        .client
        .post(server.graphql_url())
        .bearer_auth(dkbm_tests::ADMIN_TOKEN)
        .json(&json!({ "query": "mutation { createAgency(input: {slug: \"in-flight\", name: \"In flight\", kind: OTHER}) { slug } }" }))
        .send();
    let in_flight = tokio::spawn(request);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let base = server.base.clone();
    let stopped = tokio::spawn(server.stop());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!stopped.is_finished(), "the server waits for the request in flight");
    // New connections are refused while it drains.
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err());
    blocker.release().await;
    let response = in_flight
        .await
        .expect("join")
        .expect("the in-flight request is answered");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["data"]["createAgency"]["slug"], "in-flight");
    stopped.await.expect("the server stops");
}

#[tokio::test]
async fn websocket_speaks_graphql_transport_ws() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

    let server = TestServer::start().await;
    let mut request = format!("{}/graphql/ws", server.base.replace("http", "ws"))
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.expect("connect");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok()),
        Some("graphql-transport-ws")
    );
    socket
        .send(Message::text(json!({ "type": "connection_init" }).to_string()))
        .await
        .expect("send");
    let ack = socket.next().await.expect("a message").expect("ok");
    let ack: Value = serde_json::from_str(ack.to_text().expect("text")).expect("json");
    assert_eq!(ack["type"], "connection_ack");
    socket
        .send(Message::text(
            json!({ "id": "1", "type": "subscribe", "payload": { "query": "{ topics { slug } }" } }).to_string(),
        ))
        .await
        .expect("send");
    let next: Value = serde_json::from_str(
        socket
            .next()
            .await
            .expect("a message")
            .expect("ok")
            .to_text()
            .expect("text"),
    )
    .expect("json");
    assert_eq!(next["type"], "next");
    assert_eq!(next["id"], "1");
    assert!(
        next["payload"]["data"]["topics"]
            .as_array()
            .is_some_and(|topics| !topics.is_empty())
    );
    let complete: Value = serde_json::from_str(
        socket
            .next()
            .await
            .expect("a message")
            .expect("ok")
            .to_text()
            .expect("text"),
    )
    .expect("json");
    assert_eq!(complete["type"], "complete");
}

#[tokio::test]
async fn parse_errors_are_one_line_and_variable_errors_name_the_variable() {
    let server = TestServer::start().await;
    let parse = server
        .gql("{ municipalities(first: ) {\n totalCount }", json!({}))
        .await;
    let error = &parse["errors"][0];
    assert_eq!(error["extensions"]["code"], "GRAPHQL_PARSE_FAILED", "{parse}");
    let message = error["message"].as_str().expect("a message");
    assert!(!message.contains('\n'), "one line: {message:?}");
    let wrong_type = server
        .gql(
            "query ($n: Int) { municipalities(first: $n) { totalCount } }",
            json!({ "n": "zehn" }),
        )
        .await;
    assert_eq!(
        wrong_type["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{wrong_type}"
    );
    assert_eq!(
        wrong_type["errors"][0]["extensions"]["field"], "variables.n",
        "{wrong_type}"
    );
    let missing = server
        .gql(
            "query ($n: Int!) { municipalities(first: $n) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(missing["errors"][0]["extensions"]["field"], "variables.n", "{missing}");
}
