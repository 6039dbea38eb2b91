//! Seats and the waiting list, kept in step under the event's row lock: the event's counters
//! (`seats_taken`, `waitlist_length`) and its quotas' change in the same transaction as the
//! registrations, a freed seat goes at once to the first waiting member who may take it (of a
//! quota: entitled to it), and positions close up without gaps.

use chrono::{DateTime, Utc};

use dkbm_entity::{EventStatus, RegistrationStatus, member, registration, training_event};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::access::for_change;
use super::availability_changed;
use super::mail::{Notice, notify};
use super::quotas::{SeatBook, give_back_quota_seat, seat_book, write_quota_counts};
use crate::auth::Viewer;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{EventId, MemberId, MunicipalityId, QuotaId, RegistrationId, TypedId};
use crate::messages::MessageKey;

/// The municipality a member works for.
async fn member_municipality(db: &impl ConnectionTrait, member_id: MemberId) -> AppResult<Option<MunicipalityId>> {
    let municipality: Option<Option<Uuid>> = member::Entity::find_by_id(member_id)
        .select_only()
        .column(member::Column::MunicipalityId)
        .into_tuple()
        .one(db)
        .await?;
    Ok(municipality.flatten().map(MunicipalityId::from))
}

pub(super) async fn save_counters(
    db: &impl ConnectionTrait,
    event: training_event::Model,
    seats_taken: i32,
    waitlist_length: i32,
) -> AppResult<training_event::Model> {
    if event.seats_taken == seats_taken && event.waitlist_length == waitlist_length {
        return Ok(event);
    }
    let mut model: training_event::ActiveModel = event.into();
    model.seats_taken = Set(seats_taken);
    model.waitlist_length = Set(waitlist_length);
    Ok(model.update(db).await?)
}

/// Moves everyone behind `position` on the waiting list one place up.
async fn close_up(db: &impl ConnectionTrait, event_id: EventId, position: i32, by: i32) -> AppResult<()> {
    registration::Entity::update_many()
        .col_expr(
            registration::Column::WaitlistPosition,
            Expr::col(registration::Column::WaitlistPosition).sub(by),
        )
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
        .filter(registration::Column::WaitlistPosition.gt(position))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether seats could go to the waiting list now: a scheduled event that has not started, with
/// people waiting and not every seat taken.
fn fillable(event: &training_event::Model, at: DateTime<Utc>) -> bool {
    event.status == EventStatus::Scheduled
        && at < event.starts_at
        && event.waitlist_length > 0
        && event.capacity.is_none_or(|capacity| event.seats_taken < capacity)
}

/// Gives free seats to the waiting list, in its order: each to the first waiting member who may
/// take it (a quota's seat to a member entitled to it, a seat of the general pool to anyone),
/// while the event has not started. A constant number of statements, however many move up.
/// The event must be locked by the caller.
pub async fn fill_free_seats(
    work: &UnitOfWork,
    event: training_event::Model,
    at: DateTime<Utc>,
) -> AppResult<training_event::Model> {
    if !fillable(&event, at) {
        return Ok(event);
    }
    let mut book = seat_book(work, &event, at).await?;
    fill_from_book(work, event, &mut book, at).await
}

/// A registration moving up from the waiting list.
struct MovingUp {
    id: Uuid,
    position: i32,
    quota: Option<QuotaId>,
}

/// [`fill_free_seats`] with the event's seats read already (the seats taken are taken from
/// `book`).
pub(super) async fn fill_from_book(
    work: &UnitOfWork,
    event: training_event::Model,
    book: &mut SeatBook,
    at: DateTime<Utc>,
) -> AppResult<training_event::Model> {
    if !fillable(&event, at) || !book.any_free() {
        return Ok(event);
    }
    // Without a free seat of a quota, only the head of the list can move up.
    let limit = match book.general_free() {
        Some(free) if !book.quota_seat_free() => Some(u64::try_from(free).unwrap_or_default()),
        _ => None,
    };
    let mut moving = Vec::new();
    for (id, position, municipality) in waiting(work, event.id.into(), limit).await? {
        if !book.any_free() {
            break;
        }
        if let Some(seat) = book.take(municipality.map(MunicipalityId::from), true) {
            let position = position.unwrap_or_default();
            moving.push(MovingUp {
                id,
                position,
                quota: seat.quota(),
            });
        }
    }
    if moving.is_empty() {
        return Ok(event);
    }
    let promoted = move_up(work, &moving, at).await?;
    let left: Vec<i32> = moving.iter().map(|m| m.position).collect();
    close_up_behind(work, event.id.into(), &left).await?;
    write_quota_counts(work, &book.changed()).await?;
    let count = i32::try_from(moving.len()).unwrap_or(i32::MAX);
    let (taken, waiting) = (event.seats_taken + count, event.waitlist_length - count);
    let event = save_counters(work, event, taken, waiting).await?;
    notify(work, &event, &promoted, Notice::Promoted).await?;
    Ok(event)
}

/// The waiting list in order (the first `limit`): registration, position, the member's
/// municipality. One statement.
async fn waiting(
    db: &impl ConnectionTrait,
    event_id: EventId,
    limit: Option<u64>,
) -> AppResult<Vec<(Uuid, Option<i32>, Option<Uuid>)>> {
    use registration::Column;
    Ok(registration::Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::WaitlistPosition)
        .column(member::Column::MunicipalityId)
        .join(JoinType::InnerJoin, registration::Relation::Member.def())
        .filter(Column::EventId.eq(event_id))
        .filter(Column::Status.eq(RegistrationStatus::Waitlisted))
        .order_by_asc(Column::WaitlistPosition)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?)
}

