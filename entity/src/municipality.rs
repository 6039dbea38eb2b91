//! A municipality (Kommune): independent city, district, town inside a district, or region.

use sea_orm::entity::prelude::*;

use crate::{MunicipalityKind, State};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "municipality")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Amtlicher Gemeindeschlüssel: 8 digits for a town or an independent city, 5 for a district,
    /// 2 for a Land, 3 for a Regierungsbezirk, 9 for a Gemeindeverband.
    #[sea_orm(unique)]
    pub ags: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// The name folded for sorting (lower case, umlauts resolved).
    pub name_sort: String,
    pub kind: MunicipalityKind,
    pub state: State,
    pub population: Option<i64>,
    pub website: Option<String>,
    /// The education office's name, e.g. "Bildungsbüro" or "Stabsstelle Bildung integriert".
    pub education_office: Option<String>,
    /// The place it belongs to: Gemeinde → Gemeindeverband (where there is one) → Kreis → Land.
    pub parent_id: Option<Uuid>,
    /// The first day it existed as it is, where known.
    pub valid_from: Option<Date>,
    /// Its last day: set when it was merged, split, renamed or rekeyed away (retired).
    pub valid_until: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
