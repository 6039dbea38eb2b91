//! Reading the directory: the demo data, every filter and ordering, pagination, node ids.

use std::collections::HashSet;

use dkbm_tests::{TestServer, assert_bad_input, data, str_at};
use serde_json::{Value, json};

const MUNICIPALITIES: &str = r#"
    query ($first: Int, $after: String, $filter: MunicipalityFilter, $orderBy: MunicipalityOrder) {
      municipalities(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id ags name slug kind state population } }
      }
    }"#;

async fn names(server: &TestServer, filter: Value) -> Vec<String> {
    let response = server
        .gql(MUNICIPALITIES, json!({ "first": 100, "filter": filter }))
        .await;
    data(&response)["municipalities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn demo_data_reads_through_the_api() {
    let server = TestServer::start().await;
    server.seed_demo().await;

    let response = server
        .gql(
            r#"{
              bottrop: municipality(ags: "05512000") {
                name kind state educationOffice
                programmes { programme { slug name } }
                agreements { kind signedOn agency { slug name carrier { slug } } municipality { ags } }
              }
              boerde: municipality(slug: "landkreis-borde") {
                ags name kind state
                programmes { fundingCode startsOn endsOn projectTitle programme { name funder } }
              }
              dortmund: municipality(ags: "05913000") { name agreements { kind agency { slug } } }
              agency(slug: "transferagentur-nrw") {
                name kind statesServed carrier { name } accompaniedMunicipalities { ags }
              }
              isa: agency(slug: "isa-ev") { agreements { kind signedOn agency { slug } partnerAgency { slug } } }
              topics { slug labelDe labelEn en: label(lang: "en") }
              programmes { slug participations { municipality { ags } fundingCode } }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(d["bottrop"]["name"], "Stadt Bottrop");
    assert_eq!(d["bottrop"]["kind"], "KREISFREIE_STADT");
    assert_eq!(d["bottrop"]["state"], "NW");
    assert_eq!(d["bottrop"]["educationOffice"], "Bildungsbüro");
    assert_eq!(d["bottrop"]["programmes"][0]["programme"]["slug"], "bildungskommunen");
    assert_eq!(d["bottrop"]["agreements"][0]["kind"], "TARGET_AGREEMENT");
    assert_eq!(d["bottrop"]["agreements"][0]["agency"]["slug"], "transferagentur-nrw");
    assert_eq!(d["bottrop"]["agreements"][0]["agency"]["carrier"]["slug"], "isa-ev");

    assert_eq!(d["boerde"]["ags"], "15083");
    assert_eq!(d["boerde"]["name"], "Landkreis Börde");
    assert_eq!(d["boerde"]["kind"], "KREIS");
    assert_eq!(d["boerde"]["state"], "ST");
    let funding = &d["boerde"]["programmes"][0];
    assert_eq!(funding["fundingCode"], "01JL1815");
    assert_eq!(funding["startsOn"], "2020-03-01");
    assert_eq!(funding["endsOn"], "2022-03-31");
    assert_eq!(funding["programme"]["name"], "Bildung integriert");

    assert_eq!(d["dortmund"]["agreements"][0]["kind"], "COOPERATION_AGREEMENT");
    assert_eq!(d["dortmund"]["agreements"][0]["agency"]["slug"], "schul-inn-do");

    assert_eq!(d["agency"]["kind"], "TRANSFER_AGENCY");
    assert_eq!(d["agency"]["statesServed"], json!(["NW"]));
    assert_eq!(d["agency"]["carrier"]["name"], "Institut für soziale Arbeit e.V. (ISA)");
    assert_eq!(d["agency"]["accompaniedMunicipalities"], json!([{ "ags": "05512000" }]));

    let isa_agreement = &d["isa"]["agreements"][0];
    assert_eq!(isa_agreement["kind"], "COOPERATION_AGREEMENT");
    assert_eq!(isa_agreement["signedOn"], "2021-06-22");
    assert_eq!(isa_agreement["partnerAgency"]["slug"], "ruhrfutur");

    let topics = d["topics"].as_array().expect("topics");
    assert!(topics.len() >= 10);
    let transition = topics
        .iter()
        .find(|t| t["slug"] == "transition-school-work")
        .expect("a transition topic");
    assert_eq!(transition["labelDe"], "Übergang Schule–Beruf");
    assert_eq!(transition["en"], "Transition from school to work");
    assert!(d["programmes"].as_array().is_some_and(|p| p.len() == 2));
}

/// A server with the demo data.
async fn demo() -> TestServer {
    let server = TestServer::start().await;
    server.seed_demo().await;
    server
}

#[tokio::test]
async fn municipalities_filter_by_state_and_kind() {
    let server = demo().await;
    assert_eq!(names(&server, json!({ "state": "ST" })).await, vec!["Landkreis Börde"]);
    assert_eq!(
        names(&server, json!({ "kind": "KREIS" })).await,
        vec![
            "Kreis Düren",
            "Kreis Recklinghausen",
            "Landkreis Börde",
            "Rhein-Erft-Kreis"
        ]
    );
    assert_eq!(
        names(&server, json!({ "kind": "KREIS", "state": "NW", "search": "kreis d" })).await,
        vec!["Kreis Düren"]
    );
}

#[tokio::test]
async fn municipality_search_folds_case_and_umlauts_and_matches_word_prefixes() {
    let server = demo().await;
    for search in ["dort", "Dort", "DORTMUND"] {
        assert_eq!(
            names(&server, json!({ "search": search })).await,
            vec!["Stadt Dortmund"],
            "{search}"
        );
    }
    for search in ["Borde", "Boerde", "börde", "BÖRDE", "landkreis bö"] {
        assert_eq!(
            names(&server, json!({ "search": search })).await,
            vec!["Landkreis Börde"],
            "{search}"
        );
    }
    assert_eq!(
        names(&server, json!({ "search": "stadt bot" })).await,
        vec!["Stadt Bottrop"]
    );
    assert!(
        names(&server, json!({ "search": "ottrop" })).await.is_empty(),
        "prefixes of words only"
    );
    assert!(names(&server, json!({ "search": "xyz" })).await.is_empty());
    assert_eq!(
        names(&server, json!({ "search": "   " })).await.len(),
        8,
        "a blank search filters nothing"
    );
}

#[tokio::test]
async fn municipalities_filter_by_programme_and_agreement() {
    let server = demo().await;
    assert_eq!(
        names(&server, json!({ "programme": "bildung-integriert" })).await,
        vec!["Landkreis Börde"]
    );
    assert_eq!(
        names(&server, json!({ "programme": "bildungskommunen" })).await,
        vec!["Stadt Bottrop"]
    );
    assert_eq!(
        names(&server, json!({ "agreementWith": "transferagentur-nrw" })).await,
        vec!["Stadt Bottrop"]
    );
    assert_eq!(
        names(&server, json!({ "agreementWith": "schul-inn-do" })).await,
        vec!["Stadt Dortmund"]
    );
    assert!(names(&server, json!({ "agreementWith": "ruhrfutur" })).await.is_empty());
    assert!(
        names(&server, json!({ "programme": "bildungskommunen", "state": "ST" }))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn unknown_filter_values_and_overlong_searches_are_named() {
    let server = demo().await;
    let response = server
        .gql(
            MUNICIPALITIES,
            json!({ "filter": { "programme": "no-such-programme" } }),
        )
        .await;
    assert_bad_input(&response, "filter.programme");
    let response = server
        .gql(MUNICIPALITIES, json!({ "filter": { "agreementWith": "nobody" } }))
        .await;
    assert_bad_input(&response, "filter.agreementWith");
    let response = server
        .gql(MUNICIPALITIES, json!({ "filter": { "search": "x".repeat(201) } }))
        .await;
    assert_bad_input(&response, "filter.search");
}

#[tokio::test]
async fn municipality_orderings() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let ordered = |field: &'static str, direction: &'static str| {
        let server = &server;
        async move {
            let response = server
                .gql(
                    MUNICIPALITIES,
                    json!({ "orderBy": { "field": field, "direction": direction } }),
                )
                .await;
            data(&response)["municipalities"]["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|edge| edge["node"].clone())
                .collect::<Vec<_>>()
        }
    };
    let by_name = ordered("NAME", "ASC").await;
    assert_eq!(by_name.first().map(|n| n["name"].clone()), Some(json!("Kreis Düren")));
    assert_eq!(
        by_name.last().map(|n| n["name"].clone()),
        Some(json!("Stadt Gelsenkirchen"))
    );
    let by_name_desc = ordered("NAME", "DESC").await;
    assert_eq!(by_name_desc.iter().rev().cloned().collect::<Vec<_>>(), by_name);

    let by_ags: Vec<String> = ordered("AGS", "ASC")
        .await
        .iter()
        .map(|n| str_at(n, "/ags").to_owned())
        .collect();
    let mut sorted = by_ags.clone();
    sorted.sort();
    assert_eq!(by_ags, sorted);

    let by_population = ordered("POPULATION", "DESC").await;
    assert_eq!(by_population[0]["name"], "Kreis Recklinghausen");
    assert_eq!(by_population[1]["name"], "Stadt Dortmund");
    let populations: Vec<i64> = by_population
        .iter()
        .map(|n| n["population"].as_i64().unwrap_or(-1))
        .collect();
    assert!(populations.windows(2).all(|w| w[0] >= w[1]));

    let by_created = ordered("CREATED_AT", "ASC").await;
    assert_eq!(by_created[0]["ags"], "05512000", "Bottrop was seeded first");
}

/// Pages through the whole list `first` at a time; returns the ids in order.
async fn page_through(server: &TestServer, first: i64, order_by: Value) -> Vec<String> {
    let mut after: Option<String> = None;
    let mut ids = Vec::new();
    loop {
        let response = server
            .gql(
                MUNICIPALITIES,
                json!({ "first": first, "after": after, "orderBy": order_by }),
            )
            .await;
        let connection = &data(&response)["municipalities"];
        for edge in connection["edges"].as_array().expect("edges") {
            ids.push(edge["node"]["id"].as_str().expect("id").to_owned());
        }
        assert_eq!(connection["pageInfo"]["hasPreviousPage"], after.is_some());
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    ids
}

#[tokio::test]
async fn pagination_covers_every_item_once_in_every_ordering() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    for field in ["NAME", "AGS", "POPULATION", "CREATED_AT"] {
        for direction in ["ASC", "DESC"] {
            let order_by = json!({ "field": field, "direction": direction });
            let all = page_through(&server, 100, order_by.clone()).await;
            assert_eq!(all.len(), 8);
            for first in [1, 3, 7] {
                assert_eq!(
                    page_through(&server, first, order_by.clone()).await,
                    all,
                    "{field} {direction} by {first}"
                );
            }
        }
    }
}

#[tokio::test]
async fn pagination_is_stable_under_inserts_between_pages() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let before = page_through(&server, 100, json!(null)).await;

    let first_page = server.gql(MUNICIPALITIES, json!({ "first": 4 })).await;
    let first_ids: Vec<String> = data(&first_page)["municipalities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["id"].as_str().expect("id").to_owned())
        .collect();
    let cursor = data(&first_page)["municipalities"]["pageInfo"]["endCursor"].clone();

    // One municipality sorting before the cursor, one after it.
    for (ags, name) in [("05111000", "Aachen-Vorort"), ("05114000", "Zülpich-Nord")] {
        let response = server
            .gql_admin(
                "mutation ($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { id } }",
                json!({ "input": { "ags": ags, "name": name, "kind": "KREISFREIE_STADT", "state": "NW" } }),
            )
            .await;
        data(&response);
    }
    let rest = server
        .gql(MUNICIPALITIES, json!({ "first": 100, "after": cursor }))
        .await;
    let rest_names: Vec<String> = data(&rest)["municipalities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["name"].as_str().expect("name").to_owned())
        .collect();
    let rest_ids: Vec<String> = data(&rest)["municipalities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["id"].as_str().expect("id").to_owned())
        .collect();
    let seen: Vec<String> = first_ids.iter().chain(rest_ids.iter()).cloned().collect();
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no item twice");
    for id in &before {
        assert!(seen.contains(id), "none of the original items is skipped");
    }
    assert!(
        rest_names.contains(&"Zülpich-Nord".to_owned()),
        "the item inserted after the cursor follows"
    );
    assert!(
        !rest_names.contains(&"Aachen-Vorort".to_owned()),
        "the item inserted before the cursor does not"
    );
}

#[tokio::test]
async fn page_arguments_are_checked() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let response = server.gql(MUNICIPALITIES, json!({ "first": 101 })).await;
    assert_bad_input(&response, "first");
    let response = server.gql(MUNICIPALITIES, json!({ "first": -1 })).await;
    assert_bad_input(&response, "first");
    let response = server.gql(MUNICIPALITIES, json!({ "after": "not-a-cursor" })).await;
    assert_bad_input(&response, "after");

    // A cursor of another ordering or another list is refused.
    let by_name = server.gql(MUNICIPALITIES, json!({ "first": 2 })).await;
    let cursor = data(&by_name)["municipalities"]["pageInfo"]["endCursor"].clone();
    let response = server
        .gql(
            MUNICIPALITIES,
            json!({ "after": cursor, "orderBy": { "field": "AGS", "direction": "ASC" } }),
        )
        .await;
    assert_bad_input(&response, "after");
    let response = server
        .gql(
            "query ($after: String) { agencies(after: $after) { totalCount } }",
            json!({ "after": cursor }),
        )
        .await;
    assert_bad_input(&response, "after");

    // Defaults: 20 items, with the total.
    let response = server.gql(MUNICIPALITIES, json!({})).await;
    let connection = &data(&response)["municipalities"];
    assert_eq!(connection["totalCount"], 8);
    assert_eq!(connection["edges"].as_array().map(Vec::len), Some(8));
    assert_eq!(connection["pageInfo"]["hasNextPage"], false);
    let response = server.gql(MUNICIPALITIES, json!({ "first": 0 })).await;
    assert_eq!(data(&response)["municipalities"]["edges"], json!([]));
    assert_eq!(data(&response)["municipalities"]["totalCount"], 8);
}

#[tokio::test]
async fn municipality_lookup_takes_exactly_one_key() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let response = server
        .gql(
            r#"{ municipality(ags: "05512000", slug: "stadt-bottrop") { name } }"#,
            json!({}),
        )
        .await;
    assert_bad_input(&response, "ags");
    let response = server.gql("{ municipality { name } }", json!({})).await;
    assert_bad_input(&response, "ags");
    let response = server
        .gql(r#"{ municipality(ags: "99999999") { name } }"#, json!({}))
        .await;
    assert_eq!(data(&response)["municipality"], json!(null));
}

#[tokio::test]
async fn agencies_filter_and_order() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let query = "query ($filter: AgencyFilter, $orderBy: AgencyOrder) { agencies(first: 100, filter: $filter, orderBy: $orderBy) { totalCount nodes { slug } } }";
    let slugs = |response: &Value| -> Vec<String> {
        data(response)["agencies"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["slug"].as_str().expect("slug").to_owned())
            .collect()
    };
    let response = server
        .gql(query, json!({ "filter": { "kind": "TRANSFER_AGENCY" } }))
        .await;
    assert_eq!(slugs(&response), vec!["transferagentur-nrw"]);
    let response = server
        .gql(query, json!({ "filter": { "kind": "MUNICIPAL_OFFICE" } }))
        .await;
    assert_eq!(
        slugs(&response),
        vec![
            "bildungsbuero-bottrop",
            "regionales-bildungsbuero-dortmund",
            "bildung-integriert-boerde"
        ]
    );
    let response = server.gql(query, json!({ "filter": { "state": "NW" } })).await;
    assert_eq!(data(&response)["agencies"]["totalCount"], 7);
    let response = server.gql(query, json!({ "filter": { "state": "BY" } })).await;
    assert_eq!(data(&response)["agencies"]["totalCount"], 0);
    let response = server
        .gql(
            query,
            json!({ "orderBy": { "field": "CREATED_AT", "direction": "DESC" } }),
        )
        .await;
    assert_eq!(
        slugs(&response).first().map(String::as_str),
        Some("bildung-integriert-boerde")
    );
    assert_eq!(slugs(&response).last().map(String::as_str), Some("isa-ev"));
}

#[tokio::test]
async fn node_ids_resolve_every_type() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let response = server
        .gql(
            r#"{
              municipality(ags: "15083") { id programmes { id programme { id } } }
              agency(slug: "isa-ev") { id agreements { id } }
              topics { id }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    let ids = [
        (d["municipality"]["id"].clone(), "Municipality"),
        (
            d["municipality"]["programmes"][0]["id"].clone(),
            "ProgrammeParticipation",
        ),
        (
            d["municipality"]["programmes"][0]["programme"]["id"].clone(),
            "Programme",
        ),
        (d["agency"]["id"].clone(), "Agency"),
        (d["agency"]["agreements"][0]["id"].clone(), "Agreement"),
        (d["topics"][0]["id"].clone(), "Topic"),
    ];
    for (id, typename) in &ids {
        let response = server
            .gql(
                "query ($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(data(&response)["node"]["__typename"], *typename);
        assert_eq!(data(&response)["node"]["id"], *id);
    }
    let all: Vec<Value> = ids
        .iter()
        .map(|(id, _)| id.clone())
        .chain([
            json!("garbage"),
            json!("TXVuaWNpcGFsaXR5OjAxOTAwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA"),
        ])
        .collect();
    let response = server
        .gql(
            "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }",
            json!({ "ids": all }),
        )
        .await;
    let nodes = data(&response)["nodes"].as_array().expect("nodes").clone();
    assert_eq!(nodes.len(), 8);
    assert_eq!(nodes[0]["__typename"], "Municipality");
    assert_eq!(nodes[5]["__typename"], "Topic");
    assert_eq!(nodes[6], json!(null), "garbage resolves to null");
    assert_eq!(nodes[7], json!(null), "an unknown id resolves to null");

    let too_many: Vec<Value> = (0..101).map(|_| json!("x")).collect();
    let response = server
        .gql(
            "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": too_many }),
        )
        .await;
    assert_bad_input(&response, "ids");
}
