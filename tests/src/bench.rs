//! Small helpers for the benchmark programs in `benches/`: run a load with N concurrent
//! clients and report throughput and latency percentiles.

use std::future::Future;
use std::time::{Duration, Instant};

/// Figures of one load run.
#[derive(Debug, Clone)]
pub struct Figures {
    pub requests: usize,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Figures {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// One line: `label  requests/s  p50  p99  max`.
    pub fn line(&self, label: &str) -> String {
        format!(
            "{label:<58} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   ({} requests)",
            self.per_second(),
            ms(self.p50),
            ms(self.p99),
            ms(self.max),
            self.requests
        )
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Percentiles of a set of latencies.
pub fn figures(mut latencies: Vec<Duration>, elapsed: Duration) -> Figures {
    latencies.sort();
    let at = |q: f64| {
        if latencies.is_empty() {
            return Duration::ZERO;
        }
        let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies[index.min(latencies.len() - 1)]
    };
    Figures {
        requests: latencies.len(),
        elapsed,
        p50: at(0.50),
        p99: at(0.99),
        max: at(1.0),
    }
}

/// Runs `clients` concurrent clients, each calling `request(client, i)` `per_client` times.
pub async fn load<F, Fut>(clients: usize, per_client: usize, request: F) -> Figures
where
    F: Fn(usize, usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    let begun = Instant::now();
                    request(client, i).await;
                    latencies.push(begun.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(clients * per_client);
    for task in tasks {
        latencies.extend(task.await.expect("a client task"));
    }
    figures(latencies, started.elapsed())
}
