//! Sessions and their refresh tokens: opaque random tokens, stored only as SHA-256 hashes,
//! rotated on every refresh; presenting a used token again revokes the whole session (its
//! family), because only a thief or a broken client would do that.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use dkbm_entity::{member, refresh_token, session};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::lookup::grants_of;
use crate::auth::{Auth, invalid_credentials, tokens};
use crate::config::AuthConfig;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;
use crate::ids::{MemberId, SessionId, TypedId};

/// What a successful sign-in returns.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token expires.
    pub expires_at: DateTime<Utc>,
    pub member: member::Model,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy)]
pub enum RevokeReason {
    LogOut,
    ReuseDetected,
    PasswordChanged,
}

impl RevokeReason {
    fn as_str(self) -> &'static str {
        match self {
            RevokeReason::LogOut => "LOGOUT",
            RevokeReason::ReuseDetected => "REUSE_DETECTED",
            RevokeReason::PasswordChanged => "PASSWORD_CHANGED",
        }
    }
}

/// Hex SHA-256 of a secret (refresh tokens, emails for the login counter).
pub fn sha256_hex(value: &str) -> String {
    crate::text::sha256_hex(value, 32)
}

/// A new random secret for a link or a token (32 bytes, URL-safe base64).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn refresh_expiry(config: &AuthConfig) -> DateTime<Utc> {
    now() + chrono::Duration::from_std(config.refresh_token_ttl()).unwrap_or(chrono::Duration::days(30))
}

async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    session_id: SessionId,
    expires_at: DateTime<Utc>,
) -> AppResult<String> {
    let token = new_secret();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(session_id.uuid()),
        token_hash: Set(sha256_hex(&token)),
        issued_at: Set(now()),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Starts a session for a member whose credentials were checked; returns both tokens.
pub async fn start_session(writer: &Writer, auth: &Auth, member: member::Model) -> AppResult<SignedIn> {
    let expires_at = refresh_expiry(&auth.config);
    let work = UnitOfWork::begin(writer).await?;
    let at = now();
    let session = session::ActiveModel {
        id: Set(Uuid::now_v7()),
        member_id: Set(member.id),
        created_at: Set(at),
        last_refreshed_at: Set(at),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        revoke_reason: Set(None),
    }
    .insert(&work)
    .await?;
    let session_id = SessionId::from(session.id);
    let refresh_token = insert_refresh_token(&work, session_id, expires_at).await?;
    work.commit().await?;
    sign_in_payload(writer, auth, member, session_id, refresh_token).await
}

async fn sign_in_payload(
    writer: &Writer,
    auth: &Auth,
    member: member::Model,
    session_id: SessionId,
    refresh_token: String,
) -> AppResult<SignedIn> {
    let grants = grants_of(writer.conn(), member.id.into()).await?;
    let (access_token, expires_at) = tokens::issue(&auth.keys, &auth.config, member.id, session_id.uuid(), &grants)?;
    Ok(SignedIn {
        access_token,
        refresh_token,
        expires_at,
        member,
    })
}

async fn revoke(db: &impl ConnectionTrait, session_id: SessionId, reason: RevokeReason) -> AppResult<()> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .col_expr(session::Column::RevokeReason, Expr::value(reason.as_str()))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every live session of a member, but `except` (the current one).
pub async fn revoke_sessions_of(
    db: &impl ConnectionTrait,
    member_id: MemberId,
    except: Option<SessionId>,
    reason: RevokeReason,
) -> AppResult<()> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .col_expr(session::Column::RevokeReason, Expr::value(reason.as_str()))
        .filter(session::Column::MemberId.eq(member_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = except {
        update = update.filter(session::Column::Id.ne(keep));
    }
    update.exec(db).await?;
    Ok(())
}

/// The stored refresh token presented (kept hashed); an unknown one is the one
/// "invalid credentials" answer.
async fn stored_refresh_token(work: &UnitOfWork, token: &str) -> AppResult<refresh_token::Model> {
    refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sha256_hex(token.trim())))
        .one(work)
        .await?
        .ok_or_else(invalid_credentials)
}

/// Exchanges a refresh token for a new pair. A token presented twice revokes its session.
pub async fn refresh_session(writer: &Writer, auth: &Auth, token: &str) -> AppResult<SignedIn> {
    let work = UnitOfWork::begin(writer).await?;
    let stored = stored_refresh_token(&work, token).await?;
    let session = session::Entity::find_by_id(stored.session_id)
        .one(&work)
        .await?
        .ok_or_else(invalid_credentials)?;
    let at = now();
    if session.revoked_at.is_some() || session.expires_at <= at || stored.expires_at <= at {
        return Err(invalid_credentials());
    }
    // Mark used only if nobody did before: a concurrent or repeated use finds it used.
    let marked = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(at))
        .filter(refresh_token::Column::Id.eq(stored.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&work)
        .await?;
    let session_id = SessionId::from(session.id);
    if marked.rows_affected == 0 {
        revoke(&work, session_id, RevokeReason::ReuseDetected).await?;
        work.commit().await?;
        tracing::warn!(session = %session.id, "a used refresh token was presented again; the session is revoked");
        return Err(invalid_credentials());
    }
    let expires_at = refresh_expiry(&auth.config);
    let refresh_token = insert_refresh_token(&work, session_id, expires_at).await?;
    session::Entity::update_many()
        .col_expr(session::Column::LastRefreshedAt, Expr::value(at))
        .col_expr(session::Column::ExpiresAt, Expr::value(expires_at))
        .filter(session::Column::Id.eq(session_id))
        .exec(&work)
        .await?;
    let member = member::Entity::find_by_id(session.member_id)
        .one(&work)
        .await?
        .ok_or_else(invalid_credentials)?;
    work.commit().await?;
    sign_in_payload(writer, auth, member, session_id, refresh_token).await
}

/// Ends the session of a refresh token (its access tokens stop working at once too).
pub async fn log_out(writer: &Writer, token: &str) -> AppResult<()> {
    let work = UnitOfWork::begin(writer).await?;
    let stored = stored_refresh_token(&work, token).await?;
    revoke(&work, stored.session_id.into(), RevokeReason::LogOut).await?;
    work.commit().await?;
    Ok(())
}

/// The viewer's sessions, for the data export.
pub async fn sessions_of(db: &impl ConnectionTrait, member_id: MemberId) -> AppResult<Vec<session::Model>> {
    Ok(session::Entity::find()
        .filter(session::Column::MemberId.eq(member_id))
        .all(db)
        .await?)
}
