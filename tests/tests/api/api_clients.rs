//! Agency API clients: registration, keys, and the signed assertions they authenticate with —
//! including the README's openssl example, run as written.

use tokio::process::Command;

use dkbm_tests::clients::{assertion, ed25519_key_pair, unix_now};
use dkbm_tests::{Role, Session, TestServer, assert_bad_input, data, error_with_code};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

const CREATE_CLIENT: &str =
    "mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { id clientId name agency { slug } } }";
const ADD_KEY: &str =
    "mutation ($input: AddApiKeyInput!) { addApiKey(input: $input) { id kid algorithm fingerprint revokedAt } }";
const VIEWER: &str = "{ viewer { kind clientId agency { slug } member { id } } }";

/// The shell code block that follows `<!-- example: NAME -->` in README.md.
fn readme_example(name: &str) -> String {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).expect("README");
    let marker = format!("<!-- example: {name} -->");
    let after = &readme[readme.find(&marker).expect("the example's marker") + marker.len()..];
    let start = after.find("```sh\n").expect("a sh block") + "```sh\n".len();
    let end = after[start..].find("```").expect("the block's end");
    after[start..start + end].to_owned()
}

/// Runs a script without blocking the runtime (the server under test runs on it too).
async fn bash(script: &str, dir: &std::path::Path, env: &[(&str, &str)]) -> String {
    let output = Command::new("bash")
        .arg("-euo")
        .arg("pipefail")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .await
        .expect("bash");
    assert!(
        output.status.success(),
        "the script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn agency_admin_with_client(server: &TestServer) -> (Session, Value) {
    server.seed_demo().await;
    let admin = server
        .member_with_role(
            "agentur-admin@transferagentur.nrw",
            Role::AgencyAdmin,
            Some("transferagentur-nrw"),
        )
        .await;
    let response = server
        .gql_as(
            &admin,
            CREATE_CLIENT,
            json!({ "input": { "agencySlug": "transferagentur-nrw", "name": "Portal sync" } }),
        )
        .await;
    (admin, data(&response)["createApiClient"].clone())
}

#[tokio::test]
async fn the_readme_example_authenticates_as_the_agency() {
    let server = TestServer::start().await;
    let (admin, client) = agency_admin_with_client(&server).await;
    let dir = tempfile::tempdir().expect("temp dir");
    bash(&readme_example("api-client-key"), dir.path(), &[]).await;
    let public_key = std::fs::read_to_string(dir.path().join("partner-key.pub.pem")).expect("the public key");
    // As the README says: the clientId createApiClient answered.
    let response = server
        .gql_as(
            &admin,
            ADD_KEY,
            json!({ "input": { "clientId": client["clientId"], "kid": "2026-01", "publicKeyPem": public_key } }),
        )
        .await;
    assert_eq!(data(&response)["addApiKey"]["algorithm"], "EdDSA");
    // The client's global id names it as well.
    let response = server
        .gql_as(
            &admin,
            ADD_KEY,
            json!({ "input": { "clientId": client["id"], "kid": "2026-02", "publicKeyPem": public_key } }),
        )
        .await;
    assert_eq!(data(&response)["addApiKey"]["kid"], "2026-02");

    let client_id = client["clientId"].as_str().expect("client id").to_owned();
    let output = bash(
        &readme_example("api-client-token"),
        dir.path(),
        &[("CLIENT_ID", &client_id), ("DKBM_URL", &server.base)],
    )
    .await;
    let answer: Value = serde_json::from_str(&output).expect("the API's JSON answer");
    let viewer = &data(&answer)["viewer"];
    assert_eq!(viewer["kind"], "API_CLIENT");
    assert_eq!(viewer["clientId"], client_id.as_str());
    assert_eq!(viewer["agency"]["slug"], "transferagentur-nrw");
    assert_eq!(viewer["member"], json!(null));
}

async fn viewer_status(server: &TestServer, token: &str) -> (reqwest::StatusCode, Value) {
    let response = server
        .client
        .post(server.graphql_url())
        .bearer_auth(token)
        .json(&json!({ "query": VIEWER }))
        .send()
        .await
        .expect("send");
    (response.status(), response.json().await.expect("json"))
}

/// An agency's client with an Ed25519 key registered as `k1`.
struct KeyedClient {
    server: TestServer,
    admin: Session,
    client_id: String,
    key: EncodingKey,
    /// The public key's PEM.
    public: String,
    /// The registered key's global id.
    key_id: Value,
}

/// The client of the assertion tests, with its control: a well-made assertion is accepted,
/// so a refusal in a test is the change that test made.
async fn keyed_client() -> KeyedClient {
    let server = TestServer::start().await;
    let (admin, client) = agency_admin_with_client(&server).await;
    let client_id = client["clientId"].as_str().expect("id").to_owned();
    let (key, public) = ed25519_key_pair();
    let response = server
        .gql_as(
            &admin,
            ADD_KEY,
            json!({ "input": { "clientId": client["id"], "kid": "k1", "publicKeyPem": public } }),
        )
        .await;
    let key_id = data(&response)["addApiKey"]["id"].clone();
    let good = assertion(&client_id, "k1", &key, Algorithm::EdDSA, |_| {});
    let (status, body) = viewer_status(&server, &good).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(data(&body)["viewer"]["kind"], "API_CLIENT");
    KeyedClient {
        server,
        admin,
        client_id,
        key,
        public,
        key_id,
    }
}

#[tokio::test]
async fn an_assertion_is_accepted_once() {
    let KeyedClient {
        server, client_id, key, ..
    } = keyed_client().await;
    let good = assertion(&client_id, "k1", &key, Algorithm::EdDSA, |_| {});
    let (status, body) = viewer_status(&server, &good).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(data(&body)["viewer"]["kind"], "API_CLIENT");
    // A replayed jti is refused, also while the assertion is still valid.
    assert_eq!(
        viewer_status(&server, &good).await.0,
        reqwest::StatusCode::UNAUTHORIZED,
        "replay"
    );
}

#[tokio::test]
async fn assertions_whose_claims_or_key_do_not_hold_are_refused() {
    let KeyedClient {
        server,
        client_id,
        key,
        public,
        ..
    } = keyed_client().await;
    let cases: Vec<(&str, String)> = vec![
        (
            "another audience",
            assertion(&client_id, "k1", &key, Algorithm::EdDSA, |c| c["aud"] = json!("other")),
        ),
        (
            "sub differs",
            assertion(&client_id, "k1", &key, Algorithm::EdDSA, |c| {
                c["sub"] = json!("someone")
            }),
        ),
        (
            "expired",
            assertion(&client_id, "k1", &key, Algorithm::EdDSA, |c| {
                c["exp"] = json!(unix_now() - 120)
            }),
        ),
        (
            "more than 5 minutes ahead",
            assertion(&client_id, "k1", &key, Algorithm::EdDSA, |c| {
                c["exp"] = json!(unix_now() + 3600)
            }),
        ),
        (
            "no jti",
            assertion(&client_id, "k1", &key, Algorithm::EdDSA, |c| {
                drop(c.as_object_mut().map(|o| o.remove("jti")))
            }),
        ),
        (
            "no exp",
            assertion(&client_id, "k1", &key, Algorithm::EdDSA, |c| {
                drop(c.as_object_mut().map(|o| o.remove("exp")))
            }),
        ),
        (
            "unknown kid",
            assertion(&client_id, "k2", &key, Algorithm::EdDSA, |_| {}),
        ),
        (
            "unknown client",
            assertion(&uuid::Uuid::now_v7().to_string(), "k1", &key, Algorithm::EdDSA, |_| {}),
        ),
        (
            "HS256 with the public key",
            assertion(
                &client_id,
                "k1",
                &EncodingKey::from_secret(public.as_bytes()),
                Algorithm::HS256,
                |_| {},
            ),
        ),
    ];
    for (case, token) in cases {
        assert_eq!(
            viewer_status(&server, &token).await.0,
            reqwest::StatusCode::UNAUTHORIZED,
            "{case}"
        );
    }
}

#[tokio::test]
async fn assertions_with_a_revoked_key_are_refused_at_once() {
    let KeyedClient {
        server,
        admin,
        client_id,
        key,
        key_id,
        ..
    } = keyed_client().await;
    let revoke = "mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }";
    assert!(
        data(&server.gql_as(&admin, revoke, json!({ "id": key_id })).await)["revokeApiKey"]["revokedAt"].is_string()
    );
    let token = assertion(&client_id, "k1", &key, Algorithm::EdDSA, |_| {});
    assert_eq!(
        viewer_status(&server, &token).await.0,
        reqwest::StatusCode::UNAUTHORIZED,
        "revoked key"
    );
}

#[tokio::test]
async fn rsa_keys_of_2048_bits_work() {
    let server = TestServer::start().await;
    let (admin, client) = agency_admin_with_client(&server).await;
    let dir = tempfile::tempdir().expect("temp dir");
    bash(
        "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null && openssl pkey -in rsa.pem -pubout -out rsa.pub.pem \
         && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out small.pem 2>/dev/null && openssl pkey -in small.pem -pubout -out small.pub.pem",
        dir.path(),
        &[],
    )
    .await;
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect("pem");
    let response = server
        .gql_as(
            &admin,
            ADD_KEY,
            json!({ "input": { "clientId": client["id"], "kid": "small", "publicKeyPem": read("small.pub.pem") } }),
        )
        .await;
    assert_bad_input(&response, "input.publicKeyPem");
    let response = server
        .gql_as(
            &admin,
            ADD_KEY,
            json!({ "input": { "clientId": client["id"], "kid": "private", "publicKeyPem": read("rsa.pem") } }),
        )
        .await;
    assert_bad_input(&response, "input.publicKeyPem");
    let response = server
        .gql_as(
            &admin,
            ADD_KEY,
            json!({ "input": { "clientId": client["id"], "kid": "rsa", "publicKeyPem": read("rsa.pub.pem") } }),
        )
        .await;
    assert_eq!(data(&response)["addApiKey"]["algorithm"], "RS256");
    let response = server
        .gql_as(
            &admin,
            ADD_KEY,
            json!({ "input": { "clientId": client["id"], "kid": "rsa", "publicKeyPem": read("rsa.pub.pem") } }),
        )
        .await;
    assert_eq!(
        error_with_code(&response, "CONFLICT")["extensions"]["field"],
        "input.kid"
    );

    let key = EncodingKey::from_rsa_pem(read("rsa.pem").as_bytes()).expect("key");
    let client_id = client["clientId"].as_str().expect("id").to_owned();
    let token = assertion(&client_id, "rsa", &key, Algorithm::RS256, |_| {});
    let (status, body) = viewer_status(&server, &token).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    // An API client edits for its agency but administers nothing.
    let token = assertion(&client_id, "rsa", &key, Algorithm::RS256, |_| {});
    let response = server
        .gql_with(
            Some(&token),
            "mutation { createAgency(input: {slug: \"x-y\", name: \"X\", kind: OTHER}) { id } }",
            json!({}),
        )
        .await;
    error_with_code(&response, "FORBIDDEN");
}

#[tokio::test]
async fn clients_belong_to_their_agency() {
    let server = TestServer::start().await;
    let (admin, client) = agency_admin_with_client(&server).await;
    let other_admin = server
        .member_with_role("ruhr-admin@ruhrfutur.de", Role::AgencyAdmin, Some("ruhrfutur"))
        .await;
    let response = server
        .gql_as(
            &other_admin,
            CREATE_CLIENT,
            json!({ "input": { "agencySlug": "transferagentur-nrw", "name": "Not mine" } }),
        )
        .await;
    error_with_code(&response, "FORBIDDEN");
    let response = server
        .gql_as(
            &other_admin,
            ADD_KEY,
            json!({ "input": { "clientId": client["id"], "kid": "x", "publicKeyPem": "x" } }),
        )
        .await;
    error_with_code(&response, "FORBIDDEN");
    let list = "query ($slug: String!) { apiClients(agencySlug: $slug) { name keys { kid } } }";
    assert_eq!(
        data(
            &server
                .gql_as(&admin, list, json!({ "slug": "transferagentur-nrw" }))
                .await
        )["apiClients"][0]["name"],
        "Portal sync"
    );
    error_with_code(
        &server
            .gql_as(&other_admin, list, json!({ "slug": "transferagentur-nrw" }))
            .await,
        "FORBIDDEN",
    );
    // Nor can outsiders find it by its id.
    let node = "query ($id: ID!) { node(id: $id) { id } }";
    assert_eq!(
        data(&server.gql_as(&other_admin, node, json!({ "id": client["id"] })).await)["node"],
        json!(null)
    );
    assert!(data(&server.gql_as(&admin, node, json!({ "id": client["id"] })).await)["node"]["id"].is_string());
}
