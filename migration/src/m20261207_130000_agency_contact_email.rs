//! An agency's contact address: where replies to its events' invitations (the calendar's
//! ORGANIZER) and enquiries reach people.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agency {
    Table,
    ContactEmail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Agency::Table)
                    .add_column(ColumnDef::new(Agency::ContactEmail).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Agency::Table)
                    .drop_column(Agency::ContactEmail)
                    .to_owned(),
            )
            .await
    }
}
