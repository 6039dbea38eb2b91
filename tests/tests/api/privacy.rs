//! Data protection: the export holds everything about the member; deleting the account leaves
//! nothing personal in any table, and community content outlives it.

use dkbm_tests::{PASSWORD, Role, Session, TestServer, assert_bad_input, data, error_with_code};
use serde_json::json;

#[tokio::test]
async fn export_holds_everything_about_the_member() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    error_with_code(&server.gql("{ exportMyData }", json!({})).await, "UNAUTHENTICATED");
    let session = server
        .member_with_role("export@bottrop.de", Role::Editor, Some("transferagentur-nrw"))
        .await;
    server.log_in_session("export@bottrop.de", PASSWORD).await;
    let response = server.gql_as(&session, "{ exportMyData }", json!({})).await;
    let export = &data(&response)["exportMyData"];
    assert_eq!(export["account"]["profile"]["email"], "export@bottrop.de");
    assert_eq!(export["account"]["profile"]["displayName"], "export");
    assert_eq!(export["account"]["roles"][0]["role"], "EDITOR");
    assert_eq!(export["account"]["sessions"].as_array().map(Vec::len), Some(2));
    assert!(export["exportedAt"].is_string());
    assert!(!export.to_string().contains("argon2"), "no password hash in the export");
}

const DELETE_ACCOUNT: &str = "mutation ($p: String!) { deleteMyAccount(password: $p) }";
const EMAIL: &str = "loeschen.bitte@bottrop.de";

/// An agency administrator (email [`EMAIL`]) who left traces: a profile, sessions, failed and
/// successful logins, the EDITOR role granted to a colleague, an API client.
struct Traces {
    server: TestServer,
    session: Session,
    colleague: Session,
}

async fn traces() -> Traces {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let email = EMAIL;
    let session = server
        .member_with_role(email, Role::AgencyAdmin, Some("transferagentur-nrw"))
        .await;
    let update = "mutation { updateProfile(input: {displayName: \"Karen Alexius-Eifert\", municipalityAgs: \"05512000\"}) { id } }";
    data(&server.gql_as(&session, update, json!({})).await);
    // Traces the member leaves: sessions, failed and successful logins, a role granted by them,
    // an API client registered by them.
    server.log_in_session(email, PASSWORD).await;
    error_with_code(&server.log_in(email, "wrong wrong wrong").await, "UNAUTHENTICATED");
    let colleague = server.sign_up("kollegin@bottrop.de").await;
    let grant = "mutation ($m: ID!) { grantRole(input: {memberId: $m, role: EDITOR, agencySlug: \"transferagentur-nrw\"}) { id } }";
    data(
        &server
            .gql_as(&session, grant, json!({ "m": colleague.member_id }))
            .await,
    );
    let client = "mutation { createApiClient(input: {agencySlug: \"transferagentur-nrw\", name: \"Sync\"}) { id } }";
    data(&server.gql_as(&session, client, json!({})).await);
    Traces {
        server,
        session,
        colleague,
    }
}

/// The member of `traces` deletes the account.
async fn deleted() -> Traces {
    let traces = traces().await;
    let response = traces
        .server
        .gql_as(&traces.session, DELETE_ACCOUNT, json!({ "p": PASSWORD }))
        .await;
    assert_eq!(data(&response)["deleteMyAccount"], true);
    traces
}

#[tokio::test]
async fn an_account_is_deleted_only_with_its_password() {
    let Traces { server, session, .. } = traces().await;
    assert_bad_input(
        &server
            .gql_as(&session, DELETE_ACCOUNT, json!({ "p": "not my password at all" }))
            .await,
        "password",
    );
    assert_eq!(
        data(&server.gql_as(&session, DELETE_ACCOUNT, json!({ "p": PASSWORD })).await)["deleteMyAccount"],
        true
    );
}

/// The member's personal values as the tables may hold them: the email, the name, the id (as
/// text and as the hex of its bytes) and the email's hash (the login counter's key).
fn personal_values(session: &Session) -> Vec<String> {
    let uuid = {
        use base64::Engine;
        let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&session.member_id)
            .expect("id");
        String::from_utf8(decoded)
            .expect("utf8")
            .split_once(':')
            .expect("id")
            .1
            .to_owned()
    };
    let hex_uuid = uuid.replace('-', "").to_uppercase();
    vec![
        EMAIL.to_owned(),
        "Karen Alexius-Eifert".to_owned(),
        uuid,
        hex_uuid,
        sha2_like::hex_sha256(EMAIL),
    ]
}

/// The rows of every table that hold `value` (case-insensitively).
fn rows_with<'a>(dump: &'a [String], value: &str) -> Vec<&'a String> {
    let value = value.to_uppercase();
    dump.iter()
        .filter(|line| line.to_uppercase().contains(&value))
        .collect()
}

#[tokio::test]
async fn the_scan_finds_every_trace_before_the_deletion() {
    let Traces { server, session, .. } = traces().await;
    let dump = server.db.dump().await;
    let [email, name, uuid, hex_uuid, email_hash] = personal_values(&session).try_into().expect("five values");
    for (what, value) in [("email", &email), ("name", &name), ("email hash", &email_hash)] {
        assert!(!rows_with(&dump, value).is_empty(), "the scan finds the {what} {value}");
    }
    // The id as the backend stores it: text on PostgreSQL, bytes (X'…') on SQLite; the member,
    // the sessions, the role, the API client and the login attempts hold it.
    let with_id = rows_with(&dump, &uuid).len() + rows_with(&dump, &hex_uuid).len();
    assert!(with_id >= 3, "the scan finds the member's id in its rows: {with_id}");
    for table in ["member:", "session:", "login_attempt:"] {
        assert!(
            dump.iter().any(|line| line.starts_with(table)
                && personal_values(&session)
                    .iter()
                    .any(|v| line.to_uppercase().contains(&v.to_uppercase()))),
            "a {table} row holds a personal value"
        );
    }
}

#[tokio::test]
async fn deleting_the_account_leaves_nothing_personal() {
    let Traces { server, session, .. } = deleted().await;
    let dump = server.db.dump().await;
    let leftovers: Vec<&String> = personal_values(&session)
        .iter()
        .flat_map(|value| rows_with(&dump, value))
        .collect();
    assert!(
        leftovers.is_empty(),
        "personal data left behind:\n{}",
        leftovers
            .iter()
            .map(|line| line.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test]
async fn a_deleted_account_can_neither_log_in_nor_refresh_its_session() {
    let Traces { server, session, .. } = deleted().await;
    let email = EMAIL;
    // (Not in the scan's test: a login attempt for the email is counted like any other.)
    error_with_code(&server.log_in(email, PASSWORD).await, "UNAUTHENTICATED");
    let refresh = "mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }";
    error_with_code(
        &server.gql(refresh, json!({ "t": session.refresh_token })).await,
        "UNAUTHENTICATED",
    );
}

#[tokio::test]
async fn roles_a_deleted_member_granted_stay() {
    let Traces { server, colleague, .. } = deleted().await;
    // The colleague keeps the role the deleted member granted.
    let me = server.gql_as(&colleague, "{ me { roles { role } } }", json!({})).await;
    assert_eq!(data(&me)["me"]["roles"][1]["role"], "EDITOR");
}

/// SHA-256 as the server computes it for the login counter.
mod sha2_like {
    pub fn hex_sha256(value: &str) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(value.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
