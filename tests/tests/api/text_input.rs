//! The rule for control characters in text input, on both backends: NUL and the other C0
//! controls (tab, line feed, carriage return excepted) are BAD_USER_INPUT naming where they
//! were, lookups included, and nothing is written; in a partner's batch only the bad item is
//! rejected.

use dkbm_tests::{Role, TestServer, array_at, assert_bad_input, data, str_at};
use serde_json::{Value, json};

const NUL: &str = "\u{0}";

#[tokio::test]
async fn lookups_with_a_control_character_are_bad_input_not_server_errors() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let forum = server
        .gql(
            r#"query ($s: String!) { forum(slug: $s) { id } }"#,
            json!({ "s": format!("{NUL}&") }),
        )
        .await;
    assert_bad_input(&forum, "slug");
    // Inline in the document, too.
    let practice = server
        .gql("{ goodPractice(slug: \"bottrop\\u0000\") { id } }", json!({}))
        .await;
    assert_bad_input(&practice, "slug");
    let login = server
        .gql(
            "mutation ($e: String!) { logIn(email: $e, password: \"irrelevant-password\") { accessToken } }",
            json!({ "e": format!("elisa{NUL}@bottrop.de") }),
        )
        .await;
    assert_bad_input(&login, "email");
    // Other C0 controls as well; nested input fields are named by their path.
    let municipalities = server
        .gql(
            "query ($f: MunicipalityFilter) { municipalities(filter: $f) { totalCount } }",
            json!({ "f": { "search": "dort\u{1b}[31m" } }),
        )
        .await;
    assert_bad_input(&municipalities, "filter.search");
}

/// The error points at the argument (lines and columns count from 1), not at "line 0,
/// column 0".
#[tokio::test]
async fn a_refused_control_character_is_located_at_its_argument() {
    let server = TestServer::start().await;
    for (query, variables, at) in [
        ("{\n  goodPractice(slug: \"a\\u0000\") { id }\n}", json!({}), (2, 16)),
        (
            "query ($s: String!) {\n  forum(slug: $s) { id }\n}",
            json!({ "s": NUL }),
            (2, 9),
        ),
    ] {
        let answer = server.gql(query, variables).await;
        assert_bad_input(&answer, "slug");
        let location = &answer["errors"][0]["locations"][0];
        assert_eq!(
            (location["line"].as_u64(), location["column"].as_u64()),
            (Some(at.0), Some(at.1)),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn a_write_with_a_control_character_writes_nothing() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let editor = server
        .member_with_role("redaktion@bottrop.de", Role::Editor, Some("bildungsbuero-bottrop"))
        .await;
    let before = practice_rows(&server).await;
    let mut input = crate::practices::practice_input("bildungsbuero-bottrop", "Titel mit\u{7}Glocke");
    input["links"] = json!([{ "label": "Stadt", "url": format!("https://www.bottrop.de/{NUL}") }]);
    let response = server
        .gql_as(&editor, crate::practices::CREATE, json!({ "input": input }))
        .await;
    assert_bad_input(&response, "input.title");
    assert_eq!(practice_rows(&server).await, before, "nothing written");
    // A title is one line: a tab in it is refused as well.
    let tabbed = crate::practices::practice_input("bildungsbuero-bottrop", "Titel\tmit Tab");
    let response = server
        .gql_as(&editor, crate::practices::CREATE, json!({ "input": tabbed }))
        .await;
    assert_bad_input(&response, "input.title");
    assert_eq!(practice_rows(&server).await, before, "nothing written");
    // In running text tabs and line breaks are text; they pass.
    let mut fine = crate::practices::practice_input("bildungsbuero-bottrop", "Titel ohne Steuerzeichen");
    fine["summary"] = json!("Kurz\tmit Tab");
    fine["body"] = json!("Zeile eins\r\nZeile zwei\n");
    let created = server
        .gql_as(&editor, crate::practices::CREATE, json!({ "input": fine }))
        .await;
    assert!(str_at(&created, "/data/createGoodPractice/id").len() > 1);
    assert_eq!(practice_rows(&server).await, before + 1);
}

async fn practice_rows(server: &TestServer) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let db = server.state.conn();
    let statement = Statement::from_string(db.get_database_backend(), "SELECT COUNT(*) AS n FROM good_practice");
    let row = db.query_one_raw(statement).await.expect("count").expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

fn item(external_id: &str, title: &str) -> Value {
    json!({
        "externalId": external_id,
        "title": title,
        "summary": "Ein Praxisbeispiel aus dem Partnerportal.",
        "body": "Gemeinsam mit den Schulen.",
        "topics": ["transition-school-work"],
        "municipalityAgs": ["05512000"],
    })
}

#[tokio::test]
async fn in_a_batch_only_the_item_with_a_control_character_is_rejected() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let editor = server
        .member_with_role("sync@ruhrfutur.de", Role::Editor, Some("ruhrfutur"))
        .await;
    let mut items: Vec<Value> = (0..9)
        .map(|n| item(&format!("rf-{n}"), &format!("Praxis {n}")))
        .collect();
    items.push(item("rf-nul", &format!("Praxis{NUL}")));
    items.push(item(&format!("rf{NUL}id"), "Praxis mit kaputter Kennung"));
    let mut bad_topic = item("rf-topic", "Praxis mit kaputtem Thema");
    bad_topic["topics"] = json!([format!("transition{NUL}")]);
    items.push(bad_topic);
    let sync = "mutation ($items: [GoodPracticeSyncItem!]!) { syncGoodPractices(items: $items) {
        created rejected items { externalId outcome errors { field } } } }";
    let response = server.gql_as(&editor, sync, json!({ "items": items })).await;
    let report = &data(&response)["syncGoodPractices"];
    assert_eq!(report["created"], 9, "{response}");
    assert_eq!(report["rejected"], 3);
    let fields: Vec<&str> = array_at(report, "/items")
        .iter()
        .filter(|item| item["outcome"] == "REJECTED")
        .map(|item| str_at(item, "/errors/0/field"))
        .collect();
    assert_eq!(fields, ["title", "externalId", "topics.0"]);
}

#[tokio::test]
async fn the_exports_refuse_control_characters_in_their_path_and_query() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    for path in [
        "/events/kick%00off.ics",
        "/events.ics?topic=monitoring%00",
        "/events.ics?organizer=%01",
    ] {
        let response = server.get(path).await;
        assert_eq!(response.status(), 400, "{path}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{path}");
    }
}
