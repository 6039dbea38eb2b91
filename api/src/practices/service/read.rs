//! Finding good practices: the filtered, ordered, keyset-paginated list (with German full-text
//! search), single practices, and facet counts for a filter. Everyone sees published practices;
//! drafts and archived ones only the owner agency's editors and administrators.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use dkbm_entity::{EducationStage, PracticeStatus, State, TargetGroup, good_practice, good_practice_municipality};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Select};
use uuid::Uuid;

use super::columns::{ID_COLUMN, LISTED};
use super::content::mask_bit;
use super::joined::page_with_relations;
use super::page_relations::Preloaded;
use super::similar::{LikeFilter, places_of, practices_of, ranks_of, similarity_keys, similarity_keyset};
use super::{PageRelations, PracticeColumns};
use crate::auth::Viewer;
use crate::db::fulltext;
use crate::db::ids::any_of;
use crate::db::rows::Shaped;
use crate::directory::service::{require_agency, require_municipality, require_topics, with_predecessors};
use crate::error::{AppError, AppResult};
use crate::ids::{MunicipalityId, PracticeId, TypedId};
use crate::messages::MessageKey;
use crate::pagination::{Direction, Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::portals::service::{PortalView, practice_condition};
use crate::text::analysis::{self as search, SearchQuery};
use crate::validate;

/// How several topics in a filter combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TopicMatch {
    /// Practices with at least one of the topics.
    #[default]
    Any,
    /// Practices with every one of the topics.
    All,
}

/// Filters of the practice list; all given conditions must hold.
#[derive(Debug, Clone, Default)]
pub struct PracticeFilter {
    pub search: Option<String>,
    /// Topic slugs.
    pub topics: Vec<String>,
    pub topic_match: TopicMatch,
    pub municipality_ags: Option<String>,
    /// With `municipality_ags`: the practices of the places it followed too.
    pub include_predecessors: bool,
    pub state: Option<State>,
    /// Agency slug.
    pub agency: Option<String>,
    /// Practices for any of these target groups.
    pub target_groups: Vec<TargetGroup>,
    /// Practices in any of these stages.
    pub stages: Vec<EducationStage>,
    /// Empty: published only.
    pub statuses: Vec<PracticeStatus>,
    pub updated_since: Option<DateTime<Utc>>,
    /// Practices from the municipalities most like one municipality (ordered by likeness when
    /// no other order is asked for).
    pub like: Option<LikeFilter>,
    /// Those municipalities, nearest first, when ranked already (`resolve_like`).
    pub like_places: Option<Vec<MunicipalityId>>,
    /// The portal the list is read through: its scope and hidden items apply.
    pub portal: Option<Arc<PortalView>>,
}

/// Orderings of the practice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeOrderField {
    /// Best matches first (only with a search).
    Relevance,
    /// When published (drafts: when created).
    PublishedAt,
    Title,
    UpdatedAt,
}

/// A page of practices, with the search it answered (for snippets).
pub struct PracticePage {
    pub page: Page<Shaped<good_practice::Model>>,
    pub query: Option<SearchQuery>,
    /// The relations of the page's practices, loaded for the page when first asked for.
    pub relations: Arc<PageRelations>,
}

impl PracticePage {
    fn new(
        db: &DatabaseConnection,
        page: Page<Shaped<good_practice::Model>>,
        (query, portal): (Option<SearchQuery>, Option<Arc<PortalView>>),
        preloaded: Preloaded,
    ) -> Self {
        let practices = page.edges.iter().map(|edge| edge.node.read(LISTED));
        let relations = PageRelations::new(db, practices, [])
            .preloaded(preloaded)
            .through(portal);
        PracticePage {
            page,
            query,
            relations: Arc::new(relations),
        }
    }
}

/// Whether the viewer may see the practice.
pub fn visible(viewer: &Viewer, practice: &good_practice::Model) -> bool {
    practice.status == PracticeStatus::Published || viewer.can_edit_for_agency(practice.owner_agency_id)
}

