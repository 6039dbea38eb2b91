//! A member's personal calendar URL (`/calendar/{token}.ics`): a secret token, made the first
//! time the member asks for the URL and replaced when they reset it (the old URL then answers
//! 404). The feed itself is the events area's.

use dkbm_entity::calendar_feed;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::sessions::new_secret;
use crate::auth::{Viewer, ensure_member};
use crate::db::{Writer, now};
use crate::error::AppResult;
use crate::ids::MemberId;

/// The path of the calendar with `token`.
pub fn calendar_path(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

/// The viewer's calendar token, made now if they have none.
pub async fn calendar_token(writer: &Writer, viewer: &Viewer) -> AppResult<String> {
    let member_id = ensure_member(viewer)?.id;
    let db = writer.conn();
    if let Some(feed) = calendar_feed::Entity::find_by_id(member_id).one(db).await? {
        return Ok(feed.token);
    }
    // Two first asks at once: one insert wins, both read it.
    calendar_feed::Entity::insert(new_feed(member_id, new_secret()))
        .on_conflict(
            OnConflict::column(calendar_feed::Column::MemberId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let feed = calendar_feed::Entity::find_by_id(member_id).one(db).await?;
    Ok(feed.map(|feed| feed.token).unwrap_or_default())
}

/// Replaces the viewer's calendar token; the new one.
pub async fn reset_calendar_token(writer: &Writer, viewer: &Viewer) -> AppResult<String> {
    let member_id = ensure_member(viewer)?.id;
    let token = new_secret();
    calendar_feed::Entity::insert(new_feed(member_id, token.clone()))
        .on_conflict(
            OnConflict::column(calendar_feed::Column::MemberId)
                .update_columns([calendar_feed::Column::Token, calendar_feed::Column::CreatedAt])
                .to_owned(),
        )
        .exec_without_returning(writer.conn())
        .await?;
    Ok(token)
}

fn new_feed(member_id: uuid::Uuid, token: String) -> calendar_feed::ActiveModel {
    calendar_feed::ActiveModel {
        member_id: Set(member_id),
        token: Set(token),
        created_at: Set(now()),
    }
}

/// The member whose calendar `token` opens.
pub async fn member_of_calendar(db: &DatabaseConnection, token: &str) -> AppResult<Option<MemberId>> {
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::Token.eq(token))
        .one(db)
        .await?;
    Ok(feed.map(|feed| MemberId::from(feed.member_id)))
}
