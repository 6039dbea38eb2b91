//! Relay-style connections with keyset cursors, shared by every list.
//!
//! A cursor names the ordering it belongs to and carries the sort-key values of its row (the
//! last key is always the unique id), so the next page starts strictly after that row whatever
//! was inserted meanwhile: no row twice, none skipped. Cursors are opaque to clients
//! (base64url of a small JSON document) and checked on the way in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order, SelectStatement};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::messages::{Message, MessageKey};

/// Page size when `first` is not given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// Largest page size a client may ask for; more is BAD_USER_INPUT, not a silent cut.
pub const MAX_PAGE_SIZE: u64 = 100;

/// Direction of a list ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

impl Direction {
    pub fn is_desc(self) -> bool {
        self == Direction::Desc
    }
}

/// One sort-key value inside a cursor.
#[derive(Debug, Clone, PartialEq, PartialOrd, Serialize, Deserialize)]
pub enum Key {
    #[serde(rename = "s")]
    Str(String),
    #[serde(rename = "i")]
    Int(i64),
    #[serde(rename = "u")]
    Uuid(Uuid),
    #[serde(rename = "t")]
    Time(DateTime<Utc>),
}

/// The type of one sort key, to check a cursor against its ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Str,
    Int,
    Uuid,
    Time,
}

impl Key {
    fn kind(&self) -> KeyKind {
        match self {
            Key::Str(_) => KeyKind::Str,
            Key::Int(_) => KeyKind::Int,
            Key::Uuid(_) => KeyKind::Uuid,
            Key::Time(_) => KeyKind::Time,
        }
    }

    fn into_value(self) -> Value {
        match self {
            Key::Str(value) => value.into(),
            Key::Int(value) => value.into(),
            Key::Uuid(value) => value.into(),
            Key::Time(value) => value.into(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    /// The ordering the cursor belongs to.
    o: String,
    /// The sort-key values of the row.
    k: Vec<Key>,
}

/// Encodes a cursor for a row of `ordering` with the given sort-key values.
pub fn encode_cursor(ordering: &str, keys: Vec<Key>) -> String {
    let data = CursorData {
        o: ordering.to_owned(),
        k: keys,
    };
    // Serialising plain strings, numbers and ids cannot fail.
    let json = serde_json::to_vec(&data).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// Decodes a cursor and checks that it belongs to `ordering` and carries keys of these kinds;
/// anything else is BAD_USER_INPUT on `after`.
pub fn decode_cursor(ordering: &str, kinds: &[KeyKind], cursor: &str) -> AppResult<Vec<Key>> {
    let invalid = || AppError::bad_input("after", MessageKey::CursorMalformed);
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| invalid())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let kinds_match = data.k.len() == kinds.len() && data.k.iter().zip(kinds).all(|(key, kind)| key.kind() == *kind);
    if data.o != ordering || !kinds_match {
        return Err(invalid());
    }
    Ok(data.k)
}

/// A sort order over one or more expressions, the last of them unique (the id).
pub struct Keyset {
    /// Name of the ordering, stored in cursors (e.g. `NAME_ASC`).
    pub name: String,
    /// The sort expressions with the type of their values.
    pub keys: Vec<(Expr, KeyKind)>,
    pub descending: bool,
}

/// What a client asked for: how many rows, after which cursor.
#[derive(Debug, Clone)]
pub struct PageArgs {
    pub first: u64,
    pub after: Option<String>,
}

impl PageArgs {
    /// Checks `first` (default 20, at most 100).
    pub fn new(first: Option<i32>, after: Option<String>) -> AppResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if n < 0 => {
                return Err(AppError::bad_input("first", MessageKey::FirstNegative));
            }
            Some(n) if u64::try_from(n).unwrap_or(u64::MAX) > MAX_PAGE_SIZE => {
                return Err(AppError::bad_input(
                    "first",
                    Message::new(MessageKey::FirstTooLargePage).with("max", MAX_PAGE_SIZE),
                ));
            }
            Some(n) => u64::try_from(n).unwrap_or(DEFAULT_PAGE_SIZE),
        };
        Ok(PageArgs { first, after })
    }
}

impl Keyset {
    /// Adds the keyset condition, the ordering and the limit (one row more than asked, to know
    /// whether another page follows) to `select`.
    pub fn apply<E: EntityTrait>(&self, select: Select<E>, page: &PageArgs) -> AppResult<Select<E>> {
        let after = match &page.after {
            Some(cursor) => Some(self.decode_cursor(cursor)?),
            None => None,
        };
        Ok(self.apply_keys(select, after, page.first + 1))
    }

