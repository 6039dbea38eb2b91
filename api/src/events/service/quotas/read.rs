//! Reading quotas: an event's quotas in order, who is entitled to them (one statement per kind
//! of entitlement, whatever the number of quotas or members), the event's seats as a
//! [`SeatBook`], and the quotas a member is entitled to.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use dkbm_entity::{event_quota, event_quota_municipality, member, training_event};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::book::{EntitledQuota, SeatBook, general_seats_free, quota_seats_free, released};
use crate::db::now;
use crate::directory::service::{accompanied_by, programme_municipalities};
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, EventId, MemberId, MunicipalityId, ProgrammeId, QuotaId};
use crate::messages::MessageKey;

/// A quota by id.
pub async fn quota_by_id(db: &impl ConnectionTrait, id: QuotaId) -> AppResult<Option<event_quota::Model>> {
    Ok(event_quota::Entity::find_by_id(id).one(db).await?)
}

/// A quota by id, or NOT_FOUND.
pub async fn require_quota(db: &impl ConnectionTrait, id: QuotaId) -> AppResult<event_quota::Model> {
    quota_by_id(db, id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchQuota))
}

/// An event's quotas in the organisers' order.
pub async fn quotas_of_event(db: &impl ConnectionTrait, event_id: EventId) -> AppResult<Vec<event_quota::Model>> {
    Ok(event_quota::Entity::find()
        .filter(event_quota::Column::EventId.eq(event_id))
        .order_by_asc(event_quota::Column::Position)
        .all(db)
        .await?)
}

/// The municipalities listed for these quotas, by quota.
async fn listed_municipalities(
    db: &impl ConnectionTrait,
    quotas: &[QuotaId],
) -> Result<Vec<(QuotaId, MunicipalityId)>, DbErr> {
    use event_quota_municipality::Column;
    if quotas.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Uuid)> = event_quota_municipality::Entity::find()
        .select_only()
        .column(Column::QuotaId)
        .column(Column::MunicipalityId)
        .filter(Column::QuotaId.is_in(quotas.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(q, m)| (q.into(), m.into())).collect())
}

/// The quotas with the municipalities entitled to each at `at` (listed ones; those taking part
/// in the programme; those the agency accompanies): at most three statements.
pub async fn entitled_quotas(
    db: &impl ConnectionTrait,
    quotas: Vec<event_quota::Model>,
    at: DateTime<Utc>,
) -> Result<Vec<EntitledQuota>, DbErr> {
    let listed: Vec<QuotaId> = quotas
        .iter()
        .filter(|q| q.programme_id.is_none() && q.agency_id.is_none())
        .map(|q| q.id.into())
        .collect();
    let programmes: Vec<ProgrammeId> = quotas.iter().filter_map(|q| q.programme_id.map(Into::into)).collect();
    let agencies: Vec<AgencyId> = quotas.iter().filter_map(|q| q.agency_id.map(Into::into)).collect();
    let mut by_quota: HashMap<QuotaId, HashSet<MunicipalityId>> = HashMap::new();
    for (quota, municipality) in listed_municipalities(db, &listed).await? {
        by_quota.entry(quota).or_default().insert(municipality);
    }
    let mut by_programme: HashMap<ProgrammeId, HashSet<MunicipalityId>> = HashMap::new();
    for (programme, municipality) in programme_municipalities(db, &programmes, at.date_naive()).await? {
        by_programme.entry(programme).or_default().insert(municipality);
    }
    let mut by_agency: HashMap<AgencyId, HashSet<MunicipalityId>> = HashMap::new();
    for (agency, municipality) in accompanied_by(db, &agencies).await? {
        by_agency.entry(agency).or_default().insert(municipality);
    }
    Ok(quotas
        .into_iter()
        .map(|quota| {
            let municipalities = match (quota.programme_id, quota.agency_id) {
                (Some(programme), _) => by_programme.get(&programme.into()).cloned(),
                (None, Some(agency)) => by_agency.get(&agency.into()).cloned(),
                (None, None) => by_quota.remove(&quota.id.into()),
            };
            EntitledQuota {
                municipalities: municipalities.unwrap_or_default(),
                quota,
            }
        })
        .collect())
}

/// The event's seats at `at` as pools (one statement for an event without quotas). The event
/// must be locked by the caller when seats are taken from it.
pub async fn seat_book(
    db: &impl ConnectionTrait,
    event: &training_event::Model,
    at: DateTime<Utc>,
) -> AppResult<SeatBook> {
    let quotas = quotas_of_event(db, event.id.into()).await?;
    let entitled = entitled_quotas(db, quotas, at).await?;
    Ok(SeatBook::new(event, entitled, at))
}

/// Of these quotas, those a member is entitled to (none for a member without a municipality).
pub async fn quotas_of_member(
    db: &impl ConnectionTrait,
    member_id: MemberId,
    quota_ids: &[QuotaId],
    at: DateTime<Utc>,
) -> Result<HashSet<QuotaId>, DbErr> {
    let municipality: Option<Option<Uuid>> = member::Entity::find_by_id(member_id)
        .select_only()
        .column(member::Column::MunicipalityId)
        .into_tuple()
        .one(db)
        .await?;
    let Some(municipality) = municipality.flatten().map(MunicipalityId::from) else {
        return Ok(HashSet::new());
    };
    let quotas = event_quota::Entity::find()
        .filter(event_quota::Column::Id.is_in(quota_ids.iter().copied()))
        .all(db)
        .await?;
    Ok(entitled_quotas(db, quotas, at)
        .await?
        .into_iter()
        .filter(|entitled| entitled.municipalities.contains(&municipality))
        .map(|entitled| QuotaId::from(entitled.quota.id))
        .collect())
}

/// Free seats of a quota now (0 once released).
pub fn quota_seats_free_now(quota: &event_quota::Model) -> i32 {
    quota_seats_free(quota, now())
}

/// Whether a quota's `until` has passed.
pub fn released_now(quota: &event_quota::Model) -> bool {
    released(quota, now())
}

/// Free seats of the event's general pool now (`None`: unlimited).
pub fn seats_free_now(event: &training_event::Model, quotas: &[event_quota::Model]) -> Option<i32> {
    general_seats_free(event, quotas, now())
}
