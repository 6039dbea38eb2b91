//! Who wrote a thread or post, or did a moderator's action: a member, or a name that outlives a
//! deleted account.

use async_graphql::Context;
use uuid::Uuid;

use crate::graphql::ContextExt;
use crate::members::loaders::MemberLoaders;
use crate::members::schema::Member;

/// The member, while their account exists.
pub(super) async fn author(ctx: &Context<'_>, id: Option<Uuid>) -> async_graphql::Result<Option<Member>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx
        .loaders::<MemberLoaders>()?
        .member(id.into())
        .await?
        .map(Member::from))
}

/// The member's display name, or "deleted member".
pub(super) async fn author_name(ctx: &Context<'_>, id: Option<Uuid>) -> async_graphql::Result<String> {
    let name = match id {
        Some(id) => ctx
            .loaders::<MemberLoaders>()?
            .member(id.into())
            .await?
            .map(|m| m.display_name),
        None => None,
    };
    Ok(name.unwrap_or_else(|| "deleted member".to_owned()))
}
