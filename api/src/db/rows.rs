//! Rows of the hot reads decoded by position.
//!
//! sea-orm's derived decoding looks every column up by name and, for each NULL in an optional
//! column, builds an error string that it then drops (`Option<T>::try_get_by`): on a page of
//! practices, whose rows have ten optional columns, that was a tenth of the server's CPU per
//! list request. A model that implements [`ByPosition`] is read column by column in its
//! declared order through the driver's own decoding (the same decoding sea-orm uses), on both
//! backends. A select read this way must list exactly the entity's columns in that order, as
//! `Entity::find()` does; [`all`] reads one.

use sea_orm::sqlx::{Decode, Postgres, Row, Sqlite, Type, ValueRef};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryResult, Select};
use uuid::Uuid;

mod shape;
pub use shape::{Shape, Shaped};

/// A value the drivers of both backends decode.
pub trait Cell: for<'r> Decode<'r, Postgres> + Type<Postgres> + for<'r> Decode<'r, Sqlite> + Type<Sqlite> {}

impl<T> Cell for T where T: for<'r> Decode<'r, Postgres> + Type<Postgres> + for<'r> Decode<'r, Sqlite> + Type<Sqlite> {}

/// The columns of one row, read in order.
pub struct Columns<'a> {
    row: &'a QueryResult,
    next: usize,
}

impl<'a> Columns<'a> {
    /// The columns of `row`, which must have `expected` of them.
    fn of(row: &'a QueryResult, expected: usize) -> Result<Self, DbErr> {
        let columns = Columns { row, next: 0 };
        if columns.len() != expected {
            return Err(DbErr::Type(format!(
                "a row of {} columns where {expected} were expected",
                columns.len()
            )));
        }
        Ok(columns)
    }

    /// How many columns the row has.
    fn len(&self) -> usize {
        if let Some(row) = self.row.try_as_pg_row() {
            row.len()
        } else if let Some(row) = self.row.try_as_sqlite_row() {
            row.len()
        } else {
            0
        }
    }

    /// The next column's value.
    pub fn value<T: Cell>(&mut self) -> Result<T, DbErr> {
        let index = self.next;
        self.next += 1;
        let decoded = if let Some(row) = self.row.try_as_pg_row() {
            row.try_get::<T, _>(index)
        } else if let Some(row) = self.row.try_as_sqlite_row() {
            row.try_get::<T, _>(index)
        } else {
            return Err(DbErr::Custom("a row of an unsupported backend".into()));
        };
        decoded.map_err(|error| DbErr::Type(format!("column {index}: {error}")))
    }

    /// The next column's value, without moving past it.
    pub fn peek<T: Cell>(&mut self) -> Result<T, DbErr> {
        let value = self.value();
        self.next -= 1;
        value
    }

    /// Moves past the next `count` columns.
    pub fn skip(&mut self, count: usize) {
        self.next += count;
    }

    /// Whether the next column is NULL (as every column of an outer join's missing row is).
    pub fn next_is_null(&self) -> Result<bool, DbErr> {
        let raw = if let Some(row) = self.row.try_as_pg_row() {
            row.try_get_raw(self.next).map(|value| value.is_null())
        } else if let Some(row) = self.row.try_as_sqlite_row() {
            row.try_get_raw(self.next).map(|value| value.is_null())
        } else {
            return Err(DbErr::Custom("a row of an unsupported backend".into()));
        };
        raw.map_err(|error| DbErr::Type(format!("column {}: {error}", self.next)))
    }

    /// The next columns, those of `shape`, as a model `M` read by an outer join: `None` (and
    /// the columns passed) where the join found no row.
    pub fn joined<M: ByPosition>(&mut self, shape: Shape) -> Result<Option<Shaped<M>>, DbErr> {
        if self.next_is_null()? {
            self.skip(shape.count::<M>());
            return Ok(None);
        }
        M::decode_shaped(self, shape).map(|row| Some(Shaped::new(row, shape)))
    }

