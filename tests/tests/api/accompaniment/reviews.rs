//! Reviews (Zielüberprüfung): one draft that both sides change while the agreement is
//! UNDER_REVIEW; a submitted review never changes, sets the goals' status and the next review;
//! concluding is the agency's. And a good practice drafted from what was learned.

use dkbm_tests::{assert_bad_input, data, error_with_code, str_at};
use serde_json::{Value, json};

use super::{ADD_GOAL, Workspace, school_goal, workspace};

const DRAFT: &str =
    "mutation ($input: AgreementReviewInput!) { saveAgreementReviewDraft(input: $input) { id status reflection } }";
const SUBMIT: &str = "mutation ($input: AgreementReviewInput!) { submitAgreementReview(input: $input) { id status reflection submittedAt goals { status goal { title } } } }";
const REVIEW: &str =
    "query ($id: ID!) { node(id: $id) { ... on AgreementReview { status reflection heldOn goals { status note } } } }";

fn review(w: &Workspace, reflection: &str, goals: Value) -> Value {
    json!({ "input": { "agreementId": w.agreement, "heldOn": "2026-12-01", "reflection": reflection,
                       "goals": goals, "nextReviewOn": "2027-06-01" } })
}

async fn status(w: &Workspace) -> Value {
    w.agreement_as(Some(&w.editor)).await["status"].clone()
}

#[tokio::test]
async fn a_submitted_review_is_never_changed_and_sets_the_goals_status() {
    let w = workspace().await;
    data(&w.update(&w.editor, json!({ "status": "ACTIVE" })).await);
    let goal = w.add_goal(&w.staff, school_goal()).await;
    let other = w
        .add_goal(&w.editor, json!({ "title": "Bildungskonferenz jährlich" }))
        .await;
    let assess = |status: &str| json!([{ "goalId": goal["id"], "status": status, "note": "Daten 2024 abwarten" }]);

    // One draft, changed by both sides; the agreement is under review meanwhile.
    let first = w
        .server
        .gql_as(&w.staff, DRAFT, review(&w, "Erster Entwurf", assess("AT_RISK")))
        .await;
    let draft_id = str_at(data(&first), "/saveAgreementReviewDraft/id").to_owned();
    assert_eq!(status(&w).await, "UNDER_REVIEW");
    let second = w
        .server
        .gql_as(&w.editor, DRAFT, review(&w, "Gemeinsamer Entwurf", assess("ON_TRACK")))
        .await;
    assert_eq!(
        data(&second)["saveAgreementReviewDraft"]["id"],
        json!(draft_id),
        "the same draft"
    );
    let seen = w.agreement_as(Some(&w.staff)).await;
    assert_eq!(seen["reviews"].as_array().map(Vec::len), Some(1));
    assert_eq!(seen["goals"][0]["status"], "OPEN", "a draft sets no status");

    // Bad input writes nothing.
    let foreign = json!([{ "goalId": w.agreement, "status": "REACHED" }]);
    assert_bad_input(
        &w.server.gql_as(&w.staff, SUBMIT, review(&w, "x", foreign)).await,
        "input.goals[0].goalId",
    );
    let twice = json!([{ "goalId": goal["id"], "status": "REACHED" }, { "goalId": goal["id"], "status": "AT_RISK" }]);
    assert_bad_input(
        &w.server.gql_as(&w.staff, SUBMIT, review(&w, "x", twice)).await,
        "input.goals[1].goalId",
    );
    assert_bad_input(
        &w.server.gql_as(&w.staff, SUBMIT, review(&w, "  ", json!([]))).await,
        "input.reflection",
    );
    let drop = "mutation ($id: ID!) { dropAgreementGoal(id: $id, reason: \"erledigt\") { status } }";
    data(&w.server.gql_as(&w.editor, drop, json!({ "id": other["id"] })).await);
    let dropped = json!([{ "goalId": other["id"], "status": "REACHED" }]);
    assert_bad_input(
        &w.server.gql_as(&w.staff, SUBMIT, review(&w, "x", dropped)).await,
        "input.goals[0].goalId",
    );
    assert_eq!(status(&w).await, "UNDER_REVIEW", "nothing submitted");

    // Submitted: the draft becomes the review, the goal's status is set, the agreement active.
    let submitted = w
        .server
        .gql_as(&w.staff, SUBMIT, review(&w, "Eingereicht", assess("PARTLY_REACHED")))
        .await;
    let submitted = &data(&submitted)["submitAgreementReview"];
    assert_eq!(submitted["id"], json!(draft_id));
    assert_eq!(submitted["status"], "SUBMITTED");
    let seen = w.agreement_as(Some(&w.editor)).await;
    assert_eq!(seen["status"], "ACTIVE");
    assert_eq!(seen["nextReviewOn"], "2027-06-01");
    assert_eq!(seen["goals"][0]["status"], "PARTLY_REACHED");

    // A new draft is a new review; the submitted one stays as it was.
    let later = w
        .server
        .gql_as(&w.editor, DRAFT, review(&w, "Nächste Runde", assess("REACHED")))
        .await;
    assert_ne!(data(&later)["saveAgreementReviewDraft"]["id"], json!(draft_id));
    let kept = w.server.gql_as(&w.staff, REVIEW, json!({ "id": draft_id })).await;
    assert_eq!(
        data(&kept)["node"],
        json!({ "status": "SUBMITTED", "reflection": "Eingereicht", "heldOn": "2026-12-01",
                "goals": [{ "status": "PARTLY_REACHED", "note": "Daten 2024 abwarten" }] })
    );

    // Concluding is the agency's; afterwards nothing is added.
    let mut conclude = review(&w, "Abschluss", assess("REACHED"));
    conclude["input"]["conclude"] = json!(true);
    error_with_code(&w.server.gql_as(&w.staff, SUBMIT, conclude.clone()).await, "FORBIDDEN");
    data(&w.server.gql_as(&w.editor, SUBMIT, conclude).await);
    assert_eq!(status(&w).await, "CONCLUDED");
    let add = json!({ "input": { "agreementId": w.agreement, "title": "Zu spät" } });
    error_with_code(&w.server.gql_as(&w.staff, ADD_GOAL, add).await, "CONFLICT");
    let seen = w.agreement_as(Some(&w.staff)).await;
    assert_eq!(
        seen["reviews"].as_array().map(Vec::len),
        Some(2),
        "both submitted, no draft left: {seen}"
    );
}

