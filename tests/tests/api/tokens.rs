//! Access-token validation: every way a token can be wrong is answered UNAUTHENTICATED (HTTP
//! 401) with the same message and no detail of why.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dkbm_entity::signing_key;
use dkbm_tests::{Role, Session, TestServer, data};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

const ME: &str = "{ me { id email displayName } }";

/// The response is `me` of the member of `session` (not another member, not nobody).
fn assert_me(response: &Value, session: &Session) {
    let me = &data(response)["me"];
    assert_eq!(
        (me["id"].as_str(), me["email"].as_str()),
        (Some(session.member_id.as_str()), Some(session.email.as_str())),
        "the token's member: {response}"
    );
}

/// A change to an access token's claims.
type ClaimChange = Box<dyn Fn(&mut Value)>;

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("time").as_secs()
}

/// Claims like the server's, for the member of `session`.
fn claims(server: &TestServer, session: &Session, sid: &str) -> Value {
    let sub = member_uuid(&session.member_id);
    json!({
        "iss": server.state.config.auth.issuer,
        "aud": server.state.config.auth.audience,
        "sub": sub,
        "exp": now() + 600,
        "nbf": now() - 1,
        "iat": now() - 1,
        "jti": uuid::Uuid::now_v7().to_string(),
        "roles": ["MEMBER"],
        "sid": sid,
    })
}

fn member_uuid(global_id: &str) -> String {
    let decoded = String::from_utf8(URL_SAFE_NO_PAD.decode(global_id).expect("base64")).expect("utf8");
    decoded.split_once(':').expect("Type:uuid").1.to_owned()
}

/// The claims of a real access token, unverified.
fn real_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("json")
}

fn sign(claims: &Value, kid: &str, pem: &str) -> String {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_pem(pem.as_bytes()).expect("key")).expect("sign")
}

async fn status_and_body(server: &TestServer, token: &str) -> (reqwest::StatusCode, Value) {
    let response = server
        .client
        .post(server.graphql_url())
        .bearer_auth(token)
        .json(&json!({ "query": ME }))
        .send()
        .await
        .expect("send");
    (response.status(), response.json().await.expect("json"))
}

async fn assert_refused(server: &TestServer, token: &str, case: &str) {
    let (status, body) = status_and_body(server, token).await;
    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED, "{case}: {body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{case}");
    assert_eq!(
        body["errors"][0]["message"], "invalid or expired credentials",
        "{case}: no detail of why"
    );
}

/// A member's session, the server's signing key, and claims like the server's: what a forger
/// would start from.
struct Forgery {
    server: TestServer,
    session: Session,
    key: signing_key::Model,
    /// Claims like the server's for the member.
    good: Value,
}

/// The starting point of the forgery tests, with its control: a token made like the server's
/// is accepted, so a refusal in a test is the change that test made.
async fn forgery() -> Forgery {
    let server = TestServer::start().await;
    // Another member first, so that a token read as "some member" would show.
    let other = server.sign_up("vorher@bottrop.de").await;
    let session = server.sign_up("token@bottrop.de").await;
    let key = signing_key::Entity::find()
        .one(&server.db.connect().await)
        .await
        .expect("query")
        .expect("a key");
    let sid = real_claims(&session.access_token)["sid"]
        .as_str()
        .expect("sid")
        .to_owned();
    let good = claims(&server, &session, &sid);
    let token = sign(&good, &key.kid, &key.private_key_pem);
    let (_, body) = status_and_body(&server, &token).await;
    assert_me(&body, &session);
    assert_eq!(body["data"]["me"]["displayName"], "token");
    // The subject decides whose token it is.
    let mut of_other = good.clone();
    of_other["sub"] = json!(member_uuid(&other.member_id));
    of_other["sid"] = real_claims(&other.access_token)["sid"].clone();
    let (_, body) = status_and_body(&server, &sign(&of_other, &key.kid, &key.private_key_pem)).await;
    assert_me(&body, &other);
    Forgery {
        server,
        session,
        key,
        good,
    }
}

