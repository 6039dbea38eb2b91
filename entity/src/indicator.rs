//! An education monitoring indicator (Bildungsindikator), e.g. the share of school leavers
//! without a qualification.

use sea_orm::entity::prelude::*;

use crate::Polarity;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The code imports name it by (e.g. a GENESIS value variable such as `BIL002`).
    #[sea_orm(unique)]
    pub code: String,
    pub name_de: String,
    pub name_en: String,
    pub description: Option<String>,
    /// The unit of its values, e.g. `%` or `Anzahl`.
    pub unit: String,
    /// Where the values come from.
    pub source: String,
    /// The field of action it belongs to.
    pub topic_id: Option<Uuid>,
    pub polarity: Polarity,
    /// Decimal places shown.
    pub decimals: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
