//! Confidential means confidential: outside the accompaniment (another municipality's staff,
//! another agency's editor, anonymous) an agreement shows what one without it shows, in
//! queries, `node`, search, the public cache and the chart and report routes; who may grant
//! MUNICIPAL_STAFF; the overviews; the member's data in the export and after deletion.

use dkbm_tests::{Session, assert_bad_input, data, error_with_code, str_at};
use serde_json::{Value, json};

use super::{ADD_GOAL, GELSENKIRCHEN, RECORD, Workspace, grant_staff, school_goal, workspace};

/// What an agreement without an accompaniment shows.
fn assert_looks_empty(seen: &Value) {
    assert_eq!(
        seen["title"], "Zielvereinbarung Gelsenkirchen",
        "the public part stays: {seen}"
    );
    assert_eq!(seen["status"], "ACTIVE", "the status is public");
    for field in ["version", "request", "nextReviewOn"] {
        assert_eq!(seen[field], Value::Null, "{field}: {seen}");
    }
    for field in ["goals", "activities", "reviews"] {
        assert_eq!(seen[field], json!([]), "{field}: {seen}");
    }
    assert_eq!(seen["timeline"], json!({ "totalCount": 0, "nodes": [] }));
}

/// A filled accompaniment: request, a measured goal, an activity, a submitted review.
async fn filled(w: &Workspace) -> (Value, Value) {
    let request =
        json!({ "request": "Vertrauliches Anliegen Zauberwort", "status": "ACTIVE", "nextReviewOn": "2027-02-01" });
    data(&w.update(&w.editor, request).await);
    let goal = w.add_goal(&w.staff, school_goal()).await;
    let input = json!({ "agreementId": w.agreement, "kind": "CONSULTATION", "occurredOn": "2026-09-01", "title": "Beratung Zauberwort" });
    let activity =
        data(&w.server.gql_as(&w.editor, RECORD, json!({ "input": input })).await)["recordAgreementActivity"].clone();
    let review = "mutation ($input: AgreementReviewInput!) { submitAgreementReview(input: $input) { id } }";
    let input = json!({ "agreementId": w.agreement, "heldOn": "2026-10-01", "reflection": "Zauberwort im Rückblick",
        "goals": [{ "goalId": goal["id"], "status": "AT_RISK" }], "nextReviewOn": "2027-02-01" });
    data(&w.server.gql_as(&w.staff, review, json!({ "input": input })).await);
    (goal, activity)
}

