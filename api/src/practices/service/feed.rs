//! The change feed partners mirror the knowledge base from. Every write of a practice that
//! changes what the feed shows records one entry, as the last step of its transaction (see the
//! migration for why the counter keeps commit order); the feed holds the latest entry per
//! practice only. Readers page it in snapshots, live subscribers are prompted by events to read
//! it, and old tombstones are purged (cursors from before them expire).

use std::collections::HashMap;
use std::sync::Arc;

use dkbm_entity::{PracticeStatus, good_practice, practice_change, practice_feed};
use futures::Stream;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use tokio::sync::broadcast;
use uuid::Uuid;

use super::page_relations::Wanted;
use super::{FED, PageRelations, PracticeColumns};
use crate::db::ids::any_of;
use crate::db::rows::{self, Shaped};
use crate::db::{UnitOfWork, begin_snapshot, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::pagination::{Key, KeyKind, decode_cursor, encode_cursor};
use crate::realtime::{Bus, Event};

/// What a feed entry says about its practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// The practice is published, with this content.
    Upsert,
    /// The practice is no longer published (archived or deleted): a tombstone.
    Delete,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Upsert => "UPSERT",
            Operation::Delete => "DELETE",
        }
    }

    pub fn parse(value: &str) -> Operation {
        if value == "DELETE" {
            Operation::Delete
        } else {
            Operation::Upsert
        }
    }
}

/// Takes the next `count` feed positions and answers the first. The UPDATE locks the counter
/// row until commit.
async fn take_seqs(db: &impl ConnectionTrait, count: i64) -> AppResult<i64> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let feed = practice_feed::Entity::update_many()
        .col_expr(
            practice_feed::Column::LastSeq,
            Expr::col(practice_feed::Column::LastSeq).add(count),
        )
        .filter(practice_feed::Column::Id.eq(1))
        .exec_with_returning(db)
        .await?
        .pop()
        .ok_or_else(counter_missing)?;
    Ok(feed.last_seq - count + 1)
}

pub(super) fn counter_missing() -> AppError {
    AppError::internal(anyhow::anyhow!("the practice_feed counter row is missing"))
}

/// What the feed shows of a change from `before` (none for a new practice) to `after`.
fn operation_of(after: &good_practice::Model, before: Option<&good_practice::Model>) -> Option<Operation> {
    let was_published = before.is_some_and(|before| before.status == PracticeStatus::Published);
    match (was_published, after.status == PracticeStatus::Published) {
        (_, true) => Some(Operation::Upsert),
        (true, false) => Some(Operation::Delete),
        (false, false) => None,
    }
}

/// Records the change from `before` (none for a new practice) to `after`, if the feed shows it,
/// and tells the webhooks. Call it last in the transaction.
pub async fn record_change(
    work: &UnitOfWork,
    after: &good_practice::Model,
    before: Option<&good_practice::Model>,
) -> AppResult<Option<practice_change::Model>> {
    Ok(record_changes(work, &[(after, before)]).await?.pop())
}

/// Records several changes (after, before) at once, in the order given, with one counter
/// update and two more statements whatever their number, and tells the webhooks of each
/// (`practice.changed`). Call it last in the transaction.
pub async fn record_changes(
    work: &UnitOfWork,
    changes: &[(&good_practice::Model, Option<&good_practice::Model>)],
) -> AppResult<Vec<practice_change::Model>> {
    let entries = record_entries(work, changes).await?;
    super::occurrences::emit(work, changes, &entries);
    Ok(entries)
}

/// The feed's part of [`record_changes`].
async fn record_entries(
    db: &impl ConnectionTrait,
    changes: &[(&good_practice::Model, Option<&good_practice::Model>)],
) -> AppResult<Vec<practice_change::Model>> {
    let shown: Vec<(&good_practice::Model, Operation)> = changes
        .iter()
        .filter_map(|(after, before)| Some((*after, operation_of(after, *before)?)))
        .collect();
    if shown.is_empty() {
        return Ok(Vec::new());
    }
    let first = take_seqs(db, i64::try_from(shown.len()).unwrap_or(i64::MAX)).await?;
    practice_change::Entity::delete_many()
        .filter(practice_change::Column::PracticeId.is_in(shown.iter().map(|(after, _)| after.id)))
        .exec(db)
        .await?;
    let at = now();
    let entries: Vec<practice_change::Model> = shown
        .iter()
        .zip(first..)
        .map(|((after, operation), seq)| practice_change::Model {
            seq,
            practice_id: after.id,
            operation: operation.as_str().to_owned(),
            version: after.version,
            slug: after.slug.clone(),
            external_id: after.external_id.clone(),
            agency_id: after.owner_agency_id,
            at,
        })
        .collect();
    practice_change::Entity::insert_many(entries.iter().cloned().map(practice_change::ActiveModel::from))
        .exec(db)
        .await?;
    Ok(entries)
}

