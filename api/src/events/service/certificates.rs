//! Attendance certificates (Teilnahmebescheinigungen): for a registration whose attendance the
//! organisers recorded, the member and the organisers get a certificate with a verification
//! code; anyone can check a code (`verifyCertificate`, `/certificates/{code}`). The code is made
//! the first time the certificate is asked for and stays the same afterwards.

use chrono::{DateTime, Utc};
use dkbm_entity::{
    RegistrationStatus, agency, certificate, member, registration, topic, training_event, training_event_topic,
};
use rand::Rng;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::access::{may_see_registration, registration_by_id};
use crate::auth::{Viewer, ensure_signed_in};
use crate::db::{Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::RegistrationId;
use crate::messages::MessageKey;

/// What a certificate states.
#[derive(Debug, Clone)]
pub struct CertificateFacts {
    pub code: String,
    pub member_name: String,
    pub event_title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    /// The event's duration in hours (to the quarter hour).
    pub hours: f64,
    /// The event's topics, in German.
    pub topics: Vec<String>,
    pub organizer: String,
}

/// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new code: three groups of four (about 59 bits).
fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let groups: Vec<String> = (0..3)
        .map(|_| {
            (0..4)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect()
        })
        .collect();
    groups.join("-")
}

/// The certificate of a registration, for the member themself and the event's organisers
/// (anyone else: NOT_FOUND); only once attendance is recorded.
pub async fn certificate(writer: &Writer, viewer: &Viewer, id: RegistrationId) -> AppResult<CertificateFacts> {
    ensure_signed_in(viewer)?;
    let db = writer.conn();
    let not_found = || AppError::not_found(MessageKey::NoSuchRegistration);
    let registration = registration_by_id(db, id).await?.ok_or_else(not_found)?;
    let event = training_event::Entity::find_by_id(registration.event_id)
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    if !may_see_registration(viewer, &registration, &event) {
        return Err(not_found());
    }
    if registration.status != RegistrationStatus::Attended {
        return Err(AppError::conflict(
            "registrationId",
            MessageKey::CertificateNeedsAttendance,
        ));
    }
    let issued = certificate::ActiveModel {
        code: Set(new_code()),
        registration_id: Set(registration.id),
        issued_at: Set(now()),
    };
    // Asked for twice at once: one code wins, both read it.
    certificate::Entity::insert(issued)
        .on_conflict(
            OnConflict::column(certificate::Column::RegistrationId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let stored = certificate::Entity::find()
        .filter(certificate::Column::RegistrationId.eq(registration.id))
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    facts(db, stored.code, &registration, &event).await
}

/// What the certificate with `code` states; `None` for a code nobody was given (any spelling
/// of case and dashes is read).
pub async fn verify_certificate(db: &impl ConnectionTrait, code: &str) -> AppResult<Option<CertificateFacts>> {
    let plain: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if plain.len() != 12 {
        return Ok(None);
    }
    let code = format!("{}-{}-{}", &plain[..4], &plain[4..8], &plain[8..]);
    let Some(stored) = certificate::Entity::find_by_id(code.clone()).one(db).await? else {
        return Ok(None);
    };
    let Some(registration) = registration::Entity::find_by_id(stored.registration_id).one(db).await? else {
        return Ok(None);
    };
    // A registration whose attendance was taken back no longer certifies it.
    if registration.status != RegistrationStatus::Attended {
        return Ok(None);
    }
    let Some(event) = training_event::Entity::find_by_id(registration.event_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    facts(db, code, &registration, &event).await.map(Some)
}

async fn facts(
    db: &impl ConnectionTrait,
    code: String,
    registration: &registration::Model,
    event: &training_event::Model,
) -> AppResult<CertificateFacts> {
    let member = member::Entity::find_by_id(registration.member_id).one(db).await?;
    let organizer = agency::Entity::find_by_id(event.organizer_agency_id).one(db).await?;
    let topic_ids: Vec<uuid::Uuid> = training_event_topic::Entity::find()
        .filter(training_event_topic::Column::EventId.eq(event.id))
        .all(db)
        .await?
        .into_iter()
        .map(|link| link.topic_id)
        .collect();
    let topics = topic::Entity::find()
        .filter(topic::Column::Id.is_in(topic_ids))
        .order_by_asc(topic::Column::Position)
        .all(db)
        .await?;
    let minutes = (event.ends_at - event.starts_at).num_minutes().max(0);
    Ok(CertificateFacts {
        code,
        member_name: member.map(|member| member.display_name).unwrap_or_default(),
        event_title: event.title.clone(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        time_zone: event.time_zone.clone(),
        hours: ((minutes as f64) / 15.0).round() / 4.0,
        topics: topics.into_iter().map(|topic| topic.label_de).collect(),
        organizer: organizer.map(|agency| agency.name).unwrap_or_default(),
    })
}
