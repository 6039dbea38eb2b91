//! The root `search` field: one German full-text search across good practices, training events
//! and forum threads, best hits first, each with its type.

use async_graphql::{Context, Object, Union};

use super::service::{self, Hit, SearchPage};
use crate::events::schema::TrainingEvent;
use crate::forums::schema::ForumThread;
use crate::graphql::{ContextExt, PageInfo};
use crate::pagination::PageArgs;
use crate::portals::schema::{PortalScopeMode, list_portal};
use crate::practices::schema::GoodPractice;
use crate::text::analysis;

/// Length of a search snippet, in words.
const SNIPPET_WORDS: usize = 32;

/// A hit of the search: its type tells which.
#[derive(Union)]
#[expect(
    clippy::large_enum_variant,
    reason = "async-graphql unions and interfaces hold their objects by value; one exists per resolved item"
)]
pub enum SearchResult {
    /// A good practice.
    GoodPractice(GoodPractice),
    /// A training event.
    TrainingEvent(TrainingEvent),
    /// A forum thread (only of forums the viewer may read).
    ForumThread(ForumThread),
}

/// A page of search hits, best first (a Relay connection).
pub struct SearchConnection(SearchPage);

/// A search hit with its cursor, score and highlighted passages.
pub struct SearchEdge {
    cursor: String,
    score: i64,
    hit: Hit,
    query: analysis::SearchQuery,
}

/// A page of search hits, best first (a Relay connection).
#[Object]
impl SearchConnection {
    /// The hits of this page.
    async fn edges(&self) -> Vec<SearchEdge> {
        self.0
            .edges
            .iter()
            .map(|edge| SearchEdge {
                cursor: edge.cursor.clone(),
                score: edge.node.score,
                hit: edge.node.hit.clone(),
                query: self.0.query.clone(),
            })
            .collect()
    }

    /// The hits of this page, without cursors.
    async fn nodes(&self) -> Vec<SearchResult> {
        self.0.edges.iter().map(|edge| result(&edge.node.hit)).collect()
    }

    /// Where this page sits in the list.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.0.has_next_page,
            has_previous_page: self.0.has_previous_page,
            start_cursor: self.0.edges.first().map(|edge| edge.cursor.clone()),
            end_cursor: self.0.edges.last().map(|edge| edge.cursor.clone()),
        }
    }

    /// How many hits there are in all (costs one count query per type).
    async fn total_count(&self) -> async_graphql::Result<i32> {
        Ok(i32::try_from(self.0.totals.get().await?).unwrap_or(i32::MAX))
    }
}

fn result(hit: &Hit) -> SearchResult {
    match hit {
        Hit::Practice(practice) => SearchResult::GoodPractice(GoodPractice::from(practice.clone())),
        Hit::Event(event) => SearchResult::TrainingEvent(TrainingEvent(event.clone())),
        Hit::Thread(thread) => SearchResult::ForumThread(ForumThread(thread.clone())),
    }
}

/// A search hit with its cursor, score and highlighted passages.
#[Object]
impl SearchEdge {
    /// Opaque cursor; pass it as `after` to continue behind this hit.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// How well it matches: for each word or phrase, 2 if it is in the title, 1 if in the summary
    /// (practices); 2 per word or phrase for threads (titles), 1 for events.
    async fn score(&self) -> i64 {
        self.score
    }

    /// The hit.
    async fn node(&self) -> SearchResult {
        result(&self.hit)
    }

    /// The title, HTML-escaped, with hits wrapped in `<mark>`.
    async fn highlighted_title(&self) -> String {
        match &self.hit {
            Hit::Practice(practice) => analysis::highlight(&practice.title, &self.query),
            Hit::Event(event) => analysis::highlight(&event.title, &self.query),
            Hit::Thread(thread) => analysis::highlight(&thread.title, &self.query),
        }
    }

    /// The passage where the search terms are densest, HTML-escaped, hits wrapped in `<mark>`.
    async fn snippet(&self) -> String {
        match &self.hit {
            Hit::Practice(practice) => analysis::snippet(&practice.plain_text, &self.query, SNIPPET_WORDS),
            Hit::Event(event) => analysis::snippet(
                &crate::markdown::to_plain_text(&event.description),
                &self.query,
                SNIPPET_WORDS,
            ),
            Hit::Thread(thread) => analysis::highlight(&thread.title, &self.query),
        }
    }
}

/// The root `search` field.
#[derive(Default)]
pub struct SearchQueryRoot;

#[Object]
impl SearchQueryRoot {
    /// German full-text search across good practices, training events and forum threads (of
    /// forums the viewer may read): best hits first, each with its type, a snippet and a
    /// highlighted title.
    #[expect(
        clippy::too_many_arguments,
        reason = "a list's GraphQL arguments: paging both ways, filter, order, portal"
    )]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What to look for: words (inflections, case and umlauts do not matter) and \"quoted phrases\"."
        )]
        query: String,
        #[graphql(desc = "How many hits to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return hits after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many hits to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return hits before this cursor.")] before: Option<String>,
        #[graphql(desc = "A portal's key: read the list through that portal (default: the request's X-Portal-Key).")]
        portal_key: Option<String>,
        #[graphql(
            desc = "PORTAL (default): the portal's scope and hidden items apply; ALL: the whole knowledge base."
        )]
        scope: Option<PortalScopeMode>,
    ) -> async_graphql::Result<SearchConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let portal = list_portal(ctx, portal_key, scope).await?;
        Ok(SearchConnection(
            service::search(ctx.state()?.conn(), ctx.viewer()?, &query, &page, portal).await?,
        ))
    }
}
