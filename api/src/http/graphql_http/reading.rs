//! Which database a request's operations read, with a read replica (`--read-database-url`):
//! queries go to the replica while it is in use and has replayed what they must see (the data
//! version a cache miss will be stored under; the viewer's own writes of the last
//! `--read-your-writes-secs`); anything else, and every batch with a mutation, runs on the
//! primary, after which the viewer's writes are remembered.

use async_graphql::parser::types::OperationType;

use super::HttpState;
use super::request::operation_type;
use crate::auth::Viewer;
use crate::state::AppState;

/// Where a request runs.
pub(super) enum Route {
    /// On the primary; `wrote` when the batch may have written.
    Primary { wrote: bool },
    /// Its queries on the replica.
    Replica,
}

/// Who a remembered write belongs to (an anonymous viewer has no name across requests; their
/// cached reads are kept fresh by the data version).
fn viewer_key(viewer: &Viewer) -> Option<String> {
    match viewer {
        Viewer::Anonymous => None,
        Viewer::Operator => Some("operator".to_owned()),
        Viewer::Member(member) => Some(format!("member:{}", member.id)),
        Viewer::Client(client) => Some(format!("client:{}", client.client_id)),
    }
}

/// Where `batch` runs for `viewer`; `fresh_as` is the primary's position its answer must show.
pub(super) async fn route(
    state: &HttpState,
    viewer: &Viewer,
    batch: &[async_graphql::Request],
    fresh_as: Option<u64>,
) -> Route {
    let (Some(replica), Some(_)) = (&state.app.replica, &state.reading) else {
        return Route::Primary { wrote: false };
    };
    let only_queries = batch
        .iter()
        .all(|request| operation_type(&request.query, request.operation_name.as_deref()) == Some(OperationType::Query));
    if !only_queries {
        return Route::Primary { wrote: true };
    }
    let own_writes = viewer_key(viewer).and_then(|key| replica.written_by(&key));
    let must_see = fresh_as.into_iter().chain(own_writes).max();
    if replica.may_read(must_see).await {
        state.app.metrics().replica_reads.inc();
        Route::Replica
    } else {
        Route::Primary { wrote: false }
    }
}

impl Route {
    /// The state the batch's operations run with.
    pub(super) fn state<'s>(&self, state: &'s HttpState) -> &'s AppState {
        match (self, &state.reading) {
            (Route::Replica, Some(reading)) => reading,
            _ => &state.app,
        }
    }

    /// Gives a request routed to the replica the replica's state, which its resolvers then find
    /// before the schema's (`ctx.state()`).
    pub(super) fn mark(&self, request: async_graphql::Request, state: &HttpState) -> async_graphql::Request {
        match (self, &state.reading) {
            (Route::Replica, Some(reading)) => request.data(reading.clone()),
            _ => request,
        }
    }

    /// After the batch ran: a viewer who may have written reads on the primary until the
    /// replica has replayed past this point.
    pub(super) async fn after(&self, state: &HttpState, viewer: &Viewer) {
        if let (Route::Primary { wrote: true }, Some(replica), Some(key)) =
            (self, &state.app.replica, viewer_key(viewer))
        {
            replica.wrote(key).await;
        }
    }
}
