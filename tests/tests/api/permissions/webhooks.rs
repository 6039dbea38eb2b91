//! The webhook mutations' rows: an agency's endpoints are its administrators' (and platform
//! administrators'); an API client of the agency may too (tested in `webhooks`).

use dkbm_tests::{Session, TestServer, data};
use serde_json::{Value, json};

use super::{AGENCY_ADMIN, Case, case};

const CREATE: &str = "mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }";

/// An endpoint of agency A that nothing is sent to (no event emits REPORT_PUBLISHED yet, and
/// 192.0.2.1 is a documentation address that no packet reaches).
fn input(n: usize) -> Value {
    json!({ "input": {
        "agencySlug": "transferagentur-nrw",
        "url": format!("https://192.0.2.1/hook/{n}"),
        "events": ["REPORT_PUBLISHED"],
    } })
}

async fn endpoint(server: &TestServer, admin: &Session, n: usize) -> Value {
    data(&server.gql_as(admin, CREATE, input(n)).await)["createWebhook"]["webhook"]["id"].clone()
}

/// The rows, with what they act on made by the platform administrator `admin`.
pub async fn cases(server: &TestServer, admin: &Session) -> Vec<Case> {
    let shared = endpoint(server, admin, 100).await;
    let mut deletable = Vec::new();
    for n in 0..7 {
        deletable.push(endpoint(server, admin, 200 + n).await);
    }
    let test = "mutation ($id: ID!) { sendTestWebhook(id: $id) { id } }";
    let delivery = data(&server.gql_as(admin, test, json!({ "id": shared })).await)["sendTestWebhook"]["id"].clone();
    let id_of = |id: &Value| json!({ "id": id });
    vec![
        case("createWebhook", AGENCY_ADMIN, |i| (CREATE.into(), input(i))),
        case("updateWebhook", AGENCY_ADMIN, {
            let shared = shared.clone();
            move |i| {
                (
                    "mutation ($input: UpdateWebhookInput!) { updateWebhook(input: $input) { id } }".into(),
                    json!({ "input": { "id": shared, "description": format!("Spiegel {i}") } }),
                )
            }
        }),
        case("rotateWebhookSecret", AGENCY_ADMIN, {
            let variables = id_of(&shared);
            move |_| {
                (
                    "mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret } }".into(),
                    variables.clone(),
                )
            }
        }),
        case("sendTestWebhook", AGENCY_ADMIN, {
            let variables = id_of(&shared);
            move |_| (test.into(), variables.clone())
        }),
        case("redeliverWebhook", AGENCY_ADMIN, move |_| {
            (
                "mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }".into(),
                json!({ "id": delivery }),
            )
        })
        .tolerating(&["CONFLICT"], "the test message is still pending"),
        case("deleteWebhook", AGENCY_ADMIN, move |i| {
            (
                "mutation ($id: ID!) { deleteWebhook(id: $id) }".into(),
                json!({ "id": deletable[i].clone() }),
            )
        }),
    ]
}
