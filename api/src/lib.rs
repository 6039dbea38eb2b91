//! dkbm-hub: the shared GraphQL API of the DKBM community (Datenbasiertes Kommunales
//! Bildungsmanagement): municipalities, agencies, good practices, qualification events, forums.
//!
//! The library holds everything; `main.rs` only parses the command line. Three layers, names
//! pointing down (ARCHITECTURE.md draws them):
//! - above the areas: [`app`] (one instance: its state and every area's handle, the hooks
//!   wired), [`schema`] (the GraphQL schema of all areas), [`http`] (the router), [`seed`],
//!   [`maintenance`], and [`serve`] (the [`server`] with its limits and graceful shutdown);
//! - the areas: [`directory`], [`indicators`], [`members`], [`webhooks`], [`outbox_admin`],
//!   [`portals`], [`practices`], [`events`], [`forums`], [`documents`], [`curation`], [`search`];
//! - below them the framework: [`config::Config`] (every setting), [`db`] (connection,
//!   migrations, the unit of work, backend differences), [`graphql`], [`auth`], [`mail`],
//!   [`outbox`], [`storage`], [`ids`] and the small foundations.

pub mod accompaniment;
pub mod app;
pub mod auth;
pub mod config;
pub mod curation;
pub mod db;
pub mod directory;
pub mod documents;
pub mod error;
pub mod events;
pub mod forums;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod indicators;
pub mod loader;
pub mod logging;
pub mod mail;
pub mod maintenance;
pub mod markdown;
pub mod members;
pub mod messages;
pub mod metrics;
pub mod outbox;
pub mod outbox_admin;
pub mod pagination;
pub mod patch;
pub mod places;
pub mod portals;
pub mod practices;
pub mod realtime;
pub mod schema;
pub mod search;
pub mod seed;
pub mod server;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod text;
pub mod validate;
pub mod webhooks;

pub use app::App;
pub use config::Config;
pub use error::AppError;
pub use http::router;
pub use state::AppState;

use std::future::Future;

use tokio::net::TcpListener;

/// Connects to the database, applies migrations (unless switched off), builds one server
/// instance and optionally loads the demo data.
pub async fn prepare(config: Config) -> anyhow::Result<App> {
    use anyhow::Context;
    let db = db::connect(&config.database)
        .await
        .context("connecting to the database")?;
    if !config.skip_migrations {
        migrate(&db).await?;
    }
    prepare_connected(config, db).await
}

async fn migrate(db: &db::Db) -> anyhow::Result<()> {
    use anyhow::Context;
    let applied = db::migrate(&db.connection).await.context("applying migrations")?;
    tracing::info!(applied, "migrations applied");
    Ok(())
}

/// Builds the instance on a migrated database: its state, the base places, the demo data.
async fn prepare_connected(config: Config, db: db::Db) -> anyhow::Result<App> {
    use anyhow::Context;
    db::optimize(&db.connection, true)
        .await
        .context("analysing the database")?;
    let app = App::new(state::Instance::start(config, db).await?);
    if !app.state.config.no_base_places {
        let report = places::service::ensure_base_places(&app.state.writer)
            .await
            .context("adding the Länder and districts")?;
        if report.created > 0 {
            tracing::info!(created = report.created, "Länder and districts added");
        }
    }
    if app.state.config.demo {
        let created = seed::demo(&app).await.context("loading the demo data")?;
        let showcased = seed::showcase(&app).await.context("loading the showcase data")?;
        tracing::info!(created, showcased, "demo data loaded");
    }
    Ok(app)
}

