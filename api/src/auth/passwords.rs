//! Passwords: argon2id with the OWASP parameters (19 MiB memory, 2 iterations, 1 lane), a
//! strength policy (at least 12 characters, zxcvbn score at least 3), and a dummy hash so that a
//! login for an unknown email costs as much time as one for a known email.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, AppResult};
use crate::messages::{Message, MessageKey, password_feedback};

/// Memory cost in KiB (OWASP: 19 MiB).
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Iterations (OWASP: 2).
pub const ITERATIONS: u32 = 2;
/// Parallelism (OWASP: 1).
pub const LANES: u32 = 1;
/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted (hashing cost does not grow with it, but the request body does).
pub const MAX_LENGTH: usize = 256;

fn argon2() -> AppResult<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None)
        .map_err(|error| AppError::internal(anyhow::anyhow!("argon2 parameters: {error}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Checks length and strength; `context` are words a good password must not lean on (the
/// email, the display name).
pub fn check_strength(field: &str, password: &str, context: &[&str]) -> AppResult<()> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        let message = Message::new(MessageKey::PasswordTooShort)
            .with("length", length)
            .with("min", MIN_LENGTH);
        return Err(AppError::bad_input(field, message));
    }
    if length > MAX_LENGTH {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::PasswordTooLong).with("max", MAX_LENGTH),
        ));
    }
    let entropy = zxcvbn::zxcvbn(password, context);
    if u8::from(entropy.score()) < 3 {
        return Err(AppError::bad_input(field, password_feedback(entropy.feedback())));
    }
    Ok(())
}

/// Hashes a password (on a blocking thread: it takes tens of milliseconds of CPU).
pub async fn hash(password: &str) -> AppResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| AppError::internal(anyhow::anyhow!("hashing a password: {error}")))
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash of no real password, verified against when the email is unknown.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .ok()
            .and_then(|argon2| argon2.hash_password(b"not the password of anyone", &salt).ok())
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

/// Verifies a password against a stored hash, or against the dummy hash when there is none,
/// so that both cases take the same time.
pub async fn verify(password: &str, stored: Option<&str>) -> AppResult<bool> {
    let password = password.to_owned();
    let (stored, real) = match stored {
        Some(hash) => (hash.to_owned(), true),
        None => (dummy_hash().to_owned(), false),
    };
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return Ok(false);
        };
        let matches = argon2()?.verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(matches && real)
    })
    .await
    .map_err(AppError::internal)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let error = check_strength("password", "passwort123456", &[]).expect_err("weak");
        let AppError::BadUserInput { message, .. } = error else {
            panic!("bad input")
        };
        assert!(message.to_string().contains("too easy to guess"), "{message}");
        assert!(check_strength("password", "short", &[]).is_err());
        assert!(check_strength("password", "Bottrop Bildungsbüro 2026", &["bottrop"]).is_ok());
        assert!(check_strength("password", "elisa.czernik@bottrop.de", &["elisa.czernik@bottrop.de"]).is_err());
    }

    #[tokio::test]
    async fn hashes_verify() {
        let hash = hash("correct horse battery staple").await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("correct horse battery staple", Some(&hash))
                .await
                .expect("verify")
        );
        assert!(!verify("wrong horse battery staple", Some(&hash)).await.expect("verify"));
        assert!(!verify("correct horse battery staple", None).await.expect("verify"));
    }
}
