//! What real clients, real parsers and an attacker found in the HTTP layer: WebSocket upgrades
//! from foreign origins, CORS for GraphQL clients and downloads, the metrics' content type, and
//! the scalars' specifications.

use dkbm_tests::{TestServer, data, str_at};
use reqwest::StatusCode;
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const PORTAL: &str = "https://portal.example";

/// Opens `/graphql/ws` with an `Origin` (or none); the HTTP status of the handshake's answer.
async fn upgrade_status(server: &TestServer, origin: Option<&str>) -> u16 {
    let mut request = format!("{}/graphql/ws", server.base.replacen("http", "ws", 1))
        .into_client_request()
        .expect("request");
    let headers = request.headers_mut();
    headers.insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    if let Some(origin) = origin {
        headers.insert("origin", origin.parse().expect("origin"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(error) => panic!("handshake failed: {error}"),
    }
}

#[tokio::test]
async fn websocket_upgrades_follow_the_allowed_origins() {
    let server = TestServer::start_with(|config| config.cors_origins = vec![PORTAL.to_owned()]).await;
    assert_eq!(upgrade_status(&server, None).await, 101, "no Origin: not a browser");
    assert_eq!(upgrade_status(&server, Some(PORTAL)).await, 101, "a configured origin");
    let own = server.base.clone();
    assert_eq!(
        upgrade_status(&server, Some(&own)).await,
        101,
        "GraphiQL on the API's own origin"
    );
    assert_eq!(
        upgrade_status(&server, Some("https://evil.example")).await,
        403,
        "a page elsewhere must not use a visitor's browser to subscribe"
    );
}

#[tokio::test]
async fn without_configured_origins_only_non_browsers_and_the_own_origin_may_upgrade() {
    let server = TestServer::start().await;
    assert_eq!(upgrade_status(&server, None).await, 101);
    assert_eq!(upgrade_status(&server, Some(PORTAL)).await, 403);
}

/// A response header in lower case (header values are compared case-insensitively).
fn header(response: &reqwest::Response, name: &str) -> String {
    dkbm_tests::header(response, name).to_lowercase()
}

#[tokio::test]
async fn cors_lets_graphql_clients_send_their_headers_and_read_file_names() {
    let server = TestServer::start_with(|config| config.cors_origins = vec![PORTAL.to_owned()]).await;
    let preflight = server
        .client
        .request(reqwest::Method::OPTIONS, server.graphql_url())
        .header("origin", PORTAL)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,authorization,x-apollo-operation-name,apollo-require-preflight",
        )
        .send()
        .await
        .expect("preflight");
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let allowed = header(&preflight, "access-control-allow-headers");
    for name in [
        "content-type",
        "authorization",
        "x-apollo-operation-name",
        "apollo-require-preflight",
    ] {
        assert!(allowed.contains(name), "{name} not allowed: {allowed}");
    }

    let response = server
        .get_request("/events.ics")
        .header("origin", PORTAL)
        .send()
        .await
        .expect("request");
    assert_eq!(header(&response, "access-control-allow-origin"), PORTAL);
    let exposed = header(&response, "access-control-expose-headers");
    assert!(exposed.contains("content-disposition"), "exposed: {exposed}");
    assert!(exposed.contains("x-request-id"), "exposed: {exposed}");
}

#[tokio::test]
async fn cors_allows_the_configured_request_headers() {
    let server = TestServer::start_with(|config| {
        config.cors_origins = vec![PORTAL.to_owned()];
        config.cors_allow_headers = vec!["x-portal-tenant".parse().expect("header name")];
    })
    .await;
    let preflight = server
        .client
        .request(reqwest::Method::OPTIONS, server.graphql_url())
        .header("origin", PORTAL)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "x-portal-tenant")
        .send()
        .await
        .expect("preflight");
    let allowed = header(&preflight, "access-control-allow-headers");
    assert!(allowed.contains("x-portal-tenant"), "{allowed}");
    assert!(
        !allowed.contains("x-apollo-operation-name"),
        "the list replaces the defaults: {allowed}"
    );
}

