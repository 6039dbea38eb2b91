//! The change feed of good practices, and its counter. Every write that changes what the feed
//! shows increments the counter's single row: the row lock that takes is held until commit, so
//! positions are handed out in commit order and a reader paging the feed never passes a
//! position that a slower transaction fills in later.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PracticeChange {
    Table,
    Seq,
    PracticeId,
    Operation,
    Version,
    Slug,
    ExternalId,
    AgencyId,
    At,
}

#[derive(DeriveIden)]
enum PracticeFeed {
    Table,
    Id,
    LastSeq,
    PurgedThrough,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PracticeChange::Table)
                    .col(big_integer(PracticeChange::Seq).primary_key())
                    .col(uuid_uniq(PracticeChange::PracticeId))
                    .col(string_len(PracticeChange::Operation, 8))
                    .col(big_integer(PracticeChange::Version))
                    .col(string_len(PracticeChange::Slug, 120))
                    .col(string_len_null(PracticeChange::ExternalId, 200))
                    .col(uuid(PracticeChange::AgencyId))
                    .col(timestamp_with_time_zone(PracticeChange::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_practice_change_operation_at")
                    .table(PracticeChange::Table)
                    .col(PracticeChange::Operation)
                    .col(PracticeChange::At)
                    .to_owned(),
            )
            .await?;
        // Live subscribers of one agency read its entries after a position.
        manager
            .create_index(
                Index::create()
                    .name("idx_practice_change_agency_seq")
                    .table(PracticeChange::Table)
                    .col(PracticeChange::AgencyId)
                    .col(PracticeChange::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PracticeFeed::Table)
                    .col(integer(PracticeFeed::Id).primary_key())
                    .col(big_integer(PracticeFeed::LastSeq))
                    .col(big_integer(PracticeFeed::PurgedThrough))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(PracticeFeed::Table)
                    .columns([PracticeFeed::Id, PracticeFeed::LastSeq, PracticeFeed::PurgedThrough])
                    .values([1.into(), 0i64.into(), 0i64.into()])
                    .map_err(|error| DbErr::Custom(error.to_string()))?
                    .to_owned(),
            )
            .await
    }
}