#[tokio::test]
async fn outsiders_see_nothing_more_than_an_agreement_without_an_accompaniment() {
    let w = workspace().await;
    // Anonymous, before: cached by the public response cache.
    let before = w.agreement_as(None).await;
    let (goal, activity) = filled(&w).await;
    // A practice drafted from it carries the confidential request: a draft, the agency's own.
    let draft = "mutation ($a: ID!) { draftPracticeFromAgreement(agreementId: $a, goalIds: []) { status body } }";
    let drafted = w.server.gql_as(&w.editor, draft, json!({ "a": w.agreement })).await;
    assert!(str_at(data(&drafted), "/draftPracticeFromAgreement/body").contains("Zauberwort"));
    let feed = "{ goodPracticeChanges(first: 1000) { entries { practice { title summary body } } } }";
    for outsider in [Some(&w.other_staff), Some(&w.other_editor), None] {
        assert_looks_empty(&w.agreement_as(outsider).await);
        let token = outsider.map(|s| s.access_token.as_str());
        for id in [&goal["id"], &activity["id"]] {
            let node = w
                .server
                .gql_with(token, "query ($id: ID!) { node(id: $id) { id } }", json!({ "id": id }))
                .await;
            assert_eq!(data(&node)["node"], Value::Null, "{node}");
        }
        // Search and the change feed know nothing of it.
        let hits = w
            .server
            .gql_with(token, "{ search(query: \"Zauberwort\") { totalCount } }", json!({}))
            .await;
        assert_eq!(data(&hits)["search"]["totalCount"], 0, "{hits}");
        let changes = w.server.gql_with(token, feed, json!({})).await;
        assert!(!data(&changes).to_string().contains("Zauberwort"), "{changes}");
        // The routes answer like for a missing agreement.
        for path in [
            format!("/agreements/{}/report.html", w.agreement),
            format!("/agreements/{}/goals/{}.svg", w.agreement, str_at(&goal, "/id")),
        ] {
            let mut request = w.server.get_request(&path);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.expect("GET");
            assert_eq!(response.status(), 404, "{path}");
        }
    }
    assert_eq!(before["goals"], json!([]));
    // Outsiders cannot change it: FORBIDDEN on the (public) agreement, NOT_FOUND on a goal.
    let add = json!({ "input": { "agreementId": w.agreement, "title": "Fremdes Ziel" } });
    error_with_code(
        &w.server.gql_as(&w.other_editor, ADD_GOAL, add.clone()).await,
        "FORBIDDEN",
    );
    error_with_code(&w.server.gql_with(None, ADD_GOAL, add).await, "UNAUTHENTICATED");
    let update = "mutation ($input: UpdateAgreementGoalInput!) { updateAgreementGoal(input: $input) { id } }";
    let foreign = w
        .server
        .gql_as(
            &w.other_staff,
            update,
            json!({ "input": { "id": goal["id"], "title": "x" } }),
        )
        .await;
    error_with_code(&foreign, "NOT_FOUND");
    error_with_code(&w.update(&w.other_editor, json!({ "request": "x" })).await, "FORBIDDEN");

    // Inside, node() finds them, and the routes answer.
    let node = w
        .server
        .gql_as(
            &w.staff,
            "query ($id: ID!) { node(id: $id) { ... on AgreementGoal { title } } }",
            json!({ "id": goal["id"] }),
        )
        .await;
    assert_eq!(data(&node)["node"]["title"], "Weniger Jugendliche ohne Abschluss");
    let report = w
        .server
        .get_as(&w.staff, &format!("/agreements/{}/report.html", w.agreement))
        .await;
    assert_eq!(report.status(), 200);
    assert_eq!(report.headers()["cache-control"], "private, no-store");
    let html = report.text().await.expect("the report");
    for part in [
        "Vertrauliches Anliegen Zauberwort",
        "Weniger Jugendliche ohne Abschluss",
        "Beratung Zauberwort",
        "Zauberwort im Rückblick",
        "gefährdet",
        "-40 %",
        "<svg",
        "@media print",
    ] {
        assert!(html.contains(part), "{part} missing in the report");
    }
    let chart = w
        .server
        .get_as(
            &w.editor,
            &format!("/agreements/{}/goals/{}.svg", w.agreement, str_at(&goal, "/id")),
        )
        .await;
    assert_eq!(chart.status(), 200);
    let svg = chart.text().await.expect("the chart");
    assert!(svg.contains("Ziel 2027") && svg.contains("Gelsenkirchen"), "{svg}");
}

