//! The administrators' view of the outbox: what is queued, what went, what failed and why, and
//! sending a failed message again.

use dkbm_entity::{OutboxStatus, outbox_message};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::{Viewer, ensure_admin};
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::state::AppState;

/// A page of the outbox, newest first, optionally of one status (administrators only).
pub async fn outbox_messages(
    state: &AppState,
    viewer: &Viewer,
    status: Option<OutboxStatus>,
    page: &PageArgs,
) -> AppResult<Page<outbox_message::Model>> {
    ensure_admin(viewer)?;
    let db = state.conn();
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

/// Queues a FAILED message again, with a fresh count of attempts (administrators only).
pub async fn retry_message(state: &AppState, viewer: &Viewer, id: Uuid) -> AppResult<outbox_message::Model> {
    ensure_admin(viewer)?;
    use outbox_message::Column;
    let updated = outbox_message::Entity::update_many()
        .col_expr(Column::Status, Expr::value(OutboxStatus::Pending))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(OutboxStatus::Failed))
        .exec_with_returning(state.conn())
        .await?;
    match updated.into_iter().next() {
        Some(message) => {
            state.mail.wake.notify_one();
            Ok(message)
        }
        None => match outbox_message::Entity::find_by_id(id).one(state.conn()).await? {
            Some(_) => Err(AppError::conflict("id", "only a FAILED message can be sent again")),
            None => Err(AppError::not_found("no such message in the outbox")),
        },
    }
}

/// The mail to a member, newest first, for the data-protection export (what went, not the text).
pub async fn mail_of(db: &impl sea_orm::ConnectionTrait, member_id: Uuid) -> AppResult<serde_json::Value> {
    use sea_orm::QueryOrder;
    let rows = outbox_message::Entity::find()
        .filter(outbox_message::Column::MemberId.eq(member_id))
        .order_by_desc(outbox_message::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(serde_json::Value::Array(
        rows.iter()
            .map(|m| {
                serde_json::json!({
                    "kind": m.kind, "recipient": m.recipient, "subject": m.subject,
                    "status": sea_orm::ActiveEnum::to_value(&m.status), "createdAt": m.created_at, "sentAt": m.sent_at,
                })
            })
            .collect(),
    ))
}
