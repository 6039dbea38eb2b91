//! DataLoaders of the directory's relations: every relation a list can ask for is loaded in one
//! statement per level, whatever the page size.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use dkbm_entity::{
    State, agency, agency_state, agreement, municipality, programme, programme_participation, succession, topic,
};
use sea_orm::sea_query::Order;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use crate::error::AppResult;
use crate::ids::{AgencyId, MunicipalityId, ProgrammeId, TopicId, TypedId};
use crate::loader::{AreaLoaders, ById, GroupedBy, LoadError, LoaderSource};

/// The directory's loaders for one request.
pub struct DirectoryLoaders {
    agency: DataLoader<ById<agency::Entity>>,
    municipality: DataLoader<ById<municipality::Entity>>,
    programme: DataLoader<ById<programme::Entity>>,
    topic: DataLoader<ById<topic::Entity>>,
    agency_states: DataLoader<GroupedBy<agency_state::Entity>>,
    participations_by_municipality: DataLoader<GroupedBy<programme_participation::Entity>>,
    participations_by_programme: DataLoader<GroupedBy<programme_participation::Entity>>,
    agreements_by_municipality: DataLoader<GroupedBy<agreement::Entity>>,
    agreements_by_agency: DataLoader<GroupedBy<agreement::Entity>>,
    agreements_by_partner: DataLoader<GroupedBy<agreement::Entity>>,
    accompanied: DataLoader<AccompaniedMunicipalities>,
    successions_from: DataLoader<GroupedBy<succession::Entity>>,
    successions_to: DataLoader<GroupedBy<succession::Entity>>,
}

fn newest_agreements_first() -> Vec<(agreement::Column, Order)> {
    vec![
        (agreement::Column::SignedOn, Order::Desc),
        (agreement::Column::Id, Order::Asc),
    ]
}

impl AreaLoaders for DirectoryLoaders {
    fn new(source: &LoaderSource) -> Self {
        let (db, gate) = (&source.db, &source.gate);
        let participations_order = vec![
            (programme_participation::Column::StartsOn, Order::Asc),
            (programme_participation::Column::Id, Order::Asc),
        ];
        DirectoryLoaders {
            agency: gate.loader(ById::new(db.clone())),
            municipality: gate.loader(ById::new(db.clone())),
            programme: gate.loader(ById::new(db.clone())),
            topic: gate.loader(ById::new(db.clone())),
            agency_states: gate.loader(GroupedBy::new(
                db.clone(),
                agency_state::Column::AgencyId,
                vec![(agency_state::Column::State, Order::Asc)],
            )),
            participations_by_municipality: gate.loader(GroupedBy::new(
                db.clone(),
                programme_participation::Column::MunicipalityId,
                participations_order.clone(),
            )),
            participations_by_programme: gate.loader(GroupedBy::new(
                db.clone(),
                programme_participation::Column::ProgrammeId,
                participations_order,
            )),
            agreements_by_municipality: gate.loader(GroupedBy::new(
                db.clone(),
                agreement::Column::MunicipalityId,
                newest_agreements_first(),
            )),
            agreements_by_agency: gate.loader(GroupedBy::new(
                db.clone(),
                agreement::Column::AgencyId,
                newest_agreements_first(),
            )),
            agreements_by_partner: gate.loader(GroupedBy::new(
                db.clone(),
                agreement::Column::PartnerAgencyId,
                newest_agreements_first(),
            )),
            accompanied: gate.loader(AccompaniedMunicipalities { db: db.clone() }),
            successions_from: gate.loader(GroupedBy::new(
                db.clone(),
                succession::Column::FromId,
                vec![
                    (succession::Column::Since, Order::Asc),
                    (succession::Column::Id, Order::Asc),
                ],
            )),
            successions_to: gate.loader(GroupedBy::new(
                db.clone(),
                succession::Column::ToId,
                vec![
                    (succession::Column::Since, Order::Asc),
                    (succession::Column::Id, Order::Asc),
                ],
            )),
        }
    }
}

/// Rows a loader found by UUID, keyed by their typed ids.
fn by_typed_id<I: TypedId, M>(found: HashMap<Uuid, M>) -> HashMap<I, M> {
    found.into_iter().map(|(id, row)| (I::from(id), row)).collect()
}

impl DirectoryLoaders {
    pub async fn agency(&self, id: AgencyId) -> AppResult<Option<agency::Model>> {
        Ok(self.agency.load_one(id.uuid()).await?)
    }

    pub async fn agencies(
        &self,
        ids: impl IntoIterator<Item = AgencyId>,
    ) -> AppResult<HashMap<AgencyId, agency::Model>> {
        Ok(by_typed_id(
            self.agency.load_many(ids.into_iter().map(AgencyId::uuid)).await?,
        ))
    }

    pub async fn municipality(&self, id: MunicipalityId) -> AppResult<Option<municipality::Model>> {
        Ok(self.municipality.load_one(id.uuid()).await?)
    }

    pub async fn municipalities(
        &self,
        ids: impl IntoIterator<Item = MunicipalityId>,
    ) -> AppResult<HashMap<MunicipalityId, municipality::Model>> {
        Ok(by_typed_id(
            self.municipality
                .load_many(ids.into_iter().map(MunicipalityId::uuid))
                .await?,
        ))
    }

