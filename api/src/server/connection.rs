//! One client connection: HTTP/1.1 through hyper (upgrades to WebSocket included), closed when
//! it sits idle or dribbles its request head, shut down gracefully when the server stops.
//!
//! hyper has a single `header_read_timeout` that runs from the moment the connection is ready
//! for a request, so the idle wait between requests and the transfer of the head would share
//! one limit; a keep-alive longer than a load balancer's (say 75 s) would then let a client
//! take 75 s for its head. So the connection watches its socket instead and tells the two
//! apart: idle (no request in flight, no byte either way) closes after the idle timeout; a
//! request head that has begun (a byte read, no request in flight yet) closes after the header
//! timeout. A request in flight is never cut here: `--request-timeout-secs` bounds it.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, watch};
use tower::ServiceExt;

/// The connection timeouts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timeouts {
    /// From the first byte of a request head to its end.
    pub header: Duration,
    /// Without a request in flight and without a byte in either direction.
    pub idle: Duration,
}

/// Serves one connection until the client closes it, it times out, it is shed (the server at
/// its limit needs the place of an idle one), or the server stops.
pub(super) async fn serve(
    stream: TcpStream,
    remote: SocketAddr,
    permit: OwnedSemaphorePermit,
    router: Router,
    timeouts: Timeouts,
    (mut stopping, shed): (watch::Receiver<()>, Arc<Shed>),
) {
    let activity = shed.activity.clone();
    let io = Watched {
        stream,
        activity: activity.clone(),
        _permit: permit,
    };
    let requests = activity.clone();
    let service = service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(remote));
        let in_flight = requests.request_started();
        let response = router.clone().oneshot(request);
        async move {
            let response = response.await;
            drop(in_flight);
            response
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    tokio::pin!(connection);
    // Timeouts are checked at their deadline and at least this often, so a head that starts
    // during a long idle wait is held to the header timeout.
    let check_every = timeouts.header.min(timeouts.idle);
    let mut stop_signal = true;
    loop {
        let now = Instant::now();
        let deadline = activity.deadline(timeouts);
        if deadline.is_some_and(|deadline| deadline <= now) {
            tracing::debug!(%remote, "closing an idle or slow connection");
            return;
        }
        let wake = deadline.map_or(now + check_every, |deadline| deadline.min(now + check_every));
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%remote, %error, "connection ended with an error");
                }
                return;
            }
            _ = stopping.changed(), if stop_signal => {
                stop_signal = false;
                connection.as_mut().graceful_shutdown();
            }
            () = shed.notify.notified() => {
                tracing::debug!(%remote, "closing an idle connection for a new one");
                return;
            }
            () = tokio::time::sleep_until(wake.into()) => {}
        }
    }
}

/// A connection as the accept loop sees it: its activity, to tell whether it is idle, and the
/// bell that asks it to close (for a new connection at the limit).
pub(super) struct Shed {
    pub activity: Arc<Activity>,
    pub notify: tokio::sync::Notify,
}

impl Shed {
    pub(super) fn new() -> Arc<Shed> {
        Arc::new(Shed {
            activity: Arc::new(Activity::new()),
            notify: tokio::sync::Notify::new(),
        })
    }
}

/// "None yet" in the millisecond fields of [`Activity`].
const NONE: u64 = u64::MAX;

/// What happened on a connection last, in milliseconds since it opened. Written by its socket
/// and its requests, read by its task.
pub(super) struct Activity {
    opened: Instant,
    in_flight: AtomicUsize,
    /// When it last became ready for a request: opened, or a response's head handed to hyper
    /// (the body may still be streaming; its bytes count as activity).
    ready_at: AtomicU64,
    last_write: AtomicU64,
    /// When the first byte after `ready_at` arrived, i.e. a request head began.
    head_started: AtomicU64,
    /// Whether a request was answered on it (a new connection must send its first head within
    /// the header timeout).
    served: std::sync::atomic::AtomicBool,
}

impl Activity {
    fn new() -> Self {
        Activity {
            opened: Instant::now(),
            in_flight: AtomicUsize::new(0),
            ready_at: AtomicU64::new(0),
            last_write: AtomicU64::new(0),
            head_started: AtomicU64::new(NONE),
            served: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Since when the connection is idle (no request in flight, no head begun), if it is.
    pub(super) fn idle_instant(&self) -> Option<Instant> {
        if self.in_flight.load(Ordering::Relaxed) > 0 || self.head_started.load(Ordering::Relaxed) != NONE {
            return None;
        }
        let since = self
            .ready_at
            .load(Ordering::Relaxed)
            .max(self.last_write.load(Ordering::Relaxed));
        Some(self.at(since))
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(NONE - 1)
    }

    fn at(&self, millis: u64) -> Instant {
        self.opened + Duration::from_millis(millis)
    }

    fn read(&self) {
        if self.in_flight.load(Ordering::Relaxed) == 0 {
            let _ = self
                .head_started
                .compare_exchange(NONE, self.now(), Ordering::Relaxed, Ordering::Relaxed);
        }
    }

    fn wrote(&self) {
        self.last_write.store(self.now(), Ordering::Relaxed);
    }

    fn request_started(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self.clone())
    }

    /// When the connection is to be closed unless something happens before; none while a
    /// request is in flight.
    fn deadline(&self, timeouts: Timeouts) -> Option<Instant> {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let head_started = self.head_started.load(Ordering::Relaxed);
        if head_started != NONE {
            return Some(self.at(head_started) + timeouts.header);
        }
        let quiet_since = self
            .ready_at
            .load(Ordering::Relaxed)
            .max(self.last_write.load(Ordering::Relaxed));
        // A new connection that has sent nothing has the header timeout to begin its head: a
        // socket that never speaks is not kept for the whole idle time.
        let wait = if self.served.load(Ordering::Relaxed) {
            timeouts.idle
        } else {
            timeouts.idle.min(timeouts.header)
        };
        Some(self.at(quiet_since) + wait)
    }
}

/// A request being answered; when it is, the connection is ready for the next.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let activity = &self.0;
        activity.head_started.store(NONE, Ordering::Relaxed);
        activity.served.store(true, Ordering::Relaxed);
        activity.ready_at.store(activity.now(), Ordering::Relaxed);
        activity.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The socket of a connection, reporting its traffic to [`Activity`] and holding the
/// connection's permit until it is closed (after an upgrade too).
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            this.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            this.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUTS: Timeouts = Timeouts {
        header: Duration::from_secs(10),
        idle: Duration::from_secs(75),
    };

    #[test]
    fn idle_head_and_request_phases_have_their_deadlines() {
        let activity = Arc::new(Activity::new());
        let silent = activity.deadline(TIMEOUTS).expect("a deadline");
        assert_eq!(
            silent,
            activity.opened + TIMEOUTS.header,
            "a new connection has the header timeout to begin"
        );
        activity.read();
        let head = activity.deadline(TIMEOUTS).expect("a deadline");
        assert_eq!(head, silent, "a begun head has the header timeout");
        let request = activity.request_started();
        assert_eq!(activity.deadline(TIMEOUTS), None, "a request in flight is not cut");
        activity.read();
        drop(request);
        let after = activity.deadline(TIMEOUTS).expect("a deadline");
        assert!(
            after >= activity.opened + TIMEOUTS.idle,
            "idle again after the response"
        );
    }
}
