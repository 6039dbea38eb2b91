//! What a certificate's verification code stands for.

use async_graphql::SimpleObject;
use chrono::NaiveDate;

use crate::events::service::CertificateFacts;

/// The answer to `verifyCertificate`: whether an attendance certificate with the code was
/// issued and, if so, what it certifies (every other field null when not).
#[derive(SimpleObject, Default)]
#[graphql(cache_control(max_age = 0))]
pub struct CertificateVerification {
    /// Whether the code belongs to a certificate the platform issued (and the attendance still
    /// stands).
    pub valid: bool,
    /// The participant's name.
    pub member_name: Option<String>,
    /// The event's title.
    pub event_title: Option<String>,
    /// The day the event began, in its time zone.
    pub event_date: Option<NaiveDate>,
    /// Its length in hours (to the quarter hour).
    pub hours: Option<f64>,
    /// The organising agency's name.
    pub organizer: Option<String>,
}

impl From<Option<CertificateFacts>> for CertificateVerification {
    fn from(facts: Option<CertificateFacts>) -> Self {
        let Some(facts) = facts else {
            return CertificateVerification::default();
        };
        let tz: chrono_tz::Tz = facts.time_zone.parse().unwrap_or(chrono_tz::Tz::Europe__Berlin);
        CertificateVerification {
            valid: true,
            member_name: Some(facts.member_name),
            event_title: Some(facts.event_title),
            event_date: Some(facts.starts_at.with_timezone(&tz).date_naive()),
            hours: Some(facts.hours),
            organizer: Some(facts.organizer),
        }
    }
}
