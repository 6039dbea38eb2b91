//! The seats of one event as pools, in memory: its open quotas (each with the municipalities
//! entitled to it) and the general pool. Registering and moving up the waiting list take seats
//! from it under the event's row lock; what changed is written afterwards in one statement.
//!
//! A quota is open until its `until`; after that it keeps the seats its holders hold and its
//! unused seats count in the general pool. The general pool has the capacity less the seats
//! reserved (all of an open quota's, the held ones of a released one), less the seats held
//! outside quotas.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use dkbm_entity::{event_quota, training_event};

use crate::ids::{MunicipalityId, QuotaId};

/// Whether a quota's `until` has passed at `at`: its unused seats are in the general pool.
pub fn released(quota: &event_quota::Model, at: DateTime<Utc>) -> bool {
    quota.until.is_some_and(|until| at >= until)
}

/// Seats the quota keeps for itself at `at`: all while open, the held ones once released.
pub fn reserved(quota: &event_quota::Model, at: DateTime<Utc>) -> i32 {
    if released(quota, at) {
        quota.seats_taken
    } else {
        quota.seats_total
    }
}

/// Free seats of a quota at `at` (none once released).
pub fn quota_seats_free(quota: &event_quota::Model, at: DateTime<Utc>) -> i32 {
    if released(quota, at) {
        0
    } else {
        Ord::max(quota.seats_total - quota.seats_taken, 0)
    }
}

/// Free seats of the general pool at `at` (`None`: unlimited).
pub fn general_seats_free(
    event: &training_event::Model,
    quotas: &[event_quota::Model],
    at: DateTime<Utc>,
) -> Option<i32> {
    let capacity = event.capacity?;
    Some(Ord::max(capacity - general_seats_needed(event, quotas, at), 0))
}

/// The capacity the event's seats need at `at`: the seats held outside quotas and those the
/// quotas reserve. A capacity below it would oversell the general pool.
pub fn general_seats_needed(event: &training_event::Model, quotas: &[event_quota::Model], at: DateTime<Utc>) -> i32 {
    let held_in_quotas: i32 = quotas.iter().map(|quota| quota.seats_taken).sum();
    let reserved: i32 = quotas.iter().map(|quota| reserved(quota, at)).sum();
    event.seats_taken - held_in_quotas + reserved
}

/// The capacity the event needs at `at`: room for every quota's seats (released or not: quotas
/// divide the capacity), and for the general pool's needs ([`general_seats_needed`]).
pub fn seats_needed(event: &training_event::Model, quotas: &[event_quota::Model], at: DateTime<Utc>) -> i32 {
    let divided: i32 = quotas.iter().map(|quota| quota.seats_total).sum();
    Ord::max(divided, general_seats_needed(event, quotas, at))
}

/// How specific a quota is: a list of municipalities before a programme's before an agency's.
fn specificity(quota: &event_quota::Model) -> u8 {
    match (quota.programme_id, quota.agency_id) {
        (None, None) => 0,
        (Some(_), _) => 1,
        (None, Some(_)) => 2,
    }
}

/// A quota and the municipalities whose members are entitled to it.
#[derive(Debug, Clone)]
pub struct EntitledQuota {
    pub quota: event_quota::Model,
    pub municipalities: HashSet<MunicipalityId>,
}

/// Where a seat was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    /// A seat a quota reserves.
    Quota(QuotaId),
    /// A seat of the general pool.
    General,
}

impl Seat {
    /// The quota the seat belongs to, if any.
    pub fn quota(self) -> Option<QuotaId> {
        match self {
            Seat::Quota(id) => Some(id),
            Seat::General => None,
        }
    }
}

/// An open quota as a pool.
#[derive(Debug)]
struct Pool {
    id: QuotaId,
    free: i32,
    taken: i32,
    municipalities: HashSet<MunicipalityId>,
    changed: bool,
}

/// The event's seats as pools (see the module's doc).
#[derive(Debug)]
pub struct SeatBook {
    /// `None`: unlimited.
    general_free: Option<i32>,
    /// Open quotas, best first: the most specific, then in the organisers' order.
    pools: Vec<Pool>,
}

impl SeatBook {
    /// The event's pools at `at`.
    pub fn new(event: &training_event::Model, quotas: Vec<EntitledQuota>, at: DateTime<Utc>) -> Self {
        let models: Vec<event_quota::Model> = quotas.iter().map(|q| q.quota.clone()).collect();
        let general_free = general_seats_free(event, &models, at);
        let mut open: Vec<EntitledQuota> = quotas.into_iter().filter(|q| !released(&q.quota, at)).collect();
        open.sort_by_key(|q| (specificity(&q.quota), q.quota.position));
        let pools = open
            .into_iter()
            .map(|q| Pool {
                id: q.quota.id.into(),
                free: quota_seats_free(&q.quota, at),
                taken: q.quota.seats_taken,
                municipalities: q.municipalities,
                changed: false,
            })
            .collect();
        SeatBook { general_free, pools }
    }

    /// Whether any pool has a free seat.
    pub fn any_free(&self) -> bool {
        self.general_free.is_none_or(|free| free > 0) || self.pools.iter().any(|pool| pool.free > 0)
    }

