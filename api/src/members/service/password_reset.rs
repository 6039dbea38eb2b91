//! A forgotten password: a single-use link (one hour; only its hash is stored) to the address of
//! the account, and setting a new password with it, which ends every session of the member.
//! Asking answers the same, in the same time, whether an account has the address or not.

use std::time::Duration;

use dkbm_entity::{TokenPurpose, member};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::lookup::{member_by_email, member_by_id};
use super::sessions::{RevokeReason, revoke_sessions_of};
use super::throttle;
use super::verification::{end_tokens, invalid_link, issue_token, redeem_token};
use crate::auth::passwords;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;
use crate::graphql::ClientAddress;
use crate::mail::{Mail, Recipient};

/// Every answer to a request takes at least this long, so that its time tells nothing about
/// whether the address has an account.
const ANSWER_TIME: Duration = Duration::from_millis(400);

/// Requests from one address, and from one client address, per hour.
const PER_ADDRESS: u64 = 3;
const PER_CLIENT: u64 = 20;

/// Sends a reset link if an account has `email`. The answer is the same either way; only the
/// throttles (per address and per client address, whether an account exists or not) answer
/// RATE_LIMITED.
pub async fn request_password_reset(writer: &Writer, email: &str, client: ClientAddress) -> AppResult<()> {
    let started = tokio::time::Instant::now();
    let outcome = send_reset_link(writer, email, client).await;
    tokio::time::sleep_until(started + ANSWER_TIME).await;
    outcome
}

async fn send_reset_link(writer: &Writer, email: &str, client: ClientAddress) -> AppResult<()> {
    let email = email.trim().to_lowercase();
    let work = UnitOfWork::begin(writer).await?;
    throttle::hit(&work, throttle::PASSWORD_RESET_ADDRESS, &email, PER_ADDRESS).await?;
    if let Some(ip) = client.0 {
        throttle::hit(&work, throttle::PASSWORD_RESET_CLIENT, &ip.to_string(), PER_CLIENT).await?;
    }
    if let Some(member) = member_by_email(&work, &email).await? {
        // A newer link ends the older ones: only the last mail's link works.
        end_tokens(&work, member.id.into(), TokenPurpose::ResetPassword).await?;
        let token = issue_token(
            &work,
            member.id.into(),
            TokenPurpose::ResetPassword,
            &member.email,
            chrono::Duration::hours(1),
        )
        .await?;
        let link = work.mailer()?.link(&format!("/reset-password?token={token}"));
        work.send(Mail::new(
            "password_reset",
            Recipient::member(&member),
            minijinja::context! { link },
        ))?;
    }
    work.commit().await
}

/// Sets a new password with the token of a reset link; every session of the member ends. The
/// link also proves the address.
pub async fn reset_password(writer: &Writer, token: &str, new_password: &str) -> AppResult<member::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let proof = redeem_token(&work, "token", TokenPurpose::ResetPassword, token).await?;
    // A password set ends every other reset link of the member.
    end_tokens(&work, proof.member_id.into(), TokenPurpose::ResetPassword).await?;
    let current = member_by_id(&work, proof.member_id.into())
        .await?
        .filter(|member| member.email == proof.email)
        .ok_or_else(|| invalid_link("token"))?;
    passwords::check_strength("newPassword", new_password, &[&current.email, &current.display_name])?;
    let hash = passwords::hash(new_password).await?;
    let at = now();
    let mut model: member::ActiveModel = current.into();
    model.password_hash = Set(hash);
    model.email_verified_at = Set(Some(at));
    model.updated_at = Set(at);
    let updated = model.update(&work).await?;
    revoke_sessions_of(&work, updated.id.into(), None, RevokeReason::PasswordChanged).await?;
    work.commit().await?;
    Ok(updated)
}