    /// The next column's value, an enumeration stored as its string value.
    pub fn enumeration<E: ActiveEnum<Value = String>>(&mut self) -> Result<E, DbErr> {
        E::try_from_value(&self.value::<String>()?)
    }
}

/// Reads the rows of `statement`, each of `expected` columns, and hands each to `decode`, in
/// order.
pub async fn each(
    statement: &sea_orm::sea_query::SelectStatement,
    expected: usize,
    db: &impl ConnectionTrait,
    mut decode: impl FnMut(&mut Columns<'_>) -> Result<(), DbErr>,
) -> Result<(), DbErr> {
    for row in &db.query_all(statement).await? {
        decode(&mut Columns::of(row, expected)?)?;
    }
    Ok(())
}

/// A model whose rows are decoded by position.
pub trait ByPosition: Sized {
    /// The columns in the order they are read (the entity's declared order).
    const COLUMNS: &'static [&'static str];
    /// Which of them are enumerations (read in every shape: they have no default).
    const ENUMERATIONS: &'static [bool];

    /// Reads one row.
    fn decode(columns: &mut Columns<'_>) -> Result<Self, DbErr>;

    /// Reads one row of the columns in `shape`; the other fields get their defaults.
    fn decode_shaped(columns: &mut Columns<'_>, shape: Shape) -> Result<Self, DbErr>;
}

/// A row decoded by position, as sea-orm's selects take it.
pub struct Positional<M>(pub M);

impl<M: ByPosition> FromQueryResult for Positional<M> {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        let mut columns = Columns::of(row, M::COLUMNS.len())?;
        M::decode(&mut columns).map(Positional)
    }
}

/// A row of a model's columns followed by one more: the id of what the row belongs to (the
/// practice a linked municipality is read for).
pub struct Keyed<M>(pub Uuid, pub M);

impl<M: ByPosition> FromQueryResult for Keyed<M> {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        let mut columns = Columns::of(row, M::COLUMNS.len() + 1)?;
        let model = M::decode(&mut columns)?;
        Ok(Keyed(columns.value()?, model))
    }
}

/// The rows `select` reads (the entity's columns in their declared order), decoded by position.
pub async fn all<E>(select: Select<E>, db: &impl ConnectionTrait) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    let rows = select.into_model::<Positional<E::Model>>().all(db).await?;
    Ok(rows.into_iter().map(|row| row.0).collect())
}

/// The rows `select` reads: the columns of `shape` in their declared order, decoded by
/// position, the others left at their defaults.
pub async fn shaped<E>(
    select: Select<E>,
    shape: Shape,
    db: &impl ConnectionTrait,
) -> Result<Vec<Shaped<E::Model>>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    if shape.is_all::<E::Model>() {
        return Ok(all(select, db).await?.into_iter().map(Shaped::whole).collect());
    }
    let mut rows = Vec::new();
    let statement = sea_orm::QueryTrait::into_query(select);
    each(&statement, shape.count::<E::Model>(), db, |columns| {
        rows.push(Shaped::new(E::Model::decode_shaped(columns, shape)?, shape));
        Ok(())
    })
    .await?;
    Ok(rows)
}

/// The rows `select` reads (the entity's columns in their declared order, then the id of what
/// each row belongs to), decoded by position, with that id.
pub async fn keyed<E>(select: Select<E>, db: &impl ConnectionTrait) -> Result<Vec<(Uuid, E::Model)>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    let rows = select.into_model::<Keyed<E::Model>>().all(db).await?;
    Ok(rows.into_iter().map(|Keyed(key, row)| (key, row)).collect())
}

