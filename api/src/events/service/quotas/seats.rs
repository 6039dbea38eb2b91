//! The quotas' seat counters written under the event's row lock: what a batch or a move up the
//! waiting list took (one statement for every quota it touched), a seat given back.

use dkbm_entity::event_quota;
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::AppResult;
use crate::ids::{EventId, QuotaId};

/// Writes the quotas' seats taken (absolute counts, as a [`super::SeatBook`] left them): one
/// statement, none when nothing changed.
pub async fn write_quota_counts(db: &impl ConnectionTrait, changed: &[(QuotaId, i32)]) -> AppResult<()> {
    use event_quota::Column;
    if changed.is_empty() {
        return Ok(());
    }
    let taken = changed
        .iter()
        .fold(CaseStatement::new(), |case, (id, taken)| {
            case.case(Expr::col(Column::Id).eq(*id), Expr::val(*taken))
        })
        .finally(Expr::col(Column::SeatsTaken));
    event_quota::Entity::update_many()
        .col_expr(Column::SeatsTaken, taken.into())
        .filter(Column::Id.is_in(changed.iter().map(|(id, _)| *id)))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives a seat back to its quota (its holder cancelled).
pub async fn give_back_quota_seat(db: &impl ConnectionTrait, quota: QuotaId) -> AppResult<()> {
    use event_quota::Column;
    event_quota::Entity::update_many()
        .col_expr(Column::SeatsTaken, Expr::col(Column::SeatsTaken).sub(1))
        .filter(Column::Id.eq(quota))
        .exec(db)
        .await?;
    Ok(())
}

/// Every quota of the event holds no seat (the event was cancelled with its registrations).
pub async fn empty_quotas(db: &impl ConnectionTrait, event_id: EventId) -> AppResult<()> {
    use event_quota::Column;
    event_quota::Entity::update_many()
        .col_expr(Column::SeatsTaken, Expr::val(0))
        .filter(Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    Ok(())
}
