//! Attendance certificates (Teilnahmebescheinigungen): the verification code printed on one,
//! for a registration whose attendance the organisers recorded.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, timestamp_with_time_zone, uuid};

use crate::helpers::{fk, unique_index};

#[derive(DeriveIden)]
enum Certificate {
    Table,
    Code,
    RegistrationId,
    IssuedAt,
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Certificate::Table)
                    .col(string_len(Certificate::Code, 16).primary_key())
                    .col(uuid(Certificate::RegistrationId))
                    .col(timestamp_with_time_zone(Certificate::IssuedAt))
                    .foreign_key(&mut fk(
                        (Certificate::Table, Certificate::RegistrationId),
                        (Registration::Table, Registration::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One certificate per registration.
        unique_index(
            manager,
            "idx_certificate_registration",
            Certificate::Table,
            vec![Certificate::RegistrationId.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Certificate::Table).to_owned())
            .await
    }
}
