//! Good practices, their relations, and the German full-text index: an FTS5 table on SQLite,
//! a weighted tsvector with a GIN index on PostgreSQL. Both index the same pre-processed terms
//! (folded, stemmed, stop words removed by the server), so both find the same practices.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Topic {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GoodPractice {
    Table,
    Id,
    Number,
    Slug,
    Title,
    TitleSort,
    Summary,
    Body,
    BodyHtml,
    PlainText,
    OwnerAgencyId,
    Status,
    Version,
    ContactName,
    ContactRole,
    ContactEmail,
    Links,
    License,
    SourceUrl,
    ExternalId,
    ContentHash,
    OriginAgencyId,
    UpstreamVersion,
    SyncedAt,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    ArchivedAt,
    ListedAt,
    TitleTerms,
    SummaryTerms,
    TopicMask,
    TargetGroupMask,
    StageMask,
    StateMask,
}

#[derive(DeriveIden)]
enum GoodPracticeTopic {
    Table,
    PracticeId,
    TopicId,
}

#[derive(DeriveIden)]
enum GoodPracticeMunicipality {
    Table,
    PracticeId,
    MunicipalityId,
}

#[derive(DeriveIden)]
enum GoodPracticeTargetGroup {
    Table,
    PracticeId,
    TargetGroup,
}

#[derive(DeriveIden)]
enum GoodPracticeStage {
    Table,
    PracticeId,
    Stage,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: Vec<DynIden>,
) -> Result<(), DbErr> {
    let mut statement = Index::create().name(name).table(table).to_owned();
    for column in columns {
        statement.col(column);
    }
    manager.create_index(statement).await
}

