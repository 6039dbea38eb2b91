//! Seat quotas (Kontingente) of training events: seats of an event's capacity reserved for the
//! members of some municipalities, optionally until an instant after which the unused ones fall
//! back to the general pool; a registration records the quota whose seat it holds.
//!
//! The database holds what it can: a quota reserves at least one seat, its counter stays within
//! 0..=seats_total, and it names at most one of a programme and an agency (CHECK constraints).
//! The sum over an event's quotas is checked by the service under the event's row lock.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, pk_uuid, string_len, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid,
};

use crate::helpers::{fk, index};

#[derive(DeriveIden)]
enum EventQuota {
    Table,
    Id,
    EventId,
    Name,
    Position,
    SeatsTotal,
    SeatsTaken,
    ProgrammeId,
    AgencyId,
    Until,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventQuotaMunicipality {
    Table,
    QuotaId,
    MunicipalityId,
}

#[derive(DeriveIden)]
enum TrainingEvent {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Programme {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    QuotaId,
    EventId,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

fn quota_table() -> TableCreateStatement {
    use ForeignKeyAction::{Cascade, Restrict};
    Table::create()
        .table(EventQuota::Table)
        .col(pk_uuid(EventQuota::Id))
        .col(uuid(EventQuota::EventId))
        .col(string_len(EventQuota::Name, 120))
        .col(integer(EventQuota::Position))
        .col(integer(EventQuota::SeatsTotal))
        .col(integer(EventQuota::SeatsTaken))
        .col(ColumnDef::new(EventQuota::ProgrammeId).uuid().null())
        .col(ColumnDef::new(EventQuota::AgencyId).uuid().null())
        .col(timestamp_with_time_zone_null(EventQuota::Until))
        .col(timestamp_with_time_zone(EventQuota::CreatedAt))
        .col(timestamp_with_time_zone(EventQuota::UpdatedAt))
        .check(Expr::col(EventQuota::SeatsTotal).gte(1))
        .check(
            Expr::col(EventQuota::SeatsTaken)
                .gte(0)
                .and(Expr::col(EventQuota::SeatsTaken).lte(Expr::col(EventQuota::SeatsTotal))),
        )
        .check(
            Expr::col(EventQuota::ProgrammeId)
                .is_null()
                .or(Expr::col(EventQuota::AgencyId).is_null()),
        )
        .foreign_key(&mut fk(
            (EventQuota::Table, EventQuota::EventId),
            (TrainingEvent::Table, TrainingEvent::Id),
            Cascade,
        ))
        .foreign_key(&mut fk(
            (EventQuota::Table, EventQuota::ProgrammeId),
            (Programme::Table, Programme::Id),
            Restrict,
        ))
        .foreign_key(&mut fk(
            (EventQuota::Table, EventQuota::AgencyId),
            (Agency::Table, Agency::Id),
            Restrict,
        ))
        .to_owned()
}

fn quota_municipality_table() -> TableCreateStatement {
    Table::create()
        .table(EventQuotaMunicipality::Table)
        .col(uuid(EventQuotaMunicipality::QuotaId))
        .col(uuid(EventQuotaMunicipality::MunicipalityId))
        .primary_key(
            Index::create()
                .col(EventQuotaMunicipality::QuotaId)
                .col(EventQuotaMunicipality::MunicipalityId),
        )
        .foreign_key(&mut fk(
            (EventQuotaMunicipality::Table, EventQuotaMunicipality::QuotaId),
            (EventQuota::Table, EventQuota::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            (EventQuotaMunicipality::Table, EventQuotaMunicipality::MunicipalityId),
            (Municipality::Table, Municipality::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(quota_table()).await?;
        manager.create_table(quota_municipality_table()).await?;
        // An event's quotas in their order; those released by now; the quotas of a programme or
        // an agency (their foreign keys); the quotas of a municipality (its foreign key).
        for (name, table, columns) in [
            (
                "idx_event_quota_event",
                EventQuota::Table.into_iden(),
                vec![EventQuota::EventId.into_iden(), EventQuota::Position.into_iden()],
            ),
            (
                "idx_event_quota_until",
                EventQuota::Table.into_iden(),
                vec![EventQuota::Until.into_iden()],
            ),
            (
                "idx_event_quota_programme",
                EventQuota::Table.into_iden(),
                vec![EventQuota::ProgrammeId.into_iden()],
            ),
            (
                "idx_event_quota_agency",
                EventQuota::Table.into_iden(),
                vec![EventQuota::AgencyId.into_iden()],
            ),
            (
                "idx_event_quota_municipality_municipality",
                EventQuotaMunicipality::Table.into_iden(),
                vec![EventQuotaMunicipality::MunicipalityId.into_iden()],
            ),
        ] {
            index(manager, name, table, columns).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .add_column(ColumnDef::new(Registration::QuotaId).uuid().null())
                    .to_owned(),
            )
            .await?;
        // SQLite cannot add a foreign key to an existing table; there the service keeps the
        // reference (a removed quota's registrations are moved to the general pool first).
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE registration ADD CONSTRAINT fk_registration_quota \
                     FOREIGN KEY (quota_id) REFERENCES event_quota (id) ON DELETE SET NULL",
                )
                .await?;
        }
        // The holders of a quota's seats (counted when checking, moved when it is removed).
        index(
            manager,
            "idx_registration_event_quota",
            Registration::Table,
            vec![Registration::EventId.into_iden(), Registration::QuotaId.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_registration_event_quota")
                    .table(Registration::Table)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("ALTER TABLE registration DROP CONSTRAINT fk_registration_quota")
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .drop_column(Registration::QuotaId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(EventQuotaMunicipality::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(EventQuota::Table).to_owned())
            .await
    }
}
