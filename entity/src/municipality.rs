//! A municipality (Kommune): independent city, district, town inside a district, or region.

use sea_orm::entity::prelude::*;

use crate::{MunicipalityKind, State};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "municipality")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Amtlicher Gemeindeschlüssel: 8 digits, or 5 for a district.
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
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