fn visibility(viewer: &Viewer) -> Option<Condition> {
    if viewer.is_admin() {
        return None;
    }
    let mut condition = Condition::any().add(good_practice::Column::Status.eq(PracticeStatus::Published));
    let agencies = viewer.editable_agencies();
    if !agencies.is_empty() {
        condition = condition.add(good_practice::Column::OwnerAgencyId.is_in(agencies));
    }
    Some(condition)
}

fn practices_with(
    table: impl sea_orm::Iden + 'static,
    practice_column: impl sea_orm::Iden + 'static,
    condition: Condition,
) -> SelectStatement {
    Query::select()
        .column(practice_column)
        .from(table)
        .cond_where(condition)
        .to_owned()
}

/// The mask column shares a bit with `mask`.
fn has_any(column: good_practice::Column, mask: i64) -> Expr {
    Expr::col(column).bit_and(mask).ne(0)
}

/// Practices of the place with this AGS (and of the places it followed, if asked).
async fn of_place(db: &impl ConnectionTrait, ags: &str, include_predecessors: bool) -> AppResult<Condition> {
    let municipality = require_municipality(db, "filter.municipalityAgs", ags).await?;
    let places = if include_predecessors {
        with_predecessors(db, &[municipality.id.into()]).await?
    } else {
        vec![municipality.id.into()]
    };
    Ok(
        Condition::all().add(good_practice::Column::Id.in_subquery(practices_with(
            good_practice_municipality::Entity,
            good_practice_municipality::Column::PracticeId,
            Condition::all().add(good_practice_municipality::Column::MunicipalityId.is_in(places)),
        ))),
    )
}

/// The filtered select (visibility included), the parsed search and the similar municipalities
/// (nearest first, with `filter.like`), shared by list and facets.
pub(super) async fn filtered(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &PracticeFilter,
) -> AppResult<(
    Select<good_practice::Entity>,
    Option<(SearchQuery, Expr)>,
    Option<Vec<MunicipalityId>>,
)> {
    let mut select = good_practice::Entity::find();
    if let Some(condition) = visibility(viewer) {
        select = select.filter(condition);
    }
    let statuses = if filter.statuses.is_empty() {
        vec![PracticeStatus::Published]
    } else {
        filter.statuses.clone()
    };
    select = select.filter(good_practice::Column::Status.is_in(statuses));
    if let Some(portal) = &filter.portal {
        select = select.filter(practice_condition(portal));
    }

    // Topics, states, target groups and stages are filtered on the facet masks, which the
    // facet index holds: one index scan, no semi-join.
    if !filter.topics.is_empty() {
        let topics = require_topics(db, "filter.topics", &filter.topics).await?;
        let mask = topics.iter().fold(0i64, |mask, t| {
            mask | mask_bit(u32::try_from(t.facet_bit).unwrap_or(63))
        });
        select = select.filter(match filter.topic_match {
            TopicMatch::Any => has_any(good_practice::Column::TopicMask, mask),
            TopicMatch::All => Expr::col(good_practice::Column::TopicMask).bit_and(mask).eq(mask),
        });
    }
    if let Some(ags) = &filter.municipality_ags {
        select = select.filter(of_place(db, ags, filter.include_predecessors).await?);
    }
    if let Some(state) = filter.state {
        select = select.filter(has_any(good_practice::Column::StateMask, mask_bit(state.bit())));
    }
    if let Some(slug) = &filter.agency {
        let agency = require_agency(db, "filter.agency", slug).await?;
        select = select.filter(good_practice::Column::OwnerAgencyId.eq(agency.id));
    }
    if !filter.target_groups.is_empty() {
        let mask = filter
            .target_groups
            .iter()
            .fold(0i64, |mask, g| mask | mask_bit(g.bit()));
        select = select.filter(has_any(good_practice::Column::TargetGroupMask, mask));
    }
    if !filter.stages.is_empty() {
        let mask = filter.stages.iter().fold(0i64, |mask, g| mask | mask_bit(g.bit()));
        select = select.filter(has_any(good_practice::Column::StageMask, mask));
    }
    if let Some(since) = filter.updated_since {
        select = select.filter(good_practice::Column::UpdatedAt.gte(since));
    }
    let places = places_of(db, filter).await?;
    if let Some(places) = &places {
        select = select.filter(good_practice::Column::Id.in_subquery(practices_of(places)));
    }
    let mut search = None;
    if let Some(text) = &filter.search {
        validate::max_chars("filter.search", text, 500)?;
        let query = SearchQuery::parse(text);
        if !query.is_empty() {
            let (matches, score) = fulltext::matching(db, &query);
            select = select.filter(matches);
            search = Some((query, score));
        }
    }
    Ok((select, search, places))
}

