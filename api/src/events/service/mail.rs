//! What registrants and participants are told by mail, in the transaction of the change: a
//! confirmed seat (with the event as an invitation, METHOD:REQUEST), a place on the waiting list,
//! moving up to a seat, a cancelled registration, a moved event (an updated invitation, its
//! SEQUENCE raised) and a cancelled one (METHOD:CANCEL with the reason). The online link goes
//! only to those with a seat, as in the API.

use std::collections::HashMap;

use chrono_tz::Tz;
use dkbm_entity::{member, registration, training_event};
use minijinja::{Value, context};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::db::UnitOfWork;
use crate::error::AppResult;
use crate::events::exports::{invitation, location};
use crate::ids::AgencyId;
use crate::mail::{Attachment, Language, Mail, Recipient};

/// Why registrants are written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A new registration holds a seat.
    Confirmed,
    /// A new registration is on the waiting list (its position is in the registration).
    Waitlisted,
    /// A registration moved up from the waiting list to a seat.
    Promoted,
    /// A registration was cancelled, by the member or by an organiser.
    Cancelled { by_organiser: bool },
    /// The event moved or its place changed.
    Changed { moved: bool, place_changed: bool },
    /// The event is cancelled (the reason is in the event).
    EventCancelled,
    /// The event starts soon.
    Reminder,
}

impl Notice {
    fn kind(self) -> &'static str {
        match self {
            Notice::Confirmed => "registration_confirmed",
            Notice::Waitlisted => "registration_waitlisted",
            Notice::Promoted => "registration_promoted",
            Notice::Cancelled { .. } => "registration_cancelled",
            Notice::Changed { .. } => "event_changed",
            Notice::EventCancelled => "event_cancelled",
            Notice::Reminder => "event_reminder",
        }
    }

    /// Whether the registration changed (and not only its event).
    fn changes_registration(self) -> bool {
        !matches!(self, Notice::Changed { .. } | Notice::Reminder)
    }

    /// The invitation's method, for the notices that carry one.
    fn method(self, holds_seat: bool) -> Option<&'static str> {
        match self {
            Notice::Confirmed | Notice::Promoted => Some("REQUEST"),
            Notice::Changed { .. } if holds_seat => Some("REQUEST"),
            Notice::Cancelled { .. } | Notice::EventCancelled if holds_seat => Some("CANCEL"),
            _ => None,
        }
    }
}

/// When the event takes place, in its time zone, as the language writes it.
fn when(event: &training_event::Model, language: Language) -> String {
    let tz: Tz = event.time_zone.parse().unwrap_or(Tz::Europe__Berlin);
    let (start, end) = (event.starts_at.with_timezone(&tz), event.ends_at.with_timezone(&tz));
    let same_day = start.date_naive() == end.date_naive();
    match (language, same_day) {
        (Language::De, true) => format!("{}–{} Uhr", start.format("%d.%m.%Y, %H:%M"), end.format("%H:%M")),
        (Language::De, false) => format!(
            "{} Uhr – {} Uhr",
            start.format("%d.%m.%Y, %H:%M"),
            end.format("%d.%m.%Y, %H:%M")
        ),
        (Language::En, true) => format!(
            "{}–{} ({})",
            start.format("%-d %b %Y, %H:%M"),
            end.format("%H:%M"),
            tz.name()
        ),
        (Language::En, false) => format!(
            "{} – {} ({})",
            start.format("%-d %b %Y, %H:%M"),
            end.format("%-d %b %Y, %H:%M"),
            tz.name()
        ),
    }
}

fn event_context(work: &UnitOfWork, event: &training_event::Model, language: Language, seat: bool) -> AppResult<Value> {
    let mailer = work.mailer()?;
    let online_url = event.online_url.clone().filter(|_| seat).map(crate::mail::link);
    Ok(context! {
        title => &event.title,
        when => when(event, language),
        place => location(event),
        online_url,
        link => mailer.link(&format!("/events/{}", event.slug)),
    })
}

/// The mail of a completed event to a participant whose attendance was recorded: thanks, the
/// certificate's code and where to check it, the certificate (`pdf`) attached. Sent once per
/// registration.
pub fn completion_mail(
    work: &UnitOfWork,
    event: &training_event::Model,
    registration: &registration::Model,
    member: &member::Model,
    (code, pdf): (&str, Vec<u8>),
) -> AppResult<Mail> {
    let to = Recipient::member(member);
    let event_context = event_context(work, event, to.language, false)?;
    let verify_link = crate::mail::link(work.mailer()?.url(&format!("/certificates/{code}")));
    let mut mail = Mail::new(
        "event_completed",
        to,
        context! { event => event_context, code, verify_link },
    );
    mail.dedupe_key = Some(format!("certificate:{}", registration.id));
    Ok(mail.attach(Attachment {
        filename: format!("Teilnahmebescheinigung-{code}.pdf"),
        content_type: "application/pdf".into(),
        body: pdf,
    }))
}

