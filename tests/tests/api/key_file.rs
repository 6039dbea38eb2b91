//! The generated signing key is written in the form operators' tools read (PKCS#8 v1, RFC 5208),
//! and a v2 key (RFC 5958, with the public key inside) is still read.

use std::path::Path;

use dkbm_entity::signing_key;
use dkbm_tests::{TestServer, data};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{EncodePrivateKey, PrivateKeyInfo};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

/// Asserts that `pem` is an unencrypted PKCS#8 v1 Ed25519 key without the public key.
fn assert_pkcs8_v1(pem: &str, what: &str) {
    let (label, der) = ed25519_dalek::pkcs8::spki::der::pem::decode_vec(pem.as_bytes()).expect("PEM");
    assert_eq!(label, "PRIVATE KEY", "{what}");
    let info = PrivateKeyInfo::try_from(der.as_slice()).expect("PKCS#8");
    assert_eq!(u8::from(info.version()), 0, "{what}: version 0 (v1)");
    assert!(info.public_key.is_none(), "{what}: no [1] public key");
    assert_eq!(info.algorithm.oid.to_string(), "1.3.101.112", "{what}: Ed25519");
}

/// `openssl pkey` accepts the key file. Without openssl the check is skipped with a note,
/// unless `DKBM_REQUIRE_OPENSSL` is set (CI sets it), where a missing openssl fails the test.
fn assert_openssl_reads(path: &Path) {
    match std::process::Command::new("openssl")
        .args(["pkey", "-noout", "-in"])
        .arg(path)
        .output()
    {
        Ok(output) => assert!(
            output.status.success(),
            "openssl refuses the key: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) if std::env::var_os("DKBM_REQUIRE_OPENSSL").is_some() => {
            panic!("openssl is required (DKBM_REQUIRE_OPENSSL) but cannot be run: {error}")
        }
        Err(error) => eprintln!("skipping the openssl check: openssl cannot be run ({error})"),
    }
}

#[tokio::test]
async fn the_generated_key_is_pkcs8_v1_that_openssl_reads() {
    let server = TestServer::start().await;
    let keys = signing_key::Entity::find()
        .all(&server.db.connect().await)
        .await
        .expect("query");
    assert_eq!(keys.len(), 1, "one key generated");
    assert_pkcs8_v1(&keys[0].private_key_pem, "the key in the database");

    let directory = tempfile::tempdir().expect("temp dir");
    let copy = directory.path().join("from-database.pem");
    std::fs::write(&copy, &keys[0].private_key_pem).expect("write");
    assert_openssl_reads(&copy);

    // The key lives in the database only: no copy beside an SQLite file, where `git add .`
    // of a working directory would publish it.
    if let Some(database) = server.db.url.strip_prefix("sqlite://") {
        let database = Path::new(database.split('?').next().expect("a path before the query"));
        let folder = database.parent().expect("the database's folder");
        let files: Vec<_> = std::fs::read_dir(folder)
            .expect("read the folder")
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            files.iter().all(|name| !name.ends_with(".pem")),
            "a key file beside the database: {files:?}"
        );
    }
}

#[tokio::test]
async fn a_pkcs8_v2_key_file_is_still_read() {
    let key = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    // ed25519-dalek writes v2 (with the public key), as dkbm-hub did before.
    let pem = key.to_pkcs8_pem(LineEnding::LF).expect("pem");
    let (_, der) = ed25519_dalek::pkcs8::spki::der::pem::decode_vec(pem.as_bytes()).expect("PEM");
    assert_eq!(
        u8::from(PrivateKeyInfo::try_from(der.as_slice()).expect("PKCS#8").version()),
        1
    );
    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join("v2.pem");
    std::fs::write(&path, pem.as_bytes()).expect("write");

    let configured = path.clone();
    let server = TestServer::start_with(move |config| config.auth.private_key_file = Some(configured)).await;
    let jwks: Value = server.get("/.well-known/jwks.json").await.json().await.expect("json");
    use base64::Engine;
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    assert!(
        jwks["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .any(|jwk| jwk["x"] == x.as_str()),
        "the configured key is published: {jwks}"
    );
    let session = server.sign_up("v2-key@bottrop.de").await;
    let me = server.gql_as(&session, "{ me { displayName } }", json!({})).await;
    assert_eq!(
        data(&me)["me"]["displayName"],
        "v2-key",
        "a token signed with the v2 key verifies"
    );
}
