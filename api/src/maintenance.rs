//! Housekeeping that every instance runs in the background: picking up signing keys rotated
//! elsewhere, queuing the mail that time makes due (event reminders, review reminders, forum digests: each once,
//! whatever the number of instances), giving quota seats released by time to the waiting lists, and purging what is no longer needed (expired sessions and refresh tokens, old
//! login attempts, used client-assertion ids, change-feed tombstones past their retention).
//! Every step is an idempotent delete, so replicas may run it at the same time.

use std::time::Duration;

use dkbm_entity::{login_attempt, refresh_token, session, used_jti};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::app::App;
use crate::db::now;
use crate::error::AppResult;

/// Old rows are purged every this many rounds.
const PURGE_EVERY: u32 = 10;

/// Runs forever; spawn it and abort it at shutdown.
pub async fn run(app: App) {
    let state = &app.state;
    let mut ticks: u32 = 0;
    // The first round comes one period after the start (the keys were just loaded; reminders
    // and digests are not late by a minute), so a start does no work beside its own.
    let period = Duration::from_secs(state.config.maintenance_secs.max(1));
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(error) = state.auth.keys.reload().await {
            tracing::warn!(error = %error, "reloading signing keys failed");
        }
        if let Err(error) =
            crate::events::service::queue_reminders(&state.writer, state.config.mail.event_reminder_hours).await
        {
            tracing::warn!(error = %error, "queuing event reminders failed");
        }
        if let Err(error) = crate::events::service::release_quota_seats(&state.writer).await {
            tracing::warn!(error = %error, "giving released quota seats to the waiting lists failed");
        }
        if let Err(error) =
            crate::accompaniment::service::queue_review_reminders(&state.writer, state.config.mail.review_reminder_days)
                .await
        {
            tracing::warn!(error = %error, "queuing review reminders failed");
        }
        if let Err(error) =
            crate::forums::service::queue_digests(&state.writer, &state.auth, state.config.mail.forum_digest_hour).await
        {
            tracing::warn!(error = %error, "queuing forum digests failed");
        }
        if ticks.is_multiple_of(PURGE_EVERY)
            && let Err(error) = purge(&app).await
        {
            tracing::warn!(error = %error, "purging expired rows failed");
        }
        ticks = ticks.wrapping_add(1);
    }
}

/// Deletes what has expired.
pub async fn purge(app: &App) -> AppResult<()> {
    let state = &app.state;
    let db = state.conn();
    let at = now();
    let day = chrono::Duration::days(1);
    refresh_token::Entity::delete_many()
        .filter(refresh_token::Column::ExpiresAt.lt(at - day))
        .exec(db)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(at - day))
        .exec(db)
        .await?;
    let window = chrono::Duration::from_std(state.config.auth.login_window()).unwrap_or(day);
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::AttemptedAt.lt(at - window - window))
        .exec(db)
        .await?;
    crate::practices::service::purge_tombstones(&state.writer, state.config.feed_tombstone_retention()).await?;
    crate::db::optimize(db, false).await?;
    // Delivered mail is kept a month for administrators; tokens once they can no longer be used.
    dkbm_entity::outbox_message::Entity::delete_many()
        .filter(dkbm_entity::outbox_message::Column::Status.eq(dkbm_entity::OutboxStatus::Sent))
        .filter(dkbm_entity::outbox_message::Column::SentAt.lt(at - chrono::Duration::days(30)))
        .exec(db)
        .await?;
    crate::webhooks::service::purge_deliveries(db, at - chrono::Duration::days(30)).await?;
    dkbm_entity::account_token::Entity::delete_many()
        .filter(dkbm_entity::account_token::Column::ExpiresAt.lt(at - day))
        .exec(db)
        .await?;
    // Throttle entries older than their window count for nothing.
    dkbm_entity::request_throttle::Entity::delete_many()
        .filter(dkbm_entity::request_throttle::Column::RequestedAt.lt(at - day))
        .exec(db)
        .await?;
    used_jti::Entity::delete_many()
        .filter(used_jti::Column::ExpiresAt.lt(at - chrono::Duration::minutes(5)))
        .exec(db)
        .await?;
    Ok(())
}
