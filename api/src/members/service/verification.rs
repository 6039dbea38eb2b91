//! Proving an address: the single-use link of a verification mail (48 hours; only its hash is
//! stored), sending a new one, and changing the address (the new one is proven first, the old
//! one is told).

use dkbm_entity::{TokenPurpose, account_token, member};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::lookup::{member_by_email, member_by_id};
use super::sessions::{new_secret, sha256_hex};
use super::throttle;
use crate::auth::{Viewer, ensure_member, passwords};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{MemberId, TypedId};
use crate::mail::{Mail, Recipient};
use crate::messages::MessageKey;
use crate::validate;

/// How long a verification link is valid.
const VERIFY_HOURS: i64 = 48;

/// The one answer for a token that is unknown, used or expired.
pub fn invalid_link(field: &str) -> AppError {
    AppError::bad_input(field, MessageKey::LinkInvalid)
}

/// Stores a new single-use token for `member` (hashed) and returns it.
pub async fn issue_token(
    work: &UnitOfWork,
    member_id: MemberId,
    purpose: TokenPurpose,
    email: &str,
    valid: chrono::Duration,
) -> AppResult<String> {
    let token = new_secret();
    let at = now();
    account_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member_id.uuid()),
        purpose: Set(purpose),
        token_hash: Set(sha256_hex(&token)),
        email: Set(email.to_owned()),
        expires_at: Set(at + valid),
        used_at: Set(None),
        created_at: Set(at),
    }
    .insert(work)
    .await?;
    Ok(token)
}

/// Ends every unused token of `purpose` of the member (marks it used).
pub async fn end_tokens(work: &UnitOfWork, member_id: MemberId, purpose: TokenPurpose) -> AppResult<()> {
    use sea_orm::sea_query::Expr;
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(now()))
        .filter(account_token::Column::MemberId.eq(member_id))
        .filter(account_token::Column::Purpose.eq(purpose))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(work)
        .await?;
    Ok(())
}

/// Takes the unused, unexpired token `token` of `purpose` (locked, marked used), or answers
/// BAD_USER_INPUT on `field`.
pub async fn redeem_token(
    work: &UnitOfWork,
    field: &str,
    purpose: TokenPurpose,
    token: &str,
) -> AppResult<account_token::Model> {
    let at = now();
    let found = work
        .lock(
            account_token::Entity::find()
                .filter(account_token::Column::TokenHash.eq(sha256_hex(token.trim())))
                .filter(account_token::Column::Purpose.eq(purpose)),
        )
        .await?
        .filter(|row| row.used_at.is_none() && row.expires_at > at)
        .ok_or_else(|| invalid_link(field))?;
    let mut used: account_token::ActiveModel = found.clone().into();
    used.used_at = Set(Some(at));
    used.update(work).await?;
    Ok(found)
}

/// Sends `member` a verification link for `email` (their address, or the new one they asked for).
pub async fn send_verification(work: &UnitOfWork, member: &member::Model, email: &str) -> AppResult<()> {
    let valid = chrono::Duration::hours(VERIFY_HOURS);
    let token = issue_token(work, member.id.into(), TokenPurpose::VerifyEmail, email, valid).await?;
    let mailer = work.mailer()?;
    let mut to = Recipient::member(member);
    to.address = email.to_owned();
    let link = mailer.link(&format!("/verify-email?token={token}"));
    work.send(Mail::new("verify_email", to, minijinja::context! { link }))
}

/// Proves an address with the token of its link: the member's address is (now) verified, and
/// for a change of address the new one replaces the old.
pub async fn verify_email(writer: &Writer, token: &str) -> AppResult<member::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let proof = redeem_token(&work, "token", TokenPurpose::VerifyEmail, token).await?;
    let current = member_by_id(&work, proof.member_id.into())
        .await?
        .ok_or_else(|| invalid_link("token"))?;
    let mut model: member::ActiveModel = current.into();
    model.email = Set(proof.email.clone());
    model.email_verified_at = Set(Some(now()));
    model.updated_at = Set(now());
    let updated = model
        .update(&work)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "token", MessageKey::EmailTakenMeanwhile))?;
    work.commit().await?;
    Ok(updated)
}

/// Sends the viewer a new verification link (at most 5 an hour). False when the address is
/// verified already.
pub async fn resend_verification(writer: &Writer, viewer: &Viewer) -> AppResult<bool> {
    let me = ensure_member(viewer)?;
    let work = UnitOfWork::begin(writer).await?;
    let member = member_by_id(&work, me.id.into())
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    if member.email_verified_at.is_some() {
        return Ok(false);
    }
    throttle::hit(&work, throttle::VERIFICATION_MEMBER, &member.id.to_string(), 5).await?;
    send_verification(&work, &member, &member.email).await?;
    work.commit().await?;
    Ok(true)
}

/// Starts a change of the viewer's address (their password proves it is them): the new address
/// gets a verification link and becomes theirs once it is followed; the old one is told.
pub async fn change_email(
    writer: &Writer,
    viewer: &Viewer,
    new_email: &str,
    password: &str,
) -> AppResult<member::Model> {
    let me = ensure_member(viewer)?;
    let email = validate::email("newEmail", new_email)?;
    let member = member_by_id(writer.conn(), me.id.into())
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    if !passwords::verify(password, Some(&member.password_hash)).await? {
        return Err(AppError::bad_input("password", MessageKey::PasswordWrong));
    }
    if email == member.email {
        return Err(AppError::bad_input("newEmail", MessageKey::EmailUnchanged));
    }
    let work = UnitOfWork::begin(writer).await?;
    if member_by_email(&work, &email).await?.is_some() {
        return Err(AppError::conflict("newEmail", MessageKey::EmailTaken));
    }
    throttle::hit(&work, throttle::VERIFICATION_MEMBER, &member.id.to_string(), 5).await?;
    send_verification(&work, &member, &email).await?;
    let context = minijinja::context! { new_email => &email };
    work.send(Mail::new("email_changed", Recipient::member(&member), context))?;
    work.commit().await?;
    Ok(member)
}

/// The member `member_id`, FORBIDDEN unless they have proven their address: registering for
/// events and posting need it.
pub async fn verified_member(db: &impl ConnectionTrait, member_id: MemberId) -> AppResult<member::Model> {
    let found = member::Entity::find_by_id(member_id).one(db).await?;
    ensure_verified(found.as_ref())?;
    found.ok_or_else(unverified)
}

/// FORBIDDEN unless the member is found and has confirmed their address.
pub fn ensure_verified(member: Option<&member::Model>) -> AppResult<()> {
    if member.is_some_and(|member| member.email_verified_at.is_some()) {
        Ok(())
    } else {
        Err(unverified())
    }
}

fn unverified() -> AppError {
    AppError::forbidden(MessageKey::ConfirmEmailFirst)
}
