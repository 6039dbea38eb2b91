//! Released seats reach the waiting list without waiting for the next registration: the
//! periodic round looks for events whose quotas' `until` passed with seats unused while members
//! wait, and gives those seats to the waiting list, each event in its own unit of work under its
//! row lock (like any change of its seats). Instances may run it at the same time: the lock
//! makes the second find nothing left to do.

use dkbm_entity::{EventStatus, event_quota, training_event};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;
use crate::events::service::{availability_changed, fill_free_seats, lock_event};
use crate::ids::EventId;

/// Events one round handles at most (the next round takes the rest).
const ROUND: u64 = 100;

/// Gives the unused seats of released quotas to the waiting lists; returns how many events it
/// looked at.
pub async fn release_quota_seats(writer: &Writer) -> AppResult<usize> {
    let at = now();
    let released_with_seats = Query::select()
        .column(event_quota::Column::EventId)
        .from(event_quota::Entity)
        .and_where(Expr::col(event_quota::Column::Until).lte(at))
        .and_where(Expr::col(event_quota::Column::SeatsTaken).lt(Expr::col(event_quota::Column::SeatsTotal)))
        .to_owned();
    let events: Vec<Uuid> = training_event::Entity::find()
        .select_only()
        .column(training_event::Column::Id)
        .filter(training_event::Column::Id.in_subquery(released_with_seats))
        .filter(training_event::Column::Status.eq(EventStatus::Scheduled))
        .filter(training_event::Column::StartsAt.gt(at))
        .filter(training_event::Column::WaitlistLength.gt(0))
        // Quotas need a capacity; a full event has nothing to hand over.
        .filter(Expr::col(training_event::Column::SeatsTaken).lt(Expr::col(training_event::Column::Capacity)))
        .limit(ROUND)
        .into_tuple()
        .all(writer.conn())
        .await?;
    for event_id in &events {
        let event_id = EventId::from(*event_id);
        let work = UnitOfWork::begin(writer).await?;
        let event = lock_event(&work, event_id).await?;
        let before = (event.seats_taken, event.waitlist_length);
        let event = fill_free_seats(&work, event, now()).await?;
        if (event.seats_taken, event.waitlist_length) != before {
            work.announce(availability_changed(event_id));
            work.commit().await?;
        }
    }
    Ok(events.len())
}
