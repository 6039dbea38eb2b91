//! A real SMTP server inside the test process (mailin-embedded, on an ephemeral port), which
//! keeps what it accepts and can answer each message's end of data with a scripted code:
//! `451` (try again later) or `554` (refused for good) instead of `250`.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Response, Server};

use crate::mail::ReceivedMail;

#[derive(Default)]
struct Inbox {
    accepted: Vec<ReceivedMail>,
    /// Codes to answer the next messages with, in order (then 250).
    script: Vec<u16>,
    /// Every end of data seen, accepted or not.
    attempts: usize,
}

#[derive(Clone)]
struct Recorder {
    inbox: Arc<Mutex<Inbox>>,
    current: Vec<u8>,
    delay: Duration,
}

impl Handler for Recorder {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, _to: &[String]) -> Response {
        self.current.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        std::thread::sleep(self.delay);
        let mut inbox = self.inbox.lock().expect("inbox");
        inbox.attempts += 1;
        if !inbox.script.is_empty() {
            let code = inbox.script.remove(0);
            // Closing after the refusal: mailin stays in its DATA state after an error at the end
            // of data, and would take the client's next commands for message text.
            let mut refusal = Response::custom(code, format!("scripted answer {code}"));
            refusal.action = mailin_embedded::Action::Close;
            return refusal;
        }
        inbox.accepted.push(ReceivedMail::parse(&self.current));
        OK
    }
}

/// The embedded SMTP server of a test.
pub struct SmtpServer {
    /// `smtp://127.0.0.1:PORT` (no TLS, no authentication).
    pub url: String,
    inbox: Arc<Mutex<Inbox>>,
}

impl SmtpServer {
    /// Starts a server that accepts everything.
    pub fn start() -> SmtpServer {
        Self::start_with(Vec::new(), Duration::ZERO)
    }

    /// Starts a server that answers the first messages with `script`'s codes, and waits `delay`
    /// before answering each message's end of data.
    pub fn start_with(script: Vec<u16>, delay: Duration) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP server");
        let url = format!("smtp://{}", listener.local_addr().expect("address"));
        let inbox = Arc::new(Mutex::new(Inbox {
            script,
            ..Inbox::default()
        }));
        let recorder = Recorder {
            inbox: inbox.clone(),
            current: Vec::new(),
            delay,
        };
        std::thread::spawn(move || {
            let mut server = Server::new(recorder);
            server
                .with_name("smtp.test")
                .with_num_threads(4)
                .with_tcp_listener(listener);
            let _ = server.serve();
        });
        SmtpServer { url, inbox }
    }

    /// What it accepted so far.
    pub fn accepted(&self) -> Vec<ReceivedMail> {
        self.inbox.lock().expect("inbox").accepted.clone()
    }

    /// Ends of data it saw so far, accepted or not.
    pub fn attempts(&self) -> usize {
        self.inbox.lock().expect("inbox").attempts
    }

    /// Waits up to `limit` until at least `count` ends of data were seen.
    pub async fn wait_for_attempts(&self, count: usize, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        while self.attempts() < count && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits up to `limit` until at least `count` messages were accepted; returns them.
    pub async fn wait_for(&self, count: usize, limit: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let accepted = self.accepted();
            if accepted.len() >= count || tokio::time::Instant::now() >= deadline {
                return accepted;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
