//! Similar municipalities on a small set whose answer is computed by hand here, and good
//! practices from the places most like one's own.

use dkbm_tests::{TestServer, data, error_with_code};
use serde_json::{Value, json};

use super::indicators::{define, import};

const CITIES: [(&str, &str); 6] = [
    ("05101000", "Stadt A"),
    ("05102000", "Stadt B"),
    ("05103000", "Stadt C"),
    ("05104000", "Stadt D"),
    ("05105000", "Stadt F"),
    ("05106000", "Stadt G"),
];

/// A is the reference. F has no number for SIM_1 (a secret value), G none at all, E is a
/// district (another kind) identical to A.
const VALUES: &str = "ags;year;code;value\n\
    05101000;2022;SIM_1;10\n05101000;2022;SIM_2;50\n05101000;2021;SIM_1;9\n\
    05102000;2022;SIM_1;12\n05102000;2022;SIM_2;70\n\
    05103000;2022;SIM_1;14\n05103000;2022;SIM_2;50\n\
    05104000;2022;SIM_1;20\n05104000;2022;SIM_2;30\n\
    05105000;2022;SIM_1;.\n05105000;2022;SIM_2;60\n\
    05106000;2022;SIM_1;x\n05106000;2022;SIM_2;/\n\
    05958;2022;SIM_1;10\n05958;2022;SIM_2;50\n";

async fn small_set(server: &TestServer) {
    let create = "mutation ($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { id } }";
    let mut places: Vec<(&str, &str, &str)> = CITIES
        .iter()
        .map(|(ags, name)| (*ags, *name, "KREISFREIE_STADT"))
        .collect();
    places.push(("05958", "Kreis E", "KREIS"));
    for (ags, name, kind) in places {
        let input = json!({ "input": { "ags": ags, "name": name, "kind": kind, "state": "NW" } });
        data(&server.gql_admin(create, input).await);
    }
    define(server, "SIM_1", "Eins").await;
    define(server, "SIM_2", "Zwei").await;
    let report = import(server, VALUES).await;
    assert_eq!(report["committed"], true, "{report}");
}

const SIMILAR: &str = r#"query ($first: Int, $year: Int) { similarMunicipalities(ags: "05101000", codes: ["SIM_1", "SIM_2"], first: $first, year: $year) {
    year skipped { indicator { code } reason }
    indicators { indicator { code } count mean standardDeviation zScore }
    nodes { municipality { ags } distance missing { code } contributions { indicator { code } difference } } } }"#;