#[tokio::test]
async fn a_drafted_practice_carries_the_agreements_content() {
    let w = workspace().await;
    data(
        &w.update(&w.staff, json!({ "request": "Wir wollen Übergänge sichtbar machen." }))
            .await,
    );
    let goal = w.add_goal(&w.staff, school_goal()).await;
    w.add_goal(&w.staff, json!({ "title": "Nicht gewählt" })).await;
    let input = json!({ "agreementId": w.agreement, "heldOn": "2026-11-01", "reflection": "Die Schulen liefern Daten.",
                        "goals": [{ "goalId": goal["id"], "status": "ON_TRACK" }] });
    data(&w.server.gql_as(&w.staff, SUBMIT, json!({ "input": input })).await);
    let draft = "mutation ($a: ID!, $g: [ID!]!) { draftPracticeFromAgreement(agreementId: $a, goalIds: $g) {
      id status title summary body agency { slug } topics { slug } municipalities { ags } } }";
    let vars = json!({ "a": w.agreement, "g": [goal["id"]] });
    error_with_code(&w.server.gql_as(&w.staff, draft, vars.clone()).await, "FORBIDDEN");
    error_with_code(
        &w.server.gql_as(&w.other_editor, draft, vars.clone()).await,
        "FORBIDDEN",
    );
    assert_bad_input(
        &w.server
            .gql_as(&w.editor, draft, json!({ "a": w.agreement, "g": [w.agreement] }))
            .await,
        "goalIds[0]",
    );
    let response = w.server.gql_as(&w.editor, draft, vars).await;
    let practice = &data(&response)["draftPracticeFromAgreement"];
    assert_eq!(practice["status"], "DRAFT");
    assert_eq!(practice["agency"]["slug"], "begleitagentur-ruhr");
    assert_eq!(practice["summary"], "Wir wollen Übergänge sichtbar machen.");
    let body = str_at(practice, "/body");
    for part in [
        "Wir wollen Übergänge sichtbar machen.",
        "Weniger Jugendliche ohne Abschluss",
        "Die Schulen liefern Daten.",
    ] {
        assert!(body.contains(part), "{part} missing: {body}");
    }
    assert!(!body.contains("Nicht gewählt"), "{body}");
    assert_eq!(practice["topics"], json!([{ "slug": "transition-school-work" }]));
    assert_eq!(practice["municipalities"], json!([{ "ags": super::GELSENKIRCHEN }]));
    // A draft: the public does not see it.
    let public = w
        .server
        .gql(
            "query ($id: ID!) { node(id: $id) { id } }",
            json!({ "id": practice["id"] }),
        )
        .await;
    assert_eq!(data(&public)["node"], Value::Null);
    let timeline = w.agreement_as(Some(&w.editor)).await["timeline"]["nodes"][0].clone();
    assert_eq!(timeline["action"], "PRACTICE_DRAFTED");
}
