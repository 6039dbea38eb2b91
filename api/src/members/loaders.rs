//! DataLoaders of the members area.

use async_graphql::dataloader::DataLoader;
use dkbm_entity::{api_key, member, member_role};
use sea_orm::sea_query::Order;

use crate::auth::Grant;
use crate::error::AppResult;
use crate::ids::{ApiClientId, MemberId, TypedId};
use crate::loader::{AreaLoaders, ById, GroupedBy, LoaderSource};

/// The members area's loaders for one request.
pub struct MemberLoaders {
    member: DataLoader<ById<member::Entity>>,
    grants: DataLoader<GroupedBy<member_role::Entity>>,
    api_keys: DataLoader<GroupedBy<api_key::Entity>>,
}

impl AreaLoaders for MemberLoaders {
    fn new(source: &LoaderSource) -> Self {
        let (db, gate) = (&source.db, &source.gate);
        MemberLoaders {
            member: gate.loader(ById::new(db.clone())),
            grants: gate.loader(GroupedBy::new(
                db.clone(),
                member_role::Column::MemberId,
                vec![(member_role::Column::CreatedAt, Order::Asc)],
            )),
            api_keys: gate.loader(GroupedBy::new(
                db.clone(),
                api_key::Column::ApiClientId,
                vec![(api_key::Column::CreatedAt, Order::Asc)],
            )),
        }
    }
}

impl MemberLoaders {
    pub async fn member(&self, id: MemberId) -> AppResult<Option<member::Model>> {
        Ok(self.member.load_one(id.uuid()).await?)
    }

    pub async fn grants(&self, member_id: MemberId) -> AppResult<Vec<Grant>> {
        let rows = self.grants.load_one(member_id.uuid()).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Grant::from).collect())
    }

    pub async fn api_keys(&self, client_id: ApiClientId) -> AppResult<Vec<api_key::Model>> {
        Ok(self.api_keys.load_one(client_id.uuid()).await?.unwrap_or_default())
    }
}
