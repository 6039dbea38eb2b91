//! The data version on PostgreSQL: a sequence that every committed write advances (after its
//! commit), so that each replica's public response cache can tell with one short statement
//! whether anything was written in this database since it computed an answer. A sequence is
//! not transactional and takes no lock: writers never wait for each other on it. SQLite needs
//! none (one process counts its own commits).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared("CREATE SEQUENCE dkbm_data_version")
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared("DROP SEQUENCE dkbm_data_version")
            .await
            .map(|_| ())
    }
}
