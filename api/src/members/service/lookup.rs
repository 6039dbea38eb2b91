//! Finding members: by id, by address, and the roles they hold. Below every other part of the
//! area's service, which all look members up.

use dkbm_entity::{member, member_role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::Grant;
use crate::error::AppResult;
use crate::ids::MemberId;

/// A member by id.
pub async fn member_by_id(db: &impl ConnectionTrait, id: MemberId) -> AppResult<Option<member::Model>> {
    Ok(member::Entity::find_by_id(id).one(db).await?)
}

/// A member by (normalised) email.
pub async fn member_by_email(db: &impl ConnectionTrait, email: &str) -> AppResult<Option<member::Model>> {
    Ok(member::Entity::find()
        .filter(member::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?)
}

/// The member's grants.
pub async fn grants_of(db: &impl ConnectionTrait, member_id: MemberId) -> AppResult<Vec<Grant>> {
    let rows = member_role::Entity::find()
        .filter(member_role::Column::MemberId.eq(member_id))
        .order_by_asc(member_role::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Grant::from).collect())
}