/// The practices with these ids, in this order, with the relations `columns` joins.
pub(super) async fn in_order(
    db: &DatabaseConnection,
    ids: Vec<PracticeId>,
    columns: PracticeColumns,
) -> AppResult<(Vec<Shaped<good_practice::Model>>, Preloaded)> {
    if ids.is_empty() {
        return Ok((Vec::new(), Preloaded::default()));
    }
    let select = columns.of(good_practice::Entity::find()).filter(any_of(
        db,
        good_practice::Column::Id,
        ids.iter().map(|id| id.uuid()),
    ));
    let (rows, preloaded) =
        page_with_relations(db, select, &[(good_practice::Column::Id, Order::Asc)], columns).await?;
    let mut by_id: HashMap<Uuid, Shaped<good_practice::Model>> =
        rows.into_iter().map(|row| (row.read(ID_COLUMN).id, row)).collect();
    Ok((
        ids.iter().filter_map(|id| by_id.remove(&id.uuid())).collect(),
        preloaded,
    ))
}

/// A fingerprint of a search, so that a cursor of one search is refused for another.
fn fingerprint(query: &SearchQuery) -> String {
    crate::text::sha256_hex(format!("{:?}", query.units), 6)
}

/// The column an ordering other than RELEVANCE sorts by (before the id).
fn order_column(field: PracticeOrderField) -> good_practice::Column {
    match field {
        PracticeOrderField::Title => good_practice::Column::TitleSort,
        PracticeOrderField::UpdatedAt => good_practice::Column::UpdatedAt,
        PracticeOrderField::PublishedAt | PracticeOrderField::Relevance => good_practice::Column::ListedAt,
    }
}

/// The keyset of an ordering of the list, and the search whose hits it orders (RELEVANCE needs
/// one).
fn keyset_for(
    field: PracticeOrderField,
    direction: Option<Direction>,
    search: Option<(SearchQuery, Expr)>,
) -> AppResult<(Keyset, Option<SearchQuery>)> {
    let id = (Expr::col(good_practice::Column::Id), KeyKind::Uuid);
    Ok(match field {
        PracticeOrderField::Relevance => {
            let Some((query, score)) = search else {
                return Err(AppError::bad_input("orderBy.field", MessageKey::RelevanceNeedsSearch));
            };
            let keyset = Keyset {
                name: format!("practice:RELEVANCE:{}", fingerprint(&query)),
                keys: vec![
                    (score, KeyKind::Int),
                    (Expr::col(good_practice::Column::ListedAt), KeyKind::Time),
                    id,
                ],
                descending: true,
            };
            (keyset, Some(query))
        }
        other => {
            let (name, kind, default) = match other {
                PracticeOrderField::PublishedAt => ("PUBLISHED_AT", KeyKind::Time, Direction::Desc),
                PracticeOrderField::Title => ("TITLE", KeyKind::Str, Direction::Asc),
                _ => ("UPDATED_AT", KeyKind::Time, Direction::Desc),
            };
            let direction = direction.unwrap_or(default);
            let keyset = Keyset {
                name: format!("practice:{name}:{direction:?}"),
                keys: vec![(Expr::col(order_column(other)), kind), id],
                descending: direction.is_desc(),
            };
            (keyset, search.map(|(query, _)| query))
        }
    })
}

