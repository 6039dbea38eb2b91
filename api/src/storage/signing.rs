//! Signed download links: `?exp=<unix seconds>&sig=<base64url HMAC-SHA256>` over what the link
//! opens and until when, with a key the first instance generates and keeps in the database
//! (`server_setting`), so every replica accepts the links of the others. A link cannot be
//! stretched (the expiry is signed) nor moved to another file (so is the subject).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dkbm_entity::server_setting;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use sha2::Sha256;

/// The setting that holds the key.
const KEY_SETTING: &str = "file_url_key";

/// Signs and checks download links.
pub struct UrlSigner {
    key: Vec<u8>,
}

impl UrlSigner {
    /// The shared key: read, or generated and stored by the first instance (two instances
    /// starting together keep the one stored first).
    pub async fn load(db: &DatabaseConnection) -> anyhow::Result<UrlSigner> {
        let mut fresh = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        let row = server_setting::ActiveModel {
            name: Set(KEY_SETTING.to_owned()),
            value: Set(URL_SAFE_NO_PAD.encode(fresh)),
            updated_at: Set(crate::db::now()),
        };
        server_setting::Entity::insert(row)
            .on_conflict(OnConflict::column(server_setting::Column::Name).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
        let stored = server_setting::Entity::find_by_id(KEY_SETTING.to_owned())
            .one(db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the key of signed links was not stored"))?;
        let key = URL_SAFE_NO_PAD.decode(stored.value.trim())?;
        anyhow::ensure!(key.len() >= 32, "the stored key of signed links is too short");
        Ok(UrlSigner { key })
    }

    fn mac(&self, subject: &str, expires: i64) -> Hmac<Sha256> {
        // A key of any length is accepted by HMAC; `new_from_slice` cannot fail for it.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(subject.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    /// The signature of a link to `subject` that works until `expires` (unix seconds).
    pub fn sign(&self, subject: &str, expires: i64) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(subject, expires).finalize().into_bytes())
    }

    /// Whether `signature` signs a link to `subject` until `expires`, and `now` is before it.
    pub fn verify(&self, subject: &str, expires: i64, signature: &str, now: i64) -> bool {
        if now >= expires {
            return false;
        }
        let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        // Constant time: the comparison tells nothing about how much of a guess was right.
        self.mac(subject, expires).verify_slice(&signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_subject_and_time_only() {
        let signer = UrlSigner { key: vec![7; 32] };
        let signature = signer.sign("file-a", 1_000);
        assert!(signer.verify("file-a", 1_000, &signature, 999));
        assert!(!signer.verify("file-a", 1_000, &signature, 1_000), "expired");
        assert!(!signer.verify("file-b", 1_000, &signature, 999), "another file");
        assert!(!signer.verify("file-a", 2_000, &signature, 999), "a stretched expiry");
        assert!(!signer.verify("file-a", 1_000, "not base64!", 999));
    }
}
