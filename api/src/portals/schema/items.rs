//! What a portal curates, as GraphQL: the union of curated items and how one is loaded (through
//! the areas' DataLoaders, with their visibility rules).

use async_graphql::{Context, Union};
use uuid::Uuid;

use crate::error::AppResult;
use crate::events::loaders::EventLoaders;
use crate::events::schema::TrainingEvent;
use crate::forums::loaders::ForumLoaders;
use crate::forums::schema::Forum;
use crate::graphql::ContextExt;
use crate::portals::service::ItemKind;
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
pub async fn load_item(ctx: &Context<'_>, kind: ItemKind, id: Uuid) -> AppResult<Option<CuratedItem>> {
    let viewer = ctx.viewer()?;
    Ok(match kind {
        ItemKind::Practice => ctx
            .get::<PracticeLoaders>()?
            .practice(id)
            .await?
            .filter(|practice| crate::practices::service::visible(viewer, practice))
            .map(|practice| CuratedItem::GoodPractice(GoodPractice::from(practice))),
        ItemKind::Event => ctx
            .get::<EventLoaders>()?
            .event(id)
            .await?
            .map(|event| CuratedItem::TrainingEvent(TrainingEvent(event))),
        // Only hidden items are forums, and only the portal's curators list them.
        ItemKind::Forum => ctx
            .get::<ForumLoaders>()?
            .forum(id)
            .await?
            .map(|forum| CuratedItem::Forum(Forum(forum))),
    })
}

/// The kind of a global id's object, for curation; None for other kinds.
pub fn kind_of(global_id: &str) -> Option<(ItemKind, Uuid)> {
    let (kind, id) = crate::graphql::node::decode(global_id)?;
    let kind = match kind.as_str() {
        "GoodPractice" => ItemKind::Practice,
        "TrainingEvent" => ItemKind::Event,
        "Forum" => ItemKind::Forum,
        _ => return None,
    };
    Some((kind, id))
}
