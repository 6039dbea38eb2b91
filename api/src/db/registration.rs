//! A new registration's place and row, written the fastest way each backend offers. Every
//! registration of one event queues for that event's row lock, so what counts is the number of
//! round trips while it is held:
//!
//! - PostgreSQL: one statement takes the place (a conditional UPDATE of the event's counters,
//!   which takes the lock) and writes the registration (an upsert that reads the place off the
//!   changed event), `WITH placed AS (UPDATE …) , saved AS (INSERT … SELECT … FROM placed …)`;
//! - SQLite (one writer, statements in the process): the same two steps as two statements.
//!
//! The place: a seat while one is free and nobody waits, else the next waiting-list position
//! when the event has a list, else none (the caller says why: closed, full …). A seat leaves the
//! waiting list empty and a waiting-list position is the list's new end, so the changed event
//! tells which one was taken.

use chrono::{DateTime, Utc};
use dkbm_entity::{EventStatus, RegistrationStatus, registration, training_event};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    Iterable, QueryFilter, QueryTrait, Statement,
};
use uuid::Uuid;

/// A registration to place.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub event_id: Uuid,
    pub member_id: Uuid,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// What became of it.
#[derive(Debug)]
pub enum Placement {
    /// Placed: the event as changed and the registration as written.
    Placed(Box<(training_event::Model, registration::Model)>),
    /// No place was taken (no such event, registration closed, or full without a waiting list);
    /// nothing was written.
    NoPlace,
    /// The member holds a registration that is not cancelled. The event's counters were
    /// changed: the caller must roll back.
    AlreadyRegistered,
}

/// Places a registration in the caller's transaction.
pub async fn place(db: &impl ConnectionTrait, new: NewRegistration) -> Result<Placement, DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        return place_in_one_statement(db, new).await;
    }
    let Some(event) = take_place(db, new.event_id, new.at).await? else {
        return Ok(Placement::NoPlace);
    };
    Ok(match save(db, &new, &event).await? {
        Some(saved) => Placement::Placed(Box::new((event, saved))),
        None => Placement::AlreadyRegistered,
    })
}

/// The status and waiting-list position a registration gets from the changed event.
pub fn placed(event: &training_event::Model) -> (RegistrationStatus, Option<i32>) {
    if event.waitlist_length == 0 {
        (RegistrationStatus::Confirmed, None)
    } else {
        (RegistrationStatus::Waitlisted, Some(event.waitlist_length))
    }
}

/// The conditional UPDATE that takes the place; answers the changed event.
async fn take_place(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<training_event::Model>, DbErr> {
    use training_event::Column;
    let seat = || {
        Expr::col(Column::Capacity)
            .is_null()
            .or(Expr::col(Column::SeatsTaken).lt(Expr::col(Column::Capacity)))
            .and(Expr::col(Column::WaitlistLength).eq(0))
    };
    Ok(training_event::Entity::update_many()
        .col_expr(
            Column::SeatsTaken,
            Expr::col(Column::SeatsTaken).add(Expr::case(seat(), 1).finally(0)),
        )
        .col_expr(
            Column::WaitlistLength,
            Expr::col(Column::WaitlistLength).add(Expr::case(seat(), 0).finally(1)),
        )
        .filter(Column::Id.eq(event_id))
        .filter(Column::Status.eq(EventStatus::Scheduled))
        .filter(Column::StartsAt.gt(at))
        .filter(
            Column::RegistrationOpensAt
                .is_null()
                .or(Column::RegistrationOpensAt.lte(at)),
        )
        .filter(
            Column::RegistrationClosesAt
                .is_null()
                .or(Column::RegistrationClosesAt.gt(at)),
        )
        .filter(seat().or(Expr::col(Column::WaitlistEnabled).eq(true)))
        .exec_with_returning(db)
        .await?
        .pop())
}

/// The columns a new or renewed registration sets (all but its id, event and member).
const RENEWED: [registration::Column; 8] = [
    registration::Column::Status,
    registration::Column::WaitlistPosition,
    registration::Column::Note,
    registration::Column::Attendance,
    registration::Column::RegisteredAt,
    registration::Column::ConfirmedAt,
    registration::Column::CancelledAt,
    registration::Column::UpdatedAt,
];

/// Writes the registration at the place the changed event tells: inserts it, or renews a
/// cancelled one (at the end of the line, like a new one); none when the member holds one
/// that is not cancelled (the unique (member, event) index).
async fn save(
    db: &impl ConnectionTrait,
    new: &NewRegistration,
    event: &training_event::Model,
) -> Result<Option<registration::Model>, DbErr> {
    use registration::Column;
    let (status, position) = placed(event);
    let model = registration::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(new.event_id),
        member_id: Set(new.member_id),
        status: Set(status),
        waitlist_position: Set(position),
        note: Set(new.note.clone()),
        attendance: Set(None),
        registered_at: Set(new.at),
        confirmed_at: Set((status == RegistrationStatus::Confirmed).then_some(new.at)),
        cancelled_at: Set(None),
        reminded_for: Set(None),
        updated_at: Set(new.at),
    };
    let renew = OnConflict::columns([Column::MemberId, Column::EventId])
        .update_columns(RENEWED)
        .action_and_where(Expr::col((registration::Entity, Column::Status)).eq(RegistrationStatus::Cancelled))
        .to_owned();
    let mut insert = registration::Entity::insert(model).on_conflict(renew).into_query();
    insert.returning_all();
    let statement = db.get_database_backend().build(&insert);
    registration::Entity::find().from_raw_sql(statement).one(db).await
}

