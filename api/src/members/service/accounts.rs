//! Accounts: sign-up, log-in with brute-force protection, profile and password.

use dkbm_entity::{ForumMail, Role, login_attempt, member, member_role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::lookup::{member_by_email, member_by_id};
use super::sessions::{RevokeReason, SignedIn, revoke_sessions_of, sha256_hex, start_session};
use super::verification::send_verification;
use crate::auth::{Auth, Viewer, ensure_member, passwords};
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::{require_agency, require_municipality};
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, MemberId, MunicipalityId, SessionId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::validate;

/// A new account.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub municipality_ags: Option<String>,
    pub agency_slug: Option<String>,
    /// `de` (the default) or `en`: the language of the member's mail.
    pub language: Option<String>,
}

/// Changes to the viewer's profile: `None` leaves a field; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub display_name: Option<String>,
    pub municipality_ags: Option<Option<String>>,
    pub agency_slug: Option<Option<String>>,
    /// `de` or `en`.
    pub language: Option<String>,
}

/// A display name: one line (it is a mail's recipient name).
fn display_name(field: &str, value: &str) -> AppResult<String> {
    validate::one_line(field, value, 100)
}

async fn affiliation(
    db: &impl ConnectionTrait,
    municipality_ags: Option<&str>,
    agency_slug: Option<&str>,
) -> AppResult<(Option<MunicipalityId>, Option<AgencyId>)> {
    let municipality = match municipality_ags.map(str::trim).filter(|s| !s.is_empty()) {
        Some(ags) => Some(require_municipality(db, "input.municipalityAgs", ags).await?.id.into()),
        None => None,
    };
    let agency = match agency_slug.map(str::trim).filter(|s| !s.is_empty()) {
        Some(slug) => Some(require_agency(db, "input.agencySlug", slug).await?.id.into()),
        None => None,
    };
    Ok((municipality, agency))
}

/// The language setting `value` (`de`, `en`) of input field `field`.
pub fn language(field: &str, value: &str) -> AppResult<String> {
    match value.trim().to_lowercase().as_str() {
        code @ ("de" | "en") => Ok(code.to_owned()),
        _ => Err(AppError::bad_input(
            field,
            Message::new(MessageKey::LanguageUnknown).with("field", field),
        )),
    }
}

/// Creates an account (validated), without signing in. An account the operator creates counts
/// as verified; any other gets a verification mail in the same transaction.
pub async fn create_member(writer: &Writer, input: &SignUp, verified: bool) -> AppResult<member::Model> {
    let email = validate::email("input.email", &input.email)?;
    let language = match &input.language {
        Some(value) => language("input.language", value)?,
        None => "de".to_owned(),
    };
    let name = display_name("input.displayName", &input.display_name)?;
    passwords::check_strength("input.password", &input.password, &[&email, &name])?;
    let (municipality_id, agency_id) = affiliation(
        writer.conn(),
        input.municipality_ags.as_deref(),
        input.agency_slug.as_deref(),
    )
    .await?;
    let hash = passwords::hash(&input.password).await?;
    let conflict = || AppError::conflict("input.email", MessageKey::EmailTaken);
    let work = UnitOfWork::begin(writer).await?;
    if member_by_email(&work, &email).await?.is_some() {
        return Err(conflict());
    }
    let at = now();
    let model = member::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email),
        display_name: Set(name),
        password_hash: Set(hash),
        municipality_id: Set(municipality_id.map(MunicipalityId::uuid)),
        agency_id: Set(agency_id.map(AgencyId::uuid)),
        created_at: Set(at),
        updated_at: Set(at),
        email_verified_at: Set(verified.then_some(at)),
        language: Set(language),
        forum_mail: Set(ForumMail::Immediate),
        event_reminders: Set(true),
        forum_digest_on: Set(None),
    }
    .insert(&work)
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.email", MessageKey::EmailTaken))?;
    if !verified {
        send_verification(&work, &model, &model.email).await?;
    }
    work.commit().await?;
    Ok(model)
}

