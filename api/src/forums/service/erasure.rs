//! The forums' part of erasing a member (data protection, `crate::members::service::privacy`).

use dkbm_entity::{forum_member, forum_post, forum_thread};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::UnitOfWork;
use crate::error::AppResult;
use crate::ids::MemberId;

/// The data-protection eraser: a deleted member's threads and posts stay, by "deleted member"
/// (the foreign keys set the author to null); their forum roles go with them.
pub fn erase_forum_roles(work: &UnitOfWork, member_id: MemberId) -> futures::future::BoxFuture<'_, AppResult<()>> {
    Box::pin(async move {
        forum_member::Entity::delete_many()
            .filter(forum_member::Column::MemberId.eq(member_id))
            .exec(work)
            .await?;
        forum_post::Entity::update_many()
            .col_expr(forum_post::Column::AuthorId, Expr::val(Option::<Uuid>::None))
            .filter(forum_post::Column::AuthorId.eq(member_id))
            .exec(work)
            .await?;
        forum_thread::Entity::update_many()
            .col_expr(forum_thread::Column::AuthorId, Expr::val(Option::<Uuid>::None))
            .filter(forum_thread::Column::AuthorId.eq(member_id))
            .exec(work)
            .await?;
        Ok(())
    })
}