/// Writes to the members of `registrations` about `event` (one query for the members).
pub async fn notify(
    work: &UnitOfWork,
    event: &training_event::Model,
    registrations: &[registration::Model],
    notice: Notice,
) -> AppResult<()> {
    let pairs: Vec<_> = registrations.iter().map(|r| (event, r)).collect();
    notify_each(work, &pairs, notice).await
}

/// Writes to the member of each registration about its event (one query for all members).
pub async fn notify_each(
    work: &UnitOfWork,
    registrations: &[(&training_event::Model, &registration::Model)],
    notice: Notice,
) -> AppResult<()> {
    if registrations.is_empty() {
        return Ok(());
    }
    let ids = registrations.iter().map(|(_, r)| r.member_id);
    let members: HashMap<_, _> = member::Entity::find()
        .filter(member::Column::Id.is_in(ids))
        .all(work)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let events: Vec<&training_event::Model> = registrations.iter().map(|(event, _)| *event).collect();
    let organizers = organizers(work, &events).await?;
    for (event, registration) in registrations {
        if let Some(member) = members.get(&registration.member_id) {
            notify_member(work, (event, &organizers), registration, member, notice)?;
        }
    }
    Ok(())
}

/// The contact addresses of the agencies organising `events`, which their invitations name as
/// ORGANIZER (replies reach people); one query for all.
pub async fn organizers(work: &UnitOfWork, events: &[&training_event::Model]) -> AppResult<Organizers> {
    let ids: Vec<AgencyId> = events.iter().map(|event| event.organizer_agency_id.into()).collect();
    Ok(Organizers(crate::directory::service::agency_contacts(work, ids).await?))
}

/// The contact addresses of organising agencies, by agency.
pub struct Organizers(HashMap<AgencyId, String>);

impl Organizers {
    /// The ORGANIZER of `event`'s invitations: its agency's contact address, or the platform's
    /// sender address when the agency has none.
    fn of(&self, work: &UnitOfWork, event: &training_event::Model) -> AppResult<String> {
        match self.0.get(&AgencyId::from(event.organizer_agency_id)) {
            Some(address) => Ok(address.clone()),
            None => Ok(work.mailer()?.sender().to_string()),
        }
    }
}

/// Writes to `member` (at hand: no query) about their registration for `event`.
pub fn notify_member(
    work: &UnitOfWork,
    (event, organizers): (&training_event::Model, &Organizers),
    registration: &registration::Model,
    member: &member::Model,
    notice: Notice,
) -> AppResult<()> {
    // Every change of a registration passes here (its member is told): the webhooks hear of it too.
    if notice.changes_registration() {
        super::occurrences::registration_changed(work, event, registration);
    }
    if notice == Notice::Reminder && !member.event_reminders {
        return Ok(());
    }
    work.send(mail_for(work, (event, organizers), registration, member, notice)?)
}

fn mail_for(
    work: &UnitOfWork,
    (event, organizers): (&training_event::Model, &Organizers),
    registration: &registration::Model,
    member: &member::Model,
    notice: Notice,
) -> AppResult<Mail> {
    let to = Recipient::member(member);
    // A cancelled registration that held a seat gets the invitation withdrawn.
    let seat = registration.status.holds_seat()
        || registration.status == dkbm_entity::RegistrationStatus::Cancelled && registration.confirmed_at.is_some();
    let online =
        registration.status.holds_seat() && !matches!(notice, Notice::EventCancelled | Notice::Cancelled { .. });
    let event_context = event_context(work, event, to.language, online)?;
    let extra = match notice {
        Notice::Waitlisted => context! { position => registration.waitlist_position },
        Notice::Cancelled { by_organiser } => context! { by_organiser },
        Notice::Changed { moved, place_changed } => context! { moved, place_changed },
        Notice::EventCancelled => context! { reason => event.cancellation_reason.clone().unwrap_or_default() },
        _ => context! {},
    };
    let mut mail = Mail::new(notice.kind(), to, context! { event => event_context, ..extra });
    if let Some(method) = notice.method(seat) {
        let organizer = organizers.of(work, event)?;
        mail = mail.attach(Attachment {
            filename: "einladung.ics".into(),
            content_type: format!("text/calendar; charset=utf-8; method={method}"),
            body: invitation(event, method, &organizer, (&member.display_name, &member.email)).into_bytes(),
        });
    }
    if notice == Notice::Reminder {
        mail.dedupe_key = Some(format!("reminder:{}:{}", registration.id, event.starts_at.timestamp()));
    }
    Ok(mail)
}
