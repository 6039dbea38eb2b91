//! Education monitoring (Bildungsmonitoring): indicators and their values per municipality and
//! year, as the statistical offices publish them (a number, or one of the official special signs
//! instead of one).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Topic {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Indicator {
    Table,
    Id,
    Code,
    NameDe,
    NameEn,
    Description,
    Unit,
    Source,
    TopicId,
    Polarity,
    Decimals,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IndicatorValue {
    Table,
    MunicipalityId,
    IndicatorId,
    Year,
    Value,
    Flag,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IndicatorRevision {
    Table,
    Id,
    Revision,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One counter, raised by every change of values (and of a municipality's kind): what an
        // instance's cache of standardised values is checked against.
        manager
            .create_table(
                Table::create()
                    .table(IndicatorRevision::Table)
                    .col(integer(IndicatorRevision::Id).primary_key())
                    .col(big_integer(IndicatorRevision::Revision))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(IndicatorRevision::Table)
                    .columns([IndicatorRevision::Id, IndicatorRevision::Revision])
                    .values_panic([1.into(), 0.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Indicator::Table)
                    .col(pk_uuid(Indicator::Id))
                    .col(string_len_uniq(Indicator::Code, 64))
                    .col(string_len(Indicator::NameDe, 300))
                    .col(string_len(Indicator::NameEn, 300))
                    .col(text_null(Indicator::Description))
                    .col(string_len(Indicator::Unit, 64))
                    .col(string_len(Indicator::Source, 500))
                    .col(uuid_null(Indicator::TopicId))
                    .col(string_len(Indicator::Polarity, 16))
                    .col(integer(Indicator::Decimals))
                    .col(timestamp_with_time_zone(Indicator::CreatedAt))
                    .col(timestamp_with_time_zone(Indicator::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Indicator::Table, Indicator::TopicId),
                        (Topic::Table, Topic::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // One value per municipality, indicator and year: the key a re-import updates in place;
        // it also serves a municipality's time series.
        manager
            .create_table(
                Table::create()
                    .table(IndicatorValue::Table)
                    .col(uuid(IndicatorValue::MunicipalityId))
                    .col(uuid(IndicatorValue::IndicatorId))
                    .col(integer(IndicatorValue::Year))
                    .col(double_null(IndicatorValue::Value))
                    .col(string_len_null(IndicatorValue::Flag, 24))
                    .col(timestamp_with_time_zone(IndicatorValue::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(IndicatorValue::MunicipalityId)
                            .col(IndicatorValue::IndicatorId)
                            .col(IndicatorValue::Year),
                    )
                    .foreign_key(&mut fk(
                        (IndicatorValue::Table, IndicatorValue::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (IndicatorValue::Table, IndicatorValue::IndicatorId),
                        (Indicator::Table, Indicator::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Standardising one indicator over all municipalities of a year (similarity, medians).
        index(
            manager,
            "idx_indicator_value_year",
            IndicatorValue::Table,
            vec![
                IndicatorValue::IndicatorId.into_iden(),
                IndicatorValue::Year.into_iden(),
                IndicatorValue::MunicipalityId.into_iden(),
                IndicatorValue::Value.into_iden(),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IndicatorValue::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Indicator::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(IndicatorRevision::Table).to_owned())
            .await
    }
}
