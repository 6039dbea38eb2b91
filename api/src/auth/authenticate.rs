//! From credentials to a [`Viewer`]: the operator token, a member's access token, or an agency
//! client's signed assertion. Every failure gives the same answer.

use dkbm_entity::{Role, member, member_role, session};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ActiveEnum, ConnectionTrait};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::Auth;
use super::{Grant, MemberViewer, Viewer, client_assertion, tokens};
use crate::error::{AppError, AppResult};
use crate::messages::MessageKey;

/// The one answer to credentials that do not verify: no detail of why.
pub fn invalid_credentials() -> AppError {
    AppError::unauthenticated(MessageKey::InvalidCredentials)
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer_token(header: &str) -> AppResult<&str> {
    let (scheme, token) = header.trim().split_once(' ').ok_or_else(invalid_credentials)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(invalid_credentials());
    }
    Ok(token.trim())
}

/// The `Authorization` header of a request: none, or its text. A header that is not visible
/// ASCII (a credential cannot be read) is an invalid credential, not an absent one: 401, never
/// the anonymous answer.
pub fn authorization_header(headers: &http::HeaderMap) -> AppResult<Option<&str>> {
    match headers.get(http::header::AUTHORIZATION) {
        None => Ok(None),
        Some(value) => value.to_str().map(Some).map_err(|_| invalid_credentials()),
    }
}

/// Resolves the `Authorization` header value (if any) to a viewer.
pub async fn authenticate(auth: &Auth, authorization: Option<&str>) -> AppResult<Viewer> {
    let Some(header) = authorization else {
        return Ok(Viewer::Anonymous);
    };
    let token = bearer_token(header)?;
    if let Some(admin_token) = &auth.admin_token
        && !admin_token.is_empty()
        && bool::from(token.as_bytes().ct_eq(admin_token.as_bytes()))
    {
        return Ok(Viewer::Operator);
    }
    let header = jsonwebtoken::decode_header(token).map_err(|_| invalid_credentials())?;
    let issuer = client_assertion::claimed_issuer(token).ok_or_else(invalid_credentials)?;
    if issuer == auth.config.issuer {
        member_viewer(auth, token, &header).await.map(Viewer::Member)
    } else {
        client_assertion::verify(auth, token, &header, &issuer)
            .await
            .map(Viewer::Client)
    }
}

/// Verifies a member's access token (signature and claims, no database), then checks with
/// one indexed statement that the member still exists and the session is not revoked, and
/// loads the member's current grants.
async fn member_viewer(auth: &Auth, token: &str, header: &jsonwebtoken::Header) -> AppResult<MemberViewer> {
    let kid = header.kid.as_deref().ok_or_else(invalid_credentials)?;
    let key = auth.keys.decoding_key(kid).await.ok_or_else(invalid_credentials)?;
    let claims = jsonwebtoken::decode::<tokens::AccessClaims>(token, &key, &tokens::validation(&auth.config))
        .map_err(|_| invalid_credentials())?
        .claims;
    let member_id = Uuid::parse_str(&claims.sub).map_err(|_| invalid_credentials())?;
    let session_id = Uuid::parse_str(&claims.sid).map_err(|_| invalid_credentials())?;
    let (live, grants) = member_state(&auth.db, member_id, session_id).await?;
    if !live {
        return Err(invalid_credentials());
    }
    Ok(MemberViewer {
        id: member_id,
        session_id,
        grants,
    })
}

/// Whether the member exists with a live session, and their grants: one statement.
pub async fn member_state(
    db: &impl ConnectionTrait,
    member_id: Uuid,
    session_id: Uuid,
) -> AppResult<(bool, Vec<Grant>)> {
    let m = Alias::new("m");
    let r = Alias::new("r");
    let s = Alias::new("s");
    let query = Query::select()
        .expr_as(Expr::col((s.clone(), session::Column::Id)), Alias::new("session_id"))
        .expr_as(Expr::col((r.clone(), member_role::Column::Role)), Alias::new("role"))
        .expr_as(
            Expr::col((r.clone(), member_role::Column::AgencyId)),
            Alias::new("agency_id"),
        )
        .expr_as(
            Expr::col((r.clone(), member_role::Column::MunicipalityId)),
            Alias::new("municipality_id"),
        )
        .from_as(member::Entity, m.clone())
        .join_as(
            JoinType::LeftJoin,
            session::Entity,
            s.clone(),
            Expr::col((s.clone(), session::Column::Id))
                .eq(session_id)
                .and(Expr::col((s.clone(), session::Column::MemberId)).equals((m.clone(), member::Column::Id)))
                .and(Expr::col((s.clone(), session::Column::RevokedAt)).is_null())
                .and(Expr::col((s.clone(), session::Column::ExpiresAt)).gt(crate::db::now())),
        )
        .join_as(
            JoinType::LeftJoin,
            member_role::Entity,
            r.clone(),
            Expr::col((r.clone(), member_role::Column::MemberId)).equals((m.clone(), member::Column::Id)),
        )
        .and_where(Expr::col((m, member::Column::Id)).eq(member_id))
        .to_owned();
    let rows = db.query_all(&query).await?;
    let Some(first) = rows.first() else {
        return Ok((false, Vec::new()));
    };
    let live = first.try_get::<Option<Uuid>>("", "session_id")?.is_some();
    let mut grants = Vec::new();
    for row in &rows {
        let role: Option<String> = row.try_get("", "role")?;
        let Some(role) = role.and_then(|name| Role::try_from_value(&name).ok()) else {
            continue;
        };
        grants.push(Grant {
            role,
            agency_id: row.try_get("", "agency_id")?,
            municipality_id: row.try_get("", "municipality_id")?,
        });
    }
    Ok((live, grants))
}
