//! Finding good practices: German full-text search (stemming, umlauts, phrases, ranking,
//! snippets) the same on SQLite and PostgreSQL, every ordering, pagination, and the statement
//! count of a page (filters and facets: `practices_filters`).

use std::collections::HashSet;
use std::sync::Arc;

use dkbm_tests::{Role, Session, TestDb, TestServer, array_at, assert_bad_input, corpus, data, on_postgres, str_at};
use serde_json::{Value, json};

pub(crate) const SEARCH: &str = r#"
    query ($filter: GoodPracticeFilter, $first: Int, $after: String, $orderBy: GoodPracticeOrder) {
      goodPractices(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor snippet highlightedTitle node { slug title summary } }
      }
    }"#;

pub(crate) async fn slugs(server: &TestServer, filter: Value, first: i64) -> (i64, Vec<String>) {
    let response = server.gql(SEARCH, json!({ "filter": filter, "first": first })).await;
    let connection = &data(&response)["goodPractices"];
    let slugs = connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["slug"].as_str().expect("slug").to_owned())
        .collect();
    (connection["totalCount"].as_i64().expect("total"), slugs)
}

async fn titles(server: &TestServer, search: &str) -> Vec<String> {
    let response = server
        .gql(SEARCH, json!({ "filter": { "search": search }, "first": 100 }))
        .await;
    data(&response)["goodPractices"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["title"].as_str().expect("title").to_owned())
        .collect()
}

/// The queries both backends must answer alike.
const QUERIES: &[&str] = &[
    "Übergänge",
    "Übergang",
    "Schulen",
    "Kinder",
    "Familien Beratung",
    "Börde",
    "Boerde",
    "Borde",
    "BÖRDE Stabsstelle",
    "\"Übergang Schule\"",
    "\"Schule und Beruf\"",
    "Sprachförderung Kita",
    "Bildungsmonitoring",
    "Bildungsbericht Stadtteilen",
    "Museen",
    "Ehrenamtliche",
    "Volkshochschule Grundbildung",
    "Sozialindex",
    "Netzwerke Vereine",
    "Digitalisierung",
];

#[tokio::test]
async fn german_search_meets_inflections_spellings_and_phrases() {
    let server = TestServer::start().await;
    corpus::load(&server, 60).await;

    // Stemming: the plural finds the singular and back.
    let plural = titles(&server, "Übergänge").await;
    assert!(!plural.is_empty());
    assert_eq!(plural, titles(&server, "Übergang").await);
    let in_title: Vec<bool> = plural
        .iter()
        .map(|t| t.contains("Übergang") || t.contains("Übergänge"))
        .collect();
    assert!(
        in_title[0] && in_title.windows(2).all(|w| w[0] || !w[1]),
        "title hits first: {plural:?}"
    );
    assert_eq!(titles(&server, "Schulen").await, titles(&server, "Schule").await);
    // Case and umlauts: Börde, Boerde, Borde and BÖRDE alike.
    let boerde = titles(&server, "Börde").await;
    assert!(boerde.iter().any(|t| t.contains("Landkreis Börde")), "{boerde:?}");
    for spelling in ["Boerde", "Borde", "BÖRDE", "börde"] {
        assert_eq!(titles(&server, spelling).await, boerde, "{spelling}");
    }
    // Every word must occur; a phrase must occur as a phrase.
    let both = titles(&server, "Sprachförderung Kita").await;
    let phrase = titles(&server, "\"Sprachförderung beginnt\"").await;
    assert!(!both.is_empty() && !phrase.is_empty());
    assert!(
        titles(&server, "\"beginnt Sprachförderung\"").await.is_empty(),
        "word order matters in a phrase"
    );
    assert!(
        titles(&server, "Übergänge Museen Sozialindex Volkshochschule")
            .await
            .is_empty()
    );
    // Stop words alone find nothing (rather than everything).
    let (total, _) = slugs(&server, json!({ "search": "und der die" }), 5).await;
    assert_eq!(total, 65, "a search of stop words only filters nothing");

    // Snippets and highlighted titles.
    let response = server
        .gql(SEARCH, json!({ "filter": { "search": "Übergänge" }, "first": 3 }))
        .await;
    let edge = &data(&response)["goodPractices"]["edges"][0];
    assert!(
        edge["highlightedTitle"]
            .as_str()
            .is_some_and(|t| t.contains("<mark>Übergang")),
        "{edge}"
    );
    assert!(edge["snippet"].as_str().is_some_and(|s| s.contains("<mark>")), "{edge}");
    let response = server.gql(SEARCH, json!({ "first": 1 })).await;
    assert_eq!(
        data(&response)["goodPractices"]["edges"][0]["snippet"],
        json!(null),
        "no snippet outside a search"
    );
}