/// Creates an account and signs in.
pub async fn sign_up(writer: &Writer, auth: &Auth, input: SignUp) -> AppResult<SignedIn> {
    let member = create_member(writer, &input, false).await?;
    start_session(writer, auth, member).await
}

/// Signs in with email and password. After too many failures for one email within the window,
/// every attempt answers RATE_LIMITED until the window has passed; each attempt counts as a
/// failure until its password is proven right, so parallel attempts cannot slip through.
pub async fn log_in(writer: &Writer, auth: &Auth, email: &str, password: &str) -> AppResult<SignedIn> {
    let email = email.trim().to_lowercase();
    let email_hash = sha256_hex(&email);
    let settings = &auth.config;
    let window = chrono::Duration::from_std(settings.login_window()).unwrap_or(chrono::Duration::minutes(15));

    let work = UnitOfWork::begin(writer).await?;
    // Parallel attempts for one email are counted one after another.
    work.advisory_on_digest(&email_hash).await?;
    let at = now();
    let since = at - window;
    let last_success = login_attempt::Entity::find()
        .filter(login_attempt::Column::EmailHash.eq(&email_hash))
        .filter(login_attempt::Column::Succeeded.eq(true))
        .filter(login_attempt::Column::AttemptedAt.gt(since))
        .order_by_desc(login_attempt::Column::AttemptedAt)
        .one(&work)
        .await?
        .map(|attempt| attempt.attempted_at);
    let failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::EmailHash.eq(&email_hash))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::AttemptedAt.gt(last_success.unwrap_or(since).max(since)))
        .order_by_desc(login_attempt::Column::AttemptedAt)
        .all(&work)
        .await?;
    let max = usize::try_from(settings.login_max_failures).unwrap_or(5);
    if failures.len() >= max {
        // Locked until the oldest of the counted failures leaves the window.
        let oldest_counted = failures[max - 1].attempted_at;
        let retry_after = (oldest_counted + window - at).num_seconds().max(1);
        return Err(AppError::RateLimited {
            message: Message::new(MessageKey::LoginRateLimited).with("minutes", (retry_after + 59) / 60),
            retry_after_secs: u64::try_from(retry_after).unwrap_or(1),
        });
    }
    let attempt_id = Uuid::now_v7();
    login_attempt::ActiveModel {
        id: Set(attempt_id),
        email_hash: Set(email_hash),
        attempted_at: Set(at),
        succeeded: Set(false),
    }
    .insert(&work)
    .await?;
    work.commit().await?;

    let member = member_by_email(writer.conn(), &email).await?;
    let verified = passwords::verify(password, member.as_ref().map(|m| m.password_hash.as_str())).await?;
    match member {
        Some(member) if verified => {
            login_attempt::Entity::update_many()
                .col_expr(login_attempt::Column::Succeeded, Expr::value(true))
                .filter(login_attempt::Column::Id.eq(attempt_id))
                .exec(writer.conn())
                .await?;
            start_session(writer, auth, member).await
        }
        _ => Err(AppError::unauthenticated(MessageKey::WrongLogin)),
    }
}

/// Changes the viewer's display name or affiliation.
pub async fn update_profile(writer: &Writer, viewer: &Viewer, changes: ProfileChanges) -> AppResult<member::Model> {
    let me = ensure_member(viewer)?;
    let work = UnitOfWork::begin(writer).await?;
    let current = member_by_id(&work, me.id.into())
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    let mut model: member::ActiveModel = current.into();
    if let Some(name) = &changes.display_name {
        model.display_name = Set(display_name("input.displayName", name)?);
    }
    if let Some(ags) = &changes.municipality_ags {
        let (municipality_id, _) = affiliation(&work, ags.as_deref(), None).await?;
        model.municipality_id = Set(municipality_id.map(MunicipalityId::uuid));
    }
    if let Some(slug) = &changes.agency_slug {
        let (_, agency_id) = affiliation(&work, None, slug.as_deref()).await?;
        model.agency_id = Set(agency_id.map(AgencyId::uuid));
    }
    if let Some(code) = &changes.language {
        model.language = Set(language("input.language", code)?);
    }
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    work.commit().await?;
    Ok(model)
}

