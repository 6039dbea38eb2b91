//! The mail delivery worker every instance runs: it claims due messages of the outbox (each by
//! one worker only, see [`crate::db::outbox`]), sends them one after another and records each
//! outcome at once, so that a worker that dies mid-batch loses nothing and repeats at most the
//! message in flight (whose stable `Message-ID` lets the mail client collapse the duplicate).
//! A temporary failure (4xx, no connection) is retried after 1, 2, 4 … times `--mail-retry-secs`;
//! a permanent one (5xx), or the last allowed attempt, leaves the message FAILED with the reason.

use std::time::Duration;

use dkbm_entity::{OutboxStatus, outbox_message};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::config::{DatabaseConfig, MailConfig};
use crate::db::now;
use crate::error::AppResult;
use crate::mail::Mailer;
use crate::mail::transport::SendFailure;
use crate::metrics::Metrics;
use crate::server::Lifecycle;

/// What delivering mail needs: the mailer, its settings, the database to claim from and the
/// metrics to count in.
#[derive(Clone)]
pub struct MailDelivery {
    pub mailer: std::sync::Arc<Mailer>,
    pub config: MailConfig,
    pub database: DatabaseConfig,
    pub metrics: std::sync::Arc<Metrics>,
    /// The instance's life: once it closes, the worker finishes the message in hand, gives back
    /// the rest of its batch and ends.
    pub lifecycle: std::sync::Arc<Lifecycle>,
}

/// Messages one claim takes.
const BATCH: u64 = 20;

/// Runs until the instance closes. The worker has its own two database
/// connections, so that sending never waits for (or holds) a connection of the requests.
pub async fn run(delivery: MailDelivery) {
    let poll = Duration::from_secs(delivery.config.mail_poll_secs.max(1));
    let settle = Duration::from_millis(delivery.config.mail_settle_ms);
    let config = DatabaseConfig {
        max_connections: 2,
        ..delivery.database.clone()
    };
    let db = match crate::db::connect_with_metrics(&config, std::sync::Arc::default()).await {
        Ok(db) => db.connection,
        Err(error) => {
            tracing::error!(error = %error, "the mail worker cannot connect to the database; mail is not sent");
            return;
        }
    };
    while !delivery.lifecycle.is_closed() {
        if let Err(error) = deliver_due(&delivery, &db).await {
            tracing::warn!(error = %error, "delivering mail failed; trying again later");
        }
        tokio::select! {
            () = delivery.lifecycle.closed() => {}
            () = delivery.mailer.wake.notified() => {
                // Let a burst of changes (a registration opening) finish before sending its mail:
                // the sends' bookkeeping would otherwise compete with it for the database.
                tokio::time::sleep(settle).await;
            }
            () = tokio::time::sleep(poll) => {}
        }
    }
}

/// Sends every message that is due now over `db`; returns how many went.
pub async fn deliver_due(delivery: &MailDelivery, db: &DatabaseConnection) -> AppResult<usize> {
    let lease = chrono::Duration::seconds(i64::try_from(delivery.config.mail_lease_secs).unwrap_or(300));
    let mut sent = 0;
    loop {
        let at = now();
        let batch = crate::db::outbox::claim_due(db, at, at + lease, BATCH).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for (index, message) in batch.iter().enumerate() {
            if delivery.lifecycle.is_closed() {
                release(db, &batch[index..]).await?;
                return Ok(sent);
            }
            let span = tracing::debug_span!(
                "outbox.deliver",
                otel.kind = "producer",
                messaging.system = "smtp",
                message_kind = %message.kind,
                attempt = message.attempts,
            );
            let delivered = async {
                let outcome = delivery.mailer.transport.send(delivery.mailer.sender(), message).await;
                let ok = outcome.is_ok();
                record(delivery, db, message, outcome).await.map(|()| ok)
            };
            if tracing::Instrument::instrument(delivered, span).await? {
                sent += 1;
            }
        }
    }
}

/// Gives back claimed messages that were not attempted (the instance is going): due again at
/// once for any worker, the attempt not counted.
async fn release(db: &DatabaseConnection, messages: &[outbox_message::Model]) -> AppResult<()> {
    use outbox_message::Column;
    use sea_orm::sea_query::ExprTrait;
    outbox_message::Entity::update_many()
        .col_expr(Column::Status, Expr::value(OutboxStatus::Pending))
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).sub(1))
        .filter(Column::Id.is_in(messages.iter().map(|message| message.id)))
        .filter(Column::Status.eq(OutboxStatus::Sending))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the outcome of one attempt (only while this worker still holds the message).
async fn record(
    delivery: &MailDelivery,
    db: &DatabaseConnection,
    message: &outbox_message::Model,
    outcome: Result<(), SendFailure>,
) -> AppResult<()> {
    use outbox_message::Column;
    let at = now();
    let update = outbox_message::Entity::update_many()
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(Column::Id.eq(message.id))
        .filter(Column::Status.eq(OutboxStatus::Sending));
    let update = match outcome {
        Ok(()) => {
            delivery.metrics.mail_sent.inc();
            update
                .col_expr(Column::Status, Expr::value(OutboxStatus::Sent))
                .col_expr(Column::SentAt, Expr::value(at))
                .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        }
        Err(failure) => {
            let config = &delivery.config;
            let give_up = failure.permanent || message.attempts >= config.mail_max_attempts;
            tracing::warn!(
                message_id = %message.message_id, kind = %message.kind, attempts = message.attempts,
                give_up, reason = %failure.reason, "a mail was not delivered"
            );
            if give_up {
                delivery.metrics.mail_failed.inc();
                update
                    .col_expr(Column::Status, Expr::value(OutboxStatus::Failed))
                    .col_expr(Column::LastError, Expr::value(failure.reason))
            } else {
                let exponent = u32::try_from(message.attempts.max(1) - 1).unwrap_or(0).min(16);
                let wait = config.mail_retry_secs.saturating_mul(1 << exponent);
                let wait = chrono::Duration::seconds(i64::try_from(wait).unwrap_or(i64::MAX / 2));
                update
                    .col_expr(Column::Status, Expr::value(OutboxStatus::Pending))
                    .col_expr(Column::NextAttemptAt, Expr::value(at + wait))
                    .col_expr(Column::LastError, Expr::value(failure.reason))
            }
        }
    };
    update.exec(db).await?;
    Ok(())
}
