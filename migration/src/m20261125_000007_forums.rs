//! Exchange forums: forums with their group members and moderators, threads with tags, posts,
//! read positions, watched threads, notifications and the moderation log.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Forum {
    Table,
    Id,
    Slug,
    Title,
    Description,
    Visibility,
    ThreadCount,
    LastActivityAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ForumMember {
    Table,
    ForumId,
    MemberId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ForumThread {
    Table,
    Id,
    ForumId,
    Title,
    AuthorId,
    Pinned,
    Locked,
    Tags,
    SearchTerms,
    PostCount,
    CreatedAt,
    LastActivityAt,
}

#[derive(DeriveIden)]
enum ForumThreadTag {
    Table,
    ThreadId,
    Tag,
}

#[derive(DeriveIden)]
enum ForumPost {
    Table,
    Id,
    ThreadId,
    AuthorId,
    Body,
    BodyHtml,
    ReplyToId,
    CreatedAt,
    EditedAt,
    DeletedAt,
    HiddenAt,
    HiddenBy,
    HiddenReason,
}

#[derive(DeriveIden)]
enum ForumRead {
    Table,
    ThreadId,
    MemberId,
    ReadUntil,
}

#[derive(DeriveIden)]
enum ForumWatch {
    Table,
    ThreadId,
    MemberId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    MemberId,
    Kind,
    ForumId,
    ThreadId,
    PostId,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum ModerationLog {
    Table,
    Id,
    ForumId,
    ThreadId,
    PostId,
    ModeratorId,
    Action,
    Reason,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table(Forum::Table)
                    .col(pk_uuid(Forum::Id))
                    .col(string_len_uniq(Forum::Slug, 120))
                    .col(string_len(Forum::Title, 200))
                    .col(text(Forum::Description))
                    .col(string_len(Forum::Visibility, 16))
                    .col(integer(Forum::ThreadCount))
                    .col(timestamp_with_time_zone(Forum::LastActivityAt))
                    .col(timestamp_with_time_zone(Forum::CreatedAt))
                    .col(timestamp_with_time_zone(Forum::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumMember::Table)
                    .col(uuid(ForumMember::ForumId))
                    .col(uuid(ForumMember::MemberId))
                    .col(string_len(ForumMember::Role, 16))
                    .col(timestamp_with_time_zone(ForumMember::CreatedAt))
                    .primary_key(Index::create().col(ForumMember::ForumId).col(ForumMember::MemberId))
                    .foreign_key(&mut fk(
                        (ForumMember::Table, ForumMember::ForumId),
                        (Forum::Table, Forum::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ForumMember::Table, ForumMember::MemberId),
                        (Member::Table, Member::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // A member's forums (visibility of GROUP forums in lists).
        index(
            manager,
            "idx_forum_member_by_member",
            ForumMember::Table,
            vec![ForumMember::MemberId.into_iden(), ForumMember::ForumId.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumThread::Table)
                    .col(pk_uuid(ForumThread::Id))
                    .col(uuid(ForumThread::ForumId))
                    .col(string_len(ForumThread::Title, 300))
                    .col(uuid_null(ForumThread::AuthorId))
                    .col(boolean(ForumThread::Pinned))
                    .col(boolean(ForumThread::Locked))
                    .col(text(ForumThread::Tags))
                    .col(text(ForumThread::SearchTerms))
                    .col(integer(ForumThread::PostCount))
                    .col(timestamp_with_time_zone(ForumThread::CreatedAt))
                    .col(timestamp_with_time_zone(ForumThread::LastActivityAt))
                    .foreign_key(&mut fk(
                        (ForumThread::Table, ForumThread::ForumId),
                        (Forum::Table, Forum::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ForumThread::Table, ForumThread::AuthorId),
                        (Member::Table, Member::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // The thread list: pinned first, then by last activity.
        index(
            manager,
            "idx_forum_thread_list",
            ForumThread::Table,
            vec![
                ForumThread::ForumId.into_iden(),
                ForumThread::Pinned.into_iden(),
                ForumThread::LastActivityAt.into_iden(),
                ForumThread::Id.into_iden(),
            ],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumThreadTag::Table)
                    .col(uuid(ForumThreadTag::ThreadId))
                    .col(string_len(ForumThreadTag::Tag, 50))
                    .primary_key(Index::create().col(ForumThreadTag::ThreadId).col(ForumThreadTag::Tag))
                    .foreign_key(&mut fk(
                        (ForumThreadTag::Table, ForumThreadTag::ThreadId),
                        (ForumThread::Table, ForumThread::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_forum_thread_tag_by_tag",
            ForumThreadTag::Table,
            vec![ForumThreadTag::Tag.into_iden(), ForumThreadTag::ThreadId.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumPost::Table)
                    .col(pk_uuid(ForumPost::Id))
                    .col(uuid(ForumPost::ThreadId))
                    .col(uuid_null(ForumPost::AuthorId))
                    .col(text(ForumPost::Body))
                    .col(text(ForumPost::BodyHtml))
                    .col(uuid_null(ForumPost::ReplyToId))
                    .col(timestamp_with_time_zone(ForumPost::CreatedAt))
                    .col(timestamp_with_time_zone_null(ForumPost::EditedAt))
                    .col(timestamp_with_time_zone_null(ForumPost::DeletedAt))
                    .col(timestamp_with_time_zone_null(ForumPost::HiddenAt))
                    .col(uuid_null(ForumPost::HiddenBy))
                    .col(text_null(ForumPost::HiddenReason))
                    .foreign_key(&mut fk(
                        (ForumPost::Table, ForumPost::ThreadId),
                        (ForumThread::Table, ForumThread::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ForumPost::Table, ForumPost::AuthorId),
                        (Member::Table, Member::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (ForumPost::Table, ForumPost::ReplyToId),
                        (ForumPost::Table, ForumPost::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (ForumPost::Table, ForumPost::HiddenBy),
                        (Member::Table, Member::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // A thread's posts in order; a member's recent posts (the posting rate limit).
        index(
            manager,
            "idx_forum_post_thread",
            ForumPost::Table,
            vec![
                ForumPost::ThreadId.into_iden(),
                ForumPost::CreatedAt.into_iden(),
                ForumPost::Id.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "idx_forum_post_author",
            ForumPost::Table,
            vec![ForumPost::AuthorId.into_iden(), ForumPost::CreatedAt.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumRead::Table)
                    .col(uuid(ForumRead::ThreadId))
                    .col(uuid(ForumRead::MemberId))
                    .col(timestamp_with_time_zone(ForumRead::ReadUntil))
                    .primary_key(Index::create().col(ForumRead::ThreadId).col(ForumRead::MemberId))
                    .foreign_key(&mut fk(
                        (ForumRead::Table, ForumRead::ThreadId),
                        (ForumThread::Table, ForumThread::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ForumRead::Table, ForumRead::MemberId),
                        (Member::Table, Member::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumWatch::Table)
                    .col(uuid(ForumWatch::ThreadId))
                    .col(uuid(ForumWatch::MemberId))
                    .col(timestamp_with_time_zone(ForumWatch::CreatedAt))
                    .primary_key(Index::create().col(ForumWatch::ThreadId).col(ForumWatch::MemberId))
                    .foreign_key(&mut fk(
                        (ForumWatch::Table, ForumWatch::ThreadId),
                        (ForumThread::Table, ForumThread::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ForumWatch::Table, ForumWatch::MemberId),
                        (Member::Table, Member::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(pk_uuid(Notification::Id))
                    .col(uuid(Notification::MemberId))
                    .col(string_len(Notification::Kind, 32))
                    .col(uuid(Notification::ForumId))
                    .col(uuid(Notification::ThreadId))
                    .col(uuid(Notification::PostId))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::ReadAt))
                    .foreign_key(&mut fk(
                        (Notification::Table, Notification::MemberId),
                        (Member::Table, Member::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Notification::Table, Notification::ForumId),
                        (Forum::Table, Forum::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Notification::Table, Notification::ThreadId),
                        (ForumThread::Table, ForumThread::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Notification::Table, Notification::PostId),
                        (ForumPost::Table, ForumPost::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // A member's notifications, newest first; their unread ones; those of one post.
        index(
            manager,
            "idx_notification_member",
            Notification::Table,
            vec![
                Notification::MemberId.into_iden(),
                Notification::CreatedAt.into_iden(),
                Notification::Id.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "idx_notification_unread",
            Notification::Table,
            vec![Notification::MemberId.into_iden(), Notification::ReadAt.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_notification_post",
            Notification::Table,
            vec![Notification::PostId.into_iden(), Notification::MemberId.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModerationLog::Table)
                    .col(pk_uuid(ModerationLog::Id))
                    .col(uuid(ModerationLog::ForumId))
                    .col(uuid_null(ModerationLog::ThreadId))
                    .col(uuid_null(ModerationLog::PostId))
                    .col(uuid_null(ModerationLog::ModeratorId))
                    .col(string_len(ModerationLog::Action, 32))
                    .col(text_null(ModerationLog::Reason))
                    .col(timestamp_with_time_zone(ModerationLog::CreatedAt))
                    .foreign_key(&mut fk(
                        (ModerationLog::Table, ModerationLog::ForumId),
                        (Forum::Table, Forum::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ModerationLog::Table, ModerationLog::ThreadId),
                        (ForumThread::Table, ForumThread::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (ModerationLog::Table, ModerationLog::PostId),
                        (ForumPost::Table, ForumPost::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (ModerationLog::Table, ModerationLog::ModeratorId),
                        (Member::Table, Member::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_moderation_log_forum",
            ModerationLog::Table,
            vec![
                ModerationLog::ForumId.into_iden(),
                ModerationLog::CreatedAt.into_iden(),
                ModerationLog::Id.into_iden(),
            ],
        )
        .await?;
        Ok(())
    }
}
