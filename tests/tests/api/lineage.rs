//! Lineage of organisations: a programme succeeded by another and an agency renamed, answered by
//! the old slug with the successors; what administrators may record and what they may not.

use dkbm_tests::{TestServer, assert_bad_input, data, str_at};
use serde_json::json;

const RECORD: &str = r#"mutation ($input: RecordSuccessionInput!) {
  recordSuccession(input: $input) {
    predecessorAgency { slug } successorAgency { slug } predecessorProgramme { slug } successorProgramme { slug }
  }
}"#;

#[tokio::test]
async fn the_demo_programme_answers_by_its_old_slug_with_its_successor() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let response = server
        .gql(
            r#"{
              old: programme(slug: "bildung-integriert") { name successors { programme { slug name } since reason } predecessors { since } }
              new: programme(slug: "bildungskommunen") { predecessors { programme { slug } reason } successors { since } }
            }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(str_at(d, "/old/name"), "Bildung integriert");
    assert_eq!(str_at(d, "/old/successors/0/programme/slug"), "bildungskommunen");
    assert_eq!(str_at(d, "/old/successors/0/since"), "2022-01-01");
    assert_eq!(str_at(d, "/old/successors/0/reason"), "SUCCEEDED");
    assert_eq!(d["old"]["predecessors"], json!([]));
    assert_eq!(str_at(d, "/new/predecessors/0/programme/slug"), "bildung-integriert");
    assert_eq!(d["new"]["successors"], json!([]));
}

#[tokio::test]
async fn an_agency_renamed_answers_by_its_old_slug_and_bad_successions_write_nothing() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let input = |from: &str, to: &str, reason: &str| json!({ "input": { "kind": "AGENCY", "fromSlug": from, "toSlug": to, "since": "2024-01-01", "reason": reason } });
    let response = server
        .gql_admin(
            RECORD,
            input("netzwerkbuero-rheinisches-revier", "transferagentur-nrw", "MERGED"),
        )
        .await;
    let d = data(&response);
    assert_eq!(
        str_at(d, "/recordSuccession/predecessorAgency/slug"),
        "netzwerkbuero-rheinisches-revier"
    );
    assert_eq!(
        str_at(d, "/recordSuccession/successorAgency/slug"),
        "transferagentur-nrw"
    );
    assert!(d["recordSuccession"]["predecessorProgramme"].is_null());

    let response = server
        .gql(
            r#"{ agency(slug: "netzwerkbuero-rheinisches-revier") { slug successors { agency { slug } since reason } } }"#,
            json!({}),
        )
        .await;
    let d = data(&response);
    assert_eq!(str_at(d, "/agency/successors/0/agency/slug"), "transferagentur-nrw");
    assert_eq!(str_at(d, "/agency/successors/0/reason"), "MERGED");

    let again = server
        .gql_admin(
            RECORD,
            input("netzwerkbuero-rheinisches-revier", "transferagentur-nrw", "MERGED"),
        )
        .await;
    assert_eq!(again["errors"][0]["extensions"]["code"], "CONFLICT", "{again}");
    assert_bad_input(
        &server.gql_admin(RECORD, input("nobody", "isa-ev", "RENAMED")).await,
        "input.fromSlug",
    );
    assert_bad_input(
        &server.gql_admin(RECORD, input("isa-ev", "nobody", "RENAMED")).await,
        "input.toSlug",
    );
    assert_bad_input(
        &server.gql_admin(RECORD, input("isa-ev", "isa-ev", "RENAMED")).await,
        "input.toSlug",
    );
    let places_reason = server.gql_admin(RECORD, input("isa-ev", "ruhrfutur", "REKEYED")).await;
    assert!(
        places_reason["errors"].is_array(),
        "REKEYED is for places: {places_reason}"
    );
    let anonymous = server.gql(RECORD, input("isa-ev", "ruhrfutur", "RENAMED")).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{anonymous}"
    );

    let response = server
        .gql(
            r#"{ agency(slug: "isa-ev") { successors { since } predecessors { since } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data(&response)["agency"],
        json!({ "successors": [], "predecessors": [] })
    );
}
