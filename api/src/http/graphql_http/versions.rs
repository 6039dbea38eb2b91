//! Reads of the data version, shared between requests. A cached answer may be served only if
//! nothing committed since it was computed, on any replica: the request must see a data version
//! read that started after it arrived (a write acknowledged before that is then counted). Under
//! load many requests arrive while one read is under way; each that arrived before that read
//! started waits for it instead of sending its own, so one statement serves many requests.

use std::sync::{Mutex, MutexGuard, PoisonError};

use futures::future::{BoxFuture, FutureExt, Shared};

/// A data version as read: its tag, and with a read replica the primary's WAL position at the
/// read (what a response computed on the replica must have seen to be stored under the tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataVersion {
    pub tag: String,
    pub lsn: Option<u64>,
}

impl DataVersion {
    /// A version without a WAL position.
    pub fn tag(tag: impl Into<String>) -> Self {
        DataVersion {
            tag: tag.into(),
            lsn: None,
        }
    }
}

/// One read: its result once there, shared by every request that waits for it.
type Read = Shared<BoxFuture<'static, Option<DataVersion>>>;

/// The reads of one instance.
#[derive(Default)]
pub struct VersionReads {
    flight: Mutex<Flight>,
}

#[derive(Default)]
struct Flight {
    /// How many reads started so far (the latest one's number).
    started: u64,
    /// The latest read, under way or done.
    latest: Option<(u64, Read)>,
}

impl VersionReads {
    fn lock(&self) -> MutexGuard<'_, Flight> {
        self.flight.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A request's ticket, taken when it arrives: the reads started before it.
    pub fn ticket(&self) -> u64 {
        self.lock().started
    }

    /// The data version from a read that started after the ticket was taken: the latest one if
    /// it did, else a new one (`start`), which later requests may then share.
    pub async fn after(
        &self,
        ticket: u64,
        start: impl FnOnce() -> BoxFuture<'static, Option<DataVersion>>,
    ) -> Option<DataVersion> {
        let read = {
            let mut flight = self.lock();
            match &flight.latest {
                Some((number, read)) if *number > ticket => read.clone(),
                _ => {
                    flight.started += 1;
                    let read = start().shared();
                    flight.latest = Some((flight.started, read.clone()));
                    read
                }
            }
        };
        read.await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_request_never_takes_a_read_that_started_before_it_arrived() {
        let reads = Arc::new(VersionReads::default());
        let statements = Arc::new(AtomicU64::new(0));
        let start = |statements: Arc<AtomicU64>| {
            move || {
                async move {
                    let n = statements.fetch_add(1, Ordering::SeqCst) + 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    Some(DataVersion::tag(n.to_string()))
                }
                .boxed()
            }
        };
        // The first request's read is under way when the second arrives: the second needs one
        // of its own; a third arriving before that read starts shares it.
        let early = reads.ticket();
        let first = tokio::spawn({
            let (reads, statements) = (reads.clone(), statements.clone());
            async move { reads.after(early, start(statements)).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let (second_ticket, third_ticket) = (reads.ticket(), reads.ticket());
        let second = reads.after(second_ticket, start(statements.clone()));
        let third = reads.after(third_ticket, start(statements.clone()));
        let (second, third) = tokio::join!(second, third);
        assert_eq!(first.await.expect("first"), Some(DataVersion::tag("1")));
        assert_eq!(
            (second, third),
            (Some(DataVersion::tag("2")), Some(DataVersion::tag("2")))
        );
        assert_eq!(
            statements.load(Ordering::SeqCst),
            2,
            "one read served the second and the third"
        );
        // A request arriving after the second read started does not take it.
        let late = reads.ticket();
        assert_eq!(
            reads.after(late, start(statements.clone())).await,
            Some(DataVersion::tag("3"))
        );
    }
}
