//! What a request reads through a portal, as GraphQL: the portal the request names
//! (`X-Portal-Key`, resolved by the HTTP layer into [`RequestPortal`]) or a list's `portalKey`
//! argument, unless the query leaves the scope with `scope: ALL`; and that portal's teaser
//! overrides.

use std::sync::Arc;

use async_graphql::{Context, Enum};

use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::ids::PracticeId;
use crate::portals::loaders::PortalLoaders;
use crate::portals::service::{self, PortalView};

/// The portal the request names with its `X-Portal-Key` header (none without the header).
#[derive(Clone, Default)]
pub struct RequestPortal(pub Option<Arc<PortalView>>);

/// Whether a list is read through the portal's scope.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum PortalScopeMode {
    /// The portal's scope and hidden items apply (the default when the request names a portal).
    #[default]
    Portal,
    /// The whole shared knowledge base, as without a portal.
    All,
}

/// The request's portal (header), if any.
pub fn request_portal(ctx: &Context<'_>) -> Option<Arc<PortalView>> {
    ctx.data_opt::<RequestPortal>().and_then(|portal| portal.0.clone())
}

/// The portal a list is read through: none with `scope: ALL`; the one `portalKey` names (an
/// unknown key is BAD_USER_INPUT on `portalKey`); else the request's.
pub async fn list_portal(
    ctx: &Context<'_>,
    portal_key: Option<String>,
    scope: Option<PortalScopeMode>,
) -> AppResult<Option<Arc<PortalView>>> {
    if scope == Some(PortalScopeMode::All) {
        return Ok(None);
    }
    match portal_key {
        Some(key) => Ok(Some(Arc::new(
            service::require_portal_by_key(ctx.state()?.conn(), "portalKey", &key).await?,
        ))),
        None => Ok(request_portal(ctx)),
    }
}

/// The teaser override of a practice in `portal` (a list's, read through it), else in the
/// request's portal; none without a portal.
pub async fn teaser_override(
    ctx: &Context<'_>,
    portal: Option<&Arc<PortalView>>,
    practice_id: PracticeId,
) -> AppResult<Option<dkbm_entity::portal_teaser::Model>> {
    let Some(portal) = portal.cloned().or_else(|| request_portal(ctx)) else {
        return Ok(None);
    };
    ctx.loaders::<PortalLoaders>()?.teaser(portal.id(), practice_id).await
}
