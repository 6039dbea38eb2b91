//! Several server processes, each in its own working directory, on one database: they accept
//! each other's access and refresh tokens (the generated signing key lives in the database),
//! and a configured key file takes precedence.

use dkbm_tests::{PASSWORD, ServerProcess, TestDb, data};
use serde_json::{Value, json};

async fn gql(client: &reqwest::Client, url: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = client
        .post(url)
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("send").json().await.expect("json")
}

const SIGN_UP: &str = "mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken refreshToken } }";
const REFRESH: &str = "mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";
const ME: &str = "{ me { displayName } }";

async fn jwks(client: &reqwest::Client, base: &str) -> Value {
    client
        .get(format!("{base}/.well-known/jwks.json"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn replicas_accept_each_others_tokens() {
    let db = TestDb::fresh().await;
    let a = ServerProcess::start(&db.url, &[]).await;
    let b = ServerProcess::start(&db.url, &[]).await;
    assert_ne!(a.dir.path(), b.dir.path());
    let client = reqwest::Client::new();
    assert_eq!(
        jwks(&client, &a.base).await,
        jwks(&client, &b.base).await,
        "one key, in the database"
    );

    let response = gql(
        &client,
        &a.graphql_url(),
        None,
        SIGN_UP,
        json!({ "i": { "email": "replica@bottrop.de", "password": PASSWORD, "displayName": "Replica" } }),
    )
    .await;
    let signed_up = data(&response)["signUp"].clone();
    let access = signed_up["accessToken"].as_str().expect("token");
    assert_eq!(
        data(&gql(&client, &b.graphql_url(), Some(access), ME, json!({})).await)["me"]["displayName"],
        "Replica"
    );

    // Refresh on B, use on A; the used refresh token is refused on A too.
    let refreshed = gql(
        &client,
        &b.graphql_url(),
        None,
        REFRESH,
        json!({ "t": signed_up["refreshToken"] }),
    )
    .await;
    let refreshed = data(&refreshed)["refreshSession"].clone();
    let access = refreshed["accessToken"].as_str().expect("token");
    assert_eq!(
        data(&gql(&client, &a.graphql_url(), Some(access), ME, json!({})).await)["me"]["displayName"],
        "Replica"
    );
    let reused = gql(
        &client,
        &a.graphql_url(),
        None,
        REFRESH,
        json!({ "t": signed_up["refreshToken"] }),
    )
    .await;
    assert_eq!(reused["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // The login counter is shared: failures on A lock the email on B.
    let log_in = "mutation ($p: String!) { logIn(email: \"replica@bottrop.de\", password: $p) { accessToken } }";
    for i in 0..5 {
        let server = if i % 2 == 0 { &a } else { &b };
        let response = gql(
            &client,
            &server.graphql_url(),
            None,
            log_in,
            json!({ "p": "wrong wrong wrong" }),
        )
        .await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    let response = gql(&client, &b.graphql_url(), None, log_in, json!({ "p": PASSWORD })).await;
    assert_eq!(response["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn a_configured_key_file_takes_precedence() {
    let db = TestDb::fresh().await;
    let keys = tempfile::tempdir().expect("temp dir");
    let key_file = keys.path().join("jwt.pem");
    let status = tokio::process::Command::new("openssl")
        .args(["genpkey", "-algorithm", "ed25519", "-out"])
        .arg(&key_file)
        .status()
        .await
        .expect("openssl");
    assert!(status.success());
    let key_path = key_file.display().to_string();
    let env = [("DKBM_JWT_PRIVATE_KEY_FILE", key_path.as_str())];
    let a = ServerProcess::start(&db.url, &env).await;
    let b = ServerProcess::start(&db.url, &env).await;
    let client = reqwest::Client::new();
    let published = jwks(&client, &a.base).await;
    assert_eq!(published["keys"].as_array().map(Vec::len), Some(1), "{published}");
    let response = gql(
        &client,
        &a.graphql_url(),
        None,
        SIGN_UP,
        json!({ "i": { "email": "file@bottrop.de", "password": PASSWORD, "displayName": "File" } }),
    )
    .await;
    let access = data(&response)["signUp"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let header: Value = {
        use base64::Engine;
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(access.split('.').next().expect("header"))
                .expect("b64"),
        )
        .expect("json")
    };
    assert_eq!(header["kid"], published["keys"][0]["kid"]);
    assert_eq!(
        data(&gql(&client, &b.graphql_url(), Some(&access), ME, json!({})).await)["me"]["displayName"],
        "File"
    );
    a.stop().await;
    b.stop().await;
}
