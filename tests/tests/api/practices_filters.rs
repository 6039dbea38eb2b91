//! The list's filters and facets on the corpus's 120 practices and the demo's 5: each filter
//! returns exactly the practices whose fields match it (computed from the practices themselves
//! and, for the corpus, from the inputs they were created from), and the facets of a filter
//! count exactly what the list of that filter holds.

use std::collections::{BTreeMap, BTreeSet};

use dkbm_tests::{TestServer, array_at, assert_bad_input, corpus, data, str_at};
use serde_json::{Value, json};

use crate::practices_search::{SEARCH, corpus_of_125, slugs};

/// What the filters look at in a practice.
#[derive(Debug, Clone, PartialEq)]
struct Profile {
    slug: String,
    agency: String,
    topics: BTreeSet<String>,
    target_groups: BTreeSet<String>,
    stages: BTreeSet<String>,
    ags: BTreeSet<String>,
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("a list: {value}"))
        .iter()
        .map(|item| item.as_str().unwrap_or_else(|| panic!("a string: {item}")).to_owned())
        .collect()
}

/// The profile of a practice as the API shows it.
fn shown(node: &Value) -> Profile {
    let slugs_of = |pointer: &str, field: &str| -> BTreeSet<String> {
        array_at(node, pointer)
            .iter()
            .map(|item| str_at(item, field).to_owned())
            .collect()
    };
    Profile {
        slug: str_at(node, "/slug").to_owned(),
        agency: str_at(node, "/agency/slug").to_owned(),
        topics: slugs_of("/topics", "/slug"),
        target_groups: strings(&node["targetGroups"]),
        stages: strings(&node["educationStages"]),
        ags: slugs_of("/municipalities", "/ags"),
    }
}

/// The profile of a corpus practice as it was created.
fn created(input: &Value) -> Profile {
    Profile {
        slug: str_at(input, "/slug").to_owned(),
        agency: str_at(input, "/agencySlug").to_owned(),
        topics: strings(&input["topics"]),
        target_groups: strings(&input["targetGroups"]),
        stages: strings(&input["educationStages"]),
        ags: strings(&input["municipalityAgs"]),
    }
}

const PROFILES: &str = "query ($after: String, $filter: GoodPracticeFilter) {
  goodPractices(first: 100, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    nodes { slug agency { slug } topics { slug } targetGroups educationStages municipalities { ags } } } }";

/// Every practice the list holds for `filter`, paged through to the end.
async fn profiles(server: &TestServer, filter: Value) -> Vec<Profile> {
    let mut found = Vec::new();
    let mut after = Value::Null;
    loop {
        let response = server.gql(PROFILES, json!({ "after": after, "filter": filter })).await;
        let connection = &data(&response)["goodPractices"];
        found.extend(array_at(connection, "/nodes").iter().map(shown));
        if connection["pageInfo"]["hasNextPage"] != true {
            return found;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

fn slug_set<'a>(profiles: impl IntoIterator<Item = &'a Profile>) -> BTreeSet<String> {
    profiles.into_iter().map(|p| p.slug.clone()).collect()
}

fn has_any(values: &BTreeSet<String>, wanted: &[&str]) -> bool {
    values.iter().any(|value| wanted.contains(&value.as_str()))
}

type Matches = Box<dyn Fn(&Profile) -> bool>;

/// Filters on one field each (and one on two), with what a practice must have to match.
fn filter_cases() -> Vec<(Value, Matches)> {
    vec![
        (json!({ "agency": "ruhrfutur" }), Box::new(|p| p.agency == "ruhrfutur")),
        (
            json!({ "targetGroups": ["NEWLY_ARRIVED"] }),
            Box::new(|p| has_any(&p.target_groups, &["NEWLY_ARRIVED"])),
        ),
        (
            json!({ "targetGroups": ["SENIORS", "NEWLY_ARRIVED"] }),
            Box::new(|p| has_any(&p.target_groups, &["SENIORS", "NEWLY_ARRIVED"])),
        ),
        (
            json!({ "educationStages": ["EARLY_CHILDHOOD"] }),
            Box::new(|p| has_any(&p.stages, &["EARLY_CHILDHOOD"])),
        ),
        (
            json!({ "educationStages": ["VOCATIONAL", "ADULT_EDUCATION"] }),
            Box::new(|p| has_any(&p.stages, &["VOCATIONAL", "ADULT_EDUCATION"])),
        ),
        (
            json!({ "municipalityAgs": "05512000" }),
            Box::new(|p| has_any(&p.ags, &["05512000"])),
        ),
        (
            json!({ "agency": "transferagentur-nrw", "educationStages": ["PRIMARY"] }),
            Box::new(|p| p.agency == "transferagentur-nrw" && has_any(&p.stages, &["PRIMARY"])),
        ),
    ]
}

#[tokio::test]
async fn each_filter_returns_exactly_the_practices_that_match_it() {
    let server = corpus_of_125().await;
    let all = profiles(&server, json!({})).await;
    assert_eq!(all.len(), 125);
    let corpus = corpus::practices(120);
    // The corpus practices are shown as they were created.
    let mut as_created: Vec<Profile> = corpus.iter().map(created).collect();
    let mut as_shown: Vec<Profile> = all.iter().filter(|p| p.slug.starts_with("korpus-")).cloned().collect();
    as_created.sort_by(|a, b| a.slug.cmp(&b.slug));
    as_shown.sort_by(|a, b| a.slug.cmp(&b.slug));
    assert_eq!(as_shown, as_created);

    for (filter, matches) in filter_cases() {
        let expected = slug_set(all.iter().filter(|p| matches(p)));
        assert!(
            !expected.is_empty() && expected.len() < all.len(),
            "{filter}: the corpus must have practices on both sides ({} of {})",
            expected.len(),
            all.len()
        );
        // The expectation for the corpus part, straight from the inputs.
        let from_inputs = slug_set(as_created.iter().filter(|p| matches(p)));
        let corpus_part: BTreeSet<String> = expected.iter().filter(|s| s.starts_with("korpus-")).cloned().collect();
        assert_eq!(corpus_part, from_inputs, "{filter}");

        let listed = profiles(&server, filter.clone()).await;
        assert_eq!(listed.len(), expected.len(), "{filter}: each practice once");
        assert_eq!(slug_set(&listed), expected, "{filter}");
        let (total, _) = slugs(&server, filter.clone(), 1).await;
        assert_eq!(
            usize::try_from(total).expect("a count"),
            expected.len(),
            "{filter}: totalCount"
        );
    }
}

#[tokio::test]
async fn filters_narrow_the_list_and_bad_filters_are_named() {
    let server = corpus_of_125().await;
    let total = |filter: Value| {
        let server = &server;
        async move { slugs(server, filter, 1).await.0 }
    };
    let all = total(json!({})).await;
    assert_eq!(all, 125);
    // The demo's Dortmund practice is the only one with both topics.
    let schools = total(json!({ "topics": ["school-development"] })).await;
    let families = total(json!({ "topics": ["family-education"] })).await;
    let either = total(json!({ "topics": ["school-development", "family-education"] })).await;
    let both = total(json!({ "topics": ["school-development", "family-education"], "topicsMatch": "ALL" })).await;
    assert_eq!(both, 1);
    assert!(either > schools.max(families));
    assert_eq!(either, schools + families - both);
    let nrw = total(json!({ "state": "NW" })).await;
    let sachsen_anhalt = total(json!({ "state": "ST" })).await;
    assert!(nrw > 0 && sachsen_anhalt > 0);
    assert_eq!(nrw + sachsen_anhalt, all, "every practice has one municipality");
    assert_eq!(total(json!({ "updatedSince": "2999-01-01T00:00:00Z" })).await, 0);
    assert_eq!(total(json!({ "updatedSince": "2000-01-01T00:00:00Z" })).await, all);
    assert_bad_input(
        &server.gql(SEARCH, json!({ "filter": { "topics": ["nope"] } })).await,
        "filter.topics",
    );
    assert_bad_input(
        &server.gql(SEARCH, json!({ "filter": { "agency": "nope" } })).await,
        "filter.agency",
    );
    assert_bad_input(
        &server
            .gql(SEARCH, json!({ "filter": { "municipalityAgs": "00000000" } }))
            .await,
        "filter.municipalityAgs",
    );
}

const FACETS: &str = "query ($filter: GoodPracticeFilter) { goodPracticeFacets(filter: $filter) { totalCount
  topics { topic { slug } count } states { state count } agencies { agency { slug } count }
  targetGroups { targetGroup count } educationStages { educationStage count } } }";

