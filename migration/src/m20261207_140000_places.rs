//! The real map: places at every level (Land, Regierungsbezirk, Kreis, Gemeindeverband,
//! Gemeinde) with their parent and the time they are valid, and the lineage of places and
//! organisations (who succeeded whom, since when, why).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{date, date_null, pk_uuid, string_len, timestamp_with_time_zone, uuid};

use crate::helpers::{index, unique_index};

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Kind,
    Ags,
    ParentId,
    ValidFrom,
    ValidUntil,
}

#[derive(DeriveIden)]
enum Succession {
    Table,
    Id,
    Subject,
    FromId,
    ToId,
    Since,
    Reason,
    CreatedAt,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A Gemeindeverband's key is 9 digits (district key and association key); SQLite does
        // not hold text to its declared length.
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("ALTER TABLE municipality ALTER COLUMN ags TYPE varchar(12)")
                .await?;
        }
        for column in [
            ColumnDef::new(Municipality::ParentId).uuid().null().to_owned(),
            date_null(Municipality::ValidFrom),
            date_null(Municipality::ValidUntil),
        ] {
            manager
                .alter_table(Table::alter().table(Municipality::Table).add_column(column).to_owned())
                .await?;
        }
        // A level's places within an AGS prefix (`within` and `level` together); children of a
        // place in AGS order; retired places found by their last day.
        index(
            manager,
            "idx_municipality_kind_ags",
            Municipality::Table,
            vec![Municipality::Kind.into_iden(), Municipality::Ags.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_municipality_parent",
            Municipality::Table,
            vec![Municipality::ParentId.into_iden(), Municipality::Ags.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_municipality_valid_until",
            Municipality::Table,
            vec![Municipality::ValidUntil.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Succession::Table)
                    .col(pk_uuid(Succession::Id))
                    .col(string_len(Succession::Subject, 16))
                    .col(uuid(Succession::FromId))
                    .col(uuid(Succession::ToId))
                    .col(date(Succession::Since))
                    .col(string_len(Succession::Reason, 16))
                    .col(timestamp_with_time_zone(Succession::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // A successor is recorded once; both directions are looked up by their own index.
        unique_index(
            manager,
            "idx_succession_from",
            Succession::Table,
            vec![
                Succession::Subject.into_iden(),
                Succession::FromId.into_iden(),
                Succession::ToId.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "idx_succession_to",
            Succession::Table,
            vec![Succession::Subject.into_iden(), Succession::ToId.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Succession::Table).to_owned())
            .await?;
        for index_name in [
            "idx_municipality_kind_ags",
            "idx_municipality_parent",
            "idx_municipality_valid_until",
        ] {
            manager
                .drop_index(Index::drop().name(index_name).table(Municipality::Table).to_owned())
                .await?;
        }
        for column in [
            Municipality::ParentId,
            Municipality::ValidFrom,
            Municipality::ValidUntil,
        ] {
            manager
                .alter_table(Table::alter().table(Municipality::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
