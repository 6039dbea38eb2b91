//! Traces: one GraphQL request's spans (HTTP → operation → SQL) reach an OTLP receiver the test
//! runs, in the trace the request's `traceparent` names; its log lines carry the trace id
//! beside the request id, with tracing on and off.

use std::time::Duration;

use dkbm_tests::otlp::{OtlpReceiver, ReceivedSpan};
use dkbm_tests::{ServerProcess, TestDb, data};
use serde_json::{Value, json};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID: &str = "00f067aa0ba902b7";
const QUERY: &str =
    "query AgencyBySlug { agency(slug: \"geheim-kein-wert\") { name } agencies(first: 3) { totalCount } }";

async fn traced_request(server: &ServerProcess) {
    let response: Value = reqwest::Client::new()
        .post(server.graphql_url())
        .header("traceparent", format!("00-{TRACE_ID}-{PARENT_ID}-01"))
        .header("x-request-id", "req-traced-1")
        .json(&json!({ "query": QUERY }))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(data(&response)["agencies"]["totalCount"], 0);
}

/// The JSON log line of the finished request, with its span's fields.
async fn request_log_line(server: &ServerProcess) -> Value {
    for _ in 0..50 {
        let found = server
            .log()
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|line| line["span"]["request_id"] == "req-traced-1");
        if let Some(line) = found {
            return line;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no log line of the request: {}", server.log());
}

fn named<'a>(spans: &'a [ReceivedSpan], name: &str) -> Option<&'a ReceivedSpan> {
    spans.iter().find(|span| span.name == name)
}

/// Whether `span` descends from the span with id `ancestor`.
fn descends(spans: &[ReceivedSpan], span: &ReceivedSpan, ancestor: &str) -> bool {
    let mut parent = span.parent_span_id.clone();
    for _ in 0..10 {
        if parent == ancestor {
            return true;
        }
        match spans.iter().find(|candidate| candidate.span_id == parent) {
            Some(next) => parent = next.parent_span_id.clone(),
            None => return false,
        }
    }
    false
}

#[tokio::test]
async fn a_request_s_spans_reach_the_collector_in_the_caller_s_trace() {
    let receiver = OtlpReceiver::start().await;
    let db = TestDb::fresh().await;
    let env = [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint.as_str()),
        ("OTEL_SERVICE_NAME", "dkbm-test"),
        ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ("DKBM_LOG", "info"),
        ("DKBM_LOG_JSON", "true"),
        ("DKBM_NO_BASE_PLACES", "true"),
    ];
    let server = ServerProcess::spawn(&db.url, &env, true);
    server.wait_ready(Duration::from_secs(30)).await;
    traced_request(&server).await;

    let spans = receiver
        .trace(TRACE_ID, |spans| {
            named(spans, "query AgencyBySlug").is_some()
                && spans.iter().any(|span| span.attributes.contains_key("db.query.text"))
        })
        .await;
    let http = named(&spans, "POST /graphql").unwrap_or_else(|| panic!("{spans:#?}"));
    assert_eq!(http.parent_span_id, PARENT_ID, "the caller's span is the parent");
    assert_eq!(http.resource["service.name"], "dkbm-test");
    let operation = named(&spans, "query AgencyBySlug").expect("operation span");
    assert!(descends(&spans, operation, &http.span_id), "{spans:#?}");
    assert_eq!(operation.attributes["graphql.operation.name"], "AgencyBySlug");
    assert_eq!(operation.attributes["graphql.operation.type"], "query");
    assert!(
        operation.attributes["graphql.document.complexity"]
            .parse::<u64>()
            .expect("a number")
            > 0
    );
    let statements: Vec<&ReceivedSpan> = spans
        .iter()
        .filter(|span| span.attributes.contains_key("db.query.text"))
        .collect();
    // Every statement of the request is in its trace (the response cache's version read before
    // the operation); those of the resolvers under the operation.
    for statement in &statements {
        assert!(
            descends(&spans, statement, &http.span_id),
            "{statement:#?} in {spans:#?}"
        );
        let text = &statement.attributes["db.query.text"];
        assert!(
            !text.contains("geheim-kein-wert"),
            "no values in the statement text: {text}"
        );
    }
    let resolver = statements
        .iter()
        .find(|statement| statement.attributes["db.query.text"].contains("\"slug\" = "))
        .unwrap_or_else(|| panic!("{statements:#?}"));
    assert!(descends(&spans, resolver, &operation.span_id), "{resolver:#?}");

    let line = request_log_line(&server).await;
    assert_eq!(line["span"]["trace_id"], TRACE_ID, "{line}");
    server.stop().await;
}

#[tokio::test]
async fn without_a_collector_the_log_lines_still_carry_the_caller_s_trace_id() {
    let db = TestDb::fresh().await;
    let env = [
        ("DKBM_LOG", "info"),
        ("DKBM_LOG_JSON", "true"),
        ("DKBM_NO_BASE_PLACES", "true"),
    ];
    let server = ServerProcess::spawn(&db.url, &env, true);
    server.wait_ready(Duration::from_secs(30)).await;
    traced_request(&server).await;
    let line = request_log_line(&server).await;
    assert_eq!(line["span"]["trace_id"], TRACE_ID, "{line}");
    assert_eq!(line["span"]["request_id"], "req-traced-1", "{line}");
    server.stop().await;
}

#[tokio::test]
async fn a_webhook_delivery_carries_its_span_s_traceparent() {
    let collector = OtlpReceiver::start().await;
    let hooks = dkbm_tests::webhooks::Receiver::start().await;
    let db = TestDb::fresh().await;
    let env = [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint.as_str()),
        ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ("DKBM_NO_BASE_PLACES", "true"),
        ("DKBM_ADMIN_TOKEN", "telemetry-admin-token-0123456789"),
        ("DKBM_WEBHOOK_ALLOW_PRIVATE", "true"),
        ("DKBM_WEBHOOK_ALLOW_HTTP_HOSTS", "127.0.0.1"),
    ];
    let server = ServerProcess::spawn(&db.url, &env, true);
    server.wait_ready(Duration::from_secs(30)).await;
    let admin = Some("telemetry-admin-token-0123456789");
    let agency = "mutation { createAgency(input: {slug: \"spur\", name: \"Spur\", kind: OTHER}) { id } }";
    data(&server.gql(admin, agency, json!({})).await);
    let create = "mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }";
    let input = json!({ "input": { "agencySlug": "spur", "url": hooks.url, "events": ["PRACTICE_CHANGED"] } });
    let webhook = data(&server.gql(admin, create, input).await)["createWebhook"]["webhook"]["id"].clone();
    let test = "mutation ($id: ID!) { sendTestWebhook(id: $id) { id } }";
    data(&server.gql(admin, test, json!({ "id": webhook })).await);

    let delivery = hooks.wait_for_accepted(1, Duration::from_secs(20)).await;
    let traceparent = delivery.first().expect("the delivery came").header("traceparent");
    let parts: Vec<&str> = traceparent.split('-').collect();
    assert_eq!(parts.len(), 4, "a W3C traceparent: {traceparent}");
    let spans = collector
        .trace(parts[1], |spans| named(spans, "webhook.deliver").is_some())
        .await;
    let span = named(&spans, "webhook.deliver").expect("the delivery's span");
    assert_eq!(span.span_id, parts[2], "the request continues the delivery's span");
    assert_eq!(span.attributes["http.response.status_code"], "200");
    server.stop().await;
}
