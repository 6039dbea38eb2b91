//! What an attempt leaves behind: the delivery's record (delivered, failed, or pending with its
//! next attempt), and an endpoint that has failed for too long switched off with a mail to its
//! agency's administrators.

use std::time::Duration;

use chrono::{DateTime, Utc};
use dkbm_entity::webhook_delivery::WebhookDeliveryStatus;
use dkbm_entity::{webhook, webhook_delivery};
use minijinja::context;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::attempt::{Outcome, Verdict};
use crate::config::WebhookConfig;
use crate::db::{UnitOfWork, Writer};
use crate::error::AppResult;
use crate::ids::AgencyId;
use crate::mail::{Mail, Recipient};

/// The longest wait between two attempts (and the most of a `Retry-After` honoured).
const LONGEST_WAIT: Duration = Duration::from_secs(24 * 3600);

/// What the endpoint's queue does after an attempt.
pub enum Next {
    /// The next delivery may go.
    Continue,
    /// The queue waits until then (its first delivery's retry).
    Pause(DateTime<Utc>),
}

/// The wait before attempt `attempts + 1`: the base doubled per attempt made, ±20 % jitter.
fn backoff(config: &WebhookConfig, attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.max(1) - 1).unwrap_or(0).min(20);
    let wait = config.webhook_retry_base_secs.max(1).saturating_mul(1 << exponent) as f64;
    let jittered = wait * rand::thread_rng().gen_range(0.8..1.2);
    Duration::from_secs_f64(jittered).min(LONGEST_WAIT)
}

/// Records an attempt of `delivery` made at `at`; answers what the queue does next.
pub async fn record(
    db: &impl ConnectionTrait,
    config: &WebhookConfig,
    delivery: &webhook_delivery::Model,
    outcome: &Outcome,
    at: DateTime<Utc>,
) -> AppResult<Next> {
    use webhook_delivery::Column;
    let attempts = delivery.attempts + 1;
    let give_up_at = delivery.created_at
        + chrono::Duration::seconds(i64::try_from(config.webhook_give_up_secs).unwrap_or(i64::MAX / 4));
    let (status, next) = match outcome.verdict {
        Verdict::Delivered => (WebhookDeliveryStatus::Delivered, Next::Continue),
        Verdict::Refused => (WebhookDeliveryStatus::Failed, Next::Continue),
        Verdict::Retry(asked) => {
            let wait = asked.map_or_else(|| backoff(config, attempts), |asked| asked.min(LONGEST_WAIT));
            let retry_at = at + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::days(1));
            if retry_at > give_up_at {
                (WebhookDeliveryStatus::Failed, Next::Continue)
            } else {
                (WebhookDeliveryStatus::Pending, Next::Pause(retry_at))
            }
        }
    };
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::Attempts, Expr::value(attempts))
        .col_expr(Column::LastAttemptAt, Expr::value(at))
        .col_expr(Column::ResponseStatus, Expr::value(outcome.status.map(i32::from)))
        .col_expr(Column::LastError, Expr::value(outcome.error.clone()))
        .filter(Column::Id.eq(delivery.id));
    match next {
        Next::Pause(retry_at) => update = update.col_expr(Column::NextAttemptAt, Expr::value(retry_at)),
        Next::Continue if status == WebhookDeliveryStatus::Delivered => {
            update = update.col_expr(Column::DeliveredAt, Expr::value(at));
        }
        Next::Continue => {}
    }
    update.exec(db).await?;
    Ok(next)
}

/// Whether `endpoint` has failed for so long that it is switched off.
pub fn failing_too_long(config: &WebhookConfig, endpoint: &webhook::Model, at: DateTime<Utc>) -> bool {
    let limit = chrono::Duration::seconds(i64::try_from(config.webhook_disable_after_secs).unwrap_or(i64::MAX / 4));
    endpoint.failing_since.is_some_and(|since| at - since >= limit)
}

/// Switches `endpoint` off (its pending deliveries are kept) and mails its agency's
/// administrators, in one transaction.
pub async fn disable(writer: &Writer, endpoint: &webhook::Model, error: &str, at: DateTime<Utc>) -> AppResult<()> {
    use webhook::Column;
    let work = UnitOfWork::begin(writer).await?;
    let reason = format!("every delivery failed for too long; the last: {error}");
    let reason: String = reason.chars().take(500).collect();
    webhook::Entity::update_many()
        .col_expr(Column::Enabled, Expr::value(false))
        .col_expr(Column::DisabledAt, Expr::value(at))
        .col_expr(Column::DisabledReason, Expr::value(reason))
        .col_expr(Column::FailingSince, Expr::value(endpoint.failing_since))
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::PausedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(Column::Id.eq(endpoint.id))
        .exec(&work)
        .await?;
    let agency_id = AgencyId::from(endpoint.agency_id);
    let agency = crate::directory::service::agency_by_id(&work, agency_id)
        .await?
        .map(|agency| agency.name)
        .unwrap_or_default();
    let since = endpoint
        .failing_since
        .unwrap_or(at)
        .format("%d.%m.%Y %H:%M UTC")
        .to_string();
    for admin in crate::members::service::agency_admins(&work, agency_id).await? {
        let context = context! { agency => &agency, url => &endpoint.url, since => &since, error => error };
        work.send(Mail::new("webhook_disabled", Recipient::member(&admin), context))?;
    }
    work.commit().await?;
    tracing::warn!(webhook = %endpoint.id, url = %endpoint.url, "a webhook failing for too long was disabled");
    Ok(())
}
