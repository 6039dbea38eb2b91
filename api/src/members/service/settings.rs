//! How the platform notifies a member by mail.

use dkbm_entity::{ForumMail, member};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::accounts::member_by_id;
use crate::auth::{Viewer, ensure_member};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Changes to the notification settings: `None` leaves a setting.
#[derive(Debug, Clone, Default)]
pub struct NotificationChanges {
    pub forum_mail: Option<ForumMail>,
    pub event_reminders: Option<bool>,
}

/// Changes the viewer's notification settings.
pub async fn update_notification_settings(
    state: &AppState,
    viewer: &Viewer,
    changes: NotificationChanges,
) -> AppResult<member::Model> {
    let me = ensure_member(viewer)?;
    let work = UnitOfWork::begin(state).await?;
    let current = member_by_id(&work, me.id)
        .await?
        .ok_or_else(|| AppError::not_found("no such member"))?;
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
