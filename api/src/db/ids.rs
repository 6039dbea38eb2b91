//! A set of ids as one bound parameter.
//!
//! `column IN ($1, $2, …)` is a different statement for every number of ids: a page with 12
//! municipalities and one with 13 are two prepared statements, each parsed and described on
//! every connection that meets it. The id sets of a page's relations and of the DataLoaders
//! change size with every page. With the set as one parameter the statement text is the same
//! for every set, so each connection prepares it once. (PostgreSQL may still plan it for each
//! execution: it keeps a custom plan when the generic one looks dearer, as it does for the
//! page's link statement.)

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend};
use uuid::Uuid;

/// `column` is one of `ids`, with the ids bound as one parameter: on PostgreSQL a `uuid[]` (bound
/// as an array: text cast in the statement would be cast again for every row filtered), on
/// SQLite a JSON array of the ids' 16 bytes in hex (SQLite stores a UUID as those 16 bytes).
pub fn any_of(db: &impl ConnectionTrait, column: impl ColumnTrait, ids: impl IntoIterator<Item = Uuid>) -> Expr {
    any_of_on(db.get_database_backend(), column, ids)
}

/// [`any_of`] for `backend`.
fn any_of_on(backend: DbBackend, column: impl ColumnTrait, ids: impl IntoIterator<Item = Uuid>) -> Expr {
    let column = Expr::col((column.entity_name(), column));
    match backend {
        DbBackend::Postgres => {
            let ids: Vec<Uuid> = ids.into_iter().collect();
            Expr::cust_with_exprs("$1 = ANY($2)", [column, Expr::val(ids)])
        }
        _ => {
            let ids: Vec<String> = ids.into_iter().map(|id| format!("\"{}\"", id.simple())).collect();
            let array = format!("[{}]", ids.join(","));
            Expr::cust_with_exprs(
                "? IN (SELECT unhex(value) FROM json_each(?))",
                [column, Expr::val(array)],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use dkbm_entity::agency;
    use sea_orm::sea_query::{ExprTrait, PostgresQueryBuilder, Query, SqliteQueryBuilder};

    use super::*;

    fn select(backend: DbBackend, ids: Vec<Uuid>) -> (String, String) {
        let mut query = Query::select();
        query
            .column(agency::Column::Id)
            .from(agency::Entity)
            .and_where(any_of_on(backend, agency::Column::Id, ids))
            .and_where(Expr::col(agency::Column::Slug).gt("m"));
        match backend {
            DbBackend::Postgres => {
                let (sql, values) = query.build(PostgresQueryBuilder);
                (sql, format!("{:?}", values.0))
            }
            _ => {
                let (sql, values) = query.build(SqliteQueryBuilder);
                (sql, format!("{:?}", values.0))
            }
        }
    }

    #[test]
    fn the_set_is_one_parameter_whatever_its_size() {
        let a = Uuid::from_u128(0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10);
        let b = Uuid::from_u128(0xff);
        let (one, _) = select(DbBackend::Postgres, vec![a]);
        let (two, values) = select(DbBackend::Postgres, vec![a, b]);
        assert_eq!(one, two);
        assert_eq!(
            two,
            r#"SELECT "id" FROM "agency" WHERE ("agency"."id" = ANY($1)) AND "slug" > $2"#
        );
        assert!(
            values.starts_with(
                "[Array(Uuid, Some([Uuid(Some(01020304-0506-0708-090a-0b0c0d0e0f10)), \
                 Uuid(Some(00000000-0000-0000-0000-0000000000ff))]))"
            ),
            "{values}"
        );

        let (one, _) = select(DbBackend::Sqlite, vec![]);
        let (two, values) = select(DbBackend::Sqlite, vec![a, b]);
        assert_eq!(one, two);
        assert_eq!(
            two,
            r#"SELECT "id" FROM "agency" WHERE ("agency"."id" IN (SELECT unhex(value) FROM json_each(?))) AND "slug" > ?"#
        );
        assert!(values.contains(r#"[\"0102030405060708090a0b0c0d0e0f10\",\"000000000000000000000000000000ff\"]"#));
    }
}
