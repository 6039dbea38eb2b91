//! Portals through the public API: two portals over the same practices show different lists,
//! facets and search hits by scope and hidden items, while the practice itself stays one
//! record; collections in order with featured-until and teaser overrides; curation by the
//! owner agency only; CORS for the portals' origins; reach counts that add up and hold nothing
//! personal.

use dkbm_tests::{Role, TestServer, data, error_with_code, i64_at, strings_at};
use serde_json::{Value, json};

const NRW: &str = "transferagentur-nrw";
const RUHR: &str = "ruhrfutur";
const BOERDE: &str = "stabsstelle-bildung-integriert-boerde";
const RUHR_REPORT: &str = "bildungsbericht-ruhr-regionales-monitoring";
const REVIER: &str = "ag-bildungsmonitoring-rheinisches-revier";

/// POSTs a GraphQL request naming a portal with `X-Portal-Key`; the status and JSON body.
async fn gql_in_portal(server: &TestServer, key: &str, query: &str, variables: Value) -> (u16, Value) {
    let response = server
        .client
        .post(server.graphql_url())
        .header("x-portal-key", key)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

/// The demo portals' keys and ids (read as the operator, who curates every portal).
async fn portals(server: &TestServer) -> (Value, Value) {
    let response = server
        .gql_admin(
            "{ nrw: portal(slug: \"transferagentur-nrw\") { id key version } ruhr: portal(slug: \"ruhrfutur\") { id key version } }",
            json!({}),
        )
        .await;
    let data = data(&response);
    (data["nrw"].clone(), data["ruhr"].clone())
}

fn key(portal: &Value) -> &str {
    portal["key"].as_str().expect("a key")
}

const LIST: &str = "{ goodPractices(first: 50) { totalCount nodes { slug } } goodPracticeFacets { totalCount } }";

#[tokio::test]
async fn two_portals_show_different_lists_facets_and_search_over_one_record() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let (nrw, ruhr) = portals(&server).await;

    let everything = server.gql(LIST, json!({})).await;
    assert_eq!(i64_at(&everything, "/data/goodPractices/totalCount"), 5);

    let (status, in_nrw) = gql_in_portal(&server, key(&nrw), LIST, json!({})).await;
    assert_eq!(status, 200);
    let nrw_slugs = strings_at(&in_nrw, "/data/goodPractices/nodes", "/slug");
    assert_eq!(nrw_slugs.len(), 4, "{in_nrw}");
    assert!(!nrw_slugs.contains(&BOERDE), "Börde is in Sachsen-Anhalt");
    assert_eq!(i64_at(&in_nrw, "/data/goodPracticeFacets/totalCount"), 4);

    let (_, in_ruhr) = gql_in_portal(&server, key(&ruhr), LIST, json!({})).await;
    let ruhr_slugs = strings_at(&in_ruhr, "/data/goodPractices/nodes", "/slug");
    assert!(ruhr_slugs.contains(&RUHR_REPORT) && ruhr_slugs.contains(&REVIER), "{in_ruhr}");
    assert!(!ruhr_slugs.contains(&BOERDE), "hidden in the RuhrFutur portal");
    assert_ne!(nrw_slugs, ruhr_slugs);
    assert_eq!(
        i64_at(&in_ruhr, "/data/goodPracticeFacets/totalCount"),
        i64_at(&in_ruhr, "/data/goodPractices/totalCount")
    );

    // The argument names the portal as the header does; scope: ALL leaves it.
    let by_argument = server
        .gql(
            "query ($k: String) { goodPractices(first: 50, portalKey: $k) { totalCount } }",
            json!({ "k": key(&ruhr) }),
        )
        .await;
    assert_eq!(by_argument["data"], in_ruhr["data"]["goodPractices"].clone().pipe_total());
    let (_, all) = gql_in_portal(
        &server,
        key(&ruhr),
        "{ goodPractices(scope: ALL) { totalCount } goodPracticeFacets(scope: ALL) { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(i64_at(&all, "/data/goodPractices/totalCount"), 5);
    assert_eq!(i64_at(&all, "/data/goodPracticeFacets/totalCount"), 5);

    // Search: the hidden practice is no hit in the portal, but is one outside it.
    let search = "{ search(query: \"Börde\") { nodes { ... on GoodPractice { slug } } } }";
    let outside = server.gql(search, json!({})).await;
    assert!(outside.to_string().contains(BOERDE), "{outside}");
    for portal in [&nrw, &ruhr] {
        let (_, inside) = gql_in_portal(&server, key(portal), search, json!({})).await;
        assert!(!inside.to_string().contains(BOERDE), "{inside}");
    }

    // The practice itself is one record, with or without a portal.
    let one = "query ($s: String!) { goodPractice(slug: $s) { id version title summary } }";
    let plain = server.gql(one, json!({ "s": BOERDE })).await;
    let (_, through_ruhr) = gql_in_portal(&server, key(&ruhr), one, json!({ "s": BOERDE })).await;
    assert_eq!(plain["data"], through_ruhr["data"]);

    // An unknown key is refused, not silently unscoped.
    let (status, refused) = gql_in_portal(&server, "pk_unknown", LIST, json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(error_with_code(&refused, "BAD_USER_INPUT")["extensions"]["field"], "X-Portal-Key");
}

/// `{"totalCount": n}` of a list's JSON, as the argument query answers it.
trait PipeTotal {
    fn pipe_total(self) -> Value;
}

impl PipeTotal for Value {
    fn pipe_total(self) -> Value {
        json!({ "goodPractices": { "totalCount": self["totalCount"] } })
    }
}