/// The columns `C` read from `from`, each named `prefix` + column.
fn prefixed<C: Iterable + sea_orm::IdenStatic>(from: &str, prefix: &str) -> String {
    C::iter()
        .map(|column| format!("{from}.\"{0}\" AS \"{prefix}{0}\"", column.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// PostgreSQL: the place and the registration in one statement. `$1` event, `$2` time, `$3`
/// new registration id, `$4` member, `$5` note; `$6`-`$9` the statuses, as the entities spell
/// them.
async fn place_in_one_statement(db: &impl ConnectionTrait, new: NewRegistration) -> Result<Placement, DbErr> {
    const SEAT: &str = "((capacity IS NULL OR seats_taken < capacity) AND waitlist_length = 0)";
    let renewed: Vec<String> = RENEWED
        .iter()
        .map(|column| format!("{0} = EXCLUDED.{0}", sea_orm::IdenStatic::as_str(column)))
        .collect();
    let sql = format!(
        "WITH placed AS (\
           UPDATE training_event SET \
             seats_taken = seats_taken + CASE WHEN {SEAT} THEN 1 ELSE 0 END, \
             waitlist_length = waitlist_length + CASE WHEN {SEAT} THEN 0 ELSE 1 END \
           WHERE id = $1 AND status = $6 AND starts_at > $2 \
             AND (registration_opens_at IS NULL OR registration_opens_at <= $2) \
             AND (registration_closes_at IS NULL OR registration_closes_at > $2) \
             AND ({SEAT} OR waitlist_enabled) \
           RETURNING *), \
         saved AS (\
           INSERT INTO registration (id, event_id, member_id, status, waitlist_position, note, attendance, \
             registered_at, confirmed_at, cancelled_at, reminded_for, updated_at) \
           SELECT $3, placed.id, $4, \
             CASE WHEN placed.waitlist_length = 0 THEN $7 ELSE $8 END, \
             NULLIF(placed.waitlist_length, 0), $5, NULL, $2, \
             CASE WHEN placed.waitlist_length = 0 THEN $2 END, NULL, NULL, $2 \
           FROM placed \
           ON CONFLICT (member_id, event_id) DO UPDATE SET {renewed} WHERE registration.status = $9 \
           RETURNING *) \
         SELECT {event}, {registration} FROM placed LEFT JOIN saved ON true",
        renewed = renewed.join(", "),
        event = prefixed::<training_event::Column>("placed", "e_"),
        registration = prefixed::<registration::Column>("saved", "r_"),
    );
    let values = [
        new.event_id.into(),
        new.at.into(),
        Uuid::now_v7().into(),
        new.member_id.into(),
        new.note.into(),
        EventStatus::Scheduled.to_value().into(),
        RegistrationStatus::Confirmed.to_value().into(),
        RegistrationStatus::Waitlisted.to_value().into(),
        RegistrationStatus::Cancelled.to_value().into(),
    ];
    let Some(row) = db
        .query_one_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, values))
        .await?
    else {
        return Ok(Placement::NoPlace);
    };
    let event = training_event::Model::from_query_result(&row, "e_")?;
    if row.try_get::<Option<Uuid>>("", "r_id")?.is_none() {
        return Ok(Placement::AlreadyRegistered);
    }
    let saved = registration::Model::from_query_result(&row, "r_")?;
    Ok(Placement::Placed(Box::new((event, saved))))
}
