//! Good practices: the editorial workflow (drafts, publishing, archiving, versions), who sees
//! and edits what, and every kind of bad input (answered precisely, nothing half-written).

use dkbm_tests::{Role, Session, TestServer, assert_bad_input, data, error_with_code};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

pub const CREATE: &str = "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id slug status version title bodyHtml agency { slug } topics { slug } municipalities { ags } targetGroups educationStages contact { name role email } links { label url } license sourceUrl externalId publishedAt } }";
const UPDATE: &str = "mutation ($id: ID!, $v: Int!, $input: UpdateGoodPracticeInput!) { updateGoodPractice(id: $id, expectedVersion: $v, input: $input) { version title summary contact { name role email } topics { slug } sourceUrl license } }";
const PUBLISH: &str =
    "mutation ($id: ID!, $v: Int) { publishGoodPractice(id: $id, expectedVersion: $v) { status version publishedAt } }";
const ARCHIVE: &str =
    "mutation ($id: ID!, $v: Int) { archiveGoodPractice(id: $id, expectedVersion: $v) { status version archivedAt } }";
const BY_SLUG: &str = "query ($slug: String!) { goodPractice(slug: $slug) { title status version } }";
const LIST: &str = "query ($filter: GoodPracticeFilter) { goodPractices(first: 100, filter: $filter) { totalCount nodes { slug status } } }";

pub fn practice_input(agency: &str, title: &str) -> Value {
    json!({
        "agencySlug": agency,
        "title": title,
        "summary": "Eine kurze Zusammenfassung des Praxisbeispiels.",
        "body": "## Vorgehen\n\nWir haben **gemeinsam** gearbeitet.",
        "topics": ["transition-school-work", "education-monitoring"],
        "municipalityAgs": ["05512000"],
        "targetGroups": ["YOUNG_PEOPLE"],
        "educationStages": ["TRANSITION_SCHOOL_WORK"],
        "contact": { "name": "Elisa Czernik", "role": "Bildungsbüro", "email": "bildungsbuero@bottrop.de" },
        "links": [{ "label": "Stadt Bottrop", "url": "https://www.bottrop.de" }],
        "license": "CC-BY-4.0",
        "sourceUrl": "https://www.bottrop.de/bildung",
    })
}

async fn row_counts(server: &TestServer) -> Vec<i64> {
    let db = server.state.conn();
    let mut counts = Vec::new();
    for table in [
        "good_practice",
        "good_practice_topic",
        "good_practice_municipality",
        "good_practice_target_group",
        "good_practice_stage",
        "practice_change",
    ] {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        counts.push(row.try_get::<i64>("", "n").expect("n"));
    }
    counts
}

struct Cast {
    editor: Session,
    other_editor: Session,
    member: Session,
    admin: Session,
}

async fn cast(server: &TestServer) -> Cast {
    server.seed_demo().await;
    Cast {
        editor: server
            .member_with_role("redaktion@bottrop.de", Role::Editor, Some("bildungsbuero-bottrop"))
            .await,
        other_editor: server
            .member_with_role("redaktion@ruhrfutur.de", Role::Editor, Some("ruhrfutur"))
            .await,
        member: server.sign_up("mitglied@bottrop.de").await,
        admin: server.member_with_role("admin@dkbm.de", Role::Admin, None).await,
    }
}

/// The Bottrop editor's draft "Berufsorientierung in Bottrop"; the `createGoodPractice` answer.
async fn bottrop_draft(server: &TestServer, cast: &Cast) -> Value {
    let response = server
        .gql_as(
            &cast.editor,
            CREATE,
            json!({ "input": practice_input("bildungsbuero-bottrop", "Berufsorientierung in Bottrop") }),
        )
        .await;
    data(&response)["createGoodPractice"].clone()
}

/// Publishes a practice at version 1 as the Bottrop editor; the `publishGoodPractice` answer.
async fn publish(server: &TestServer, cast: &Cast, id: &Value) -> Value {
    let response = server.gql_as(&cast.editor, PUBLISH, json!({ "id": id, "v": 1 })).await;
    data(&response)["publishGoodPractice"].clone()
}

