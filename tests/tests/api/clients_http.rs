//! What real clients and an attacker found at the HTTP surface (issue 29): a persisted-query
//! miss a CDN could keep, one entity tag for two representations, a browser sent to a JSON
//! error, a credential that could not be read taken for none, an expired token accepted for
//! half a minute, downloads a browser could sniff, and the SDL where front-ends look for it.

use dkbm_tests::{Session, TestServer, data, header};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION};
use serde_json::{Value, json};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// A GET of `/graphql` with these query parameters and `Accept`.
async fn get_graphql(server: &TestServer, params: &[(&str, &str)], accept: &str) -> reqwest::Response {
    server
        .client
        .get(server.graphql_url())
        .query(params)
        .header(ACCEPT, accept)
        .send()
        .await
        .expect("send")
}

#[tokio::test]
async fn a_persisted_query_miss_over_get_is_never_stored() {
    let server = TestServer::start().await;
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": "a".repeat(64) } }).to_string();
    let response = get_graphql(&server, &[("extensions", &extensions)], "application/json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CACHE_CONTROL.as_str()), "private, no-store");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND");
    // Any other error answer is not stored either, by GET or POST.
    let response = get_graphql(&server, &[("query", "{ nope }")], "application/json").await;
    assert_eq!(header(&response, CACHE_CONTROL.as_str()), "private, no-store");
    let response = server
        .client
        .post(server.graphql_url())
        .header(CONTENT_TYPE, "application/json")
        .body(json!({ "query": "{ nope }" }).to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(header(&response, CACHE_CONTROL.as_str()), "private, no-store");
}

#[tokio::test]
async fn two_representations_have_two_entity_tags() {
    let server = TestServer::start().await;
    let query = [("query", "{ topics { slug } }")];
    let json = get_graphql(&server, &query, "application/json").await;
    let graphql = get_graphql(&server, &query, GRAPHQL_RESPONSE).await;
    let (json_tag, graphql_tag) = (header(&json, ETAG.as_str()), header(&graphql, ETAG.as_str()));
    assert!(!json_tag.is_empty() && !graphql_tag.is_empty());
    assert_ne!(
        json_tag, graphql_tag,
        "RFC 9110 §8.8.3: the tag covers the content type"
    );
    let other = server
        .client
        .get(server.graphql_url())
        .query(&query)
        .header(ACCEPT, GRAPHQL_RESPONSE)
        .header(IF_NONE_MATCH, &json_tag)
        .send()
        .await
        .expect("send");
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "the JSON's tag does not validate the other type"
    );
    let same = server
        .client
        .get(server.graphql_url())
        .query(&query)
        .header(ACCEPT, "application/json")
        .header(IF_NONE_MATCH, &json_tag)
        .send()
        .await
        .expect("send");
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn a_browser_asking_for_the_endpoint_gets_graphiql() {
    let server = TestServer::start().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    let response = client
        .get(server.url("/graphql?query=%7Btopics%7Bslug%7D%7D"))
        .header(ACCEPT, browser)
        .send()
        .await
        .expect("send");
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(header(&response, LOCATION.as_str()), "/?query=%7Btopics%7Bslug%7D%7D");
    // GraphQL clients keep their JSON.
    let response = get_graphql(&server, &[("query", "{ topics { slug } }")], "*/*").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, CONTENT_TYPE.as_str()).starts_with("application/json"));
}

#[tokio::test]
async fn graphiql_opens_with_an_example_of_this_api_that_runs() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let page = server.get("/").await.text().await.expect("page");
    assert!(page.contains("rel=\"icon\""), "a favicon link");
    let start = page.find("const defaultQuery = ").expect("an example query") + "const defaultQuery = ".len();
    let end = start + page[start..].find(";\n").expect("end of the example");
    let example: String = serde_json::from_str(&page[start..end].replace("<\\/", "</")).expect("a JSON string");
    assert!(example.contains("goodPractices"), "{example}");
    let answer = server.gql(&example, json!({})).await;
    assert!(answer["errors"].is_null(), "the example runs without errors: {answer}");
    assert!(
        !data(&answer)["goodPractices"]["nodes"]
            .as_array()
            .expect("nodes")
            .is_empty()
    );
    let icon = server.get("/favicon.ico").await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(header(&icon, CONTENT_TYPE.as_str()), "image/svg+xml");
}

#[tokio::test]
async fn the_sdl_is_served_where_tools_look_for_it() {
    let server = TestServer::start().await;
    let response = server.get("/schema.graphql").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, CONTENT_TYPE.as_str()).starts_with("text/plain"));
    let sdl = response.text().await.expect("text");
    assert_eq!(sdl, dkbm_hub::schema::sdl(), "the schema's SDL");
    let closed = TestServer::start_with(|config| config.limits.disable_introspection = true).await;
    assert_eq!(closed.get("/schema.graphql").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_credential_that_cannot_be_read_is_refused_not_ignored() {
    let server = TestServer::start().await;
    let mut value = reqwest::header::HeaderValue::from_bytes("Bearer tökén".as_bytes()).expect("bytes");
    value.set_sensitive(true);
    let response = server
        .client
        .post(server.graphql_url())
        .header(CONTENT_TYPE, "application/json")
        .header(AUTHORIZATION, value)
        .body(json!({ "query": "{ me { email } }" }).to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_expired_access_token_is_refused_within_seconds() {
    let server = TestServer::start().await;
    let session: Session = server.sign_up("abgelaufen@bottrop.de").await;
    use base64::Engine;
    let payload = session.access_token.split('.').nth(1).expect("a JWT");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    let mut claims: Value = serde_json::from_slice(&payload).expect("claims");
    // Expired ten seconds ago: inside the old half minute of leeway, outside a few seconds.
    let now = chrono::Utc::now().timestamp();
    claims["exp"] = json!(now - 10);
    claims["iat"] = json!(now - 100);
    claims["nbf"] = json!(now - 100);
    let token = server.state.auth.keys.sign(&claims).expect("sign");
    let expired = Session {
        access_token: token,
        ..session.clone()
    };
    let answer = server.gql_as(&expired, "{ me { email } }", json!({})).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{answer}");
    let fresh = server.gql_as(&session, "{ me { email } }", json!({})).await;
    assert_eq!(data(&fresh)["me"]["email"], "abgelaufen@bottrop.de");
}

#[tokio::test]
async fn charts_and_downloads_cannot_run_code() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    for path in ["/municipalities/05512000/indicators/SCHULAB_OHNE.svg", "/events.ics"] {
        let response = server.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{path}");
        let policy = header(&response, "content-security-policy");
        assert!(
            policy.contains("default-src 'none'") && !policy.contains("script"),
            "{path}: {policy}"
        );
    }
}
