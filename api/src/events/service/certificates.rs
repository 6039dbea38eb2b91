//! Attendance certificates (Teilnahmebescheinigungen): for a registration whose attendance the
//! organisers recorded, the member and the organisers get a certificate with a verification
//! code; anyone can check a code (`verifyCertificate`, `/certificates/{code}`). The code is made
//! the first time the certificate is asked for (or the event is completed: every participant
//! then gets theirs by mail) and stays the same afterwards.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dkbm_entity::{
    RegistrationStatus, agency, certificate, member, registration, topic, training_event, training_event_topic,
};
use rand::Rng;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::access::{may_see_registration, registration_by_id};
use crate::auth::{Viewer, ensure_signed_in};
use crate::db::{UnitOfWork, Writer, now};
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

/// What the certificates of one event share.
struct EventFacts {
    organizer: String,
    topics: Vec<String>,
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

/// The codes of `registrations`, issued now where they have none (one statement to issue, one
/// to read; a registration asked for twice at once keeps the first code).
async fn issue_codes(db: &impl ConnectionTrait, registrations: &[Uuid]) -> AppResult<HashMap<Uuid, String>> {
    let issued = registrations.iter().map(|id| certificate::ActiveModel {
        code: Set(new_code()),
        registration_id: Set(*id),
        issued_at: Set(now()),
    });
    certificate::Entity::insert_many(issued)
        .on_conflict(
            OnConflict::column(certificate::Column::RegistrationId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(certificate::Entity::find()
        .filter(certificate::Column::RegistrationId.is_in(registrations.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|certificate| (certificate.registration_id, certificate.code))
        .collect())
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
    let code = issue_codes(db, &[registration.id])
        .await?
        .remove(&registration.id)
        .ok_or_else(not_found)?;
    facts_of(db, code, &registration, &event).await
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
    facts_of(db, code, &registration, &event).await.map(Some)
}

/// At an event's completion (in its transaction): every participant whose attendance was
/// recorded gets their certificate by mail, the PDF attached (queries for the event, not per
/// participant).
pub async fn send_certificates(work: &UnitOfWork, event: &training_event::Model) -> AppResult<()> {
    let attended = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Attended))
        .all(work)
        .await?;
    if attended.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = attended.iter().map(|registration| registration.id).collect();
    let codes = issue_codes(work, &ids).await?;
    let members: HashMap<Uuid, member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(attended.iter().map(|registration| registration.member_id)))
        .all(work)
        .await?
        .into_iter()
        .map(|member| (member.id, member))
        .collect();
    let shared = event_facts(work, event).await?;
    let verify = |code: &str| work.mailer().map(|mailer| mailer.url(&format!("/certificates/{code}")));
    for registration in &attended {
        let (Some(code), Some(member)) = (codes.get(&registration.id), members.get(&registration.member_id)) else {
            continue;
        };
        let facts = facts(code.clone(), &member.display_name, event, &shared);
        let Some(pdf) = crate::events::exports::certificate_pdf(&facts, &verify(code)?) else {
            continue;
        };
        work.send(super::mail::completion_mail(
            work,
            event,
            registration,
            member,
            (code, pdf),
        )?)?;
    }
    Ok(())
}

async fn event_facts(db: &impl ConnectionTrait, event: &training_event::Model) -> AppResult<EventFacts> {
    let organizer = agency::Entity::find_by_id(event.organizer_agency_id).one(db).await?;
    let topic_ids: Vec<Uuid> = training_event_topic::Entity::find()
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
    Ok(EventFacts {
        organizer: organizer.map(|agency| agency.name).unwrap_or_default(),
        topics: topics.into_iter().map(|topic| topic.label_de).collect(),
    })
}

/// The facts of one certificate, reading what it needs.
async fn facts_of(
    db: &impl ConnectionTrait,
    code: String,
    registration: &registration::Model,
    event: &training_event::Model,
) -> AppResult<CertificateFacts> {
    let member = member::Entity::find_by_id(registration.member_id).one(db).await?;
    let name = member.map(|member| member.display_name).unwrap_or_default();
    Ok(facts(code, &name, event, &event_facts(db, event).await?))
}

fn facts(code: String, member_name: &str, event: &training_event::Model, shared: &EventFacts) -> CertificateFacts {
    let minutes = (event.ends_at - event.starts_at).num_minutes().max(0);
    CertificateFacts {
        code,
        member_name: member_name.to_owned(),
        event_title: event.title.clone(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        time_zone: event.time_zone.clone(),
        hours: ((minutes as f64) / 15.0).round() / 4.0,
        topics: shared.topics.clone(),
        organizer: shared.organizer.clone(),
    }
}
