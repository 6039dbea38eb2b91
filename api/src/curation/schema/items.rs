//! What a portal curates, as GraphQL: the union of curated items and how one is loaded (through
//! the areas' DataLoaders, with their visibility rules).

use async_graphql::{Context, Union};

use crate::error::AppResult;
use crate::events::loaders::EventLoaders;
use crate::events::schema::TrainingEvent;
use crate::forums::loaders::ForumLoaders;
use crate::forums::schema::Forum;
use crate::graphql::ContextExt;
use crate::ids::{EventId, ForumId, PracticeId, TypedId};
use crate::portals::service::ItemId;
use crate::practices::loaders::PracticeLoaders;
use crate::practices::schema::GoodPractice;

/// An item a portal curates: a good practice, a training event or a forum.
#[derive(Union)]
#[expect(
    clippy::large_enum_variant,
    reason = "async-graphql unions and interfaces hold their objects by value; one exists per resolved item"
)]
pub enum CuratedItem {
    /// A good practice.
    GoodPractice(GoodPractice),
    /// A training event.
    TrainingEvent(TrainingEvent),
    /// A forum (only hidden items are forums).
    Forum(Forum),
}

/// The item, if it exists and the viewer may see it (drafts only for their editors).
pub async fn load_item(ctx: &Context<'_>, item: ItemId) -> AppResult<Option<CuratedItem>> {
    let viewer = ctx.viewer()?;
    Ok(match item {
        ItemId::Practice(id) => ctx
            .loaders::<PracticeLoaders>()?
            .practice(id)
            .await?
            .filter(|practice| crate::practices::service::visible(viewer, practice))
            .map(|practice| CuratedItem::GoodPractice(GoodPractice::from(practice))),
        ItemId::Event(id) => ctx
            .loaders::<EventLoaders>()?
            .event(id)
            .await?
            .map(|event| CuratedItem::TrainingEvent(TrainingEvent(event))),
        // Only hidden items are forums, and only the portal's curators list them.
        ItemId::Forum(id) => ctx
            .loaders::<ForumLoaders>()?
            .forum(id)
            .await?
            .map(|forum| CuratedItem::Forum(Forum(forum))),
    })
}

/// The item a global id names, for curation; None for other kinds.
pub fn item_of(global_id: &str) -> Option<ItemId> {
    let (kind, id) = crate::graphql::node::decode(global_id)?;
    Some(match kind.as_str() {
        PracticeId::KIND => ItemId::Practice(id.into()),
        EventId::KIND => ItemId::Event(id.into()),
        ForumId::KIND => ItemId::Forum(id.into()),
        _ => return None,
    })
}
