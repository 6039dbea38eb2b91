//! The accompaniment's rows, on the demo's Zielvereinbarung of the Transferagentur NRW (agency A)
//! with Bottrop: its staff (editor and agency admin of A) and administrators are inside; the
//! others are FORBIDDEN on the (public) agreement and get NOT_FOUND for its goals, which they do
//! not see.

use dkbm_tests::{Session, TestServer, data};
use serde_json::{Value, json};

use super::{Case, EDITORS_OF_A, Expect, case};

const INSIDE_OR_NOT_FOUND: [Expect; 7] = {
    use Expect::{Allowed as A, NotFound as N, Unauthenticated as U};
    [U, N, A, N, A, N, A]
};

async fn goal(server: &TestServer, admin: &Session, agreement: &Value, title: String) -> Value {
    let add = "mutation ($input: AddAgreementGoalInput!) { addAgreementGoal(input: $input) { id } }";
    let input = json!({ "input": { "agreementId": agreement, "title": title } });
    data(&server.gql_as(admin, add, input).await)["addAgreementGoal"]["id"].clone()
}

fn review(agreement: &Value) -> Value {
    json!({ "input": { "agreementId": agreement, "heldOn": "2026-12-01", "reflection": "Rückblick" } })
}

/// The rows, with the goals they act on made by the platform administrator `admin`.
pub async fn cases(server: &TestServer, admin: &Session, agreement: &Value) -> Vec<Case> {
    let shared = goal(server, admin, agreement, "Geteiltes Ziel".into()).await;
    let mut droppable = Vec::new();
    for n in 0..7 {
        droppable.push(goal(server, admin, agreement, format!("Ziel {n}")).await);
    }
    let (a1, a2, a3, a4, a5) = (
        agreement.clone(),
        agreement.clone(),
        agreement.clone(),
        agreement.clone(),
        agreement.clone(),
    );
    vec![
        case("addAgreementGoal", EDITORS_OF_A, move |i| {
            (
                "mutation ($input: AddAgreementGoalInput!) { addAgreementGoal(input: $input) { id } }".into(),
                json!({ "input": { "agreementId": a1, "title": format!("Neues Ziel {i}") } }),
            )
        }),
        case("updateAgreementGoal", INSIDE_OR_NOT_FOUND, move |i| {
            (
                "mutation ($input: UpdateAgreementGoalInput!) { updateAgreementGoal(input: $input) { id } }".into(),
                json!({ "input": { "id": shared, "title": format!("Geteiltes Ziel {i}") } }),
            )
        }),
        case("dropAgreementGoal", INSIDE_OR_NOT_FOUND, move |i| {
            (
                "mutation ($id: ID!) { dropAgreementGoal(id: $id, reason: \"erledigt\") { id } }".into(),
                json!({ "id": droppable[i] }),
            )
        }),
        case("recordAgreementActivity", EDITORS_OF_A, move |i| {
            (
                "mutation ($input: RecordAgreementActivityInput!) { recordAgreementActivity(input: $input) { id } }"
                    .into(),
                json!({ "input": { "agreementId": a2, "kind": "OTHER", "occurredOn": "2026-12-01", "title": format!("Treffen {i}") } }),
            )
        }),
        case("saveAgreementReviewDraft", EDITORS_OF_A, move |_| {
            (
                "mutation ($input: AgreementReviewInput!) { saveAgreementReviewDraft(input: $input) { id } }".into(),
                review(&a3),
            )
        }),
        case("submitAgreementReview", EDITORS_OF_A, move |_| {
            (
                "mutation ($input: AgreementReviewInput!) { submitAgreementReview(input: $input) { id } }".into(),
                review(&a4),
            )
        }),
        case("draftPracticeFromAgreement", EDITORS_OF_A, move |_| {
            (
                "mutation ($a: ID!) { draftPracticeFromAgreement(agreementId: $a, goalIds: []) { id } }".into(),
                json!({ "a": a5 }),
            )
        }),
    ]
}