/// Changes the viewer's password; every other session of theirs ends.
pub async fn change_password(writer: &Writer, viewer: &Viewer, current: &str, new: &str) -> AppResult<()> {
    let me = ensure_member(viewer)?;
    let member_id = MemberId::from(me.id);
    let member = member_by_id(writer.conn(), member_id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    if !passwords::verify(current, Some(&member.password_hash)).await? {
        return Err(AppError::bad_input("currentPassword", MessageKey::CurrentPasswordWrong));
    }
    passwords::check_strength("newPassword", new, &[&member.email, &member.display_name])?;
    let hash = passwords::hash(new).await?;
    let work = UnitOfWork::begin(writer).await?;
    member::Entity::update_many()
        .col_expr(member::Column::PasswordHash, Expr::value(hash))
        .col_expr(member::Column::UpdatedAt, Expr::value(now()))
        .filter(member::Column::Id.eq(member_id))
        .exec(&work)
        .await?;
    let current_session = SessionId::from(me.session_id);
    revoke_sessions_of(&work, member_id, Some(current_session), RevokeReason::PasswordChanged).await?;
    work.commit().await?;
    Ok(())
}

/// Creates the first administrator from the command line (or grants ADMIN to an existing
/// member). Returns whether an account was created.
pub async fn create_admin(writer: &Writer, email: &str, display_name: &str, password: &str) -> AppResult<bool> {
    let existing = member_by_email(writer.conn(), email).await?;
    let (member, created) = match existing {
        Some(member) => (member, false),
        None => {
            let input = SignUp {
                email: email.into(),
                password: password.into(),
                display_name: display_name.into(),
                municipality_ags: None,
                agency_slug: None,
                language: None,
            };
            (create_member(writer, &input, true).await?, true)
        }
    };
    let has_admin = member_role::Entity::find()
        .filter(member_role::Column::MemberId.eq(member.id))
        .filter(member_role::Column::Role.eq(Role::Admin))
        .count(writer.conn())
        .await?
        > 0;
    if !has_admin {
        member_role::ActiveModel {
            id: Set(Uuid::now_v7()),
            member_id: Set(member.id),
            role: Set(Role::Admin),
            agency_id: Set(None),
            municipality_id: Set(None),
            granted_by: Set(None),
            created_at: Set(now()),
        }
        .insert(writer.conn())
        .await?;
    }
    Ok(created)
}

/// Filters of the member list (administrators only).
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Exactly this email (normalised).
    pub email: Option<String>,
    /// Members affiliated with this agency.
    pub agency_slug: Option<String>,
}

/// A page of members, newest first (administrators only).
pub async fn list_members(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &MemberFilter,
    page: &crate::pagination::PageArgs,
) -> AppResult<crate::pagination::Page<member::Model>> {
    use crate::pagination::{Key, KeyKind, Keyset, TotalCount};
    crate::auth::ensure_admin(viewer)?;
    let mut select = member::Entity::find();
    if let Some(email) = &filter.email {
        select = select.filter(member::Column::Email.eq(email.trim().to_lowercase()));
    }
    if let Some(slug) = &filter.agency_slug {
        let agency = require_agency(db, "filter.agencySlug", slug).await?;
        select = select.filter(member::Column::AgencyId.eq(agency.id));
    }
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "member:CREATED_AT:Desc".into(),
        keys: vec![
            (sea_orm::sea_query::Expr::col(member::Column::CreatedAt), KeyKind::Time),
            (sea_orm::sea_query::Expr::col(member::Column::Id), KeyKind::Uuid),
        ],
        descending: true,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |row| {
        vec![Key::Time(row.created_at), Key::Uuid(row.id)]
    }))
}
