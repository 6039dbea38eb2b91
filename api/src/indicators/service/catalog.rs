//! The indicators themselves: defining them (administrators) and finding them by code.

use chrono::Utc;
use dkbm_entity::{Polarity, indicator};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::require_topics;
use crate::error::{AppError, AppResult};
use crate::ids::IndicatorId;
use crate::messages::{Message, MessageKey};
use crate::validate;

/// At most this many indicator codes in one question.
pub const MAX_CODES: usize = 50;
/// Decimal places an indicator may show.
pub const MAX_DECIMALS: i32 = 6;

/// An indicator as an administrator defines it; the code identifies it (saving an existing code
/// changes that indicator).
#[derive(Debug, Clone)]
pub struct IndicatorDraft {
    pub code: String,
    pub name_de: String,
    pub name_en: String,
    pub description: Option<String>,
    pub unit: String,
    pub source: String,
    /// A topic slug.
    pub topic: Option<String>,
    pub polarity: Polarity,
    pub decimals: i32,
}

fn check_code(field: &str, code: &str) -> AppResult<()> {
    let valid = !code.is_empty()
        && code.len() <= 64
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    if valid {
        Ok(())
    } else {
        Err(AppError::bad_input(field, MessageKey::IndicatorCode))
    }
}

/// The draft, trimmed and checked field by field.
fn check(draft: IndicatorDraft) -> AppResult<IndicatorDraft> {
    let code = draft.code.trim().to_owned();
    check_code("input.code", &code)?;
    if !(0..=MAX_DECIMALS).contains(&draft.decimals) {
        return Err(AppError::bad_input(
            "input.decimals",
            Message::new(MessageKey::DecimalsRange).with("max", MAX_DECIMALS),
        ));
    }
    Ok(IndicatorDraft {
        code,
        name_de: validate::required_text("input.nameDe", &draft.name_de, 300)?,
        name_en: validate::required_text("input.nameEn", &draft.name_en, 300)?,
        description: validate::optional_text("input.description", draft.description.as_deref(), 5_000)?,
        unit: validate::required_text("input.unit", &draft.unit, 64)?,
        source: validate::required_text("input.source", &draft.source, 500)?,
        topic: draft.topic,
        polarity: draft.polarity,
        decimals: draft.decimals,
    })
}

/// Creates the indicator with this code, or changes it (administrators only).
pub async fn save_indicator(writer: &Writer, viewer: &Viewer, draft: IndicatorDraft) -> AppResult<indicator::Model> {
    ensure_admin(viewer)?;
    let draft = check(draft)?;
    let topic_id = match &draft.topic {
        Some(slug) => require_topics(writer.conn(), "input.topic", std::slice::from_ref(slug))
            .await?
            .first()
            .map(|topic| topic.id),
        None => None,
    };
    let work = UnitOfWork::begin(writer).await?;
    let existing = work
        .lock(indicator::Entity::find().filter(indicator::Column::Code.eq(&draft.code)))
        .await?;
    let at = now();
    let is_new = existing.is_none();
    let mut model = match existing {
        Some(row) => indicator::ActiveModel::from(row),
        None => indicator::ActiveModel {
            id: Set(Uuid::now_v7()),
            code: Set(draft.code.clone()),
            created_at: Set(at),
            ..Default::default()
        },
    };
    model.name_de = Set(draft.name_de);
    model.name_en = Set(draft.name_en);
    model.description = Set(draft.description);
    model.unit = Set(draft.unit);
    model.source = Set(draft.source);
    model.topic_id = Set(topic_id);
    model.polarity = Set(draft.polarity);
    model.decimals = Set(draft.decimals);
    model.updated_at = Set(at);
    let saved = if is_new {
        model.insert(&work).await?
    } else {
        model.update(&work).await?
    };
    work.commit().await?;
    Ok(saved)
}

/// Every indicator (or those with these codes), by code.
pub async fn list_indicators(db: &impl ConnectionTrait, codes: Option<&[String]>) -> AppResult<Vec<indicator::Model>> {
    let mut select = indicator::Entity::find().order_by_asc(indicator::Column::Code);
    if let Some(codes) = codes {
        select = select.filter(indicator::Column::Code.is_in(codes.iter().map(|c| c.trim())));
    }
    Ok(select.all(db).await?)
}

/// The indicators with these codes, in this order, a code asked twice twice; an unknown code
/// is BAD_USER_INPUT on `field`.
pub async fn require_indicators(
    db: &impl ConnectionTrait,
    field: &str,
    codes: &[String],
) -> AppResult<Vec<indicator::Model>> {
    if codes.len() > MAX_CODES {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::AtMostEntries).with("max", MAX_CODES),
        ));
    }
    let found = list_indicators(db, Some(codes)).await?;
    let mut ordered = Vec::with_capacity(codes.len());
    for code in codes {
        let code = code.trim();
        let Some(row) = found.iter().find(|row| row.code == code) else {
            return Err(AppError::bad_input(
                field,
                Message::new(MessageKey::NoSuchIndicator).with("code", code),
            ));
        };
        ordered.push(row.clone());
    }
    Ok(ordered)
}

/// The indicator with this id.
pub async fn indicator_by_id(db: &impl ConnectionTrait, id: IndicatorId) -> AppResult<Option<indicator::Model>> {
    Ok(indicator::Entity::find_by_id(id).one(db).await?)
}

/// Years a question may name.
pub fn check_year(field: &str, year: i32) -> AppResult<i32> {
    if (1900..=2200).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::bad_input(
            field,
            Message::new(MessageKey::YearRange)
                .with("field", field)
                .with("min", 1900)
                .with("max", 2200),
        ))
    }
}

/// The current year (the default end of a time series).
pub fn this_year() -> i32 {
    use chrono::Datelike;
    Utc::now().year()
}