/// Tells live subscribers about recorded entries (once the unit of work that wrote them has
/// committed): one event per agency, with its last position; subscribers read the feed up to
/// there, so one prompt covers all entries before it.
pub fn announce<'a>(work: &UnitOfWork, entries: impl Iterator<Item = &'a practice_change::Model>) {
    let mut last: HashMap<Uuid, i64> = HashMap::new();
    for entry in entries {
        let seq = last.entry(entry.agency_id).or_insert(entry.seq);
        *seq = (*seq).max(entry.seq);
    }
    let mut last: Vec<(Uuid, i64)> = last.into_iter().collect();
    last.sort_unstable_by_key(|(_, seq)| *seq);
    for (agency_id, seq) in last {
        work.announce(Event::PracticeChanged { seq, agency_id });
    }
}

/// Page size of the change feed when `first` is not given.
pub const DEFAULT_CHANGES_PAGE: u64 = 100;
/// Largest page of the change feed.
pub const MAX_CHANGES_PAGE: u64 = 1000;
/// The ordering name inside feed cursors (so a cursor of another list is refused).
const FEED_ORDERING: &str = "GOOD_PRACTICE_CHANGES";

/// The cursor of a feed position.
pub fn change_cursor(seq: i64) -> String {
    encode_cursor(FEED_ORDERING, vec![Key::Int(seq)])
}

fn decode_change_cursor(cursor: &str) -> AppResult<i64> {
    match decode_cursor("after", FEED_ORDERING, &[KeyKind::Int], cursor)?.as_slice() {
        [Key::Int(seq)] if *seq >= 0 => Ok(*seq),
        _ => Err(AppError::bad_input("after", MessageKey::FeedCursorMalformed)),
    }
}

/// One entry of the feed, with the practice for an UPSERT.
#[derive(Debug, Clone)]
pub struct ChangeEntry {
    pub change: practice_change::Model,
    /// The published practice as of the entry (none for a DELETE), shared with its GraphQL
    /// object rather than copied.
    pub practice: Option<Arc<Shaped<good_practice::Model>>>,
}

impl ChangeEntry {
    pub fn operation(&self) -> Operation {
        Operation::parse(&self.change.operation)
    }
}

/// One page of the feed.
pub struct ChangePage {
    pub entries: Vec<ChangeEntry>,
    /// The relations of the page's practices, loaded for the page when first asked for.
    pub relations: Arc<PageRelations>,
    /// Where to continue (also when the page is empty: poll again with it).
    pub end_cursor: String,
    pub has_more: bool,
}

async fn feed_state(db: &impl ConnectionTrait) -> AppResult<practice_feed::Model> {
    practice_feed::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the practice_feed counter row is missing")))
}

/// Checks that a client may continue after `seq`: the position exists, and no tombstone after
/// it has been purged since.
fn check_position(seq: i64, feed: &practice_feed::Model) -> AppResult<()> {
    if seq > feed.last_seq {
        return Err(AppError::bad_input("after", MessageKey::FeedCursorForeign));
    }
    if seq < feed.purged_through {
        return Err(AppError::CursorExpired(MessageKey::FeedCursorExpired.into()));
    }
    Ok(())
}

/// Up to `limit` entries after `after` (of one agency, if given), with their practices, and
/// whether more follow. Run it in a snapshot so entries and practices agree.
async fn entries_after(
    db: &impl ConnectionTrait,
    after: i64,
    agency: Option<AgencyId>,
    limit: u64,
    columns: PracticeColumns,
) -> AppResult<(Vec<ChangeEntry>, bool)> {
    let mut select = practice_change::Entity::find().filter(practice_change::Column::Seq.gt(after));
    if let Some(agency) = agency {
        select = select.filter(practice_change::Column::AgencyId.eq(agency));
    }
    let mut changes = rows::all(select.order_by_asc(practice_change::Column::Seq).limit(limit + 1), db).await?;
    let has_more = changes.len() as u64 > limit;
    changes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let upserts: Vec<Uuid> = changes
        .iter()
        .filter(|change| Operation::parse(&change.operation) == Operation::Upsert)
        .map(|change| change.practice_id)
        .collect();
    let mut practices: HashMap<Uuid, Arc<Shaped<good_practice::Model>>> = if upserts.is_empty() {
        HashMap::new()
    } else {
        let select = columns
            .of(good_practice::Entity::find())
            .filter(any_of(db, good_practice::Column::Id, upserts));
        columns
            .rows(select, db)
            .await?
            .into_iter()
            .map(|practice| (practice.read(FED).id, Arc::new(practice)))
            .collect()
    };
    let entries = changes
        .into_iter()
        .map(|change| {
            let practice = match Operation::parse(&change.operation) {
                Operation::Upsert => practices.remove(&change.practice_id),
                Operation::Delete => None,
            };
            ChangeEntry { change, practice }
        })
        .collect();
    Ok((entries, has_more))
}