/// Confirms the registrations moving up, each with its quota: one statement.
async fn move_up(work: &UnitOfWork, moving: &[MovingUp], at: DateTime<Utc>) -> AppResult<Vec<registration::Model>> {
    use registration::Column;
    let with_quota: Vec<(Uuid, QuotaId)> = moving
        .iter()
        .filter_map(|m| m.quota.map(|quota| (m.id, quota)))
        .collect();
    // A CASE needs at least one WHEN.
    let quota: Expr = if with_quota.is_empty() {
        Expr::val(Option::<Uuid>::None)
    } else {
        with_quota
            .into_iter()
            .fold(CaseStatement::new(), |case, (id, quota)| {
                case.case(Expr::col(Column::Id).eq(id), Expr::val(quota.uuid()))
            })
            .finally(Expr::val(Option::<Uuid>::None))
            .into()
    };
    Ok(registration::Entity::update_many()
        .col_expr(Column::Status, Expr::val(RegistrationStatus::Confirmed))
        .col_expr(Column::WaitlistPosition, Expr::val(Option::<i32>::None))
        .col_expr(Column::ConfirmedAt, Expr::val(at))
        .col_expr(Column::UpdatedAt, Expr::val(at))
        .col_expr(Column::QuotaId, quota)
        .filter(Column::Id.is_in(moving.iter().map(|m| m.id)))
        .exec_with_returning(work)
        .await?)
}

/// Closes the waiting list up behind the positions that left (ascending): one statement.
async fn close_up_behind(db: &impl ConnectionTrait, event_id: EventId, left: &[i32]) -> AppResult<()> {
    let count = i32::try_from(left.len()).unwrap_or(i32::MAX);
    let (Some(&first), Some(&last)) = (left.first(), left.last()) else {
        return Ok(());
    };
    if first == 1 && last == count {
        // The head of the list: everyone moves up by as many.
        return close_up(db, event_id, 0, count).await;
    }
    use registration::Column;
    // Behind the k-th position that left, a position moves up by k.
    let shift = left
        .iter()
        .enumerate()
        .rev()
        .fold(CaseStatement::new(), |case, (k, position)| {
            let by = i32::try_from(k + 1).unwrap_or(i32::MAX);
            case.case(Expr::col(Column::WaitlistPosition).gt(*position), Expr::val(by))
        })
        .finally(Expr::val(0));
    registration::Entity::update_many()
        .col_expr(
            Column::WaitlistPosition,
            Expr::col(Column::WaitlistPosition).sub(Into::<Expr>::into(shift)),
        )
        .filter(Column::EventId.eq(event_id))
        .filter(Column::Status.eq(RegistrationStatus::Waitlisted))
        .filter(Column::WaitlistPosition.gt(first))
        .exec(db)
        .await?;
    Ok(())
}

