//! Small builders the migrations from 000006 on share (earlier, landed migrations keep their
//! own copies: they are history).

use sea_orm_migration::prelude::*;

/// A foreign key from `from` to `to`.
pub fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

/// Creates an index over `columns`, in that order.
pub async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: Vec<DynIden>,
) -> Result<(), DbErr> {
    manager.create_index(index_statement(name, table, columns)).await
}

/// Creates a unique index over `columns`, in that order.
pub async fn unique_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: Vec<DynIden>,
) -> Result<(), DbErr> {
    manager
        .create_index(index_statement(name, table, columns).unique().to_owned())
        .await
}

fn index_statement(name: &str, table: impl IntoIden, columns: Vec<DynIden>) -> IndexCreateStatement {
    let mut statement = Index::create().name(name).table(table).to_owned();
    for column in columns {
        statement.col(column);
    }
    statement
}