/// A page of the change feed after `after` (from the start when none): default 100 entries,
/// at most 1,000. Everyone may read it; it holds published practices only.
pub async fn read_changes(
    db: &DatabaseConnection,
    after: Option<&str>,
    first: Option<i32>,
    (columns, wanted): (PracticeColumns, Wanted),
) -> AppResult<ChangePage> {
    let limit = match first {
        None => DEFAULT_CHANGES_PAGE,
        Some(n) if n < 0 => return Err(AppError::bad_input("first", MessageKey::FirstNegative)),
        Some(n) => u64::try_from(n).unwrap_or(0),
    };
    if limit > MAX_CHANGES_PAGE {
        return Err(AppError::bad_input(
            "first",
            Message::new(MessageKey::FirstTooLarge).with("max", MAX_CHANGES_PAGE),
        ));
    }
    let after = after.map(decode_change_cursor).transpose()?;
    let txn = begin_snapshot(db).await?;
    let feed = feed_state(&txn).await?;
    if let Some(seq) = after {
        check_position(seq, &feed)?;
    }
    let (entries, has_more) = entries_after(&txn, after.unwrap_or(0), None, limit, columns).await?;
    let relations = PageRelations::new(
        db,
        entries
            .iter()
            .filter_map(|entry| entry.practice.as_deref().map(|practice| practice.read(FED))),
        entries.iter().map(|entry| AgencyId::from(entry.change.agency_id)),
    );
    // The relations the page shows, in the same snapshot as its entries: a practice is shown
    // with the municipalities and topics of the version its entry records.
    relations.load_now(&txn, wanted).await?;
    txn.commit().await?;
    // Without more entries the snapshot has shown everything up to the counter (positions
    // are given out in commit order), so the client may continue from there.
    let end = if has_more {
        entries.last().map_or(after.unwrap_or(0), |entry| entry.change.seq)
    } else {
        feed.last_seq
    };
    Ok(ChangePage {
        relations: Arc::new(relations),
        entries,
        end_cursor: change_cursor(end),
        has_more,
    })
}

/// The feed's entries as they are recorded, live: after the cursor `after` if given (catching
/// up first), else from now on; of one agency if given. Entries arrive in feed order and none
/// is skipped: each event (from `bus`) only prompts a read of the feed after the last entry sent.
pub async fn watch_changes(
    db: &DatabaseConnection,
    bus: &Bus,
    agency_slug: Option<&str>,
    after: Option<&str>,
) -> AppResult<impl Stream<Item = AppResult<ChangeEntry>> + use<>> {
    let db = db.clone();
    let agency = match agency_slug {
        Some(slug) => Some(AgencyId::from(require_agency(&db, "agency", slug).await?.id)),
        None => None,
    };
    let after = after.map(decode_change_cursor).transpose()?;
    // Listening starts before the position is read, so nothing recorded in between is lost.
    let mut events = bus.subscribe();
    let feed = feed_state(&db).await?;
    let start = match after {
        Some(seq) => {
            check_position(seq, &feed)?;
            seq
        }
        None => feed.last_seq,
    };
    let concerns = move |event: &Event, last: i64| matches!(event, Event::PracticeChanged { seq, agency_id } if *seq > last && agency.is_none_or(|a| a.uuid() == *agency_id));
    Ok(async_stream::try_stream! {
        let mut last = start;
        let mut pending = after.is_some();
        loop {
            if !pending {
                match events.recv().await {
                    Ok(event) => pending = concerns(&event, last),
                    Err(broadcast::error::RecvError::Lagged(_)) => pending = true,
                    Err(broadcast::error::RecvError::Closed) => break,
                }
                // One read for a burst of events (a sync batch records hundreds at once).
                loop {
                    match events.try_recv() {
                        Ok(event) => pending |= concerns(&event, last),
                        Err(broadcast::error::TryRecvError::Lagged(_)) => pending = true,
                        Err(_) => break,
                    }
                }
                if !pending {
                    continue;
                }
            }
            pending = false;
            loop {
                let txn = begin_snapshot(&db).await?;
                let (entries, more) = entries_after(&txn, last, agency, MAX_CHANGES_PAGE, PracticeColumns::ALL).await?;
                txn.commit().await?;
                for entry in entries {
                    last = entry.change.seq;
                    yield entry;
                }
                if !more {
                    break;
                }
            }
        }
    })
}
