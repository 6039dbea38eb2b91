//! New registrations, placed together: the registrations of one event that arrive at an
//! instance while it is placing that event's previous ones wait and are then placed in one
//! transaction (group commit). When registration opens for a popular conference, hundreds of
//! requests arrive within milliseconds; one at a time, each would queue for the event's row
//! lock and pay its own round trips and commit under it. Together, a batch costs the same
//! statements as one registration: the event locked, its members and their earlier
//! registrations read, the registrations written in one multi-row upsert, the counters written
//! once, the mails and notifications in one statement, one commit.
//!
//! The rules are those of one registration after another, in the order they arrived: a seat of
//! the best quota the member is entitled to while one is free, else a seat of the general pool
//! while one is free and nobody waits, else the end of the waiting list when the event has
//! one, else EVENT_FULL; a member with a registration that is not cancelled gets CONFLICT
//! (a cancelled one is renewed, at the end of the line like a new one). The batch holds the
//! event's row lock, so batches of several instances follow one another and the invariants of
//! [`super::registrations`] hold across replicas. An error of one registration (not verified,
//! already registered, full) is that registration's answer; an error of the batch (no such
//! event, a failed statement) is everyone's, and nothing of the batch is written.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use dkbm_entity::{RegistrationStatus, member, registration, training_event};
use futures::FutureExt;
use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryTrait};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::mail::{Notice, notify_member, organizers};
use super::quotas::{SeatBook, seat_book, write_quota_counts};
use super::waitlist::fill_from_book;
use super::{availability_changed, ensure_registration_open, lock_event};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{EventId, MemberId, MunicipalityId, QuotaId, TypedId};
use crate::members::service::ensure_verified;
use crate::messages::MessageKey;

/// The most registrations one transaction places; more wait for the next.
const MOST_PER_BATCH: usize = 250;

/// A registration to place.
#[derive(Debug, Clone)]
pub struct Registering {
    pub event_id: EventId,
    pub member_id: MemberId,
    pub note: Option<String>,
}

/// A registration waiting for its batch, with where its answer goes.
struct Waiting {
    registering: Registering,
    answer: oneshot::Sender<AppResult<registration::Model>>,
}

/// The registrations waiting, per event, on this instance. An event has an entry while a
/// task places its registrations; whoever finds no entry starts that task. Clones share the
/// waiting registrations (the task holds one).
#[derive(Clone, Default)]
pub struct Admission {
    waiting: Arc<Mutex<HashMap<EventId, Vec<Waiting>>>>,
}

impl Admission {
    /// Places the registration with the others of its event that arrive meanwhile.
    pub async fn register(&self, writer: &Writer, registering: Registering) -> AppResult<registration::Model> {
        let event_id = registering.event_id;
        let (answer, answered) = oneshot::channel();
        let waiting = Waiting { registering, answer };
        let start = match self
            .waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(event_id)
        {
            Entry::Occupied(mut queue) => {
                queue.get_mut().push(waiting);
                false
            }
            Entry::Vacant(slot) => {
                slot.insert(vec![waiting]);
                true
            }
        };
        if start {
            tokio::spawn(place_while_waiting(self.clone(), writer.clone(), event_id));
        }
        answered.await.unwrap_or_else(|_| {
            Err(AppError::internal(anyhow::anyhow!(
                "a registration batch ended without an answer"
            )))
        })
    }

    /// The next batch of the event's registrations, or none (and the event's entry removed)
    /// when nobody waits.
    fn next_batch(&self, event_id: EventId) -> Option<Vec<Waiting>> {
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        let queue = waiting.get_mut(&event_id)?;
        if queue.is_empty() {
            waiting.remove(&event_id);
            return None;
        }
        let rest = queue.split_off(queue.len().min(MOST_PER_BATCH));
        Some(std::mem::replace(queue, rest))
    }
}

