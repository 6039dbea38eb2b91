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
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            draining: AtomicBool::new(false),
            closing: watch::channel(false).0,
        }
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

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        *self.closing.borrow()
    }
}
