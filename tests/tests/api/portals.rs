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
    assert!(
        ruhr_slugs.contains(&RUHR_REPORT) && ruhr_slugs.contains(&REVIER),
        "{in_ruhr}"
    );
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
    assert_eq!(
        by_argument["data"],
        in_ruhr["data"]["goodPractices"].clone().pipe_total()
    );
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
    assert_eq!(
        error_with_code(&refused, "BAD_USER_INPUT")["extensions"]["field"],
        "X-Portal-Key"
    );
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

#[tokio::test]
async fn collections_keep_order_expire_and_override_teasers_only_in_their_portal() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let (_, ruhr) = portals(&server).await;
    let editor = server
        .member_with_role("redaktion@ruhrfutur.de", Role::Editor, Some(RUHR))
        .await;
    let stranger = server
        .member_with_role("redaktion@transferagentur.de", Role::Editor, Some(NRW))
        .await;
    let ids = data(&server.gql(
        "{ a: goodPractice(slug: \"bildungsbericht-ruhr-regionales-monitoring\") { id version summary } b: goodPractice(slug: \"ag-bildungsmonitoring-rheinisches-revier\") { id } e: trainingEvents(first: 1) { nodes { id } } goodPracticeChanges { entries { cursor } } }",
        json!({}),
    ).await).clone();
    let created = server
        .gql_as(&editor, "mutation ($p: ID!) { createCollection(input: {portalId: $p, slug: \"neu\", title: \"Neu im Bildungsmonitoring\"}) { id } }", json!({ "p": ruhr["id"] }))
        .await;
    let collection = data(&created)["createCollection"]["id"].clone();
    let items = json!([
        { "itemId": ids["b"]["id"], "teaser": "Zuerst" },
        { "itemId": ids["e"]["nodes"][0]["id"] },
        { "itemId": ids["a"]["id"], "featuredUntil": "2020-01-01T00:00:00Z" },
    ]);
    let set = "mutation ($c: ID!, $items: [CollectionItemInput!]!) { setCollectionItems(collectionId: $c, items: $items) { id } }";
    data(
        &server
            .gql_as(&editor, set, json!({ "c": collection, "items": items }))
            .await,
    );

    // Someone of another agency cannot curate, and a bad list writes nothing.
    let forbidden = server
        .gql_as(&stranger, set, json!({ "c": collection, "items": [] }))
        .await;
    error_with_code(&forbidden, "FORBIDDEN");
    let hide = "mutation ($p: ID!, $i: ID!) { hideInPortal(portalId: $p, itemId: $i) { id } }";
    error_with_code(
        &server
            .gql_as(&stranger, hide, json!({ "p": ruhr["id"], "i": ids["a"]["id"] }))
            .await,
        "FORBIDDEN",
    );
    let twice = json!([{ "itemId": ids["b"]["id"] }, { "itemId": ids["b"]["id"] }]);
    error_with_code(
        &server
            .gql_as(&editor, set, json!({ "c": collection, "items": twice }))
            .await,
        "BAD_USER_INPUT",
    );

    let read = "{ portal { collection(slug: \"neu\") { items { position teaser node { __typename ... on GoodPractice { id } } } } } }";
    let (_, shown) = gql_in_portal(&server, key(&ruhr), read, json!({})).await;
    let shown_items = &shown["data"]["portal"]["collection"]["items"];
    assert_eq!(
        shown_items.as_array().map(Vec::len),
        Some(2),
        "the expired item is left out: {shown}"
    );
    assert_eq!(shown_items[0]["node"]["id"], ids["b"]["id"]);
    assert_eq!(shown_items[0]["teaser"], "Zuerst");
    assert_eq!(shown_items[1]["node"]["__typename"], "TrainingEvent");
    let all = server
        .gql_as(&editor, "query ($k: String) { portal(key: $k) { collection(slug: \"neu\") { items(includeExpired: true) { position } } } }", json!({ "k": key(&ruhr) }))
        .await;
    assert_eq!(
        all["data"]["portal"]["collection"]["items"].as_array().map(Vec::len),
        Some(3),
        "{all}"
    );

    // The teaser override shows in its portal only; the practice keeps its version.
    let teaser = "mutation ($p: ID!, $g: ID!) { setPortalTeaser(input: {portalId: $p, practiceId: $g, teaser: \"Nur im Ruhr-Portal\", imageUrl: \"https://www.ruhrfutur.de/bild.jpg\"}) { id } }";
    data(
        &server
            .gql_as(&editor, teaser, json!({ "p": ruhr["id"], "g": ids["a"]["id"] }))
            .await,
    );
    let one = "{ goodPractice(slug: \"bildungsbericht-ruhr-regionales-monitoring\") { teaser imageUrl version } }";
    let (_, inside) = gql_in_portal(&server, key(&ruhr), one, json!({})).await;
    assert_eq!(inside["data"]["goodPractice"]["teaser"], "Nur im Ruhr-Portal");
    assert_eq!(
        inside["data"]["goodPractice"]["imageUrl"],
        "https://www.ruhrfutur.de/bild.jpg"
    );
    // Naming the portal by the list's argument changes the answer as the header does.
    let listed = "query ($k: String) { goodPractices(first: 50, portalKey: $k) { nodes { id teaser imageUrl } } }";
    let by_argument = server.gql(listed, json!({ "k": key(&ruhr) })).await;
    let (_, by_header) = gql_in_portal(&server, key(&ruhr), listed, json!({ "k": null })).await;
    assert_eq!(
        data(&by_argument),
        data(&by_header),
        "the portalKey argument applies the teasers"
    );
    let overridden = data(&by_argument)["goodPractices"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|node| node["id"] == ids["a"]["id"])
        .cloned()
        .expect("the practice is in the portal's list");
    assert_eq!(overridden["teaser"], "Nur im Ruhr-Portal");
    assert_eq!(overridden["imageUrl"], "https://www.ruhrfutur.de/bild.jpg");
    let outside = server.gql(one, json!({})).await;
    assert_eq!(outside["data"]["goodPractice"]["teaser"], ids["a"]["summary"]);
    assert_eq!(outside["data"]["goodPractice"]["imageUrl"], Value::Null);
    assert_eq!(outside["data"]["goodPractice"]["version"], ids["a"]["version"]);
    let feed = server
        .gql("{ goodPracticeChanges { entries { cursor } } }", json!({}))
        .await;
    assert_eq!(
        feed["data"]["goodPracticeChanges"], ids["goodPracticeChanges"],
        "curation is not a change"
    );
}

