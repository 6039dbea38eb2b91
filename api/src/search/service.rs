//! The search across areas (good practices, training events, forum threads): each area returns
//! its best hits after a shared cursor, ordered by (score, date, kind, id), all descending; the
//! merge keeps the best of all.

use chrono::{DateTime, Utc};
use dkbm_entity::{forum_thread, good_practice, training_event};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::messages::MessageKey;
use crate::pagination::{Edge, Key, KeyKind, Keyset, PageArgs, TotalCount, encode_cursor};
use crate::portals::service::PortalView;
use crate::practices::service as practices;
use crate::text::analysis::SearchQuery;

/// A hit of the cross-area search.
#[derive(Debug, Clone)]
pub enum Hit {
    Practice(good_practice::Model),
    Event(training_event::Model),
    Thread(forum_thread::Model),
}

/// A hit with its ordering keys.
#[derive(Debug, Clone)]
pub struct Scored {
    pub score: i64,
    pub at: DateTime<Utc>,
    pub kind: i64,
    /// The hit's database id (of its kind): the last key of the order.
    pub id: Uuid,
    pub hit: Hit,
}

impl Scored {
    fn keys(&self) -> Vec<Key> {
        vec![
            Key::Int(self.score),
            Key::Time(self.at),
            Key::Int(self.kind),
            Key::Uuid(self.id),
        ]
    }
}

/// A page of hits with the query they answer (for snippets).
pub struct SearchPage {
    pub edges: Vec<Edge<Scored>>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub totals: Totals,
    pub query: SearchQuery,
}

/// The counts of every area, added up when asked for.
#[derive(Clone)]
pub struct Totals(Vec<TotalCount>);

impl Totals {
    pub async fn get(&self) -> AppResult<i64> {
        let mut sum = 0;
        for total in &self.0 {
            sum += total.get().await?;
        }
        Ok(sum)
    }
}

fn cursor_keyset(query: &SearchQuery) -> Keyset {
    // Only the name and the key types matter for encoding and checking cursors.
    let fingerprint = crate::text::sha256_hex(format!("{:?}", query.units), 6);
    Keyset {
        name: format!("search:{fingerprint}"),
        keys: vec![
            (sea_orm::sea_query::Expr::val(0), KeyKind::Int),
            (sea_orm::sea_query::Expr::val(0), KeyKind::Time),
            (sea_orm::sea_query::Expr::val(0), KeyKind::Int),
            (sea_orm::sea_query::Expr::val(0), KeyKind::Uuid),
        ],
        descending: true,
    }
}

/// Searches every area.
pub async fn search(
    db: &DatabaseConnection,
    viewer: &Viewer,
    text: &str,
    page: &PageArgs,
    portal: Option<std::sync::Arc<PortalView>>,
) -> AppResult<SearchPage> {
    crate::validate::max_chars("query", text, 500)?;
    let query = SearchQuery::parse(text);
    if query.is_empty() {
        return Err(AppError::bad_input("query", MessageKey::NoSearchWord));
    }
    let keyset = cursor_keyset(&query);
    let window = keyset.window(page)?;
    let mut hits: Vec<Scored> = Vec::new();
    let (practices, practice_total) = practices::search_hits(db, viewer, &query, &window, portal.clone()).await?;
    hits.extend(practices.into_iter().map(|(practice, score)| Scored {
        score,
        at: practice.listed_at,
        kind: practices::SEARCH_KIND,
        id: practice.id,
        hit: Hit::Practice(practice),
    }));
    let (events, event_total) = crate::events::service::search_hits(db, &query, &window, portal.as_deref()).await?;
    hits.extend(events.into_iter().map(|(event, score)| Scored {
        score,
        at: event.starts_at,
        kind: crate::events::service::SEARCH_KIND,
        id: event.id,
        hit: Hit::Event(event),
    }));
    let (threads, thread_total) =
        crate::forums::service::search_hits(db, viewer, &query, &window, portal.as_deref()).await?;
    hits.extend(threads.into_iter().map(|(thread, score)| Scored {
        score,
        at: thread.last_activity_at,
        kind: crate::forums::service::SEARCH_KIND,
        id: thread.id,
        hit: Hit::Thread(thread),
    }));
    // Merged in the order the areas read (best first; worst first when read from the end).
    hits.sort_by(|a, b| {
        let best_first = b.keys().partial_cmp(&a.keys()).unwrap_or(std::cmp::Ordering::Equal);
        if window.backward {
            best_first.reverse()
        } else {
            best_first
        }
    });
    let (hits, has_next_page, has_previous_page) = page.cut(hits);
    let edges = hits
        .into_iter()
        .map(|hit| Edge {
            cursor: encode_cursor(&keyset.name, hit.keys()),
            node: hit,
        })
        .collect();
    Ok(SearchPage {
        edges,
        has_next_page,
        has_previous_page,
        totals: Totals(vec![practice_total, event_total, thread_total]),
        query,
    })
}
