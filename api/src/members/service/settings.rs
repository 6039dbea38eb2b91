//! How the platform notifies a member by mail.

use dkbm_entity::{ForumMail, member};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::lookup::member_by_id;
use super::verification::invalid_link;
use crate::auth::{Auth, Viewer, ensure_member};
use crate::config::AuthConfig;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::MemberId;
use crate::mail::Mailer;
use crate::messages::MessageKey;

/// Changes to the notification settings: `None` leaves a setting.
#[derive(Debug, Clone, Default)]
pub struct NotificationChanges {
    pub forum_mail: Option<ForumMail>,
    pub event_reminders: Option<bool>,
}

/// Changes the viewer's notification settings.
pub async fn update_notification_settings(
    writer: &Writer,
    viewer: &Viewer,
    changes: NotificationChanges,
) -> AppResult<member::Model> {
    let me = ensure_member(viewer)?;
    let work = UnitOfWork::begin(writer).await?;
    let current = member_by_id(&work, me.id.into())
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    let mut model: member::ActiveModel = current.into();
    if let Some(mode) = changes.forum_mail {
        model.forum_mail = Set(mode);
    }
    if let Some(reminders) = changes.event_reminders {
        model.event_reminders = Set(reminders);
    }
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    work.commit().await?;
    Ok(model)
}

/// The claims of a one-click unsubscribe link: which member, from what; signed with the access
/// tokens' key, valid without end (an old mail's link keeps working while its key is kept).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct UnsubscribeClaims {
    iss: String,
    aud: String,
    sub: String,
    iat: u64,
    /// What the link switches off: `forum`.
    scope: String,
}

fn unsubscribe_audience(config: &AuthConfig) -> String {
    format!("{}:unsubscribe", config.audience)
}

/// The signed one-click unsubscribe URL (RFC 8058) for a member's forum mail; it needs no sign-in.
/// Signed with `auth`'s keys; `mailer` knows the public address it points at.
pub fn unsubscribe_url(auth: &Auth, mailer: &Mailer, member_id: MemberId) -> AppResult<String> {
    let claims = UnsubscribeClaims {
        iss: auth.config.issuer.clone(),
        aud: unsubscribe_audience(&auth.config),
        sub: member_id.to_string(),
        iat: u64::try_from(now().timestamp()).unwrap_or_default(),
        scope: "forum".into(),
    };
    let token = auth.keys.sign(&claims)?;
    Ok(mailer.url(&format!("/mail/unsubscribe?token={token}")))
}

/// Switches the forum mail of the link's member off. An invalid link is BAD_USER_INPUT.
pub async fn unsubscribe(writer: &Writer, auth: &Auth, token: &str) -> AppResult<member::Model> {
    use jsonwebtoken::{Algorithm, Validation};
    let invalid = || invalid_link("token");
    let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
    let kid = header.kid.ok_or_else(invalid)?;
    let key = auth.keys.decoding_key(&kid).await.ok_or_else(invalid)?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.validate_exp = false;
    validation.set_required_spec_claims(&["iss", "aud", "sub"]);
    validation.set_issuer(&[&auth.config.issuer]);
    validation.set_audience(&[unsubscribe_audience(&auth.config)]);
    let claims = jsonwebtoken::decode::<UnsubscribeClaims>(token, &key, &validation)
        .map_err(|_| invalid())?
        .claims;
    let member_id: MemberId = claims.sub.parse::<uuid::Uuid>().map_err(|_| invalid())?.into();
    let work = UnitOfWork::begin(writer).await?;
    let current = member_by_id(&work, member_id).await?.ok_or_else(invalid)?;
    let mut model: member::ActiveModel = current.into();
    model.forum_mail = Set(ForumMail::Off);
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    work.commit().await?;
    Ok(model)
}
