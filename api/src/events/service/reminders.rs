//! Reminders before an event: every instance looks regularly (the periodic round) for
//! confirmed participants of events that start within `--event-reminder-hours` and were not yet
//! reminded of this start, and queues their reminders in one unit of work that also records the
//! start they were reminded of. An advisory lock lets one instance do it at a time, so each
//! reminder is queued once with any number of instances and across restarts; an event that
//! moves reminds again for its new start. Members who switched reminders off are skipped.

use std::collections::HashMap;

use dkbm_entity::{EventStatus, RegistrationStatus, registration, training_event};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};

use super::mail::{Notice, notify_each};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;

/// The advisory lock of the reminder round.
const REMINDER_LOCK: i64 = 0x5245_4D49_4E44;
/// Reminders one round queues at most (the next round takes the rest).
const ROUND: u64 = 500;

/// Queues the reminders of the events that start within `reminder_hours` hours
/// (`--event-reminder-hours`); returns how many registrations it handled.
pub async fn queue_reminders(writer: &Writer, reminder_hours: u32) -> AppResult<usize> {
    let at = now();
    let until = at + chrono::Duration::hours(i64::from(reminder_hours));
    let work = UnitOfWork::begin(writer).await?;
    work.advisory(REMINDER_LOCK).await?;
    let not_yet_reminded = Condition::any().add(registration::Column::RemindedFor.is_null()).add(
        Expr::col((registration::Entity, registration::Column::RemindedFor))
            .ne(Expr::col((training_event::Entity, training_event::Column::StartsAt))),
    );
    let due: Vec<(registration::Model, Option<training_event::Model>)> = registration::Entity::find()
        .find_also_related(training_event::Entity)
        .filter(registration::Column::Status.eq(RegistrationStatus::Confirmed))
        .filter(training_event::Column::Status.eq(EventStatus::Scheduled))
        .filter(training_event::Column::StartsAt.gt(at))
        .filter(training_event::Column::StartsAt.lte(until))
        .filter(not_yet_reminded)
        .limit(ROUND)
        .all(&work)
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let events: HashMap<_, _> = due.iter().filter_map(|(_, e)| e.as_ref()).map(|e| (e.id, e)).collect();
    let pairs: Vec<_> = due
        .iter()
        .filter_map(|(r, _)| events.get(&r.event_id).map(|e| (*e, r)))
        .collect();
    notify_each(&work, &pairs, Notice::Reminder).await?;
    // Each registration remembers the start it was reminded of (one statement for all).
    let start_of_event = Query::select()
        .column(training_event::Column::StartsAt)
        .from(training_event::Entity)
        .and_where(
            Expr::col((training_event::Entity, training_event::Column::Id))
                .equals((registration::Entity, registration::Column::EventId)),
        )
        .to_owned();
    registration::Entity::update_many()
        .col_expr(
            registration::Column::RemindedFor,
            Expr::SubQuery(None, Box::new(start_of_event.into())),
        )
        .filter(registration::Column::Id.is_in(due.iter().map(|(r, _)| r.id)))
        .exec(&work)
        .await?;
    work.commit().await?;
    Ok(due.len())
}
