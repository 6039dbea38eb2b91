//! The real map: the Länder and districts every server starts with, their figures and "places
//! like mine" on them, and the lineage of Eisenach.

use dkbm_tests::{TestServer, data, i64_at, str_at};
use serde_json::json;

/// A server that starts as a fresh `serve` does: with the Länder and districts.
pub async fn with_districts() -> TestServer {
    TestServer::start_with(|config| config.no_base_places = false).await
}

const COUNTS: &str = r#"{
  laender: municipalities(filter: { level: STATE }) { totalCount }
  districts: municipalities(filter: { level: DISTRICT }) { totalCount }
  all: municipalities(filter: { level: DISTRICT, includeRetired: true }) { totalCount }
  nrw: municipalities(filter: { within: "05", level: DISTRICT }) { totalCount }
  cities: municipalities(filter: { level: DISTRICT, kind: KREISFREIE_STADT, state: NW }) { totalCount }
}"#;

#[tokio::test]
async fn a_fresh_server_has_the_laender_and_the_401_districts_of_2018() {
    let server = with_districts().await;
    let response = server.gql(COUNTS, json!({})).await;
    let d = data(&response);
    assert_eq!(i64_at(d, "/laender/totalCount"), 16);
    assert_eq!(i64_at(d, "/districts/totalCount"), 400, "Eisenach is retired");
    assert_eq!(i64_at(d, "/all/totalCount"), 401);
    assert_eq!(i64_at(d, "/nrw/totalCount"), 53);
    assert_eq!(i64_at(d, "/cities/totalCount"), 22);

    // A second start adds nothing.
    let db = server.db.clone();
    server.stop().await;
    let again = TestServer::start_on(db, |config| config.no_base_places = false).await;
    let response = again.gql(COUNTS, json!({})).await;
    assert_eq!(i64_at(data(&response), "/all/totalCount"), 401);
}

