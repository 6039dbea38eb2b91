//! Standard Webhooks signing: a secret is `whsec_` and the base64 of 32 random bytes; a
//! delivery carries `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`:
//! `v1,` and the base64 of HMAC-SHA256 over `{id}.{timestamp}.{body}`, one per valid secret,
//! separated by spaces (both the new and the previous secret while a rotation's overlap lasts).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use dkbm_entity::webhook;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use uuid::Uuid;

/// The prefix of every secret.
const PREFIX: &str = "whsec_";

/// A new secret.
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    format!("{PREFIX}{}", STANDARD.encode(key))
}

/// The `webhook-id` of a message.
pub fn message_id(message: Uuid) -> String {
    format!("msg_{}", message.simple())
}

/// The `v1,…` signature of `body` under `secret` (None for a malformed secret: never stored).
fn sign(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{message_id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header of a delivery made at `at`: the current secret's signature,
/// and the previous secret's while it is still valid.
pub fn signature_header(
    endpoint: &webhook::Model,
    message_id: &str,
    timestamp: i64,
    body: &str,
    at: DateTime<Utc>,
) -> String {
    let previous = endpoint
        .previous_secret
        .as_deref()
        .filter(|_| endpoint.previous_secret_until.is_some_and(|until| until > at));
    std::iter::once(endpoint.secret.as_str())
        .chain(previous)
        .filter_map(|secret| sign(secret, message_id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specifications_example_signs_as_published() {
        // The test vector of the Standard Webhooks reference implementations.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(
            signature.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn a_new_secret_signs() {
        let secret = new_secret();
        assert!(secret.starts_with(PREFIX));
        assert!(sign(&secret, "msg_1", 1, "{}").is_some());
    }
}
