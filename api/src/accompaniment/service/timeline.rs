//! The timeline of an accompaniment: every change, who and when, written in the change's unit
//! of work; read newest first, a keyset page at a time.

use dkbm_entity::{AgreementAction, agreement_entry};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::db::{UnitOfWork, now};
use crate::error::AppResult;
use crate::ids::AgreementId;
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};

/// Records that the viewer did `action` (to `subject`, in words).
pub async fn record(
    work: &UnitOfWork,
    agreement: AgreementId,
    viewer: &Viewer,
    action: AgreementAction,
    subject: Option<String>,
) -> AppResult<()> {
    agreement_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        agreement_id: Set(agreement.into()),
        member_id: Set(viewer.member_id()),
        action: Set(action),
        subject: Set(subject),
        at: Set(now()),
    }
    .insert(work)
    .await?;
    Ok(())
}

/// A page of the agreement's timeline, newest first (the caller checked the viewer is inside).
pub async fn timeline(
    db: &DatabaseConnection,
    agreement: AgreementId,
    page: &PageArgs,
) -> AppResult<Page<agreement_entry::Model>> {
    let select = agreement_entry::Entity::find().filter(agreement_entry::Column::AgreementId.eq(agreement));
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "agreementTimeline:Desc".into(),
        keys: vec![(Expr::col(agreement_entry::Column::Id), KeyKind::Uuid)],
        descending: true,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |row| vec![Key::Uuid(row.id)]))
}
