//! Forum threads in the cross-area search (`crate::search`): title hits in forums the viewer
//! may read, in the search's shared ordering.

use dkbm_entity::forum_thread;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::access::readable_forum_ids;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::pagination::{KeyKind, Keyset, TotalCount, Window};
use crate::text::analysis::{self as search, SearchQuery};

/// The kind of forum threads in the cross-area search's ordering.
pub const SEARCH_KIND: i64 = 1;

/// Threads (of forums the viewer may read) whose title has every word and phrase of the query,
/// most recently active first, after the search cursor's keys (score, date, kind, id); each with
/// its score (2 per word or phrase, as a title hit of a practice). Also the number of all hits.
pub async fn search_hits(
    db: &DatabaseConnection,
    viewer: &Viewer,
    query: &SearchQuery,
    window: &Window,
    portal: Option<&crate::portals::service::PortalView>,
) -> AppResult<(Vec<(forum_thread::Model, i64)>, TotalCount)> {
    let mut select = forum_thread::Entity::find();
    if let Some(portal) = portal {
        select = select.filter(crate::portals::service::thread_condition(portal));
    }
    select = select.filter(search::padded_terms_match(forum_thread::Column::SearchTerms, query));
    if let Some(readable) = readable_forum_ids(viewer) {
        select = select.filter(forum_thread::Column::ForumId.in_subquery(readable));
    }
    let total = TotalCount::of(db, &select);
    let score = 2 * i64::try_from(query.units.len()).unwrap_or(0);
    let keyset = Keyset {
        name: String::new(),
        keys: vec![
            (Expr::val(score), KeyKind::Int),
            (
                Expr::col((forum_thread::Entity, forum_thread::Column::LastActivityAt)),
                KeyKind::Time,
            ),
            (Expr::val(SEARCH_KIND), KeyKind::Int),
            (
                Expr::col((forum_thread::Entity, forum_thread::Column::Id)),
                KeyKind::Uuid,
            ),
        ],
        descending: true,
    };
    let rows = keyset.apply_window(select, window).all(db).await?;
    Ok((rows.into_iter().map(|thread| (thread, score)).collect(), total))
}
