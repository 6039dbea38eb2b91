//! A page of the practice list read with its owner agencies and municipalities in the page's
//! own statement.
//!
//! Read one relation at a time (`page_relations`), a list that shows practices with their
//! agency and municipalities costs three statements, and each statement costs both servers far
//! more than its rows: a round trip, and PostgreSQL's parse, plan and executor start. Here the
//! page's select (filters, keyset, limit) becomes a subquery that the agencies and the
//! municipalities are joined to, giving one row per practice and municipality in the page's
//! order; the relations then come to the page already loaded ([`Preloaded`]).

use std::collections::HashMap;

use dkbm_entity::{agency, good_practice, good_practice_municipality, municipality};
use sea_orm::sea_query::{Alias, Asterisk, Condition, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Iterable, QueryTrait, Select};
use uuid::Uuid;

use super::PracticeColumns;
use super::page_relations::{ByPractice, Preloaded};
use super::relations::good_practice_municipality_relation;
use crate::db::rows::{self, ByPosition, Columns, Shape, Shaped};
use crate::error::AppResult;

/// The practices `page` reads, with the relations `columns` asks for (`agency`,
/// `municipalities`) read in the same statement. `order` is the page's ordering by its columns
/// (the last one unique), which the joined rows keep (a practice's rows are adjacent).
pub(super) async fn page_with_relations(
    db: &impl ConnectionTrait,
    page: Select<good_practice::Entity>,
    order: &[(good_practice::Column, Order)],
    columns: PracticeColumns,
) -> AppResult<(Vec<Shaped<good_practice::Model>>, Preloaded)> {
    if columns.agency.is_none() && columns.municipalities.is_none() {
        return Ok((columns.rows(page, db).await?, Preloaded::default()));
    }
    let alias = Alias::new("page");
    let mut statement = Query::select();
    statement
        .column((alias.clone(), Asterisk))
        .from_subquery(page.into_query(), alias.clone());
    let mut expected = columns.row.count::<good_practice::Model>();
    if let Some(shape) = columns.agency {
        expected += shape.count::<agency::Model>();
        statement.columns(shaped::<agency::Entity>(shape)).join(
            JoinType::LeftJoin,
            agency::Entity,
            Expr::col((agency::Entity, agency::Column::Id))
                .equals((alias.clone(), good_practice::Column::OwnerAgencyId)),
        );
    }
    if let Some(shape) = columns.municipalities {
        expected += shape.count::<municipality::Model>();
        statement
            .columns(shaped::<municipality::Entity>(shape))
            .join(
                JoinType::LeftJoin,
                good_practice_municipality::Entity,
                Expr::col((
                    good_practice_municipality::Entity,
                    good_practice_municipality::Column::PracticeId,
                ))
                .equals((alias.clone(), good_practice::Column::Id)),
            )
            .join(
                JoinType::LeftJoin,
                municipality::Entity,
                Condition::from(good_practice_municipality_relation()),
            );
    }
    for (column, direction) in order {
        statement.order_by((alias.clone(), *column), direction.clone());
    }
    if columns.municipalities.is_some() {
        // A practice's municipalities by name, as the relation gives them.
        statement
            .order_by((municipality::Entity, municipality::Column::NameSort), Order::Asc)
            .order_by((municipality::Entity, municipality::Column::Id), Order::Asc);
    }
    let mut read = Read::default();
    rows::each(&statement, expected, db, |row| read.row(row, columns)).await?;
    let preloaded = Preloaded {
        agencies: columns.agency.map(|_| read.agencies),
        municipalities: columns.municipalities.map(|_| read.municipalities),
    };
    Ok((read.practices, preloaded))
}

/// The columns of `E` in `shape`, in declared order.
fn shaped<E: EntityTrait<Model: ByPosition>>(shape: Shape) -> impl Iterator<Item = (E, E::Column)> {
    E::Column::iter()
        .enumerate()
        .filter(move |(position, _)| shape.has(*position))
        .map(|(_, column)| (E::default(), column))
}

/// What the joined rows have given so far.
#[derive(Default)]
struct Read {
    /// The practices and the id of the last (the rows' order keeps a practice's rows adjacent).
    practices: Vec<Shaped<good_practice::Model>>,
    last: Option<Uuid>,
    agencies: HashMap<Uuid, Shaped<agency::Model>>,
    municipalities: ByPractice<Shaped<municipality::Model>>,
}

impl Read {
    /// Takes one joined row: its practice (decoded on the practice's first row only), its
    /// agency (on the agency's first row only) and its municipality.
    fn row(&mut self, row: &mut Columns<'_>, columns: PracticeColumns) -> Result<(), DbErr> {
        let practice: Uuid = row.peek()?;
        if self.last == Some(practice) {
            row.skip(columns.row.count::<good_practice::Model>());
        } else {
            let decoded = good_practice::Model::decode_shaped(row, columns.row)?;
            self.practices.push(Shaped::new(decoded, columns.row));
            self.last = Some(practice);
        }
        if let Some(shape) = columns.agency {
            if row.next_is_null()? || self.agencies.contains_key(&row.peek::<Uuid>()?) {
                row.skip(shape.count::<agency::Model>());
            } else {
                let agency = agency::Model::decode_shaped(row, shape)?;
                self.agencies.insert(agency.id, Shaped::new(agency, shape));
            }
        }
        if let Some(shape) = columns.municipalities
            && let Some(municipality) = row.joined::<municipality::Model>(shape)?
        {
            self.municipalities.entry(practice).or_default().push(municipality);
        }
        Ok(())
    }
}
