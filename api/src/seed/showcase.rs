//! The showcase: a larger, invented data set loaded on top of the compact demo ([`super::demo`])
//! so that lists, facets, maps and portals have something to show. Sixty good practices in
//! real districts of thirteen Länder, the Transferagenturen that share them, twelve upcoming
//! qualification events, three forums where four demo members talk, and two more portals.
//!
//! Everything here is fictional and says so in its text; only the districts and their keys are
//! real (`api/assets/kreise-2018.csv`, added to the map at start). Like the compact demo it is
//! loaded through the services as the operator, and a second load creates nothing.

mod agencies;
mod conversations;
mod events;
mod forums;
mod members;
mod places;
mod portals;
mod practices;
mod themes;

use crate::app::App;
use crate::auth::Viewer;

/// Loads the showcase on top of the compact demo (which must be loaded first: the showcase
/// uses its agencies); returns how many records were created.
pub async fn showcase(app: &App) -> anyhow::Result<usize> {
    let operator = Viewer::Operator;
    let writer = &app.state.writer;
    let mut count = agencies::create_agencies(writer, &operator).await?;
    count += practices::create_practices(writer, &operator).await?;
    count += events::create_events(writer, &operator).await?;
    let members = members::ensure_members(writer).await?;
    count += members.created;
    count += forums::create_forums(app, &operator, &members.viewers).await?;
    count += portals::create_portals(app, &operator).await?;
    Ok(count)
}