#[tokio::test]
async fn a_token_made_like_the_servers_is_accepted_also_within_the_leeway() {
    let Forgery {
        server,
        session,
        key,
        good,
    } = forgery().await;
    let mut within_leeway = good.clone();
    within_leeway["exp"] = json!(now() - 2);
    assert_me(
        &status_and_body(&server, &sign(&within_leeway, &key.kid, &key.private_key_pem))
            .await
            .1,
        &session,
    );
}

#[tokio::test]
async fn tokens_of_another_algorithm_are_refused() {
    let Forgery { server, key, good, .. } = forgery().await;
    let header_b64 = |header: Value| URL_SAFE_NO_PAD.encode(header.to_string());
    let payload_b64 = URL_SAFE_NO_PAD.encode(good.to_string());

    // alg "none".
    let none = format!(
        "{}.{payload_b64}.",
        header_b64(json!({ "alg": "none", "typ": "JWT", "kid": key.kid }))
    );
    assert_refused(&server, &none, "alg none").await;
    // HS256 with the public key as the secret (algorithm confusion), both as PEM and raw.
    for secret in [key.public_key_pem.as_bytes().to_vec(), key.kid.as_bytes().to_vec()] {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(key.kid.clone());
        let token = jsonwebtoken::encode(&header, &good, &EncodingKey::from_secret(&secret)).expect("sign");
        assert_refused(&server, &token, "HS256 with the public key").await;
    }
}

#[tokio::test]
async fn tokens_whose_claims_do_not_hold_are_refused() {
    let Forgery { server, key, good, .. } = forgery().await;
    let cases: Vec<(&str, ClaimChange)> = vec![
        (
            "another audience",
            Box::new(|c: &mut Value| c["aud"] = json!("someone-else")),
        ),
        (
            "another issuer",
            Box::new(|c: &mut Value| c["iss"] = json!("evil-issuer")),
        ),
        ("expired", Box::new(|c: &mut Value| c["exp"] = json!(now() - 3600))),
        (
            "expired just outside the leeway",
            Box::new(|c: &mut Value| c["exp"] = json!(now() - 8)),
        ),
        (
            "nbf in the future",
            Box::new(|c: &mut Value| c["nbf"] = json!(now() + 120)),
        ),
        (
            "no exp",
            Box::new(|c: &mut Value| drop(c.as_object_mut().map(|o| o.remove("exp")))),
        ),
        (
            "exp as a string",
            Box::new(|c: &mut Value| c["exp"] = json!((now() + 600).to_string())),
        ),
        (
            "nbf as a string",
            Box::new(|c: &mut Value| c["nbf"] = json!((now() - 1).to_string())),
        ),
        (
            "no sid",
            Box::new(|c: &mut Value| drop(c.as_object_mut().map(|o| o.remove("sid")))),
        ),
        (
            "an unknown session",
            Box::new(|c: &mut Value| c["sid"] = json!(uuid::Uuid::now_v7().to_string())),
        ),
        (
            "an unknown member",
            Box::new(|c: &mut Value| c["sub"] = json!(uuid::Uuid::now_v7().to_string())),
        ),
    ];
    for (case, change) in &cases {
        let mut bad = good.clone();
        change(&mut bad);
        assert_refused(&server, &sign(&bad, &key.kid, &key.private_key_pem), case).await;
    }
}

#[tokio::test]
async fn tokens_of_an_unknown_or_another_key_are_refused() {
    let Forgery { server, key, good, .. } = forgery().await;
    // Unknown kid, and a forged kid (our kid on a token signed with another key).
    assert_refused(
        &server,
        &sign(&good, "no-such-kid", &key.private_key_pem),
        "unknown kid",
    )
    .await;
    let other = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    let other_pem = ed25519_dalek::pkcs8::EncodePrivateKey::to_pkcs8_pem(
        &other,
        ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF,
    )
    .expect("pem")
    .to_string();
    assert_refused(&server, &sign(&good, &key.kid, &other_pem), "forged kid").await;
}

