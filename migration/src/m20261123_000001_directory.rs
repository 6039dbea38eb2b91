//! The community directory: agencies, municipalities, topics, programmes, agreements.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
    Slug,
    Name,
    NameSort,
    Kind,
    Description,
    Website,
    CarrierAgencyId,
    CarrierName,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgencyState {
    Table,
    AgencyId,
    State,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
    Ags,
    Slug,
    Name,
    NameSort,
    Kind,
    State,
    Population,
    Website,
    EducationOffice,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MunicipalityNameToken {
    Table,
    Token,
    MunicipalityId,
}

#[derive(DeriveIden)]
enum Topic {
    Table,
    Id,
    Slug,
    LabelDe,
    LabelEn,
    Description,
    Position,
    FacetBit,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Programme {
    Table,
    Id,
    Slug,
    Name,
    Funder,
    Description,
    Website,
    StartsOn,
    EndsOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProgrammeParticipation {
    Table,
    Id,
    ProgrammeId,
    MunicipalityId,
    FundingCode,
    ProjectTitle,
    StartsOn,
    EndsOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Agreement {
    Table,
    Id,
    Kind,
    Title,
    Summary,
    AgencyId,
    MunicipalityId,
    PartnerAgencyId,
    SignedOn,
    CreatedAt,
    UpdatedAt,
}

fn index(name: &str) -> IndexCreateStatement {
    Index::create().name(name).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Agency::Table)
                    .col(pk_uuid(Agency::Id))
                    .col(string_len_uniq(Agency::Slug, 100))
                    .col(string_len(Agency::Name, 300))
                    .col(string_len(Agency::NameSort, 300))
                    .col(string_len(Agency::Kind, 32))
                    .col(text_null(Agency::Description))
                    .col(string_len_null(Agency::Website, 2000))
                    .col(uuid_null(Agency::CarrierAgencyId))
                    .col(string_len_null(Agency::CarrierName, 300))
                    .col(timestamp_with_time_zone(Agency::CreatedAt))
                    .col(timestamp_with_time_zone(Agency::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agency::Table, Agency::CarrierAgencyId)
                            .to(Agency::Table, Agency::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_agency_kind")
                    .table(Agency::Table)
                    .col(Agency::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_agency_name_sort")
                    .table(Agency::Table)
                    .col(Agency::NameSort)
                    .col(Agency::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_agency_carrier")
                    .table(Agency::Table)
                    .col(Agency::CarrierAgencyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AgencyState::Table)
                    .col(uuid(AgencyState::AgencyId))
                    .col(string_len(AgencyState::State, 2))
                    .primary_key(Index::create().col(AgencyState::AgencyId).col(AgencyState::State))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AgencyState::Table, AgencyState::AgencyId)
                            .to(Agency::Table, Agency::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_agency_state_state")
                    .table(AgencyState::Table)
                    .col(AgencyState::State)
                    .col(AgencyState::AgencyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Municipality::Table)
                    .col(pk_uuid(Municipality::Id))
                    .col(string_len_uniq(Municipality::Ags, 8))
                    .col(string_len_uniq(Municipality::Slug, 100))
                    .col(string_len(Municipality::Name, 300))
                    .col(string_len(Municipality::NameSort, 300))
                    .col(string_len(Municipality::Kind, 32))
                    .col(string_len(Municipality::State, 2))
                    .col(big_integer_null(Municipality::Population))
                    .col(string_len_null(Municipality::Website, 2000))
                    .col(string_len_null(Municipality::EducationOffice, 300))
                    .col(timestamp_with_time_zone(Municipality::CreatedAt))
                    .col(timestamp_with_time_zone(Municipality::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Every list ordering is keyset-paginated on (sort key, id); every filter has an index
        // that leads with the filtered column and ends in the default ordering.
        for (name, col) in [
            ("idx_municipality_state", Municipality::State),
            ("idx_municipality_kind", Municipality::Kind),
        ] {
            manager
                .create_index(
                    index(name)
                        .table(Municipality::Table)
                        .col(col)
                        .col(Municipality::NameSort)
                        .col(Municipality::Id)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                index("idx_municipality_name_sort")
                    .table(Municipality::Table)
                    .col(Municipality::NameSort)
                    .col(Municipality::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_municipality_population")
                    .table(Municipality::Table)
                    .col(Municipality::Population)
                    .col(Municipality::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_municipality_created_at")
                    .table(Municipality::Table)
                    .col(Municipality::CreatedAt)
                    .col(Municipality::Id)
                    .to_owned(),
            )
            .await?;

        // Tokens are compared as byte strings (prefix search by range), so PostgreSQL gets the
        // "C" collation; SQLite compares bytes by default.
        let mut token = string_len(MunicipalityNameToken::Token, 100);
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            token.extra("COLLATE \"C\"");
        }
        manager
            .create_table(
                Table::create()
                    .table(MunicipalityNameToken::Table)
                    .col(token)
                    .col(uuid(MunicipalityNameToken::MunicipalityId))
                    .primary_key(
                        Index::create()
                            .col(MunicipalityNameToken::Token)
                            .col(MunicipalityNameToken::MunicipalityId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MunicipalityNameToken::Table, MunicipalityNameToken::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_municipality_name_token_municipality")
                    .table(MunicipalityNameToken::Table)
                    .col(MunicipalityNameToken::MunicipalityId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Topic::Table)
                    .col(pk_uuid(Topic::Id))
                    .col(string_len_uniq(Topic::Slug, 100))
                    .col(string_len(Topic::LabelDe, 200))
                    .col(string_len(Topic::LabelEn, 200))
                    .col(text_null(Topic::Description))
                    .col(integer(Topic::Position))
                    .col(integer_uniq(Topic::FacetBit))
                    .col(timestamp_with_time_zone(Topic::CreatedAt))
                    .col(timestamp_with_time_zone(Topic::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Programme::Table)
                    .col(pk_uuid(Programme::Id))
                    .col(string_len_uniq(Programme::Slug, 100))
                    .col(string_len(Programme::Name, 300))
                    .col(string_len(Programme::Funder, 300))
                    .col(text_null(Programme::Description))
                    .col(string_len_null(Programme::Website, 2000))
                    .col(date_null(Programme::StartsOn))
                    .col(date_null(Programme::EndsOn))
                    .col(timestamp_with_time_zone(Programme::CreatedAt))
                    .col(timestamp_with_time_zone(Programme::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgrammeParticipation::Table)
                    .col(pk_uuid(ProgrammeParticipation::Id))
                    .col(uuid(ProgrammeParticipation::ProgrammeId))
                    .col(uuid(ProgrammeParticipation::MunicipalityId))
                    .col(string_len_null(ProgrammeParticipation::FundingCode, 50))
                    .col(string_len_null(ProgrammeParticipation::ProjectTitle, 300))
                    .col(date_null(ProgrammeParticipation::StartsOn))
                    .col(date_null(ProgrammeParticipation::EndsOn))
                    .col(timestamp_with_time_zone(ProgrammeParticipation::CreatedAt))
                    .col(timestamp_with_time_zone(ProgrammeParticipation::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgrammeParticipation::Table, ProgrammeParticipation::ProgrammeId)
                            .to(Programme::Table, Programme::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgrammeParticipation::Table, ProgrammeParticipation::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("uq_programme_participation")
                    .table(ProgrammeParticipation::Table)
                    .col(ProgrammeParticipation::ProgrammeId)
                    .col(ProgrammeParticipation::MunicipalityId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("idx_programme_participation_municipality")
                    .table(ProgrammeParticipation::Table)
                    .col(ProgrammeParticipation::MunicipalityId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Agreement::Table)
                    .col(pk_uuid(Agreement::Id))
                    .col(string_len(Agreement::Kind, 32))
                    .col(string_len(Agreement::Title, 300))
                    .col(text_null(Agreement::Summary))
                    .col(uuid(Agreement::AgencyId))
                    .col(uuid_null(Agreement::MunicipalityId))
                    .col(uuid_null(Agreement::PartnerAgencyId))
                    .col(date_null(Agreement::SignedOn))
                    .col(timestamp_with_time_zone(Agreement::CreatedAt))
                    .col(timestamp_with_time_zone(Agreement::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agreement::Table, Agreement::AgencyId)
                            .to(Agency::Table, Agency::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agreement::Table, Agreement::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agreement::Table, Agreement::PartnerAgencyId)
                            .to(Agency::Table, Agency::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_agreement_agency", Agreement::AgencyId),
            ("idx_agreement_municipality", Agreement::MunicipalityId),
            ("idx_agreement_partner_agency", Agreement::PartnerAgencyId),
        ] {
            manager
                .create_index(index(name).table(Agreement::Table).col(col).to_owned())
                .await?;
        }
        // One agreement of a kind between the same two parties; the other party is either a
        // municipality or an agency, so each case gets its own partial unique index.
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_agreement_municipality ON agreement (kind, agency_id, municipality_id) \
             WHERE municipality_id IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_agreement_partner_agency ON agreement (kind, agency_id, partner_agency_id) \
             WHERE partner_agency_id IS NOT NULL",
        )
        .await?;
        Ok(())
    }
}
