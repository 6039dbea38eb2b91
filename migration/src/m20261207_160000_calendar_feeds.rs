//! A member's personal calendar: the secret token of its URL (`/calendar/{token}.ics`), one per
//! member, replaced when the member resets it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, timestamp_with_time_zone, uuid};

use crate::helpers::{fk, unique_index};

#[derive(DeriveIden)]
enum CalendarFeed {
    Table,
    MemberId,
    Token,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Member {
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
                    .table(CalendarFeed::Table)
                    .col(uuid(CalendarFeed::MemberId).primary_key())
                    .col(string_len(CalendarFeed::Token, 64))
                    .col(timestamp_with_time_zone(CalendarFeed::CreatedAt))
                    .foreign_key(&mut fk(
                        (CalendarFeed::Table, CalendarFeed::MemberId),
                        (Member::Table, Member::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // The feed's requests find the member by the token.
        unique_index(
            manager,
            "idx_calendar_feed_token",
            CalendarFeed::Table,
            vec![CalendarFeed::Token.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarFeed::Table).to_owned())
            .await
    }
}
