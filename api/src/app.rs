//! One instance assembled: the shared state and every area's handle, with the hooks the lower
//! areas declare wired to the areas above that answer them. `serve`, the router, the periodic
//! round, the seed and the command line start from an [`App`].
//!
//! The wiring, in one place:
//! - a changed municipality (directory) refreshes the practices' state masks and the
//!   indicators' revision ([`crate::directory::service::OnMunicipalityChange`]);
//! - a member's data export and erasure (members) include the events' registrations and the
//!   forums' roles and authorship, the files they attached to posts
//!   ([`crate::members::service::privacy::MemberData`]);
//! - `Municipality.indicators` (directory) is answered by the indicators area
//!   (`crate::schema`'s answers).

use std::sync::Arc;
use std::time::Duration;

use crate::directory::service::Directory;
use crate::events::service::Events;
use crate::forums::service::Forums;
use crate::indicators::service::{Indicators, MatrixRevision};
use crate::members::service::privacy::MemberData;
use crate::portals::service::Portals;
use crate::practices::service::StateMasks;
use crate::state::AppState;

/// Every area's handle of one instance.
pub struct Areas {
    pub directory: Directory,
    pub indicators: Indicators,
    pub members: MemberData,
    pub portals: Portals,
    pub events: Events,
    pub forums: Forums,
}

/// One instance: its shared state and its areas.
#[derive(Clone)]
pub struct App {
    pub state: AppState,
    pub areas: Arc<Areas>,
}

impl App {
    /// Builds every area's handle for `state` and wires the hooks.
    pub fn new(state: AppState) -> App {
        let config = &state.config;
        let areas = Areas {
            directory: Directory::new(vec![Arc::new(StateMasks), Arc::new(MatrixRevision)]),
            indicators: Indicators::default(),
            members: MemberData::new(
                vec![
                    crate::events::service::export_registrations,
                    crate::accompaniment::service::export_member,
                    crate::documents::service::export_member_files,
                ],
                vec![
                    crate::events::service::erase_registrations,
                    crate::documents::service::erase_member_files,
                    crate::forums::service::erase_forum_roles,
                ],
            ),
            portals: Portals::new(
                config.portal_views_per_minute,
                Duration::from_secs(config.portal_origins_refresh_secs),
            ),
            events: Events::default(),
            forums: Forums::new(config.forum_posts_per_minute),
        };
        App {
            state,
            areas: Arc::new(areas),
        }
    }
}
