//! The administrators' view of the outbox: what is queued, what went, what failed and why, and
//! sending a failed message again.

use dkbm_entity::{OutboxStatus, outbox_message};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::auth::{Viewer, ensure_admin};
use crate::db::{Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::OutboxMessageId;
use crate::messages::MessageKey;
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};

/// A page of the outbox, newest first, optionally of one status (administrators only).
pub async fn outbox_messages(
    db: &DatabaseConnection,
    viewer: &Viewer,
    status: Option<OutboxStatus>,
    page: &PageArgs,
) -> AppResult<Page<outbox_message::Model>> {
    ensure_admin(viewer)?;
    let mut select = outbox_message::Entity::find();
    if let Some(status) = status {
        select = select.filter(outbox_message::Column::Status.eq(status));
    }
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "outbox:CREATED_AT:Desc".into(),
        keys: vec![
            (Expr::col(outbox_message::Column::CreatedAt), KeyKind::Time),
            (Expr::col(outbox_message::Column::Id), KeyKind::Uuid),
        ],
        descending: true,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |row| {
        vec![Key::Time(row.created_at), Key::Uuid(row.id)]
    }))
}

/// Queues a FAILED message again, with a fresh count of attempts (administrators only), and
/// wakes this instance's delivery worker.
pub async fn retry_message(writer: &Writer, viewer: &Viewer, id: OutboxMessageId) -> AppResult<outbox_message::Model> {
    ensure_admin(viewer)?;
    use outbox_message::Column;
    let updated = outbox_message::Entity::update_many()
        .col_expr(Column::Status, Expr::value(OutboxStatus::Pending))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(OutboxStatus::Failed))
        .exec_with_returning(writer.conn())
        .await?;
    match updated.into_iter().next() {
        Some(message) => {
            writer.mailer().wake.notify_one();
            Ok(message)
        }
        None => match outbox_message::Entity::find_by_id(id).one(writer.conn()).await? {
            Some(_) => Err(AppError::conflict("id", MessageKey::OnlyFailedResent)),
            None => Err(AppError::not_found(MessageKey::NoSuchOutboxMessage)),
        },
    }
}