#[tokio::test]
async fn a_new_practice_is_a_draft_only_its_agency_sees_and_changes() {
    let server = TestServer::start().await;
    let cast = cast(&server).await;
    let practice = bottrop_draft(&server, &cast).await;
    assert_eq!(practice["status"], "DRAFT");
    assert_eq!(practice["version"], 1);
    assert_eq!(practice["slug"], "berufsorientierung-in-bottrop");
    assert_eq!(
        practice["bodyHtml"],
        "<h2>Vorgehen</h2>\n<p>Wir haben <strong>gemeinsam</strong> gearbeitet.</p>\n"
    );
    assert_eq!(practice["topics"].as_array().map(Vec::len), Some(2));
    assert_eq!(practice["contact"]["email"], "bildungsbuero@bottrop.de");
    assert_eq!(practice["publishedAt"], json!(null));
    let id = practice["id"].clone();
    let slug = json!({ "slug": "berufsorientierung-in-bottrop" });

    // A draft is the owner agency's business.
    for viewer in [None, Some(&cast.member), Some(&cast.other_editor)] {
        let token = viewer.map(|s| s.access_token.as_str());
        assert_eq!(
            data(&server.gql_with(token, BY_SLUG, slug.clone()).await)["goodPractice"],
            json!(null)
        );
        let node = server
            .gql_with(token, "query ($id: ID!) { node(id: $id) { id } }", json!({ "id": id }))
            .await;
        assert_eq!(data(&node)["node"], json!(null));
        let all = server
            .gql_with(
                token,
                LIST,
                json!({ "filter": { "status": ["DRAFT", "PUBLISHED", "ARCHIVED"] } }),
            )
            .await;
        assert_eq!(
            data(&all)["goodPractices"]["totalCount"],
            5,
            "only the demo's published practices"
        );
    }
    assert_eq!(
        data(&server.gql_as(&cast.editor, BY_SLUG, slug.clone()).await)["goodPractice"]["status"],
        "DRAFT"
    );
    let own = server
        .gql_as(&cast.editor, LIST, json!({ "filter": { "status": ["DRAFT"] } }))
        .await;
    assert_eq!(data(&own)["goodPractices"]["totalCount"], 1);
    // Outsiders cannot change it (and do not learn it exists).
    error_with_code(
        &server.gql_as(&cast.other_editor, PUBLISH, json!({ "id": id })).await,
        "NOT_FOUND",
    );
    error_with_code(&server.gql(PUBLISH, json!({ "id": id })).await, "NOT_FOUND");
}

#[tokio::test]
async fn a_published_practice_is_public_and_only_its_agency_edits_it() {
    let server = TestServer::start().await;
    let cast = cast(&server).await;
    let id = bottrop_draft(&server, &cast).await["id"].clone();
    let slug = json!({ "slug": "berufsorientierung-in-bottrop" });
    let published = publish(&server, &cast, &id).await;
    assert_eq!(published["status"], "PUBLISHED");
    assert_eq!(published["version"], 2);
    assert!(published["publishedAt"].is_string());
    assert_eq!(
        data(&server.gql(BY_SLUG, slug.clone()).await)["goodPractice"]["status"],
        "PUBLISHED"
    );
    // Published practices of another agency: not editable by its editors.
    let response = server
        .gql_as(
            &cast.other_editor,
            UPDATE,
            json!({ "id": id, "v": 2, "input": { "title": "Übernommen" } }),
        )
        .await;
    error_with_code(&response, "FORBIDDEN");
    error_with_code(
        &server.gql_as(&cast.member, ARCHIVE, json!({ "id": id })).await,
        "FORBIDDEN",
    );
    error_with_code(&server.gql(ARCHIVE, json!({ "id": id })).await, "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_archived_practice_leaves_the_public_and_comes_back_with_its_first_publication_date() {
    let server = TestServer::start().await;
    let cast = cast(&server).await;
    let id = bottrop_draft(&server, &cast).await["id"].clone();
    let slug = json!({ "slug": "berufsorientierung-in-bottrop" });
    let published_at = publish(&server, &cast, &id).await["publishedAt"].clone();
    assert!(published_at.is_string());
    let response = server.gql_as(&cast.admin, ARCHIVE, json!({ "id": id, "v": 2 })).await;
    assert_eq!(data(&response)["archiveGoodPractice"]["status"], "ARCHIVED");
    assert_eq!(
        data(&server.gql(BY_SLUG, slug.clone()).await)["goodPractice"],
        json!(null),
        "archived: gone from the public"
    );
    // Archived → published again keeps the first publication date.
    let response = server.gql_as(&cast.editor, PUBLISH, json!({ "id": id })).await;
    assert_eq!(data(&response)["publishGoodPractice"]["publishedAt"], published_at);
    let response = server.gql_as(&cast.editor, PUBLISH, json!({ "id": id })).await;
    error_with_code(&response, "CONFLICT");
}

/// Target groups and stages are read from the practice's facet masks: after an update they are
/// the new ones, in name order, for the practice alone, in the list and in the change feed, and
/// a later update that leaves them keeps them.
#[tokio::test]
async fn target_groups_and_stages_follow_an_update_everywhere() {
    let server = TestServer::start().await;
    let cast = cast(&server).await;
    let input = practice_input("bildungsbuero-bottrop", "Lernpatenschaften");
    let response = server.gql_as(&cast.editor, CREATE, json!({ "input": input })).await;
    let id = data(&response)["createGoodPractice"]["id"].clone();
    let changed = json!({ "targetGroups": ["SENIORS", "CHILDREN", "ADMINISTRATION"], "educationStages": ["VOCATIONAL", "EARLY_CHILDHOOD"] });
    let update = |version: i64, input: Value| json!({ "id": id, "v": version, "input": input });
    data(&server.gql_as(&cast.editor, UPDATE, update(1, changed)).await);
    // An update that leaves them rewrites the practice's links from what it has now.
    let retitled = json!({ "title": "Lernpatenschaften im Quartier" });
    data(&server.gql_as(&cast.editor, UPDATE, update(2, retitled)).await);
    data(&server.gql_as(&cast.editor, PUBLISH, json!({ "id": id })).await);
    let expected = json!({ "id": id, "targetGroups": ["ADMINISTRATION", "CHILDREN", "SENIORS"], "educationStages": ["EARLY_CHILDHOOD", "VOCATIONAL"] });
    let fields = "id targetGroups educationStages";

    let query = format!("query ($id: ID!) {{ node(id: $id) {{ ... on GoodPractice {{ {fields} }} }} }}");
    assert_eq!(data(&server.gql(&query, json!({ "id": id })).await)["node"], expected);
    // The practice among a list of practices.
    let ours = |practices: &Value| {
        practices
            .as_array()
            .expect("a list")
            .iter()
            .find(|p| p["id"] == id)
            .cloned()
    };
    let query = format!("{{ goodPractices(first: 100) {{ nodes {{ {fields} }} }} }}");
    let listed = data(&server.gql(&query, json!({})).await)["goodPractices"]["nodes"].clone();
    assert_eq!(ours(&listed), Some(expected.clone()));
    let query = format!("{{ goodPracticeChanges(first: 1000) {{ entries {{ practice {{ {fields} }} }} }} }}");
    let entries = data(&server.gql(&query, json!({})).await)["goodPracticeChanges"]["entries"].clone();
    let mirrored: Vec<Value> = entries
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["practice"].clone())
        .collect();
    assert_eq!(ours(&Value::Array(mirrored)), Some(expected));
}

