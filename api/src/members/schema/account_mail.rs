//! Mutations of the account that work by mail: proving an address, changing it, a forgotten
//! password, and the notification settings.

use async_graphql::{Context, Object};

use super::{Member, NotificationSettingsInput};
use crate::graphql::{ClientAddress, ContextExt};
use crate::members::service;

/// Mutations of the account that work by mail.
#[derive(Default)]
pub struct AccountMailMutation;

#[Object]
impl AccountMailMutation {
    /// Proves the address with the token of a verification link (valid 48 hours, once). For a
    /// change of address, the new address replaces the old one now.
    async fn verify_email(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the link in the verification mail.")] token: String,
    ) -> async_graphql::Result<Member> {
        Ok(service::verify_email(&ctx.state()?.writer, &token).await?.into())
    }

    /// Sends the signed-in member a new verification link (at most 5 an hour). False when the
    /// address is verified already.
    async fn resend_verification(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(service::resend_verification(&ctx.state()?.writer, ctx.viewer()?).await?)
    }

    /// Changes the signed-in member's address: the new address gets a verification link and
    /// replaces the old one once it is followed; the old address is told. Returns the member
    /// (still with the old address).
    async fn change_email(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new address.")] new_email: String,
        #[graphql(desc = "The member's password, to prove it is them.")] password: String,
    ) -> async_graphql::Result<Member> {
        Ok(
            service::change_email(&ctx.state()?.writer, ctx.viewer()?, &new_email, &password)
                .await?
                .into(),
        )
    }

    /// Sends a link to set a new password (valid one hour, once) if an account has this
    /// address. Answers true either way, in the same time; RATE_LIMITED after 3 requests for
    /// an address or 20 from a client address within an hour.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's address.")] email: String,
    ) -> async_graphql::Result<bool> {
        let client = ctx.data_opt::<ClientAddress>().copied().unwrap_or_default();
        service::request_password_reset(&ctx.state()?.writer, &email, client).await?;
        Ok(true)
    }

    /// Sets a new password with the token of a reset link (the same rules as at sign-up);
    /// every session of the member ends, so they sign in again.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the link in the reset mail.")] token: String,
        #[graphql(desc = "The new password.")] new_password: String,
    ) -> async_graphql::Result<bool> {
        service::reset_password(&ctx.state()?.writer, &token, &new_password).await?;
        Ok(true)
    }

    /// Replaces the signed-in member's personal calendar URL (`Member.calendarUrl`): the old
    /// one answers 404 from now on. The new URL.
    async fn reset_calendar_url(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let state = ctx.state()?;
        let token = service::reset_calendar_token(&state.writer, ctx.viewer()?).await?;
        Ok(state.mail.url(&service::calendar_path(&token)))
    }

    /// Changes how the platform notifies the signed-in member by mail.
    async fn update_notification_settings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: NotificationSettingsInput,
    ) -> async_graphql::Result<Member> {
        let changes = service::NotificationChanges {
            forum_mail: input.forum_mail.map(Into::into),
            event_reminders: input.event_reminders,
        };
        Ok(
            service::update_notification_settings(&ctx.state()?.writer, ctx.viewer()?, changes)
                .await?
                .into(),
        )
    }
}
