//! Reach: how often each practice and event was opened in a portal, per day. Privacy-friendly:
//! a count per (portal, day, item) and nothing else — no address, no cookie, no member. Views
//! are counted in memory and written in one upsert every `--portal-reach-flush-secs` (and
//! before `popular` is read), so counting costs the read path nothing; the upsert adds to the
//! stored count, so instances never overwrite each other. A client address may count at most
//! `--portal-views-per-minute` views a minute; it is held, hashed with a per-process salt, only
//! for that minute.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dkbm_entity::portal_reach;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use super::model::{ItemId, ItemKind};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;
use crate::ids::{PortalId, TypedId};

/// A pending count's key: portal, day and the item's database id (its kind is in the value,
/// as the table keys its rows).
type ReachKey = (PortalId, NaiveDate, Uuid);

/// The views counted on this instance and not yet written, and the per-address limiter.
pub struct ReachCounter {
    per_minute: u32,
    salt: RandomState,
    pending: Mutex<HashMap<ReachKey, (ItemKind, i64)>>,
    limiter: Mutex<(Instant, HashMap<u64, u32>)>,
}

impl ReachCounter {
    pub fn new(per_minute: u32) -> Self {
        ReachCounter {
            per_minute,
            salt: RandomState::new(),
            pending: Mutex::default(),
            limiter: Mutex::new((Instant::now(), HashMap::new())),
        }
    }

    /// Whether the address may count one more view this minute (and counts it if so).
    fn admit(&self, address: Option<IpAddr>) -> bool {
        let slot = self.salt.hash_one(address);
        let mut limiter = self.limiter.lock().unwrap_or_else(PoisonError::into_inner);
        if limiter.0.elapsed() >= Duration::from_secs(60) {
            *limiter = (Instant::now(), HashMap::new());
        }
        let count = limiter.1.entry(slot).or_default();
        if *count >= self.per_minute {
            return false;
        }
        *count += 1;
        true
    }

    /// Counts one view of an item in a portal today; false when the address is over its limit.
    pub fn record(&self, portal_id: PortalId, item: ItemId, address: Option<IpAddr>) -> bool {
        if !self.admit(address) {
            return false;
        }
        let day = now().date_naive();
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        pending
            .entry((portal_id, day, item.uuid()))
            .or_insert((item.kind(), 0))
            .1 += 1;
        true
    }

    fn take(&self) -> HashMap<ReachKey, (ItemKind, i64)> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn give_back(&self, counts: HashMap<ReachKey, (ItemKind, i64)>) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        for (key, (kind, views)) in counts {
            pending.entry(key).or_insert((kind, 0)).1 += views;
        }
    }
}

/// Writes this instance's pending counts: one upsert that adds them to the stored ones. On
/// failure they are kept for the next round.
pub async fn flush_reach(writer: &Writer, reach: &ReachCounter) -> AppResult<()> {
    let counts = reach.take();
    if counts.is_empty() {
        return Ok(());
    }
    let rows: Vec<portal_reach::ActiveModel> = counts
        .iter()
        .map(|((portal_id, day, item_id), (kind, views))| portal_reach::ActiveModel {
            portal_id: Set(portal_id.uuid()),
            day: Set(*day),
            item_id: Set(*item_id),
            item_kind: Set(kind.as_str().to_owned()),
            views: Set(*views),
        })
        .collect();
    let written = async {
        let work = UnitOfWork::begin(writer).await?;
        portal_reach::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    portal_reach::Column::PortalId,
                    portal_reach::Column::Day,
                    portal_reach::Column::ItemId,
                ])
                .value(
                    portal_reach::Column::Views,
                    Expr::col((portal_reach::Entity, portal_reach::Column::Views)).add(Expr::cust("excluded.views")),
                )
                .to_owned(),
            )
            .exec_without_returning(&work)
            .await?;
        work.commit().await
    }
    .await;
    if written.is_err() {
        reach.give_back(counts);
    }
    written
}

/// Writes the pending counts every `period` (`--portal-reach-flush-secs`, at least a second),
/// for as long as the instance runs.
pub async fn run_reach_flush(writer: Writer, reach: Arc<ReachCounter>, period: Duration) {
    let mut ticker = tokio::time::interval(Ord::max(period, Duration::from_secs(1)));
    loop {
        ticker.tick().await;
        if let Err(error) = flush_reach(&writer, &reach).await {
            tracing::warn!(%error, "writing portal reach counts failed; kept for the next round");
        }
    }
}

/// The most opened items of a portal over the last `days` days (today included), most views
/// first, each with its views; this instance's pending counts are written first.
pub async fn popular(
    writer: &Writer,
    reach: &ReachCounter,
    portal_id: PortalId,
    days: i64,
    limit: u64,
) -> AppResult<Vec<(ItemId, i64)>> {
    flush_reach(writer, reach).await?;
    let since = now().date_naive() - chrono::Duration::days(days - 1);
    let rows: Vec<(String, Uuid, i64)> = portal_reach::Entity::find()
        .select_only()
        .column(portal_reach::Column::ItemKind)
        .column(portal_reach::Column::ItemId)
        .column_as(Expr::cust("CAST(SUM(views) AS BIGINT)"), "total")
        .filter(portal_reach::Column::PortalId.eq(portal_id))
        .filter(portal_reach::Column::Day.gte(since))
        .group_by(portal_reach::Column::ItemKind)
        .group_by(portal_reach::Column::ItemId)
        .order_by_desc(Expr::cust("CAST(SUM(views) AS BIGINT)"))
        .order_by_asc(portal_reach::Column::ItemId)
        .limit(limit)
        .into_tuple()
        .all(writer.conn())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, id, views)| Some((ItemId::stored(&kind, id)?, views)))
        .collect())
}

/// A portal's counts per day and item (for tests and exports): day, item, views.
pub async fn reach_rows(db: &impl ConnectionTrait, portal_id: PortalId) -> AppResult<Vec<portal_reach::Model>> {
    Ok(portal_reach::Entity::find()
        .filter(portal_reach::Column::PortalId.eq(portal_id))
        .order_by_asc(portal_reach::Column::Day)
        .all(db)
        .await?)
}