#[tokio::test]
async fn updates_name_their_version() {
    let server = TestServer::start().await;
    let cast = cast(&server).await;
    let response = server
        .gql_as(
            &cast.editor,
            CREATE,
            json!({ "input": practice_input("bildungsbuero-bottrop", "Lernpatenschaften") }),
        )
        .await;
    let id = data(&response)["createGoodPractice"]["id"].clone();

    // Leave vs clear: the title changes, the contact's role is cleared, the rest stays.
    let response = server
        .gql_as(&cast.editor, UPDATE, json!({ "id": id, "v": 1, "input": { "title": "Lernpatenschaften für Grundschulkinder", "contactRole": null, "topics": ["early-education"] } }))
        .await;
    let updated = &data(&response)["updateGoodPractice"];
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["title"], "Lernpatenschaften für Grundschulkinder");
    assert_eq!(
        updated["contact"],
        json!({ "name": "Elisa Czernik", "role": null, "email": "bildungsbuero@bottrop.de" })
    );
    assert_eq!(updated["topics"], json!([{ "slug": "early-education" }]));
    assert_eq!(updated["sourceUrl"], "https://www.bottrop.de/bildung");
    assert_eq!(updated["summary"], "Eine kurze Zusammenfassung des Praxisbeispiels.");

    // A stale version: CONFLICT with the current version, and nothing written.
    let before = row_counts(&server).await;
    let response = server
        .gql_as(
            &cast.editor,
            UPDATE,
            json!({ "id": id, "v": 1, "input": { "title": "Veraltet" } }),
        )
        .await;
    let error = error_with_code(&response, "CONFLICT");
    assert_eq!(error["extensions"]["currentVersion"], 2);
    assert_eq!(row_counts(&server).await, before);
    let check = server
        .gql_as(
            &cast.editor,
            "query ($id: ID!) { node(id: $id) { ... on GoodPractice { title version } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        data(&check)["node"],
        json!({ "title": "Lernpatenschaften für Grundschulkinder", "version": 2 })
    );
}

