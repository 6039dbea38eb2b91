//! Relay connection types. Each list gets its own `…Connection` and `…Edge` type (made by
//! [`connection_type!`]) so that every type and field carries a description.

use async_graphql::{Enum, SimpleObject};

/// Direction of a list ordering.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "crate::pagination::Direction")]
pub enum OrderDirection {
    /// Ascending: A to Z, oldest first, smallest first.
    #[default]
    Asc,
    /// Descending: Z to A, newest first, largest first.
    Desc,
}

/// Where a page sits in its list.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// Whether more items follow this page (ask again with `after: endCursor`).
    pub has_next_page: bool,
    /// Whether items precede this page (ask again with `before: startCursor`; true whenever
    /// `after` was given).
    pub has_previous_page: bool,
    /// Cursor of the first item of the page; pass it as `before` for the page before.
    pub start_cursor: Option<String>,
    /// Cursor of the last item of the page; pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

/// Declares `$connection` and `$edge` GraphQL types over a [`crate::pagination::Page`] of rows
/// that `$node` wraps (`$node::from(row)`).
macro_rules! connection_type {
    ($connection:ident, $edge:ident, $node:ty, $row:ty, $connection_doc:literal, $edge_doc:literal) => {
        #[doc = $connection_doc]
        pub struct $connection(pub $crate::pagination::Page<$row>);

        #[doc = $edge_doc]
        pub struct $edge {
            cursor: String,
            node: $node,
        }

        #[doc = $connection_doc]
        #[async_graphql::Object]
        impl $connection {
            /// The items of this page, each with its cursor.
            async fn edges(&self) -> Vec<$edge> {
                self.0
                    .edges
                    .iter()
                    .map(|edge| $edge {
                        cursor: edge.cursor.clone(),
                        node: <$node>::from(edge.node.clone()),
                    })
                    .collect()
            }

            /// The items of this page (the edges' nodes, for clients that need no cursors).
            async fn nodes(&self) -> Vec<$node> {
                self.0
                    .edges
                    .iter()
                    .map(|edge| <$node>::from(edge.node.clone()))
                    .collect()
            }

            /// Where this page sits in the list.
            async fn page_info(&self) -> $crate::graphql::PageInfo {
                $crate::graphql::PageInfo {
                    has_next_page: self.0.has_next_page,
                    has_previous_page: self.0.has_previous_page,
                    start_cursor: self.0.edges.first().map(|edge| edge.cursor.clone()),
                    end_cursor: self.0.edges.last().map(|edge| edge.cursor.clone()),
                }
            }

            /// How many items match the filter, over all pages (costs one count query).
            async fn total_count(&self) -> async_graphql::Result<i32> {
                let total = self.0.total.get().await?;
                Ok(i32::try_from(total).unwrap_or(i32::MAX))
            }
        }

        #[doc = $edge_doc]
        #[async_graphql::Object]
        impl $edge {
            /// Opaque cursor of this item; pass it as `after` to continue behind it.
            async fn cursor(&self) -> &str {
                &self.cursor
            }

            /// The item.
            async fn node(&self) -> &$node {
                &self.node
            }
        }
    };
}

pub(crate) use connection_type;
