//! The practices' part of the root search: ranked hits with a keyset cursor shared with the
//! other areas' hits.

use dkbm_entity::{PracticeStatus, good_practice};
use sea_orm::sea_query::Expr;
use sea_orm::{DatabaseConnection, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::PracticeColumns;
use super::read::{PracticeFilter, filtered, in_order};
use crate::auth::Viewer;
use crate::db::fulltext;
use crate::db::rows::Shaped;
use crate::error::AppResult;
use crate::ids::PracticeId;
use crate::pagination::{KeyKind, Keyset, TotalCount, Window};
use crate::portals::service::PortalView;
use crate::text::analysis::{self as search, SearchQuery};

/// The kind number of practices in the cross-type search ordering.
pub const SEARCH_KIND: i64 = 0;

/// Practices matching a search, best first, after the union cursor's keys
/// (score, date, kind, id); with each its score. Also the number of all hits.
pub async fn search_hits(
    db: &DatabaseConnection,
    viewer: &Viewer,
    query: &SearchQuery,
    window: &Window,
    portal: Option<std::sync::Arc<PortalView>>,
) -> AppResult<(Vec<(good_practice::Model, i64)>, TotalCount)> {
    // Every practice the viewer may see: the public its published ones, editors their drafts too.
    let everything = PracticeFilter {
        statuses: vec![
            PracticeStatus::Draft,
            PracticeStatus::Published,
            PracticeStatus::Archived,
        ],
        portal,
        ..PracticeFilter::default()
    };
    let (mut select, _, _) = filtered(db, viewer, &everything).await?;
    let (matches, score) = fulltext::matching(db, query);
    select = select.filter(matches);
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: String::new(),
        keys: vec![
            (score, KeyKind::Int),
            (Expr::col(good_practice::Column::ListedAt), KeyKind::Time),
            (Expr::val(SEARCH_KIND), KeyKind::Int),
            (Expr::col(good_practice::Column::Id), KeyKind::Uuid),
        ],
        descending: true,
    };
    let first_page = window.from_the_start();
    let ranked = select
        .select_only()
        .column(good_practice::Column::Id)
        .column_as(Expr::cust("COUNT(*) OVER ()"), "hits");
    let rows: Vec<(Uuid, i64)> = keyset.apply_window(ranked, window).into_tuple().all(db).await?;
    let total = if first_page {
        TotalCount::Known(rows.first().map_or(0, |(_, hits)| *hits))
    } else {
        total
    };
    let ids: Vec<PracticeId> = rows.into_iter().map(|(id, _)| id.into()).collect();
    let hits = in_order(db, ids, PracticeColumns::ALL)
        .await?
        .0
        .into_iter()
        .filter_map(Shaped::into_whole)
        .map(|row| {
            let score = fulltext::score(query, &search::terms(&row.title), &search::terms(&row.summary));
            (row, score)
        })
        .collect();
    Ok((hits, total))
}