#[tokio::test]
async fn cors_allows_a_portals_origins_and_no_others() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let (nrw, ruhr) = portals(&server).await;
    let preflight = |origin: &'static str| {
        server
            .client
            .request(reqwest::Method::OPTIONS, server.graphql_url())
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,x-portal-key")
            .send()
    };
    let allowed = |response: &reqwest::Response| response.headers().get("access-control-allow-origin").is_some();
    assert!(allowed(
        &preflight("https://www.ruhrfutur.de").await.expect("preflight")
    ));
    assert!(!allowed(&preflight("https://evil.example").await.expect("preflight")));
    // A portal's front-end subscribes from its own site; other sites may not open a socket.
    let upgrade = |origin: &'static str| {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = format!("{}/graphql/ws", server.base.replacen("http", "ws", 1))
            .into_client_request()
            .expect("request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().expect("header"),
        );
        request.headers_mut().insert("origin", origin.parse().expect("header"));
        tokio_tungstenite::connect_async(request)
    };
    assert!(
        upgrade("https://www.ruhrfutur.de").await.is_ok(),
        "a portal's origin opens a socket"
    );
    assert!(
        upgrade("https://evil.example").await.is_err(),
        "another origin is refused"
    );
    let post = |origin: &'static str, key: String| {
        server
            .client
            .post(server.graphql_url())
            .header("origin", origin)
            .header("x-portal-key", key)
            .json(&json!({ "query": "{ portal { slug } }" }))
            .send()
    };
    assert!(allowed(
        &post("https://www.ruhrfutur.de", key(&ruhr).to_owned())
            .await
            .expect("post")
    ));
    assert!(
        !allowed(
            &post("https://www.ruhrfutur.de", key(&nrw).to_owned())
                .await
                .expect("post")
        ),
        "another portal's origin"
    );
    // A new origin applies at once.
    let update = "mutation ($id: ID!, $v: Int!) { updatePortal(id: $id, expectedVersion: $v, input: {origins: [\"https://neu.ruhrfutur.de\"]}) { version origins } }";
    let updated = server
        .gql_admin(update, json!({ "id": ruhr["id"], "v": ruhr["version"] }))
        .await;
    assert_eq!(
        updated["data"]["updatePortal"]["origins"],
        json!(["https://neu.ruhrfutur.de"])
    );
    assert!(allowed(
        &preflight("https://neu.ruhrfutur.de").await.expect("preflight")
    ));
    let stale = server
        .gql_admin(update, json!({ "id": ruhr["id"], "v": ruhr["version"] }))
        .await;
    assert_eq!(
        error_with_code(&stale, "CONFLICT")["extensions"]["currentVersion"],
        json!(2)
    );
}

