//! The attachment mutations' rows: a practice's files are its agency's editors'; a post's its
//! author's and the moderators'. A JSON request carries no file, so `addAttachment` past
//! authorization is BAD_USER_INPUT on `input.file`.

use dkbm_tests::{Session, TestServer, Upload, data};
use serde_json::{Value, json};

use super::{AUTHOR_OR_MODERATORS, Case, EDITORS_OF_A, case};

const ADD: &str = "mutation ($input: AddAttachmentInput!) { addAttachment(input: $input) { id } }";

async fn attachment(server: &TestServer, admin: &Session, practice: &Value, n: usize) -> Value {
    let bytes = format!("Anhang {n}");
    let upload = Upload {
        target_id: practice.as_str().unwrap_or_default(),
        filename: "anhang.txt",
        bytes: bytes.as_bytes(),
        title: None,
    };
    data(&server.upload_json(Some(&admin.access_token), &upload).await)["addAttachment"]["id"].clone()
}

/// The rows, on A's practice and the member's post, with what they act on made by `admin`.
pub async fn cases(server: &TestServer, admin: &Session, practice_of_a: &Value, post_of_member: &Value) -> Vec<Case> {
    let shared = attachment(server, admin, practice_of_a, 100).await;
    let mut removable = Vec::new();
    for n in 0..7 {
        removable.push(attachment(server, admin, practice_of_a, n).await);
    }
    let add = |target: Value| {
        move |_: usize| {
            (
                ADD.to_owned(),
                json!({ "input": { "targetId": target, "file": "#__graphql_file__:0" } }),
            )
        }
    };
    vec![
        case("addAttachment", EDITORS_OF_A, add(practice_of_a.clone()))
            .tolerating(&["BAD_USER_INPUT"], "a JSON request carries no file"),
        case("addAttachment", AUTHOR_OR_MODERATORS, add(post_of_member.clone()))
            .tolerating(&["BAD_USER_INPUT"], "a JSON request carries no file"),
        case("updateAttachment", EDITORS_OF_A, move |i| {
            (
                "mutation ($input: UpdateAttachmentInput!) { updateAttachment(input: $input) { id } }".into(),
                json!({ "input": { "id": shared, "title": format!("Titel {i}") } }),
            )
        }),
        case("removeAttachment", EDITORS_OF_A, move |i| {
            (
                "mutation ($id: ID!) { removeAttachment(id: $id) }".into(),
                json!({ "id": removable[i] }),
            )
        }),
    ]
}
