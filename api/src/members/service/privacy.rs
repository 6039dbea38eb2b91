//! Data protection (DSGVO): a member can export everything stored about them and delete their
//! account. Each area contributes its part: an exporter for the export, an eraser that runs in
//! the deletion's transaction before the member row goes. The members area does not know the
//! areas above it: the assembly hands their exporters and erasers to [`MemberData`].

use dkbm_entity::outbox_message;
use futures::future::BoxFuture;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Map, Value, json};

use super::lookup::{grants_of, member_by_id};
use super::sessions::{sessions_of, sha256_hex};
use super::throttle::forget_throttles;
use crate::auth::{Viewer, ensure_member, passwords};
use crate::db::{UnitOfWork, Writer};
use crate::error::{AppError, AppResult};
use crate::ids::MemberId;
use crate::messages::MessageKey;

/// Contributes one section of the export: (section name, data).
pub type Exporter = for<'a> fn(&'a DatabaseConnection, MemberId) -> BoxFuture<'a, AppResult<(&'static str, Value)>>;

/// Removes or anonymises an area's personal data of a member, inside the deletion's unit of work
/// (which announces to live subscribers what changed, once the deletion has committed).
pub type Eraser = for<'a> fn(&'a UnitOfWork, MemberId) -> BoxFuture<'a, AppResult<()>>;

/// The members area's handle for data protection: every area's exporter and eraser. The
/// account's own are always part of it: its section is exported first, and it is erased last.
#[derive(Clone)]
pub struct MemberData {
    /// The account's exporter first, then the other areas' in the order given.
    exporters: Vec<Exporter>,
    /// The other areas' erasers in the order given, then the account's.
    erasers: Vec<Eraser>,
}

impl MemberData {
    /// Data protection over the account and the other areas' `exporters` and `erasers`.
    pub fn new(exporters: Vec<Exporter>, erasers: Vec<Eraser>) -> Self {
        let own_exporter: Exporter = export_account;
        let own_eraser: Eraser = erase_account;
        MemberData {
            exporters: std::iter::once(own_exporter).chain(exporters).collect(),
            erasers: erasers.into_iter().chain(std::iter::once(own_eraser)).collect(),
        }
    }
}

fn export_account(db: &DatabaseConnection, member_id: MemberId) -> BoxFuture<'_, AppResult<(&'static str, Value)>> {
    Box::pin(async move {
        let member = member_by_id(db, member_id)
            .await?
            .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
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
                "mail": mail_of(db, member_id).await?,
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

/// The mail to a member, newest first, for the export (what went, not the text).
async fn mail_of(db: &impl ConnectionTrait, member_id: MemberId) -> AppResult<Value> {
    let rows = outbox_message::Entity::find()
        .filter(outbox_message::Column::MemberId.eq(member_id))
        .order_by_desc(outbox_message::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(Value::Array(
        rows.iter()
            .map(|m| {
                json!({
                    "kind": m.kind, "recipient": m.recipient, "subject": m.subject,
                    "status": sea_orm::ActiveEnum::to_value(&m.status), "createdAt": m.created_at, "sentAt": m.sent_at,
                })
            })
            .collect(),
    ))
}

fn erase_account(work: &UnitOfWork, member_id: MemberId) -> BoxFuture<'_, AppResult<()>> {
    Box::pin(async move {
        // The login counter and the mail throttles are keyed by hashes of the email:
        // pseudonymous, but the member's. Queued mail and mailed tokens go with the member row.
        if let Some(member) = member_by_id(work, member_id).await? {
            dkbm_entity::login_attempt::Entity::delete_many()
                .filter(dkbm_entity::login_attempt::Column::EmailHash.eq(sha256_hex(&member.email)))
                .exec(work)
                .await?;
            forget_throttles(work, &member).await?;
        }
        Ok(())
    })
}

/// Everything stored about the viewer, as one JSON document: a section from each exporter of
/// `data`.
pub async fn export_my_data(db: &DatabaseConnection, data: &MemberData, viewer: &Viewer) -> AppResult<Value> {
    let me = ensure_member(viewer)?;
    let member_id = MemberId::from(me.id);
    let mut document = Map::new();
    document.insert("exportedAt".into(), json!(crate::db::now()));
    for exporter in &data.exporters {
        let (section, content) = exporter(db, member_id).await?;
        document.insert(section.into(), content);
    }
    Ok(Value::Object(document))
}

/// Deletes the viewer's account after checking the password: every eraser of `data` erases its
/// part, then the member row goes with its roles and sessions. Community content stays,
/// attributed to a deleted member. Live subscribers hear of what changed (freed seats) after
/// the commit.
pub async fn delete_my_account(writer: &Writer, data: &MemberData, viewer: &Viewer, password: &str) -> AppResult<()> {
    let me = ensure_member(viewer)?;
    let member_id = MemberId::from(me.id);
    let member = member_by_id(writer.conn(), member_id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    if !passwords::verify(password, Some(&member.password_hash)).await? {
        return Err(AppError::bad_input("password", MessageKey::PasswordWrong));
    }
    let work = UnitOfWork::begin(writer).await?;
    for eraser in &data.erasers {
        eraser(&work, member_id).await?;
    }
    dkbm_entity::member::Entity::delete_by_id(member_id).exec(&work).await?;
    work.commit().await
}