/// A page of practices.
pub async fn list_practices(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &PracticeFilter,
    order: Option<(PracticeOrderField, Option<Direction>)>,
    page: &PageArgs,
    columns: PracticeColumns,
) -> AppResult<PracticePage> {
    let (select, search, places) = filtered(db, viewer, filter).await?;
    let total = TotalCount::of(db, &select);
    if let (Some(places), None) = (&places, order) {
        let keyset = similarity_keyset(places);
        let rows = columns.rows(keyset.apply(columns.of(select), page)?, db).await?;
        let ids: Vec<PracticeId> = rows.iter().map(|row| row.read(ID_COLUMN).id.into()).collect();
        let ranks = ranks_of(db, &ids, places).await?;
        let page = keyset.finish(rows, page, total, |row| similarity_keys(&ranks, row.read(ID_COLUMN)));
        let query = search.map(|(query, _)| query);
        return Ok(PracticePage::new(
            db,
            page,
            (query, filter.portal.clone()),
            Preloaded::default(),
        ));
    }
    let field = match order {
        Some((field, _)) => field,
        None if search.is_some() => PracticeOrderField::Relevance,
        None => PracticeOrderField::PublishedAt,
    };
    let direction = order.and_then(|(_, direction)| direction);
    let (keyset, query) = keyset_for(field, direction, search)?;
    let window = keyset.window(page)?;
    let mut total = total;
    let (rows, preloaded) = if field == PracticeOrderField::Relevance {
        // Every hit is scored and sorted: sort ids, not whole rows, and count the hits in the
        // same pass (on the first page; behind a cursor the window sees only the rest).
        let ranked = select
            .select_only()
            .column(good_practice::Column::Id)
            .column_as(Expr::cust("COUNT(*) OVER ()"), "hits");
        let rows: Vec<(Uuid, i64)> = keyset.apply_window(ranked, &window).into_tuple().all(db).await?;
        if window.from_the_start() {
            total = TotalCount::Known(rows.first().map_or(0, |(_, hits)| *hits));
        }
        in_order(db, rows.into_iter().map(|(id, _)| id.into()).collect(), columns).await?
    } else {
        let order = keyset.statement_order(&window);
        let order = [(order_column(field), order.clone()), (good_practice::Column::Id, order)];
        page_with_relations(db, keyset.apply_window(columns.of(select), &window), &order, columns).await?
    };
    let page = keyset.finish(rows, page, total, |row| {
        let row = row.read(LISTED);
        let first = match field {
            PracticeOrderField::Relevance => {
                let score = query.as_ref().map_or(0, |query| {
                    fulltext::score(query, &search::terms(&row.title), &search::terms(&row.summary))
                });
                return vec![Key::Int(score), Key::Time(row.listed_at), Key::Uuid(row.id)];
            }
            PracticeOrderField::PublishedAt => Key::Time(row.listed_at),
            PracticeOrderField::Title => Key::Str(row.title_sort.clone()),
            PracticeOrderField::UpdatedAt => Key::Time(row.updated_at),
        };
        vec![first, Key::Uuid(row.id)]
    });
    Ok(PracticePage::new(db, page, (query, filter.portal.clone()), preloaded))
}

/// A practice by slug, if the viewer may see it.
pub async fn practice_by_slug(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    slug: &str,
) -> AppResult<Option<good_practice::Model>> {
    let practice = good_practice::Entity::find()
        .filter(good_practice::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?;
    Ok(practice.filter(|practice| visible(viewer, practice)))
}