    pub async fn programme(&self, id: ProgrammeId) -> AppResult<Option<programme::Model>> {
        Ok(self.programme.load_one(id.uuid()).await?)
    }

    pub async fn topic(&self, id: TopicId) -> AppResult<Option<topic::Model>> {
        Ok(self.topic.load_one(id.uuid()).await?)
    }

    pub async fn topics(&self, ids: impl IntoIterator<Item = TopicId>) -> AppResult<HashMap<TopicId, topic::Model>> {
        Ok(by_typed_id(
            self.topic.load_many(ids.into_iter().map(TopicId::uuid)).await?,
        ))
    }

    /// These topics in display order (position, then slug).
    pub async fn topics_in_order(&self, ids: &[TopicId]) -> AppResult<Vec<topic::Model>> {
        let mut found = self.topics(ids.iter().copied()).await?;
        let mut topics: Vec<_> = ids.iter().filter_map(|id| found.remove(id)).collect();
        topics.sort_by_key(|topic| (topic.position, topic.slug.clone()));
        Ok(topics)
    }

    /// The states an agency serves.
    pub async fn agency_states(&self, agency_id: AgencyId) -> AppResult<Vec<State>> {
        let rows = self.agency_states.load_one(agency_id.uuid()).await?.unwrap_or_default();
        Ok(rows.into_iter().map(|row| row.state).collect())
    }

    /// The programmes a municipality takes part in.
    pub async fn participations_of_municipality(
        &self,
        municipality_id: MunicipalityId,
    ) -> AppResult<Vec<programme_participation::Model>> {
        Ok(self
            .participations_by_municipality
            .load_one(municipality_id.uuid())
            .await?
            .unwrap_or_default())
    }

    /// The municipalities taking part in a programme.
    pub async fn participations_in_programme(
        &self,
        programme_id: ProgrammeId,
    ) -> AppResult<Vec<programme_participation::Model>> {
        Ok(self
            .participations_by_programme
            .load_one(programme_id.uuid())
            .await?
            .unwrap_or_default())
    }

    /// The agreements a municipality is party to, newest first.
    pub async fn agreements_of_municipality(
        &self,
        municipality_id: MunicipalityId,
    ) -> AppResult<Vec<agreement::Model>> {
        Ok(self
            .agreements_by_municipality
            .load_one(municipality_id.uuid())
            .await?
            .unwrap_or_default())
    }

    /// The agreements an agency is party to (either side), newest first.
    pub async fn agreements_of_agency(&self, agency_id: AgencyId) -> AppResult<Vec<agreement::Model>> {
        let (own, as_partner) = futures::try_join!(
            self.agreements_by_agency.load_one(agency_id.uuid()),
            self.agreements_by_partner.load_one(agency_id.uuid())
        )?;
        let mut all: Vec<_> = own
            .unwrap_or_default()
            .into_iter()
            .chain(as_partner.unwrap_or_default())
            .collect();
        all.sort_by(|a, b| b.signed_on.cmp(&a.signed_on).then(a.id.cmp(&b.id)));
        Ok(all)
    }

    /// The steps that lead from a place or organisation to its successors, oldest first.
    pub async fn successors(&self, id: Uuid) -> AppResult<Vec<succession::Model>> {
        Ok(self.successions_from.load_one(id).await?.unwrap_or_default())
    }

    /// The steps that lead to a place or organisation from its predecessors, oldest first.
    pub async fn predecessors(&self, id: Uuid) -> AppResult<Vec<succession::Model>> {
        Ok(self.successions_to.load_one(id).await?.unwrap_or_default())
    }

    /// The municipalities an agency accompanies under a target agreement, by name.
    pub async fn accompanied_municipalities(&self, agency_id: AgencyId) -> AppResult<Vec<municipality::Model>> {
        Ok(self.accompanied.load_one(agency_id.uuid()).await?.unwrap_or_default())
    }
}

/// Municipalities with a target agreement (Zielvereinbarung), grouped by the agency.
pub struct AccompaniedMunicipalities {
    db: DatabaseConnection,
}

impl Loader<Uuid> for AccompaniedMunicipalities {
    type Value = Vec<municipality::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, LoadError> {
        let rows: Vec<(municipality::Model, Option<agreement::Model>)> = municipality::Entity::find()
            .join(JoinType::InnerJoin, agreement::Relation::Municipality.def().rev())
            .select_also(agreement::Entity)
            .filter(agreement::Column::AgencyId.is_in(keys.iter().copied()))
            .filter(agreement::Column::Kind.eq(dkbm_entity::AgreementKind::TargetAgreement))
            .order_by_asc(municipality::Column::NameSort)
            .order_by_asc(municipality::Column::Id)
            .all(&self.db)
            .await?;
        let mut groups: HashMap<Uuid, Vec<municipality::Model>> = HashMap::new();
        for (municipality, agreement) in rows {
            if let Some(agreement) = agreement {
                groups.entry(agreement.agency_id).or_default().push(municipality);
            }
        }
        Ok(groups)
    }
}
