//! A member's registration for a training event, as organisers and the member see it.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::registration;

use super::{Attendance, EventQuota, RegistrationStatus, TrainingEvent};
use crate::events::loaders::EventLoaders;
use crate::events::service;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::members::loaders::MemberLoaders;
use crate::members::schema::Member;
use crate::messages::MessageKey;

/// A member's registration for a training event. Visible to the member and the organisers.
pub struct Registration(pub registration::Model);

impl From<registration::Model> for Registration {
    fn from(model: registration::Model) -> Self {
        Registration(model)
    }
}

/// A member's registration for a training event. Visible to the member and the organisers.
#[Object(cache_control(private))]
impl Registration {
    /// The registration's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// Where it stands.
    async fn status(&self) -> RegistrationStatus {
        self.0.status.into()
    }

    /// Place on the waiting list (1 is next); null unless WAITLISTED.
    async fn waitlist_position(&self) -> Option<i32> {
        self.0.waitlist_position
    }

    /// The event.
    async fn event(&self, ctx: &Context<'_>) -> async_graphql::Result<TrainingEvent> {
        ctx.loaders::<EventLoaders>()?
            .event(self.0.event_id.into())
            .await?
            .map(TrainingEvent)
            .ok_or_else(|| crate::error::AppError::not_found(MessageKey::NoSuchEvent).into())
    }

    /// The seat quota whose seat it holds (null on the waiting list, cancelled, or with a seat
    /// of the general pool).
    async fn quota(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<EventQuota>> {
        let Some(id) = self.0.quota_id else {
            return Ok(None);
        };
        Ok(ctx.loaders::<EventLoaders>()?.quota(id.into()).await?.map(EventQuota))
    }

    /// The member who registered.
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Member> {
        ctx.loaders::<MemberLoaders>()?
            .member(self.0.member_id.into())
            .await?
            .map(Member::from)
            .ok_or_else(|| crate::error::AppError::not_found(MessageKey::NoSuchMember).into())
    }

    /// The participant's email, so that the organisers can reach them: for whoever sees the
    /// registration (the member, and the event's organisers: the organising agency's editors
    /// and API clients, administrators). `Member.email` stays the member's and administrators'.
    async fn email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(event) = ctx.loaders::<EventLoaders>()?.event(self.0.event_id.into()).await? else {
            return Ok(None);
        };
        if !service::may_see_registration(ctx.viewer()?, &self.0, &event) {
            return Ok(None);
        }
        Ok(ctx
            .loaders::<MemberLoaders>()?
            .member(self.0.member_id.into())
            .await?
            .map(|member| member.email))
    }

    /// Where the attendance certificate (Teilnahmebescheinigung, a PDF) is fetched with the
    /// Bearer token of the member or an organiser; null until the organisers recorded the
    /// attendance.
    async fn certificate_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if self.0.status != dkbm_entity::RegistrationStatus::Attended {
            return Ok(None);
        }
        let id = Self::global_id(self.0.id.into());
        Ok(Some(
            ctx.state()?
                .mail
                .url(&format!("/registrations/{}/certificate.pdf", id.as_str())),
        ))
    }

    /// The member's note to the organisers.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// What the organisers recorded about attendance (after the start).
    async fn attendance(&self) -> Option<Attendance> {
        self.0.attendance.map(Into::into)
    }

    /// When the member registered (the order of the waiting list).
    async fn registered_at(&self) -> DateTime<Utc> {
        self.0.registered_at
    }

    /// When the registration got its seat.
    async fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.0.confirmed_at
    }

    /// When it was cancelled.
    async fn cancelled_at(&self) -> Option<DateTime<Utc>> {
        self.0.cancelled_at
    }
}

connection_type!(
    RegistrationConnection,
    RegistrationEdge,
    Registration,
    registration::Model,
    "A page of registrations (a Relay connection with keyset cursors).",
    "A registration with its cursor."
);