/// Runs the server until SIGINT or SIGTERM: logs, binds, migrates (or waits for the
/// migrations), prepares, serves, and on the signal drains (`/readyz` 503 for
/// `--shutdown-delay-secs`), closes and finishes what is in flight.
pub async fn run(config: Config) -> anyhow::Result<()> {
    use anyhow::Context;
    logging::init(&config.log, config.log_json);
    let signalled = server::startup::signalled();
    let bind = config.bind;
    let listener = TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    let address = listener.local_addr()?;
    let db = db::connect(&config.database)
        .await
        .context("connecting to the database")?;
    if !config.skip_migrations {
        migrate(&db).await?;
    } else if !server::startup::await_migrations(&db.connection, &listener, &config, signalled.clone()).await {
        tracing::info!("shut down before the migrations were applied");
        return Ok(());
    }
    let delay = std::time::Duration::from_secs(config.shutdown_delay_secs);
    let app = prepare_connected(config, db).await?;
    tracing::info!(%address, "dkbm-hub listening; GraphiQL at http://{address}/");
    let lifecycle = app.state.lifecycle.clone();
    let shutdown = async move {
        server::startup::on_signal(signalled).await;
        lifecycle.start_draining();
        tracing::info!(
            delay_secs = delay.as_secs(),
            "draining: /readyz answers 503; the listener closes after the delay"
        );
        tokio::time::sleep(delay).await;
    };
    serve(app, listener, shutdown).await?;
    telemetry::flush();
    tracing::info!("shut down");
    Ok(())
}

/// Serves HTTP on `listener` until `shutdown` resolves; then closes the listener and the
/// WebSockets (1001), lets requests in flight and the mail worker's message in hand finish (up
/// to `--shutdown-grace-secs`) and writes the last portal view counts.
pub async fn serve(
    app: App,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = &app.state;
    let grace = std::time::Duration::from_secs(state.config.shutdown_grace_secs);
    let limits = server::ServerLimits {
        grace,
        ..server::ServerLimits::from(&state.config.limits)
    };
    let delivery = outbox::mail::MailDelivery {
        mailer: state.mail.clone(),
        config: state.config.mail.clone(),
        database: state.config.database.clone(),
        metrics: state.metrics().clone(),
        lifecycle: state.lifecycle.clone(),
    };
    let reach_flush = std::time::Duration::from_secs(state.config.portal_reach_flush_secs);
    let dispatch = webhooks::service::Dispatch {
        writer: state.writer.clone(),
        config: state.config.webhooks.clone(),
        database: state.config.database.clone(),
        metrics: state.metrics().clone(),
        lifecycle: state.lifecycle.clone(),
    };
    // The outbox workers: each finishes what it has in hand when the instance closes.
    let mut workers = Background(vec![
        tokio::spawn(outbox::mail::run(delivery)),
        tokio::spawn(webhooks::service::run(dispatch)),
    ]);
    // The instance's other background work: housekeeping, portal reach counts. It ends with the
    // server, also when the serving future is dropped rather than shut down.
    let mut background = vec![
        tokio::spawn(maintenance::run(app.clone())),
        tokio::spawn(portals::service::run_reach_flush(
            state.writer.clone(),
            app.areas.portals.reach.clone(),
            reach_flush,
        )),
    ];
    background.extend(state.replica.clone().map(|replica| tokio::spawn(replica.monitor())));
    background.push(tokio::spawn(documents::service::run_sweeps(
        state.writer.clone(),
        state.storage.clone(),
        state.config.storage.sweep_period(),
    )));
    let _background = Background(background);
    let lifecycle = state.lifecycle.clone();
    let closing = async move {
        shutdown.await;
        lifecycle.close();
    };
    let served = server::serve(http::router(app.clone()), listener, limits, closing).await;
    // The WebSockets were told to close (1001): their close frames go out before the process.
    if tokio::time::timeout(grace, state.lifecycle.sockets_closed())
        .await
        .is_err()
    {
        tracing::warn!("WebSockets still open after the grace period");
    }
    // The mail and webhook workers finish the message in hand (they were told by the close).
    for worker in &mut workers.0 {
        if tokio::time::timeout(grace, worker).await.is_err() {
            tracing::warn!("an outbox worker did not finish within the grace period");
        }
    }
    // The views counted since the last round are written before the instance goes.
    if let Err(error) = portals::service::flush_reach(&state.writer, &app.areas.portals.reach).await {
        tracing::warn!(%error, "writing the last portal reach counts failed");
    }
    served
}

/// Background tasks that are aborted when dropped.
struct Background(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Background {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}