    /// Whether an open quota has a free seat (only some members may take it).
    pub fn quota_seat_free(&self) -> bool {
        self.pools.iter().any(|pool| pool.free > 0)
    }

    /// Free seats of the general pool (`None`: unlimited).
    pub fn general_free(&self) -> Option<i32> {
        self.general_free
    }

    /// Takes a seat for a member of `municipality`: of the best quota they are entitled to
    /// with a free seat, else of the general pool when `general` allows it and one is free.
    pub fn take(&mut self, municipality: Option<MunicipalityId>, general: bool) -> Option<Seat> {
        if let Some(municipality) = municipality
            && let Some(pool) = self
                .pools
                .iter_mut()
                .find(|pool| pool.free > 0 && pool.municipalities.contains(&municipality))
        {
            pool.free -= 1;
            pool.taken += 1;
            pool.changed = true;
            return Some(Seat::Quota(pool.id));
        }
        match &mut self.general_free {
            _ if !general => None,
            None => Some(Seat::General),
            Some(free) if *free > 0 => {
                *free -= 1;
                Some(Seat::General)
            }
            Some(_) => None,
        }
    }

    /// The quotas whose seats were taken, with their seats taken now.
    pub fn changed(&self) -> Vec<(QuotaId, i32)> {
        self.pools
            .iter()
            .filter(|pool| pool.changed)
            .map(|pool| (pool.id, pool.taken))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TypedId;
    use uuid::Uuid;

    fn event(capacity: i32, seats_taken: i32) -> training_event::Model {
        let at = Utc::now();
        training_event::Model {
            id: Uuid::now_v7(),
            slug: "e".into(),
            title: "E".into(),
            description: String::new(),
            description_html: String::new(),
            format: dkbm_entity::EventFormat::Workshop,
            organizer_agency_id: Uuid::now_v7(),
            starts_at: at,
            ends_at: at,
            time_zone: "Europe/Berlin".into(),
            venue_name: None,
            venue_street: None,
            venue_postal_code: None,
            venue_city: None,
            city_key: None,
            online_url: None,
            capacity: Some(capacity),
            waitlist_enabled: true,
            registration_opens_at: None,
            registration_closes_at: None,
            status: dkbm_entity::EventStatus::Scheduled,
            cancellation_reason: None,
            version: 1,
            seats_taken,
            waitlist_length: 0,
            search_terms: String::new(),
            created_at: at,
            updated_at: at,
        }
    }

    fn quota(position: i32, total: i32, taken: i32, until: Option<DateTime<Utc>>) -> event_quota::Model {
        let at = Utc::now();
        event_quota::Model {
            id: Uuid::now_v7(),
            event_id: Uuid::now_v7(),
            name: format!("Q{position}"),
            position,
            seats_total: total,
            seats_taken: taken,
            programme_id: None,
            agency_id: None,
            until,
            created_at: at,
            updated_at: at,
        }
    }

    fn entitled(quota: event_quota::Model, municipalities: &[MunicipalityId]) -> EntitledQuota {
        EntitledQuota {
            quota,
            municipalities: municipalities.iter().copied().collect(),
        }
    }

    #[test]
    fn reserved_seats_are_not_in_the_general_pool_until_released() {
        let now = Utc::now();
        let open = quota(1, 5, 2, None);
        let released_one = quota(2, 5, 2, Some(now - chrono::Duration::seconds(1)));
        // 10 seats, 1 held outside quotas and 2 in each: the open quota keeps its 5, the
        // released one its 2.
        let only_open = event(10, 3);
        assert_eq!(
            general_seats_free(&only_open, std::slice::from_ref(&open), now),
            Some(10 - 5 - 1)
        );
        let both = event(10, 5);
        assert_eq!(
            general_seats_free(&both, &[open.clone(), released_one.clone()], now),
            Some(10 - 5 - 2 - 1)
        );
        assert_eq!(quota_seats_free(&open, now), 3);
        assert_eq!(quota_seats_free(&released_one, now), 0);
    }

    #[test]
    fn a_member_takes_the_best_quota_then_the_general_pool_then_nothing() {
        let now = Utc::now();
        let (bottrop, essen) = (MunicipalityId::new(), MunicipalityId::new());
        let mut programme = quota(1, 1, 0, None);
        programme.programme_id = Some(Uuid::now_v7());
        let listed = quota(2, 1, 0, None);
        let listed_id = QuotaId::from(listed.id);
        let programme_id = QuotaId::from(programme.id);
        let quotas = vec![entitled(programme, &[bottrop]), entitled(listed, &[bottrop])];
        let mut book = SeatBook::new(&event(3, 0), quotas, now);
        assert_eq!(
            book.take(Some(bottrop), true),
            Some(Seat::Quota(listed_id)),
            "most specific first"
        );
        assert_eq!(book.take(Some(bottrop), true), Some(Seat::Quota(programme_id)));
        assert_eq!(
            book.take(Some(essen), false),
            None,
            "the general pool only when allowed"
        );
        assert_eq!(book.take(Some(bottrop), true), Some(Seat::General));
        assert_eq!(book.take(None, true), None);
        assert!(!book.any_free());
        assert_eq!(book.changed().len(), 2);
    }
}