#[tokio::test]
async fn similar_municipalities_are_ranked_by_standardised_distance() {
    let server = TestServer::start().await;
    small_set(&server).await;
    let response = server.gql(SIMILAR, json!({})).await;
    let answer = &data(&response)["similarMunicipalities"];
    assert_eq!(answer["year"], 2022, "the latest year A has numbers for");
    assert_eq!(answer["skipped"], json!([]));

    // By hand. SIM_1 over the cities with a number (A 10, B 12, C 14, D 20): mean 14, population
    // variance (16 + 4 + 0 + 36) / 4 = 14. SIM_2 (A 50, B 70, C 50, D 30, F 60): mean 52,
    // variance (4 + 324 + 4 + 484 + 64) / 5 = 176. G has no numbers; E is another kind.
    let (sd1, sd2) = (14f64.sqrt(), 176f64.sqrt());
    let indicators = answer["indicators"].as_array().expect("indicators");
    assert_eq!(indicators[0]["count"], 4);
    assert!((indicators[0]["standardDeviation"].as_f64().expect("sd") - sd1).abs() < 1e-9);
    assert!((indicators[1]["mean"].as_f64().expect("mean") - 52.0).abs() < 1e-9);
    assert!((indicators[1]["zScore"].as_f64().expect("z") - (-2.0 / sd2)).abs() < 1e-9);
    // Distances from A: differences of z-scores, squared and summed. F lacks SIM_1: its one
    // square is scaled by 2 / 1.
    let expected = [
        ("05105000", (2.0 * (10.0 / sd2).powi(2)).sqrt()),
        ("05103000", ((4.0 / sd1).powi(2)).sqrt()),
        ("05102000", ((2.0 / sd1).powi(2) + (20.0 / sd2).powi(2)).sqrt()),
        ("05104000", ((10.0 / sd1).powi(2) + (20.0 / sd2).powi(2)).sqrt()),
    ];
    let nodes = answer["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), expected.len(), "{answer}");
    for (node, (ags, distance)) in nodes.iter().zip(expected) {
        assert_eq!(node["municipality"]["ags"], ags);
        let actual = node["distance"].as_f64().expect("distance");
        assert!((actual - distance).abs() < 1e-9, "{ags}: {actual} != {distance}");
    }
    assert_eq!(nodes[0]["missing"], json!([{ "code": "SIM_1" }]));
    assert_eq!(nodes[0]["contributions"].as_array().map(Vec::len), Some(1));
    // D: SIM_2 (difference −20/√176 ≈ −1.51) makes it closer than SIM_1 (10/√14 ≈ 2.67).
    let d: Vec<&str> = nodes[3]["contributions"]
        .as_array()
        .expect("contributions")
        .iter()
        .map(|c| c["indicator"]["code"].as_str().expect("code"))
        .collect();
    assert_eq!(d, ["SIM_2", "SIM_1"]);

    let two = server.gql(SIMILAR, json!({ "first": 2 })).await;
    let ags: Vec<&Value> = data(&two)["similarMunicipalities"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| &node["municipality"]["ags"])
        .collect();
    assert_eq!(ags, [&json!("05105000"), &json!("05103000")]);

    // 2021: A has SIM_1 alone there, and nobody else does.
    let earlier = server.gql(SIMILAR, json!({ "year": 2021 })).await;
    let earlier = &data(&earlier)["similarMunicipalities"];
    assert_eq!(
        earlier["skipped"],
        json!([{ "indicator": { "code": "SIM_1" }, "reason": "NO_SPREAD" }, { "indicator": { "code": "SIM_2" }, "reason": "NO_VALUE" }])
    );
    assert_eq!(earlier["nodes"], json!([]));

    error_with_code(&server.gql(SIMILAR, json!({ "first": 101 })).await, "BAD_USER_INPUT");
    error_with_code(&server.gql(SIMILAR, json!({ "first": -1 })).await, "BAD_USER_INPUT");
}

#[tokio::test]
async fn good_practices_from_places_like_mine_come_most_alike_first() {
    let server = TestServer::start().await;
    small_set(&server).await;
    let agency = json!({ "input": { "slug": "test-agentur", "name": "Testagentur", "kind": "OTHER" } });
    data(
        &server
            .gql_admin(
                "mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id } }",
                agency,
            )
            .await,
    );
    let create = "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { slug } }";
    for (title, places) in [
        ("Praxis A", vec!["05101000"]),
        ("Praxis B", vec!["05102000"]),
        ("Praxis C", vec!["05103000"]),
        ("Praxis D", vec!["05104000"]),
        ("Praxis B und C", vec!["05102000", "05103000"]),
    ] {
        let input = json!({ "input": { "agencySlug": "test-agentur", "title": title, "summary": "Kurz.", "body": "Text.",
            "municipalityAgs": places, "status": "PUBLISHED" } });
        data(&server.gql_admin(create, input).await);
    }
    let query = r#"query ($after: String, $first: Int) { goodPractices(first: $first, after: $after,
        filter: { fromMunicipalitiesLike: { ags: "05101000", codes: ["SIM_1", "SIM_2"], first: 3 } }) {
        totalCount pageInfo { hasNextPage endCursor } nodes { title } } }"#;
    // The three most alike: F (no practices), C, B. A's own and D's are not among them.
    let all = server.gql(query, json!({ "first": 10 })).await;
    let page = &data(&all)["goodPractices"];
    assert_eq!(page["totalCount"], 3);
    assert_eq!(
        page["nodes"],
        json!([{ "title": "Praxis C" }, { "title": "Praxis B und C" }, { "title": "Praxis B" }])
    );
    let first = server.gql(query, json!({ "first": 2 })).await;
    let first = &data(&first)["goodPractices"];
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let rest = server
        .gql(query, json!({ "first": 2, "after": first["pageInfo"]["endCursor"] }))
        .await;
    assert_eq!(data(&rest)["goodPractices"]["nodes"], json!([{ "title": "Praxis B" }]));
}

fn ranked_ags(response: &Value) -> Vec<String> {
    data(response)["similarMunicipalities"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["municipality"]["ags"].as_str().expect("ags").to_owned())
        .collect()
}

#[tokio::test]
async fn a_new_import_and_a_changed_kind_are_seen_at_once() {
    let server = TestServer::start().await;
    small_set(&server).await;
    let before = server.gql(SIMILAR, json!({})).await;
    assert_eq!(ranked_ags(&before), ["05105000", "05103000", "05102000", "05104000"]);
    // C moves far away.
    let report = import(&server, "05103000;2022;SIM_1;99\n").await;
    assert_eq!(report["updated"], 1, "{report}");
    let after = server.gql(SIMILAR, json!({})).await;
    assert_eq!(ranked_ags(&after).last().map(String::as_str), Some("05103000"));
    // B becomes a town inside a district: no longer compared with the cities.
    let id = data(
        &server
            .gql(r#"{ municipality(ags: "05102000") { id } }"#, json!({}))
            .await,
    )["municipality"]["id"]
        .clone();
    let update =
        "mutation ($id: ID!) { updateMunicipality(id: $id, input: { kind: KREISANGEHOERIGE_GEMEINDE }) { kind } }";
    data(&server.gql_admin(update, json!({ "id": id })).await);
    let moved = server.gql(SIMILAR, json!({})).await;
    assert!(!ranked_ags(&moved).contains(&"05102000".to_owned()), "{moved}");
}

/// An error inside `fromMunicipalitiesLike` names its field under the filter, as the client
/// wrote it (`filter.fromMunicipalitiesLike.ags`), like the filter's other fields.
#[tokio::test]
async fn errors_of_places_like_mine_name_the_field_under_the_filter() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let list = "query ($like: MunicipalitiesLikeInput!) { goodPractices(filter: { fromMunicipalitiesLike: $like }) { totalCount } }";
    for (like, field) in [
        (json!({ "ags": "09999999" }), "filter.fromMunicipalitiesLike.ags"),
        (
            json!({ "ags": "05512000", "codes": ["NO_SUCH_CODE"] }),
            "filter.fromMunicipalitiesLike.codes",
        ),
        (
            json!({ "ags": "05512000", "first": 500 }),
            "filter.fromMunicipalitiesLike.first",
        ),
    ] {
        let answer = server.gql(list, json!({ "like": like })).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
        assert_eq!(answer["errors"][0]["extensions"]["field"], field, "{answer}");
    }
}
