//! Members, roles, sessions and refresh tokens, login attempts, signing keys, agency API clients.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    MunicipalityId,
    AgencyId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MemberRole {
    Table,
    Id,
    MemberId,
    Role,
    AgencyId,
    GrantedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    MemberId,
    CreatedAt,
    LastRefreshedAt,
    ExpiresAt,
    RevokedAt,
    RevokeReason,
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    SessionId,
    TokenHash,
    IssuedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    EmailHash,
    AttemptedAt,
    Succeeded,
}

#[derive(DeriveIden)]
enum SigningKey {
    Table,
    Kid,
    Algorithm,
    PrivateKeyPem,
    PublicKeyPem,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum ApiClient {
    Table,
    Id,
    AgencyId,
    Name,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    ApiClientId,
    Kid,
    Algorithm,
    PublicKeyPem,
    Fingerprint,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum UsedJti {
    Table,
    ApiClientId,
    Jti,
    ExpiresAt,
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
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create().name(name).table(table).to_owned();
    for column in columns {
        statement.col(column);
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(Member::Table)
                    .col(pk_uuid(Member::Id))
                    .col(string_len_uniq(Member::Email, 254))
                    .col(string_len(Member::DisplayName, 100))
                    .col(string_len(Member::PasswordHash, 200))
                    .col(uuid_null(Member::MunicipalityId))
                    .col(uuid_null(Member::AgencyId))
                    .col(timestamp_with_time_zone(Member::CreatedAt))
                    .col(timestamp_with_time_zone(Member::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Member::Table, Member::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Member::Table, Member::AgencyId),
                        (Agency::Table, Agency::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_member_agency",
            Member::Table,
            vec![Member::AgencyId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_member_municipality",
            Member::Table,
            vec![Member::MunicipalityId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_member_created_at",
            Member::Table,
            vec![Member::CreatedAt.into_iden(), Member::Id.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(MemberRole::Table)
                    .col(pk_uuid(MemberRole::Id))
                    .col(uuid(MemberRole::MemberId))
                    .col(string_len(MemberRole::Role, 32))
                    .col(uuid_null(MemberRole::AgencyId))
                    .col(uuid_null(MemberRole::GrantedBy))
                    .col(timestamp_with_time_zone(MemberRole::CreatedAt))
                    .foreign_key(&mut fk(
                        (MemberRole::Table, MemberRole::MemberId),
                        (Member::Table, Member::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (MemberRole::Table, MemberRole::AgencyId),
                        (Agency::Table, Agency::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (MemberRole::Table, MemberRole::GrantedBy),
                        (Member::Table, Member::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_member_role_member",
            MemberRole::Table,
            vec![MemberRole::MemberId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_member_role_agency",
            MemberRole::Table,
            vec![MemberRole::AgencyId.into_iden(), MemberRole::Role.into_iden()],
            false,
        )
        .await?;
        let db = manager.get_connection();
        // A grant exists once: per agency for per-agency roles, once for platform roles.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_member_role_agency ON member_role (member_id, role, agency_id) WHERE agency_id IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_member_role_platform ON member_role (member_id, role) WHERE agency_id IS NULL",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(pk_uuid(Session::Id))
                    .col(uuid(Session::MemberId))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::LastRefreshedAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Session::RevokedAt))
                    .col(string_len_null(Session::RevokeReason, 32))
                    .foreign_key(&mut fk(
                        (Session::Table, Session::MemberId),
                        (Member::Table, Member::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_session_member",
            Session::Table,
            vec![Session::MemberId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_session_expires_at",
            Session::Table,
            vec![Session::ExpiresAt.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshToken::Table)
                    .col(pk_uuid(RefreshToken::Id))
                    .col(uuid(RefreshToken::SessionId))
                    .col(string_len_uniq(RefreshToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshToken::IssuedAt))
                    .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::UsedAt))
                    .foreign_key(&mut fk(
                        (RefreshToken::Table, RefreshToken::SessionId),
                        (Session::Table, Session::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_refresh_token_session",
            RefreshToken::Table,
            vec![RefreshToken::SessionId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_refresh_token_expires_at",
            RefreshToken::Table,
            vec![RefreshToken::ExpiresAt.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(pk_uuid(LoginAttempt::Id))
                    .col(string_len(LoginAttempt::EmailHash, 64))
                    .col(timestamp_with_time_zone(LoginAttempt::AttemptedAt))
                    .col(boolean(LoginAttempt::Succeeded))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_login_attempt_email",
            LoginAttempt::Table,
            vec![
                LoginAttempt::EmailHash.into_iden(),
                LoginAttempt::AttemptedAt.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_login_attempt_at",
            LoginAttempt::Table,
            vec![LoginAttempt::AttemptedAt.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SigningKey::Table)
                    .col(string_len(SigningKey::Kid, 100).primary_key())
                    .col(string_len(SigningKey::Algorithm, 16))
                    .col(text(SigningKey::PrivateKeyPem))
                    .col(text(SigningKey::PublicKeyPem))
                    .col(timestamp_with_time_zone(SigningKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(SigningKey::RetiredAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiClient::Table)
                    .col(pk_uuid(ApiClient::Id))
                    .col(uuid(ApiClient::AgencyId))
                    .col(string_len(ApiClient::Name, 200))
                    .col(uuid_null(ApiClient::CreatedBy))
                    .col(timestamp_with_time_zone(ApiClient::CreatedAt))
                    .foreign_key(&mut fk(
                        (ApiClient::Table, ApiClient::AgencyId),
                        (Agency::Table, Agency::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ApiClient::Table, ApiClient::CreatedBy),
                        (Member::Table, Member::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_api_client_agency",
            ApiClient::Table,
            vec![ApiClient::AgencyId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiKey::Table)
                    .col(pk_uuid(ApiKey::Id))
                    .col(uuid(ApiKey::ApiClientId))
                    .col(string_len(ApiKey::Kid, 200))
                    .col(string_len(ApiKey::Algorithm, 16))
                    .col(text(ApiKey::PublicKeyPem))
                    .col(string_len(ApiKey::Fingerprint, 64))
                    .col(timestamp_with_time_zone(ApiKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::RevokedAt))
                    .foreign_key(&mut fk(
                        (ApiKey::Table, ApiKey::ApiClientId),
                        (ApiClient::Table, ApiClient::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "uq_api_key_client_kid",
            ApiKey::Table,
            vec![ApiKey::ApiClientId.into_iden(), ApiKey::Kid.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(UsedJti::Table)
                    .col(uuid(UsedJti::ApiClientId))
                    .col(string_len(UsedJti::Jti, 200))
                    .col(timestamp_with_time_zone(UsedJti::ExpiresAt))
                    .primary_key(Index::create().col(UsedJti::ApiClientId).col(UsedJti::Jti))
                    .foreign_key(&mut fk(
                        (UsedJti::Table, UsedJti::ApiClientId),
                        (ApiClient::Table, ApiClient::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_used_jti_expires_at",
            UsedJti::Table,
            vec![UsedJti::ExpiresAt.into_iden()],
            false,
        )
        .await?;
        Ok(())
    }
}
