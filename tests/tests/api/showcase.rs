//! The showcase data set through the public API: loaded on top of the compact demo, with the
//! real districts on the map, it publishes practices across many districts and Länder,
//! schedules twelve upcoming events, opens three forums with conversations — and a second load
//! creates nothing.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use dkbm_tests::{TestServer, array_at, data, i64_at, str_at};
use serde_json::{Value, json};

/// What the showcase's practices and events say of themselves.
const FICTIONAL_PRACTICE: &str = "(Fiktives Beispiel für die Demo-Daten.)";
const FICTIONAL_EVENT: &str = "(Fiktive Veranstaltung für die Demo-Daten.)";

const FORUMS: [&str; 3] = ["uebergang-schule-beruf", "fruehe-bildung", "datenschutz-datenaustausch"];

const PRACTICES: &str =
    "{ goodPractices(first: 100) { totalCount nodes { slug title summary municipalities { ags state } } } }";
const EVENTS: &str = "{ trainingEvents(first: 100) { totalCount nodes { slug description startsAt } } }";
const FORUM_LIST: &str =
    "{ forums(first: 100) { totalCount nodes { slug threadCount threads(first: 10) { nodes { postCount } } } } }";

/// A server with the Länder and districts on its map, the compact demo and the showcase.
async fn showcase_server() -> TestServer {
    let server = TestServer::start_with(|config| config.no_base_places = false).await;
    dkbm_hub::seed::demo(&server.app).await.expect("seed the demo data");
    let created = dkbm_hub::seed::showcase(&server.app).await.expect("seed the showcase");
    assert!(created > 0, "the first load creates the showcase");
    server
}

/// The nodes of the showcase (those whose `field` ends with `marker`).
fn showcase_nodes<'a>(response: &'a Value, pointer: &str, field: &str, marker: &str) -> Vec<&'a Value> {
    array_at(response, pointer)
        .iter()
        .filter(|node| str_at(node, field).ends_with(marker))
        .collect()
}

fn assert_practices_spread(practices: &Value) {
    let showcase = showcase_nodes(practices, "/data/goodPractices/nodes", "/summary", FICTIONAL_PRACTICE);
    assert!(showcase.len() >= 55, "{} showcase practices", showcase.len());
    let titles: BTreeSet<&str> = showcase.iter().map(|node| str_at(node, "/title")).collect();
    assert_eq!(titles.len(), showcase.len(), "every title is distinct");
    let places: Vec<&Value> = showcase
        .iter()
        .flat_map(|node| array_at(node, "/municipalities"))
        .collect();
    let districts: BTreeSet<&str> = places.iter().map(|place| str_at(place, "/ags")).collect();
    let states: BTreeSet<&str> = places.iter().map(|place| str_at(place, "/state")).collect();
    assert!(districts.len() >= 30, "{} districts: {districts:?}", districts.len());
    assert!(states.len() >= 8, "{} Länder: {states:?}", states.len());
    assert!(!districts.contains("16056000"), "Eisenach is not a district any more");
}

fn assert_events_upcoming(events: &Value) {
    let showcase = showcase_nodes(events, "/data/trainingEvents/nodes", "/description", FICTIONAL_EVENT);
    assert_eq!(showcase.len(), 12, "{events:#}");
    let (now, horizon) = (Utc::now(), Utc::now() + Duration::days(183));
    for event in showcase {
        let starts: DateTime<Utc> = str_at(event, "/startsAt").parse().expect("a date-time");
        assert!(starts > now && starts < horizon, "{event}");
    }
}

fn assert_forums_talk(forums: &Value) {
    let nodes = array_at(forums, "/data/forums/nodes");
    for slug in FORUMS {
        let forum = nodes
            .iter()
            .find(|forum| forum["slug"] == slug)
            .unwrap_or_else(|| panic!("no forum {slug} in {forums:#}"));
        assert_eq!(i64_at(forum, "/threadCount"), 2, "{forum}");
        for thread in array_at(forum, "/threads/nodes") {
            assert!(i64_at(thread, "/postCount") >= 3, "a thread with replies: {thread}");
        }
    }
}

#[tokio::test]
async fn showcase_spreads_over_the_country_and_loads_once() {
    let server = showcase_server().await;

    let practices = server.gql(PRACTICES, json!({})).await;
    data(&practices);
    assert_practices_spread(&practices);
    let events = server.gql(EVENTS, json!({})).await;
    data(&events);
    assert_events_upcoming(&events);
    let forums = server.gql_admin(FORUM_LIST, json!({})).await;
    data(&forums);
    assert_forums_talk(&forums);

    let again = dkbm_hub::seed::showcase(&server.app)
        .await
        .expect("seed the showcase again");
    assert_eq!(again, 0, "a second load creates nothing");
    let practices_again = server.gql(PRACTICES, json!({})).await;
    let total = "/data/goodPractices/totalCount";
    assert_eq!(i64_at(&practices_again, total), i64_at(&practices, total));
    let events_again = server.gql(EVENTS, json!({})).await;
    let total = "/data/trainingEvents/totalCount";
    assert_eq!(i64_at(&events_again, total), i64_at(&events, total));
    let forums_again = server.gql_admin(FORUM_LIST, json!({})).await;
    assert_eq!(forums_again, forums, "forums and threads unchanged");
}
