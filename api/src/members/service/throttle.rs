//! Throttles for requests that send mail: at most so many per key (an address, a member, a
//! client address) and hour, counted in the database so that every replica sees every request.

use dkbm_entity::request_throttle;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::sessions::sha256_hex;
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::messages::MessageKey;

/// The window of every throttle.
const WINDOW_SECS: i64 = 3600;

/// Counts one request of `scope` for `key`; RATE_LIMITED when `limit` were made within the hour.
/// The key's advisory lock orders parallel requests, so none slips past the limit.
pub async fn hit(work: &UnitOfWork, scope: &str, key: &str, limit: u64) -> AppResult<()> {
    let key_hash = key_hash(scope, key);
    work.advisory_on_digest(&key_hash).await?;
    let at = now();
    let recent = request_throttle::Entity::find()
        .filter(request_throttle::Column::Scope.eq(scope))
        .filter(request_throttle::Column::KeyHash.eq(&key_hash))
        .filter(request_throttle::Column::RequestedAt.gt(at - chrono::Duration::seconds(WINDOW_SECS)))
        .count(work)
        .await?;
    if recent >= limit {
        return Err(AppError::RateLimited {
            message: MessageKey::MailRateLimited.into(),
            retry_after_secs: WINDOW_SECS.unsigned_abs(),
        });
    }
    request_throttle::ActiveModel {
        id: Set(Uuid::now_v7()),
        scope: Set(scope.to_owned()),
        key_hash: Set(key_hash),
        requested_at: Set(at),
    }
    .insert(work)
    .await?;
    Ok(())
}

fn key_hash(scope: &str, key: &str) -> String {
    sha256_hex(&format!("{scope}:{key}"))
}

/// Deletes the throttle rows keyed by a member's address or id (their account's deletion).
pub async fn forget_throttles(work: &UnitOfWork, member: &dkbm_entity::member::Model) -> AppResult<()> {
    use sea_orm::ColumnTrait;
    let keys = [
        key_hash(PASSWORD_RESET_ADDRESS, &member.email),
        key_hash(VERIFICATION_MEMBER, &member.id.to_string()),
    ];
    request_throttle::Entity::delete_many()
        .filter(request_throttle::Column::KeyHash.is_in(keys))
        .exec(work)
        .await?;
    Ok(())
}

/// The scope of password-reset requests per address.
pub const PASSWORD_RESET_ADDRESS: &str = "password_reset_address";
/// The scope of password-reset requests per client address.
pub const PASSWORD_RESET_CLIENT: &str = "password_reset_client";
/// The scope of verification mails per member.
pub const VERIFICATION_MEMBER: &str = "verification_member";