#[tokio::test]
async fn bad_input_is_answered_precisely_and_writes_nothing() {
    let server = TestServer::start().await;
    let cast = cast(&server).await;
    let before = row_counts(&server).await;
    let with = |change: Value| {
        let mut input = practice_input("bildungsbuero-bottrop", "Gültiger Titel");
        for (key, value) in change.as_object().expect("object") {
            input[key] = value.clone();
        }
        json!({ "input": input })
    };
    let cases = [
        (json!({ "title": "x".repeat(301) }), "input.title"),
        (json!({ "title": "   " }), "input.title"),
        (json!({ "body": "ä".repeat(110 * 1024) }), "input.body"),
        (json!({ "summary": "" }), "input.summary"),
        (json!({ "topics": ["no-such-topic"] }), "input.topics"),
        (json!({ "municipalityAgs": ["99999999"] }), "input.municipalityAgs"),
        (json!({ "sourceUrl": "javascript:alert(1)" }), "input.sourceUrl"),
        (
            json!({ "links": [{ "label": "x", "url": "ftp://example.org" }] }),
            "input.links.0.url",
        ),
        (
            json!({ "links": [{ "label": "", "url": "https://example.org" }] }),
            "input.links.0.label",
        ),
        (json!({ "contact": { "email": "not an email" } }), "input.contact.email"),
        (json!({ "license": "CC BY 4.0!" }), "input.license"),
        (json!({ "slug": "Not A Slug" }), "input.slug"),
        (json!({ "agencySlug": "nobody" }), "input.agencySlug"),
    ];
    for (change, field) in cases {
        let response = server.gql_as(&cast.editor, CREATE, with(change.clone())).await;
        assert_bad_input(&response, field);
    }
    assert_eq!(row_counts(&server).await, before, "nothing half-written");

    // A slug that is taken: CONFLICT when asked for, a free variant when derived.
    let taken = with(json!({ "slug": "datengrundlage-bildungsbuero-bottrop" }));
    let response = server.gql_as(&cast.editor, CREATE, taken).await;
    assert_eq!(
        error_with_code(&response, "CONFLICT")["extensions"]["field"],
        "input.slug"
    );
    let first = server.gql_as(&cast.editor, CREATE, with(json!({}))).await;
    let second = server.gql_as(&cast.editor, CREATE, with(json!({}))).await;
    assert_eq!(data(&first)["createGoodPractice"]["slug"], "gultiger-titel");
    assert_eq!(data(&second)["createGoodPractice"]["slug"], "gultiger-titel-2");
    // External ids are unique per agency.
    let response = server
        .gql_as(&cast.editor, CREATE, with(json!({ "externalId": "bot-1" })))
        .await;
    data(&response);
    let response = server
        .gql_as(&cast.editor, CREATE, with(json!({ "externalId": "bot-1" })))
        .await;
    assert_eq!(
        error_with_code(&response, "CONFLICT")["extensions"]["field"],
        "input.externalId"
    );
    // Editors create only for their own agency.
    let response = server.gql_as(&cast.other_editor, CREATE, with(json!({}))).await;
    error_with_code(&response, "FORBIDDEN");
}

#[tokio::test]
async fn html_in_markdown_is_sanitised() {
    let server = TestServer::start().await;
    let cast = cast(&server).await;
    let mut input = practice_input("bildungsbuero-bottrop", "Sicherheit");
    input["body"] = json!(
        "<script>alert('x')</script>\n\n<a href=\"javascript:alert(1)\">klick</a> <img src=x onerror=\"alert(1)\"> <b>fett</b>"
    );
    let response = server.gql_as(&cast.editor, CREATE, json!({ "input": input })).await;
    let html = data(&response)["createGoodPractice"]["bodyHtml"]
        .as_str()
        .expect("html")
        .to_owned();
    for bad in ["<script", "javascript:", "onerror", "alert("] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(html.contains("<b>fett</b>"), "{html}");
}

/// Everything a reader of a published practice gets, in one answer.
const WHOLE_PRACTICE: &str = "query ($slug: String!) { goodPractice(slug: $slug) {
  id slug title summary body bodyHtml status version license sourceUrl externalId
  agency { id slug name } municipalities { ags name state } topics { slug labelDe } targetGroups educationStages
  contact { name role email } links { label url } provenance { upstreamVersion originAgency { slug } }
  createdAt updatedAt publishedAt archivedAt } }";

#[tokio::test]
async fn a_published_practice_read_by_slug() {
    let server = TestServer::start().await;
    let cast = cast(&server).await;
    let id = bottrop_draft(&server, &cast).await["id"].clone();
    publish(&server, &cast, &id).await;

    let response = server
        .gql(WHOLE_PRACTICE, json!({ "slug": "berufsorientierung-in-bottrop" }))
        .await;
    insta::assert_json_snapshot!(data(&response), {
        ".goodPractice.id" => crate::redact::id(),
        ".goodPractice.agency.id" => crate::redact::id(),
        ".goodPractice.createdAt" => crate::redact::timestamp(),
        ".goodPractice.updatedAt" => crate::redact::timestamp(),
        ".goodPractice.publishedAt" => crate::redact::timestamp(),
    });
}