/// What Prometheus 2.x/3.x sends when it scrapes.
const PROMETHEUS_ACCEPT: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

async fn scrape(server: &TestServer, accept: Option<&str>) -> (String, String) {
    let mut request = server.get_request("/metrics");
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.expect("scrape");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = header(&response, "content-type");
    (content_type, response.text().await.expect("body"))
}

#[tokio::test]
async fn metrics_are_openmetrics_for_prometheus_and_parse_as_text_for_the_rest() {
    let server = TestServer::start().await;
    server.get("/healthz").await;

    let (content_type, body) = scrape(&server, Some(PROMETHEUS_ACCEPT)).await;
    assert_eq!(
        content_type,
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    assert!(body.ends_with("# EOF\n"), "OpenMetrics ends with # EOF");
    let counters: Vec<&str> = body
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE ")?.strip_suffix(" counter"))
        .collect();
    assert!(counters.contains(&"dkbm_http_requests"), "{body}");
    for counter in counters {
        assert!(
            !counter.ends_with("_total"),
            "an OpenMetrics counter family is named without _total"
        );
    }
    assert!(body.contains("\ndkbm_http_requests_total{"), "{body}");

    for accept in [None, Some("text/plain"), Some("text/plain;version=0.0.4")] {
        let (content_type, body) = scrape(&server, accept).await;
        assert_eq!(
            content_type, "text/plain; version=0.0.4; charset=utf-8",
            "for Accept {accept:?}"
        );
        let lines = body.lines().map(|line| Ok(line.to_owned()));
        let scrape = prometheus_parse::Scrape::parse(lines).expect("Prometheus text parses");
        let healthz = scrape
            .samples
            .iter()
            .find(|sample| {
                sample.metric == "dkbm_http_requests_total" && sample.labels.get("route") == Some("/healthz")
            })
            .expect("the request counted");
        assert!(
            matches!(healthz.value, prometheus_parse::Value::Counter(count) if count >= 1.0),
            "a counter with its sample, not untyped: {:?}",
            healthz.value
        );
        let statements = scrape
            .samples
            .iter()
            .find(|sample| sample.metric == "dkbm_db_statements_total")
            .expect("statements counted");
        assert!(matches!(statements.value, prometheus_parse::Value::Counter(_)));
        assert!(
            scrape
                .samples
                .iter()
                .any(|sample| matches!(sample.value, prometheus_parse::Value::Histogram(_))),
            "histograms parse as histograms"
        );
    }
}

#[tokio::test]
async fn scalars_name_their_specification_and_describe_themselves() {
    let server = TestServer::start().await;
    let expected = [
        ("DateTime", "https://datatracker.ietf.org/doc/html/rfc3339"),
        ("Date", "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"),
        ("UUID", "https://datatracker.ietf.org/doc/html/rfc9562"),
    ];
    for (name, url) in expected {
        let response = server
            .gql(
                "query ($name: String!) { __type(name: $name) { kind specifiedByURL description } }",
                json!({ "name": name }),
            )
            .await;
        let scalar = &data(&response)["__type"];
        assert_eq!(scalar["kind"], "SCALAR", "{name}");
        assert_eq!(scalar["specifiedByURL"], url, "{name}");
        let description = str_at(scalar, "/description");
        assert!(
            description.contains("RFC") && !description.contains("Implement") && !description.contains("Wikipedia"),
            "{name} has a description of its own: {description:?}"
        );
    }
    let sdl = dkbm_hub::schema::sdl();
    assert!(sdl.contains("scalar DateTime @specifiedBy(url: \"https://datatracker.ietf.org/doc/html/rfc3339\")"));
    assert!(sdl.contains("scalar UUID @specifiedBy(url: \"https://datatracker.ietf.org/doc/html/rfc9562\")"));
}