#[tokio::test]
async fn bottrop_has_its_real_figures_and_the_5_digit_key_finds_it() {
    let server = with_districts().await;
    let response = server
        .gql(
            r#"{
              bottrop: municipality(ags: "05512") {
                ags name kind level population parent { ags name level }
                indicators(codes: ["BEVOELKERUNG", "FLAECHE_KM2", "BEV_DICHTE"]) {
                  year value indicator { code source decimals }
                }
              }
              boerde: municipality(ags: "15083") { name kind level parent { name } }
              land: municipality(ags: "05") { name kind level parent { ags } children(first: 100) { totalCount } }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(str_at(d, "/bottrop/ags"), "05512000");
    assert_eq!(str_at(d, "/bottrop/name"), "Stadt Bottrop");
    assert_eq!(str_at(d, "/bottrop/kind"), "KREISFREIE_STADT");
    assert_eq!(str_at(d, "/bottrop/level"), "DISTRICT");
    assert_eq!(i64_at(d, "/bottrop/population"), 117_383);
    assert_eq!(str_at(d, "/bottrop/parent/name"), "Nordrhein-Westfalen");
    assert_eq!(str_at(d, "/bottrop/parent/level"), "STATE");
    let values = d["bottrop"]["indicators"].as_array().expect("values");
    let value_of = |code: &str| {
        values
            .iter()
            .find(|v| v["indicator"]["code"] == code)
            .unwrap_or_else(|| panic!("{code} of Bottrop: {values:?}"))
    };
    assert_eq!(value_of("BEVOELKERUNG")["value"], 117_383.0);
    assert_eq!(value_of("BEVOELKERUNG")["year"], 2018);
    assert_eq!(value_of("FLAECHE_KM2")["value"], 100.61);
    // 117,383 / 100.61 = 1,166.7 → no decimals.
    assert_eq!(value_of("BEV_DICHTE")["value"], 1167.0);
    let source = value_of("BEV_DICHTE")["indicator"]["source"].as_str().expect("source");
    assert!(
        source.contains("Destatis") && source.contains("landkreise-deutschland"),
        "{source}"
    );
    assert_eq!(str_at(d, "/boerde/name"), "Landkreis Börde");
    assert_eq!(str_at(d, "/boerde/kind"), "KREIS");
    assert_eq!(str_at(d, "/boerde/parent/name"), "Sachsen-Anhalt");
    assert_eq!(str_at(d, "/land/kind"), "LAND");
    assert_eq!(i64_at(d, "/land/children/totalCount"), 53);
    assert!(d["land"]["parent"].is_null());
}

#[tokio::test]
async fn eisenach_answers_retired_with_the_wartburgkreis_as_successor() {
    let server = with_districts().await;
    let response = server
        .gql(
            r#"{
              eisenach: municipality(ags: "16056000") {
                name validUntil successors { municipality { ags name } since reason }
              }
              kreis: municipality(ags: "16063") { validUntil predecessors { municipality { ags } since reason } }
              current: municipalities(filter: { within: "16056" }) { totalCount }
              retired: municipalities(filter: { within: "16056", includeRetired: true }) { totalCount }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(str_at(d, "/eisenach/name"), "Stadt Eisenach");
    assert_eq!(str_at(d, "/eisenach/validUntil"), "2021-06-30");
    assert_eq!(str_at(d, "/eisenach/successors/0/municipality/ags"), "16063");
    assert_eq!(str_at(d, "/eisenach/successors/0/since"), "2021-07-01");
    assert_eq!(str_at(d, "/eisenach/successors/0/reason"), "MERGED");
    assert!(d["kreis"]["validUntil"].is_null());
    assert_eq!(str_at(d, "/kreis/predecessors/0/municipality/ags"), "16056000");
    assert_eq!(i64_at(d, "/current/totalCount"), 0);
    assert_eq!(i64_at(d, "/retired/totalCount"), 1);
}

#[tokio::test]
async fn bottrops_nearest_cities_by_population_and_density_are_real_cities() {
    let server = with_districts().await;
    let response = server
        .gql(
            r#"{
              similarMunicipalities(ags: "05512000", codes: ["BEVOELKERUNG", "BEV_DICHTE"], first: 5) {
                year nodes { municipality { ags name kind } distance }
              }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(i64_at(d, "/similarMunicipalities/year"), 2018);
    let nodes = d["similarMunicipalities"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 5);
    for node in nodes {
        assert_eq!(node["municipality"]["kind"], "KREISFREIE_STADT", "{node}");
        assert_ne!(node["municipality"]["ags"], "05512000");
    }
    let distances: Vec<f64> = nodes
        .iter()
        .map(|n| n["distance"].as_f64().expect("distance"))
        .collect();
    assert!(distances.windows(2).all(|pair| pair[0] <= pair[1]), "{distances:?}");
    // Cities of Bottrop's size (~117,000) and density (~1,170/km²): e.g. Remscheid, Salzgitter
    // is too thin, Berlin too big.
    let agss: Vec<&str> = nodes
        .iter()
        .map(|n| n["municipality"]["ags"].as_str().expect("ags"))
        .collect();
    assert!(!agss.contains(&"11000000"), "Berlin is not like Bottrop: {agss:?}");
}

#[tokio::test]
async fn the_demo_on_the_real_map_enriches_its_places_instead_of_doubling_them() {
    let server = with_districts().await;
    server.seed_demo().await;
    server.seed_demo().await;
    let response = server
        .gql(
            r#"{
              bottrop: municipality(ags: "05512000") { name population educationOffice website }
              all: municipalities(filter: { includeRetired: true }) { totalCount }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(str_at(d, "/bottrop/name"), "Stadt Bottrop");
    assert_eq!(i64_at(d, "/bottrop/population"), 117_383, "the real figure stays");
    assert_eq!(str_at(d, "/bottrop/educationOffice"), "Bildungsbüro");
    assert_eq!(str_at(d, "/bottrop/website"), "https://www.bottrop.de/");
    assert_eq!(
        i64_at(d, "/all/totalCount"),
        16 + 401,
        "the demo's places are real ones"
    );
}

#[tokio::test]
async fn comparisons_and_charts_work_on_the_real_figures() {
    let server = with_districts().await;
    let response = server
        .gql(
            r#"{ compareMunicipalities(ags: ["05512000", "05513000", "15083"], codes: ["BEVOELKERUNG", "BEV_DICHTE"]) {
                year rows { municipality { name } values { value } } } }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(i64_at(d, "/compareMunicipalities/year"), 2018);
    let rows = &d["compareMunicipalities"]["rows"];
    assert_eq!(rows[0]["values"], json!([{ "value": 117_383.0 }, { "value": 1167.0 }]));
    assert_eq!(rows[2]["municipality"]["name"], "Landkreis Börde");
    assert_eq!(rows[2]["values"][1]["value"], 73.0, "171,734 people on 2,366.91 km²");

    let chart = server
        .get("/municipalities/05512000/indicators/BEV_DICHTE.svg?compare=05513000")
        .await;
    assert_eq!(chart.status(), 200);
    assert!(dkbm_tests::header(&chart, "content-type").starts_with("image/svg+xml"));
    let svg = chart.text().await.expect("the chart");
    assert!(svg.contains("Stadt Bottrop") && svg.contains("1.167"), "{svg}");
}

#[tokio::test]
async fn two_instances_starting_at_once_add_the_districts_once() {
    let db = std::sync::Arc::new(dkbm_tests::TestDb::fresh().await);
    let (a, b) = tokio::join!(
        TestServer::start_on(db.clone(), |config| config.no_base_places = false),
        TestServer::start_on(db.clone(), |config| config.no_base_places = false),
    );
    for server in [&a, &b] {
        let response = server.gql(COUNTS, json!({})).await;
        assert_eq!(i64_at(data(&response), "/all/totalCount"), 401);
        let response = server
            .gql(
                r#"{ municipality(ags: "16056000") { successors { since } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(
            data(&response)["municipality"]["successors"].as_array().map(Vec::len),
            Some(1)
        );
    }
}