/// Implements [`ByPosition`] for a model: its fields in declared order, each read with
/// [`Columns::value`] or [`Columns::enumeration`]. Defined before its uses below.
macro_rules! by_position {
    (@enumeration value) => {
        false
    };
    (@enumeration enumeration) => {
        true
    };
    // A field of a shaped read: an absent column reads as the field's default; an enumeration
    // has none and is always read (`Shape::of` includes it).
    (@shaped $columns:ident, $present:expr, value) => {
        if $present { $columns.value()? } else { Default::default() }
    };
    (@shaped $columns:ident, $present:expr, enumeration) => {
        $columns.enumeration()?
    };
    ($model:path { $($field:ident: $read:ident),* $(,)? }) => {
        impl $crate::db::rows::ByPosition for $model {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
            const ENUMERATIONS: &'static [bool] = &[$(by_position!(@enumeration $read)),*];

            fn decode(columns: &mut $crate::db::rows::Columns<'_>) -> Result<Self, sea_orm::DbErr> {
                Ok(Self { $($field: columns.$read()?),* })
            }

            #[allow(unused_assignments, reason = "the position moves past the last field too")]
            fn decode_shaped(
                columns: &mut $crate::db::rows::Columns<'_>,
                shape: $crate::db::rows::Shape,
            ) -> Result<Self, sea_orm::DbErr> {
                let mut position = 0;
                Ok(Self {
                    $($field: {
                        let field = by_position!(@shaped columns, shape.has(position), $read);
                        position += 1;
                        field
                    }),*
                })
            }
        }
    };
}

use dkbm_entity::{agency, good_practice, municipality, practice_change, topic};

by_position!(good_practice::Model {
    id: value,
    number: value,
    slug: value,
    title: value,
    title_sort: value,
    summary: value,
    body: value,
    body_html: value,
    plain_text: value,
    owner_agency_id: value,
    status: enumeration,
    version: value,
    contact_name: value,
    contact_role: value,
    contact_email: value,
    links: value,
    license: value,
    source_url: value,
    external_id: value,
    content_hash: value,
    origin_agency_id: value,
    upstream_version: value,
    synced_at: value,
    created_at: value,
    updated_at: value,
    published_at: value,
    archived_at: value,
    listed_at: value,
    title_terms: value,
    summary_terms: value,
    topic_mask: value,
    target_group_mask: value,
    stage_mask: value,
    state_mask: value,
});

by_position!(municipality::Model {
    id: value,
    ags: value,
    slug: value,
    name: value,
    name_sort: value,
    kind: enumeration,
    state: enumeration,
    population: value,
    website: value,
    education_office: value,
    parent_id: value,
    valid_from: value,
    valid_until: value,
    created_at: value,
    updated_at: value,
});

by_position!(agency::Model {
    id: value,
    slug: value,
    name: value,
    name_sort: value,
    kind: enumeration,
    description: value,
    website: value,
    contact_email: value,
    carrier_agency_id: value,
    carrier_name: value,
    created_at: value,
    updated_at: value,
});

by_position!(topic::Model {
    id: value,
    slug: value,
    label_de: value,
    label_en: value,
    description: value,
    position: value,
    facet_bit: value,
    created_at: value,
    updated_at: value,
});

by_position!(practice_change::Model {
    seq: value,
    practice_id: value,
    operation: value,
    version: value,
    slug: value,
    external_id: value,
    agency_id: value,
    at: value,
});

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, IdenStatic, Iterable};

    use super::ByPosition;
    use dkbm_entity::{agency, good_practice, municipality, practice_change, topic};

    fn declared<E: EntityTrait>() -> Vec<&'static str> {
        E::Column::iter().map(|column| column.as_str()).collect()
    }

    /// The decoders read the columns in the order `Entity::find()` selects them.
    #[test]
    fn decoders_follow_the_declared_column_order() {
        assert_eq!(good_practice::Model::COLUMNS, declared::<good_practice::Entity>());
        assert_eq!(municipality::Model::COLUMNS, declared::<municipality::Entity>());
        assert_eq!(agency::Model::COLUMNS, declared::<agency::Entity>());
        assert_eq!(topic::Model::COLUMNS, declared::<topic::Entity>());
        assert_eq!(practice_change::Model::COLUMNS, declared::<practice_change::Entity>());
    }
}
