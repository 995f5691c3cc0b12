//! A pooled load: many concurrent HTTP clients, each signed in to one of several tenants,
//! reading a list through PostgREST; every response is checked (status 200, every row of the
//! caller's own tenant). Used by the end-to-end suite and `bench/pooler.sh`.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::Value;

/// A caller: its tenant id and a token for it.
#[derive(Clone, Debug)]
pub struct Caller {
    pub tenant: String,
    pub token: String,
}

/// What the load saw.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub requests: u64,
    /// Responses that were not 200 (or not a JSON array), and transport failures.
    pub errors: u64,
    /// Rows whose tenant_id was not the caller's.
    pub foreign_rows: u64,
    /// Rows checked in all.
    pub rows: u64,
    pub seconds: f64,
    /// The first few error descriptions.
    pub samples: Vec<String>,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1e-9)
    }
}

/// `clients` concurrent clients (client i acts for `callers[i % n]`) send `GET {url}` for
/// `duration`; `url` must select `tenant_id`.
pub async fn run(url: &str, callers: &[Caller], clients: usize, duration: Duration) -> Result<Outcome> {
    anyhow::ensure!(!callers.is_empty(), "no callers");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(30))
        .build()?;
    let (requests, errors, foreign, rows) =
        (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let samples = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for i in 0..clients {
        let caller = callers[i % callers.len()].clone();
        let (http, url) = (http.clone(), url.to_string());
        let (requests, errors, foreign, rows, samples) = (requests.clone(), errors.clone(), foreign.clone(), rows.clone(), samples.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let outcome = check(&http, &url, &caller).await;
                requests.fetch_add(1, Ordering::Relaxed);
                match outcome {
                    Ok((n, others)) => {
                        rows.fetch_add(n, Ordering::Relaxed);
                        foreign.fetch_add(others, Ordering::Relaxed);
                    }
                    Err(e) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        let mut s = samples.lock().unwrap_or_else(|p| p.into_inner());
                        if s.len() < 5 {
                            s.push(format!("{e:#}"));
                        }
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let samples = samples.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok(Outcome {
        requests: requests.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        foreign_rows: foreign.load(Ordering::Relaxed),
        rows: rows.load(Ordering::Relaxed),
        seconds,
        samples,
    })
}

/// One request: (rows, rows of another tenant), or why it failed.
async fn check(http: &reqwest::Client, url: &str, caller: &Caller) -> Result<(u64, u64)> {
    let res = http.get(url).bearer_auth(&caller.token).send().await?;
    let status = res.status();
    let body = res.text().await?;
    anyhow::ensure!(status == reqwest::StatusCode::OK, "HTTP {status}: {}", body.chars().take(200).collect::<String>());
    let rows: Value = serde_json::from_str(&body)?;
    let rows = rows.as_array().ok_or_else(|| anyhow::anyhow!("not a JSON array: {}", body.chars().take(200).collect::<String>()))?;
    anyhow::ensure!(!rows.is_empty(), "no rows for tenant {}", caller.tenant);
    let others = rows.iter().filter(|r| r["tenant_id"].as_str() != Some(caller.tenant.as_str())).count() as u64;
    Ok((rows.len() as u64, others))
}