/// Takes a registration out (cancelled): its seat goes to the waiting list, or the list closes
/// up behind it. The event must be locked by the caller.
pub(super) async fn withdraw(
    db: &UnitOfWork,
    event: training_event::Model,
    registration: registration::Model,
    at: DateTime<Utc>,
) -> AppResult<(training_event::Model, registration::Model)> {
    let status = registration.status;
    let position = registration.waitlist_position;
    let quota = registration.quota_id.map(QuotaId::from);
    let mut model: registration::ActiveModel = registration.into();
    model.status = Set(RegistrationStatus::Cancelled);
    model.waitlist_position = Set(None);
    model.quota_id = Set(None);
    model.cancelled_at = Set(Some(at));
    model.updated_at = Set(at);
    let cancelled = model.update(db).await?;
    let event = match (status, position) {
        (RegistrationStatus::Confirmed | RegistrationStatus::Attended, _) => {
            if let Some(quota) = quota {
                give_back_quota_seat(db, quota).await?;
            }
            let (taken, waiting) = (event.seats_taken - 1, event.waitlist_length);
            let event = save_counters(db, event, taken, waiting).await?;
            fill_free_seats(db, event, at).await?
        }
        (RegistrationStatus::Waitlisted, Some(position)) => {
            close_up(db, event.id.into(), position, 1).await?;
            let (taken, waiting) = (event.seats_taken, event.waitlist_length - 1);
            save_counters(db, event, taken, waiting).await?
        }
        _ => event,
    };
    Ok((event, cancelled))
}

/// Moves a waitlisted registration to a free seat by hand (organisers; e.g. after the event
/// started, when seats are no longer filled automatically).
pub async fn promote_registration(
    writer: &Writer,
    viewer: &Viewer,
    registration_id: RegistrationId,
) -> AppResult<registration::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let (event, registration, _) = for_change(&work, viewer, registration_id, true).await?;
    let Some(position) = registration
        .waitlist_position
        .filter(|_| registration.status == RegistrationStatus::Waitlisted)
    else {
        return Err(AppError::bad_input("registrationId", MessageKey::PromoteNotWaitlisted));
    };
    if event.status != EventStatus::Scheduled {
        return Err(AppError::bad_input("registrationId", MessageKey::PromoteNotScheduled));
    }
    let at = now();
    let mut book = seat_book(&work, &event, at).await?;
    let municipality = member_municipality(&work, registration.member_id.into()).await?;
    let Some(seat) = book.take(municipality, true) else {
        return Err(AppError::Conflict {
            message: MessageKey::NoSeatFree.into(),
            field: Some("registrationId".into()),
            current_version: None,
        });
    };
    let mut model: registration::ActiveModel = registration.into();
    model.status = Set(RegistrationStatus::Confirmed);
    model.waitlist_position = Set(None);
    model.confirmed_at = Set(Some(at));
    model.updated_at = Set(at);
    model.quota_id = Set(seat.quota().map(QuotaId::uuid));
    let promoted = model.update(&work).await?;
    write_quota_counts(&work, &book.changed()).await?;
    let event_id = EventId::from(event.id);
    close_up(&work, event_id, position, 1).await?;
    let (taken, waiting) = (event.seats_taken + 1, event.waitlist_length - 1);
    let event = save_counters(&work, event, taken, waiting).await?;
    notify(&work, &event, std::slice::from_ref(&promoted), Notice::Promoted).await?;
    work.announce(availability_changed(event_id));
    work.commit().await?;
    Ok(promoted)
}