/// The task that places an event's registrations, batch after batch, until nobody waits.
async fn place_while_waiting(admission: Admission, writer: Writer, event_id: EventId) {
    while let Some(batch) = admission.next_batch(event_id) {
        let (registering, answers): (Vec<_>, Vec<_>) = batch
            .into_iter()
            .map(|waiting| (waiting.registering, waiting.answer))
            .unzip();
        // A panic answers the batch with an internal error (its senders are dropped) and
        // leaves the task to place the next.
        let placed = std::panic::AssertUnwindSafe(place_batch(&writer, event_id, &registering))
            .catch_unwind()
            .await;
        let Ok(placed) = placed else { continue };
        let answered = match placed {
            Ok(each) => each,
            Err(error) => everyone(error, answers.len()),
        };
        for (answer, result) in answers.into_iter().zip(answered) {
            // A requester that has gone away no longer needs its answer.
            let _ = answer.send(result);
        }
    }
}

/// The error of the whole batch, as each registration's answer.
fn everyone(error: AppError, count: usize) -> Vec<AppResult<registration::Model>> {
    let mut answers: Vec<_> = (1..count).map(|_| Err(error.duplicate())).collect();
    answers.push(Err(error));
    answers
}

/// Places a batch in one transaction; each registration's answer, in the batch's order.
async fn place_batch(
    writer: &Writer,
    event_id: EventId,
    batch: &[Registering],
) -> AppResult<Vec<AppResult<registration::Model>>> {
    let work = UnitOfWork::begin(writer).await?;
    let event = lock_event(&work, event_id).await?;
    let at = now();
    let mut book = seat_book(&work, &event, at).await?;
    // Seats freed meanwhile (a quota's `until` passed) go to those waiting before anyone new.
    let before = (event.seats_taken, event.waitlist_length);
    let mut event = fill_from_book(&work, event, &mut book, at).await?;
    let moved_up = (event.seats_taken, event.waitlist_length) != before;
    let member_ids: Vec<MemberId> = batch.iter().map(|r| r.member_id).collect();
    let members: HashMap<MemberId, member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(member_ids.clone()))
        .all(&work)
        .await?
        .into_iter()
        .map(|member| (MemberId::from(member.id), member))
        .collect();
    let held: HashSet<MemberId> = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::MemberId.is_in(member_ids))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .all(&work)
        .await?
        .into_iter()
        .map(|registration| MemberId::from(registration.member_id))
        .collect();
    let mut placed = Placed {
        held,
        rows: Vec::new(),
        book,
    };
    let answers: Vec<AppResult<MemberId>> = batch
        .iter()
        .map(|registering| placed.add(&mut event, registering, members.get(&registering.member_id), at))
        .collect();
    let mut saved = HashMap::new();
    if !placed.rows.is_empty() {
        saved = save(&work, placed.rows).await?;
        write_counters(&work, &event).await?;
        write_quota_counts(&work, &placed.book.changed()).await?;
        let organizers = organizers(&work, &[&event]).await?;
        for registration in saved.values() {
            let notice = if registration.status == RegistrationStatus::Confirmed {
                Notice::Confirmed
            } else {
                Notice::Waitlisted
            };
            let member = &members[&MemberId::from(registration.member_id)];
            notify_member(&work, (&event, &organizers), registration, member, notice)?;
        }
    }
    if !saved.is_empty() || moved_up {
        work.announce(availability_changed(event_id));
        work.commit().await?;
    }
    Ok(answers
        .into_iter()
        .map(|answer| {
            answer.and_then(|member_id| {
                saved
                    .remove(&member_id)
                    .ok_or_else(|| AppError::internal(anyhow::anyhow!("a placed registration was not written")))
            })
        })
        .collect())
}

/// The registrations of a batch placed so far; the members holding one (written before, or
/// placed in this batch); the event's seats as the batch leaves them.
struct Placed {
    held: HashSet<MemberId>,
    rows: Vec<registration::ActiveModel>,
    book: SeatBook,
}

impl Placed {
    /// Places one registration on the event as it stands (its counters move with it); answers
    /// the member whose row it is, or why it was not placed.
    fn add(
        &mut self,
        event: &mut training_event::Model,
        registering: &Registering,
        member: Option<&member::Model>,
        at: DateTime<Utc>,
    ) -> AppResult<MemberId> {
        ensure_verified(member)?;
        ensure_registration_open(event, at)?;
        if self.held.contains(&registering.member_id) {
            return Err(AppError::conflict("eventId", MessageKey::AlreadyRegistered));
        }
        let municipality = member
            .and_then(|member| member.municipality_id)
            .map(MunicipalityId::from);
        let place = take_place(event, &mut self.book, municipality)
            .ok_or_else(|| AppError::EventFull(MessageKey::EventFull.into()))?;
        self.held.insert(registering.member_id);
        self.rows.push(new_row(registering, place, at));
        Ok(registering.member_id)
    }
}