    /// Adds the condition "after these sort-key values", the ordering and a limit.
    pub fn apply_keys<E: EntityTrait>(&self, mut select: Select<E>, after: Option<Vec<Key>>, limit: u64) -> Select<E> {
        if let Some(keys) = after {
            let columns = Expr::tuple(self.keys.iter().map(|(expr, _)| expr.clone()));
            let values = Expr::tuple(keys.into_iter().map(|key| Expr::val(key.into_value())));
            select = select.filter(if self.descending {
                columns.lt(values)
            } else {
                columns.gt(values)
            });
        }
        let order = if self.descending { Order::Desc } else { Order::Asc };
        for (expr, _) in &self.keys {
            select = select.order_by(expr.clone(), order.clone());
        }
        select.limit(limit)
    }

    /// Decodes a cursor of this ordering into its sort-key values (checked).
    pub fn decode_cursor(&self, cursor: &str) -> AppResult<Vec<Key>> {
        let kinds: Vec<KeyKind> = self.keys.iter().map(|(_, kind)| *kind).collect();
        decode_cursor(&self.name, &kinds, cursor)
    }

    /// Cuts the extra row and builds the page.
    pub fn finish<T>(
        &self,
        mut rows: Vec<T>,
        page: &PageArgs,
        total: TotalCount,
        keys_of: impl Fn(&T) -> Vec<Key>,
    ) -> Page<T> {
        let has_next_page = rows.len() as u64 > page.first;
        rows.truncate(usize::try_from(page.first).unwrap_or(usize::MAX));
        let edges = rows
            .into_iter()
            .map(|node| Edge {
                cursor: encode_cursor(&self.name, keys_of(&node)),
                node,
            })
            .collect();
        Page {
            edges,
            has_next_page,
            has_previous_page: page.after.is_some(),
            total,
        }
    }
}

/// One row of a page with its cursor.
pub struct Edge<T> {
    pub cursor: String,
    pub node: T,
}

/// A page of a list.
pub struct Page<T> {
    pub edges: Vec<Edge<T>>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total: TotalCount,
}

/// The number of rows matching a list's filter, counted only when a client asks for it (or
/// known already, when the page's own statement counted it).
#[derive(Clone)]
pub enum TotalCount {
    /// `SELECT COUNT(*)` over the list's filter, built for the connection's backend when run
    /// (boxed: a statement is large, and most pages are never asked for their count).
    Query {
        db: DatabaseConnection,
        query: Box<SelectStatement>,
    },
    Known(i64),
}

impl TotalCount {
    /// Prepares `SELECT COUNT(*)` over the filtered (not yet ordered or limited) `select`.
    pub fn of<E: EntityTrait>(db: &DatabaseConnection, select: &Select<E>) -> Self {
        let mut query: SelectStatement = select.clone().into_query();
        query.clear_selects().expr_as(Expr::cust("COUNT(*)"), "total");
        TotalCount::Query {
            db: db.clone(),
            query: Box::new(query),
        }
    }

    /// Runs the count (unless known).
    pub async fn get(&self) -> AppResult<i64> {
        match self {
            TotalCount::Known(total) => Ok(*total),
            TotalCount::Query { db, query } => match db.query_one(query.as_ref()).await? {
                Some(row) => Ok(row.try_get::<i64>("", "total")?),
                None => Ok(0),
            },
        }
    }
}
