//! Webhooks: an agency's endpoints (URL, the events it wants, its signing secret and the one
//! before a rotation) and the outbox of deliveries to them. A change writes its deliveries in its
//! own transaction; the delivery workers claim an endpoint at a time (so its deliveries go in
//! order, each by one worker of all replicas) and record every attempt.
//!
//! A delivery names its endpoint without a foreign key: a change that fans out to an endpoint
//! deleted meanwhile must not fail for it (deleting an endpoint deletes its deliveries; a
//! delivery of a vanished endpoint is never claimed).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer, integer_null, string_len, string_len_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid,
};

use crate::helpers::{fk, index};

#[derive(DeriveIden)]
enum Webhook {
    Table,
    Id,
    AgencyId,
    Url,
    Description,
    Events,
    Secret,
    PreviousSecret,
    PreviousSecretUntil,
    Enabled,
    DisabledAt,
    DisabledReason,
    FailingSince,
    PausedUntil,
    ClaimedUntil,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    WebhookId,
    MessageId,
    EventType,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    LastAttemptAt,
    ResponseStatus,
    LastError,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum Agency {
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
                    .table(Webhook::Table)
                    .col(uuid(Webhook::Id).primary_key())
                    .col(uuid(Webhook::AgencyId))
                    .col(string_len(Webhook::Url, 2048))
                    .col(string_len(Webhook::Description, 500))
                    .col(string_len(Webhook::Events, 200))
                    .col(string_len(Webhook::Secret, 64))
                    .col(string_len_null(Webhook::PreviousSecret, 64))
                    .col(timestamp_with_time_zone_null(Webhook::PreviousSecretUntil))
                    .col(boolean(Webhook::Enabled))
                    .col(timestamp_with_time_zone_null(Webhook::DisabledAt))
                    .col(string_len_null(Webhook::DisabledReason, 500))
                    .col(timestamp_with_time_zone_null(Webhook::FailingSince))
                    .col(timestamp_with_time_zone_null(Webhook::PausedUntil))
                    .col(timestamp_with_time_zone_null(Webhook::ClaimedUntil))
                    .col(timestamp_with_time_zone(Webhook::CreatedAt))
                    .col(timestamp_with_time_zone(Webhook::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Webhook::Table, Webhook::AgencyId),
                        (Agency::Table, Agency::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // An agency's endpoints, oldest first; the fan-out reads the enabled ones.
        index(
            manager,
            "idx_webhook_agency",
            Webhook::Table,
            vec![Webhook::AgencyId.into_iden(), Webhook::CreatedAt.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_webhook_enabled",
            Webhook::Table,
            vec![Webhook::Enabled.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .col(uuid(WebhookDelivery::Id).primary_key())
                    .col(uuid(WebhookDelivery::WebhookId))
                    .col(uuid(WebhookDelivery::MessageId))
                    .col(string_len(WebhookDelivery::EventType, 40))
                    .col(text(WebhookDelivery::Payload))
                    .col(string_len(WebhookDelivery::Status, 16))
                    .col(integer(WebhookDelivery::Attempts))
                    .col(timestamp_with_time_zone(WebhookDelivery::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::LastAttemptAt))
                    .col(integer_null(WebhookDelivery::ResponseStatus))
                    .col(text_null(WebhookDelivery::LastError))
                    .col(timestamp_with_time_zone(WebhookDelivery::CreatedAt))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::DeliveredAt))
                    .to_owned(),
            )
            .await?;
        // An endpoint's deliveries in order (ids are time-ordered): its queue (status PENDING),
        // the claim's "has one due", and its list newest first with a status filter.
        index(
            manager,
            "idx_webhook_delivery_queue",
            WebhookDelivery::Table,
            vec![
                WebhookDelivery::WebhookId.into_iden(),
                WebhookDelivery::Status.into_iden(),
                WebhookDelivery::Id.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "idx_webhook_delivery_list",
            WebhookDelivery::Table,
            vec![WebhookDelivery::WebhookId.into_iden(), WebhookDelivery::Id.into_iden()],
        )
        .await?;
        // The purge of old deliveries.
        index(
            manager,
            "idx_webhook_delivery_created",
            WebhookDelivery::Table,
            vec![WebhookDelivery::CreatedAt.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDelivery::Table).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(Webhook::Table).to_owned()).await
    }
}