#[tokio::test]
async fn tampered_and_garbage_tokens_are_refused() {
    let Forgery { server, session, .. } = forgery().await;
    // A tampered payload: another subject under the original signature.
    let mut parts: Vec<String> = session.access_token.split('.').map(str::to_owned).collect();
    let mut tampered = real_claims(&session.access_token);
    tampered["roles"] = json!(["MEMBER", "ADMIN"]);
    parts[1] = URL_SAFE_NO_PAD.encode(tampered.to_string());
    assert_refused(&server, &parts.join("."), "tampered payload").await;
    // Garbage.
    for garbage in ["", "a.b.c", "not-a-token"] {
        assert_refused(&server, garbage, "garbage").await;
    }
}

#[tokio::test]
async fn a_deleted_members_token_is_refused() {
    let server = TestServer::start().await;
    let session = server.sign_up("weg@bottrop.de").await;
    assert_me(&server.gql_as(&session, ME, json!({})).await, &session);
    let response = server
        .gql_as(
            &session,
            "mutation ($p: String!) { deleteMyAccount(password: $p) }",
            json!({ "p": dkbm_tests::PASSWORD }),
        )
        .await;
    assert_eq!(data(&response)["deleteMyAccount"], true);
    assert_refused(&server, &session.access_token, "deleted member").await;
}

#[tokio::test]
async fn jwks_publishes_the_verifying_keys_and_rotation_keeps_old_tokens_valid() {
    let server = TestServer::start().await;
    let session = server.sign_up("jwks@bottrop.de").await;
    let jwks: Value = server.get("/.well-known/jwks.json").await.json().await.expect("json");
    let keys = jwks["keys"].as_array().expect("keys").clone();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kty"], "OKP");
    assert_eq!(keys[0]["crv"], "Ed25519");
    assert_eq!(keys[0]["alg"], "EdDSA");
    let old_kid = keys[0]["kid"].as_str().expect("kid").to_owned();
    assert!(keys[0].get("d").is_none(), "no private part");
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(session.access_token.split('.').next().expect("header"))
            .expect("base64"),
    )
    .expect("json");
    assert_eq!(header["kid"], old_kid.as_str());

    let new_kid = dkbm_hub::auth::keys::rotate(server.state.conn()).await.expect("rotate");
    server.state.auth.keys.reload().await.expect("reload");
    let jwks: Value = server.get("/.well-known/jwks.json").await.json().await.expect("json");
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    assert!(
        kids.contains(&old_kid.as_str()) && kids.contains(&new_kid.as_str()),
        "{kids:?}"
    );
    // The old token still works; new tokens carry the new kid.
    assert_me(&server.gql_as(&session, ME, json!({})).await, &session);
    let fresh = server.log_in_session("jwks@bottrop.de", dkbm_tests::PASSWORD).await;
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(fresh.access_token.split('.').next().expect("header"))
            .expect("base64"),
    )
    .expect("json");
    assert_eq!(header["kid"], new_kid.as_str());
    assert_me(&server.gql_as(&fresh, ME, json!({})).await, &fresh);
}

#[tokio::test]
async fn access_tokens_carry_the_documented_claims() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let session = server
        .member_with_role("claims@bottrop.de", Role::Editor, Some("transferagentur-nrw"))
        .await;
    let session = server.log_in_session(&session.email, dkbm_tests::PASSWORD).await;
    let claims = real_claims(&session.access_token);
    for claim in ["iss", "aud", "sub", "exp", "nbf", "iat", "jti", "roles", "sid"] {
        assert!(claims.get(claim).is_some(), "{claim} in {claims}");
    }
    let lifetime = claims["exp"].as_u64().expect("exp") - claims["iat"].as_u64().expect("iat");
    assert_eq!(lifetime, 900, "15 minutes");
    let roles: Vec<&str> = claims["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(roles[0], "MEMBER");
    assert!(roles[1].starts_with("EDITOR:"), "{roles:?}");
}
