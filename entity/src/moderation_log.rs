//! What a moderator did in a forum.

use sea_orm::entity::prelude::*;

use crate::ModerationAction;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "moderation_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub thread_id: Option<Uuid>,
    pub post_id: Option<Uuid>,
    /// `None` for the operator's token or a deleted account.
    pub moderator_id: Option<Uuid>,
    pub action: ModerationAction,
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
