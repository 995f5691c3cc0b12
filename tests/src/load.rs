//! A load of concurrent invoice issuers, as PostgREST runs them: session user
//! `authenticator`, `SET LOCAL ROLE app_user`, verified claims in `request.jwt.claims`,
//! one transaction per call. Some transactions are rolled back on purpose; connection
//! failures (a crashed server) are retried with a new connection.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use serde_json::json;

/// Where a client issues: tenant, admin user, series code.
#[derive(Clone, Debug)]
pub struct Target {
    pub tenant: String,
    pub user: String,
    pub series: String,
}

/// What the load did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Invoices whose COMMIT was acknowledged: (tenant, series, id, number).
    pub acknowledged: Vec<(String, String, String, i64)>,
    pub rolled_back: usize,
    /// Transactions cut by a failure (in doubt: may or may not have committed).
    pub in_doubt: usize,
}

pub struct LoadConfig {
    pub url: String,
    pub clients: usize,
    /// Calls per client (None: until `stop` is set).
    pub calls_per_client: Option<usize>,
    pub rollback_ratio: f64,
}

async fn connect(url: &str) -> Option<tokio_postgres::Client> {
    match tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        Ok((client, conn)) => {
            tokio::spawn(async move {
                let _ = conn.await;
            });
            Some(client)
        }
        Err(_) => None,
    }
}

/// Runs the load; returns when every client has made its calls (or `stop` is set).
pub async fn run(cfg: LoadConfig, targets: Vec<Target>, stop: Arc<AtomicBool>) -> Outcome {
    let out = Arc::new(Mutex::new(Outcome::default()));
    let mut tasks = Vec::new();
    for c in 0..cfg.clients {
        let target = targets[c % targets.len()].clone();
        let url = cfg.url.clone();
        let out = out.clone();
        let stop = stop.clone();
        let calls = cfg.calls_per_client;
        let ratio = cfg.rollback_ratio;
        tasks.push(tokio::spawn(async move {
            let claims = json!({
                "role": crate::APP_USER, "tid": target.tenant, "sub": target.user,
                "roles": ["admin"], "branches": ["*"], "grants": {"admin": ["*"]}, "aud": "cimiento", "iss": "cimiento"
            })
            .to_string();
            let mut client: Option<tokio_postgres::Client> = None;
            let mut done = 0usize;
            loop {
                if let Some(n) = calls {
                    if done >= n {
                        break;
                    }
                } else if stop.load(Ordering::Relaxed) {
                    break;
                }
                if client.as_ref().map(|c| c.is_closed()).unwrap_or(true) {
                    client = connect(&url).await;
                    if client.is_none() {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                }
                let db = client.as_ref().expect("connected");
                let rollback = rand::thread_rng().gen_bool(ratio);
                let result: Result<Option<(String, i64)>, tokio_postgres::Error> = async {
                    db.batch_execute(&format!("BEGIN; SET LOCAL ROLE {}", crate::APP_USER)).await?;
                    db.execute("SELECT set_config('request.jwt.claims', $1, true)", &[&claims]).await?;
                    let row = db
                        .query_one(
                            "SELECT api.issue_invoice($1, '[{\"description\":\"Cuota\",\"quantity\":1,\"unit_price\":40}]'::jsonb,
                                                      customer_name => 'Carga')",
                            &[&target.series],
                        )
                        .await?;
                    let doc: serde_json::Value = row.get(0);
                    let id = doc["id"].as_str().unwrap_or_default().to_string();
                    let number = doc["number"].as_i64().unwrap_or(-1);
                    if rollback {
                        db.batch_execute("ROLLBACK").await?;
                        Ok(None)
                    } else {
                        db.batch_execute("COMMIT").await?;
                        Ok(Some((id, number)))
                    }
                }
                .await;
                done += 1;
                let failed = {
                    let mut o = out.lock().expect("outcome lock");
                    match result {
                        Ok(Some((id, number))) => {
                            o.acknowledged.push((target.tenant.clone(), target.series.clone(), id, number));
                            false
                        }
                        Ok(None) => {
                            o.rolled_back += 1;
                            false
                        }
                        Err(_) => {
                            o.in_doubt += 1;
                            true
                        }
                    }
                };
                if failed {
                    client = None;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Arc::try_unwrap(out).map(|m| m.into_inner().expect("outcome")).unwrap_or_default()
}

/// Records one line of the summary `make bench` prints at the end (the fields bench/lib.sh's
/// `bench_goal` writes: measure, figure, op, goal, unit); nothing when run on its own.
pub fn bench_goal(measure: &str, figure: &str, op: &str, goal: &str, unit: &str) -> anyhow::Result<()> {
    let Ok(path) = std::env::var("BENCH_SUMMARY") else { return Ok(()) };
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path)?;
    writeln!(f, "{measure}\t{figure}\t{op}\t{goal}\t{unit}")?;
    Ok(())
}
