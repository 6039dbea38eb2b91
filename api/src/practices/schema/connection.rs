//! The paged list of good practices: `GoodPracticeConnection` and its edges, which in a search
//! carry a snippet and the highlighted title.

use std::sync::Arc;

use async_graphql::{Context, Object};
use dkbm_entity::good_practice;

use super::GoodPractice;
use crate::db::rows::Shaped;
use crate::directory::schema::{Agency, Municipality};
use crate::graphql::PageInfo;
use crate::graphql::direct::List;
use crate::graphql::shape::{fields, shape};
use crate::practices::service::{LISTED, PLAIN_TEXT, PageRelations, PracticeColumns, PracticePage};
use crate::text::analysis::{self as search, SearchQuery};

/// Length of a search snippet, in words.
const SNIPPET_WORDS: usize = 32;

/// A page of good practices (a Relay connection with keyset cursors). Its rows are shared by
/// `edges` and `nodes`, not copied per field.
pub struct GoodPracticeConnection {
    edges: Vec<(String, Arc<Shaped<good_practice::Model>>)>,
    has_next_page: bool,
    has_previous_page: bool,
    total: crate::pagination::TotalCount,
    query: Option<SearchQuery>,
    relations: Arc<PageRelations>,
}

impl From<PracticePage> for GoodPracticeConnection {
    fn from(PracticePage { page, query, relations }: PracticePage) -> Self {
        GoodPracticeConnection {
            edges: page
                .edges
                .into_iter()
                .map(|edge| (edge.cursor, Arc::new(edge.node)))
                .collect(),
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            total: page.total,
            query,
            relations,
        }
    }
}

impl GoodPracticeConnection {
    /// What the practices of a connection field's selection (`ctx`) read: the columns its
    /// nodes' fields read (the plain text for a search `snippet`), and the agency and
    /// municipalities (read with the page, with the columns their fields read) where its
    /// nodes ask for them.
    pub fn columns_for(ctx: &Context<'_>) -> PracticeColumns {
        let connection = [ctx.field()];
        let edges = fields(&connection, "edges");
        let nodes = [fields(&connection, "nodes"), fields(&edges, "node")].concat();
        let mut row = shape::<GoodPractice>(&nodes, LISTED);
        if !fields(&edges, "snippet").is_empty() {
            row = row.union(PLAIN_TEXT);
        }
        let agencies = fields(&nodes, "agency");
        let municipalities = fields(&nodes, "municipalities");
        PracticeColumns {
            row,
            agency: (!agencies.is_empty()).then(|| shape::<Agency>(&agencies, Agency::ID_COLUMN)),
            municipalities: (!municipalities.is_empty())
                .then(|| shape::<Municipality>(&municipalities, Municipality::ID_COLUMN)),
        }
    }
}

/// A good practice with its cursor and, in a search, its highlighted matches.
pub struct GoodPracticeEdge {
    cursor: String,
    node: Arc<Shaped<good_practice::Model>>,
    query: Option<SearchQuery>,
    relations: Arc<PageRelations>,
}

/// A page of good practices (a Relay connection with keyset cursors).
#[Object]
impl GoodPracticeConnection {
    /// The practices of this page, each with its cursor (and snippet, in a search).
    async fn edges(&self) -> List<GoodPracticeEdge> {
        self.edges
            .iter()
            .map(|(cursor, node)| GoodPracticeEdge {
                cursor: cursor.clone(),
                node: node.clone(),
                query: self.query.clone(),
                relations: self.relations.clone(),
            })
            .collect()
    }

    /// The practices of this page.
    async fn nodes(&self) -> List<GoodPractice> {
        self.edges
            .iter()
            .map(|(_, node)| GoodPractice::on_page(node.clone(), &self.relations))
            .collect()
    }

    /// Where this page sits in the list.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            start_cursor: self.edges.first().map(|(cursor, _)| cursor.clone()),
            end_cursor: self.edges.last().map(|(cursor, _)| cursor.clone()),
        }
    }

    /// How many practices match the filter, over all pages (costs one count query).
    async fn total_count(&self) -> async_graphql::Result<i32> {
        Ok(i32::try_from(self.total.get().await?).unwrap_or(i32::MAX))
    }
}

/// A good practice with its cursor and, in a search, its highlighted matches.
#[Object]
impl GoodPracticeEdge {
    /// Opaque cursor of this practice; pass it as `after` to continue behind it.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The practice.
    async fn node(&self) -> GoodPractice {
        GoodPractice::on_page(self.node.clone(), &self.relations)
    }

    /// In a search: the passage of summary and body where the search terms are densest, as
    /// HTML-escaped text with hits wrapped in `<mark>`. Null outside a search.
    async fn snippet(&self) -> Option<String> {
        self.query
            .as_ref()
            .map(|query| search::snippet(&self.node.read(PLAIN_TEXT).plain_text, query, SNIPPET_WORDS))
    }

    /// In a search: the title, HTML-escaped, with hits wrapped in `<mark>`. Null outside a search.
    async fn highlighted_title(&self) -> Option<String> {
        self.query
            .as_ref()
            .map(|query| search::highlight(&self.node.read(LISTED).title, query))
    }
}
