//! Data protection (DSGVO): a member can export everything stored about them and delete their
//! account. Each area contributes its part: an exporter for the export, an eraser that runs in
//! the deletion's transaction before the member row goes.

use futures::future::BoxFuture;
use sea_orm::EntityTrait;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{grants_of, member_by_id, sessions_of};
use crate::auth::{Viewer, ensure_member, passwords};
use crate::db::UnitOfWork;
use crate::error::{AppError, AppResult};
use crate::messages::MessageKey;
use crate::state::AppState;

/// Contributes one section of the export: (section name, data).
pub type Exporter =
    for<'a> fn(&'a sea_orm::DatabaseConnection, Uuid) -> BoxFuture<'a, AppResult<(&'static str, Value)>>;

/// Removes or anonymises an area's personal data of a member, inside the deletion's unit of work
/// (which announces to live subscribers what changed, once the deletion has committed).
pub type Eraser = for<'a> fn(&'a UnitOfWork, Uuid) -> BoxFuture<'a, AppResult<()>>;

/// Every area's exporter.
fn exporters() -> Vec<Exporter> {
    vec![export_account, crate::events::service::export_registrations]
}

/// Every area's eraser.
fn erasers() -> Vec<Eraser> {
    vec![
        crate::events::service::erase_registrations,
        crate::forums::service::erase_forum_roles,
        erase_account,
    ]
}

fn export_account(
    db: &sea_orm::DatabaseConnection,
    member_id: Uuid,
) -> BoxFuture<'_, AppResult<(&'static str, Value)>> {
    Box::pin(async move {
        let member = member_by_id(db, member_id)
            .await?
            .ok_or_else(|| AppError::not_found("no such member"))?;
        let grants = grants_of(db, member_id).await?;
        let sessions = sessions_of(db, member_id).await?;
        Ok((
            "account",
            json!({
                "profile": {
                    "id": member.id,
                    "email": member.email,
                    "displayName": member.display_name,
                    "municipalityId": member.municipality_id,
                    "agencyId": member.agency_id,
                    "createdAt": member.created_at,
                    "updatedAt": member.updated_at,
                    "emailVerifiedAt": member.email_verified_at,
                    "language": member.language,
                    "notificationSettings": {
                        "forumMail": sea_orm::ActiveEnum::to_value(&member.forum_mail),
                        "eventReminders": member.event_reminders,
                    },
                },
                "mail": crate::mail::service::mail_of(db, member_id).await?,
                "roles": grants.iter().map(|g| json!({ "role": g.role.name(), "agencyId": g.agency_id })).collect::<Vec<_>>(),
                "sessions": sessions.iter().map(|s| json!({
                    "id": s.id,
                    "createdAt": s.created_at,
                    "lastRefreshedAt": s.last_refreshed_at,
                    "expiresAt": s.expires_at,
                    "revokedAt": s.revoked_at,
                    "revokeReason": s.revoke_reason,
                })).collect::<Vec<_>>(),
            }),
        ))
    })
}

fn erase_account(work: &UnitOfWork, member_id: Uuid) -> BoxFuture<'_, AppResult<()>> {
    Box::pin(async move {
        // The login counter and the mail throttles are keyed by hashes of the email:
        // pseudonymous, but the member's. Queued mail and mailed tokens go with the member row.
        if let Some(member) = member_by_id(work, member_id).await? {
            use sea_orm::{ColumnTrait, QueryFilter};
            dkbm_entity::login_attempt::Entity::delete_many()
                .filter(dkbm_entity::login_attempt::Column::EmailHash.eq(super::sha256_hex(&member.email)))
                .exec(work)
                .await?;
            super::forget_throttles(work, &member).await?;
        }
        Ok(())
    })
}

/// Everything stored about the viewer, as one JSON document.
pub async fn export_my_data(state: &AppState, viewer: &Viewer) -> AppResult<Value> {
    let me = ensure_member(viewer)?;
    let mut document = Map::new();
    document.insert("exportedAt".into(), json!(crate::db::now()));
    for exporter in exporters() {
        let (section, data) = exporter(state.conn(), me.id).await?;
        document.insert(section.into(), data);
    }
    Ok(Value::Object(document))
}

/// Deletes the viewer's account after checking the password: every area erases its part, then
/// the member row goes with its roles and sessions. Community content stays, attributed to a
/// deleted member. Live subscribers hear of what changed (freed seats) after the commit.
pub async fn delete_my_account(state: &AppState, viewer: &Viewer, password: &str) -> AppResult<()> {
    let me = ensure_member(viewer)?;
    let member = member_by_id(state.conn(), me.id)
        .await?
        .ok_or_else(|| AppError::not_found("no such member"))?;
    if !passwords::verify(password, Some(&member.password_hash)).await? {
        return Err(AppError::bad_input("password", MessageKey::PasswordWrong));
    }
    let work = UnitOfWork::begin(state).await?;
    for eraser in erasers() {
        eraser(&work, me.id).await?;
    }
    dkbm_entity::member::Entity::delete_by_id(me.id).exec(&work).await?;
    work.commit().await
}