/// Where a registration is placed: its status, its waiting-list position, its quota.
type Place = (RegistrationStatus, Option<i32>, Option<QuotaId>);

/// The next place on the event for a member of `municipality`, the counters moved: a seat of
/// the best quota they are entitled to while one is free; else a seat of the general pool while
/// one is free and nobody waits; else the end of the waiting list when the event has one.
fn take_place(
    event: &mut training_event::Model,
    book: &mut SeatBook,
    municipality: Option<MunicipalityId>,
) -> Option<Place> {
    if let Some(seat) = book.take(municipality, event.waitlist_length == 0) {
        event.seats_taken += 1;
        Some((RegistrationStatus::Confirmed, None, seat.quota()))
    } else if event.waitlist_enabled {
        event.waitlist_length += 1;
        Some((RegistrationStatus::Waitlisted, Some(event.waitlist_length), None))
    } else {
        None
    }
}

/// The row of a registration placed at `at`.
fn new_row(
    registering: &Registering,
    (status, position, quota): Place,
    at: DateTime<Utc>,
) -> registration::ActiveModel {
    registration::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(registering.event_id.uuid()),
        member_id: Set(registering.member_id.uuid()),
        status: Set(status),
        waitlist_position: Set(position),
        note: Set(registering.note.clone()),
        attendance: Set(None),
        registered_at: Set(at),
        confirmed_at: Set((status == RegistrationStatus::Confirmed).then_some(at)),
        cancelled_at: Set(None),
        reminded_for: Set(None),
        updated_at: Set(at),
        quota_id: Set(quota.map(QuotaId::uuid)),
    }
}

/// The columns a renewed registration takes from the new row (all but id, event, member and
/// the reminder already sent).
const RENEWED: [registration::Column; 9] = [
    registration::Column::Status,
    registration::Column::WaitlistPosition,
    registration::Column::Note,
    registration::Column::Attendance,
    registration::Column::RegisteredAt,
    registration::Column::ConfirmedAt,
    registration::Column::CancelledAt,
    registration::Column::UpdatedAt,
    registration::Column::QuotaId,
];

/// Writes the batch's rows in one statement: inserted, or renewing a member's cancelled
/// registration (the unique (member, event) index); by member.
async fn save(
    work: &UnitOfWork,
    rows: Vec<registration::ActiveModel>,
) -> AppResult<HashMap<MemberId, registration::Model>> {
    use registration::Column;
    let count = rows.len();
    let renew = OnConflict::columns([Column::MemberId, Column::EventId])
        .update_columns(RENEWED)
        .action_and_where(Expr::col((registration::Entity, Column::Status)).eq(RegistrationStatus::Cancelled))
        .to_owned();
    let insert = registration::Entity::insert_many(rows).on_conflict(renew).into_query();
    let saved: HashMap<MemberId, registration::Model> =
        crate::db::insert_returning::<registration::Entity>(work, insert)
            .await?
            .into_iter()
            .map(|registration| (MemberId::from(registration.member_id), registration))
            .collect();
    if saved.len() != count {
        // Cannot happen under the event's lock; nothing of the batch is committed.
        return Err(AppError::internal(anyhow::anyhow!(
            "{} of {count} registrations were written",
            saved.len()
        )));
    }
    Ok(saved)
}

/// Writes the event's counters as the batch left them.
async fn write_counters(work: &UnitOfWork, event: &training_event::Model) -> AppResult<()> {
    use training_event::Column;
    training_event::Entity::update_many()
        .col_expr(Column::SeatsTaken, Expr::value(event.seats_taken))
        .col_expr(Column::WaitlistLength, Expr::value(event.waitlist_length))
        .filter(Column::Id.eq(event.id))
        .exec(work)
        .await?;
    Ok(())
}
