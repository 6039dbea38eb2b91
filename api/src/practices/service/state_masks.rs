//! The practices' state masks, kept up to date when a municipality moves to another state: the
//! directory tells of the change ([`OnMunicipalityChange`]), inside its unit of work.

use dkbm_entity::{State, good_practice, good_practice_municipality, municipality};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter};

use super::content::mask_bit;
use crate::db::UnitOfWork;
use crate::directory::service::{MunicipalityChange, OnMunicipalityChange};
use crate::error::AppResult;
use crate::ids::{MunicipalityId, TypedId};

/// Refreshes the state masks of a changed municipality's practices when its state changed
/// (good practices count per state of their municipalities).
pub struct StateMasks;

#[async_trait::async_trait]
impl OnMunicipalityChange for StateMasks {
    async fn municipality_changed(&self, work: &UnitOfWork, change: &MunicipalityChange) -> AppResult<()> {
        if change.state_changed {
            refresh_state_masks(work, change.id).await?;
        }
        Ok(())
    }
}

/// Recomputes the state masks of the practices of a municipality whose state changed, in one
/// statement: a practice's mask has the bit of every state one of its municipalities lies in.
pub async fn refresh_state_masks(db: &impl ConnectionTrait, municipality_id: MunicipalityId) -> AppResult<()> {
    let link = |column| Expr::col((good_practice_municipality::Entity, column));
    // Whether the practice being updated has a municipality in `state`.
    let has_state = |state: State| -> SelectStatement {
        Query::select()
            .expr(Expr::val(1))
            .from(good_practice_municipality::Entity)
            .inner_join(
                municipality::Entity,
                Expr::col((municipality::Entity, municipality::Column::Id)).equals((
                    good_practice_municipality::Entity,
                    good_practice_municipality::Column::MunicipalityId,
                )),
            )
            .and_where(
                link(good_practice_municipality::Column::PracticeId)
                    .equals((good_practice::Entity, good_practice::Column::Id)),
            )
            .and_where(municipality::Column::State.eq(state))
            .to_owned()
    };
    let mask = State::iter().fold(Expr::val(0i64), |mask, state| {
        let bit = Expr::case(Expr::exists(has_state(state)), mask_bit(state.bit())).finally(0i64);
        mask.add(Expr::Case(Box::new(bit)))
    });
    let affected = Query::select()
        .column(good_practice_municipality::Column::PracticeId)
        .from(good_practice_municipality::Entity)
        .and_where(link(good_practice_municipality::Column::MunicipalityId).eq(municipality_id.uuid()))
        .to_owned();
    good_practice::Entity::update_many()
        .col_expr(good_practice::Column::StateMask, mask)
        .filter(good_practice::Column::Id.in_subquery(affected))
        .exec(db)
        .await?;
    Ok(())
}