#[tokio::test]
async fn relevance_puts_title_hits_first_and_pages_cleanly() {
    let server = TestServer::start().await;
    corpus::load(&server, 80).await;
    let response = server
        .gql(
            SEARCH,
            json!({ "filter": { "search": "Bildungsmonitoring" }, "first": 100 }),
        )
        .await;
    let edges = data(&response)["goodPractices"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    let in_title: Vec<bool> = edges
        .iter()
        .map(|e| str_at(e, "/node/title").contains("Bildungsmonitoring"))
        .collect();
    let first_body_only = in_title.iter().position(|hit| !hit).unwrap_or(in_title.len());
    assert!(
        in_title[first_body_only..].iter().all(|hit| !hit),
        "title hits come first: {in_title:?}"
    );
    assert!(first_body_only > 0);

    // Page through the hits: the same hits, once each, in the same order.
    let all: Vec<String> = edges
        .iter()
        .map(|e| e["node"]["slug"].as_str().expect("slug").to_owned())
        .collect();
    let mut paged = Vec::new();
    let mut after = Value::Null;
    loop {
        let response = server
            .gql(
                SEARCH,
                json!({ "filter": { "search": "Bildungsmonitoring" }, "first": 7, "after": after }),
            )
            .await;
        let connection = &data(&response)["goodPractices"];
        paged.extend(
            connection["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"]["slug"].as_str().expect("slug").to_owned()),
        );
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(paged, all);
    // A cursor of one search is no cursor of another.
    let response = server
        .gql(
            SEARCH,
            json!({ "filter": { "search": "Bildungsmonitoring" }, "first": 2 }),
        )
        .await;
    let cursor = data(&response)["goodPractices"]["pageInfo"]["endCursor"].clone();
    let response = server
        .gql(SEARCH, json!({ "filter": { "search": "Kinder" }, "after": cursor }))
        .await;
    assert_bad_input(&response, "after");
    let response = server.gql(SEARCH, json!({ "orderBy": { "field": "RELEVANCE" } })).await;
    assert_bad_input(&response, "orderBy.field");
}

/// Loads the corpus into a server on `db` and answers every query of [`QUERIES`].
async fn answers(db: TestDb) -> Vec<(String, i64, Vec<String>)> {
    let server = TestServer::start_on(Arc::new(db), |_| {}).await;
    corpus::load(&server, 240).await;
    let mut answers = Vec::new();
    for query in QUERIES {
        let (total, top) = slugs(&server, json!({ "search": query }), 10).await;
        answers.push(((*query).to_owned(), total, top));
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgresql_return_the_same_top_results() {
    let sqlite = answers(TestDb::fresh_sqlite().await).await;
    for (query, total, top) in &sqlite {
        assert!(*total > 0, "{query} finds something in the corpus");
        assert!(!top.is_empty());
    }
    let Some(url) = std::env::var("DKBM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        // Without PostgreSQL (the SQLite run of the suite) only the SQLite half runs; the
        // PostgreSQL run of the suite compares both.
        assert!(!on_postgres());
        return;
    };
    let postgres = answers(TestDb::fresh_postgres(&url).await).await;
    for (left, right) in sqlite.iter().zip(&postgres) {
        assert_eq!(left, right, "SQLite and PostgreSQL differ for {}", left.0);
    }
}

/// A server with the corpus's 120 practices and the demo's 5.
pub(crate) async fn corpus_of_125() -> TestServer {
    let server = TestServer::start().await;
    corpus::load(&server, 120).await;
    server
}

#[tokio::test]
async fn every_ordering_pages_through_all_practices_once() {
    let server = corpus_of_125().await;
    // Orderings, each paged through completely.
    for (field, direction) in [
        ("TITLE", "ASC"),
        ("TITLE", "DESC"),
        ("PUBLISHED_AT", "DESC"),
        ("UPDATED_AT", "ASC"),
    ] {
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let response = server
                .gql(
                    SEARCH,
                    json!({ "first": 40, "after": after, "orderBy": { "field": field, "direction": direction } }),
                )
                .await;
            let connection = &data(&response)["goodPractices"];
            for edge in connection["edges"].as_array().expect("edges") {
                seen.push(edge["node"]["title"].as_str().expect("title").to_owned());
            }
            if connection["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = connection["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen.len(), 125, "{field}");
        if field == "TITLE" {
            let folded: Vec<String> = seen.iter().map(|t| dkbm_hub::text::fold(t)).collect();
            let mut sorted = folded.clone();
            sorted.sort();
            if direction == "DESC" {
                sorted.reverse();
            }
            assert_eq!(folded, sorted);
        }
    }
    let unique: HashSet<String> = slugs(&server, json!({}), 100).await.1.into_iter().collect();
    assert_eq!(unique.len(), 100);
}

const PAGE: &str = r#"
    query ($first: Int) {
      goodPractices(first: $first) {
        edges { node { slug title agency { name } topics { slug labelDe } municipalities { ags name } targetGroups educationStages } }
      }
    }"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_practices_costs_a_constant_number_of_statements() {
    let server = TestServer::start().await;
    corpus::load(&server, 60).await;
    let mut counts = Vec::new();
    for first in [10, 50] {
        let before = server.statements();
        let response = server.gql(PAGE, json!({ "first": first })).await;
        assert_eq!(
            data(&response)["goodPractices"]["edges"].as_array().map(Vec::len),
            Some(first)
        );
        counts.push(server.statements() - before);
    }
    assert_eq!(counts[0], counts[1], "10 and 50 practices: {counts:?}");
    // The page with its agencies and municipalities, then the topics for the whole page
    // (target groups and stages come from the rows). An anonymous read first reads the data
    // version (the response cache; on SQLite its data_version pragma).
    assert_eq!(counts[1], 3, "{counts:?}");
}

const ROOT_SEARCH: &str = r#"
    query ($q: String!, $first: Int, $after: String) {
      search(query: $q, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor score snippet highlightedTitle node { __typename ... on GoodPractice { slug status } } }
      }
    }"#;

/// 60 practices of the corpus and the demo's, and a draft on Bildungsmonitoring by a Ruhrfutur
/// editor; the server and the editor.
async fn corpus_with_a_draft() -> (TestServer, Session) {
    let server = TestServer::start().await;
    corpus::load(&server, 60).await;
    let editor = server
        .member_with_role("redaktion@ruhrfutur.de", Role::Editor, Some("ruhrfutur"))
        .await;
    let draft = json!({ "input": { "agencySlug": "ruhrfutur", "title": "Geheimer Entwurf zum Bildungsmonitoring", "summary": "Noch nicht fertig.", "body": "Entwurf" } });
    data(
        &server
            .gql_as(
                &editor,
                "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id } }",
                draft,
            )
            .await,
    );
    (server, editor)
}

#[tokio::test]
async fn the_root_search_returns_published_practices_and_events_best_first() {
    let (server, _) = corpus_with_a_draft().await;
    let response = server
        .gql(ROOT_SEARCH, json!({ "q": "Bildungsmonitoring", "first": 100 }))
        .await;
    let connection = &data(&response)["search"];
    let edges = connection["edges"].as_array().expect("edges").clone();
    assert!(!edges.is_empty());
    assert_eq!(connection["totalCount"], edges.len());
    // Practices (published ones only) and the demo's events on Bildungsmonitoring.
    let practices: Vec<&Value> = edges
        .iter()
        .filter(|edge| edge["node"]["__typename"] == "GoodPractice")
        .collect();
    assert!(practices.iter().all(|edge| edge["node"]["status"] == "PUBLISHED"));
    assert!(edges.iter().all(|edge| matches!(
        edge["node"]["__typename"].as_str(),
        Some("GoodPractice" | "TrainingEvent")
    )));
    assert!(edges.iter().any(|edge| edge["node"]["__typename"] == "TrainingEvent"));
    let scores: Vec<i64> = edges
        .iter()
        .map(|edge| edge["score"].as_i64().expect("score"))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    assert!(
        edges[0]["highlightedTitle"]
            .as_str()
            .is_some_and(|t| t.contains("<mark>"))
    );
    assert!(edges.iter().all(|edge| edge["snippet"].is_string()));
    // The list's search and the root search agree.
    let (total, _) = slugs(&server, json!({ "search": "Bildungsmonitoring" }), 1).await;
    assert_eq!(i64::try_from(practices.len()).expect("fits"), total);
}

#[tokio::test]
async fn only_the_agencys_editors_find_its_drafts() {
    let (server, editor) = corpus_with_a_draft().await;
    let response = server
        .gql_as(&editor, ROOT_SEARCH, json!({ "q": "Geheimer Entwurf" }))
        .await;
    assert_eq!(data(&response)["search"]["totalCount"], 1);
    let response = server.gql(ROOT_SEARCH, json!({ "q": "Geheimer Entwurf" })).await;
    assert_eq!(data(&response)["search"]["totalCount"], 0);
}

#[tokio::test]
async fn paging_the_root_search_gives_the_same_hits_once_each() {
    let (server, _) = corpus_with_a_draft().await;
    let response = server
        .gql(ROOT_SEARCH, json!({ "q": "Bildungsmonitoring", "first": 100 }))
        .await;
    let edges = array_at(data(&response), "/search/edges");
    let all: Vec<Value> = edges.iter().map(|edge| edge["node"]["slug"].clone()).collect();
    let mut paged = Vec::new();
    let mut after = Value::Null;
    loop {
        let response = server
            .gql(
                ROOT_SEARCH,
                json!({ "q": "Bildungsmonitoring", "first": 6, "after": after }),
            )
            .await;
        let connection = &data(&response)["search"];
        paged.extend(
            connection["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|edge| edge["node"]["slug"].clone()),
        );
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(paged, all);
    assert_bad_input(&server.gql(ROOT_SEARCH, json!({ "q": "  und  " })).await, "query");
    assert_bad_input(
        &server.gql(ROOT_SEARCH, json!({ "q": "Kinder", "after": after })).await,
        "after",
    );
}

#[tokio::test]
async fn facet_states_follow_a_municipality_that_changes_state() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let states = "{ goodPracticeFacets { states { state count } } }";
    assert_eq!(
        data(&server.gql(states, json!({})).await)["goodPracticeFacets"]["states"],
        json!([{ "state": "NW", "count": 4 }, { "state": "ST", "count": 1 }])
    );
    let boerde =
        data(&server.gql(r#"{ municipality(ags: "15083") { id } }"#, json!({})).await)["municipality"]["id"].clone();
    let update = "mutation ($id: ID!) { updateMunicipality(id: $id, input: {state: NI, ags: \"03083\"}) { state } }";
    assert_eq!(
        data(&server.gql_admin(update, json!({ "id": boerde })).await)["updateMunicipality"]["state"],
        "NI"
    );
    assert_eq!(
        data(&server.gql(states, json!({})).await)["goodPracticeFacets"]["states"],
        json!([{ "state": "NW", "count": 4 }, { "state": "NI", "count": 1 }])
    );
    let (total, _) = slugs(&server, json!({ "state": "NI" }), 5).await;
    assert_eq!(total, 1);
}

#[tokio::test]
async fn a_practice_in_two_states_keeps_both_when_one_municipality_moves() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let editor = server
        .member_with_role("redaktion@bottrop.de", Role::Editor, Some("bildungsbuero-bottrop"))
        .await;
    let mut input = crate::practices::practice_input("bildungsbuero-bottrop", "Übergänge in zwei Ländern");
    input["municipalityAgs"] = json!(["05512000", "15083"]);
    input["status"] = json!("PUBLISHED");
    let created = server
        .gql_as(&editor, crate::practices::CREATE, json!({ "input": input }))
        .await;
    let slug = data(&created)["createGoodPractice"]["slug"].clone();
    let boerde =
        data(&server.gql(r#"{ municipality(ags: "15083") { id } }"#, json!({})).await)["municipality"]["id"].clone();
    let update = "mutation ($id: ID!) { updateMunicipality(id: $id, input: {state: NI, ags: \"03083\"}) { state } }";
    data(&server.gql_admin(update, json!({ "id": boerde })).await);
    let in_state = |state: &'static str| {
        let (server, slug) = (&server, slug.clone());
        async move {
            let list = "query ($f: GoodPracticeFilter) { goodPractices(first: 100, filter: $f) { nodes { slug } } }";
            let response = server.gql(list, json!({ "f": { "state": state } })).await;
            data(&response)["goodPractices"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .any(|node| node["slug"] == slug)
        }
    };
    assert!(in_state("NW").await, "still in NW through Bottrop");
    assert!(in_state("NI").await, "now in NI through the moved district");
    assert!(!in_state("ST").await, "no longer in ST");
}
