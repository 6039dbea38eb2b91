//! Documents: the files attached to practices, events and forum posts, and the bytes behind them.
//!
//! The bytes are content-addressed: `storage_blob` holds one row per SHA-256 that the object
//! store holds (`blobs/<sha256>`), so the same file attached twice is stored once. An attachment
//! names its target by kind and id without a foreign key (three kinds of target; deleting a
//! target deletes its attachments in the service, which also releases their bytes).
//! `server_setting` keeps what every replica must share and nobody configures: the key that
//! signs download URLs, and when the storage was last swept (one sweep across replicas).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, integer, integer_null, string_len, string_len_null, text, text_null, timestamp_with_time_zone, uuid,
    uuid_null,
};

use crate::helpers::{fk, index};

#[derive(DeriveIden)]
enum StorageBlob {
    Table,
    Sha256,
    ByteSize,
    ContentType,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attachment {
    Table,
    Id,
    TargetKind,
    TargetId,
    AgencyId,
    UploadedBy,
    Sha256,
    Filename,
    ContentType,
    ByteSize,
    Title,
    Kind,
    Position,
    PageCount,
    TextStatus,
    ExtractedText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ServerSetting {
    Table,
    Name,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
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
                    .table(StorageBlob::Table)
                    .col(string_len(StorageBlob::Sha256, 64).primary_key())
                    .col(big_integer(StorageBlob::ByteSize))
                    .col(string_len(StorageBlob::ContentType, 100))
                    .col(timestamp_with_time_zone(StorageBlob::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attachment::Table)
                    .col(uuid(Attachment::Id).primary_key())
                    .col(string_len(Attachment::TargetKind, 16))
                    .col(uuid(Attachment::TargetId))
                    .col(uuid_null(Attachment::AgencyId))
                    .col(uuid_null(Attachment::UploadedBy))
                    .col(string_len(Attachment::Sha256, 64))
                    .col(string_len(Attachment::Filename, 255))
                    .col(string_len(Attachment::ContentType, 100))
                    .col(big_integer(Attachment::ByteSize))
                    .col(string_len_null(Attachment::Title, 300))
                    .col(string_len(Attachment::Kind, 16))
                    .col(integer(Attachment::Position))
                    .col(integer_null(Attachment::PageCount))
                    .col(string_len(Attachment::TextStatus, 16))
                    .col(text_null(Attachment::ExtractedText))
                    .col(timestamp_with_time_zone(Attachment::CreatedAt))
                    .col(timestamp_with_time_zone(Attachment::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Attachment::Table, Attachment::Sha256),
                        (StorageBlob::Table, StorageBlob::Sha256),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (Attachment::Table, Attachment::AgencyId),
                        (Agency::Table, Agency::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Attachment::Table, Attachment::UploadedBy),
                        (Member::Table, Member::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // A target's attachments in their order (the loaders read them for a page of targets).
        index(
            manager,
            "idx_attachment_target",
            Attachment::Table,
            vec![
                Attachment::TargetKind.into_iden(),
                Attachment::TargetId.into_iden(),
                Attachment::Position.into_iden(),
            ],
        )
        .await?;
        // An agency's stored bytes (the quota) and who else refers to the same bytes.
        index(
            manager,
            "idx_attachment_agency",
            Attachment::Table,
            vec![Attachment::AgencyId.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_attachment_sha256",
            Attachment::Table,
            vec![Attachment::Sha256.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServerSetting::Table)
                    .col(string_len(ServerSetting::Name, 64).primary_key())
                    .col(text(ServerSetting::Value))
                    .col(timestamp_with_time_zone(ServerSetting::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ServerSetting::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Attachment::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StorageBlob::Table).to_owned())
            .await
    }
}
