//! Protective limits: each refuses quickly with an error naming the limit; introspection always works.

use std::time::{Duration, Instant};

use dkbm_tests::{TestServer, array_at, data, error_with_code, str_at};
use serde_json::{Value, json};

fn limit_of(response: &serde_json::Value) -> String {
    let error = error_with_code(response, "BAD_USER_INPUT");
    str_at(error, "/extensions/limit").to_owned()
}

#[tokio::test]
async fn depth_limit() {
    let server = TestServer::start_with(|config| config.limits.max_depth = 5).await;
    let ok = "{ agencies { edges { node { carrier { name } } } } }";
    data(&server.gql(ok, json!({})).await);
    let deep = "{ agencies { edges { node { carrier { carrier { name } } } } } }";
    let response = server.gql(deep, json!({})).await;
    assert_eq!(limit_of(&response), "maxDepth");
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("maxDepth"))
    );
}

#[tokio::test]
async fn complexity_limit_counts_page_sizes() {
    let server = TestServer::start_with(|config| config.limits.max_complexity = 500).await;
    data(
        &server
            .gql("{ municipalities(first: 50) { nodes { name ags } } }", json!({}))
            .await,
    );
    let response = server
        .gql(
            "query ($n: Int) { municipalities(first: $n) { nodes { name ags agreements { title } } } }",
            json!({ "n": 100 }),
        )
        .await;
    assert_eq!(limit_of(&response), "maxComplexity");
}

#[tokio::test]
async fn alias_and_root_field_limits() {
    let server = TestServer::start_with(|config| {
        config.limits.max_aliases = 3;
        config.limits.max_root_fields = 4;
    })
    .await;
    let aliases = "{ a: topics { slug } b: topics { slug } c: topics { slug } d: topics { slug } }";
    assert_eq!(limit_of(&server.gql(aliases, json!({})).await), "maxAliases");
    let roots = "{ topics { slug } programmes { slug } agencies { totalCount } municipalities { totalCount } node(id: \"x\") { id } }";
    assert_eq!(limit_of(&server.gql(roots, json!({})).await), "maxRootFields");
}

#[tokio::test]
async fn introspection_is_never_blocked_by_limits() {
    let server = TestServer::start_with(|config| {
        config.limits.max_depth = 3;
        config.limits.max_complexity = 5;
    })
    .await;
    // The query GraphiQL sends (abridged to its deepest part).
    let introspection = r#"
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name }
            types { ...FullType }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } }
          inputFields { ...InputValue }
          enumValues(includeDeprecated: true) { name description }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
    "#;
    let response = server.gql(introspection, json!({})).await;
    let types = array_at(data(&response), "/__schema/types").len();
    assert!(types > 20, "introspection returned {types} types");
}

#[tokio::test]
async fn introspection_can_be_switched_off() {
    let server = TestServer::start_with(|config| config.limits.disable_introspection = true).await;
    let query = "{ __schema { types { name } } __type(name: \"Query\") { name } }";
    let response = server.gql(query, json!({})).await;
    assert_eq!(response, json!({ "data": { "__schema": null, "__type": null } }));
    // The control: the same query, introspection on.
    let server = TestServer::start().await;
    let response = server.gql(query, json!({})).await;
    assert!(array_at(data(&response), "/__schema/types").len() > 20, "{response}");
    assert_eq!(data(&response)["__type"]["name"], "Query");
}

#[tokio::test]
async fn field_suggestions_are_off_by_default() {
    let server = TestServer::start().await;
    let response = server.gql("{ municipalitie { totalCount } }", json!({})).await;
    let message = str_at(&response, "/errors/0/message").to_owned();
    assert!(!message.contains("Did you mean"), "{message}");

    let server = TestServer::start_with(|config| config.limits.field_suggestions = true).await;
    let response = server.gql("{ municipalitie { totalCount } }", json!({})).await;
    let message = str_at(&response, "/errors/0/message").to_owned();
    assert!(message.contains("Did you mean"), "{message}");
}

#[tokio::test]
async fn abusive_documents_are_refused_quickly_and_the_server_stays_responsive() {
    let server = TestServer::start().await;
    // 50,000 levels of nesting and 20,000 aliases.
    let nested = format!("{}{}", "{ a ".repeat(50_000), "}".repeat(50_000));
    let aliases = format!(
        "{{ {} }}",
        (0..20_000)
            .map(|i| format!("a{i}: __typename"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // The parser refuses the nesting (before any limit is counted); the aliases are so many
    // root fields.
    let root_fields = server.state.config.limits.max_root_fields;
    for (query, code, limit) in [
        (nested, "GRAPHQL_PARSE_FAILED", None),
        (aliases, "BAD_USER_INPUT", Some(("maxRootFields", root_fields))),
    ] {
        let started = Instant::now();
        let response = server.gql(&query, json!({})).await;
        let error = error_with_code(&response, code);
        assert_eq!(error["extensions"]["field"], "query");
        assert_eq!(
            limit,
            error["extensions"]["limit"].as_str().map(|name| {
                let value = error["extensions"]["limitValue"].as_u64().expect("limitValue");
                (name, usize::try_from(value).expect("fits"))
            }),
            "the limit named"
        );
        assert!(
            response.get("data").is_none_or(Value::is_null),
            "refused before running"
        );
        // A bound for a hang, not a speed target (no timed tests): the debug build refuses
        // these in seconds while the rest of the suite runs beside it.
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "took {:?}",
            started.elapsed()
        );
    }
    data(&server.gql("{ __typename }", json!({})).await);
}

#[tokio::test]
async fn slow_requests_time_out() {
    let server = TestServer::start_with(|config| config.limits.request_timeout_secs = 1).await;
    // Hold the SQLite write lock / a PostgreSQL table lock from outside so the mutation waits.
    let blocker = server.hold_write_lock().await;
    let started = Instant::now();
    let response = server
        .client
        .post(server.graphql_url())
        .bearer_auth(dkbm_tests::ADMIN_TOKEN)
        .json(&json!({ "query": "mutation { createAgency(input: {slug: \"slow-one\", name: \"Slow\", kind: OTHER}) { id } }" }))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), reqwest::StatusCode::REQUEST_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(5));
    blocker.release().await;
}

/// A document is parsed once per text and reused; the checks that depend on the variables
/// still run for every request, and a text that fails to parse is refused every time.
#[tokio::test]
async fn a_reused_document_is_checked_with_each_requests_variables() {
    let server = TestServer::start_with(|config| config.limits.max_complexity = 500).await;
    let query = "query ($n: Int) { municipalities(first: $n) { nodes { name ags agreements { title } } } }";
    for _ in 0..2 {
        data(&server.gql(query, json!({ "n": 5 })).await);
        assert_eq!(limit_of(&server.gql(query, json!({ "n": 100 })).await), "maxComplexity");
        let response = server.gql(query, json!({ "n": 3_000_000_000_i64 })).await;
        assert_eq!(
            response["errors"][0]["extensions"]["field"], "variables.n",
            "{response}"
        );
    }
    let search = "query ($q: String) { goodPractices(filter: { search: $q }) { totalCount } }";
    data(&server.gql(search, json!({ "q": "Bildung" })).await);
    let response = server.gql(search, json!({ "q": "Bil\u{0}dung" })).await;
    assert!(response["data"].is_null(), "{response}");
    assert_eq!(
        response["errors"][0]["extensions"]["field"], "filter.search",
        "{response}"
    );
    for _ in 0..2 {
        let response = server.gql("{ topics { slug ", json!({})).await;
        assert!(response["data"].is_null(), "{response}");
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
            "{response}"
        );
    }
}
