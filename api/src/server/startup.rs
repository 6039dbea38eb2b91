//! The start and the end of a served instance: the signal that ends it, and the wait of an
//! instance started with `--skip-migrations` on a database that lacks migrations it needs
//! (it answers `/healthz` but `/readyz` 503 until someone applies them, rechecking every few
//! seconds).

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::ServerLimits;
use crate::config::Config;

/// How often a waiting instance looks for the missing migrations.
const MIGRATION_RECHECK: Duration = Duration::from_secs(2);

/// A flag that turns true on SIGINT or SIGTERM.
pub fn signalled() -> watch::Receiver<bool> {
    let (signal, signalled) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = signal.send(true);
    });
    signalled
}

/// Resolves when `signalled` turns true.
pub async fn on_signal(mut signalled: watch::Receiver<bool>) {
    let _ = signalled.wait_for(|signalled| *signalled).await;
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}

/// Until the database has every migration this version needs, serves `/healthz` (200),
/// `/readyz` and everything else (503) on `listener`. Returns false if a signal came first.
pub async fn await_migrations(
    db: &DatabaseConnection,
    listener: &TcpListener,
    config: &Config,
    signalled: watch::Receiver<bool>,
) -> bool {
    let missing = missing_migrations(db).await;
    if missing == 0 {
        return true;
    }
    tracing::warn!(
        missing,
        "the database lacks migrations this version needs; run `dkbm-hub migrate`. Waiting"
    );
    let waiting = Router::new()
        .route("/healthz", get(|| async { (StatusCode::OK, "ok\n") }))
        .fallback(|| async { (StatusCode::SERVICE_UNAVAILABLE, "waiting for database migrations\n") });
    let (applied, done) = watch::channel(false);
    let recheck = {
        let db = db.clone();
        async move {
            while missing_migrations(&db).await > 0 {
                tokio::time::sleep(MIGRATION_RECHECK).await;
            }
            let _ = applied.send(true);
        }
    };
    let until = async move {
        tokio::select! {
            () = recheck => {},
            () = on_signal(signalled) => {},
        }
    };
    let limits = ServerLimits::from(&config.limits);
    super::accept(waiting, listener, limits, until)
        .await
        .finish(limits.grace)
        .await;
    let migrated = *done.borrow();
    if migrated {
        tracing::info!("the migrations are applied; starting");
    }
    migrated
}

/// How many migrations the database lacks (an unreadable database counts as lacking them).
async fn missing_migrations(db: &DatabaseConnection) -> usize {
    match crate::db::pending_migrations(db).await {
        Ok(missing) => missing,
        Err(error) => {
            tracing::warn!(%error, "reading the applied migrations failed");
            usize::MAX
        }
    }
}