/// A facet list as value → count; `key` points at the value in each item.
fn counts(facets: &Value, list: &str, key: &str) -> BTreeMap<String, i64> {
    let items = array_at(facets, list);
    assert!(!items.is_empty(), "the {list} facet lists something: {facets}");
    items
        .iter()
        .map(|item| (str_at(item, key).to_owned(), item["count"].as_i64().expect("a count")))
        .collect()
}

/// How many of `profiles` have each value of `values`.
fn tally<'a, V: IntoIterator<Item = &'a String>>(
    profiles: &'a [Profile],
    values: impl Fn(&'a Profile) -> V,
) -> BTreeMap<String, i64> {
    let mut tally = BTreeMap::new();
    for profile in profiles {
        for value in values(profile) {
            *tally.entry(value.clone()).or_insert(0) += 1;
        }
    }
    tally
}

#[tokio::test]
async fn facets_for_a_filter_count_exactly_what_the_list_for_the_same_filter_holds() {
    let server = corpus_of_125().await;
    let filter = json!({ "search": "Schulen", "state": "NW" });
    let response = server.gql(FACETS, json!({ "filter": filter })).await;
    let facets = data(&response)["goodPracticeFacets"].clone();
    let listed = profiles(&server, filter.clone()).await;
    assert!(!listed.is_empty() && listed.len() < 125, "{}", listed.len());
    assert_eq!(facets["totalCount"], listed.len());
    assert_eq!(facets["states"], json!([{ "state": "NW", "count": listed.len() }]));
    assert_eq!(
        counts(&facets, "/agencies", "/agency/slug"),
        tally(&listed, |p| [&p.agency])
    );
    assert_eq!(counts(&facets, "/topics", "/topic/slug"), tally(&listed, |p| &p.topics));
    assert_eq!(
        counts(&facets, "/targetGroups", "/targetGroup"),
        tally(&listed, |p| &p.target_groups)
    );
    assert_eq!(
        counts(&facets, "/educationStages", "/educationStage"),
        tally(&listed, |p| &p.stages)
    );

    // Each facet value, added to the filter, gives a list of its count.
    let narrowings = [
        ("/topics", "/topic/slug", "topics", true),
        ("/agencies", "/agency/slug", "agency", false),
        ("/targetGroups", "/targetGroup", "targetGroups", true),
        ("/educationStages", "/educationStage", "educationStages", true),
    ];
    for (list, key, field, is_list) in narrowings {
        for (value, count) in counts(&facets, list, key) {
            let mut narrowed = filter.clone();
            narrowed[field] = if is_list { json!([value]) } else { json!(value) };
            let (total, _) = slugs(&server, narrowed.clone(), 1).await;
            assert_eq!(total, count, "{narrowed}");
        }
    }
}