#[tokio::test]
async fn reach_counts_add_up_per_portal_and_day_and_hold_nothing_personal() {
    let server = TestServer::start_with(|config| config.portal_views_per_minute = 1000).await;
    server.seed_demo().await;
    let (nrw, ruhr) = portals(&server).await;
    let replica = server.replica_on_postgres().await;
    let practice = data(
        &server
            .gql(
                "{ goodPractice(slug: \"bildungsbericht-ruhr-regionales-monitoring\") { id } }",
                json!({}),
            )
            .await,
    )["goodPractice"]["id"]
        .clone();
    let record = "mutation ($i: ID!) { recordPortalView(itemId: $i) }";
    let instances: Vec<&TestServer> = std::iter::once(&server).chain(replica.as_ref()).collect();
    let mut calls = Vec::new();
    for round in 0..20 {
        let instance = instances[round % instances.len()];
        calls.push(gql_in_portal(instance, key(&ruhr), record, json!({ "i": practice })));
    }
    for (status, body) in futures::future::join_all(calls).await {
        assert_eq!(
            (status, &body["data"]["recordPortalView"]),
            (200, &json!(true)),
            "{body}"
        );
    }
    let member = server.sign_up("leserin@bottrop.de").await;
    let (_, _) = gql_in_portal(&server, key(&nrw), record, json!({ "i": practice })).await;
    let popular = "{ portal { popular(period: LAST_30_DAYS) { views node { ... on GoodPractice { id } } } } }";
    for instance in &instances {
        gql_in_portal(instance, key(&ruhr), popular, json!({})).await; // writes that instance's counts
    }
    let (_, counted) = gql_in_portal(&server, key(&ruhr), popular, json!({})).await;
    assert_eq!(
        counted["data"]["portal"]["popular"],
        json!([{ "views": 20, "node": { "id": practice } }])
    );
    let (_, other) = gql_in_portal(&server, key(&nrw), popular, json!({})).await;
    assert_eq!(other["data"]["portal"]["popular"][0]["views"], 1, "per portal");
    let export = server.gql_as(&member, "{ exportMyData }", json!({})).await;
    assert!(!export.to_string().to_lowercase().contains("portal"), "{export}");

    // A client address over its limit is not counted.
    let limited = TestServer::start_with(|config| config.portal_views_per_minute = 2).await;
    limited.seed_demo().await;
    let (_, limited_ruhr) = portals(&limited).await;
    let practice = data(
        &limited
            .gql(
                "{ goodPractice(slug: \"bildungsbericht-ruhr-regionales-monitoring\") { id } }",
                json!({}),
            )
            .await,
    )["goodPractice"]["id"]
        .clone();
    let mut answers = Vec::new();
    for _ in 0..3 {
        let (_, body) = gql_in_portal(&limited, key(&limited_ruhr), record, json!({ "i": practice })).await;
        answers.push(body["data"]["recordPortalView"].clone());
    }
    assert_eq!(answers, vec![json!(true), json!(true), json!(false)]);
}

/// A page size below zero says what is wrong with it.
#[tokio::test]
async fn a_negative_number_of_popular_items_says_so() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let portal = "{ portals(first: 1) { nodes { popular(first: -1) { views } } } }";
    let answer = server.gql_admin(portal, json!({})).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["field"], "first", "{answer}");
    let message = answer["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("negative"), "{message}");
}