#[tokio::test]
async fn municipal_staff_is_granted_by_an_accompanying_agency_admin_or_an_administrator() {
    let w = workspace().await;
    let someone = w.server.sign_up("neu@gelsenkirchen.de").await;
    // No agreement with Bottrop: the agency's administrator may not grant for it.
    error_with_code(
        &grant_staff(&w.server, Some(&w.agency_admin), &someone, Some("05512000")).await,
        "FORBIDDEN",
    );
    error_with_code(
        &grant_staff(&w.server, Some(&w.editor), &someone, Some(GELSENKIRCHEN)).await,
        "FORBIDDEN",
    );
    error_with_code(
        &grant_staff(&w.server, Some(&w.staff), &someone, Some(GELSENKIRCHEN)).await,
        "FORBIDDEN",
    );
    assert_bad_input(
        &grant_staff(&w.server, Some(&w.agency_admin), &someone, None).await,
        "input.municipalityAgs",
    );
    assert_bad_input(
        &grant_staff(&w.server, None, &someone, Some("99999999")).await,
        "input.municipalityAgs",
    );
    let editor_for_a_place = w
        .server
        .gql_admin(
            "mutation ($input: GrantRoleInput!) { grantRole(input: $input) { id } }",
            json!({ "input": { "memberId": someone.member_id, "role": "EDITOR", "agencySlug": "begleitagentur-ruhr",
                    "municipalityAgs": GELSENKIRCHEN } }),
        )
        .await;
    assert_bad_input(&editor_for_a_place, "input.municipalityAgs");
    let mine = "{ me { roles { role } accompaniments { title } } }";
    assert_eq!(
        data(&w.server.gql_as(&someone, mine, json!({})).await)["me"]["accompaniments"],
        json!([])
    );
    // An administrator may; then the member is inside, and revoking takes it back.
    data(&grant_staff(&w.server, None, &someone, Some(GELSENKIRCHEN)).await);
    let me = w.server.gql_as(&someone, mine, json!({})).await;
    assert_eq!(
        data(&me)["me"]["accompaniments"],
        json!([{ "title": "Zielvereinbarung Gelsenkirchen" }])
    );
    let revoke = "mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { id } }";
    let input = json!({ "input": { "memberId": someone.member_id, "role": "MUNICIPAL_STAFF", "municipalityAgs": GELSENKIRCHEN } });
    data(&w.server.gql_as(&w.agency_admin, revoke, input).await);
    assert_eq!(
        data(&w.server.gql_as(&someone, mine, json!({})).await)["me"]["accompaniments"],
        json!([])
    );

    // The agency's overview, for its staff only.
    let overview = "{ agency(slug: \"begleitagentur-ruhr\") { accompaniments(filter: { state: NW }) { title municipality { ags } goals { title } } } }";
    let listed = w.server.gql_as(&w.editor, overview, json!({})).await;
    assert_eq!(
        data(&listed)["agency"]["accompaniments"][0]["municipality"]["ags"],
        GELSENKIRCHEN
    );
    let other = w.server.gql_as(&w.other_editor, overview, json!({})).await;
    assert_eq!(data(&other)["agency"]["accompaniments"], json!([]));
    let by_status =
        "{ agency(slug: \"begleitagentur-ruhr\") { accompaniments(filter: { status: CONCLUDED }) { title } } }";
    assert_eq!(
        data(&w.server.gql_as(&w.editor, by_status, json!({})).await)["agency"]["accompaniments"],
        json!([])
    );
}

async fn delete_account(w: &Workspace, member: &Session) {
    let response = w
        .server
        .gql_as(
            member,
            "mutation ($p: String!) { deleteMyAccount(password: $p) }",
            json!({ "p": dkbm_tests::PASSWORD }),
        )
        .await;
    assert_eq!(data(&response)["deleteMyAccount"], true);
}

#[tokio::test]
async fn the_export_lists_a_members_entries_and_deletion_keeps_them_under_a_deleted_member() {
    let w = workspace().await;
    let (goal, _) = filled(&w).await;
    let export = w.server.gql_as(&w.staff, "{ exportMyData }", json!({})).await;
    let section = &data(&export)["exportMyData"]["accompaniment"];
    assert_eq!(section["goals"][0]["title"], goal["title"], "{section}");
    assert_eq!(section["reviews"][0]["reflection"], "Zauberwort im Rückblick");
    assert!(
        section["timeline"].as_array().is_some_and(|t| t.len() >= 2),
        "{section}"
    );
    delete_account(&w, &w.staff).await;
    let seen = w.agreement_as(Some(&w.editor)).await;
    assert_eq!(seen["goals"][0]["title"], goal["title"], "the goal stays");
    let by_staff: Vec<&Value> = seen["timeline"]["nodes"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "GOAL_ADDED" || e["action"] == "REVIEW_SUBMITTED")
        .collect();
    assert_eq!(by_staff.len(), 2, "{seen}");
    assert!(by_staff.iter().all(|e| e["by"].is_null()), "a deleted member: {seen}");
}
