//! The HTTP server under the router: accepts connections, at most `--http-max-connections` at a
//! time, serves each with hyper (HTTP/1.1 and upgrades to WebSocket), closes the idle and the
//! slow ones, and shuts down gracefully.
//!
//! It replaces `axum::serve`, which keeps a connection open as long as the client likes (500
//! idle connections stayed open for 400 s, then new clients got `Too many open files`), has no
//! connection limit, and logs every failed accept.

mod connection;

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use crate::config::Limits;
use connection::Timeouts;

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
}

impl From<&Limits> for ServerLimits {
    fn from(limits: &Limits) -> Self {
        ServerLimits {
            max_connections: usize::try_from(limits.http_max_connections).unwrap_or(usize::MAX),
            header_timeout: limits.http_header_timeout(),
            idle_timeout: limits.http_idle_timeout(),
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves; then stops accepting, lets each
/// connection finish its request in flight and waits for them (upgraded WebSockets excepted).
pub async fn serve(
    router: Router,
    listener: TcpListener,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // A connection holds its permit as long as its socket is open, in its upgraded form too.
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop, stopping) = watch::channel(());
    let timeouts = Timeouts {
        header: limits.header_timeout,
        idle: limits.idle_timeout,
    };
    let mut accept_errors = Throttle::new(LOG_INTERVAL);
    let mut at_limit = Throttle::new(LOG_INTERVAL);
    tokio::pin!(shutdown);
    loop {
        if permits.available_permits() == 0
            && let Some(suppressed) = at_limit.hit(Instant::now())
        {
            tracing::warn!(
                max_connections = limits.max_connections,
                suppressed,
                "connection limit reached; new connections wait until one closes"
            );
        }
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, remote)) => {
                let task = connection::serve(stream, remote, permit, router.clone(), timeouts, stopping.clone());
                tokio::spawn(task);
            }
            // The client gave up before we took its connection: nothing to do about it.
            Err(error) if is_connection_error(&error) => {}
            Err(error) => {
                if let Some(suppressed) = accept_errors.hit(Instant::now()) {
                    tracing::error!(%error, suppressed, "accepting a connection failed; pausing briefly");
                }
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
            }
        }
    }
    drop(listener);
    drop(stopping);
    // Every connection task holds a receiver: the sender is closed when the last has ended.
    let _ = stop.send(());
    stop.closed().await;
    Ok(())
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
