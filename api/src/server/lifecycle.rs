//! An instance's life after start: serving, then draining on SIGTERM (it answers `/readyz` with
//! 503 so that load balancers stop sending it requests, but still serves), then closing (the
//! listener closes, WebSockets are closed with 1001 "going away", the outbox worker stops after
//! the message in hand).

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;

/// Where the instance stands; shared by the probes, the WebSockets and the workers.
#[derive(Debug)]
pub struct Lifecycle {
    draining: AtomicBool,
    closing: watch::Sender<bool>,
    /// How many WebSockets are open (the instance waits for their close handshakes).
    sockets: watch::Sender<usize>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            draining: AtomicBool::new(false),
            closing: watch::channel(false).0,
            sockets: watch::channel(0).0,
        }
    }
}

/// An open WebSocket, counted until dropped.
pub struct OpenSocket(watch::Sender<usize>);

impl Drop for OpenSocket {
    fn drop(&mut self) {
        self.0.send_modify(|open| *open = open.saturating_sub(1));
    }
}

impl Lifecycle {
    /// The instance is going: `/readyz` fails from now on.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Whether the instance is going.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    /// Tells the long-lived parts (WebSockets, workers) to finish what they hold and end.
    pub fn close(&self) {
        self.start_draining();
        self.closing.send_replace(true);
    }

    /// Resolves once [`close`](Self::close) was called (at once if it was before).
    pub async fn closed(&self) {
        let mut closing = self.closing.subscribe();
        let _ = closing.wait_for(|closing| *closing).await;
    }

    /// Counts a WebSocket as open until the returned guard is dropped.
    pub fn open_socket(&self) -> OpenSocket {
        self.sockets.send_modify(|open| *open += 1);
        OpenSocket(self.sockets.clone())
    }

    /// Resolves once no WebSocket is open (their close frames sent).
    pub async fn sockets_closed(&self) {
        let mut sockets = self.sockets.subscribe();
        let _ = sockets.wait_for(|open| *open == 0).await;
    }

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        *self.closing.borrow()
    }
}
