//! The HTTP server under the router: accepts connections, at most `--http-max-connections` at a
//! time (at the limit an idle connection makes room for a new one; only busy ones make it
//! wait), serves each with hyper (HTTP/1.1 and upgrades to WebSocket), closes the idle and the
//! slow ones (a new connection must begin its first request within the header timeout), and
//! shuts down gracefully.
//!
//! It replaces `axum::serve`, which keeps a connection open as long as the client likes (500
//! idle connections stayed open for 400 s, then new clients got `Too many open files`), has no
//! connection limit, and logs every failed accept.

mod connection;
pub mod lifecycle;
pub mod startup;

pub use lifecycle::Lifecycle;

use std::future::Future;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use crate::config::Limits;
use connection::{Shed, Timeouts};

/// Pause after a failed accept that is not one client's problem (`EMFILE`, `ENFILE`,
/// `ENOBUFS`): retried at once it fails again at once, and while we wait, connections close.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Such errors, and reaching the connection limit, are logged at most this often.
const LOG_INTERVAL: Duration = Duration::from_secs(10);

/// The server's share of [`Limits`].
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits {
    /// Open connections at most (WebSockets included).
    pub max_connections: usize,
    /// How long a started request head may take.
    pub header_timeout: Duration,
    /// How long a connection may sit idle.
    pub idle_timeout: Duration,
    /// How long requests in flight may take to finish once the server stops accepting.
    pub grace: Duration,
}

impl From<&Limits> for ServerLimits {
    fn from(limits: &Limits) -> Self {
        ServerLimits {
            max_connections: usize::try_from(limits.http_max_connections).unwrap_or(usize::MAX),
            header_timeout: limits.http_header_timeout(),
            idle_timeout: limits.http_idle_timeout(),
            grace: Duration::from_secs(20),
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves; then stops accepting (closes the
/// listener), lets each connection finish its request in flight and waits for them (upgraded
/// WebSockets excepted) up to `grace`.
pub async fn serve(
    router: Router,
    listener: TcpListener,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let open = accept(router, &listener, limits, shutdown).await;
    drop(listener);
    open.finish(limits.grace).await;
    Ok(())
}

/// The connections a server accepted, still being served after it stopped accepting.
pub struct Open {
    stop: watch::Sender<()>,
    stopping: watch::Receiver<()>,
}

impl Open {
    /// Asks every connection to finish its request in flight and close, and waits until they
    /// have, at most `grace`.
    pub async fn finish(self, grace: Duration) {
        let Open { stop, stopping } = self;
        drop(stopping);
        // Every connection task holds a receiver: the sender is closed when the last has ended.
        let _ = stop.send(());
        if tokio::time::timeout(grace, stop.closed()).await.is_err() {
            tracing::warn!(
                grace_secs = grace.as_secs(),
                "requests still in flight after the grace period; leaving them"
            );
        }
    }
}

/// Accepts connections on `listener` and serves them with `router` until `shutdown` resolves.
pub async fn accept(
    router: Router,
    listener: &TcpListener,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Open {
    // A connection holds its permit as long as its socket is open, in its upgraded form too.
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let connections = Connections::default();
    let (stop, stopping) = watch::channel(());
    let timeouts = Timeouts {
        header: limits.header_timeout,
        idle: limits.idle_timeout,
    };
    let mut accept_errors = Throttle::new(LOG_INTERVAL);
    let mut at_limit = Throttle::new(LOG_INTERVAL);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            // The client gave up before we took its connection: nothing to do about it.
            Err(error) if is_connection_error(&error) => continue,
            Err(error) => {
                if let Some(suppressed) = accept_errors.hit(Instant::now()) {
                    tracing::error!(%error, suppressed, "accepting a connection failed; pausing briefly");
                }
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if let Some(suppressed) = at_limit.hit(Instant::now()) {
                    tracing::warn!(
                        max_connections = limits.max_connections,
                        suppressed,
                        "connection limit reached; idle connections make room, others wait"
                    );
                }
                // At the limit, the longest idle connection makes room for the new one: an
                // idle socket is cheap to reopen, a refused client is locked out.
                connections.shed_one_idle();
                tokio::select! {
                    () = &mut shutdown => break,
                    permit = permits.clone().acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => break,
                    },
                }
            }
        };
        let shed = connections.register();
        let finished = connections.clone();
        let task = connection::serve(
            stream,
            remote,
            permit,
            router.clone(),
            timeouts,
            (stopping.clone(), shed.clone()),
        );
        tokio::spawn(async move {
            task.await;
            finished.remove(&shed);
        });
    }
    Open { stop, stopping }
}

/// The connections being served (until their HTTP is over: an upgraded WebSocket is not
/// idle and never shed), so that at the limit an idle one can be asked to make room.
#[derive(Clone, Default)]
struct Connections(Arc<Mutex<Vec<Arc<Shed>>>>);

impl Connections {
    fn register(&self) -> Arc<Shed> {
        let shed = Shed::new();
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(shed.clone());
        shed
    }

    fn remove(&self, shed: &Arc<Shed>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|known| !Arc::ptr_eq(known, shed));
    }

    /// Asks the connection idle the longest to close (it gives back its permit when it has);
    /// none if every connection is busy.
    fn shed_one_idle(&self) {
        let connections = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let idlest = connections
            .iter()
            .filter_map(|shed| Some((shed.activity.idle_instant()?, shed)))
            .min_by_key(|(since, _)| *since);
        if let Some((_, shed)) = idlest {
            shed.notify.notify_one();
        }
    }
}

fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// Lets through one occurrence per interval and counts the others.
#[derive(Debug)]
struct Throttle {
    interval: Duration,
    last: Option<Instant>,
    suppressed: u64,
}

impl Throttle {
    fn new(interval: Duration) -> Self {
        Throttle {
            interval,
            last: None,
            suppressed: 0,
        }
    }

    /// Counts an occurrence at `now`; if it is to be logged, how many were left unlogged since
    /// the last one that was.
    fn hit(&mut self, now: Instant) -> Option<u64> {
        match self.last {
            Some(last) if now.duration_since(last) < self.interval => {
                self.suppressed += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.suppressed))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_logs_once_per_interval_and_counts_the_rest() {
        let mut throttle = Throttle::new(Duration::from_secs(10));
        let start = Instant::now();
        assert_eq!(throttle.hit(start), Some(0));
        for millis in [1, 50, 9_999] {
            assert_eq!(throttle.hit(start + Duration::from_millis(millis)), None);
        }
        assert_eq!(throttle.hit(start + Duration::from_secs(10)), Some(3));
        assert_eq!(throttle.hit(start + Duration::from_secs(11)), None);
    }

    #[test]
    fn only_a_client_giving_up_is_a_connection_error() {
        assert!(is_connection_error(&io::Error::from(io::ErrorKind::ConnectionAborted)));
        assert!(!is_connection_error(&io::Error::other("Too many open files")));
    }
}
