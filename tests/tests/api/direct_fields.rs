//! The plain fields that objects answer straight from their row (`graphql/direct.rs`) must
//! read exactly as their resolvers write them. Through `nodes` an object is resolved as a
//! member of the `Node` interface, field by field through its resolvers; in the lists it is
//! answered directly. Both answers must be equal, field for field.

use dkbm_tests::{TestServer, data};
use serde_json::{Value, json};

const PRACTICE: &str = "id slug title summary body bodyHtml license sourceUrl externalId status version createdAt updatedAt publishedAt archivedAt __typename";
const AGENCY: &str = "id slug name kind description website carrierName createdAt updatedAt __typename";
const MUNICIPALITY: &str =
    "id ags slug name kind state population website educationOffice createdAt updatedAt __typename";
const TOPIC: &str = "id slug labelDe labelEn description position __typename";

/// The objects of a list (`list` with FIELDS in place of its selection, the objects at
/// `path`), and the same objects through `nodes`, with the same fields.
async fn both_ways(server: &TestServer, list: &str, path: &[&str], ty: &str, fields: &str) -> (Value, Value) {
    let listed = server.gql(&list.replace("FIELDS", fields), json!({})).await;
    let listed = path
        .iter()
        .fold(data(&listed).clone(), |mut value, key| value[*key].take());
    let ids: Vec<Value> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    assert!(!ids.is_empty(), "{list}: nothing in the demo data");
    let query = format!("query ($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {ty} {{ {fields} }} }} }}");
    let resolved = server.gql(&query, json!({ "ids": ids })).await;
    (listed, data(&resolved)["nodes"].clone())
}

#[tokio::test]
async fn direct_fields_read_as_their_resolvers_write_them() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let cases = [
        (
            "{ goodPractices(first: 20) { nodes { FIELDS } } }",
            &["goodPractices", "nodes"][..],
            "GoodPractice",
            PRACTICE,
        ),
        (
            "{ agencies(first: 20) { nodes { FIELDS } } }",
            &["agencies", "nodes"][..],
            "Agency",
            AGENCY,
        ),
        (
            "{ municipalities(first: 20) { nodes { FIELDS } } }",
            &["municipalities", "nodes"][..],
            "Municipality",
            MUNICIPALITY,
        ),
        ("{ topics { FIELDS } }", &["topics"][..], "Topic", TOPIC),
    ];
    for (list, path, ty, fields) in cases {
        let (listed, resolved) = both_ways(&server, list, path, ty, fields).await;
        assert_eq!(listed, resolved, "{ty}: listed directly and resolved through nodes");
    }
}

#[tokio::test]
async fn direct_and_resolved_fields_mix_in_the_requested_order() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    // Relations (through DataLoaders) between plain fields, a fragment, an alias asked twice
    // and an object asked for twice with different fields: merged as the spec says.
    let query = "{ goodPractices(first: 5) { nodes { title agency { slug } ...More t: title agency { name } } } }
      fragment More on GoodPractice { topics { slug } id }";
    let response = server.gql(query, json!({})).await;
    let nodes = data(&response)["goodPractices"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    assert!(!nodes.is_empty());
    for node in nodes {
        let keys: Vec<&str> = node
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["title", "agency", "topics", "id", "t"], "{node}");
        assert_eq!(node["t"], node["title"]);
        let agency: Vec<&str> = node["agency"]
            .as_object()
            .expect("agency")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(agency, ["slug", "name"], "{node}");
        assert!(node["topics"].is_array(), "{node}");
    }
}

/// A feed entry's plain fields (answered from the entry in place) read as their resolvers write
/// them: a field with a directive is resolved through its resolver, so `@include(if: true)` on
/// each gives the resolvers' answer for the same entries.
#[tokio::test]
async fn a_feed_entrys_direct_fields_read_as_their_resolvers_write_them() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let fields = [
        "cursor",
        "operation",
        "id",
        "slug",
        "externalId",
        "version",
        "__typename",
    ];
    let direct = fields.join(" ");
    let resolved = fields
        .iter()
        .map(|field| format!("{field} @include(if: true)"))
        .collect::<Vec<_>>()
        .join(" ");
    let entries = |selection: String| {
        let server = &server;
        async move {
            let query = format!("{{ goodPracticeChanges(first: 100) {{ entries {{ {selection} }} }} }}");
            data(&server.gql(&query, json!({})).await)["goodPracticeChanges"]["entries"].clone()
        }
    };
    let (direct, resolved) = (entries(direct).await, entries(resolved).await);
    assert!(direct.as_array().is_some_and(|entries| entries.len() >= 5), "{direct}");
    assert_eq!(direct, resolved);
}
