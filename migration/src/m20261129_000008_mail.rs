//! Mail: the transactional outbox (one row per message, written in the transaction of the change
//! that causes it), single-use account tokens (email verification, password reset), throttles
//! for requests that send mail, and the member's language, verified address and notification
//! settings, and which event start a participant was reminded of.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
    EmailVerifiedAt,
    Language,
    ForumMail,
    EventReminders,
    ForumDigestOn,
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    RemindedFor,
}

#[derive(DeriveIden)]
enum OutboxMessage {
    Table,
    Id,
    MemberId,
    Kind,
    DedupeKey,
    Recipient,
    Subject,
    MessageId,
    Raw,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum AccountToken {
    Table,
    Id,
    MemberId,
    Purpose,
    TokenHash,
    Email,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RequestThrottle {
    Table,
    Id,
    Scope,
    KeyHash,
    RequestedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        member_columns(manager).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .add_column(timestamp_with_time_zone_null(Registration::RemindedFor))
                    .to_owned(),
            )
            .await?;
        outbox(manager).await?;
        account_tokens(manager).await?;
        manager
            .create_table(
                Table::create()
                    .table(RequestThrottle::Table)
                    .col(pk_uuid(RequestThrottle::Id))
                    .col(string_len(RequestThrottle::Scope, 32))
                    .col(string_len(RequestThrottle::KeyHash, 64))
                    .col(timestamp_with_time_zone(RequestThrottle::RequestedAt))
                    .to_owned(),
            )
            .await?;
        // Counting one key's recent requests.
        index(
            manager,
            "idx_request_throttle_key",
            RequestThrottle::Table,
            vec![
                RequestThrottle::Scope.into_iden(),
                RequestThrottle::KeyHash.into_iden(),
                RequestThrottle::RequestedAt.into_iden(),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RequestThrottle::Table.into_iden(),
            AccountToken::Table.into_iden(),
            OutboxMessage::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for column in [
            Member::EmailVerifiedAt.into_iden(),
            Member::Language.into_iden(),
            Member::ForumMail.into_iden(),
            Member::EventReminders.into_iden(),
            Member::ForumDigestOn.into_iden(),
        ] {
            manager
                .alter_table(Table::alter().table(Member::Table).drop_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Registration::Table)
                    .drop_column(Registration::RemindedFor)
                    .to_owned(),
            )
            .await
    }
}

/// The member's verified address, language and notification settings. Members from before mail
/// existed count as verified (they signed up when no address could be checked).
async fn member_columns(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let columns = [
        timestamp_with_time_zone_null(Member::EmailVerifiedAt),
        string_len(Member::Language, 2).default("de").to_owned(),
        string_len(Member::ForumMail, 16).default("IMMEDIATE").to_owned(),
        boolean(Member::EventReminders).default(true).to_owned(),
        date_null(Member::ForumDigestOn),
    ];
    // SQLite alters one column at a time.
    for mut column in columns {
        manager
            .alter_table(Table::alter().table(Member::Table).add_column(&mut column).to_owned())
            .await?;
    }
    manager
        .exec_stmt(
            Query::update()
                .table(Member::Table)
                .value(Member::EmailVerifiedAt, Expr::current_timestamp())
                .to_owned(),
        )
        .await
}

async fn outbox(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OutboxMessage::Table)
                .col(pk_uuid(OutboxMessage::Id))
                .col(uuid_null(OutboxMessage::MemberId))
                .col(string_len(OutboxMessage::Kind, 40))
                .col(string_len_null(OutboxMessage::DedupeKey, 200))
                .col(string_len(OutboxMessage::Recipient, 320))
                .col(string_len(OutboxMessage::Subject, 400))
                .col(string_len(OutboxMessage::MessageId, 200))
                .col(text(OutboxMessage::Raw))
                .col(string_len(OutboxMessage::Status, 16))
                .col(integer(OutboxMessage::Attempts))
                .col(timestamp_with_time_zone(OutboxMessage::NextAttemptAt))
                .col(timestamp_with_time_zone_null(OutboxMessage::ClaimedUntil))
                .col(text_null(OutboxMessage::LastError))
                .col(timestamp_with_time_zone(OutboxMessage::CreatedAt))
                .col(timestamp_with_time_zone_null(OutboxMessage::SentAt))
                .foreign_key(&mut fk(
                    (OutboxMessage::Table, OutboxMessage::MemberId),
                    (Member::Table, Member::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // The worker's claim: due messages by status and time.
    index(
        manager,
        "idx_outbox_due",
        OutboxMessage::Table,
        vec![
            OutboxMessage::Status.into_iden(),
            OutboxMessage::NextAttemptAt.into_iden(),
        ],
    )
    .await?;
    // A message that must go once (a reminder, a day's digest) carries a key; a second is refused.
    unique_index(
        manager,
        "idx_outbox_dedupe",
        OutboxMessage::Table,
        vec![OutboxMessage::DedupeKey.into_iden()],
    )
    .await?;
    index(
        manager,
        "idx_outbox_member",
        OutboxMessage::Table,
        vec![OutboxMessage::MemberId.into_iden()],
    )
    .await
}

async fn account_tokens(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(AccountToken::Table)
                .col(pk_uuid(AccountToken::Id))
                .col(uuid(AccountToken::MemberId))
                .col(string_len(AccountToken::Purpose, 16))
                .col(string_len_uniq(AccountToken::TokenHash, 64))
                .col(string_len(AccountToken::Email, 320))
                .col(timestamp_with_time_zone(AccountToken::ExpiresAt))
                .col(timestamp_with_time_zone_null(AccountToken::UsedAt))
                .col(timestamp_with_time_zone(AccountToken::CreatedAt))
                .foreign_key(&mut fk(
                    (AccountToken::Table, AccountToken::MemberId),
                    (Member::Table, Member::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_account_token_member",
        AccountToken::Table,
        vec![AccountToken::MemberId.into_iden(), AccountToken::Purpose.into_iden()],
    )
    .await
}
