//! The relations of one page of practices (a page of the list, a page of the change feed): each
//! relation is loaded for the whole page in one statement the first time one of the page's
//! practices asks for it, and then handed to every practice from a map.
//!
//! Why not the DataLoaders: they batch just as well, but every practice's field pays for a
//! DataLoader call (a future, the loader's lock, a key set, the gate, a wake-up, a cache map,
//! the rows cloned out of it). On a page of 1,000 practices with five relations those 5,000
//! calls cost more than the statements. Here a practice's field costs a map lookup. A
//! many-to-many relation is one statement: the rows joined with their link table, each with the
//! practice it is linked to (the DataLoaders read the links, then the rows). Target groups and
//! stages are not relations here: they come from the practice's facet masks. Practices that
//! stand alone (a detail page, a node, a search hit) keep the DataLoaders.

use std::collections::HashMap;
use std::sync::Arc;

use dkbm_entity::{agency, good_practice, good_practice_municipality, good_practice_topic, municipality, topic};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationDef,
};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::relations::{good_practice_municipality_relation, good_practice_topic_relation};
use crate::db::ids::any_of;
use crate::db::rows::{self, ByPosition, Shaped};
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, PracticeId, TypedId};
use crate::portals::service::PortalView;

/// A relation of the page, loaded once for all its practices: its rows, or the failure of that
/// one load, which every practice of the page then answers with (the failing statement is not
/// run again for each of a thousand practices).
type Loaded<T> = OnceCell<Result<T, String>>;

/// The relation in `cell`, loaded by `load` if no practice asked for it before.
async fn loaded<T, F: Future<Output = AppResult<T>>>(cell: &Loaded<T>, load: impl FnOnce() -> F) -> AppResult<&T> {
    match cell
        .get_or_init(|| async {
            // The cause, for the log (an internal error displays only "internal server error").
            load().await.map_err(|error| match error {
                AppError::Internal(cause) => format!("{cause:#}"),
                other => other.to_string(),
            })
        })
        .await
    {
        Ok(relation) => Ok(relation),
        Err(error) => Err(AppError::internal(anyhow::anyhow!(
            "loading a relation of the page failed: {error}"
        ))),
    }
}

/// Rows grouped by the practice they belong to, in display order.
pub(super) type ByPractice<T> = HashMap<Uuid, Vec<T>>;

/// Which relations a page's selection shows (and a feed page loads in its snapshot).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wanted {
    pub agencies: bool,
    pub municipalities: bool,
    pub topics: bool,
}

/// Relations read with the page itself (`joined`), which no practice then loads.
#[derive(Default)]
pub(super) struct Preloaded {
    /// The page's owner agencies, by id.
    pub agencies: Option<HashMap<Uuid, Shaped<agency::Model>>>,
    pub municipalities: Option<ByPractice<Shaped<municipality::Model>>>,
}

/// The relations of one page of practices, loaded for the page when first asked for.
pub struct PageRelations {
    db: DatabaseConnection,
    /// The page's practices.
    practices: Vec<Uuid>,
    /// The agencies the page names (owners, and a feed entry's agency).
    agency_ids: Vec<Uuid>,
    agencies: Loaded<HashMap<Uuid, Shaped<agency::Model>>>,
    municipalities: Loaded<ByPractice<Shaped<municipality::Model>>>,
    topics: Loaded<ByPractice<topic::Model>>,
    /// The portal the page is read through (its `portalKey:` or the request's header), whose
    /// teasers and images its practices show.
    portal: Option<Arc<PortalView>>,
}

