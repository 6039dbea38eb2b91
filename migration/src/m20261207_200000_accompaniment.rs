//! The accompaniment of a municipality under an agreement (issue 32): the agreement becomes a
//! process (status, the request, the next review, a version for optimistic concurrency, the
//! date its last reminder was for), with goals, activities, reviews and a timeline of every
//! change; and the role MUNICIPAL_STAFF, held for one municipality (`member_role.municipality_id`).
//!
//! The database holds what it can: at most one review draft per agreement (a partial unique
//! index), one grant per member, role and municipality, and who did something is kept as a
//! nullable reference that a deleted account sets to null ("deleted member").

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    date, date_null, double_null, integer, integer_null, pk_uuid, string_len, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid,
};

use crate::helpers::{fk, index};

#[derive(DeriveIden)]
enum Agreement {
    Table,
    Id,
    Status,
    Request,
    NextReviewOn,
    RemindedFor,
    Version,
    AgencyId,
}

#[derive(DeriveIden)]
enum MemberRole {
    Table,
    MunicipalityId,
}

#[derive(DeriveIden)]
enum AgreementGoal {
    Table,
    Id,
    AgreementId,
    Position,
    Title,
    Description,
    TopicId,
    IndicatorId,
    BaselineYear,
    TargetValue,
    TargetYear,
    Status,
    DroppedReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgreementActivity {
    Table,
    Id,
    AgreementId,
    Kind,
    OccurredOn,
    Title,
    Notes,
    TrainingEventId,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgreementActivityGoal {
    Table,
    ActivityId,
    GoalId,
}

#[derive(DeriveIden)]
enum AgreementActivityParticipant {
    Table,
    ActivityId,
    MemberId,
}

#[derive(DeriveIden)]
enum AgreementReview {
    Table,
    Id,
    AgreementId,
    Status,
    HeldOn,
    Reflection,
    NextReviewOn,
    DraftedBy,
    SubmittedBy,
    SubmittedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgreementReviewGoal {
    Table,
    ReviewId,
    GoalId,
    Status,
    Note,
}

#[derive(DeriveIden)]
enum AgreementEntry {
    Table,
    Id,
    AgreementId,
    MemberId,
    Action,
    Subject,
    At,
}

#[derive(DeriveIden)]
enum Member {
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
}

#[derive(DeriveIden)]
enum TrainingEvent {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

use ForeignKeyAction::{Cascade, SetNull};

fn goal_table() -> TableCreateStatement {
    Table::create()
        .table(AgreementGoal::Table)
        .col(pk_uuid(AgreementGoal::Id))
        .col(uuid(AgreementGoal::AgreementId))
        .col(integer(AgreementGoal::Position))
        .col(string_len(AgreementGoal::Title, 300))
        .col(text_null(AgreementGoal::Description))
        .col(ColumnDef::new(AgreementGoal::TopicId).uuid().null())
        .col(ColumnDef::new(AgreementGoal::IndicatorId).uuid().null())
        .col(integer_null(AgreementGoal::BaselineYear))
        .col(double_null(AgreementGoal::TargetValue))
        .col(integer_null(AgreementGoal::TargetYear))
        .col(string_len(AgreementGoal::Status, 20))
        .col(text_null(AgreementGoal::DroppedReason))
        .col(ColumnDef::new(AgreementGoal::CreatedBy).uuid().null())
        .col(timestamp_with_time_zone(AgreementGoal::CreatedAt))
        .col(timestamp_with_time_zone(AgreementGoal::UpdatedAt))
        .foreign_key(&mut fk(
            (AgreementGoal::Table, AgreementGoal::AgreementId),
            (Agreement::Table, Agreement::Id),
            Cascade,
        ))
        .foreign_key(&mut fk(
            (AgreementGoal::Table, AgreementGoal::TopicId),
            (Topic::Table, Topic::Id),
            SetNull,
        ))
        .foreign_key(&mut fk(
            (AgreementGoal::Table, AgreementGoal::IndicatorId),
            (Indicator::Table, Indicator::Id),
            SetNull,
        ))
        .foreign_key(&mut fk(
            (AgreementGoal::Table, AgreementGoal::CreatedBy),
            (Member::Table, Member::Id),
            SetNull,
        ))
        .to_owned()
}

fn activity_table() -> TableCreateStatement {
    Table::create()
        .table(AgreementActivity::Table)
        .col(pk_uuid(AgreementActivity::Id))
        .col(uuid(AgreementActivity::AgreementId))
        .col(string_len(AgreementActivity::Kind, 20))
        .col(date(AgreementActivity::OccurredOn))
        .col(string_len(AgreementActivity::Title, 300))
        .col(text_null(AgreementActivity::Notes))
        .col(ColumnDef::new(AgreementActivity::TrainingEventId).uuid().null())
        .col(ColumnDef::new(AgreementActivity::RecordedBy).uuid().null())
        .col(timestamp_with_time_zone(AgreementActivity::CreatedAt))
        .foreign_key(&mut fk(
            (AgreementActivity::Table, AgreementActivity::AgreementId),
            (Agreement::Table, Agreement::Id),
            Cascade,
        ))
        .foreign_key(&mut fk(
            (AgreementActivity::Table, AgreementActivity::TrainingEventId),
            (TrainingEvent::Table, TrainingEvent::Id),
            SetNull,
        ))
        .foreign_key(&mut fk(
            (AgreementActivity::Table, AgreementActivity::RecordedBy),
            (Member::Table, Member::Id),
            SetNull,
        ))
        .to_owned()
}

fn activity_goal_table() -> TableCreateStatement {
    Table::create()
        .table(AgreementActivityGoal::Table)
        .col(uuid(AgreementActivityGoal::ActivityId))
        .col(uuid(AgreementActivityGoal::GoalId))
        .primary_key(
            Index::create()
                .col(AgreementActivityGoal::ActivityId)
                .col(AgreementActivityGoal::GoalId),
        )
        .foreign_key(&mut fk(
            (AgreementActivityGoal::Table, AgreementActivityGoal::ActivityId),
            (AgreementActivity::Table, AgreementActivity::Id),
            Cascade,
        ))
        .foreign_key(&mut fk(
            (AgreementActivityGoal::Table, AgreementActivityGoal::GoalId),
            (AgreementGoal::Table, AgreementGoal::Id),
            Cascade,
        ))
        .to_owned()
}

fn activity_participant_table() -> TableCreateStatement {
    Table::create()
        .table(AgreementActivityParticipant::Table)
        .col(uuid(AgreementActivityParticipant::ActivityId))
        .col(uuid(AgreementActivityParticipant::MemberId))
        .primary_key(
            Index::create()
                .col(AgreementActivityParticipant::ActivityId)
                .col(AgreementActivityParticipant::MemberId),
        )
        .foreign_key(&mut fk(
            (
                AgreementActivityParticipant::Table,
                AgreementActivityParticipant::ActivityId,
            ),
            (AgreementActivity::Table, AgreementActivity::Id),
            Cascade,
        ))
        .foreign_key(&mut fk(
            (
                AgreementActivityParticipant::Table,
                AgreementActivityParticipant::MemberId,
            ),
            (Member::Table, Member::Id),
            Cascade,
        ))
        .to_owned()
}

fn review_table() -> TableCreateStatement {
    Table::create()
        .table(AgreementReview::Table)
        .col(pk_uuid(AgreementReview::Id))
        .col(uuid(AgreementReview::AgreementId))
        .col(string_len(AgreementReview::Status, 20))
        .col(date(AgreementReview::HeldOn))
        .col(text(AgreementReview::Reflection))
        .col(date_null(AgreementReview::NextReviewOn))
        .col(ColumnDef::new(AgreementReview::DraftedBy).uuid().null())
        .col(ColumnDef::new(AgreementReview::SubmittedBy).uuid().null())
        .col(timestamp_with_time_zone_null(AgreementReview::SubmittedAt))
        .col(timestamp_with_time_zone(AgreementReview::CreatedAt))
        .col(timestamp_with_time_zone(AgreementReview::UpdatedAt))
        .foreign_key(&mut fk(
            (AgreementReview::Table, AgreementReview::AgreementId),
            (Agreement::Table, Agreement::Id),
            Cascade,
        ))
        .foreign_key(&mut fk(
            (AgreementReview::Table, AgreementReview::DraftedBy),
            (Member::Table, Member::Id),
            SetNull,
        ))
        .foreign_key(&mut fk(
            (AgreementReview::Table, AgreementReview::SubmittedBy),
            (Member::Table, Member::Id),
            SetNull,
        ))
        .to_owned()
}

fn review_goal_table() -> TableCreateStatement {
    Table::create()
        .table(AgreementReviewGoal::Table)
        .col(uuid(AgreementReviewGoal::ReviewId))
        .col(uuid(AgreementReviewGoal::GoalId))
        .col(string_len(AgreementReviewGoal::Status, 20))
        .col(text_null(AgreementReviewGoal::Note))
        .primary_key(
            Index::create()
                .col(AgreementReviewGoal::ReviewId)
                .col(AgreementReviewGoal::GoalId),
        )
        .foreign_key(&mut fk(
            (AgreementReviewGoal::Table, AgreementReviewGoal::ReviewId),
            (AgreementReview::Table, AgreementReview::Id),
            Cascade,
        ))
        .foreign_key(&mut fk(
            (AgreementReviewGoal::Table, AgreementReviewGoal::GoalId),
            (AgreementGoal::Table, AgreementGoal::Id),
            Cascade,
        ))
        .to_owned()
}

fn entry_table() -> TableCreateStatement {
    Table::create()
        .table(AgreementEntry::Table)
        .col(pk_uuid(AgreementEntry::Id))
        .col(uuid(AgreementEntry::AgreementId))
        .col(ColumnDef::new(AgreementEntry::MemberId).uuid().null())
        .col(string_len(AgreementEntry::Action, 30))
        .col(text_null(AgreementEntry::Subject))
        .col(timestamp_with_time_zone(AgreementEntry::At))
        .foreign_key(&mut fk(
            (AgreementEntry::Table, AgreementEntry::AgreementId),
            (Agreement::Table, Agreement::Id),
            Cascade,
        ))
        .foreign_key(&mut fk(
            (AgreementEntry::Table, AgreementEntry::MemberId),
            (Member::Table, Member::Id),
            SetNull,
        ))
        .to_owned()
}

/// The agreement's new columns; existing agreements are ACTIVE when signed, PLANNED otherwise.
async fn extend_agreement(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let columns = [
        string_len(Agreement::Status, 20).default("PLANNED").to_owned(),
        text_null(Agreement::Request),
        date_null(Agreement::NextReviewOn),
        date_null(Agreement::RemindedFor),
        ColumnDef::new(Agreement::Version)
            .big_integer()
            .not_null()
            .default(1)
            .to_owned(),
    ];
    // SQLite adds one column per statement.
    for column in columns {
        manager
            .alter_table(Table::alter().table(Agreement::Table).add_column(column).to_owned())
            .await?;
    }
    manager
        .get_connection()
        .execute_unprepared("UPDATE agreement SET status = 'ACTIVE' WHERE signed_on IS NOT NULL")
        .await?;
    Ok(())
}

/// MUNICIPAL_STAFF is held for one municipality: the platform-wide grant is unique only
/// without a municipality, the municipal one per municipality.
async fn municipal_roles(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(MemberRole::Table)
                .add_column(ColumnDef::new(MemberRole::MunicipalityId).uuid().null())
                .to_owned(),
        )
        .await?;
    let connection = manager.get_connection();
    for statement in [
        "CREATE UNIQUE INDEX uq_member_role_platform_wide ON member_role (member_id, role) \
         WHERE agency_id IS NULL AND municipality_id IS NULL",
        "DROP INDEX uq_member_role_platform",
        "CREATE UNIQUE INDEX uq_member_role_municipality ON member_role (member_id, role, municipality_id) \
         WHERE municipality_id IS NOT NULL",
        "CREATE INDEX idx_member_role_municipality ON member_role (municipality_id, role)",
    ] {
        connection.execute_unprepared(statement).await?;
    }
    // SQLite cannot add a foreign key to an existing table; there a grant of a removed
    // municipality stays (municipalities are retired, not removed).
    if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
        connection
            .execute_unprepared(
                "ALTER TABLE member_role ADD CONSTRAINT fk_member_role_municipality \
                 FOREIGN KEY (municipality_id) REFERENCES municipality (id) ON DELETE CASCADE",
            )
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        extend_agreement(manager).await?;
        for table in [
            goal_table(),
            activity_table(),
            activity_goal_table(),
            activity_participant_table(),
            review_table(),
            review_goal_table(),
            entry_table(),
        ] {
            manager.create_table(table).await?;
        }
        municipal_roles(manager).await?;
        // At most one review draft per agreement: two people drafting at once write one draft.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_agreement_review_draft ON agreement_review (agreement_id) WHERE status = 'DRAFT'",
            )
            .await?;
        // An agency's accompaniments by status; the reminders due; an agreement's goals in
        // order, activities by date, reviews, timeline; the foreign keys' other ends.
        for (name, table, columns) in [
            (
                "idx_agreement_agency_status",
                Agreement::Table.into_iden(),
                vec![Agreement::AgencyId.into_iden(), Agreement::Status.into_iden()],
            ),
            (
                "idx_agreement_next_review",
                Agreement::Table.into_iden(),
                vec![Agreement::NextReviewOn.into_iden()],
            ),
            (
                "idx_agreement_goal_agreement",
                AgreementGoal::Table.into_iden(),
                vec![
                    AgreementGoal::AgreementId.into_iden(),
                    AgreementGoal::Position.into_iden(),
                ],
            ),
            (
                "idx_agreement_goal_indicator",
                AgreementGoal::Table.into_iden(),
                vec![AgreementGoal::IndicatorId.into_iden()],
            ),
            (
                "idx_agreement_goal_topic",
                AgreementGoal::Table.into_iden(),
                vec![AgreementGoal::TopicId.into_iden()],
            ),
            (
                "idx_agreement_goal_created_by",
                AgreementGoal::Table.into_iden(),
                vec![AgreementGoal::CreatedBy.into_iden()],
            ),
            (
                "idx_agreement_activity_agreement",
                AgreementActivity::Table.into_iden(),
                vec![
                    AgreementActivity::AgreementId.into_iden(),
                    AgreementActivity::OccurredOn.into_iden(),
                ],
            ),
            (
                "idx_agreement_activity_event",
                AgreementActivity::Table.into_iden(),
                vec![AgreementActivity::TrainingEventId.into_iden()],
            ),
            (
                "idx_agreement_activity_recorded_by",
                AgreementActivity::Table.into_iden(),
                vec![AgreementActivity::RecordedBy.into_iden()],
            ),
            (
                "idx_agreement_activity_goal_goal",
                AgreementActivityGoal::Table.into_iden(),
                vec![AgreementActivityGoal::GoalId.into_iden()],
            ),
            (
                "idx_agreement_activity_participant_member",
                AgreementActivityParticipant::Table.into_iden(),
                vec![AgreementActivityParticipant::MemberId.into_iden()],
            ),
            (
                "idx_agreement_review_agreement",
                AgreementReview::Table.into_iden(),
                vec![
                    AgreementReview::AgreementId.into_iden(),
                    AgreementReview::HeldOn.into_iden(),
                ],
            ),
            (
                "idx_agreement_review_drafted_by",
                AgreementReview::Table.into_iden(),
                vec![AgreementReview::DraftedBy.into_iden()],
            ),
            (
                "idx_agreement_review_submitted_by",
                AgreementReview::Table.into_iden(),
                vec![AgreementReview::SubmittedBy.into_iden()],
            ),
            (
                "idx_agreement_review_goal_goal",
                AgreementReviewGoal::Table.into_iden(),
                vec![AgreementReviewGoal::GoalId.into_iden()],
            ),
            (
                "idx_agreement_entry_agreement",
                AgreementEntry::Table.into_iden(),
                vec![AgreementEntry::AgreementId.into_iden(), AgreementEntry::Id.into_iden()],
            ),
            (
                "idx_agreement_entry_member",
                AgreementEntry::Table.into_iden(),
                vec![AgreementEntry::MemberId.into_iden()],
            ),
        ] {
            index(manager, name, table, columns).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AgreementEntry::Table.into_iden(),
            AgreementReviewGoal::Table.into_iden(),
            AgreementReview::Table.into_iden(),
            AgreementActivityParticipant::Table.into_iden(),
            AgreementActivityGoal::Table.into_iden(),
            AgreementActivity::Table.into_iden(),
            AgreementGoal::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        let connection = manager.get_connection();
        for statement in [
            "DROP INDEX idx_member_role_municipality",
            "DROP INDEX uq_member_role_municipality",
            "DELETE FROM member_role WHERE municipality_id IS NOT NULL",
            "CREATE UNIQUE INDEX uq_member_role_platform ON member_role (member_id, role) WHERE agency_id IS NULL",
            "DROP INDEX uq_member_role_platform_wide",
            "DROP INDEX idx_agreement_agency_status",
            "DROP INDEX idx_agreement_next_review",
        ] {
            connection.execute_unprepared(statement).await?;
        }
        for column in ["municipality_id"] {
            connection
                .execute_unprepared(&format!("ALTER TABLE member_role DROP COLUMN {column}"))
                .await?;
        }
        for column in ["status", "request", "next_review_on", "reminded_for", "version"] {
            connection
                .execute_unprepared(&format!("ALTER TABLE agreement DROP COLUMN {column}"))
                .await?;
        }
        Ok(())
    }
}
