//! Portals: an agency's front-end over the shared knowledge base. The portal (its publishable
//! key, origins and default scope), the items it hides, its ordered collections, its teaser
//! overrides for practices, and its reach counts per day. Curation never touches the canonical
//! rows: every table here only points at them.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GoodPractice {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingEvent {
    Table,
    Format,
    StartsAt,
}

#[derive(DeriveIden)]
enum Portal {
    Table,
    Id,
    Slug,
    Name,
    OwnerAgencyId,
    Origins,
    #[sea_orm(iden = "portal_key")]
    Key,
    PreviousKey,
    PreviousKeyExpiresAt,
    Scope,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PortalHidden {
    Table,
    PortalId,
    ItemId,
    ItemKind,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PortalCollection {
    Table,
    Id,
    PortalId,
    Slug,
    Title,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PortalCollectionItem {
    Table,
    CollectionId,
    Position,
    ItemKind,
    ItemId,
    Teaser,
    FeaturedUntil,
}

#[derive(DeriveIden)]
enum PortalTeaser {
    Table,
    PortalId,
    PracticeId,
    Teaser,
    ImageUrl,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PortalReach {
    Table,
    PortalId,
    Day,
    ItemId,
    ItemKind,
    Views,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        portals(manager).await?;
        curation(manager).await?;
        collections(manager).await?;
        // A portal's scope filters events by format (the other scope filters have their indexes).
        index(
            manager,
            "idx_training_event_format",
            TrainingEvent::Table,
            vec![TrainingEvent::Format.into_iden(), TrainingEvent::StartsAt.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PortalReach::Table)
                    .col(uuid(PortalReach::PortalId))
                    .col(date(PortalReach::Day))
                    .col(uuid(PortalReach::ItemId))
                    .col(string_len(PortalReach::ItemKind, 16))
                    .col(big_integer(PortalReach::Views))
                    // The upsert's conflict target, and `popular`'s range scan (portal, days).
                    .primary_key(
                        Index::create()
                            .col(PortalReach::PortalId)
                            .col(PortalReach::Day)
                            .col(PortalReach::ItemId),
                    )
                    .foreign_key(&mut fk(
                        (PortalReach::Table, PortalReach::PortalId),
                        (Portal::Table, Portal::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PortalReach::Table.into_iden(),
            PortalTeaser::Table.into_iden(),
            PortalCollectionItem::Table.into_iden(),
            PortalCollection::Table.into_iden(),
            PortalHidden::Table.into_iden(),
            Portal::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_training_event_format")
                    .table(TrainingEvent::Table)
                    .to_owned(),
            )
            .await
    }
}

async fn portals(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Portal::Table)
                .col(pk_uuid(Portal::Id))
                .col(string_len_uniq(Portal::Slug, 120))
                .col(string_len(Portal::Name, 200))
                .col(uuid(Portal::OwnerAgencyId))
                // JSON arrays and objects as text: read whole with the row, never filtered on.
                .col(text(Portal::Origins))
                .col(string_len_uniq(Portal::Key, 64))
                .col(string_len_null(Portal::PreviousKey, 64))
                .col(timestamp_with_time_zone_null(Portal::PreviousKeyExpiresAt))
                .col(text(Portal::Scope))
                .col(big_integer(Portal::Version))
                .col(timestamp_with_time_zone(Portal::CreatedAt))
                .col(timestamp_with_time_zone(Portal::UpdatedAt))
                .foreign_key(&mut fk(
                    (Portal::Table, Portal::OwnerAgencyId),
                    (Agency::Table, Agency::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // A rotated key keeps working for its grace period: found by this index.
    index(
        manager,
        "idx_portal_previous_key",
        Portal::Table,
        vec![Portal::PreviousKey.into_iden()],
    )
    .await?;
    // An agency's portals.
    index(
        manager,
        "idx_portal_owner",
        Portal::Table,
        vec![Portal::OwnerAgencyId.into_iden()],
    )
    .await
}

async fn curation(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PortalHidden::Table)
                .col(uuid(PortalHidden::PortalId))
                .col(uuid(PortalHidden::ItemId))
                .col(string_len(PortalHidden::ItemKind, 16))
                .col(timestamp_with_time_zone(PortalHidden::CreatedAt))
                // The lists' `id NOT IN (SELECT item_id … WHERE portal_id = ?)`: an index-only scan.
                .primary_key(Index::create().col(PortalHidden::PortalId).col(PortalHidden::ItemId))
                .foreign_key(&mut fk(
                    (PortalHidden::Table, PortalHidden::PortalId),
                    (Portal::Table, Portal::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PortalTeaser::Table)
                .col(uuid(PortalTeaser::PortalId))
                .col(uuid(PortalTeaser::PracticeId))
                .col(text_null(PortalTeaser::Teaser))
                .col(string_len_null(PortalTeaser::ImageUrl, 2000))
                .col(timestamp_with_time_zone(PortalTeaser::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(PortalTeaser::PortalId)
                        .col(PortalTeaser::PracticeId),
                )
                .foreign_key(&mut fk(
                    (PortalTeaser::Table, PortalTeaser::PortalId),
                    (Portal::Table, Portal::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (PortalTeaser::Table, PortalTeaser::PracticeId),
                    (GoodPractice::Table, GoodPractice::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
}

async fn collections(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PortalCollection::Table)
                .col(pk_uuid(PortalCollection::Id))
                .col(uuid(PortalCollection::PortalId))
                .col(string_len(PortalCollection::Slug, 120))
                .col(string_len(PortalCollection::Title, 200))
                .col(text(PortalCollection::Description))
                .col(timestamp_with_time_zone(PortalCollection::CreatedAt))
                .col(timestamp_with_time_zone(PortalCollection::UpdatedAt))
                .foreign_key(&mut fk(
                    (PortalCollection::Table, PortalCollection::PortalId),
                    (Portal::Table, Portal::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // A portal's collections by slug (and the slug unique within the portal).
    unique_index(
        manager,
        "idx_portal_collection_slug",
        PortalCollection::Table,
        vec![
            PortalCollection::PortalId.into_iden(),
            PortalCollection::Slug.into_iden(),
        ],
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(PortalCollectionItem::Table)
                .col(uuid(PortalCollectionItem::CollectionId))
                .col(integer(PortalCollectionItem::Position))
                .col(string_len(PortalCollectionItem::ItemKind, 16))
                .col(uuid(PortalCollectionItem::ItemId))
                .col(text_null(PortalCollectionItem::Teaser))
                .col(timestamp_with_time_zone_null(PortalCollectionItem::FeaturedUntil))
                // The items of collections in order: the loader's `collection_id IN (…)`.
                .primary_key(
                    Index::create()
                        .col(PortalCollectionItem::CollectionId)
                        .col(PortalCollectionItem::Position),
                )
                .foreign_key(&mut fk(
                    (PortalCollectionItem::Table, PortalCollectionItem::CollectionId),
                    (PortalCollection::Table, PortalCollection::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // An item appears once in a collection.
    unique_index(
        manager,
        "idx_portal_collection_item_once",
        PortalCollectionItem::Table,
        vec![
            PortalCollectionItem::CollectionId.into_iden(),
            PortalCollectionItem::ItemId.into_iden(),
        ],
    )
    .await
}