impl PageRelations {
    /// The relations of these practices, and of these further agencies.
    pub fn new<'a>(
        db: &DatabaseConnection,
        practices: impl IntoIterator<Item = &'a good_practice::Model>,
        other_agencies: impl IntoIterator<Item = AgencyId>,
    ) -> Self {
        let mut ids = Vec::new();
        let mut agency_ids = Vec::new();
        for practice in practices {
            ids.push(practice.id);
            agency_ids.push(practice.owner_agency_id);
        }
        agency_ids.extend(other_agencies.into_iter().map(AgencyId::uuid));
        agency_ids.sort_unstable();
        agency_ids.dedup();
        PageRelations {
            db: db.clone(),
            practices: ids,
            agency_ids,
            agencies: OnceCell::new(),
            municipalities: OnceCell::new(),
            topics: OnceCell::new(),
            portal: None,
        }
    }

    /// These relations on a page read through `portal`.
    pub(super) fn through(mut self, portal: Option<Arc<PortalView>>) -> Self {
        self.portal = portal;
        self
    }

    /// The portal the page is read through, if any.
    pub fn portal(&self) -> Option<&Arc<PortalView>> {
        self.portal.as_ref()
    }

    /// These relations as read with the page.
    pub(super) fn preloaded(mut self, preloaded: Preloaded) -> Self {
        if let Some(agencies) = preloaded.agencies {
            self.agencies = OnceCell::from(Ok(agencies));
        }
        if let Some(municipalities) = preloaded.municipalities {
            self.municipalities = OnceCell::from(Ok(municipalities));
        }
        self
    }

    /// An agency the page names.
    pub async fn agency(&self, id: AgencyId) -> AppResult<Option<Shaped<agency::Model>>> {
        let agencies = loaded(&self.agencies, || self.load_agencies(&self.db)).await?;
        Ok(agencies.get(&id.uuid()).cloned())
    }

    /// Loads the relations `wanted` now, over `db` (a feed page's snapshot, so that the
    /// relations are those of the same state as its entries).
    pub(super) async fn load_now(&self, db: &impl ConnectionTrait, wanted: Wanted) -> AppResult<()> {
        if wanted.agencies {
            loaded(&self.agencies, || self.load_agencies(db)).await?;
        }
        if wanted.municipalities {
            loaded(&self.municipalities, || self.load_municipalities(db)).await?;
        }
        if wanted.topics {
            loaded(&self.topics, || self.load_topics(db)).await?;
        }
        Ok(())
    }

    async fn load_agencies(&self, db: &impl ConnectionTrait) -> AppResult<HashMap<Uuid, Shaped<agency::Model>>> {
        let ids = self.agency_ids.iter().copied();
        let select = agency::Entity::find().filter(any_of(db, agency::Column::Id, ids));
        let rows = rows::all(select, db).await?;
        Ok(rows.into_iter().map(|row| (row.id, Shaped::whole(row))).collect())
    }

    async fn load_municipalities(
        &self,
        db: &impl ConnectionTrait,
    ) -> AppResult<ByPractice<Shaped<municipality::Model>>> {
        let linked = self
            .load_linked::<municipality::Entity>(
                db,
                good_practice_municipality_relation(),
                good_practice_municipality::Column::PracticeId,
                [municipality::Column::NameSort, municipality::Column::Id],
            )
            .await?;
        let whole = |rows: Vec<municipality::Model>| rows.into_iter().map(Shaped::whole).collect();
        Ok(linked
            .into_iter()
            .map(|(practice, rows)| (practice, whole(rows)))
            .collect())
    }

    async fn load_topics(&self, db: &impl ConnectionTrait) -> AppResult<ByPractice<topic::Model>> {
        self.load_linked::<topic::Entity>(
            db,
            good_practice_topic_relation(),
            good_practice_topic::Column::PracticeId,
            [topic::Column::Position, topic::Column::Slug],
        )
        .await
    }

    /// A practice's municipalities, by name.
    pub async fn municipalities(&self, practice: PracticeId) -> AppResult<Vec<Shaped<municipality::Model>>> {
        let linked = loaded(&self.municipalities, || self.load_municipalities(&self.db)).await?;
        Ok(linked.get(&practice.uuid()).cloned().unwrap_or_default())
    }

    /// A practice's topics, in display order (position, then slug).
    pub async fn topics(&self, practice: PracticeId) -> AppResult<Vec<topic::Model>> {
        let linked = loaded(&self.topics, || self.load_topics(&self.db)).await?;
        Ok(linked.get(&practice.uuid()).cloned().unwrap_or_default())
    }

    /// A many-to-many relation of the page, in one statement: the rows of `R` joined to their
    /// links (`links`, a link table's relation to `R`), each with the practice in the link's
    /// `practice_column`, grouped by practice in the order `order` gives.
    async fn load_linked<R: EntityTrait<Model: ByPosition>>(
        &self,
        db: &impl ConnectionTrait,
        links: RelationDef,
        practice_column: impl ColumnTrait,
        order: [R::Column; 2],
    ) -> AppResult<ByPractice<R::Model>> {
        let select = R::find()
            .join_rev(JoinType::InnerJoin, links)
            .column_as(
                Expr::col((practice_column.entity_name(), practice_column)),
                "practice_id",
            )
            .filter(any_of(db, practice_column, self.practices.iter().copied()));
        let select = order
            .into_iter()
            .fold(select, |select, column| select.order_by_asc(column));
        let mut grouped: ByPractice<R::Model> = HashMap::new();
        for (practice, row) in rows::keyed(select, db).await? {
            grouped.entry(practice).or_default().push(row);
        }
        Ok(grouped)
    }
}
