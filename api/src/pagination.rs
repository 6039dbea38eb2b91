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
/// anything else is BAD_USER_INPUT on `field` (`after` or `before`).
pub fn decode_cursor(field: &str, ordering: &str, kinds: &[KeyKind], cursor: &str) -> AppResult<Vec<Key>> {
    let invalid = || AppError::bad_input(field, MessageKey::CursorMalformed);
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

/// What a client asked for: how many rows, after and/or before which cursor, from the start
/// (`first`) or from the end (`last`) of what lies between.
#[derive(Debug, Clone)]
pub struct PageArgs {
    /// How many rows (`first` or `last`).
    pub size: u64,
    pub after: Option<String>,
    pub before: Option<String>,
    /// The page is taken from the end (`last`, or `before` without `first`).
    pub backward: bool,
}

impl PageArgs {
    /// Checks `first` and `last` (default 20, at most 100, not both).
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Self> {
        if first.is_some() && last.is_some() {
            return Err(AppError::bad_input("last", MessageKey::FirstAndLast));
        }
        let backward = last.is_some() || (first.is_none() && before.is_some());
        let size = match (first, last) {
            (_, Some(last)) => Self::size("last", last, MessageKey::LastNegative, MessageKey::LastTooLargePage)?,
            (Some(first), _) => Self::size("first", first, MessageKey::FirstNegative, MessageKey::FirstTooLargePage)?,
            (None, None) => DEFAULT_PAGE_SIZE,
        };
        Ok(PageArgs {
            size,
            after,
            before,
            backward,
        })
    }

    fn size(field: &str, n: i32, negative: MessageKey, too_large: MessageKey) -> AppResult<u64> {
        match u64::try_from(n) {
            Err(_) => Err(AppError::bad_input(field, negative)),
            Ok(n) if n > MAX_PAGE_SIZE => Err(AppError::bad_input(
                field,
                Message::new(too_large).with("max", MAX_PAGE_SIZE),
            )),
            Ok(n) => Ok(n),
        }
    }

    /// Cuts the extra row a window read (see [`Window::limit`]) and puts the rows in the list's
    /// order: what remains, whether a page follows and whether one precedes.
    pub fn cut<T>(&self, mut rows: Vec<T>) -> (Vec<T>, bool, bool) {
        let more = rows.len() as u64 > self.size;
        rows.truncate(usize::try_from(self.size).unwrap_or(usize::MAX));
        if self.backward {
            rows.reverse();
            (rows, self.before.is_some(), more)
        } else {
            (rows, more, self.after.is_some())
        }
    }
}

/// The decoded bounds of a page in one ordering: what a statement needs to read it.
#[derive(Debug, Clone)]
pub struct Window {
    pub after: Option<Vec<Key>>,
    pub before: Option<Vec<Key>>,
    /// Read from the end: the statement's order is the list's reversed.
    pub backward: bool,
    /// One row more than the page, to know whether another page follows.
    pub limit: u64,
}

impl Window {
    /// Whether the window is the list's first page (no cursor given, read forward).
    pub fn from_the_start(&self) -> bool {
        self.after.is_none() && self.before.is_none() && !self.backward
    }
}

impl Keyset {
    /// The bounds of `page` in this ordering (its cursors checked).
    pub fn window(&self, page: &PageArgs) -> AppResult<Window> {
        let decode = |field: &str, cursor: &Option<String>| {
            cursor
                .as_deref()
                .map(|cursor| self.decode_cursor(field, cursor))
                .transpose()
        };
        Ok(Window {
            after: decode("after", &page.after)?,
            before: decode("before", &page.before)?,
            backward: page.backward,
            limit: page.size + 1,
        })
    }

    /// Adds the keyset conditions, the ordering and the limit (one row more than asked, to know
    /// whether another page follows) to `select`.
    pub fn apply<E: EntityTrait>(&self, select: Select<E>, page: &PageArgs) -> AppResult<Select<E>> {
        Ok(self.apply_window(select, &self.window(page)?))
    }

    /// Adds the conditions "after" and "before" these sort-key values, the ordering (reversed
    /// when read from the end) and the limit.
    pub fn apply_window<E: EntityTrait>(&self, mut select: Select<E>, window: &Window) -> Select<E> {
        let columns = || Expr::tuple(self.keys.iter().map(|(expr, _)| expr.clone()));
        let values = |keys: &[Key]| Expr::tuple(keys.iter().map(|key| Expr::val(key.clone().into_value())));
        if let Some(keys) = &window.after {
            select = select.filter(if self.descending {
                columns().lt(values(keys))
            } else {
                columns().gt(values(keys))
            });
        }
        if let Some(keys) = &window.before {
            select = select.filter(if self.descending {
                columns().gt(values(keys))
            } else {
                columns().lt(values(keys))
            });
        }
        let order = self.statement_order(window);
        for (expr, _) in &self.keys {
            select = select.order_by(expr.clone(), order.clone());
        }
        select.limit(window.limit)
    }

    /// The order a statement reading `window` sorts by.
    pub fn statement_order(&self, window: &Window) -> Order {
        if self.descending != window.backward {
            Order::Desc
        } else {
            Order::Asc
        }
    }

    /// Decodes a cursor of this ordering, given as `field`, into its sort-key values (checked).
    pub fn decode_cursor(&self, field: &str, cursor: &str) -> AppResult<Vec<Key>> {
        let kinds: Vec<KeyKind> = self.keys.iter().map(|(_, kind)| *kind).collect();
        decode_cursor(field, &self.name, &kinds, cursor)
    }

    /// Cuts the extra row, puts the rows in the list's order and builds the page.
    pub fn finish<T>(
        &self,
        rows: Vec<T>,
        page: &PageArgs,
        total: TotalCount,
        keys_of: impl Fn(&T) -> Vec<Key>,
    ) -> Page<T> {
        let (rows, has_next_page, has_previous_page) = page.cut(rows);
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
            has_previous_page,
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