/// A join table (practice, value) with the primary key in that order and an index the other way.
async fn join_table(
    manager: &SchemaManager<'_>,
    table: DynIden,
    practice: DynIden,
    value: ColumnDef,
    value_name: DynIden,
    value_fk: Option<(DynIden, DynIden)>,
) -> Result<(), DbErr> {
    let mut create = Table::create()
        .table(table.clone())
        .col(uuid(practice.clone()))
        .col(value)
        .primary_key(Index::create().col(practice.clone()).col(value_name.clone()))
        .foreign_key(&mut fk(
            (table.clone(), practice.clone()),
            (GoodPractice::Table, GoodPractice::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned();
    if let Some((to_table, to_column)) = value_fk {
        create.foreign_key(&mut fk(
            (table.clone(), value_name.clone()),
            (to_table, to_column),
            ForeignKeyAction::Cascade,
        ));
    }
    manager.create_table(create).await?;
    let name = format!("idx_{table}_by_value");
    index(manager, &name, table, vec![value_name, practice]).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Restrict, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(GoodPractice::Table)
                    .col(pk_uuid(GoodPractice::Id))
                    .col(big_integer_uniq(GoodPractice::Number))
                    .col(string_len_uniq(GoodPractice::Slug, 120))
                    .col(string_len(GoodPractice::Title, 300))
                    .col(string_len(GoodPractice::TitleSort, 300))
                    .col(text(GoodPractice::Summary))
                    .col(text(GoodPractice::Body))
                    .col(text(GoodPractice::BodyHtml))
                    .col(text(GoodPractice::PlainText))
                    .col(uuid(GoodPractice::OwnerAgencyId))
                    .col(string_len(GoodPractice::Status, 16))
                    .col(big_integer(GoodPractice::Version))
                    .col(string_len_null(GoodPractice::ContactName, 200))
                    .col(string_len_null(GoodPractice::ContactRole, 200))
                    .col(string_len_null(GoodPractice::ContactEmail, 254))
                    .col(text(GoodPractice::Links))
                    .col(string_len_null(GoodPractice::License, 64))
                    .col(string_len_null(GoodPractice::SourceUrl, 2000))
                    .col(string_len_null(GoodPractice::ExternalId, 200))
                    .col(string_len_null(GoodPractice::ContentHash, 64))
                    .col(uuid_null(GoodPractice::OriginAgencyId))
                    .col(string_len_null(GoodPractice::UpstreamVersion, 100))
                    .col(timestamp_with_time_zone_null(GoodPractice::SyncedAt))
                    .col(timestamp_with_time_zone(GoodPractice::CreatedAt))
                    .col(timestamp_with_time_zone(GoodPractice::UpdatedAt))
                    .col(timestamp_with_time_zone_null(GoodPractice::PublishedAt))
                    .col(timestamp_with_time_zone_null(GoodPractice::ArchivedAt))
                    .col(timestamp_with_time_zone(GoodPractice::ListedAt))
                    .col(text(GoodPractice::TitleTerms))
                    .col(text(GoodPractice::SummaryTerms))
                    .col(big_integer(GoodPractice::TopicMask))
                    .col(big_integer(GoodPractice::TargetGroupMask))
                    .col(big_integer(GoodPractice::StageMask))
                    .col(big_integer(GoodPractice::StateMask))
                    .foreign_key(&mut fk(
                        (GoodPractice::Table, GoodPractice::OwnerAgencyId),
                        (Agency::Table, Agency::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (GoodPractice::Table, GoodPractice::OriginAgencyId),
                        (Agency::Table, Agency::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // Every ordering of the list, per status (the public list is status = PUBLISHED).
        for (name, column) in [
            ("idx_good_practice_listed", GoodPractice::ListedAt),
            ("idx_good_practice_title", GoodPractice::TitleSort),
            ("idx_good_practice_updated", GoodPractice::UpdatedAt),
        ] {
            index(
                manager,
                name,
                GoodPractice::Table,
                vec![
                    GoodPractice::Status.into_iden(),
                    column.into_iden(),
                    GoodPractice::Id.into_iden(),
                ],
            )
            .await?;
        }
        // Facet counts read only this index, in its order (owner and masks, as they are grouped),
        // checking status and number (a search's candidates) on the way. It also serves the
        // owner filter.
        index(
            manager,
            "idx_good_practice_facets",
            GoodPractice::Table,
            vec![
                GoodPractice::OwnerAgencyId.into_iden(),
                GoodPractice::TopicMask.into_iden(),
                GoodPractice::TargetGroupMask.into_iden(),
                GoodPractice::StageMask.into_iden(),
                GoodPractice::StateMask.into_iden(),
                GoodPractice::Status.into_iden(),
                GoodPractice::Number.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "idx_good_practice_updated_at",
            GoodPractice::Table,
            vec![GoodPractice::UpdatedAt.into_iden()],
        )
        .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_good_practice_external_id ON good_practice (owner_agency_id, external_id) \
             WHERE external_id IS NOT NULL",
        )
        .await?;

        join_table(
            manager,
            GoodPracticeTopic::Table.into_iden(),
            GoodPracticeTopic::PracticeId.into_iden(),
            uuid(GoodPracticeTopic::TopicId),
            GoodPracticeTopic::TopicId.into_iden(),
            Some((Topic::Table.into_iden(), Topic::Id.into_iden())),
        )
        .await?;
        join_table(
            manager,
            GoodPracticeMunicipality::Table.into_iden(),
            GoodPracticeMunicipality::PracticeId.into_iden(),
            uuid(GoodPracticeMunicipality::MunicipalityId),
            GoodPracticeMunicipality::MunicipalityId.into_iden(),
            Some((Municipality::Table.into_iden(), Municipality::Id.into_iden())),
        )
        .await?;
        join_table(
            manager,
            GoodPracticeTargetGroup::Table.into_iden(),
            GoodPracticeTargetGroup::PracticeId.into_iden(),
            string_len(GoodPracticeTargetGroup::TargetGroup, 32),
            GoodPracticeTargetGroup::TargetGroup.into_iden(),
            None,
        )
        .await?;
        join_table(
            manager,
            GoodPracticeStage::Table.into_iden(),
            GoodPracticeStage::PracticeId.into_iden(),
            string_len(GoodPracticeStage::Stage, 32),
            GoodPracticeStage::Stage.into_iden(),
            None,
        )
        .await?;

        match manager.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                db.execute_unprepared("CREATE SEQUENCE good_practice_number_seq")
                    .await?;
                db.execute_unprepared(
                    "ALTER TABLE good_practice ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_good_practice_search ON good_practice USING GIN (search_vector)",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE good_practice_fts USING fts5(title, summary, body, tokenize = 'ascii')",
                )
                .await?;
                // SQLite probes each full-text hit by its number: this index answers the probe,
                // the visibility check and the scoring without reading the (wide) table row.
                index(
                    manager,
                    "idx_good_practice_search_probe",
                    GoodPractice::Table,
                    vec![
                        GoodPractice::Number.into_iden(),
                        GoodPractice::Status.into_iden(),
                        GoodPractice::OwnerAgencyId.into_iden(),
                        GoodPractice::ListedAt.into_iden(),
                        GoodPractice::Id.into_iden(),
                        GoodPractice::TitleTerms.into_iden(),
                        GoodPractice::SummaryTerms.into_iden(),
                    ],
                )
                .await?;
            }
        }
        Ok(())
    }
}
