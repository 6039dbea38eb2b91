//! Writing the change feed: every write of a practice that changes what the feed shows records
//! one entry, as the last step of its transaction (see the migration for why the counter
//! keeps commit order). The feed holds the latest entry per practice only.

use dkbm_entity::{PracticeStatus, good_practice, practice_change};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

use crate::db::now;
use crate::error::{AppError, AppResult};

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

/// The next feed position. The UPDATE locks the counter row until commit.
async fn next_seq(db: &impl ConnectionTrait) -> AppResult<i64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "UPDATE practice_feed SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq",
        ))
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the practice_feed counter row is missing")))?;
    Ok(row.try_get::<i64>("", "last_seq")?)
}

/// Records the change from `before` (none for a new practice) to `after`, if the feed shows it.
/// Call it last in the transaction.
pub async fn record_change(
    db: &impl ConnectionTrait,
    after: &good_practice::Model,
    before: Option<&good_practice::Model>,
) -> AppResult<Option<practice_change::Model>> {
    let was_published = before.is_some_and(|before| before.status == PracticeStatus::Published);
    let operation = match (was_published, after.status == PracticeStatus::Published) {
        (_, true) => Operation::Upsert,
        (true, false) => Operation::Delete,
        (false, false) => return Ok(None),
    };
    let seq = next_seq(db).await?;
    practice_change::Entity::delete_many()
        .filter(practice_change::Column::PracticeId.eq(after.id))
        .exec(db)
        .await?;
    let entry = practice_change::ActiveModel {
        seq: Set(seq),
        practice_id: Set(after.id),
        operation: Set(operation.as_str().to_owned()),
        version: Set(after.version),
        slug: Set(after.slug.clone()),
        external_id: Set(after.external_id.clone()),
        agency_id: Set(after.owner_agency_id),
        at: Set(now()),
    }
    .insert(db)
    .await?;
    Ok(Some(entry))
}
