//! Training events, their topics, and registrations. The seat counters live on the event row:
//! every registration change locks that row first, so the counters and the waiting-list
//! positions stay exact under any concurrency, on every replica.

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
enum Topic {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Member {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingEvent {
    Table,
    Id,
    Slug,
    Title,
    Description,
    DescriptionHtml,
    Format,
    OrganizerAgencyId,
    StartsAt,
    EndsAt,
    TimeZone,
    VenueName,
    VenueStreet,
    VenuePostalCode,
    VenueCity,
    CityKey,
    OnlineUrl,
    Capacity,
    WaitlistEnabled,
    RegistrationOpensAt,
    RegistrationClosesAt,
    Status,
    CancellationReason,
    Version,
    SeatsTaken,
    WaitlistLength,
    SearchTerms,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingEventTopic {
    Table,
    EventId,
    TopicId,
}

#[derive(DeriveIden)]
enum Registration {
    Table,
    Id,
    EventId,
    MemberId,
    Status,
    WaitlistPosition,
    Note,
    Attendance,
    RegisteredAt,
    ConfirmedAt,
    CancelledAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        manager
            .create_table(
                Table::create()
                    .table(TrainingEvent::Table)
                    .col(pk_uuid(TrainingEvent::Id))
                    .col(string_len_uniq(TrainingEvent::Slug, 120))
                    .col(string_len(TrainingEvent::Title, 300))
                    .col(text(TrainingEvent::Description))
                    .col(text(TrainingEvent::DescriptionHtml))
                    .col(string_len(TrainingEvent::Format, 32))
                    .col(uuid(TrainingEvent::OrganizerAgencyId))
                    .col(timestamp_with_time_zone(TrainingEvent::StartsAt))
                    .col(timestamp_with_time_zone(TrainingEvent::EndsAt))
                    .col(string_len(TrainingEvent::TimeZone, 64))
                    .col(string_len_null(TrainingEvent::VenueName, 200))
                    .col(string_len_null(TrainingEvent::VenueStreet, 200))
                    .col(string_len_null(TrainingEvent::VenuePostalCode, 10))
                    .col(string_len_null(TrainingEvent::VenueCity, 120))
                    .col(string_len_null(TrainingEvent::CityKey, 120))
                    .col(string_len_null(TrainingEvent::OnlineUrl, 2000))
                    .col(integer_null(TrainingEvent::Capacity))
                    .col(boolean(TrainingEvent::WaitlistEnabled))
                    .col(timestamp_with_time_zone_null(TrainingEvent::RegistrationOpensAt))
                    .col(timestamp_with_time_zone_null(TrainingEvent::RegistrationClosesAt))
                    .col(string_len(TrainingEvent::Status, 16))
                    .col(text_null(TrainingEvent::CancellationReason))
                    .col(big_integer(TrainingEvent::Version))
                    .col(integer(TrainingEvent::SeatsTaken))
                    .col(integer(TrainingEvent::WaitlistLength))
                    .col(text(TrainingEvent::SearchTerms))
                    .col(timestamp_with_time_zone(TrainingEvent::CreatedAt))
                    .col(timestamp_with_time_zone(TrainingEvent::UpdatedAt))
                    .foreign_key(&mut fk(
                        (TrainingEvent::Table, TrainingEvent::OrganizerAgencyId),
                        (Agency::Table, Agency::Id),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // The orderings of the list per status (the default list is SCHEDULED, by start), the
        // organiser and city filters, and the "upcoming" default (ends_at).
        for (name, columns) in [
            (
                "idx_training_event_starts",
                vec![TrainingEvent::Status, TrainingEvent::StartsAt, TrainingEvent::Id],
            ),
            (
                "idx_training_event_created",
                vec![TrainingEvent::Status, TrainingEvent::CreatedAt, TrainingEvent::Id],
            ),
            (
                "idx_training_event_organizer",
                vec![TrainingEvent::OrganizerAgencyId, TrainingEvent::StartsAt],
            ),
            (
                "idx_training_event_city",
                vec![TrainingEvent::CityKey, TrainingEvent::StartsAt],
            ),
            ("idx_training_event_ends", vec![TrainingEvent::EndsAt]),
        ] {
            let columns = columns.into_iter().map(IntoIden::into_iden).collect();
            index(manager, name, TrainingEvent::Table, columns).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TrainingEventTopic::Table)
                    .col(uuid(TrainingEventTopic::EventId))
                    .col(uuid(TrainingEventTopic::TopicId))
                    .primary_key(
                        Index::create()
                            .col(TrainingEventTopic::EventId)
                            .col(TrainingEventTopic::TopicId),
                    )
                    .foreign_key(&mut fk(
                        (TrainingEventTopic::Table, TrainingEventTopic::EventId),
                        (TrainingEvent::Table, TrainingEvent::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (TrainingEventTopic::Table, TrainingEventTopic::TopicId),
                        (Topic::Table, Topic::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_training_event_topic_by_value",
            TrainingEventTopic::Table,
            vec![
                TrainingEventTopic::TopicId.into_iden(),
                TrainingEventTopic::EventId.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Registration::Table)
                    .col(pk_uuid(Registration::Id))
                    .col(uuid(Registration::EventId))
                    .col(uuid(Registration::MemberId))
                    .col(string_len(Registration::Status, 16))
                    .col(integer_null(Registration::WaitlistPosition))
                    .col(text_null(Registration::Note))
                    .col(string_len_null(Registration::Attendance, 16))
                    .col(timestamp_with_time_zone(Registration::RegisteredAt))
                    .col(timestamp_with_time_zone_null(Registration::ConfirmedAt))
                    .col(timestamp_with_time_zone_null(Registration::CancelledAt))
                    .col(timestamp_with_time_zone(Registration::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Registration::Table, Registration::EventId),
                        (TrainingEvent::Table, TrainingEvent::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Registration::Table, Registration::MemberId),
                        (Member::Table, Member::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One registration per member and event; the viewer's registrations by event.
        unique_index(
            manager,
            "uq_registration_member_event",
            Registration::Table,
            vec![Registration::MemberId.into_iden(), Registration::EventId.into_iden()],
        )
        .await?;
        // The participant list (by status, then registration order) and the waiting list.
        index(
            manager,
            "idx_registration_event_status",
            Registration::Table,
            vec![
                Registration::EventId.into_iden(),
                Registration::Status.into_iden(),
                Registration::WaitlistPosition.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "idx_registration_event_registered",
            Registration::Table,
            vec![
                Registration::EventId.into_iden(),
                Registration::RegisteredAt.into_iden(),
                Registration::Id.into_iden(),
            ],
        )
        .await?;
        Ok(())
    }
}
